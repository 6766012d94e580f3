// Stored events are validated by structure only: an event of an earlier schema, an AGS that is not
// (or no longer) in the register, an unregistered programme code or a text beyond today's input
// limits still projects. Written straight to the store, as an old log would hold them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allProjections, createProjectionRunner, queryEndDates, queryGrantFinance } from '../../projections/index.js';
import { AwardGrantBody } from '../../schemas/index.js';
import { driverAvailable, drivers, type TestDatabase } from '../support/databases.js';
import { PostgresEventStore } from './support.js';

const GRANT = '0190b2f8-6c1e-7000-8000-0000000000a1';
const POSITION = '0190b2f8-6c1e-7000-8000-0000000000b1';
const GONE = '99999000'; // 8 digits, but no Kreis of the register

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`old events on ${driver.name}`, () => {
    let database: TestDatabase;
    let store: PostgresEventStore;

    beforeEach(async () => {
      database = await driver.open();
      store = new PostgresEventStore(database.db);
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('a v1 programme, a v1 grant of an AGS outside the register with an over-long reference, and its position project', async () => {
      const longReference = 'R'.repeat(300);
      // Today's commands refuse all three facts …
      expect(AwardGrantBody.safeParse({ municipality: GONE }).success).toBe(false);
      // … but the stored events stay readable.
      await store.append('programme-abgeloest', [
        { type: 'ProgrammeRegistered', schemaVersion: 1, data: { code: 'abgeloest', name: 'Altes Programm', funder: 'Land Thüringen', legalBasis: 'alt', startsOn: '2010-01-01', endsOn: '2012-12-31' } },
      ], { expectedVersion: 'no-stream' });
      await store.append(`grant-${GRANT}`, [
        {
          type: 'GrantAwarded',
          schemaVersion: 1,
          data: {
            grantId: GRANT, municipality: GONE, programme: 'abgeloest', reference: longReference, awardedOn: '2010-01-15',
            periodStart: '2010-02-01', periodEnd: '2012-12-31', amountCents: 10_000_000, fundingRatePercent: 100, financingType: 'voll', ownShareCents: 0,
          },
        },
        { type: 'FundsDrawn', schemaVersion: 1, data: { drawnOn: '2010-03-01', amountCents: 1_000_000 } },
      ], { expectedVersion: 'no-stream' });
      await store.append(`position-${POSITION}`, [
        {
          type: 'PositionEstablished',
          schemaVersion: 1,
          data: {
            positionId: POSITION, municipality: GONE, programme: 'abgeloest', grantId: GRANT, title: 'T'.repeat(500), role: 'other',
            fte: 1, payGrade: 'E 11', annualCostCents: 7_000_000, establishedOn: '2010-02-01',
          },
        },
      ], { expectedVersion: 'no-stream' });
      const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
      expect(await runner.catchUp()).toBe(await store.headPosition());
      const finance = await queryGrantFinance(database.db, { asOf: '2011-01-01' });
      expect(finance).toHaveLength(1);
      expect(finance[0]).toMatchObject({ municipality: GONE, programme: 'abgeloest', reference: longReference, drawnCents: 1_000_000, spendWithinDays: 42 });
      const dates = await queryEndDates(database.db, { asOf: '2011-01-01' });
      expect(dates[0]).toMatchObject({ municipality: GONE, fundingEndsOn: '2012-12-31', programmeEndsOn: '2012-12-31' });
    });
  });
}
