// Boundary days and review findings, each as given (events or facts) / when (a query on asOf) /
// then (the read model): the proof-of-use deadline at the end of the month, money held beyond the
// spending window once the spending is documented, drawn as of asOf, the "within n months" risk
// rule, cumulative rounding of the own share, one snapshot per view, the scope indexes across a
// rebuild, and smaller cases (revoke and decide again, a shortening amendment, a future abolition,
// over-filled staffing, CSV injection). Runs on PGlite always and on PostgreSQL when
// TEST_DATABASE_URL is set.
import { OpenAPIHono } from '@hono/zod-openapi';
import { sql, type KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { versioned } from '../../schemas/index.js';
import { fixedClock } from '../../src/clock.js';
import { problemResponse } from '../../src/http/problem.js';
import { viewRoutes } from '../../src/http/views/index.js';
import { toCsv } from '../../src/http/export-formats.js';
import {
  allProjections,
  assessRisk,
  budgetDeadline,
  createProjectionRunner,
  finalProofDueOn,
  fundingEndsWithin,
  interimProofsDueOn,
  ownShareInYear,
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryStaffing,
  rebuildProjections,
  type ProjectionRunner,
} from '../../projections/index.js';
import { SCOPE_INDEXED_TABLES } from '../../infra/migrations/0003-projection-scope-indexes.js';
import { TEST_DATABASE_URL, driverAvailable, drivers, postgresDriver, type TestDatabase } from '../support/databases.js';
import { Commands, JENA, PostgresEventStore } from './support.js';

const noDecision = (fundingEndsOn: string) => ({ fundingEndsOn, decision: null, abolishedOn: null });

describe('final proof of use: due at the end of the n-th month after the period (ANBest-P 6.1)', () => {
  it.each([
    ['2021-06-30', '2021-12-31'],
    ['2019-09-30', '2020-03-31'],
    ['2019-08-31', '2020-02-29'],
    ['2020-08-31', '2021-02-28'],
    ['2023-02-28', '2023-08-31'],
  ])('given the period ends %s, when 6 months are allowed, then the proof is due %s', (periodEnd, due) => {
    expect(finalProofDueOn(periodEnd, 6)).toBe(due);
  });

  it('given a final proof due before 30 April, when listing interim deadlines, then the year it covers has none', () => {
    // Period ends 31 Jan 2020, final proof 2 months later: due 31 Mar 2020, before the interim
    // deadline for 2019 (30 Apr 2020), so the final proof covers 2019.
    expect(interimProofsDueOn('2019-01-01', '2020-01-31', finalProofDueOn('2020-01-31', 2))).toEqual([]);
    expect(interimProofsDueOn('2019-01-01', '2020-01-31', finalProofDueOn('2020-01-31', 6))).toEqual(['2020-04-30']);
  });
});

describe('continuation risk: "funding ends within n months of D" is fundingEndsOn ≤ D + n months', () => {
  it('given funding ends 31 Dec 2021: medium from 31 Dec 2020, high from 1 Jul 2021', () => {
    const f = noDecision('2021-12-31');
    expect(assessRisk(f, '2020-12-30').risk).toBe('none');
    expect(assessRisk(f, '2020-12-31').risk).toBe('medium');
    expect(assessRisk(f, '2021-06-30').risk).toBe('medium');
    expect(assessRisk(f, '2021-07-01').risk).toBe('high');
    expect(assessRisk(f, '2021-07-01').reason).toMatch(/in höchstens 6 Monaten/);
  });

  it('given funding ends 30 Jun 2022: within 12 months from 30 Jun 2021, within 6 months from 30 Dec 2021', () => {
    const f = noDecision('2022-06-30');
    expect(assessRisk(f, '2021-06-29').risk).toBe('none');
    expect(assessRisk(f, '2021-06-30').risk).toBe('medium');
    // The budget deadline (1 Dec 2021) turns it high before the 6 months do; the rule itself:
    expect(fundingEndsWithin('2022-06-30', '2021-12-29', 6)).toBe(false);
    expect(fundingEndsWithin('2022-06-30', '2021-12-30', 6)).toBe(true);
  });

  it('given funding ends 31 Aug: within 6 months from 1 Mar, not on 28 or 29 Feb (clamped: 28 Feb + 6 = 28 Aug)', () => {
    expect(fundingEndsWithin('2022-08-31', '2022-02-28', 6)).toBe(false);
    expect(fundingEndsWithin('2022-08-31', '2022-03-01', 6)).toBe(true);
    expect(fundingEndsWithin('2024-08-31', '2024-02-29', 6)).toBe(false);
    expect(fundingEndsWithin('2024-08-31', '2024-03-01', 6)).toBe(true);
    const f = noDecision('2022-08-31');
    expect(assessRisk(f, '2021-08-30').risk).toBe('none');
    expect(assessRisk(f, '2021-08-31').risk).toBe('medium');
  });

  it('given funding ends 29 Feb 2024: medium from 1 Mar 2023, within 6 months from 29 Aug 2023', () => {
    const f = noDecision('2024-02-29');
    expect(assessRisk(f, '2023-02-28').risk).toBe('none'); // + 12 months = 28 Feb 2024
    expect(assessRisk(f, '2023-03-01').risk).toBe('medium');
    expect(fundingEndsWithin('2024-02-29', '2023-08-28', 6)).toBe(false);
    expect(fundingEndsWithin('2024-02-29', '2023-08-29', 6)).toBe(true);
    expect(assessRisk(f, '2023-08-28').risk).toBe('medium');
    expect(assessRisk(f, '2023-08-29').risk).toBe('high');
  });

  it('given funding ends 30 Nov 2021: the first unfunded day is 1 Dec 2021, so the budget deadline is 1 Dec 2020', () => {
    expect(budgetDeadline('2021-11-30')).toBe('2020-12-01');
    const f = noDecision('2021-11-30');
    expect(assessRisk(f, '2020-12-01')).toMatchObject({ risk: 'medium', budgetDeadline: '2020-12-01' });
    const passed = assessRisk(f, '2020-12-02');
    expect(passed.risk).toBe('high');
    expect(passed.reason).toMatch(/Haushaltsfrist am 01\.12\.2020 ist verstrichen/);
  });

  it('given an abolition dated after asOf, then the position is ended with the date in the future tense', () => {
    const f = { fundingEndsOn: '2021-12-31', decision: null, abolishedOn: '2022-01-01' };
    expect(assessRisk(f, '2021-07-01')).toMatchObject({ risk: 'ended', reason: 'Die Stelle wird zum 01.01.2022 gestrichen.' });
    expect(assessRisk(f, '2022-01-01')).toMatchObject({ risk: 'ended', reason: 'Die Stelle ist zum 01.01.2022 gestrichen.' });
  });
});

describe('own share per year: rounded cumulatively, the years add up exactly', () => {
  const years = (cents: number, start: string, end: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => ownShareInYear(cents, start, end, from + i));

  it('given 1 cent over 31 Dec and 1 Jan, then it falls into one year, 1 cent in total', () => {
    expect(years(1, '2019-12-31', '2020-01-01', 2019, 2020)).toEqual([1, 0]);
  });

  it('given an odd share over a period with 29 Feb 2020, then the years sum to the share exactly', () => {
    // 184 + 366 + 181 = 731 days; rounding each year alone gives 1 + 2 + 1 = 4 cents of 3,
    // and 25,261 + 50,248 + 24,849 = 100,358 of 100,359.
    expect(years(3, '2019-07-01', '2021-06-30', 2019, 2021)).toEqual([1, 1, 1]);
    const split = years(100_359, '2019-07-01', '2021-06-30', 2018, 2022);
    expect(split).toEqual([0, 25_261, 50_249, 24_849, 0]);
    expect(split.reduce((a, b) => a + b, 0)).toBe(100_359);
  });
});

describe('CSV export: injection guard and line breaks inside a field', () => {
  it('given text cells starting with + - @ or a tab, then they are written as text; CR/LF stays inside a quoted field', () => {
    const rows = ['+49 3691', '-1', '@SUM(A1)', '\tcmd', 'Zeile 1\r\nZeile 2', 'a\rb'];
    const csv = toCsv({ name: 'x', rows, columns: [{ header: 'T', kind: 'text', value: (r: string) => r }] });
    expect(csv).toBe(`\uFEFFT\r\n'+49 3691\r\n'-1\r\n'@SUM(A1)\r\n'\tcmd\r\n"Zeile 1\r\nZeile 2"\r\n"a\rb"\r\n`);
  });
});

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`boundaries on ${driver.name}`, () => {
    let database: TestDatabase;
    let store: PostgresEventStore;
    let c: Commands;
    let runner: ProjectionRunner;

    beforeEach(async () => {
      database = await driver.open();
      store = new PostgresEventStore(database.db);
      c = new Commands(store);
      runner = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: 5 });
    });
    afterEach(async () => {
      await database.dispose();
    });

    const finance = async (asOf: string) => (await queryGrantFinance(database.db, { asOf }))[0]!;

    it('given a final proof or the closure, then nothing counts as held beyond the spending window any more', async () => {
      const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2017-12-31', spendWithinDays: 42 });
      await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 300_000 } });
      const h = await c.award({ periodStart: '2017-01-01', periodEnd: '2017-12-31', reference: 'ZZ-2' });
      await c.grant(h, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 100_000 } });
      await c.grant(g, { type: 'SubmitProofOfUse', data: { submittedOn: '2018-03-15', kind: 'final' } });
      await c.grant(h, { type: 'CloseGrant', data: { closedOn: '2018-05-01' } });
      await runner.catchUp();
      const at = async (asOf: string) => Object.fromEntries((await queryGrantFinance(database.db, { asOf })).map((i) => [i.reference, i]));
      const before = await at('2018-03-14');
      expect([before['01JL1685']!.heldBeyondWindowCents, before['ZZ-2']!.heldBeyondWindowCents]).toEqual([300_000, 100_000]);
      const proofDay = await at('2018-03-15');
      expect(proofDay['01JL1685']).toMatchObject({ heldBeyondWindowCents: 0, drawnCents: 300_000 });
      expect(proofDay['01JL1685']!.drawdowns[0]!.beyondWindow).toBe(false);
      expect(proofDay['ZZ-2']!.heldBeyondWindowCents).toBe(100_000);
      expect((await at('2018-04-30'))['ZZ-2']!.heldBeyondWindowCents).toBe(100_000);
      expect((await at('2018-05-01'))['ZZ-2']!.heldBeyondWindowCents).toBe(0);
    });

    it('given drawdowns on several days, then drawn and remaining count those up to asOf, consistent with the list; awarded follows every recorded amendment', async () => {
      const g = await c.award({ amountCents: 1_000_000, periodStart: '2017-01-01', periodEnd: '2019-12-31' });
      await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 300_000 } });
      await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2018-03-01', amountCents: 200_000 } });
      await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2018-06-01', amountCents: 1_200_000, reason: 'Aufstockung' } });
      await runner.catchUp();
      const early = await finance('2017-12-31');
      expect(early).toMatchObject({ awardedCents: 1_200_000, drawnCents: 300_000, remainingCents: 900_000, heldBeyondWindowCents: 300_000 });
      expect(early.drawdowns.map((d) => d.drawnOn)).toEqual(['2017-03-01']);
      expect(early.amendments).toHaveLength(1);
      const drawnDay = await finance('2018-03-01');
      expect(drawnDay).toMatchObject({ drawnCents: 500_000, remainingCents: 700_000, heldBeyondWindowCents: 300_000 });
      expect(drawnDay.drawdowns.reduce((sum, d) => sum + d.amountCents, 0)).toBe(drawnDay.drawnCents);
      expect(await finance('2016-12-31')).toMatchObject({ drawnCents: 0, remainingCents: 1_200_000, drawdowns: [] });
    });

    it('given an amendment that moves the period end, then interim and final deadlines follow it', async () => {
      const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2019-12-31' });
      const longer = await c.award({ periodStart: '2017-01-01', periodEnd: '2019-12-31', reference: 'ZZ-2' });
      await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2018-01-15', periodEnd: '2018-06-30', reason: 'Verkürzung' } });
      await c.grant(longer, { type: 'AmendGrant', data: { amendedOn: '2019-06-01', periodEnd: '2021-06-30', reason: 'Verlängerung' } });
      await runner.catchUp();
      const at = async (asOf: string) => Object.fromEntries((await queryGrantFinance(database.db, { asOf })).map((i) => [i.reference, i]));
      const items = await at('2018-05-01');
      expect(items['01JL1685']).toMatchObject({
        periodEnd: '2018-06-30',
        originalPeriodEnd: '2019-12-31',
        interimProofsDueOn: ['2018-04-30'],
        finalProofDueOn: '2018-12-31',
        proofOfUseStatus: 'zwischennachweis-überfällig',
      });
      expect(items['ZZ-2']).toMatchObject({
        interimProofsDueOn: ['2018-04-30', '2019-04-30', '2020-04-30', '2021-04-30'],
        finalProofDueOn: '2021-12-31',
      });
      expect((await at('2019-01-01'))['01JL1685']!.proofOfUseStatus).toBe('verwendungsnachweis-überfällig');
    });

    it('given an amendment that shortens the funding period, then end dates, risk and the own-share spread follow it', async () => {
      const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2020-12-31', ownShareCents: 730_000 });
      const p = await c.establish(g);
      await runner.catchUp();
      // 730,000 over 731 days: 2019 gets 365/731 = 364,500.68 → 364,501, 2020 the rest.
      expect((await queryOwnFunds(database.db, { fromYear: 2019, toYear: 2020 })).map((i) => i.ownShareCents)).toEqual([364_501, 365_499]);
      expect((await queryContinuationRisk(database.db, { asOf: '2019-07-01' }))[0]).toMatchObject({ positionId: p, risk: 'none', budgetDeadline: '2020-12-01' });

      await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2019-05-01', periodEnd: '2019-12-31', reason: 'Verkürzung' } });
      await runner.catchUp();
      expect((await queryOwnFunds(database.db, { fromYear: 2019, toYear: 2020 })).map((i) => i.ownShareCents)).toEqual([730_000, 0]);
      expect((await queryEndDates(database.db, { asOf: '2019-07-01' }))[0]).toMatchObject({ fundingEndsOn: '2019-12-31', daysRemaining: 183 });
      expect((await queryContinuationRisk(database.db, { asOf: '2019-06-30' }))[0]).toMatchObject({ risk: 'medium', budgetDeadline: '2019-12-01' });
      expect((await queryContinuationRisk(database.db, { asOf: '2019-07-01' }))[0]).toMatchObject({ risk: 'high', fundingEndsOn: '2019-12-31' });
    });

    it('given a decision revoked and then decided again, then the new decision is in force everywhere', async () => {
      const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31' });
      const p = await c.establish(g, { fte: 1, annualCostCents: 7_300_000 });
      const decide = (data: Record<string, unknown>) =>
        c.position(p, { type: 'DecideContinuation', data: { decidedBy: 'council', resolutionRef: 'SR-1', decidedOn: '2021-03-01', ...data } as never });
      await decide({ decision: 'own-funds', effectiveFrom: '2022-01-01' });
      await c.position(p, { type: 'RevokeContinuationDecision', data: { revokedOn: '2021-04-01', reason: 'Haushaltssperre' } });
      await decide({ decision: 'partial', effectiveFrom: '2022-01-01', ownFundsSharePercent: 50, resolutionRef: 'SR-2', decidedOn: '2021-05-01' });
      await runner.catchUp();
      const [risk] = await queryContinuationRisk(database.db, { asOf: '2021-07-01' });
      expect(risk).toMatchObject({ risk: 'medium', decision: { decision: 'partial', ownFundsSharePercent: 50, resolutionRef: 'SR-2', decidedOn: '2021-05-01' } });
      const [own2022] = await queryOwnFunds(database.db, { fromYear: 2022, toYear: 2022 });
      expect(own2022!.continuationCents).toBe(3_650_000);
    });

    it('given an abolition dated after asOf, then the position still counts until then, is ended in the risk view, and costs nothing from that day', async () => {
      const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31' });
      const p = await c.establish(g, { fte: 1, annualCostCents: 7_300_000 });
      await c.position(p, { type: 'DecideContinuation', data: { decision: 'own-funds', effectiveFrom: '2022-01-01', decidedBy: 'council', resolutionRef: 'SR-1', decidedOn: '2021-03-01' } as never });
      await c.position(p, { type: 'AbolishPosition', data: { abolishedOn: '2022-07-01' } });
      await runner.catchUp();
      expect((await queryStaffing(database.db, { asOf: '2022-06-30' }))[0]).toMatchObject({ positions: 1 });
      expect(await queryStaffing(database.db, { asOf: '2022-07-01' })).toEqual([]);
      const [risk] = await queryContinuationRisk(database.db, { asOf: '2021-07-01' });
      expect(risk).toMatchObject({ risk: 'ended', abolishedOn: '2022-07-01', reason: 'Die Stelle wird zum 01.07.2022 gestrichen.' });
      expect((await queryEndDates(database.db, { asOf: '2021-07-01' }))[0]).toMatchObject({ abolishedOn: '2022-07-01' });
      // 7,300,000 × 181/365 (1 Jan – 30 Jun 2022) = 3,620,000.
      expect((await queryOwnFunds(database.db, { fromYear: 2022, toYear: 2022 }))[0]!.continuationCents).toBe(3_620_000);
    });

    it('given staffing that starts after asOf, then it is not filled yet', async () => {
      const g = await c.award();
      const p = await c.establish(g, { fte: 1 });
      await c.position(p, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2017-04-01', fte: 1 } });
      await runner.catchUp();
      expect((await queryStaffing(database.db, { asOf: '2017-03-31' }))[0]).toMatchObject({ filledFte: 0, vacantFte: 1 });
      expect((await queryStaffing(database.db, { asOf: '2017-04-01' }))[0]).toMatchObject({ filledFte: 1, vacantFte: 0 });
      expect((await queryEndDates(database.db, { asOf: '2017-03-31' }))[0]).toMatchObject({ personsInPost: 0, contractEndsOn: null });
    });

    it('given a position over-filled in the log (two 0.75 on a 1.0, recorded before the decider refused it), then filled FTE is capped at the planned FTE', async () => {
      const g = await c.award();
      const p = await c.establish(g, { fte: 1 });
      // The decider refuses this today (staffing-exceeds-fte), so the events are appended directly.
      await store.append(
        `position-${p}`,
        [
          versioned('PositionStaffed', { personRef: 'P-1', startsOn: '2017-02-01', endsOn: null, fte: 0.75, contractSignedOn: null }),
          versioned('PositionStaffed', { personRef: 'P-2', startsOn: '2017-02-01', endsOn: null, fte: 0.75, contractSignedOn: null }),
        ],
        { expectedVersion: 1 },
      );
      await runner.catchUp();
      expect((await queryStaffing(database.db, { asOf: '2017-03-01' }))[0]).toMatchObject({ plannedFte: 1, filledFte: 1, vacantFte: 0 });
      expect((await queryEndDates(database.db, { asOf: '2017-03-01' }))[0]).toMatchObject({ personsInPost: 2 });
    });

    it('given no projections, then the runner stands at 0 (not Infinity)', async () => {
      await c.award();
      const empty = createProjectionRunner({ db: database.db, store, projections: [] });
      expect(await empty.catchUp()).toBe(0);
      expect(await empty.position()).toBe(0);
    });

    it('given the scope indexes of migration 0003, then a rebuild keeps every index name of the read tables', async () => {
      const g = await c.award({ ownShareCents: 1000 });
      await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 100 } });
      await runner.catchUp();
      const tables = allProjections.flatMap((p) => [...p.tables]);
      const indexNames = async () =>
        (
          await sql<{ indexname: string }>`
            select indexname from pg_indexes
             where schemaname = current_schema() and tablename in (${sql.join(tables)})
             order by indexname`.execute(database.db)
        ).rows.map((r) => r.indexname);
      const before = await indexNames();
      for (const table of SCOPE_INDEXED_TABLES) expect(before).toContain(`${table}_municipality_programme_idx`);
      await rebuildProjections({ db: database.db, store });
      expect(await indexNames()).toEqual(before);
    });
  });
}

describe.skipIf(!TEST_DATABASE_URL)('views read in one snapshot (PostgreSQL)', () => {
  let database: TestDatabase;
  afterEach(async () => {
    await database?.dispose();
  });

  it('given a batch committed between two statements of a view, then the view shows the state before it, whole', async () => {
    database = await postgresDriver.open();
    const store = new PostgresEventStore(database.db);
    const c = new Commands(store);
    const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
    const g = await c.award({ municipality: JENA, reference: 'J-1' });
    await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 100_000 } });
    await runner.catchUp();

    // When the view's first statement (the grant rows) has returned, another connection appends a
    // drawdown and the runner commits its batch, before the view reads the drawdown rows.
    let injected = false;
    const between: KyselyPlugin = {
      transformQuery: (args) => args.node,
      async transformResult(args) {
        const first = args.result.rows[0] as Record<string, unknown> | undefined;
        if (!injected && first !== undefined && 'reference' in first && 'awarded_cents' in first) {
          injected = true;
          await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-04-01', amountCents: 50_000 } });
          await runner.catchUp();
        }
        return args.result;
      },
    };
    const app = new OpenAPIHono();
    app.route('/api/v1', viewRoutes({ db: database.db.withPlugin(between), runner, clock: fixedClock('2017-06-01T10:00:00Z') }));
    app.onError((error, ctx) => problemResponse(ctx, error, undefined));
    const body = (await (await app.request('/api/v1/finance/grants?asOf=2017-06-01')).json()) as any;
    expect(injected).toBe(true);
    expect(body.items[0]).toMatchObject({ drawnCents: 100_000, drawdowns: [{ drawnOn: '2017-03-01', amountCents: 100_000 }] });
    // The next request sees the batch.
    const after = (await (await app.request('/api/v1/finance/grants?asOf=2017-06-01')).json()) as any;
    expect(after.items[0].drawnCents).toBe(150_000);
  });
});
