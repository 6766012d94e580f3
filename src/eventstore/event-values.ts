// What every event store refuses before it touches its server: stream ids, event types, schema
// versions, expected versions and values jsonb cannot hold. One copy for PostgreSQL and KurrentDB,
// so both stores refuse the same input with the same InvalidEventError/InvalidStreamIdError.
import { InvalidEventError, InvalidStreamIdError } from './errors.js';
import type { AppendOptions, EventMetadata, ExpectedVersion, NewEvent } from './types.js';

const STREAM_ID = /^[A-Za-z][A-Za-z0-9_.:]*-[A-Za-z0-9_.:-]+$/;
/** A UTF-16 surrogate not part of a pair: not text, and jsonb refuses it. */
const LONE_SURROGATE = /\p{Cs}/u;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.]{0,99}$/;

/** Refuses a stream id outside `<kind>-<id>`, 1–200 characters of [A-Za-z0-9_.:-]. */
export function assertStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length > 200 || !STREAM_ID.test(streamId)) {
    throw new InvalidStreamIdError(String(streamId));
  }
}

/**
 * Refuses an append that can never be stored: a bad stream id, no events or a bad one, a bad
 * expected version, or metadata that is not plain JSON (the checks below, in this order).
 */
export function assertAppend(streamId: unknown, events: unknown, options: AppendOptions): void {
  assertStreamId(streamId);
  assertEvents(events);
  assertExpectedVersion(options.expectedVersion);
  assertPlainJson(options.metadata ?? {}, 'metadata');
}

/** The idempotency key of an append's metadata, or null when it has none. */
export function idempotencyKeyOf(metadata: EventMetadata): string | null {
  return typeof metadata.idempotencyKey === 'string' ? metadata.idempotencyKey : null;
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
