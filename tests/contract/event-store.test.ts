// The event store contract, run on every driver: embedded PGlite always, PostgreSQL when
// TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import {
  ConcurrencyError,
  InvalidEventError,
  InvalidStreamIdError,
  PostgresEventStore,
  type NewEvent,
  type StoredEvent,
} from '../../src/eventstore/index.js';
import { driverAvailable, drivers, type TestDatabase } from '../support/databases.js';

const ev = (n: number, type = 'Tested'): NewEvent => ({ type, schemaVersion: 1, data: { n, text: `event ${n}` } });

/** Raw SQL tampering: the append-only trigger has to be switched off deliberately first. */
async function tamper(database: TestDatabase, statement: ReturnType<typeof sql>) {
  await sql`alter table events disable trigger user`.execute(database.db);
  await statement.execute(database.db);
  await sql`alter table events enable trigger user`.execute(database.db);
}

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`event store on ${driver.name}`, () => {
    let database: TestDatabase;
    let store: PostgresEventStore;

    beforeEach(async () => {
      database = await driver.open();
      store = new PostgresEventStore(database.db);
    });
    afterEach(async () => {
      await database.dispose();
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

      it('a conflict inside a group commit fails only that append', async () => {
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

      it('a database failure half-way through a transaction leaves nothing behind', async () => {
        // Make the second row of the batch collide with the unique event id after the first was written.
        await sql`create function fail_second() returns trigger language plpgsql as $$
                  begin if new.global_position = 2 then raise exception 'injected failure'; end if; return new; end $$`.execute(
          database.db,
        );
        await sql`create trigger fail_second before insert on events for each row execute function fail_second()`.execute(
          database.db,
        );
        await expect(store.append('grant-a', [ev(1), ev(2), ev(3)], { expectedVersion: 'any' })).rejects.toThrow(/injected failure/);
        expect(await store.headPosition()).toBe(0);
        expect(await store.readAll({ after: 0 })).toEqual([]);
        await sql`drop trigger fail_second on events`.execute(database.db);
        await store.append('grant-a', [ev(1)], { expectedVersion: 'no-stream' });
        expect(await store.verify()).toEqual({ ok: true, checked: 1, firstBadPosition: null });
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
        // Several store instances = several flushers, so transactions really run side by side on
        // different pool connections (with PGlite they take turns on its single connection).
        const writers = Array.from({ length: 8 }, () => new PostgresEventStore(database.db));
        const perWriter = driver.name === 'postgres' ? 60 : 25;
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

    describe('verify while writing, and repeated attempts', () => {
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

      it('an event inserted behind the head by raw SQL is reported', async () => {
        await store.append('grant-a', [ev(1)], { expectedVersion: 'any' });
        const [last] = await store.readAll({ after: 0 });
        await sql`insert into events select global_position + 1, stream_id, 2, gen_random_uuid(), type, schema_version,
                  data, metadata, recorded_at, hash, hash from events where global_position = ${last!.globalPosition}`.execute(database.db);
        expect(await store.verify()).toEqual({ ok: false, checked: 1, firstBadPosition: 2 });
      });

      it('a group sent again after its answer was lost is answered as a duplicate, not stored twice', async () => {
        const group = JSON.stringify([
          { stream: 'grant-r', expected: 'no-stream', key: null, metadata: {}, events: [
            { id: '0190b2f8-6c1e-7000-8000-0000000000a1', type: 'Tested', schemaVersion: 1, data: { n: 1 }, digest: 'ab'.repeat(32) },
            { id: '0190b2f8-6c1e-7000-8000-0000000000a2', type: 'Tested', schemaVersion: 1, data: { n: 2 }, digest: 'ab'.repeat(32) },
          ] },
        ]);
        const first = (await sql<{ r: { outcomes: unknown[] } }>`select verstetigt_append(${group}::jsonb) as r`.execute(database.db)).rows[0]!.r;
        const again = (await sql<{ r: { outcomes: unknown[] } }>`select verstetigt_append(${group}::jsonb) as r`.execute(database.db)).rows[0]!.r;
        expect(first.outcomes).toEqual([{ status: 'ok', first: 1, last: 2, version: 2 }]);
        expect(again.outcomes).toEqual([{ status: 'duplicate', stream: 'grant-r', first: 1, last: 2, version: 2 }]);
        expect(await store.headPosition()).toBe(2);
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

    describe('tamper evidence', () => {
      beforeEach(async () => {
        for (let i = 1; i <= 12; i++) await store.append(`grant-${i % 3}`, [ev(i)], { expectedVersion: 'any' });
      });

      it('an intact log verifies', async () => {
        expect(await store.verify()).toEqual({ ok: true, checked: 12, firstBadPosition: null });
      });

      it('the append-only trigger refuses UPDATE and DELETE', async () => {
        await expect(sql`update events set data = '{}' where global_position = 1`.execute(database.db)).rejects.toThrow(
          /append-only/,
        );
        await expect(sql`delete from events where global_position = 1`.execute(database.db)).rejects.toThrow(/append-only/);
      });

      it('detects an UPDATE of one event’s data', async () => {
        await tamper(database, sql`update events set data = '{"n": 5, "text": "changed"}' where global_position = 5`);
        expect(await store.verify()).toEqual({ ok: false, checked: 4, firstBadPosition: 5 });
      });

      it('detects an UPDATE of metadata or recorded_at', async () => {
        await tamper(database, sql`update events set recorded_at = recorded_at - interval '1 day' where global_position = 7`);
        expect(await store.verify()).toMatchObject({ ok: false, firstBadPosition: 7 });
      });

      it('detects a DELETE of one event', async () => {
        await tamper(database, sql`delete from events where global_position = 6`);
        expect(await store.verify()).toEqual({ ok: false, checked: 5, firstBadPosition: 6 });
      });

      it('detects a DELETE of the last event', async () => {
        await tamper(database, sql`delete from events where global_position = 12`);
        expect(await store.verify()).toEqual({ ok: false, checked: 11, firstBadPosition: 12 });
      });

      it('detects a swap of two events', async () => {
        await tamper(
          database,
          sql`update events set global_position = case global_position when 3 then -9 when 9 then -3 end
              where global_position in (3, 9)`,
        );
        await tamper(database, sql`update events set global_position = -global_position where global_position < 0`
        );
        expect(await store.verify()).toEqual({ ok: false, checked: 2, firstBadPosition: 3 });
      });

      it('detects a swap of two events’ contents with rehashing by someone without the chain', async () => {
        // Swap data and recompute nothing: the hashes no longer match.
        await tamper(
          database,
          sql`update events e set data = o.data from events o
              where (e.global_position, o.global_position) in ((4, 10), (10, 4))`,
        );
        expect(await store.verify()).toMatchObject({ ok: false, firstBadPosition: 4 });
      });
    });
  });
}

describe('embedded PGlite on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verstetigt-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a store closed and reopened from its directory still holds every event and verifies', async () => {
    const first = await openDatabase({ dataDir: dir });
    const store = new PostgresEventStore(first.db);
    for (let i = 1; i <= 30; i++) await store.append(`grant-${i % 4}`, [ev(i)], { expectedVersion: 'any' });
    const before = await store.readAll({ after: 0, limit: 100 });
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    const reopened = new PostgresEventStore(second.db);
    expect(await reopened.readAll({ after: 0, limit: 100 })).toEqual(before);
    expect(await reopened.verify()).toEqual({ ok: true, checked: 30, firstBadPosition: null });
    await reopened.append('grant-0', [ev(31)], { expectedVersion: 7 });
    expect(await reopened.verify()).toEqual({ ok: true, checked: 31, firstBadPosition: null });
    await second.close();
  });
});
