// The mapping between the EventStore contract and KurrentDB (pure; unit-tested without a server):
// stream versions and revisions, expected versions, the metadata that carries each event's global
// position and hashes, the server-side stream names, and the client's errors.
//
// Stream versions are revisions + 1 (version 1 is revision 0).
import { NO_STREAM, STREAM_EXISTS, ANY, isCommandError, type AppendStreamState, type CurrentStreamState } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, InvalidEventError } from './errors.js';
import { GENESIS_HASH, sha256Hex } from './hash.js';
import type { EventMetadata, ExpectedVersion, StoredEvent } from './types.js';

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

/** The log-head event: where the log ends after an append. */
export interface LogHead {
  /** Revision of the head stream's last event; null before the first append. */
  revision: bigint | null;
  position: number;
  hash: string;
  recordedAt: string;
}

/** The head of a log without events. */
export const EMPTY_HEAD: LogHead = { revision: null, position: 0, hash: GENESIS_HASH, recordedAt: '1970-01-01T00:00:00.000Z' };

/** True for the client's errors that mean "the server did not answer" (not a verdict on the request). */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !isCommandError(error)) return false;
  return ['unavailable', 'deadline-exceeded', 'cancelled', 'not-leader', 'timeout'].includes(String(error.type));
}

/** `error`, or EventStoreUnavailableError (503) when it means the server did not answer. */
export function unavailableOr(error: unknown): unknown {
  return isUnavailable(error) ? new EventStoreUnavailableError(`KurrentDB is not reachable: ${(error as Error).message}`) : error;
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
