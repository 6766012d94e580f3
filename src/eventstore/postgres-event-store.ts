// The event store on PostgreSQL and PGlite (one SQL code path through Kysely), composed of its
// parts: the checks of event-values.ts, the group-commit queue of postgres-append-queue.ts, the
// reads of postgres-reads.ts and the chain walk of verify.ts.
//
// Tamper evidence: each event's hash covers its fields and the previous event's hash (hash.ts).
import { EventEmitter } from 'node:events';
import type { Db } from '../db/index.js';
import { assertAppend } from './event-values.js';
import { PostgresAppendQueue } from './postgres-append-queue.js';
import { eventBeyondHead, readHeadPosition, readIdempotencyKey, readLogEvents, readLogHead, readStreamEvents } from './postgres-reads.js';
import type { AppendOptions, AppendResult, EventStore, NewEvent, ReadAllOptions, StoredEvent, VerifyReport } from './types.js';
import { iterateInBatches, verifyChain, type IterateAllOptions } from './verify.js';

/** How often a waiting reader looks for events appended by other processes. */
const POLL_MS = 200;

/** The PostgreSQL/PGlite implementation of EventStore. One instance per process is enough. */
export class PostgresEventStore implements EventStore {
  readonly #db: Db;
  readonly #emitter = new EventEmitter();
  readonly #queue: PostgresAppendQueue;

  constructor(db: Db) {
    this.#db = db;
    this.#emitter.setMaxListeners(0);
    this.#queue = new PostgresAppendQueue(db, (last) => this.#emitter.emit('appended', last));
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    try {
      assertAppend(streamId, events, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#queue.append({ streamId, events, expectedVersion: options.expectedVersion, metadata: options.metadata ?? {} });
  }

  lookupIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null> {
    return readIdempotencyKey(this.#db, idempotencyKey);
  }

  readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
    return readStreamEvents(this.#db, streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return readLogEvents(this.#db, options);
  }

  iterateAll(options: IterateAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    return iterateInBatches((batch) => this.readAll(batch), options);
  }

  headPosition(): Promise<number> {
    return readHeadPosition(this.#db);
  }

  async waitForEvents(afterPosition: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.headPosition()) > afterPosition) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal?.aborted) return false;
      // Woken early by an append of this process; appends of others are seen by the next poll.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#emitter.off('appended', done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(remaining, POLL_MS));
        this.#emitter.on('appended', done);
        signal?.addEventListener('abort', done);
      });
    }
  }

  onAppended(listener: (lastPosition: number) => void): () => void {
    this.#emitter.on('appended', listener);
    return () => this.#emitter.off('appended', listener);
  }

  async verify(): Promise<VerifyReport> {
    // The head is read first and the walk stops there.
    const report = await verifyChain(this.iterateAll({ batchSize: 1000 }), await readLogHead(this.#db));
    if (!report.ok) return report;
    const beyond = await eventBeyondHead(this.#db);
    return beyond === null ? report : { ok: false, checked: report.checked, firstBadPosition: beyond };
  }
}
