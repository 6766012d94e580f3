// The event store on KurrentDB (the continuation of EventStoreDB), through @kurrent/kurrentdb-client.
// Imported only by the Node entry points when EVENT_STORE=kurrentdb (never through index.ts), so
// the gRPC client stays out of the Worker bundle. Projections stay in PostgreSQL.
//
// KurrentDB orders all events in $all, but its commit positions are sparse and say nothing about
// the hash chain. The adapter therefore owns the sequence: every append is ONE multi-stream append
// (KurrentDB 25.1+) of
//   1. the events to their stream, each carrying its global position, previous hash, hash,
//      recordedAt and schema version in its metadata,
//   2. when the append has an idempotency key, one event to that key's stream (expected: no stream),
//   3. one event to the log-head stream, expected at the revision the adapter read.
// The log-head stream's expected revision is the global lock: of two appends that read the same
// head, one fails as a whole and is retried on the new head. Positions are gap-free and handed out
// in commit order, so $all order is position order, and a reader that has seen P never later finds
// an event below P. A key stream that already exists makes the append fail as a whole: the earlier
// result is returned as a duplicate.
//
// Stream versions are revisions + 1 (version 1 is revision 0). recordedAt is the appending
// process's clock, never earlier than the previous event's (so the as-of replay stays ordered).
import { EventEmitter } from 'node:events';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  streamNameFilter,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type Position,
} from '@kurrent/kurrentdb-client';
import { ConcurrencyError, EventStoreUnavailableError, InvalidEventError } from './errors.js';
import { GENESIS_HASH, chainHash, contentDigest, eventHash, sha256Hex } from './hash.js';
import { assertEvents, assertExpectedVersion, assertPlainJson, assertStreamId, versionMatches } from './postgres-event-store.js';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  VerifyReport,
} from './types.js';
import { uuidv7 } from './uuid.js';

/** The stream whose revision is the global lock; one event per append. `~` is outside stream ids. */
export const LOG_HEAD_STREAM = 'verstetigt~log-head';
/** Prefix of the idempotency key streams (followed by the SHA-256 of the key). */
export const IDEMPOTENCY_STREAM_PREFIX = 'verstetigt~idempotency-';
/** Only verstetigt's event streams (`<kind>-<id>`), not the bookkeeping streams nor `$` streams. */
const EVENT_STREAMS = '^[A-Za-z][A-Za-z0-9_.:]*-';
/** Metadata keys of a stored event (multi-stream append takes string values only). */
const META = {
  position: 'verstetigt.position',
  prevHash: 'verstetigt.prevHash',
  hash: 'verstetigt.hash',
  recordedAt: 'verstetigt.recordedAt',
  schemaVersion: 'verstetigt.schemaVersion',
  metadata: 'verstetigt.metadata',
} as const;
/** How often an append is retried after another writer moved the head first. */
const MAX_HEAD_RETRIES = 100;
/** A $all position remembered per this many global positions, to start reads close to `after`. */
const INDEX_EVERY = 500;

// ---- The mapping between the EventStore contract and KurrentDB (pure; unit-tested) ----

/** The KurrentDB revision of stream version `version` (version 1 is revision 0). */
export function versionToRevision(version: number): bigint {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`no revision for stream version ${version}`);
  return BigInt(version - 1);
}

/** The stream version of KurrentDB revision `revision`. */
export function revisionToVersion(revision: bigint): number {
  if (revision < 0n || revision >= BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`revision ${revision} has no stream version`);
  return Number(revision) + 1;
}

/** The version of a stream in KurrentDB's current state: no stream is version 0. */
export function currentVersion(state: CurrentStreamState): number {
  return state === NO_STREAM ? 0 : revisionToVersion(state);
}

/**
 * The expected state KurrentDB checks for an expected version: 0 and "no-stream" are NO_STREAM,
 * "exists" is STREAM_EXISTS, "any" is ANY, a version n is revision n − 1.
 */
export function expectedState(expected: ExpectedVersion): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'exists':
      return STREAM_EXISTS;
    case 'no-stream':
      return NO_STREAM;
    default:
      return expected === 0 ? NO_STREAM : versionToRevision(expected);
  }
}

/** The expected state for a stream known to be at `version` exactly (0: no stream). */
export function exactState(version: number): AppendStreamState {
  return version === 0 ? NO_STREAM : versionToRevision(version);
}

/** What the adapter stores in an event's metadata beside the caller's metadata. */
export interface ChainFields {
  globalPosition: number;
  prevHash: string;
  hash: string;
  recordedAt: string;
  schemaVersion: number;
  metadata: EventMetadata;
}

/** Encodes the chain fields as the string-to-string metadata a multi-stream append accepts. */
export function encodeMetadata(fields: ChainFields): Record<string, string> {
  return {
    [META.position]: String(fields.globalPosition),
    [META.prevHash]: fields.prevHash,
    [META.hash]: fields.hash,
    [META.recordedAt]: fields.recordedAt,
    [META.schemaVersion]: String(fields.schemaVersion),
    [META.metadata]: JSON.stringify(fields.metadata),
  };
}

/** Thrown for an event in a verstetigt stream whose metadata is not what the adapter wrote. */
export class MalformedStoredEventError extends Error {
  override name = 'MalformedStoredEventError';
}

/** Decodes what encodeMetadata wrote (as KurrentDB gives it back: an object, or its JSON bytes). */
export function decodeMetadata(raw: unknown): ChainFields {
  let value = raw;
  if (value instanceof Uint8Array) {
    try {
      value = JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      throw new MalformedStoredEventError('event metadata is not JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedStoredEventError('event metadata is not an object');
  const m = value as Record<string, unknown>;
  const text = (key: string): string => {
    const v = m[key];
    if (typeof v !== 'string') throw new MalformedStoredEventError(`event metadata lacks ${key}`);
    return v;
  };
  const integer = (key: string, min: number): number => {
    const v = text(key);
    if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new MalformedStoredEventError(`event metadata ${key} is not a whole number ≥ ${min}`);
    return Number(v);
  };
  let metadata: unknown;
  try {
    metadata = JSON.parse(text(META.metadata));
  } catch (error) {
    if (error instanceof MalformedStoredEventError) throw error;
    throw new MalformedStoredEventError(`event metadata ${META.metadata} is not JSON`);
  }
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new MalformedStoredEventError(`event metadata ${META.metadata} is not an object`);
  }
  return {
    globalPosition: integer(META.position, 1),
    prevHash: text(META.prevHash),
    hash: text(META.hash),
    recordedAt: text(META.recordedAt),
    schemaVersion: integer(META.schemaVersion, 1),
    metadata: metadata as EventMetadata,
  };
}

/** The stream that holds idempotency key `key` (its SHA-256, so any key fits a stream name). */
export function idempotencyStream(key: string): string {
  return `${IDEMPOTENCY_STREAM_PREFIX}${sha256Hex(key)}`;
}

/** What a failed multi-stream append means for the adapter. */
export type AppendFailure =
  | { kind: 'head-moved' }
  | { kind: 'duplicate-key' }
  | { kind: 'stream-moved'; actualVersion: number }
  | { kind: 'unavailable'; error: EventStoreUnavailableError }
  | { kind: 'too-large'; error: InvalidEventError }
  | { kind: 'other'; error: unknown };

/**
 * Classifies the error of a multi-stream append of `streamId` (with key stream `keyStream`): the
 * head moved (retry), the key exists (duplicate), the stream moved (conflict or retry), the server
 * is unreachable (503), or anything else (passed on).
 */
export function classifyAppendError(error: unknown, streamId: string, keyStream: string | null, headStream = LOG_HEAD_STREAM): AppendFailure {
  if (error instanceof WrongExpectedVersionError) {
    if (error.streamName === headStream) return { kind: 'head-moved' };
    if (keyStream !== null && error.streamName === keyStream) return { kind: 'duplicate-key' };
    if (error.streamName === streamId) return { kind: 'stream-moved', actualVersion: currentVersion(error.actualState) };
    return { kind: 'other', error };
  }
  if (error instanceof Error && isCommandError(error) && TOO_LARGE.includes(String(error.type))) {
    return { kind: 'too-large', error: new InvalidEventError(`the append is larger than KurrentDB accepts: ${error.message}`) };
  }
  if (isUnavailable(error)) {
    return { kind: 'unavailable', error: new EventStoreUnavailableError(`KurrentDB is not reachable: ${(error as Error).message}`) };
  }
  return { kind: 'other', error };
}

const TOO_LARGE = ['maximum-append-size-exceeded', 'append-record-size-exceeded', 'transaction-max-size-exceeded'];

/** True for the client's errors that mean "the server did not answer" (not a verdict on the request). */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !isCommandError(error)) return false;
  return ['unavailable', 'deadline-exceeded', 'cancelled', 'not-leader', 'timeout'].includes(String(error.type));
}

/**
 * The events of one append as KurrentDB records, with positions after `head`, stream versions
 * after `version`, and the hash chain continued from the head's hash (the same hashes as the
 * PostgreSQL store computes, so verify() recomputes them from the stored fields).
 */
export function chainEvents(input: {
  head: Pick<LogHead, 'position' | 'hash'>;
  streamId: string;
  version: number;
  events: readonly NewEvent[];
  eventIds: readonly string[];
  metadata: EventMetadata;
  recordedAt: string;
}): { data: EventData[]; lastHash: string } {
  const { head, streamId, version, events, eventIds, metadata, recordedAt } = input;
  let prevHash = head.hash;
  const data = events.map((event, i): EventData => {
    const globalPosition = head.position + 1 + i;
    const eventId = eventIds[i]!;
    const digest = contentDigest({ streamId, eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata });
    const hash = chainHash(prevHash, globalPosition, version + 1 + i, recordedAt, digest);
    const encoded = encodeMetadata({ globalPosition, prevHash, hash, recordedAt, schemaVersion: event.schemaVersion, metadata });
    prevHash = hash;
    return { id: eventId, contentType: 'application/json', type: event.type, data: event.data, metadata: encoded } as EventData;
  });
  return { data, lastHash: prevHash };
}

/** The log-head event: where the log ends after an append. */
export interface LogHead {
  /** Revision of the head stream's last event; null before the first append. */
  revision: bigint | null;
  position: number;
  hash: string;
  recordedAt: string;
}

const EMPTY_HEAD: LogHead = { revision: null, position: 0, hash: GENESIS_HASH, recordedAt: '1970-01-01T00:00:00.000Z' };

/** The ISO instant for the next append: now, but never before the previous event (same format). */
export function nextRecordedAt(now: Date, previous: string): string {
  const at = now.toISOString();
  return at < previous ? previous : at;
}

// ---- The store ----

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

/** Server-side names of one log: its event streams, head stream and key streams. */
export class StreamNames {
  readonly #prefix: string;
  constructor(namespace = '') {
    if (namespace !== '' && !/^[A-Za-z0-9_.:-]{1,100}$/.test(namespace)) throw new RangeError(`invalid namespace ${JSON.stringify(namespace)}`);
    this.#prefix = namespace === '' ? '' : `${namespace}/`;
  }
  /** The server stream of event stream `streamId`. */
  server(streamId: string): string {
    return `${this.#prefix}${streamId}`;
  }
  /** The event stream id of server stream `name`, or null for a stream of another log or a bookkeeping stream. */
  client(name: string): string | null {
    if (!name.startsWith(this.#prefix)) return null;
    const id = name.slice(this.#prefix.length);
    return new RegExp(EVENT_STREAMS).test(id) && !id.includes('/') ? id : null;
  }
  get head(): string {
    return `${this.#prefix}${LOG_HEAD_STREAM}`;
  }
  key(idempotencyKey: string): string {
    return `${this.#prefix}${idempotencyStream(idempotencyKey)}`;
  }
  /** The regular expression of this log's event streams on the server ($all filter). */
  get eventStreamRegex(): string {
    return `^${this.#prefix.replace(/[.:]/g, '\\$&')}${EVENT_STREAMS.slice(1)}`;
  }
}

interface StoredChainEvent {
  event: StoredEvent;
  allPosition: Position | undefined;
}

/** The KurrentDB implementation of EventStore. One instance per process. */
export class KurrentDbEventStore implements EventStore {
  readonly #client: KurrentDBClient;
  readonly #now: () => Date;
  readonly #names: StreamNames;
  readonly #emitter = new EventEmitter();
  /** Appends of this process run one at a time (the head stream serialises them anyway). */
  #tail: Promise<unknown> = Promise.resolve();
  #head: LogHead | undefined;
  /** Sparse global position → $all position, learned while reading; sorted by position. */
  readonly #index: Array<{ position: number; all: Position }> = [];
  /** First event's data per stream, for stream scopes. */
  readonly #firstData = new Map<string, Record<string, unknown> | null>();

  constructor(options: KurrentDbEventStoreOptions) {
    this.#client = KurrentDBClient.connectionString(options.connectionString);
    this.#now = options.now ?? (() => new Date());
    this.#names = new StreamNames(options.namespace);
    this.#emitter.setMaxListeners(0);
  }

  /** Closes the connection to the server. */
  async close(): Promise<void> {
    await this.#client.dispose();
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    try {
      assertStreamId(streamId);
      assertEvents(events);
      assertExpectedVersion(options.expectedVersion);
      assertPlainJson(options.metadata ?? {}, 'metadata');
    } catch (error) {
      return Promise.reject(error);
    }
    const eventIds = events.map(() => uuidv7());
    const run = this.#tail.then(
      () => this.#appendNow(streamId, events, eventIds, options.expectedVersion, options.metadata ?? {}),
      () => this.#appendNow(streamId, events, eventIds, options.expectedVersion, options.metadata ?? {}),
    );
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #appendNow(
    streamId: string,
    events: NewEvent[],
    eventIds: string[],
    expected: ExpectedVersion,
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    const key = typeof metadata.idempotencyKey === 'string' ? metadata.idempotencyKey : null;
    const keyStream = key === null ? null : this.#names.key(key);
    for (let attempt = 0; attempt < MAX_HEAD_RETRIES; attempt++) {
      if (key !== null) {
        const earlier = await this.lookupIdempotencyKey(key);
        if (earlier) return earlier;
      }
      const head = this.#head ?? (await this.#readHead());
      const version = await this.#streamVersion(streamId);
      if (!versionMatches(expected, version)) throw new ConcurrencyError(streamId, expected, version);

      // Position, hash chain and stream versions are fixed before the append; the expected
      // revisions make the server refuse them if anything moved meanwhile.
      const recordedAt = nextRecordedAt(this.#now(), head.recordedAt);
      const { data, lastHash: prevHash } = chainEvents({ head, streamId, version, events, eventIds, metadata, recordedAt });
      const result: AppendResult = {
        streamId,
        nextExpectedVersion: version + events.length,
        firstPosition: head.position + 1,
        lastPosition: head.position + events.length,
        duplicate: false,
      };
      const requests = [{ streamName: this.#names.server(streamId), events: data, expectedState: exactState(version) }];
      if (keyStream !== null) {
        requests.push({
          streamName: keyStream,
          events: [{ id: uuidv7(), contentType: 'application/json', type: 'IdempotencyKeyRecorded', data: { ...result, duplicate: undefined } as never, metadata: undefined } as EventData],
          expectedState: NO_STREAM,
        });
      }
      requests.push({
        streamName: this.#names.head,
        events: [
          {
            id: uuidv7(),
            contentType: 'application/json',
            type: 'LogHeadAdvanced',
            data: { position: result.lastPosition, hash: prevHash, recordedAt, streamId, firstPosition: result.firstPosition },
            metadata: undefined,
          } as EventData,
        ],
        expectedState: head.revision === null ? NO_STREAM : head.revision,
      });

      try {
        await this.#client.multiStreamAppend(requests);
      } catch (error) {
        const failure = classifyAppendError(error, this.#names.server(streamId), keyStream, this.#names.head);
        switch (failure.kind) {
          case 'head-moved':
            // Another process appended first: wait a little (more with each attempt) and retry.
            this.#head = undefined;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * (attempt + 1))));
            continue;
          case 'duplicate-key':
            // Stored by an earlier attempt or request: the loop answers from the key stream.
            continue;
          case 'stream-moved':
            this.#head = undefined;
            // A caller that named a version gets the conflict; "any"/"exists" decide again.
            if (!versionMatches(expected, failure.actualVersion)) throw new ConcurrencyError(streamId, expected, failure.actualVersion);
            continue;
          case 'unavailable':
          case 'too-large':
            this.#head = undefined;
            throw failure.error;
          case 'other':
            this.#head = undefined;
            throw failure.error;
        }
      }
      this.#head = { revision: head.revision === null ? 0n : head.revision + 1n, position: result.lastPosition, hash: prevHash, recordedAt };
      this.#emitter.emit('appended', result.lastPosition);
      return result;
    }
    throw new EventStoreUnavailableError(`the log head kept moving: ${MAX_HEAD_RETRIES} attempts to append to ${streamId} failed`);
  }

  async #readHead(): Promise<LogHead> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.head, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const event = resolved.event;
        if (!event) continue;
        const data = event.data as { position?: unknown; hash?: unknown; recordedAt?: unknown };
        if (typeof data.position !== 'number' || typeof data.hash !== 'string' || typeof data.recordedAt !== 'string') {
          throw new MalformedStoredEventError(`log head event ${event.revision} is malformed`);
        }
        return { revision: event.revision, position: data.position, hash: data.hash, recordedAt: data.recordedAt };
      }
      return EMPTY_HEAD;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return EMPTY_HEAD;
      throw this.#mapped(error);
    }
  }

  async #streamVersion(streamId: string): Promise<number> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.server(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return revisionToVersion(resolved.event.revision);
      }
      return 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw this.#mapped(error);
    }
  }

  #mapped(error: unknown): unknown {
    return isUnavailable(error) ? new EventStoreUnavailableError(`KurrentDB is not reachable: ${(error as Error).message}`) : error;
  }

  async lookupIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.key(idempotencyKey), { direction: FORWARDS, fromRevision: START, maxCount: 1 })) {
        const data = resolved.event?.data as Partial<AppendResult> | undefined;
        if (!data) continue;
        return {
          streamId: String(data.streamId),
          nextExpectedVersion: Number(data.nextExpectedVersion),
          firstPosition: Number(data.firstPosition),
          lastPosition: Number(data.lastPosition),
          duplicate: true,
        };
      }
      return null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw this.#mapped(error);
    }
  }

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
    assertStreamId(streamId);
    const from = Math.max(1, options.fromVersion ?? 1);
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(this.#names.server(streamId), { direction: FORWARDS, fromRevision: versionToRevision(from) })) {
        if (resolved.event) events.push(toStoredEvent(resolved.event, streamId));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw this.#mapped(error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const limit = options.limit ?? 500;
    const out: StoredEvent[] = [];
    for await (const { event, allPosition } of this.#scan(options.after)) {
      if (options.recordedUpTo && event.recordedAt > options.recordedUpTo) break;
      if (allPosition) this.#remember(event.globalPosition, allPosition);
      if (options.streamScope && !(await this.#inScope(event.streamId, options.streamScope))) continue;
      out.push(event);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** verstetigt's events after `after` in $all order (= position order), from the nearest known $all position. */
  async *#scan(after: number): AsyncGenerator<StoredChainEvent> {
    const start = this.#nearest(after);
    try {
      const events = this.#client.readAll({
        direction: FORWARDS,
        fromPosition: start ?? START,
        filter: streamNameFilter({ regex: this.#names.eventStreamRegex }),
      });
      for await (const resolved of events) {
        const recorded = resolved.event;
        if (!recorded) continue;
        const streamId = this.#names.client(recorded.streamId);
        if (streamId === null) continue;
        const event = toStoredEvent(recorded, streamId);
        if (event.globalPosition <= after) continue;
        yield { event, allPosition: recorded.position };
      }
    } catch (error) {
      throw this.#mapped(error);
    }
  }

  #nearest(after: number): Position | undefined {
    let lo = 0;
    let hi = this.#index.length - 1;
    let found: Position | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.#index[mid]!.position <= after) {
        found = this.#index[mid]!.all;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  #remember(position: number, all: Position): void {
    const last = this.#index[this.#index.length - 1];
    if (last && position <= last.position) return;
    if (!last || position - last.position >= INDEX_EVERY) this.#index.push({ position, all });
  }

  async #inScope(streamId: string, scope: NonNullable<ReadAllOptions['streamScope']>): Promise<boolean> {
    if (!this.#firstData.has(streamId)) {
      const [first] = await this.readStream(streamId);
      if (this.#firstData.size > 10_000) this.#firstData.clear();
      this.#firstData.set(streamId, first?.data ?? null);
    }
    const data = this.#firstData.get(streamId);
    if (!data || !(scope.field in data)) return true;
    return scope.values.includes(String(data[scope.field]));
  }

  async *iterateAll(options: Partial<ReadAllOptions> & { batchSize?: number } = {}): AsyncGenerator<StoredEvent[]> {
    let after = options.after ?? 0;
    const limit = options.batchSize ?? options.limit ?? 1000;
    for (;;) {
      const batch = await this.readAll({ ...options, after, limit });
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.globalPosition;
      if (batch.length < limit) return;
    }
  }

  async headPosition(): Promise<number> {
    return (await this.#readHead()).position;
  }

  async waitForEvents(afterPosition: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return (await this.headPosition()) > afterPosition;
    // Subscribed first, then the head is read: an append between the two is seen by one of them.
    const subscription = this.#client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [this.#names.head] }) });
    try {
      return await new Promise<boolean>((resolve, reject) => {
        const finish = (value: boolean) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.#emitter.off('appended', onLocal);
          resolve(value);
        };
        const onAbort = () => finish(false);
        const onLocal = (last: number) => {
          if (last > afterPosition) finish(true);
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        signal?.addEventListener('abort', onAbort);
        this.#emitter.on('appended', onLocal);
        subscription.on('data', (resolved) => {
          const position = (resolved.event?.data as { position?: unknown } | undefined)?.position;
          if (typeof position === 'number' && position > afterPosition) finish(true);
        });
        subscription.on('error', (error) => {
          clearTimeout(timer);
          reject(this.#mapped(error));
        });
        this.headPosition().then((head) => {
          if (head > afterPosition) finish(true);
        }, reject);
      });
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  onAppended(listener: (lastPosition: number) => void): () => void {
    this.#emitter.on('appended', listener);
    return () => this.#emitter.off('appended', listener);
  }

  async verify(): Promise<VerifyReport> {
    // The head is read first and the walk stops there: appends during the walk are not counted.
    const head = await this.#readHead();
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    const fail = (position: number): VerifyReport => ({ ok: false, checked, firstBadPosition: position });
    try {
      for await (const batch of this.iterateAll({ batchSize: 1000 })) {
        for (const event of batch) {
          if (event.globalPosition > head.position) break;
          if (event.globalPosition !== expected) return fail(expected);
          if (event.prevHash !== prevHash) return fail(expected);
          if (eventHash(event) !== event.hash) return fail(expected);
          prevHash = event.hash;
          checked += 1;
          expected += 1;
        }
        if (batch[batch.length - 1]!.globalPosition >= head.position) break;
      }
    } catch (error) {
      // An event in a verstetigt stream without the adapter's metadata was written behind its back.
      if (error instanceof MalformedStoredEventError) return fail(expected);
      throw error;
    }
    if (checked !== head.position || prevHash !== head.hash) return fail(Math.min(checked, head.position) + 1);
    return { ok: true, checked, firstBadPosition: null };
  }
}

/** A KurrentDB event of event stream `streamId` as the contract's StoredEvent. */
export function toStoredEvent(
  recorded: { streamId: string; id: string; revision: bigint; type: string; data: unknown; metadata: unknown },
  streamId: string = recorded.streamId,
): StoredEvent {
  const chain = decodeMetadata(recorded.metadata);
  if (recorded.data === null || typeof recorded.data !== 'object' || Array.isArray(recorded.data) || recorded.data instanceof Uint8Array) {
    throw new InvalidEventError(`event ${recorded.id} in ${recorded.streamId} has no JSON object as data`);
  }
  return {
    eventId: recorded.id,
    streamId,
    streamVersion: revisionToVersion(recorded.revision),
    globalPosition: chain.globalPosition,
    type: recorded.type,
    schemaVersion: chain.schemaVersion,
    data: recorded.data as Record<string, unknown>,
    metadata: chain.metadata,
    recordedAt: chain.recordedAt,
    prevHash: chain.prevHash,
    hash: chain.hash,
  };
}
