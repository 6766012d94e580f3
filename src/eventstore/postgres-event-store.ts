// The event store on PostgreSQL and PGlite (one SQL code path through Kysely).
//
// Ordering: every append transaction first locks the one-row event_log_head (an UPDATE), so appends
// are serialised across all connections and processes; positions are handed out under that lock
// and a transaction releases it only after its commit is visible. Hence commit order = position
// order, and a reader that has seen P never later finds a new event below P.
//
// Throughput: appends arriving while a transaction is in flight wait in a queue and are committed
// together in the next transaction (group commit): one statement (the verstetigt_append function),
// one lock, one fsync for the whole group.
//
// Tamper evidence: each event's hash covers its fields and the previous event's hash (hash.ts).
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { ConcurrencyError, IdempotencyKeyConflictError, InvalidEventError, InvalidStreamIdError } from './errors.js';
import { GENESIS_HASH, contentDigest, eventHash } from './hash.js';
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

const STREAM_ID = /^[A-Za-z][A-Za-z0-9_.:]*-[A-Za-z0-9_.:-]+$/;
/** A UTF-16 surrogate not part of a pair: not text, and jsonb refuses it. */
const LONE_SURROGATE = /\p{Cs}/u;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;
/** Appends committed together in one transaction at most. */
const MAX_GROUP = 256;
/** How often a waiting reader looks for events appended by other processes. */
const POLL_MS = 200;

/** Refuses a stream id outside `<kind>-<id>`, 1–200 characters of [A-Za-z0-9_.:-]. */
export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length > 200 || !STREAM_ID.test(streamId)) {
    throw new InvalidStreamIdError(String(streamId));
  }
}

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  /** Assigned once when the append is queued, so a repeated attempt is recognised as the same. */
  eventIds: string[];
  expectedVersion: ExpectedVersion;
  metadata: EventMetadata;
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

interface EventRow {
  global_position: string | number;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

const SELECT_EVENT = sql`global_position, stream_id, stream_version, event_id::text as event_id, type,
  schema_version, data, metadata,
  to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, prev_hash, hash`;

const SELECT_EVENT_E = sql`e.global_position, e.stream_id, e.stream_version, e.event_id::text as event_id, e.type,
  e.schema_version, e.data, e.metadata,
  to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, e.prev_hash, e.hash`;

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The PostgreSQL/PGlite implementation of EventStore. One instance per process is enough. */
export class PostgresEventStore implements EventStore {
  readonly #db: Db;
  readonly #queue: PendingAppend[] = [];
  #flushing = false;
  readonly #emitter = new EventEmitter();

  constructor(db: Db) {
    this.#db = db;
    this.#emitter.setMaxListeners(0);
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
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({
        streamId,
        events,
        eventIds: events.map(() => uuidv7()),
        expectedVersion: options.expectedVersion,
        metadata: options.metadata ?? {},
        resolve,
        reject,
      });
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
    if (last > 0) this.#emitter.emit('appended', last);
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
      key: typeof pending.metadata.idempotencyKey === 'string' ? pending.metadata.idempotencyKey : null,
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

  async lookupIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null> {
    const row = (
      await sql<{ stream_id: string; first_position: string; last_position: string; stream_version: number; fingerprint: string | null }>`
        select stream_id, first_position, last_position, stream_version, fingerprint
          from idempotency_keys where key = ${idempotencyKey}`.execute(this.#db)
    ).rows[0];
    if (!row) return null;
    return { ...idempotentResult(row), ...(row.fingerprint !== null ? { requestFingerprint: row.fingerprint } : {}) };
  }

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
    assertStreamId(streamId);
    const rows = (
      await sql<EventRow>`select ${SELECT_EVENT} from events
        where stream_id = ${streamId} and stream_version >= ${options.fromVersion ?? 1}
        order by stream_version`.execute(this.#db)
    ).rows;
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const limit = options.limit ?? 500;
    const upTo = options.recordedUpTo ? sql`and e.recorded_at <= ${options.recordedUpTo}::timestamptz` : sql``;
    // The scope's stream ids come first, from the first events (an index on the field for
    // stream_version = 1, see 0007-stream-scope-index); their events then by (stream id, version).
    // A stream whose first event lacks the field (or holds null) is shared and always in scope.
    let scope = sql``;
    if (options.streamScope) {
      const { field, values } = options.streamScope;
      if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(field)) throw new InvalidEventError(`invalid scope field ${JSON.stringify(field)}`);
      const key = sql.lit(field);
      scope = sql`and e.stream_id = any(array(select f.stream_id from events f where f.stream_version = 1
              and (f.data ->> ${key} = any(${[...values]}::text[]) or f.data ->> ${key} is null)))`;
    }
    const rows = (
      await sql<EventRow>`select ${SELECT_EVENT_E} from events e
        where e.global_position > ${options.after} ${upTo} ${scope}
        order by e.global_position limit ${limit}`.execute(this.#db)
    ).rows;
    return rows.map(toStoredEvent);
  }

  async *iterateAll(
    options: Partial<ReadAllOptions> & { batchSize?: number } = {},
  ): AsyncGenerator<StoredEvent[]> {
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
    const row = (await sql<{ position: string }>`select position from event_log_head where id = 1`.execute(this.#db))
      .rows[0];
    return Number(row?.position ?? 0);
  }

  async waitForEvents(afterPosition: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.headPosition()) > afterPosition) return true;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || signal?.aborted) return false;
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
    // The head is read first and the walk stops there: appends committed during the walk are not
    // counted, and cannot make an intact chain look broken.
    const head = await this.#head();
    let expected = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    const fail = (position: number): VerifyReport => ({ ok: false, checked, firstBadPosition: position });
    for await (const batch of this.iterateAll({ batchSize: 1000 })) {
      for (const event of batch) {
        if (event.globalPosition > head.position) break;
        // A gap means a deleted event; a wrong prevHash a reordered or inserted one; a wrong hash
        // an altered one. Each names the first position at which the chain breaks.
        if (event.globalPosition !== expected) return fail(expected);
        if (event.prevHash !== prevHash) return fail(expected);
        if (eventHash(event) !== event.hash) return fail(expected);
        prevHash = event.hash;
        checked += 1;
        expected += 1;
      }
      if (batch[batch.length - 1]!.globalPosition >= head.position) break;
    }
    // The head names the last event the store wrote: a log that ends early lost its tail.
    if (checked !== head.position || prevHash !== head.hash) return fail(Math.min(checked, head.position) + 1);
    // Every append moves the head in its own transaction, so (in one snapshot) no event may lie
    // beyond it: one that does was inserted behind the store's back.
    const beyond = (
      await sql<{ head: string; last: string | null }>`
        select (select position from event_log_head where id = 1) as head,
               (select max(global_position) from events) as last`.execute(this.#db)
    ).rows[0]!;
    if (beyond.last !== null && Number(beyond.last) > Number(beyond.head)) return fail(Number(beyond.head) + 1);
    return { ok: true, checked, firstBadPosition: null };
  }

  async #head(): Promise<{ position: number; hash: string }> {
    const row = (await sql<{ position: string; hash: string }>`select position, hash from event_log_head where id = 1`.execute(this.#db))
      .rows[0]!;
    return { position: Number(row.position), hash: row.hash };
  }
}

/** True when the database answered the statement with an error of its own, i.e. it rolled back. */
function rolledBack(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  // Class 08 (connection exception) and 57P0x (shutdown) leave the outcome unknown.
  return !code.startsWith('08') && !/^57P0/.test(code);
}

function idempotentResult(row: {
  stream_id: string;
  first_position: string | number;
  last_position: string | number;
  stream_version: number;
}): AppendResult {
  return {
    streamId: row.stream_id,
    nextExpectedVersion: Number(row.stream_version),
    firstPosition: Number(row.first_position),
    lastPosition: Number(row.last_position),
    duplicate: true,
  };
}

/** True when a stream at version `current` satisfies `expected`. */
export function versionMatches(expected: ExpectedVersion, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return current === 0;
    case 'exists':
      return current > 0;
    default:
      return current === expected;
  }
}

/** Refuses an expected version that is none of a non-negative integer, 'no-stream', 'exists' or 'any'. */
export function assertExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'any' || expected === 'no-stream' || expected === 'exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidEventError(`invalid expected version ${JSON.stringify(expected)}`);
}

/** Refuses an empty batch, a bad event type or schema version, and data that is not plain JSON. */
export function assertEvents(events: unknown): asserts events is NewEvent[] {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError('an append needs at least one event');
  }
  for (const event of events as NewEvent[]) {
    if (typeof event?.type !== 'string' || !EVENT_TYPE.test(event.type)) {
      throw new InvalidEventError(`invalid event type ${JSON.stringify(event?.type)}`);
    }
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new InvalidEventError(`event ${event.type}: schemaVersion must be a positive integer`);
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new InvalidEventError(`event ${event.type}: data must be a JSON object`);
    }
    assertPlainJson(event.data, `${event.type}.data`);
  }
}

/**
 * Refuses what jsonb cannot hold or would change: NUL characters, non-finite numbers, numbers past
 * 2^53 (they would not survive the round trip), and anything that is not plain JSON.
 */
export function assertPlainJson(value: unknown, path: string): void {
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new InvalidEventError(`${path}: text must not contain NUL characters`);
      if (LONE_SURROGATE.test(value)) throw new InvalidEventError(`${path}: text must not contain lone surrogates`);
      return;
    case 'number':
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        throw new InvalidEventError(`${path}: ${value} is not a storable number`);
      }
      return;
    case 'boolean':
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => assertPlainJson(item, `${path}[${i}]`));
        return;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new InvalidEventError(`${path}: only plain JSON objects can be stored`);
      }
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000') || LONE_SURROGATE.test(key)) throw new InvalidEventError(`${path}: keys must be well-formed text without NUL`);
        if (item !== undefined) assertPlainJson(item, `${path}.${key}`);
      }
      return;
    default:
      throw new InvalidEventError(`${path}: ${typeof value} cannot be stored as JSON`);
  }
}
