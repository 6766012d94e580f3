// Money and deadlines a finance office relies on (issue 14, items 1–11) and the two business-time
// rules (issue 9, item 5), each as given (commands through the deciders) / when (the runner catches
// up, a view is asked for asOf) / then (the figure), at the boundary days, with the hand computation
// in the name or beside the assertion. A property test records amendments in every order and
// expects the same views. Runs on PGlite always and on PostgreSQL when TEST_DATABASE_URL is set.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEvent, versioned, type AmendGrantBody } from '../../schemas/index.js';
import { grantDecider, type GrantState } from '../../src/domain/index.js';
import {
  allProjections,
  createProjectionRunner,
  ownShareByYear,
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryOwnFundsTotals,
  type ProjectionRunner,
} from '../../projections/index.js';
import { listGrants } from '../../projections/lists.js';
import { driverAvailable, drivers, type TestDatabase } from '../support/databases.js';
import { Commands, EISENACH, JENA, PostgresEventStore } from './support.js';

/** 73,000 € a year for a full-time post, in cents. */
const COST_73K = 7_300_000;

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`money and deadlines on ${driver.name}`, () => {
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

    const grantState = async (grantId: string): Promise<GrantState> =>
      (await store.readStream(`grant-${grantId}`)).reduce(
        (s, e) => grantDecider.evolve(s, parseEvent(e.type, e.schemaVersion, e.data) as never),
        grantDecider.initialState(),
      );
    const decide = (positionId: string, data: Record<string, unknown>, followUpGrant?: GrantState) =>
      c.position(positionId, {
        type: 'DecideContinuation',
        data: { decidedBy: 'administration', decidedOn: '2020-11-26', ...data } as never,
        ...(followUpGrant ? { followUpGrant } : {}),
      });
    const revoke = (positionId: string, revokedOn: string) =>
      c.position(positionId, { type: 'RevokeContinuationDecision', data: { revokedOn, reason: 'Haushaltssperre' } });
    const amend = (grantId: string, data: AmendGrantBody) => c.grant(grantId, { type: 'AmendGrant', data });
    const risk = async (positionId: string, asOf: string) =>
      (await queryContinuationRisk(database.db, { asOf })).find((r) => r.positionId === positionId)!;
    const endDate = async (positionId: string, asOf: string) =>
      (await queryEndDates(database.db, { asOf })).find((r) => r.positionId === positionId)!;
    const finance = async (grantId: string, asOf: string) => (await queryGrantFinance(database.db, { asOf })).find((g) => g.grantId === grantId)!;
    const continuation = async (municipality: string, fromYear: number, toYear: number) => {
      const items = await queryOwnFunds(database.db, { fromYear, toYear, municipality });
      return Array.from({ length: toYear - fromYear + 1 }, (_, i) =>
        items.filter((x) => x.year === fromYear + i).reduce((sum, x) => sum + x.continuationCents, 0),
      );
    };
    const ownShare = async (municipality: string, fromYear: number, toYear: number) => {
      const items = await queryOwnFunds(database.db, { fromYear, toYear, municipality });
      return Array.from({ length: toYear - fromYear + 1 }, (_, i) => items.filter((x) => x.year === fromYear + i).reduce((sum, x) => sum + x.ownShareCents, 0));
    };

    describe('item 1: a proof of use clears drawn money by the spending it reports, oldest drawdowns first', () => {
      it('given 3,000 € and 2,000 € drawn and an interim proof of 3,500 € spent on 28.04.2018, then 1,500 € of the second drawdown stay unspent (3,500 − 3,000 = 500 cleared of 2,000)', async () => {
        const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2019-12-31' });
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-03-01', amountCents: 300_000 } });
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-04-01', amountCents: 200_000 } });
        await c.grant(g, { type: 'SubmitProofOfUse', data: { submittedOn: '2018-04-28', kind: 'interim', spentCents: 350_000 } });
        // Drawn after the proof: the proof cannot account for it.
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2018-05-02', amountCents: 100_000 } });
        await runner.catchUp();
        // The day before the proof, everything drawn is held beyond its window.
        expect((await finance(g, '2018-04-27')).heldBeyondWindowCents).toBe(500_000);
        const onTheDay = await finance(g, '2018-04-28');
        expect(onTheDay.heldBeyondWindowCents).toBe(150_000);
        expect(onTheDay.drawdowns.map((d) => [d.unspentCents, d.beyondWindow])).toEqual([
          [0, false],
          [150_000, true],
        ]);
        expect(onTheDay.proofs).toEqual([{ submittedOn: '2018-04-28', kind: 'interim', spentCents: 350_000 }]);
        // 02.05.2018 + 42 days = 13.06.2018: the third drawdown is beyond its window from 14.06.2018.
        expect((await finance(g, '2018-06-13')).heldBeyondWindowCents).toBe(150_000);
        expect((await finance(g, '2018-06-14')).heldBeyondWindowCents).toBe(250_000);
      });
    });

    describe('item 2 and issue 9 item 5: a revocation is not retroactive; decisions and revocations count from their dates', () => {
      it('given own funds from 01.07.2021 revoked with revokedOn 30.06.2023, then 73,000 € × 184/365 = 36,800.00 € for 2021, 73,000.00 € for 2022, 73,000 € × 181/365 = 36,200.00 € for 2023, nothing for 2024', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-06-30' });
        const p = await c.establish(g, { annualCostCents: COST_73K });
        await decide(p, { decision: 'own-funds', effectiveFrom: '2021-07-01' });
        await revoke(p, '2023-06-30');
        await runner.catchUp();
        expect(await continuation(EISENACH, 2021, 2024)).toEqual([3_680_000, 7_300_000, 3_620_000, 0]);
      });

      it('given the revoked decision replaced by 50 % from 01.04.2023, then 2023 costs 73,000 € × 90/365 + 36,500 € × 275/365 = 18,000.00 + 27,500.00 = 45,500.00 €', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-06-30' });
        const p = await c.establish(g, { annualCostCents: COST_73K });
        await decide(p, { decision: 'own-funds', effectiveFrom: '2021-07-01' });
        await revoke(p, '2023-06-30');
        await decide(p, { decision: 'partial', effectiveFrom: '2023-04-01', ownFundsSharePercent: 50, decidedOn: '2023-06-30' });
        await runner.catchUp();
        expect(await continuation(EISENACH, 2023, 2024)).toEqual([1_800_000 + 2_750_000, 3_650_000]);
      });

      it('given a decision taken on 10.03.2021, then on 09.03.2021 the position is at risk as if undecided and low from 10.03.2021; revoked with revokedOn 01.05.2021, it is low on 30.04.2021 and high from 01.05.2021', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-06-30' });
        const p = await c.establish(g);
        await decide(p, { decision: 'own-funds', effectiveFrom: '2021-07-01', decidedOn: '2021-03-10' });
        await revoke(p, '2021-05-01');
        await runner.catchUp();
        const before = await risk(p, '2021-03-09');
        expect(before).toMatchObject({ risk: 'high', decision: null });
        expect(before.reason).toMatch(/^Keine Entscheidung über die Weiterführung;/);
        expect(await risk(p, '2021-03-10')).toMatchObject({ risk: 'low', decision: { decidedOn: '2021-03-10' } });
        expect(await risk(p, '2021-04-30')).toMatchObject({ risk: 'low' });
        const revoked = await risk(p, '2021-05-01');
        expect(revoked).toMatchObject({ risk: 'high', decision: null });
        expect(revoked.reason).toMatch(/die letzte Entscheidung wurde am 01\.05\.2021 aufgehoben/);
      });

      it('given own funds from 01.07.2021 and then an extension to 31.12.2021, then own funds cost nothing in 2021 (not 73,000 € × 184/365 = 36,800 €) and the reason says costs start on 01.01.2022', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-06-30' });
        const p = await c.establish(g, { annualCostCents: COST_73K });
        await decide(p, { decision: 'own-funds', effectiveFrom: '2021-07-01' });
        await amend(g, { amendedOn: '2021-05-20', periodEnd: '2021-12-31', reason: 'Verlängerung' });
        await runner.catchUp();
        expect(await continuation(EISENACH, 2021, 2022)).toEqual([0, 7_300_000]);
        const r = await risk(p, '2021-08-01');
        expect(r).toMatchObject({ risk: 'low', fundingEndsOn: '2021-12-31' });
        expect(r.reason).toMatch(/Kosten aus Eigenmitteln fallen daher erst ab dem 01\.01\.2022 an/);
      });
    });

    describe('item 3: an amendment under Anteilfinanzierung changes the own share; years before it keep their split', () => {
      it('given 100,000 € at 60 % for 2021–2022 (own share 100,000 × 40/60 = 66,666.67 €) raised to 120,000 € on 01.03.2022, then the own share is 120,000 × 40/60 = 80,000.00 €: 2021 keeps 66,666.67 × 365/730 = 33,333.34 €, 2022 gets 46,666.66 €', async () => {
        const g = await c.award({
          periodStart: '2021-01-01',
          periodEnd: '2022-12-31',
          amountCents: 10_000_000,
          financingType: 'anteil',
          fundingRatePercent: 60,
          ownShareCents: 6_666_667,
        });
        await runner.catchUp();
        expect(await ownShare(EISENACH, 2021, 2022)).toEqual([3_333_334, 3_333_333]);
        await amend(g, { amendedOn: '2022-03-01', amountCents: 12_000_000, reason: 'Aufstockung' });
        await runner.catchUp();
        expect(await ownShare(EISENACH, 2021, 2022)).toEqual([3_333_334, 4_666_666]);
        expect(await finance(g, '2022-03-01')).toMatchObject({ ownShareCents: 8_000_000, originalOwnShareCents: 6_666_667, awardedCents: 12_000_000 });
        expect((await finance(g, '2022-03-01')).amendments[0]).toMatchObject({ amountCents: 12_000_000, ownShareCents: 8_000_000 });
      });

      it('given 36,500 € own share for 2021 and an extension to 2022 dated 01.02.2022, then 2021 keeps all 36,500 €; dated 01.07.2021, the share is spread over both years (18,250 € each)', async () => {
        const late = await c.award({ periodStart: '2021-01-01', periodEnd: '2021-12-31', ownShareCents: 3_650_000 });
        await amend(late, { amendedOn: '2022-02-01', periodEnd: '2022-12-31', reason: 'Verlängerung' });
        const early = await c.award({ municipality: JENA, periodStart: '2021-01-01', periodEnd: '2021-12-31', ownShareCents: 3_650_000, reference: 'J-1' });
        await amend(early, { amendedOn: '2021-07-01', periodEnd: '2022-12-31', reason: 'Verlängerung' });
        await runner.catchUp();
        expect(await ownShare(EISENACH, 2021, 2022)).toEqual([3_650_000, 0]);
        expect(await ownShare(JENA, 2021, 2022)).toEqual([1_825_000, 1_825_000]);
      });

      it('ownShareByYear: the years always add up to the own share in force', () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 0, max: 10_000_000 }),
            fc.array(
              fc.record({
                amendedOn: fc.integer({ min: 0, max: 2000 }).map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
                periodEnd: fc.option(fc.integer({ min: 365, max: 2400 }).map((d) => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10))),
                ownShareCents: fc.option(fc.integer({ min: 0, max: 10_000_000 })),
              }),
              { maxLength: 4 },
            ),
            (share, amendments) => {
              const byYear = ownShareByYear({ periodStart: '2020-01-01', periodEnd: '2021-12-31', ownShareCents: share }, amendments);
              const sorted = [...amendments].sort((a, b) => (a.amendedOn < b.amendedOn ? -1 : a.amendedOn > b.amendedOn ? 1 : 0));
              const inForce = [share, ...sorted.map((a) => a.ownShareCents)].filter((x) => x !== null).at(-1)!;
              expect([...byYear.values()].reduce((a, b) => a + b, 0)).toBe(inForce);
            },
          ),
        );
      });
    });

    describe('item 4: follow-up funding ends; the position moves to the follow-up grant', () => {
      it('given a follow-up grant to 31.12.2024, then funding ends then (not never): none on 30.12.2023, medium from 31.12.2023 (12 months), high from 01.07.2024 (6 months), high in 2030; its rate and own share follow the new grant', async () => {
        const first = await c.award({ periodStart: '2016-07-01', periodEnd: '2021-06-30', programme: 'bildung-integriert' });
        const next = await c.award({
          programme: 'thilik',
          reference: 'SSR-2021-01',
          awardedOn: '2021-06-01',
          periodStart: '2021-07-01',
          periodEnd: '2024-12-31',
          financingType: 'anteil',
          fundingRatePercent: 60,
          amountCents: 15_000_000,
          ownShareCents: 10_000_000,
        });
        const p = await c.establish(first, { annualCostCents: COST_73K, fte: 0.5 });
        await decide(p, { decision: 'follow-up-funding', effectiveFrom: '2021-07-01', followUpGrantId: next, decidedOn: '2021-03-24' }, await grantState(next));
        await runner.catchUp();
        expect(await risk(p, '2023-12-30')).toMatchObject({ risk: 'none', fundingEndsOn: '2024-12-31', fundingGrantId: next, budgetDeadline: '2024-12-01' });
        expect(await risk(p, '2023-12-31')).toMatchObject({ risk: 'medium' });
        expect(await risk(p, '2024-06-30')).toMatchObject({ risk: 'medium' });
        expect(await risk(p, '2024-07-01')).toMatchObject({ risk: 'high' });
        const later = await risk(p, '2030-01-01');
        expect(later).toMatchObject({ risk: 'high', fundingEndsOn: '2024-12-31' });
        expect(later.reason).toMatch(/Förderung am 31\.12\.2024 endete/);
        // On 01.01.2022 the follow-up grant pays 60 %: own share 73,000 € × 0.5 × 40 % = 14,600.00 € a year.
        expect(await risk(p, '2022-01-01')).toMatchObject({ fundingRatePercent: 60, ownShareAnnualCents: 1_460_000, fullAnnualCostCents: 3_650_000 });
        expect((await endDate(p, '2022-01-01')).fundingEndsOn).toBe('2024-12-31');
        // The follow-up grant's own share counts under its programme; the position costs no continuation.
        expect(await continuation(EISENACH, 2021, 2025)).toEqual([0, 0, 0, 0, 0]);
      });

      it('given follow-up funding to 31.12.2024, then a decision for the time after it is taken without revoking it: own funds from 01.01.2025 cost 73,000 € in 2025', async () => {
        const first = await c.award({ periodStart: '2016-07-01', periodEnd: '2021-06-30' });
        const p = await c.establish(first, { annualCostCents: COST_73K });
        await decide(p, { decision: 'follow-up-funding', effectiveFrom: '2021-07-01', followUpEndsOn: '2024-12-31', ownFundsSharePercent: 40 });
        await decide(p, { decision: 'own-funds', effectiveFrom: '2025-01-01', decidedOn: '2023-11-20', decidedBy: 'council', resolutionRef: 'KT 7/2023' });
        await runner.catchUp();
        expect(await risk(p, '2023-11-19')).toMatchObject({ risk: 'none', fundingEndsOn: '2024-12-31', decision: null });
        expect(await risk(p, '2023-11-20')).toMatchObject({ risk: 'low', decision: { decision: 'own-funds' } });
        // 2021: 40 % of 73,000 € × 184/365 = 14,720.00 €; 2022–2024: 29,200.00 €; 2025: 73,000.00 €.
        expect(await continuation(EISENACH, 2021, 2025)).toEqual([1_472_000, 2_920_000, 2_920_000, 2_920_000, 7_300_000]);
      });

      it('given a follow-up grant of another municipality or none, then the decision is refused', async () => {
        const first = await c.award();
        const other = await c.award({ municipality: JENA, reference: 'J-1', periodStart: '2020-01-01', periodEnd: '2022-12-31' });
        const p = await c.establish(first);
        await expect(decide(p, { decision: 'follow-up-funding', effectiveFrom: '2020-01-01', followUpGrantId: other }, await grantState(other))).rejects.toMatchObject({
          rule: 'follow-up-grant-municipality-mismatch',
        });
        await expect(decide(p, { decision: 'follow-up-funding', effectiveFrom: '2020-01-01' })).rejects.toMatchObject({ rule: 'follow-up-unnamed' });
      });
    });

    describe('item 5: the notice with the later amendedOn governs, whatever the order of recording', () => {
      it('given the notice of 01.05.2020 (end 30.06.2021) recorded before an older one of 02.10.2019 (end 31.12.2020), then funding ends 30.06.2021 in every view', async () => {
        const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2019-12-31' });
        const p = await c.establish(g);
        await amend(g, { amendedOn: '2020-05-01', periodEnd: '2021-06-30', reason: 'zweite Verlängerung' });
        await amend(g, { amendedOn: '2019-10-02', periodEnd: '2020-12-31', amountCents: 25_000_000, reason: 'erste Verlängerung (nachgetragen)' });
        await runner.catchUp();
        expect((await grantState(g)) as { periodEnd: string }).toMatchObject({ periodEnd: '2021-06-30', amountCents: 25_000_000 });
        expect((await endDate(p, '2020-01-01')).fundingEndsOn).toBe('2021-06-30');
        expect((await risk(p, '2020-01-01')).fundingEndsOn).toBe('2021-06-30');
        const f = await finance(g, '2020-01-01');
        expect(f).toMatchObject({ periodEnd: '2021-06-30', awardedCents: 25_000_000, finalProofDueOn: '2021-12-31' });
        expect(f.amendments.map((a) => a.amendedOn)).toEqual(['2019-10-02', '2020-05-01']);
      });

      it('property: recording amendments in any order gives the same views', async () => {
        const dayArb = fc.integer({ min: 0, max: 1500 });
        const iso = (d: number) => new Date(Date.UTC(2018, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        const amendmentArb = fc.record({ end: fc.option(dayArb, { nil: undefined }), amount: fc.option(fc.integer({ min: 100, max: 300 }), { nil: undefined }) });
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(dayArb, { minLength: 1, maxLength: 4 }).chain((days) =>
              fc.tuple(fc.constant(days), fc.array(amendmentArb, { minLength: days.length, maxLength: days.length }), fc.shuffledSubarray(days.map((_, i) => i), { minLength: days.length, maxLength: days.length })),
            ),
            async ([days, changes, order]) => {
              await database.dispose();
              database = await driver.open();
              store = new PostgresEventStore(database.db);
              c = new Commands(store);
              runner = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: 5 });
              const amendments = days.map((d, i): AmendGrantBody => {
                const ch = changes[i]!;
                const periodEnd = ch.end === undefined && ch.amount === undefined ? iso(d + 400) : ch.end === undefined ? undefined : iso(ch.end + 400);
                return {
                  amendedOn: iso(d),
                  reason: `Änderung ${i}`,
                  ...(periodEnd === undefined ? {} : { periodEnd }),
                  ...(ch.amount === undefined ? {} : { amountCents: ch.amount * 100_000 }),
                };
              });
              const record = async (municipality: string, sequence: AmendGrantBody[]) => {
                // Anteilfinanzierung at 80 %: each amount-changing notice also sets the own share (amount × 20/80).
                const g = await c.award({ municipality, reference: `R-${municipality}`, periodStart: '2018-01-01', periodEnd: '2019-12-31', financingType: 'anteil', fundingRatePercent: 80, amountCents: 20_000_000, ownShareCents: 5_000_000 });
                const p = await c.establish(g, { annualCostCents: COST_73K });
                await decide(p, { decision: 'own-funds', effectiveFrom: '2020-01-01', decidedOn: '2019-06-01' });
                for (const a of sequence) await amend(g, a);
                return { g, p };
              };
              const inOrder = await record(EISENACH, [...amendments].sort((a, b) => a.amendedOn.localeCompare(b.amendedOn)));
              const shuffled = await record(JENA, order.map((i) => amendments[i]!));
              await runner.catchUp();
              const strip = (x: object) => JSON.parse(JSON.stringify(x, (k, v) => (['grantId', 'positionId', 'municipality', 'reference', 'fundingGrantId'].includes(k) ? undefined : v)));
              for (const asOf of ['2019-06-30', '2021-01-01', '2023-06-30']) {
                expect(strip(await risk(shuffled.p, asOf))).toEqual(strip(await risk(inOrder.p, asOf)));
                expect(strip(await endDate(shuffled.p, asOf))).toEqual(strip(await endDate(inOrder.p, asOf)));
                expect(strip(await finance(shuffled.g, asOf))).toEqual(strip(await finance(inOrder.g, asOf)));
              }
              const byYear = async (m: string) => (await queryOwnFunds(database.db, { fromYear: 2018, toYear: 2024, municipality: m })).map(strip);
              expect(await byYear(JENA)).toEqual(await byYear(EISENACH));
              const listed = async (m: string) => (await listGrants(database.db, { asOf: '2021-01-01', municipality: m, limit: 10 })).items.map((g) => strip({ ...g, id: undefined }));
              expect(await listed(JENA)).toEqual(await listed(EISENACH));
            },
          ),
          { numRuns: driver.name === 'pglite' ? 8 : 4 },
        );
      });
    });

    describe('item 6: warn before the budget deadline', () => {
      it('given funding ends 15.12.2025 (deadline 01.12.2024), then none on 31.08.2024, medium from 01.09.2024 ("Haushaltsfrist in 91 Tagen"), "heute" on 01.12.2024, high on 02.12.2024', async () => {
        const g = await c.award({ periodStart: '2023-01-01', periodEnd: '2025-12-15', programme: 'thilik' });
        const p = await c.establish(g);
        await runner.catchUp();
        expect(await risk(p, '2024-08-31')).toMatchObject({ risk: 'none', budgetDeadline: '2024-12-01' });
        const first = await risk(p, '2024-09-01');
        expect(first.risk).toBe('medium');
        expect(first.reason).toMatch(/Haushaltsfrist in 91 Tagen \(01\.12\.2024/);
        expect((await risk(p, '2024-11-30')).reason).toMatch(/Haushaltsfrist in 1 Tag /);
        expect(await risk(p, '2024-12-01')).toMatchObject({ risk: 'medium' });
        expect((await risk(p, '2024-12-01')).reason).toMatch(/Haushaltsfrist heute/);
        expect(await risk(p, '2024-12-02')).toMatchObject({ risk: 'high' });
        // The setting: 1 month before the deadline, medium only from 01.11.2024.
        const at = async (asOf: string) =>
          (await queryContinuationRisk(database.db, { asOf, thresholds: { highMonths: 6, mediumMonths: 12, budgetWarningMonths: 1 } }))[0]!.risk;
        expect([await at('2024-10-31'), await at('2024-11-01')]).toEqual(['none', 'medium']);
      });
    });

    describe('item 7: spending windows in months', () => {
      it('given a window of 2 months, then money drawn on 31.01. is to be spent by 31.03., on 30.06. by 30.08., on 31.12. by 28.02.', async () => {
        const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2018-12-31', spendWithin: { months: 2 }, spendWithinDays: undefined });
        for (const drawnOn of ['2017-01-31', '2017-06-30', '2017-12-31']) await c.grant(g, { type: 'DrawFunds', data: { drawnOn, amountCents: 100 } });
        await runner.catchUp();
        const f = await finance(g, '2018-03-01');
        expect(f).toMatchObject({ spendWithin: { months: 2 }, spendWithinDays: null });
        expect(f.drawdowns.map((d) => d.spendBy)).toEqual(['2017-03-31', '2017-08-30', '2018-02-28']);
        expect((await finance(g, '2018-02-28')).drawdowns.map((d) => d.beyondWindow)).toEqual([true, true, false]);
        expect((await finance(g, '2018-03-01')).drawdowns.map((d) => d.beyondWindow)).toEqual([true, true, true]);
      });

      it('given the window corrected to 60 days (older spelling) or to 1 month, then the view follows the correction: 31.01. + 60 days = 01.04., + 1 month = 28.02.', async () => {
        const g = await c.award({ periodStart: '2017-01-01', periodEnd: '2018-12-31', spendWithin: { months: 2 } });
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-01-31', amountCents: 100 } });
        await c.grant(g, { type: 'CorrectGrant', data: { changes: { spendWithinDays: 60 }, reason: 'Tippfehler' } });
        await runner.catchUp();
        expect(await finance(g, '2017-06-01')).toMatchObject({ spendWithin: { days: 60 }, spendWithinDays: 60 });
        expect((await finance(g, '2017-06-01')).drawdowns[0]!.spendBy).toBe('2017-04-01');
        await c.grant(g, { type: 'CorrectGrant', data: { changes: { spendWithin: { months: 1 } }, reason: 'Bescheid nachgelesen' } });
        await runner.catchUp();
        expect((await finance(g, '2017-06-01')).drawdowns[0]!.spendBy).toBe('2017-02-28');
        expect(await grantState(g)).toMatchObject({ spendWithin: { months: 1 }, spendWithinDays: null });
      });
    });

    describe('item 8: a programme end recorded later caps the funding end', () => {
      it('given a grant to 31.12.2022 and the programme end 31.12.2021 recorded afterwards, then funding ends 31.12.2021 with a note, the deadline is 01.12.2021 and own funds from 01.01.2022 cost from then', async () => {
        const g = await c.award({ programme: 'thilik', periodStart: '2019-01-01', periodEnd: '2022-12-31' });
        const p = await c.establish(g, { annualCostCents: COST_73K });
        await decide(p, { decision: 'own-funds', effectiveFrom: '2022-01-01' });
        await runner.catchUp();
        expect((await risk(p, '2021-06-01')).fundingEndsOn).toBe('2022-12-31');
        expect(await continuation(EISENACH, 2022, 2022)).toEqual([0]);
        await store.append('programme-thilik', [versioned('ProgrammeEndDateSet', { endsOn: '2021-12-31', reason: 'Förderperiode endet' })], { expectedVersion: 'any' });
        await runner.catchUp();
        const r = await risk(p, '2021-06-01');
        expect(r).toMatchObject({ fundingEndsOn: '2021-12-31', budgetDeadline: '2021-12-01' });
        expect(r.notes.join(' ')).toMatch(/Förderprogramm endet am 31\.12\.2021, vor dem Ende des Bewilligungszeitraums am 31\.12\.2022/);
        const e = await endDate(p, '2021-06-01');
        expect(e).toMatchObject({ fundingEndsOn: '2021-12-31', programmeEndsOn: '2021-12-31' });
        expect(e.notes).toHaveLength(1);
        expect(await continuation(EISENACH, 2022, 2022)).toEqual([7_300_000]);
      });
    });

    describe('item 10: leadership figures per position and per municipality', () => {
      it('given 73,000 € at 0.5 VZÄ on a 60 % grant, then 14,600.00 € own share a year while funded and 36,500.00 € full cost after; after the end 36,500 € (own funds), 18,250 € (50 %), 36,500 € (no decision), 0 € (discontinued)', async () => {
        const g = await c.award({ programme: 'thilik', periodStart: '2022-01-01', periodEnd: '2023-12-31', financingType: 'anteil', fundingRatePercent: 60, amountCents: 10_950_000, ownShareCents: 7_300_000 });
        const [own, half, none, stop] = [await c.establish(g, { annualCostCents: COST_73K, fte: 0.5 }), await c.establish(g, { annualCostCents: COST_73K, fte: 0.5 }), await c.establish(g, { annualCostCents: COST_73K, fte: 0.5 }), await c.establish(g, { annualCostCents: COST_73K, fte: 0.5 })];
        await decide(own!, { decision: 'own-funds', effectiveFrom: '2024-01-01' });
        await decide(half!, { decision: 'partial', effectiveFrom: '2024-01-01', ownFundsSharePercent: 50 });
        await decide(stop!, { decision: 'discontinue', effectiveFrom: '2024-01-01' });
        await runner.catchUp();
        for (const p of [own, half, none, stop]) {
          expect(await risk(p!, '2023-12-31')).toMatchObject({ fundingRatePercent: 60, ownShareAnnualCents: 1_460_000, fullAnnualCostCents: 3_650_000 });
        }
        expect((await risk(own!, '2024-01-01')).ownShareAnnualCents).toBe(3_650_000);
        expect((await risk(half!, '2024-01-01')).ownShareAnnualCents).toBe(1_825_000);
        expect((await risk(none!, '2024-01-01')).ownShareAnnualCents).toBe(3_650_000);
        expect((await risk(stop!, '2024-01-01')).ownShareAnnualCents).toBe(0);
      });

      it('given own shares in two programmes of one municipality, then the municipality total per budget year adds them up', async () => {
        await c.award({ programme: 'thilik', reference: 'T-1', periodStart: '2022-01-01', periodEnd: '2022-12-31', ownShareCents: 1_000_000 });
        await c.award({ programme: 'bildung-integriert', reference: 'B-1', periodStart: '2022-01-01', periodEnd: '2023-12-31', ownShareCents: 730_000 });
        await c.award({ municipality: JENA, reference: 'J-1', periodStart: '2022-01-01', periodEnd: '2022-12-31', ownShareCents: 5 });
        await runner.catchUp();
        const totals = await queryOwnFundsTotals(database.db, { fromYear: 2022, toYear: 2023 });
        // Eisenach 2022: 10,000.00 € + 7,300.00 € × 365/730 = 13,650.00 €; 2023: 3,650.00 €.
        expect(totals).toEqual([
          { municipality: JENA, year: 2022, ownShareCents: 5, continuationCents: 0, totalCents: 5 },
          { municipality: JENA, year: 2023, ownShareCents: 0, continuationCents: 0, totalCents: 0 },
          { municipality: EISENACH, year: 2022, ownShareCents: 1_365_000, continuationCents: 0, totalCents: 1_365_000 },
          { municipality: EISENACH, year: 2023, ownShareCents: 365_000, continuationCents: 0, totalCents: 365_000 },
        ].sort((a, b) => a.municipality.localeCompare(b.municipality) || a.year - b.year));
      });
    });

    describe('item 11: early start, contract signing date, decisions after the budget deadline', () => {
      it('given an early start approved from 01.02.2017 for a notice of 01.03.2017, then staffing from 01.02.2017 is no warning and from 31.01.2017 is one', async () => {
        const g = await c.award({ awardedOn: '2017-03-01', periodStart: '2017-01-01', earlyStartApprovedOn: '2017-02-01' });
        const ok = await c.establish(g);
        const early = await c.establish(g);
        await c.position(ok, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2017-02-01', fte: 1 } });
        await c.position(early, { type: 'StaffPosition', data: { personRef: 'P-2', startsOn: '2017-01-31', fte: 1 } });
        await runner.catchUp();
        expect((await endDate(ok, '2017-06-01')).warnings).toEqual([]);
        expect((await endDate(early, '2017-06-01')).warnings).toEqual([
          'Besetzung ab 31.01.2017, vor dem genehmigten vorzeitigen Maßnahmebeginn am 01.02.2017 und vor dem Zuwendungsbescheid vom 01.03.2017: förderschädlicher Maßnahmebeginn.',
        ]);
      });

      it('given a contract signed on 28.02.2017 for a start on 01.04.2017 and a notice of 01.03.2017, then the signing date counts: a warning; signed on 01.03.2017, none', async () => {
        const g = await c.award({ awardedOn: '2017-03-01', periodStart: '2017-01-01' });
        const signedEarly = await c.establish(g);
        const signedOnTime = await c.establish(g);
        await c.position(signedEarly, { type: 'StaffPosition', data: { personRef: 'P-1', startsOn: '2017-04-01', fte: 1, contractSignedOn: '2017-02-28' } });
        await c.position(signedOnTime, { type: 'StaffPosition', data: { personRef: 'P-2', startsOn: '2017-04-01', fte: 1, contractSignedOn: '2017-03-01' } });
        await runner.catchUp();
        expect((await endDate(signedEarly, '2017-06-01')).warnings[0]).toMatch(/^Arbeitsvertrag unterschrieben am 28\.02\.2017 vor dem Zuwendungsbescheid vom 01\.03\.2017/);
        expect((await endDate(signedOnTime, '2017-06-01')).warnings).toEqual([]);
      });

      it('given funding ending 30.06.2021 (deadline 01.12.2020), then a decision of 01.12.2020 has no note and one of 02.12.2020 has one', async () => {
        const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-06-30' });
        const inTime = await c.establish(g);
        const late = await c.establish(g);
        await decide(inTime, { decision: 'own-funds', effectiveFrom: '2021-07-01', decidedOn: '2020-12-01' });
        await decide(late, { decision: 'own-funds', effectiveFrom: '2021-07-01', decidedOn: '2020-12-02' });
        await runner.catchUp();
        expect((await risk(inTime, '2021-01-01')).notes).toEqual([]);
        expect((await risk(late, '2021-01-01')).notes).toEqual([
          'Die Entscheidung vom 02.12.2020 fiel nach der Haushaltsfrist am 01.12.2020 (§ 57 Abs. 2 ThürKO): die Mittel müssen über einen Nachtragshaushalt oder eine überplanmäßige Ausgabe bereitgestellt werden.',
        ]);
      });
    });
  });
}
