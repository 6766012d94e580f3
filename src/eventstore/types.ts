// The contract of verstetigt's event log: one append-only, hash-chained, globally ordered log of
// streams. PostgreSQL (and PGlite) implement it in postgres-event-store.ts, KurrentDB in
// kurrentdb-event-store.ts (stream versions are revisions + 1; the global positions are the
// adapter's own, carried in each event's metadata).

/** Who recorded an event, as taken from the verified token. */
export interface Actor {
  sub: string;
  role: string;
}

/** Metadata stored with every event. Never holds personal names or request bodies. */
export interface EventMetadata {
  actor?: Actor;
  correlationId?: string;
  causationId?: string;
  idempotencyKey?: string;
  /**
   * A digest of the request the key was sent with; a stored key with another fingerprint refuses
   * the append (IdempotencyKeyConflictError) instead of answering with the first result.
   */
  requestFingerprint?: string;
  requestId?: string;
  [key: string]: unknown;
}

/** An event before it is stored. `data` must be plain JSON (no NUL characters, no non-finite numbers). */
export interface NewEvent {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

/** An event as the log holds it. Versions are 1-based: the first event of a stream has version 1. */
export interface StoredEvent {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** ISO 8601 instant in UTC with milliseconds, taken from the database clock. */
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/**
 * What the caller expects of the stream before the append:
 * a number — the stream's current version (0 means no events, same as "no-stream");
 * "no-stream" — the stream has no events; "exists" — it has at least one; "any" — no check.
 */
export type ExpectedVersion = number | 'no-stream' | 'exists' | 'any';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  metadata?: EventMetadata;
}

/** The outcome of an append. `duplicate` is true when the idempotency key was already stored. */
export interface AppendResult {
  streamId: string;
  /** The stream's version after the append (the version of its last event). */
  nextExpectedVersion: number;
  firstPosition: number;
  lastPosition: number;
  duplicate: boolean;
  /** lookupIdempotencyKey only: the fingerprint the key was stored with, when there is one. */
  requestFingerprint?: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  firstBadPosition: number | null;
}

export interface ReadAllOptions {
  /** Read events with globalPosition strictly greater than this (0 reads from the start). */
  after: number;
  /** At most this many events (default 500). */
  limit?: number;
  /** Only events recorded at or before this ISO instant. */
  recordedUpTo?: string;
  /**
   * Only events of streams whose first event's data has `field` equal to one of `values`, or has no
   * `field` at all (streams shared by everyone). Used to scope an auditor to their municipalities.
   */
  streamScope?: { field: string; values: readonly string[] };
}

export interface EventStore {
  /**
   * Appends `events` to `streamId` atomically: either all are stored, with consecutive stream
   * versions and consecutive global positions, or none is. Throws ConcurrencyError (storing
   * nothing) when the stream's version does not match `expectedVersion`, InvalidStreamIdError or
   * InvalidEventError for input that can never be stored. When `metadata.idempotencyKey` was
   * already stored, stores nothing and returns the original result with `duplicate: true` — or,
   * when it was stored with another `metadata.requestFingerprint`, throws IdempotencyKeyConflictError.
   */
  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /**
   * The result of the append stored under `idempotencyKey` (with `duplicate: true`), or null.
   * Lets a command handler answer a repeated request before deciding again.
   */
  lookupIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null>;

  /** All events of one stream in version order, from `fromVersion` (default 1). Empty when none. */
  readStream(streamId: string, options?: { fromVersion?: number }): Promise<StoredEvent[]>;

  /**
   * One batch of the global log in position order. A reader that has seen position P never
   * later finds a new event at a position below P: positions become visible in order.
   */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;

  /** Iterates the whole global log (or the part after `after`) in batches, in constant memory. */
  iterateAll(options?: Partial<ReadAllOptions> & { batchSize?: number }): AsyncGenerator<StoredEvent[]>;

  /** The position of the last stored event (0 when the log is empty). */
  headPosition(): Promise<number>;

  /**
   * Resolves true as soon as the log holds an event after `afterPosition`, false after
   * `timeoutMs` without one (or when `signal` aborts).
   */
  waitForEvents(afterPosition: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;

  /** Registers a callback called after every append in this process; returns the unsubscribe. */
  onAppended(listener: (lastPosition: number) => void): () => void;

  /**
   * Walks the whole log in position order, in constant memory, recomputing every hash and the
   * chain. `firstBadPosition` is the lowest position whose event is missing, altered or out of
   * place; null when the chain is intact.
   */
  verify(): Promise<VerifyReport>;
}
