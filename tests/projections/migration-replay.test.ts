// Migration 0008 (the stored last day in post): it empties the staffing and end-dates read models
// and moves their checkpoints back, and the runner's next catch-up replays them to the same rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staffingLastDay } from '../../infra/migrations/0008-staffing-last-day.js';
import { allProjections, createProjectionRunner, readCheckpoints } from '../../projections/index.js';
import { driverAvailable, drivers, type TestDatabase } from '../support/databases.js';
import { Commands, PostgresEventStore, dumpTables } from './support.js';

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`migration 0008 on ${driver.name}`, () => {
    let database: TestDatabase;
    beforeEach(async () => {
      database = await driver.open();
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('resets staffing and end dates to position 0; a catch-up replays them with last_day', async () => {
      const store = new PostgresEventStore(database.db);
      const c = new Commands(store);
      const g = await c.award();
      const p = await c.establish(g);
      await c.position(p, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2017-02-01', endsOn: '2019-12-31', fte: 1 } });
      await c.position(p, { type: 'VacatePosition', data: { vacatedOn: '2018-06-30', reason: 'Weggang' } });
      const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
      const head = await runner.catchUp();
      const before = await dumpTables(database.db);
      expect(before['staffing_assignments']![0]).toContain('"last_day":"2018-06-30"');
      expect(before['end_dates_staffings']![0]).toContain('"last_day":"2018-06-30"');

      await staffingLastDay.down!(database.db);
      await staffingLastDay.up(database.db);
      const names = allProjections.map((projection) => projection.name);
      const reset = await readCheckpoints(database.db, names);
      expect(reset.get('staffing')).toBe(0);
      expect(reset.get('end-dates')).toBe(0);
      expect(reset.get('grant-finance')).toBe(head);
      expect((await dumpTables(database.db))['staffing_assignments']).toEqual([]);

      expect(await runner.catchUp()).toBe(head);
      expect(await dumpTables(database.db)).toEqual(before);
    });
  });
}
