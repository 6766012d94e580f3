// The append path of the PostgreSQL/PGlite event store: a queue with group commit.
//
// Ordering: every append transaction first locks the one-row event_log_head (an UPDATE), so appends
// are serialised across all connections and processes; positions are handed out under that lock
// and a transaction releases it only after its commit is visible. Hence commit order = position
// order, and a reader that has seen P never later finds a new event below P.
//
// Throughput: appends arriving while a transaction is in flight wait in the queue and are committed
// together in the next transaction (group commit): one statement (the verstetigt_append function),
// one lock, one fsync for the whole group.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { ConcurrencyError, IdempotencyKeyConflictError } from './errors.js';
import { idempotencyKeyOf } from './event-values.js';
import { contentDigest } from './hash.js';
import type { AppendResult, EventMetadata, ExpectedVersion, NewEvent } from './types.js';
import { uuidv7 } from './uuid.js';

/** Appends committed together in one transaction at most. */
const MAX_GROUP = 256;

/** An append as the queue holds it: already validated (event-values.ts). */
export interface QueuedAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
  metadata: EventMetadata;
}

interface PendingAppend extends QueuedAppend {
  /** Assigned once when the append is queued, so a repeated attempt is recognised as the same. */
  eventIds: string[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** What verstetigt_append returns: one outcome per append of the group, in order. */
interface AppendOutcomes {
  recordedAt: string;
  outcomes: Array<
    | { status: 'ok'; first: number; last: number; version: number }
    | { status: 'duplicate'; stream: string; first: number; last: number; version: number }
    | { status: 'conflict'; actual: number }
    | { status: 'key-reused' }
  >;
}

/** Commits queued appends in groups, one transaction per group; tells `onCommitted` the last new position. */
export class PostgresAppendQueue {
  readonly #db: Db;
  readonly #onCommitted: (lastPosition: number) => void;
  readonly #queue: PendingAppend[] = [];
  #flushing = false;

  constructor(db: Db, onCommitted: (lastPosition: number) => void) {
    this.#db = db;
    this.#onCommitted = onCommitted;
  }

  /** Queues `append` for the next group; settles with its result or the error it got. */
  append(append: QueuedAppend): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({ ...append, eventIds: append.events.map(() => uuidv7()), resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, MAX_GROUP);
        await this.#commitGroup(group);
      }
    } finally {
      this.#flushing = false;
      if (this.#queue.length > 0) this.#kick();
    }
  }

  /**
   * Commits a group in one transaction. If the database refused the statement (it rolled back),
   * each append is tried alone, so one bad append does not fail the others. If the connection
   * failed, the outcome is unknown: every append gets the error (a retry is recognised by its
   * event ids and answered as a duplicate, never stored twice).
   */
  async #commitGroup(group: PendingAppend[]): Promise<void> {
    try {
      const outcomes = await this.#commit(group);
      this.#settle(group, outcomes);
    } catch (error) {
      if (group.length === 1 || !rolledBack(error)) {
        for (const pending of group) pending.reject(error);
        return;
      }
      for (const pending of group) {
        try {
          this.#settle([pending], await this.#commit([pending]));
        } catch (singleError) {
          pending.reject(singleError);
        }
      }
    }
  }

  #settle(group: PendingAppend[], outcomes: Array<AppendResult | Error>): void {
    let last = 0;
    group.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof Error) pending.reject(outcome);
      else {
        if (!outcome.duplicate) last = Math.max(last, outcome.lastPosition);
        pending.resolve(outcome);
      }
    });
    if (last > 0) this.#onCommitted(last);
  }

  /**
   * One statement — one transaction — for the whole group: the append function locks the head,
   * checks keys and versions, chains and inserts (0004-append-function). Per append either a
   * result or the error it gets.
   */
  async #commit(group: PendingAppend[]): Promise<Array<AppendResult | Error>> {
    const payload = group.map((pending) => ({
      stream: pending.streamId,
      expected: pending.expectedVersion,
      key: idempotencyKeyOf(pending.metadata),
      fingerprint: typeof pending.metadata.requestFingerprint === 'string' ? pending.metadata.requestFingerprint : null,
      metadata: pending.metadata,
      events: pending.events.map((event, i) => {
        const id = pending.eventIds[i]!;
        return {
          id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          digest: contentDigest({
            streamId: pending.streamId,
            eventId: id,
            type: event.type,
            schemaVersion: event.schemaVersion,
            data: event.data,
            metadata: pending.metadata,
          }),
        };
      }),
    }));
    const row = (
      await sql<{ result: AppendOutcomes }>`select verstetigt_append(${JSON.stringify(payload)}::jsonb) as result`.execute(this.#db)
    ).rows[0]!;
    return row.result.outcomes.map((outcome, i): AppendResult | Error => {
      const pending = group[i]!;
      switch (outcome.status) {
        case 'ok':
          return {
            streamId: pending.streamId,
            nextExpectedVersion: Number(outcome.version),
            firstPosition: Number(outcome.first),
            lastPosition: Number(outcome.last),
            duplicate: false,
          };
        case 'duplicate':
          return {
            streamId: outcome.stream,
            nextExpectedVersion: Number(outcome.version),
            firstPosition: Number(outcome.first),
            lastPosition: Number(outcome.last),
            duplicate: true,
          };
        case 'conflict':
          return new ConcurrencyError(pending.streamId, pending.expectedVersion, Number(outcome.actual));
        case 'key-reused':
          return new IdempotencyKeyConflictError(String(pending.metadata.idempotencyKey));
      }
    });
  }
}

/** True when the database answered the statement with an error of its own, i.e. it rolled back. */
function rolledBack(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  // Class 08 (connection exception) and 57P0x (shutdown) leave the outcome unknown.
  return !code.startsWith('08') && !/^57P0/.test(code);
}
