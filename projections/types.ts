// The contract between the projection runner and the read models.
import type { Kysely } from 'kysely';
import type { VersionedEvent } from '../schemas/index.js';

/**
 * Where a projection writes and a query reads: the database, or a transaction on it. Read models
 * use unqualified table names through it only, so a caller can point them at scratch tables (a
 * rebuild schema first in search_path, or TEMP tables, which PostgreSQL finds before public).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Executor = Kysely<any>;

/** A stored event after upcasting and validation (`parseEvent`), with where it sits in the log. */
export type ProjectedEvent = VersionedEvent & {
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  recordedAt: string;
};

/**
 * A read model: one fold, `applyBatch`. It applies `events` (consecutive, in log order) through
 * `trx` in a few statements per table: it loads the rows the events touch, folds the events over
 * them in memory and writes the changed rows back (projections/batch.ts). It must be
 * deterministic and independent of how the log is cut into batches: the same events in the same
 * order leave the same rows whether applied in one batch or many (a rebuild and an incremental
 * catch-up end equal). It runs inside the batch transaction that also advances the checkpoint,
 * ignores event types it does not use, and holds only the rows of its batch in memory.
 */
export interface Projection {
  /** The checkpoint name, e.g. "staffing". */
  readonly name: string;
  /** Every table the projection writes, so rebuild and as-of replay can make scratch copies. */
  readonly tables: readonly string[];
  applyBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void>;
}

/**
 * The filters every query takes: one municipality (AGS), one programme, and the municipalities
 * the caller may see (`'*'` or absent = all; an empty list sees nothing).
 */
export interface Scope {
  municipality?: string | undefined;
  programme?: string | undefined;
  municipalities?: readonly string[] | '*' | undefined;
}

/** A query for a calendar date `asOf` (`YYYY-MM-DD`) within a scope. */
export interface AsOfQuery extends Scope {
  asOf: string;
}

/** A minimal structured logger (src/log.ts's Logger fits). */
export interface ProjectionLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}
