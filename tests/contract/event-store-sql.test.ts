// What only the SQL event store has, on embedded PGlite always and on PostgreSQL when
// TEST_DATABASE_URL is set: the append-only trigger, the plpgsql append function, a failure inside
// its transaction, raw-SQL tampering that verify must find, and PGlite on disk. The contract every
// store keeps is in event-store.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore, type NewEvent } from '../../src/eventstore/index.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';

const ev = (n: number, type = 'Tested'): NewEvent => ({ type, schemaVersion: 1, data: { n, text: `event ${n}` } });

/** Raw SQL tampering: the append-only trigger has to be switched off deliberately first. */
async function tamper(database: TestDatabase, statement: ReturnType<typeof sql>) {
  await sql`alter table events disable trigger user`.execute(database.db);
  await statement.execute(database.db);
  await sql`alter table events enable trigger user`.execute(database.db);
}

describeEachDatabase('SQL event store', (suite) => {
  let store: PostgresEventStore;

  beforeEach(async () => {
    store = new PostgresEventStore(suite.database.db);
  });

  describe('transactions', () => {
    it('a database failure half-way through a transaction leaves nothing behind', async () => {
      // Make the second row of the batch collide with the unique event id after the first was written.
      await sql`create function fail_second() returns trigger language plpgsql as $$
                begin if new.global_position = 2 then raise exception 'injected failure'; end if; return new; end $$`.execute(
        suite.database.db,
      );
      await sql`create trigger fail_second before insert on events for each row execute function fail_second()`.execute(
        suite.database.db,
      );
      await expect(store.append('grant-a', [ev(1), ev(2), ev(3)], { expectedVersion: 'any' })).rejects.toThrow(/injected failure/);
      expect(await store.headPosition()).toBe(0);
      expect(await store.readAll({ after: 0 })).toEqual([]);
      await sql`drop trigger fail_second on events`.execute(suite.database.db);
      await store.append('grant-a', [ev(1)], { expectedVersion: 'no-stream' });
      expect(await store.verify()).toEqual({ ok: true, checked: 1, firstBadPosition: null });
    });
  });

  describe('behind the store’s back, and repeated attempts', () => {
    it('an event inserted behind the head by raw SQL is reported', async () => {
      await store.append('grant-a', [ev(1)], { expectedVersion: 'any' });
      const [last] = await store.readAll({ after: 0 });
      await sql`insert into events select global_position + 1, stream_id, 2, gen_random_uuid(), type, schema_version,
                data, metadata, recorded_at, hash, hash from events where global_position = ${last!.globalPosition}`.execute(suite.database.db);
      expect(await store.verify()).toEqual({ ok: false, checked: 1, firstBadPosition: 2 });
    });

    it('a group sent again after its answer was lost is answered as a duplicate, not stored twice', async () => {
      const group = JSON.stringify([
        { stream: 'grant-r', expected: 'no-stream', key: null, metadata: {}, events: [
          { id: '0190b2f8-6c1e-7000-8000-0000000000a1', type: 'Tested', schemaVersion: 1, data: { n: 1 }, digest: 'ab'.repeat(32) },
          { id: '0190b2f8-6c1e-7000-8000-0000000000a2', type: 'Tested', schemaVersion: 1, data: { n: 2 }, digest: 'ab'.repeat(32) },
        ] },
      ]);
      const first = (await sql<{ r: { outcomes: unknown[] } }>`select verstetigt_append(${group}::jsonb) as r`.execute(suite.database.db)).rows[0]!.r;
      const again = (await sql<{ r: { outcomes: unknown[] } }>`select verstetigt_append(${group}::jsonb) as r`.execute(suite.database.db)).rows[0]!.r;
      expect(first.outcomes).toEqual([{ status: 'ok', first: 1, last: 2, version: 2 }]);
      expect(again.outcomes).toEqual([{ status: 'duplicate', stream: 'grant-r', first: 1, last: 2, version: 2 }]);
      expect(await store.headPosition()).toBe(2);
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
      await expect(sql`update events set data = '{}' where global_position = 1`.execute(suite.database.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from events where global_position = 1`.execute(suite.database.db)).rejects.toThrow(/append-only/);
    });

    it('detects an UPDATE of one event’s data', async () => {
      await tamper(suite.database, sql`update events set data = '{"n": 5, "text": "changed"}' where global_position = 5`);
      expect(await store.verify()).toEqual({ ok: false, checked: 4, firstBadPosition: 5 });
    });

    it('detects an UPDATE of metadata or recorded_at', async () => {
      await tamper(suite.database, sql`update events set recorded_at = recorded_at - interval '1 day' where global_position = 7`);
      expect(await store.verify()).toMatchObject({ ok: false, firstBadPosition: 7 });
    });

    it('detects a DELETE of one event', async () => {
      await tamper(suite.database, sql`delete from events where global_position = 6`);
      expect(await store.verify()).toEqual({ ok: false, checked: 5, firstBadPosition: 6 });
    });

    it('detects a DELETE of the last event', async () => {
      await tamper(suite.database, sql`delete from events where global_position = 12`);
      expect(await store.verify()).toEqual({ ok: false, checked: 11, firstBadPosition: 12 });
    });

    it('detects a swap of two events', async () => {
      await tamper(
        suite.database,
        sql`update events set global_position = case global_position when 3 then -9 when 9 then -3 end
            where global_position in (3, 9)`,
      );
      await tamper(suite.database, sql`update events set global_position = -global_position where global_position < 0`
      );
      expect(await store.verify()).toEqual({ ok: false, checked: 2, firstBadPosition: 3 });
    });

    it('detects a swap of two events’ contents with rehashing by someone without the chain', async () => {
      // Swap data and recompute nothing: the hashes no longer match.
      await tamper(
        suite.database,
        sql`update events e set data = o.data from events o
            where (e.global_position, o.global_position) in ((4, 10), (10, 4))`,
      );
      expect(await store.verify()).toMatchObject({ ok: false, firstBadPosition: 4 });
    });
  });
});

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
