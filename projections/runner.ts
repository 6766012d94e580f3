// The projection runner: catches the read models up with the global log. Each batch's read-model
// changes (through each projection's batched applyBatch: a few statements per table, not one per
// event) and the new checkpoints are written in ONE transaction, so a crash never applies an
// event twice nor skips one. Several processes may run it against one PostgreSQL: the checkpoint
// rows are locked FOR UPDATE inside the batch transaction and re-read under the lock, so a batch
// another process applied in the meantime is not applied again.
import { sql } from 'kysely';
import { applyWithCorrections } from './corrections.js';
import type { EventStore } from '../src/eventstore/index.js';
import { readOncePerBatch, readStreamFromLog, toProjectedEvent, type StreamReader } from './stream-reader.js';
import type { Executor, Projection, ProjectedEvent, ProjectionLogger } from './types.js';

export interface ProjectionRunnerOptions {
  db: Executor;
  store: EventStore;
  projections: readonly Projection[];
  /** Events per batch transaction (default 500). */
  batchSize?: number;
  logger?: ProjectionLogger;
  /** How long start() waits for new events before looking again (default 5000 ms); other processes' appends are seen by the store's polling. */
  idleWaitMs?: number;
  /** Longest pause between retries after an error (default 30 s); the first is 100 ms, doubling. */
  maxBackoffMs?: number;
  /**
   * How a correction reads the stream it re-projects. The default reads the `events` table in the
   * batch's transaction: right for the PostgreSQL store on `db`. For a log elsewhere
   * (EVENT_STORE=kurrentdb) pass `streamReaderOf(store)`.
   */
  readStream?: StreamReader;
}

export interface ProjectionRunner {
  /** Catches up now and then whenever events are appended (this process, or others via polling), until stop(). Errors are logged and retried with backoff. */
  start(): void;
  /** Stops the loop started by start() and waits for the batch in flight. */
  stop(): Promise<void>;
  /** Applies every event stored now; resolves with the position all projections reached. Concurrent calls are coalesced. */
  catchUp(): Promise<number>;
  /** The lowest checkpoint of the runner's projections (0 before the first batch). */
  position(): Promise<number>;
  /** Resolves true once position() ≥ n, false after timeoutMs. */
  waitForPosition(n: number, timeoutMs: number): Promise<boolean>;
}

const silent: ProjectionLogger = { info() {}, warn() {}, error() {} };

/**
 * Applies `events` (consecutive, in log order) to one projection through `trx` with its batched
 * fold; a correction (void, correction, reversal) re-projects the record it names
 * (projections/corrections.ts), read through `readStream` (default: the `events` table).
 */
export async function applyEvents(
  projection: Projection,
  events: readonly ProjectedEvent[],
  trx: Executor,
  readStream: StreamReader = readStreamFromLog,
): Promise<void> {
  if (events.length === 0) return;
  await applyWithCorrections(projection, events, trx, (run) => projection.applyBatch(run, trx), readStream);
}

/**
 * Applies `events` to every projection in `projections` through `trx`, concurrently: their tables
 * are disjoint, and while PostgreSQL runs one projection's statements the next one folds its batch
 * in memory. A corrected record's stream is read once (through `readStream`, default the `events`
 * table) and shared. Waits for all of them (none issues a statement after this returns) and
 * rethrows the first error.
 */
export async function applyToAll(
  projections: readonly Projection[],
  events: readonly ProjectedEvent[],
  trx: Executor,
  readStream: StreamReader = readStreamFromLog,
): Promise<void> {
  const shared = readOncePerBatch(readStream);
  await settleAll(projections.map((projection) => applyEvents(projection, events, trx, shared)));
}

/**
 * Waits for every promise, then rethrows the first rejection. Unlike Promise.all it does not
 * return while some apply is still issuing statements on a transaction that is being rolled back.
 */
async function settleAll(work: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Creates the checkpoint rows of `names` at 0 unless they exist. */
export async function ensureCheckpoints(db: Executor, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await db
    .insertInto('projection_checkpoints')
    .values(names.map((name) => ({ name, position: 0 })))
    .onConflict((oc: any) => oc.column('name').doNothing())
    .execute();
}

/** The checkpoints of `names` (missing rows read as 0). */
export async function readCheckpoints(db: Executor, names: readonly string[], forUpdate = false): Promise<Map<string, number>> {
  const result = new Map(names.map((n) => [n, 0] as [string, number]));
  if (names.length === 0) return result;
  // Rows are locked in name order, the same order every runner and rebuild uses: no deadlock.
  const rows = forUpdate
    ? (await sql<{ name: string; position: string }>`
        select name, position from projection_checkpoints
         where name in (${sql.join(names)}) order by name for update`.execute(db)).rows
    : (await sql<{ name: string; position: string }>`
        select name, position from projection_checkpoints where name in (${sql.join(names)})`.execute(db)).rows;
  for (const row of rows) result.set(row.name, Number(row.position));
  return result;
}

/**
 * Applies `events` (consecutive positions after `after`) to `projections` in one transaction.
 * Under the lock each projection's checkpoint is re-read: events at or below it were applied by
 * someone else and are skipped; a checkpoint below `after` (moved back by a rebuild) means this
 * batch does not start where that projection stands, so it is left for the next round.
 */
export async function applyBatch(
  db: Executor,
  projections: readonly Projection[],
  after: number,
  events: ProjectedEvent[],
  readStream: StreamReader = readStreamFromLog,
): Promise<void> {
  if (events.length === 0) return;
  const shared = readOncePerBatch(readStream);
  const last = events[events.length - 1]!.globalPosition;
  await db.transaction().execute(async (trx) => {
    const names = projections.map((p) => p.name);
    const locked = await readCheckpoints(trx, names, true);
    const due = projections.filter((p) => {
      const checkpoint = locked.get(p.name) ?? 0;
      return checkpoint >= after && checkpoint < last;
    });
    // Concurrently, as in applyToAll: the projections' tables are disjoint.
    await settleAll(
      due.map((projection) => {
        const checkpoint = locked.get(projection.name) ?? 0;
        return applyEvents(projection, events.filter((e) => e.globalPosition > checkpoint), trx, shared);
      }),
    );
    if (due.length > 0) {
      await trx
        .updateTable('projection_checkpoints')
        .set({ position: last, updated_at: sql`now()` })
        .where('name', 'in', due.map((p) => p.name))
        .execute();
    }
  });
}

/** The lowest checkpoint; 0 when there are none (Math.min() of nothing is Infinity). */
function lowest(checkpoints: Map<string, number>): number {
  return checkpoints.size === 0 ? 0 : Math.min(...checkpoints.values());
}

/** Creates a runner for `projections`; nothing runs until catchUp() or start(). */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const { db, store, projections, batchSize = 500, logger = silent, idleWaitMs = 5000, maxBackoffMs = 30_000, readStream = readStreamFromLog } = options;
  const names = projections.map((p) => p.name);
  let ensured: Promise<void> | undefined;
  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;
  let loop: Promise<void> | null = null;
  let abort: AbortController | null = null;
  let wake: (() => void) | null = null;
  let unsubscribe: (() => void) | null = null;
  const advanced = new Set<() => void>();

  async function runCatchUp(): Promise<number> {
    // Nothing to catch up: without this, the loop below would read the same batch forever.
    if (names.length === 0) return 0;
    ensured ??= ensureCheckpoints(db, names).catch((error: unknown) => {
      ensured = undefined;
      throw error;
    });
    await ensured;
    for (;;) {
      const after = lowest(await readCheckpoints(db, names));
      // Events are read outside the transaction (on PGlite the transaction holds the only
      // connection); the batch is re-checked against the checkpoints under the lock.
      const stored = await store.readAll({ after, limit: batchSize });
      if (stored.length === 0) return after;
      await applyBatch(db, projections, after, stored.map(toProjectedEvent), readStream);
      for (const notify of advanced) notify();
    }
  }

  function catchUp(): Promise<number> {
    if (!running) {
      running = runCatchUp().finally(() => {
        running = null;
      });
      return running;
    }
    // A call during a catch-up may have been made for events that run has not read: run once more.
    queued ??= running
      .catch(() => 0)
      .then(() => {
        queued = null;
        return catchUp();
      });
    return queued;
  }

  async function position(): Promise<number> {
    return lowest(await readCheckpoints(db, names));
  }

  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      wake = done;
    });

  async function runLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const reached = await catchUp();
        failures = 0;
        if (signal.aborted) break;
        // Wakes on this process's appends (also through onAppended → wake) and polls for others'.
        const inner = new AbortController();
        const onAbort = () => inner.abort();
        signal.addEventListener('abort', onAbort);
        wake = () => inner.abort();
        try {
          await store.waitForEvents(reached, idleWaitMs, inner.signal);
        } finally {
          wake = null;
          signal.removeEventListener('abort', onAbort);
        }
      } catch (error) {
        failures += 1;
        const delay = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures - 1, 20));
        logger.error('projection catch-up failed; retrying', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          retryInMs: delay,
          failures,
        });
        await sleep(delay, signal);
      }
    }
  }

  return {
    start() {
      if (loop) return;
      abort = new AbortController();
      unsubscribe = store.onAppended(() => wake?.());
      const signal = abort.signal;
      loop = runLoop(signal).catch((error: unknown) => {
        logger.error('projection runner stopped unexpectedly', { error: String(error) });
      });
    },
    async stop() {
      if (!loop) return;
      abort?.abort();
      unsubscribe?.();
      unsubscribe = null;
      await loop;
      loop = null;
      await running?.catch(() => {});
    },
    catchUp,
    position,
    async waitForPosition(n: number, timeoutMs: number): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if ((await position()) >= n) return true;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return false;
        if (loop) wake?.();
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            advanced.delete(done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(remaining, 100));
          advanced.add(done);
        });
      }
    },
  };
}
