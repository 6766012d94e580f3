// The event store contract through the EventStore interface alone, run on every store: the
// PostgreSQL store on embedded PGlite always and on PostgreSQL when TEST_DATABASE_URL is set, the
// KurrentDB store when KURRENTDB_URL is set. What only the SQL store has (triggers, the plpgsql
// append function, raw-SQL tampering) is in event-store-sql.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  InvalidEventError,
  InvalidStreamIdError,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '../../src/eventstore/index.js';
import { storeTargets, type OpenStore } from '../support/event-stores.js';

const ev = (n: number, type = 'Tested'): NewEvent => ({ type, schemaVersion: 1, data: { n, text: `event ${n}` } });

for (const target of storeTargets) {
  describe.skipIf(!target.available)(`event store contract on ${target.name}`, () => {
    let opened: OpenStore;
    let store: EventStore;

    beforeEach(async () => {
      opened = await target.open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.dispose();
    });

    describe('append and read', () => {
      it('stores events with 1-based stream versions, global positions, ids, hashes and metadata', async () => {
        const result = await store.append('grant-a', [ev(1), ev(2)], {
          expectedVersion: 'no-stream',
          metadata: { actor: { sub: 'u1', role: 'finance' }, correlationId: 'c1' },
        });
        expect(result).toEqual({ streamId: 'grant-a', nextExpectedVersion: 2, firstPosition: 1, lastPosition: 2, duplicate: false });
        const events = await store.readStream('grant-a');
        expect(events.map((e) => [e.streamVersion, e.globalPosition, e.type])).toEqual([
          [1, 1, 'Tested'],
          [2, 2, 'Tested'],
        ]);
        const first = events[0]!;
        expect(first.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(first.data).toEqual({ n: 1, text: 'event 1' });
        expect(first.metadata).toEqual({ actor: { sub: 'u1', role: 'finance' }, correlationId: 'c1' });
        expect(first.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(Math.abs(Date.parse(first.recordedAt) - Date.now())).toBeLessThan(60_000);
        expect(first.prevHash).toBe('0'.repeat(64));
        expect(events[1]!.prevHash).toBe(first.hash);
        expect(typeof first.globalPosition).toBe('number');
      });

      it('reads an unknown stream as empty and reads the global log in batches after a position', async () => {
        expect(await store.readStream('grant-none')).toEqual([]);
        await store.append('grant-a', [ev(1), ev(2)], { expectedVersion: 'any' });
        await store.append('position-b', [ev(3)], { expectedVersion: 'any' });
        await store.append('grant-a', [ev(4)], { expectedVersion: 2 });
        const batch = await store.readAll({ after: 1, limit: 2 });
        expect(batch.map((e) => e.globalPosition)).toEqual([2, 3]);
        const all: StoredEvent[] = [];
        for await (const b of store.iterateAll({ batchSize: 3 })) all.push(...b);
        expect(all.map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
        expect(await store.headPosition()).toBe(4);
        expect((await store.readStream('grant-a', { fromVersion: 3 })).map((e) => e.data.n)).toEqual([4]);
      });

      it('keeps recordedAt non-decreasing along the global order', async () => {
        for (let i = 0; i < 20; i++) await store.append(`grant-${i % 3}`, [ev(i)], { expectedVersion: 'any' });
        const all = await store.readAll({ after: 0, limit: 100 });
        for (let i = 1; i < all.length; i++) expect(all[i]!.recordedAt >= all[i - 1]!.recordedAt).toBe(true);
        const cut = all[9]!.recordedAt;
        const upTo = await store.readAll({ after: 0, limit: 100, recordedUpTo: cut });
        expect(upTo.every((e) => e.recordedAt <= cut)).toBe(true);
        expect(upTo.length).toBeGreaterThanOrEqual(10);
      });
    });

    describe('expected version', () => {
      it('no-stream: accepts a new stream, refuses an existing one', async () => {
        await store.append('grant-a', [ev(1)], { expectedVersion: 'no-stream' });
        const error = await store.append('grant-a', [ev(2)], { expectedVersion: 'no-stream' }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: 'grant-a', expected: 'no-stream', actual: 1 });
      });

      it('exists: refuses a new stream, accepts an existing one', async () => {
        const error = await store.append('grant-a', [ev(1)], { expectedVersion: 'exists' }).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expected: 'exists', actual: 0 });
        await store.append('grant-a', [ev(1)], { expectedVersion: 'any' });
        await expect(store.append('grant-a', [ev(2)], { expectedVersion: 'exists' })).resolves.toMatchObject({
          nextExpectedVersion: 2,
        });
      });

      it('a number: accepts the current version only, and 0 means no events', async () => {
        await store.append('grant-a', [ev(1)], { expectedVersion: 0 });
        await store.append('grant-a', [ev(2)], { expectedVersion: 1 });
        for (const stale of [0, 1, 3]) {
          const error = await store.append('grant-a', [ev(9)], { expectedVersion: stale }).catch((e) => e);
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({ expected: stale, actual: 2 });
        }
        expect((await store.readStream('grant-a')).length).toBe(2);
        expect(await store.headPosition()).toBe(2);
      });

      it('any: always appends', async () => {
        await store.append('grant-a', [ev(1)], { expectedVersion: 'any' });
        await store.append('grant-a', [ev(2)], { expectedVersion: 'any' });
        expect((await store.readStream('grant-a')).map((e) => e.streamVersion)).toEqual([1, 2]);
      });

      it('concurrent appends: a conflict fails only that append (inside one group commit on SQL)', async () => {
        await store.append('grant-a', [ev(0)], { expectedVersion: 'no-stream' });
        const outcomes = await Promise.allSettled([
          store.append('grant-a', [ev(1)], { expectedVersion: 1 }),
          store.append('grant-a', [ev(2)], { expectedVersion: 1 }),
          store.append('grant-b', [ev(3)], { expectedVersion: 'no-stream' }),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        expect((await store.readStream('grant-a')).map((e) => e.data.n)).toEqual([0, 1]);
        expect((await store.verify()).ok).toBe(true);
      });
    });

    describe('atomicity and input checks', () => {
      it('a batch with one bad event stores nothing', async () => {
        await store.append('grant-a', [ev(1)], { expectedVersion: 'any' });
        const bad: NewEvent[] = [ev(2), { type: 'Tested', schemaVersion: 1, data: { text: 'a\u0000b' } }, ev(3)];
        await expect(store.append('grant-a', bad, { expectedVersion: 1 })).rejects.toBeInstanceOf(InvalidEventError);
        const notJson: NewEvent[] = [ev(2), { type: 'Tested', schemaVersion: 1, data: { n: 2 ** 60 } }];
        await expect(store.append('grant-a', notJson, { expectedVersion: 1 })).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store.append('grant-a', [], { expectedVersion: 1 })).rejects.toBeInstanceOf(InvalidEventError);
        await expect(
          store.append('grant-a', [ev(2), { type: 'bad type!', schemaVersion: 1, data: {} }], { expectedVersion: 1 }),
        ).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.headPosition()).toBe(1);
        expect((await store.readAll({ after: 0 })).length).toBe(1);
      });

      it('refuses stream ids outside <kind>-<id> and 1–200 characters of [A-Za-z0-9_.:-]', async () => {
        for (const id of ['', 'grant', 'grant-', '-abc', 'grant a-1', 'grant-ä', "grant-1'; drop table events;--", `grant-${'x'.repeat(195)}`]) {
          await expect(store.append(id, [ev(1)], { expectedVersion: 'any' })).rejects.toBeInstanceOf(InvalidStreamIdError);
        }
        await expect(store.readStream('no kind')).rejects.toBeInstanceOf(InvalidStreamIdError);
        await store.append(`grant-${'x'.repeat(194)}`, [ev(1)], { expectedVersion: 'any' });
        await store.append('programme-bildung-integriert', [ev(2)], { expectedVersion: 'any' });
        await store.append('position-0190b2f8-6c1e-7000-8000-000000000001:a.b_c', [ev(3)], { expectedVersion: 'any' });
        expect(await store.headPosition()).toBe(3);
      });
    });

    describe('idempotency', () => {
      it('a repeated idempotency key returns the first result and stores nothing new', async () => {
        const metadata = { idempotencyKey: 'k-1' };
        const first = await store.append('grant-a', [ev(1), ev(2)], { expectedVersion: 'no-stream', metadata });
        // Even with an expected version that would now conflict, the key wins: same result, no write.
        const again = await store.append('grant-a', [ev(1), ev(2)], { expectedVersion: 'no-stream', metadata });
        expect(again).toEqual({ ...first, duplicate: true });
        expect(await store.lookupIdempotencyKey('k-1')).toEqual({ ...first, duplicate: true });
        expect(await store.lookupIdempotencyKey('k-unknown')).toBeNull();
        const concurrent = await Promise.all([
          store.append('grant-b', [ev(3)], { expectedVersion: 'any', metadata: { idempotencyKey: 'k-2' } }),
          store.append('grant-b', [ev(3)], { expectedVersion: 'any', metadata: { idempotencyKey: 'k-2' } }),
        ]);
        expect(concurrent[1]).toEqual({ ...concurrent[0], duplicate: true });
        expect(await store.headPosition()).toBe(3);
        expect((await store.readStream('grant-a'))[0]!.metadata.idempotencyKey).toBe('k-1');
      });
    });

    describe('global order under concurrency', () => {
      it('a reader catching up during many concurrent writers on several connections sees exactly the final log, in order', async () => {
        // Several store instances = several writers, as several processes would be (on PostgreSQL
        // they run side by side on different pool connections; PGlite takes turns on its one).
        const writers = Array.from({ length: 8 }, () => opened.another());
        const perWriter = target.name === 'pglite' ? 25 : 60;
        let writing = true;
        const seen: number[] = [];
        const reader = (async () => {
          let after = 0;
          for (;;) {
            const done = !writing;
            const batch = await store.readAll({ after, limit: 50 });
            for (const e of batch) seen.push(e.globalPosition);
            if (batch.length > 0) after = batch[batch.length - 1]!.globalPosition;
            else if (done) return;
          }
        })();
        await Promise.all(
          writers.map(async (writer, w) => {
            for (let i = 0; i < perWriter; i++) {
              // Mixed sizes so transactions take different times.
              const events = Array.from({ length: 1 + ((i + w) % 3) }, (_, k) => ev(i * 10 + k));
              await writer.append(`grant-w${w}-${i % 4}`, events, { expectedVersion: 'any' });
            }
          }),
        );
        writing = false;
        await reader;
        const final: number[] = [];
        for await (const b of store.iterateAll()) final.push(...b.map((e) => e.globalPosition));
        expect(seen).toEqual(final);
        expect(final).toEqual(Array.from({ length: final.length }, (_, i) => i + 1));
        expect(await store.verify()).toMatchObject({ ok: true, checked: final.length });
      });
    });

    describe('verify while writing', () => {
      it('verify reports an intact chain while appends keep arriving', async () => {
        let writing = true;
        const writer = (async () => {
          for (let i = 0; writing; i++) await store.append(`grant-v${i % 5}`, [ev(i)], { expectedVersion: 'any' });
        })();
        for (let i = 0; i < 10; i++) {
          await store.append('grant-x', [ev(i)], { expectedVersion: 'any' });
          expect(await store.verify()).toMatchObject({ ok: true, firstBadPosition: null });
        }
        writing = false;
        await writer;
      });
    });

    describe('waiting and notification', () => {
      it('waitForEvents resolves when an event arrives and times out otherwise', async () => {
        expect(await store.waitForEvents(0, 50)).toBe(false);
        const waiting = store.waitForEvents(0, 5000);
        const seen: number[] = [];
        const off = store.onAppended((p) => seen.push(p));
        await store.append('grant-a', [ev(1)], { expectedVersion: 'any' });
        expect(await waiting).toBe(true);
        expect(seen).toEqual([1]);
        off();
      });
    });

    describe('chain', () => {
      it('an intact log of many appends verifies', async () => {
        for (let i = 1; i <= 12; i++) await store.append(`grant-${i % 3}`, [ev(i)], { expectedVersion: 'any' });
        expect(await store.verify()).toEqual({ ok: true, checked: 12, firstBadPosition: null });
      });
    });
  });
}
