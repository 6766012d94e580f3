// The KurrentDB adapter's mapping code, without a server: versions and revisions, expected
// versions, the metadata that carries position and hashes, the hash chain it writes, the error
// classification and the server-side stream names.
import {
  ANY,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, EventStoreUnavailableError, GENESIS_HASH, InvalidEventError, eventHash } from '../../src/eventstore/index.js';
import {
  LOG_HEAD_STREAM,
  MalformedStoredEventError,
  StreamNames,
  currentVersion,
  decodeMetadata,
  encodeMetadata,
  exactState,
  expectedState,
  idempotencyStream,
  revisionToVersion,
  toStoredEvent,
  versionToRevision,
} from '../../src/eventstore/kurrentdb-mapping.js';
import { chainEvents, classifyAppendError, nextRecordedAt } from '../../src/eventstore/kurrentdb-append.js';
import { isDatabaseUnavailable } from '../../src/http/index.js';

const wrongVersion = (streamName: string, current: bigint | typeof NO_STREAM) =>
  new WrongExpectedVersionError(undefined, { streamName, expected: 0n, current });

describe('stream versions and revisions', () => {
  it('version n is revision n − 1, both ways', () => {
    expect(versionToRevision(1)).toBe(0n);
    expect(versionToRevision(42)).toBe(41n);
    expect(revisionToVersion(0n)).toBe(1);
    expect(revisionToVersion(41n)).toBe(42);
    for (const v of [1, 2, 1000, Number.MAX_SAFE_INTEGER - 1]) expect(revisionToVersion(versionToRevision(v))).toBe(v);
  });

  it('refuses what has no counterpart', () => {
    expect(() => versionToRevision(0)).toThrow(RangeError);
    expect(() => versionToRevision(-1)).toThrow(RangeError);
    expect(() => versionToRevision(1.5)).toThrow(RangeError);
    expect(() => revisionToVersion(-1n)).toThrow(RangeError);
    expect(() => revisionToVersion(BigInt(Number.MAX_SAFE_INTEGER))).toThrow(RangeError);
  });

  it('no stream is version 0; a stream at revision r is at version r + 1', () => {
    expect(currentVersion(NO_STREAM)).toBe(0);
    expect(currentVersion(0n)).toBe(1);
    expect(currentVersion(9n)).toBe(10);
  });
});

describe('expected versions', () => {
  it('maps every form of the contract to the state KurrentDB checks', () => {
    expect(expectedState('no-stream')).toBe(NO_STREAM);
    expect(expectedState(0)).toBe(NO_STREAM);
    expect(expectedState('exists')).toBe(STREAM_EXISTS);
    expect(expectedState('any')).toBe(ANY);
    expect(expectedState(1)).toBe(0n);
    expect(expectedState(7)).toBe(6n);
  });

  it('an exact version becomes the revision the append is checked against', () => {
    expect(exactState(0)).toBe(NO_STREAM);
    expect(exactState(3)).toBe(2n);
  });
});

describe('metadata encoding', () => {
  const fields = {
    globalPosition: 17,
    prevHash: 'a'.repeat(64),
    hash: 'b'.repeat(64),
    recordedAt: '2026-11-27T09:00:00.123Z',
    schemaVersion: 2,
    metadata: { actor: { sub: 'u1', role: 'finance' }, idempotencyKey: 'k-1', requestId: 'r' },
  };

  it('holds only strings (what a multi-stream append accepts) and decodes to the same fields', () => {
    const encoded = encodeMetadata(fields);
    expect(Object.values(encoded).every((v) => typeof v === 'string')).toBe(true);
    expect(decodeMetadata(encoded)).toEqual(fields);
  });

  it('decodes the JSON bytes form as well', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(encodeMetadata(fields)));
    expect(decodeMetadata(bytes)).toEqual(fields);
  });

  it('refuses metadata the adapter did not write', () => {
    const encoded = encodeMetadata(fields);
    const without = (key: string) => Object.fromEntries(Object.entries(encoded).filter(([k]) => k !== key));
    for (const key of Object.keys(encoded)) expect(() => decodeMetadata(without(key)), key).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata({ ...encoded, 'verstetigt.position': '0' })).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata({ ...encoded, 'verstetigt.position': '1e3' })).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata({ ...encoded, 'verstetigt.schemaVersion': '-1' })).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata({ ...encoded, 'verstetigt.metadata': '[1]' })).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata({ ...encoded, 'verstetigt.metadata': '{' })).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata(new TextEncoder().encode('not json'))).toThrow(MalformedStoredEventError);
    expect(() => decodeMetadata(null)).toThrow(MalformedStoredEventError);
  });
});

describe('the hash chain the adapter writes', () => {
  it('continues from the head, and verify() recomputes every hash from the stored fields', () => {
    const head = { position: 41, hash: 'c'.repeat(64) };
    const events = [
      { type: 'GrantAwarded', schemaVersion: 2, data: { amountCents: 100 } },
      { type: 'FundsDrawn', schemaVersion: 1, data: { amountCents: 50, drawnOn: '2026-01-02' } },
    ];
    const eventIds = ['0190b2f8-6c1e-7000-8000-000000000001', '0190b2f8-6c1e-7000-8000-000000000002'];
    const metadata = { actor: { sub: 'u1', role: 'finance' } };
    const { data, lastHash } = chainEvents({ head, streamId: 'grant-x', version: 3, events, eventIds, metadata, recordedAt: '2026-11-27T09:00:00.000Z' });
    // As KurrentDB gives them back: revision = version − 1, metadata as written.
    const stored = data.map((d, i) => toStoredEvent({ streamId: 'grant-x', id: d.id, revision: BigInt(3 + i), type: d.type, data: d.data, metadata: d.metadata }));
    expect(stored.map((e) => [e.globalPosition, e.streamVersion])).toEqual([
      [42, 4],
      [43, 5],
    ]);
    expect(stored[0]!.prevHash).toBe(head.hash);
    expect(stored[1]!.prevHash).toBe(stored[0]!.hash);
    expect(lastHash).toBe(stored[1]!.hash);
    for (const e of stored) expect(eventHash(e)).toBe(e.hash);
    expect(stored[0]!.metadata).toEqual(metadata);
    // Any field changed on the server breaks the recomputed hash.
    expect(eventHash({ ...stored[0]!, data: { amountCents: 101 } })).not.toBe(stored[0]!.hash);
    expect(eventHash({ ...stored[0]!, streamVersion: 5 })).not.toBe(stored[0]!.hash);
  });

  it('the first event of a log follows the genesis hash', () => {
    const { data } = chainEvents({
      head: { position: 0, hash: GENESIS_HASH },
      streamId: 'grant-a',
      version: 0,
      events: [{ type: 'Tested', schemaVersion: 1, data: {} }],
      eventIds: ['0190b2f8-6c1e-7000-8000-000000000003'],
      metadata: {},
      recordedAt: '2026-11-27T09:00:00.000Z',
    });
    expect(decodeMetadata(data[0]!.metadata)).toMatchObject({ globalPosition: 1, prevHash: GENESIS_HASH });
  });

  it('recordedAt never goes back behind the previous event', () => {
    expect(nextRecordedAt(new Date('2026-11-27T09:00:00.500Z'), '2026-11-27T09:00:00.000Z')).toBe('2026-11-27T09:00:00.500Z');
    expect(nextRecordedAt(new Date('2026-11-27T08:59:59.000Z'), '2026-11-27T09:00:00.000Z')).toBe('2026-11-27T09:00:00.000Z');
  });
});

describe('errors of a multi-stream append', () => {
  const keyStream = idempotencyStream('k-1');

  it('a moved log head means retry; an existing key stream a duplicate; a moved stream a conflict', () => {
    expect(classifyAppendError(wrongVersion(LOG_HEAD_STREAM, 5n), 'grant-a', keyStream)).toEqual({ kind: 'head-moved' });
    expect(classifyAppendError(wrongVersion(keyStream, 0n), 'grant-a', keyStream)).toEqual({ kind: 'duplicate-key' });
    expect(classifyAppendError(wrongVersion('grant-a', 2n), 'grant-a', keyStream)).toEqual({ kind: 'stream-moved', actualVersion: 3 });
    expect(classifyAppendError(wrongVersion('grant-a', NO_STREAM), 'grant-a', null)).toEqual({ kind: 'stream-moved', actualVersion: 0 });
    expect(classifyAppendError(wrongVersion('ns/verstetigt~log-head', 1n), 'ns/grant-a', null, 'ns/verstetigt~log-head')).toEqual({ kind: 'head-moved' });
    expect(classifyAppendError(wrongVersion('grant-other', 1n), 'grant-a', null).kind).toBe('other');
  });

  it('an unreachable server becomes EventStoreUnavailableError, which the HTTP layer answers with 503', () => {
    const failure = classifyAppendError(new UnavailableError(undefined, 'connection refused'), 'grant-a', null);
    expect(failure.kind).toBe('unavailable');
    const error = (failure as { error: unknown }).error;
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('an append over the server’s size limit can never be stored: InvalidEventError', () => {
    const failure = classifyAppendError(MaxAppendSizeExceededError.fromMaxAppendSize(1024), 'grant-a', null);
    expect(failure.kind).toBe('too-large');
    expect((failure as { error: unknown }).error).toBeInstanceOf(InvalidEventError);
  });

  it('anything else is passed on unchanged', () => {
    const boom = new Error('boom');
    expect(classifyAppendError(boom, 'grant-a', null)).toEqual({ kind: 'other', error: boom });
    expect(classifyAppendError(new ConcurrencyError('grant-a', 1, 2), 'grant-a', null).kind).toBe('other');
  });
});

describe('server-side stream names', () => {
  it('without a namespace, event streams keep their ids and bookkeeping streams are not event streams', () => {
    const names = new StreamNames();
    expect(names.server('grant-a')).toBe('grant-a');
    expect(names.client('grant-a')).toBe('grant-a');
    expect(names.client(names.head)).toBeNull();
    expect(names.client(names.key('k'))).toBeNull();
    expect(names.client('$stats-127.0.0.1:2113')).toBeNull();
    const regex = new RegExp(names.eventStreamRegex);
    expect(regex.test('grant-a')).toBe(true);
    expect(regex.test(names.head)).toBe(false);
    expect(regex.test('$et-GrantAwarded')).toBe(false);
  });

  it('a namespace keeps two logs on one server apart', () => {
    const a = new StreamNames('t.1');
    const b = new StreamNames('t-2');
    expect(a.server('grant-x')).toBe('t.1/grant-x');
    expect(a.client('t.1/grant-x')).toBe('grant-x');
    expect(a.client('t-2/grant-x')).toBeNull();
    expect(a.client('grant-x')).toBeNull();
    expect(a.head).not.toBe(b.head);
    expect(a.key('k')).not.toBe(b.key('k'));
    const regex = new RegExp(a.eventStreamRegex);
    expect(regex.test('t.1/grant-x')).toBe(true);
    expect(regex.test('tx1/grant-x')).toBe(false);
    expect(regex.test('t-2/grant-x')).toBe(false);
    expect(regex.test(a.head)).toBe(false);
    expect(() => new StreamNames('bad/ns')).toThrow(RangeError);
  });

  it('an idempotency key of any length maps to one fixed-length stream', () => {
    expect(idempotencyStream('k-1')).toMatch(/^verstetigt~idempotency-[0-9a-f]{64}$/);
    expect(idempotencyStream('x'.repeat(10_000))).toHaveLength('verstetigt~idempotency-'.length + 64);
    expect(idempotencyStream('k-1')).not.toBe(idempotencyStream('k-2'));
  });
});
