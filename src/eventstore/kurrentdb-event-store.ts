// The event store on KurrentDB (the continuation of EventStoreDB), through @kurrent/kurrentdb-client.
// Imported only by the Node entry points when EVENT_STORE=kurrentdb (never through index.ts), so
// the gRPC client stays out of the Worker bundle. Projections stay in PostgreSQL.
//
// Composed of its parts: the checks of event-values.ts (the same as the PostgreSQL store's), the
// mapping of kurrentdb-mapping.ts, the append of kurrentdb-append.ts (which explains how the
// adapter owns positions and the hash chain), the reads of kurrentdb-reads.ts and the chain walk
// of verify.ts.
import { EventEmitter } from 'node:events';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { assertAppend } from './event-values.js';
import { KurrentDbAppender } from './kurrentdb-append.js';
import { MalformedStoredEventError, StreamNames } from './kurrentdb-mapping.js';
import { KurrentDbReads, waitForHead } from './kurrentdb-reads.js';
import type { AppendOptions, AppendResult, EventStore, NewEvent, ReadAllOptions, StoredEvent, VerifyReport } from './types.js';
import { iterateInBatches, verifyChain, type IterateAllOptions } from './verify.js';

/** Options of the KurrentDB store. */
export interface KurrentDbEventStoreOptions {
  /** kurrentdb://… connection string (KURRENTDB_URL). */
  connectionString: string;
  /** The clock recordedAt is taken from (tests). */
  now?: () => Date;
  /**
   * Keeps this log apart from others on the same server: every stream is stored as
   * `<namespace>/<stream>` (default: no namespace). Tests use a fresh one each.
   */
  namespace?: string;
}

/** The KurrentDB implementation of EventStore. One instance per process. */
export class KurrentDbEventStore implements EventStore {
  readonly #client: KurrentDBClient;
  readonly #names: StreamNames;
  readonly #emitter = new EventEmitter();
  readonly #reads: KurrentDbReads;
  readonly #appender: KurrentDbAppender;

  constructor(options: KurrentDbEventStoreOptions) {
    this.#client = KurrentDBClient.connectionString(options.connectionString);
    this.#names = new StreamNames(options.namespace);
    this.#emitter.setMaxListeners(0);
    this.#reads = new KurrentDbReads(this.#client, this.#names);
    this.#appender = new KurrentDbAppender({
      client: this.#client,
      names: this.#names,
      reads: this.#reads,
      now: options.now ?? (() => new Date()),
      onAppended: (last) => this.#emitter.emit('appended', last),
    });
  }

  /** Closes the connection to the server. */
  async close(): Promise<void> {
    await this.#client.dispose();
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    try {
      assertAppend(streamId, events, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#appender.append(streamId, events, options.expectedVersion, options.metadata ?? {});
  }

  lookupIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null> {
    return this.#reads.lookupIdempotencyKey(idempotencyKey);
  }

  readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
    return this.#reads.readStream(streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return this.#reads.readAll(options);
  }

  iterateAll(options: IterateAllOptions = {}): AsyncGenerator<StoredEvent[]> {
    return iterateInBatches((batch) => this.readAll(batch), options);
  }

  async headPosition(): Promise<number> {
    return (await this.#reads.readHead()).position;
  }

  waitForEvents(afterPosition: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return waitForHead({ client: this.#client, names: this.#names, reads: this.#reads, appended: this.#emitter }, afterPosition, timeoutMs, signal);
  }

  onAppended(listener: (lastPosition: number) => void): () => void {
    this.#emitter.on('appended', listener);
    return () => this.#emitter.off('appended', listener);
  }

  async verify(): Promise<VerifyReport> {
    // The head is read first and the walk stops there: appends during the walk are not counted.
    // An event in a verstetigt stream without the adapter's metadata was written behind its back.
    const head = await this.#reads.readHead();
    return verifyChain(this.iterateAll({ batchSize: 1000 }), head, (error) => error instanceof MalformedStoredEventError);
  }
}
