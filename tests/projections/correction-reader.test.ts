// Corrections with the log outside the read models' database (as with EVENT_STORE=kurrentdb): the
// runner re-projects a corrected record from the stream the event store returns, and reads each
// corrected stream once per batch however many read models re-project it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.js';
import { allProjections, createProjectionRunner, queryEndDates, queryGrantFinance, queryStaffing, streamReaderOf, type StreamReader } from '../../projections/index.js';
import { pgliteDriver, type TestDatabase } from '../support/databases.js';
import { Commands, PostgresEventStore, dumpTables } from './support.js';

describe('corrections read through the event store', () => {
  let log: TestDatabase;
  let reads: Database;

  beforeAll(async () => {
    log = await pgliteDriver.open();
    // A second PGlite: its own events table stays empty, so nothing can come from there.
    reads = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await reads.close();
    await log.dispose();
  });

  it('projects a void, a correction and a reversal from the store, reading each stream once', async () => {
    const store = new PostgresEventStore(log.db);
    const c = new Commands(store);
    const g = await c.award({ periodEnd: '2019-12-31' });
    const kept = await c.establish(g, { fte: 0.5 });
    const voided = await c.establish(g, { fte: 0.5 });
    await c.position(kept, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2017-02-01', fte: 0.5 } });
    await c.position(voided, { type: 'StaffPosition', data: { personRef: 'P-2', startsOn: '2017-02-01', fte: 0.5 } });
    await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 1_000 } });
    await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-04-01', amountCents: 2_000 } });
    await c.position(voided, { type: 'VoidPosition', data: { reason: 'doppelt erfasst' } });
    // Grant stream: 1 awarded, 2 and 3 the drawdowns.
    await c.grant(g, { type: 'ReverseDrawdown', data: { entry: 2, reason: 'Fehlbuchung' } });
    await c.grant(g, { type: 'CorrectGrant', data: { changes: { periodEnd: '2020-06-30' }, reason: 'Tippfehler' } });

    const reader = streamReaderOf(store);
    const calls: string[] = [];
    const counting: StreamReader = (trx, streamId, upTo) => {
      calls.push(`${streamId}@${upTo}`);
      return reader(trx, streamId, upTo);
    };
    const head = await store.headPosition();
    expect(await createProjectionRunner({ db: reads.db, store, projections: allProjections, readStream: counting }).catchUp()).toBe(head);
    // Three corrections, each stream read once for all five read models.
    expect(calls).toHaveLength(3);
    expect(new Set(calls).size).toBe(3);

    const asOf = '2018-01-01';
    expect((await queryEndDates(reads.db, { asOf })).map((p) => p.positionId)).toEqual([kept]);
    expect(await queryStaffing(reads.db, { asOf })).toEqual([
      expect.objectContaining({ positions: 1, plannedFte: 0.5, filledFte: 0.5 }),
    ]);
    const [grant] = await queryGrantFinance(reads.db, { asOf });
    expect(grant).toMatchObject({ grantId: g, periodEnd: '2020-06-30', drawnCents: 2_000 });

    // The same rows as the runner on the log's own database, which reads the events table.
    await createProjectionRunner({ db: log.db, store, projections: allProjections }).catchUp();
    expect(await dumpTables(reads.db)).toEqual(await dumpTables(log.db));
  });
});
