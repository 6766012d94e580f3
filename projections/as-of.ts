// The auditor's replay: a view exactly as the system showed it at an instant. Only events
// recorded at or before `knownAt` are replayed — with the same projection code — into TEMP copies
// of the read tables inside one transaction; PostgreSQL resolves unqualified table names in
// pg_temp first, so the queries read the copies. The transaction is always rolled back: the live
// tables are never touched.
import { sql } from 'kysely';
import type { EventStore, ReadAllOptions, StoredEvent } from '../src/eventstore/index.js';
import { allProjections } from './registry.js';
import { applyToAll } from './runner.js';
import { toProjectedEvent, type StreamReader } from './stream-reader.js';
import type { Executor, Projection } from './types.js';

export interface ReplayAsOfOptions<T> {
  db: Executor;
  store: EventStore;
  /** ISO 8601 instant: events with recordedAt ≤ knownAt are replayed. */
  knownAt: string;
  /** Runs the queries against the scratch read models (pass `trx` to the query functions). */
  run: (trx: Executor) => Promise<T>;
  /** Which read models to replay (default: all). */
  projections?: readonly Projection[];
  /**
   * The event store reading through the replay's transaction, e.g. `(trx) => new
   * PostgresEventStore(trx)`. With it the events are streamed in batches inside the transaction
   * (memory stays flat in log size; PGlite's single connection is the transaction's). Without it
   * every event up to knownAt is read through `store` before the transaction opens.
   */
  readerFor?: (trx: Executor) => Pick<EventStore, 'iterateAll'>;
  /** Events per read and per batched apply (default 2000). */
  batchSize?: number;
  /**
   * Replay only the streams in this scope (a caller's municipalities and the shared streams), so
   * the cost follows the tenant's share of the log, not the whole log.
   */
  streamScope?: ReadAllOptions['streamScope'];
  /** How a correction reads its stream (default: the `events` table; `streamReaderOf(store)` for a log elsewhere). */
  readStream?: StreamReader;
  /**
   * The share of wall time (1–100 %) the replay may keep the process and the database busy: after
   * each batch it pauses for as long as the batch took × (100 − dutyPercent) / dutyPercent, so a
   * long audit replay leaves room to the interactive requests beside it (default 100: no pause).
   * A function is asked after every batch (the HTTP app: low while others are being answered).
   */
  dutyPercent?: number | (() => number);
}

/** The pause after a batch that took `busyMs`, so that busy time is `dutyPercent` % of wall time. */
export function pauseAfterBatch(busyMs: number, dutyPercent: number): number {
  if (!(dutyPercent > 0 && dutyPercent <= 100)) throw new RangeError(`dutyPercent must be in (0, 100]: ${dutyPercent}`);
  return Math.max(0, busyMs) * ((100 - dutyPercent) / dutyPercent);
}

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('as-of replay rolled back');
  }
}

/**
 * Replays the log as known at `knownAt` into scratch read models, calls `run` on them and returns
 * its result. With `readerFor` the events are streamed inside the transaction; without it they are
 * read before it opens, so memory grows with the number of events up to knownAt.
 */
export async function replayAsOf<T>(options: ReplayAsOfOptions<T>): Promise<T> {
  const { db, store, knownAt, run, projections = allProjections, readerFor, batchSize = 2000, streamScope, readStream, dutyPercent = 100 } = options;
  const duty = typeof dutyPercent === 'function' ? dutyPercent : () => dutyPercent;
  pauseAfterBatch(0, duty());
  const instant = new Date(knownAt);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`knownAt is not an instant: ${knownAt}`);
  const read = { recordedUpTo: instant.toISOString(), batchSize, ...(streamScope ? { streamScope } : {}) };
  const preread: StoredEvent[][] = [];
  if (!readerFor) for await (const batch of store.iterateAll(read)) preread.push(batch);
  try {
    await db.transaction().execute(async (trx) => {
      const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(trx)).rows[0]!.schema;
      for (const projection of projections) {
        for (const table of projection.tables) {
          await sql`create temp table ${sql.table(table)} (like ${sql.table(`${schema}.${table}`)} including all) on commit drop`.execute(trx);
        }
      }
      const batches = readerFor ? readerFor(trx).iterateAll(read) : preread;
      let began = performance.now();
      for await (const batch of batches) {
        await applyToAll(projections, batch.map(toProjectedEvent), trx, readStream);
        const pause = pauseAfterBatch(performance.now() - began, duty());
        if (pause >= 1) await new Promise((resolve) => setTimeout(resolve, pause));
        began = performance.now();
      }
      throw new Rollback(await run(trx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error('unreachable: the as-of transaction always rolls back');
}
