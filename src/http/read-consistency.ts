// What every read over the projections shares — the views, the lists, the as-of replay and the
// pages: waiting for ?minPosition= (read-your-writes), the caller's municipality scope, and one
// snapshot per view.
import type { Context } from 'hono';
import type { ProjectionRunner, Scope } from '../../projections/index.js';
import type { Db } from '../db/index.js';
import { HttpProblem } from './problem.js';

/** How a read waits for the projections to reach a position. */
export interface PositionWait {
  runner: Pick<ProjectionRunner, 'waitForPosition' | 'position'>;
  /** Longest wait before 503. */
  timeoutMs: number;
  /** The log's head position: a ?minPosition= beyond it is answered at once (400) instead of waited for. */
  headPosition?: (() => Promise<number>) | undefined;
  /** What has not caught up, as the subject of the 503 detail ("Die Auswertungen", "Die Listen"). */
  subject: string;
}

/** The municipalities a request may see ('*' = all). */
export type AllowedMunicipalities = (c: Context) => readonly string[] | '*';

/**
 * Waits for ?minPosition=: returns when the projections reached it (at once without one); throws
 * HttpProblem 400 for a position beyond the log's head, 503 with Retry-After after the timeout.
 */
export async function awaitPosition(wait: PositionWait, minPosition: number | undefined): Promise<void> {
  if (minPosition === undefined) return;
  // No write has been answered with a position beyond the head: waiting for one would only hold the request.
  const head = await wait.headPosition?.();
  if (head !== undefined && minPosition > head) {
    throw new HttpProblem(
      400,
      'Ungültige Eingabe',
      `minPosition ${minPosition} liegt hinter dem Ende des Protokolls (Position ${head}).`,
      { minPosition, head, errors: [{ path: 'minPosition', message: `höchstens ${head}` }] },
    );
  }
  if (await wait.runner.waitForPosition(minPosition, wait.timeoutMs)) return;
  const reached = await wait.runner.position();
  throw new HttpProblem(
    503,
    'Vorübergehend nicht verfügbar',
    `${wait.subject} haben Position ${minPosition} noch nicht erreicht (aktuell ${reached}). Bitte gleich erneut versuchen.`,
    { minPosition, position: reached },
    { 'retry-after': '1' },
  );
}

/**
 * The scope of a read: the filters of the request within the caller's municipalities. A filter
 * naming a municipality outside them is refused (HttpProblem 403), not silently emptied.
 */
export function requestedScope(
  municipalities: readonly string[] | '*',
  q: { municipality?: string | undefined; programme?: string | undefined },
): Scope & { municipalities: readonly string[] | '*' } {
  if (q.municipality && municipalities !== '*' && !municipalities.includes(q.municipality)) {
    throw new HttpProblem(403, 'Keine Berechtigung', `Keine Berechtigung für die Kommune ${q.municipality}.`);
  }
  return { municipality: q.municipality, programme: q.programme, municipalities };
}

/**
 * Runs a view's queries in ONE snapshot: a read-only transaction at REPEATABLE READ, whose
 * snapshot PostgreSQL takes at its first statement and keeps for every later one. Under the
 * default READ COMMITTED each statement takes its own snapshot, so a projection batch committed
 * between two of a view's statements (positions, then staffings) would show half a batch. The
 * query functions themselves take any executor (the as-of replay passes its own transaction).
 * On PGlite the transaction holds the single connection, which serialises the statements anyway.
 */
export function inSnapshot<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(run);
}
