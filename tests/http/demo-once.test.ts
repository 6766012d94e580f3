// When the demo history is recorded: by default only on the embedded database, on PostgreSQL only
// with DEMO_DATA=1, only on a log without records of its own, and once even when two processes
// (here: two connection pools) start on one PostgreSQL at the same moment.
import { describe, expect, it } from 'vitest';
import { recordDemoOnce } from '../../infra/demo/index.js';
import { fixedClock } from '../../src/clock.js';
import { seedProgrammes } from '../../src/commands/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore, type StoredEvent } from '../../src/eventstore/index.js';
import { describeEachDatabase, driverAvailable, postgresDriver } from '../support/databases.js';
import { grantBody } from '../support/fixtures.js';
import { testApp } from '../support/http.js';

const clock = fixedClock('2026-11-27T09:00:00Z');

async function allEvents(store: PostgresEventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const batch of store.iterateAll()) events.push(...batch);
  return events;
}

describe('DEMO_DATA setting', () => {
  it('is on for the embedded default and off with DATABASE_URL unless DEMO_DATA=1', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ DEMO_DATA: '0' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x', DEMO_DATA: '' }).demoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x', DEMO_DATA: '1' }).demoData).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/x', DEMO_DATA: '0' }).demoData).toBe(false);
  });

  it('refuses a value other than 0 or 1 with a line naming the setting', () => {
    expect(() => loadConfig({ DEMO_DATA: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEMO_DATA: 'yes' })).toThrow(/DEMO_DATA must be 0 or 1/);
  });
});

describeEachDatabase('recording the demo once', (suite) => {
  it('records it on a log of seeded programmes only, and not a second time', async () => {
    const { db, kind } = suite.database;
    const store = new PostgresEventStore(db);
    await seedProgrammes({ store });
    const first = await recordDemoOnce({ db, store, clock, kind });
    expect(first).toBeGreaterThan(50);
    const head = await store.headPosition();
    expect(await recordDemoOnce({ db, store, clock, kind })).toBe(0);
    expect(await store.headPosition()).toBe(head);
  });

  it('leaves a log with records of its own alone', async () => {
    const t = await testApp(suite.database);
    expect((await t.post('/api/v1/grants', grantBody())).status).toBe(201);
    const head = await t.store.headPosition();
    expect(await recordDemoOnce({ db: suite.database.db, store: t.store, clock, kind: suite.database.kind })).toBe(0);
    expect(await t.store.headPosition()).toBe(head);
  });
});

describe.skipIf(!driverAvailable(postgresDriver))('two processes starting together on PostgreSQL', () => {
  it('record the demo exactly once', async () => {
    const database = await postgresDriver.open();
    // A second pool on the same database stands for a second server process.
    const second = await openDatabase({ databaseUrl: database.url!, poolMax: 4 });
    try {
      // Reference: how many events one recording makes, on a database of its own.
      const reference = await postgresDriver.open();
      let once: number;
      try {
        const store = new PostgresEventStore(reference.db);
        await seedProgrammes({ store });
        await recordDemoOnce({ db: reference.db, store, clock, kind: 'postgres' });
        once = (await allEvents(store)).length;
      } finally {
        await reference.dispose();
      }

      // Both seed (as each server does at start), then all check the log at the same moment.
      await Promise.all([seedProgrammes({ store: new PostgresEventStore(database.db) }), seedProgrammes({ store: new PostgresEventStore(second.db) })]);
      const start = (db: typeof database.db) => recordDemoOnce({ db, store: new PostgresEventStore(db), clock, kind: 'postgres' });
      const results = await Promise.all([start(database.db), start(second.db), start(database.db)]);
      expect(results.filter((n) => n > 0)).toHaveLength(1);
      const events = await allEvents(new PostgresEventStore(database.db));
      expect(events.length).toBe(once);
      const grants = events.filter((e) => e.type === 'GrantAwarded').map((e) => (e.data as { reference: string }).reference);
      expect(new Set(grants).size).toBe(grants.length);
      expect(await new PostgresEventStore(database.db).verify()).toMatchObject({ ok: true });
    } finally {
      await second.close();
      await database.dispose();
    }
  });
});
