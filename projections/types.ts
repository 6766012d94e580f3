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
 * A read model. `apply` writes the changes one event makes through `trx` and must be
 * deterministic: the same events in the same order always leave the same rows (a rebuild and an
 * incremental catch-up end equal). It is called once per event, in log order, inside the batch
 * transaction that also advances the checkpoint; it ignores event types it does not use.
 */
export interface Projection {
  /** The checkpoint name, e.g. "staffing". */
  readonly name: string;
  /** Every table the projection writes, so rebuild and as-of replay can make scratch copies. */
  readonly tables: readonly string[];
  apply(event: ProjectedEvent, trx: Executor): Promise<void>;
  /**
   * Optional: applies `events` (consecutive, in log order) through `trx` with exactly the result
   * of calling `apply` on each in turn, in a few statements per table instead of one per event.
   * Memory is bounded by the batch. The runner, rebuild and as-of replay use it when present.
   */
  applyBatch?(events: readonly ProjectedEvent[], trx: Executor): Promise<void>;
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
