// Given events (through the deciders), when the runner catches up, then each read model answers
// for asOf. Runs on PGlite always and on PostgreSQL when TEST_DATABASE_URL is set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  allProjections,
  assessRisk,
  budgetDeadline,
  createProjectionRunner,
  finalProofDueOn,
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryStaffing,
  type ProjectionRunner,
} from '../../projections/index.js';
import { driverAvailable, drivers, type TestDatabase } from '../support/databases.js';
import { Commands, EISENACH, JENA, PostgresEventStore, WEIMAR } from './support.js';

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`read models on ${driver.name}`, () => {
    let database: TestDatabase;
    let store: PostgresEventStore;
    let c: Commands;
    let runner: ProjectionRunner;

    beforeEach(async () => {
      database = await driver.open();
      store = new PostgresEventStore(database.db);
      c = new Commands(store);
      runner = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: 7 });
    });
    afterEach(async () => {
      await database.dispose();
    });

    describe('staffing', () => {
      it('counts positions, planned, filled and vacant FTE per municipality × programme × role on asOf', async () => {
        const g = await c.award();
        const a = await c.establish(g, { fte: 1 });
        const b = await c.establish(g, { fte: 0.5, role: 'bildungsmonitoring', title: 'Bildungsmonitoring' });
        const d = await c.establish(g, { fte: 1 });
        const jena = await c.award({ municipality: JENA, reference: 'J-1' });
        await c.establish(jena, { fte: 0.75 });
        await c.position(a, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2017-02-01', fte: 0.5 } });
        await c.position(a, { type: 'StaffPosition', data: { personRef: 'P-2', startsOn: '2017-03-01', endsOn: '2018-02-28', fte: 0.5 } });
        await c.position(b, { type: 'StaffPosition', data: { personRef: 'P-3', startsOn: '2017-01-01', fte: 0.5 } });
        await c.position(a, { type: 'VacatePosition', data: { vacatedOn: '2017-12-31', reason: 'Wechsel', personRef: 'P-1' } });
        await c.position(d, { type: 'AbolishPosition', data: { abolishedOn: '2018-01-01' } });
        await runner.catchUp();

        const at = (asOf: string) => queryStaffing(database.db, { asOf, municipality: EISENACH });
        expect(await at('2017-03-01')).toEqual([
          { municipality: EISENACH, programme: 'bildung-integriert', role: 'bildungsmanagement', positions: 2, plannedFte: 2, filledFte: 1, vacantFte: 1 },
          { municipality: EISENACH, programme: 'bildung-integriert', role: 'bildungsmonitoring', positions: 1, plannedFte: 0.5, filledFte: 0.5, vacantFte: 0 },
        ]);
        // 31 Dec is P-1's last day in post; from 1 Jan position d is abolished.
        expect((await at('2017-12-31'))[0]).toMatchObject({ positions: 2, plannedFte: 2, filledFte: 1, vacantFte: 1 });
        expect((await at('2018-01-01'))[0]).toMatchObject({ positions: 1, plannedFte: 1, filledFte: 0.5, vacantFte: 0.5 });
        expect((await at('2018-03-01'))[0]).toMatchObject({ positions: 1, filledFte: 0, vacantFte: 1 });
        expect(await at('2016-12-31')).toEqual([]);

        // scope filters: programme, allowed municipalities (an empty list sees nothing)
        expect((await queryStaffing(database.db, { asOf: '2017-03-01' })).map((r) => r.municipality)).toEqual([JENA, EISENACH, EISENACH].sort());
        expect(await queryStaffing(database.db, { asOf: '2017-03-01', municipalities: [JENA] })).toEqual([
          { municipality: JENA, programme: 'bildung-integriert', role: 'bildungsmanagement', positions: 1, plannedFte: 0.75, filledFte: 0, vacantFte: 0.75 },
        ]);
        expect(await queryStaffing(database.db, { asOf: '2017-03-01', municipalities: [] })).toEqual([]);
        expect(await queryStaffing(database.db, { asOf: '2017-03-01', programme: 'thilik' })).toEqual([]);
      });
    });

    describe('end dates', () => {
      it('reports the funding end after amendments, the programme end, days remaining and the contract end in post', async () => {
        await c.programme('bildung-integriert', {
          type: 'RegisterProgramme',
          data: { code: 'bildung-integriert', name: 'Bildung integriert', funderKind: 'bund', funderName: 'BMBF', legalBasis: 'Richtlinie 27.01.2015', startsOn: '2015-01-27', endsOn: '2021-06-30' },
        });
        const g = await c.award({ awardedOn: '2016-12-15' });
        const p = await c.establish(g, { establishedOn: '2016-12-01' });
        await c.position(p, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2016-12-01', endsOn: '2019-12-31', fte: 1 } });
        const thilik = await c.award({ municipality: WEIMAR, programme: 'thilik', reference: 'T-1', periodEnd: '2017-12-31' });
        const q = await c.establish(thilik, { role: 'integrationsmanagement', title: 'Integrationsmanagement' });
        await runner.catchUp();

        // eslint-disable-next-line prefer-const -- `second` is read again below
        let [first, second] = await queryEndDates(database.db, { asOf: '2017-12-01' });
        expect(first).toMatchObject({ positionId: q, fundingEndsOn: '2017-12-31', programmeEndsOn: null, daysRemaining: 30, personsInPost: 0, contractEndsOn: null });
        expect(second).toMatchObject({
          positionId: p,
          municipality: EISENACH,
          programme: 'bildung-integriert',
          grantId: g,
          fundingEndsOn: '2019-12-31',
          programmeEndsOn: '2021-06-30',
          daysRemaining: 760,
          monthsRemaining: 24,
          personsInPost: 1,
          contractEndsOn: '2019-12-31',
        });
        // DOMAIN.md: staffing before the grant notice is a warning, not a refusal.
        expect(second!.warnings[0]).toMatch(/vor dem Zuwendungsbescheid vom 15\.12\.2016/);

        await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2019-06-01', periodEnd: '2021-06-30', reason: 'Verlängerung' } });
        await c.programme('bildung-integriert', { type: 'SetProgrammeEndDate', data: { endsOn: '2021-12-31', reason: 'korrigiert' } });
        await c.position(p, { type: 'VacatePosition', data: { vacatedOn: '2019-09-30', reason: 'Kündigung' } });
        await runner.catchUp();
        [, second] = await queryEndDates(database.db, { asOf: '2021-07-01' });
        expect(second).toMatchObject({ fundingEndsOn: '2021-06-30', programmeEndsOn: '2021-12-31', daysRemaining: -1, personsInPost: 0, contractEndsOn: null });
        const [, inPost] = await queryEndDates(database.db, { asOf: '2019-09-30' });
        expect(inPost).toMatchObject({ personsInPost: 1, contractEndsOn: '2019-09-30' });
      });
    });

    describe('continuation risk', () => {
      const riskOf = async (positionId: string, asOf: string) =>
        (await queryContinuationRisk(database.db, { asOf })).find((r) => r.positionId === positionId)!;

      it('without a decision: none, medium once funding ends within 12 months, high within 6 months, high once funding ended', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31' });
        const p = await c.establish(g);
        await runner.catchUp();
        expect(await riskOf(p, '2020-12-30')).toMatchObject({ risk: 'none', budgetDeadline: '2021-12-01', decision: null });
        expect(await riskOf(p, '2020-12-31')).toMatchObject({ risk: 'medium' });
        expect((await riskOf(p, '2020-12-31')).reason).toMatch(/Keine Entscheidung.*31\.12\.2021.*12 Monaten/);
        // 30 Jun + 6 months = 30 Dec, still before the funding end; 1 Jul + 6 months = 1 Jan.
        expect(await riskOf(p, '2021-06-30')).toMatchObject({ risk: 'medium' });
        expect(await riskOf(p, '2021-07-01')).toMatchObject({ risk: 'high' });
        expect(await riskOf(p, '2021-12-31')).toMatchObject({ risk: 'high', daysRemaining: 0 });
        const ended = await riskOf(p, '2022-01-01');
        expect(ended).toMatchObject({ risk: 'high', daysRemaining: -1 });
        expect(ended.reason).toMatch(/endete und die Stelle weiter besteht/);
      });

      it('the budget deadline (1 Dec of the year before the first unfunded day): in time on the day, high the day after', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-06-30' });
        const p = await c.establish(g);
        // Funding ends 30 Dec: the first unfunded day is 31 Dec, so the deadline is 13 months before.
        const g2 = await c.award({ periodStart: '2019-01-01', periodEnd: '2022-12-30', reference: 'X-2' });
        const p2 = await c.establish(g2);
        await runner.catchUp();
        expect(await riskOf(p, '2020-12-01')).toMatchObject({ risk: 'medium', budgetDeadline: '2020-12-01' });
        const passed = await riskOf(p, '2020-12-02');
        expect(passed.risk).toBe('high');
        expect(passed.reason).toMatch(/Haushaltsfrist am 01\.12\.2020 ist verstrichen \(§ 57 Abs\. 2 ThürKO\)/);
        // Funding ending 30.12.2022 has its deadline 13 months before: the warning 3 months before it
        // (issue 14 item 6) makes it medium from 01.09.2021 (+ 3 months = 01.12.2021), not none until the day.
        expect(await riskOf(p2, '2021-08-31')).toMatchObject({ risk: 'none', budgetDeadline: '2021-12-01' });
        expect(await riskOf(p2, '2021-09-01')).toMatchObject({ risk: 'medium' });
        expect((await riskOf(p2, '2021-12-01')).reason).toMatch(/Haushaltsfrist heute \(01\.12\.2021/);
        expect(await riskOf(p2, '2021-12-02')).toMatchObject({ risk: 'high' });
      });

      it('decisions: low when continuing seamlessly, medium for partial or a gap (named in days), ended for discontinue or abolition; revoked counts as none', async () => {
        const ends = { periodStart: '2019-01-01', periodEnd: '2021-12-31' };
        const [own, follow, gap, partial, stop, abolished, revoked] = await Promise.all(
          Array.from({ length: 7 }, async (_, i) => c.establish(await c.award({ ...ends, reference: `R-${i}` }))),
        );
        const decide = (id: string, data: Record<string, unknown>) =>
          c.position(id!, { type: 'DecideContinuation', data: { decidedBy: 'council', resolutionRef: 'KT-2021/17', decidedOn: '2021-03-01', ...data } as never });
        await decide(own!, { decision: 'own-funds', effectiveFrom: '2022-01-01' });
        await decide(follow!, { decision: 'follow-up-funding', effectiveFrom: '2021-10-01', followUpEndsOn: '2023-12-31' });
        await decide(gap!, { decision: 'own-funds', effectiveFrom: '2022-02-01' });
        await decide(partial!, { decision: 'partial', effectiveFrom: '2022-01-01', ownFundsSharePercent: 40 });
        await decide(stop!, { decision: 'discontinue', effectiveFrom: '2022-01-01' });
        await c.position(abolished!, { type: 'AbolishPosition', data: { abolishedOn: '2022-01-01' } });
        await decide(revoked!, { decision: 'own-funds', effectiveFrom: '2022-01-01' });
        await c.position(revoked!, { type: 'RevokeContinuationDecision', data: { revokedOn: '2021-05-01', reason: 'Haushaltssperre' } });
        await runner.catchUp();
        const asOf = '2021-07-01';
        const ownRisk = await riskOf(own!, asOf);
        expect(ownRisk).toMatchObject({ risk: 'low', decision: { decision: 'own-funds', effectiveFrom: '2022-01-01', ownFundsSharePercent: 100, resolutionRef: 'KT-2021/17' } });
        expect(ownRisk.reason).toMatch(/Weiterführung aus Eigenmitteln ab 01\.01\.2022 \(Beschluss KT-2021\/17/);
        // Follow-up funding to 31.12.2023 moves the funding end: no decision is needed yet for after it
        // (budget deadline 01.12.2023, more than 12 months away).
        expect(await riskOf(follow!, asOf)).toMatchObject({ risk: 'none', fundingEndsOn: '2023-12-31', budgetDeadline: '2023-12-01', decision: null });
        const gapRisk = await riskOf(gap!, asOf);
        expect(gapRisk.risk).toBe('medium');
        expect(gapRisk.reason).toMatch(/Lücke von 31 Tagen/);
        expect(await riskOf(partial!, asOf)).toMatchObject({ risk: 'medium', decision: { ownFundsSharePercent: 40 } });
        expect(await riskOf(stop!, asOf)).toMatchObject({ risk: 'ended' });
        expect(await riskOf(abolished!, asOf)).toMatchObject({ risk: 'ended', abolishedOn: '2022-01-01' });
        const revokedRisk = await riskOf(revoked!, asOf);
        expect(revokedRisk).toMatchObject({ risk: 'high', decision: null });
        expect(revokedRisk.reason).toMatch(/aufgehoben/);
        // An extension moves the funding end and with it every date.
        await c.grant((await riskOf(own!, asOf)).grantId, { type: 'AmendGrant', data: { amendedOn: '2021-08-01', periodEnd: '2022-06-30', reason: 'Verlängerung' } });
        await runner.catchUp();
        expect(await riskOf(own!, asOf)).toMatchObject({ risk: 'low', fundingEndsOn: '2022-06-30', budgetDeadline: '2021-12-01' });
      });

      it('honours configured thresholds', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31' });
        const p = await c.establish(g);
        await runner.catchUp();
        const [item] = await queryContinuationRisk(database.db, { asOf: '2021-03-31', thresholds: { highMonths: 9, mediumMonths: 18 } });
        expect(item).toMatchObject({ positionId: p, risk: 'high' });
      });
    });

    describe('own funds', () => {
      it('spreads the own share over the days of the period per year (leap year 2020), rounded half up', async () => {
        await c.award({ periodStart: '2019-01-01', periodEnd: '2020-12-31', ownShareCents: 1_000_000 });
        // A period over 29 Feb 2020: 366 days, 122 in 2019 and 244 in 2020.
        await c.award({ municipality: JENA, periodStart: '2019-09-01', periodEnd: '2020-08-31', ownShareCents: 36_600, reference: 'J-1' });
        // 1 cent over two days, one in each year: rounded cumulatively, the cent falls into 2019 only.
        await c.award({ municipality: WEIMAR, periodStart: '2019-12-31', periodEnd: '2020-01-01', ownShareCents: 1, reference: 'W-1' });
        await runner.catchUp();
        const items = await queryOwnFunds(database.db, { fromYear: 2019, toYear: 2021 });
        const pick = (m: string, y: number) => items.find((i) => i.municipality === m && i.year === y)!.ownShareCents;
        expect([pick(EISENACH, 2019), pick(EISENACH, 2020), pick(EISENACH, 2021)]).toEqual([499_316, 500_684, 0]);
        expect([pick(JENA, 2019), pick(JENA, 2020)]).toEqual([12_200, 24_400]);
        expect([pick(WEIMAR, 2019), pick(WEIMAR, 2020)]).toEqual([1, 0]);
        expect(items.every((i) => i.totalCents === i.ownShareCents + i.continuationCents)).toBe(true);
      });

      it('costs continued positions from effectiveFrom: annualCost × fte × share × days covered / days in the year', async () => {
        const g19 = await c.award({ periodStart: '2017-01-01', periodEnd: '2019-02-28' });
        const g20 = await c.award({ municipality: JENA, periodStart: '2017-01-01', periodEnd: '2020-02-29', reference: 'J-1' });
        const a = await c.establish(g19, { fte: 0.5, annualCostCents: 8_600_000 });
        const b = await c.establish(g20, { fte: 0.5, annualCostCents: 8_600_000 });
        const partial = await c.establish(g19, { fte: 1, annualCostCents: 7_500_000 });
        const followNoShare = await c.establish(g19, { annualCostCents: 7_500_000 });
        const followShare = await c.establish(g20, { annualCostCents: 7_500_000 });
        const stop = await c.establish(g19);
        const revoked = await c.establish(g20);
        const decide = (id: string, data: Record<string, unknown>) =>
          c.position(id, { type: 'DecideContinuation', data: { decidedBy: 'administration', decidedOn: '2018-11-01', ...data } as never });
        await decide(a, { decision: 'own-funds', effectiveFrom: '2019-03-01' });
        await decide(b, { decision: 'own-funds', effectiveFrom: '2020-03-01' });
        await decide(partial, { decision: 'partial', effectiveFrom: '2019-03-01', ownFundsSharePercent: 40 });
        await decide(followNoShare, { decision: 'follow-up-funding', effectiveFrom: '2019-03-01', followUpEndsOn: '2021-12-31' });
        await decide(followShare, { decision: 'follow-up-funding', effectiveFrom: '2021-01-01', ownFundsSharePercent: 40, followUpEndsOn: '2021-12-31' });
        await decide(stop, { decision: 'discontinue', effectiveFrom: '2019-03-01' });
        await decide(revoked, { decision: 'own-funds', effectiveFrom: '2020-03-01' });
        await c.position(revoked, { type: 'RevokeContinuationDecision', data: { revokedOn: '2019-05-01', reason: 'Haushaltssperre' } });
        await c.position(partial, { type: 'AbolishPosition', data: { abolishedOn: '2020-07-01' } });
        await runner.catchUp();
        const items = await queryOwnFunds(database.db, { fromYear: 2019, toYear: 2021 });
        const cont = (m: string, y: number) => items.find((i) => i.municipality === m && i.year === y)!.continuationCents;
        // Eisenach 2019: a 8.6M × 0.5 × 306/365 = 3,604,931.51 → 3,604,932; partial 7.5M × 0.4 × 306/365 = 2,515,068.49 → 2,515,068.
        expect(cont(EISENACH, 2019)).toBe(3_604_932 + 2_515_068);
        // 2020: a full year 4,300,000; partial until 30 Jun (abolished from 1 Jul): 3M × 182/366 = 1,491,803.28 → 1,491,803.
        expect(cont(EISENACH, 2020)).toBe(4_300_000 + 1_491_803);
        expect(cont(EISENACH, 2021)).toBe(4_300_000);
        // Jena 2020 (leap year): b 8.6M × 0.5 × 306/366 = 3,595,081.97 → 3,595,082; 2021 adds follow-up with 40 %.
        expect(cont(JENA, 2020)).toBe(3_595_082);
        expect(cont(JENA, 2021)).toBe(4_300_000 + 3_000_000);
      });
    });

    describe('grant finance', () => {
      it('tracks awarded, drawn, remaining, amendments and money held beyond the spending window', async () => {
        const g = await c.award({ amountCents: 1_000_000, spendWithinDays: 42 });
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 300_000 } });
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-04-01', amountCents: 200_000 } });
        await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2017-06-01', amountCents: 1_200_000, reason: 'Aufstockung' } });
        await runner.catchUp();
        const at = async (asOf: string) => (await queryGrantFinance(database.db, { asOf }))[0]!;
        // 1 Mar + 42 days = 12 Apr is the last day of the window; held beyond from 13 Apr.
        expect(await at('2017-04-12')).toMatchObject({ awardedCents: 1_200_000, originalAmountCents: 1_000_000, drawnCents: 500_000, remainingCents: 700_000, heldBeyondWindowCents: 0 });
        expect(await at('2017-04-13')).toMatchObject({ heldBeyondWindowCents: 300_000 });
        const later = await at('2017-06-01');
        expect(later.heldBeyondWindowCents).toBe(500_000);
        expect(later.drawdowns).toEqual([
          { drawnOn: '2017-03-01', amountCents: 300_000, spendBy: '2017-04-12', unspentCents: 300_000, beyondWindow: true },
          { drawnOn: '2017-04-01', amountCents: 200_000, spendBy: '2017-05-13', unspentCents: 200_000, beyondWindow: true },
        ]);
        expect(later.amendments).toEqual([{ amendedOn: '2017-06-01', periodEnd: null, amountCents: 1_200_000, ownShareCents: null, reason: 'Aufstockung' }]);
      });

      it('proof-of-use deadlines and status for asOf (interim by 30 April, final 6 months after the period)', async () => {
        const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2019-12-31' });
        await runner.catchUp();
        const at = async (asOf: string) => (await queryGrantFinance(database.db, { asOf }))[0]!;
        expect(await at('2018-04-30')).toMatchObject({
          proofOfUseStatus: 'offen',
          interimProofsDueOn: ['2018-04-30', '2019-04-30'],
          finalProofDueOn: '2020-06-30',
          nextProofDueOn: '2018-04-30',
        });
        expect(await at('2018-05-01')).toMatchObject({ proofOfUseStatus: 'zwischennachweis-überfällig' });
        await c.grant(g, { type: 'SubmitProofOfUse', data: { submittedOn: '2018-05-10', kind: 'interim' } });
        await c.grant(g, { type: 'SubmitProofOfUse', data: { submittedOn: '2019-04-01', kind: 'interim' } });
        await runner.catchUp();
        expect(await at('2018-05-10')).toMatchObject({ proofOfUseStatus: 'zwischennachweis-eingereicht', nextProofDueOn: '2019-04-30' });
        expect(await at('2020-06-30')).toMatchObject({ proofOfUseStatus: 'zwischennachweis-eingereicht', nextProofDueOn: '2020-06-30' });
        expect(await at('2020-07-01')).toMatchObject({ proofOfUseStatus: 'verwendungsnachweis-überfällig' });
        await c.grant(g, { type: 'SubmitProofOfUse', data: { submittedOn: '2020-07-15', kind: 'final' } });
        await c.grant(g, { type: 'CloseGrant', data: { closedOn: '2020-09-01' } });
        await runner.catchUp();
        expect(await at('2020-07-15')).toMatchObject({ proofOfUseStatus: 'verwendungsnachweis-eingereicht', nextProofDueOn: null, closedOn: '2020-09-01' });
      });

      it('finalProofDueOn is month-end safe: 31 Aug + 6 months = 28 Feb, or 29 Feb in a leap year', async () => {
        await c.award({ periodStart: '2017-01-01', periodEnd: '2019-08-31', reference: 'A' });
        await c.award({ periodStart: '2017-01-01', periodEnd: '2018-08-31', reference: 'B' });
        await runner.catchUp();
        const items = await queryGrantFinance(database.db, { asOf: '2019-01-01' });
        expect(items.map((i) => [i.reference, i.finalProofDueOn])).toEqual([
          ['A', '2020-02-29'],
          ['B', '2019-02-28'],
        ]);
      });
    });
  });
}

describe('date rules (pure)', () => {
  it('budget deadline: 1 December of the year before the first unfunded day', () => {
    expect(budgetDeadline('2021-12-31')).toBe('2021-12-01');
    expect(budgetDeadline('2021-12-30')).toBe('2020-12-01');
    expect(budgetDeadline('2021-06-30')).toBe('2020-12-01');
    expect(budgetDeadline('2020-02-29')).toBe('2019-12-01');
  });

  it('month-end thresholds: funding ending 31 Aug 2022 is within 18 months from 1 Mar 2021 (28 Feb 2021 + 18 months = 28 Aug 2022)', () => {
    const facts = { fundingEndsOn: '2022-08-31', decision: null, abolishedOn: null };
    const thresholds = { highMonths: 6, mediumMonths: 18 };
    expect(assessRisk(facts, '2021-02-28', thresholds).risk).toBe('none');
    expect(assessRisk(facts, '2021-03-01', thresholds).risk).toBe('medium');
    const late = { fundingEndsOn: '2021-12-31', decision: null, abolishedOn: null };
    expect(assessRisk(late, '2021-06-30').risk).toBe('medium');
    expect(assessRisk(late, '2021-07-01').risk).toBe('high');
    expect(finalProofDueOn('2019-08-31', 6)).toBe('2020-02-29');
    expect(finalProofDueOn('2021-08-31', 6)).toBe('2022-02-28');
  });

  it('a gap of one day is named in the singular', () => {
    const r = assessRisk(
      {
        fundingEndsOn: '2021-12-31',
        decision: { decision: 'own-funds', effectiveFrom: '2022-01-02', ownFundsSharePercent: 100, decidedBy: 'administration', resolutionRef: null, decidedOn: '2021-01-01' },
        abolishedOn: null,
      },
      '2021-01-01',
    );
    expect(r).toMatchObject({ risk: 'medium' });
    expect(r.reason).toMatch(/Lücke von 1 Tag zwischen/);
  });
});
