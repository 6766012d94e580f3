// The programme register, the municipality register and corrections (void, correction, reversal)
// over HTTP, on PGlite and — with TEST_DATABASE_URL — PostgreSQL. The property test records random
// records, voids them, and checks every read table is exactly as before they were recorded.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { dumpTables } from '../projections/support.js';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody, positionBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

const WARTBURGKREIS = '16063000';
const EISENACH = '16056000';

const kommunen = {
  code: 'bildungskommunen',
  name: 'Bildungskommunen',
  funderKind: 'bund',
  funderName: 'BMBF (ESF Plus)',
  legalBasis: 'Förderrichtlinie Bildungskommunen (ESF Plus)',
  guidelineDate: '2021-12-01',
  startsOn: '2022-01-01',
  endsOn: '2028-12-31',
  fundedRoles: ['bildungsmanagement', 'bildungsmonitoring'],
  grantDefaults: { financingType: 'anteil', fundingRatePercent: 60 },
};
const kommunenGrant = (over: Record<string, unknown> = {}) => ({
  municipality: WARTBURGKREIS,
  programme: 'bildungskommunen',
  reference: '01JL2302',
  awardedOn: '2022-11-28',
  periodStart: '2023-01-01',
  periodEnd: '2026-12-31',
  amountCents: 20_640_000,
  ownShareCents: 13_760_000,
  ...over,
});

describeEachDatabase('registers and corrections', (suite) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await testApp(suite.database);
  });

  const json = async <T = Record<string, unknown>>(response: Response, status: number): Promise<T> => {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return JSON.parse(text) as T;
  };
  const created = async (path: string, body: unknown) => json<{ id: string; version: number; globalPosition: number }>(await t.post(path, body), 201);
  const ifMatch = (version: number) => ({ 'if-match': `W/"${version}"` });

  describe('programme register', () => {
    it('an admin for all municipalities registers a programme; it is listed and grants take its defaults', async () => {
      const registered = await created('/api/v1/programmes', kommunen);
      expect(registered.id).toBe('bildungskommunen');
      const grant = await created('/api/v1/grants', kommunenGrant());
      const state = await json<Record<string, unknown>>(await t.get(`/api/v1/grants/${grant.id}`), 200);
      expect(state).toMatchObject({ financingType: 'anteil', fundingRatePercent: 60, spendWithinDays: 42, finalProofDueMonths: 6 });
      await t.runner.catchUp();
      const list = await json<{ items: { code: string; fundedRoles: string[] | null }[] }>(await t.get('/api/v1/programmes'), 200);
      expect(list.items.map((p) => p.code)).toEqual(['bildung-integriert', 'bildungskommunen', 'neuzugewanderte', 'thilik']);
      expect(list.items.find((p) => p.code === 'thilik')?.fundedRoles).toEqual(['integrationsmanagement']);
      const one = await json<Record<string, unknown>>(await t.get('/api/v1/programmes/bildungskommunen'), 200);
      expect(one).toMatchObject({ funderKind: 'bund', guidelineDate: '2021-12-01', endsOn: '2028-12-31', version: 1 });
    });

    it('only an admin for all municipalities may register or change a programme (403, nothing recorded)', async () => {
      const head = await t.store.headPosition();
      for (const token of [await tokenFor({ role: 'finance', municipalities: '*' }), await tokenFor({ role: 'admin', municipalities: [JENA] })]) {
        const headers = { authorization: `Bearer ${token}` };
        expect((await t.post('/api/v1/programmes', kommunen, headers)).status).toBe(403);
        expect((await t.post('/api/v1/programmes/thilik/changes', { name: 'x', reason: 'r' }, headers)).status).toBe(403);
        expect((await t.post('/api/v1/programmes/thilik/end-date', { endsOn: '2030-12-31' }, headers)).status).toBe(403);
      }
      expect(await t.store.headPosition()).toBe(head);
    });

    it('changes are events: name, term, roles and defaults; GET shows them with the reason', async () => {
      await created('/api/v1/programmes', kommunen);
      const change = await t.post('/api/v1/programmes/bildungskommunen/changes', { endsOn: '2029-06-30', fundedRoles: ['bildungsmanagement'], reason: 'Verlängerung der Richtlinie' });
      expect(change.status).toBe(200);
      const state = await json<Record<string, unknown>>(await t.get('/api/v1/programmes/bildungskommunen'), 200);
      expect(state).toMatchObject({ endsOn: '2029-06-30', fundedRoles: ['bildungsmanagement'], changes: [{ reason: 'Verlängerung der Richtlinie' }] });
      const empty = await json<{ errors: unknown[] }>(await t.post('/api/v1/programmes/bildungskommunen/changes', { reason: 'nichts' }), 400);
      expect(empty.errors.length).toBeGreaterThan(0);
    });

    it('422 with a German explanation naming the rule: outside the term, unfunded role, contradicting figures, unregistered programme', async () => {
      await created('/api/v1/programmes', kommunen);
      const outside = await json<{ rule: string; detail: string }>(await t.post('/api/v1/grants', kommunenGrant({ periodEnd: '2029-01-01' })), 422);
      expect(outside.rule).toBe('grant-outside-programme-term');
      expect(outside.detail).toContain('Regel: Eine Zuwendung liegt innerhalb der Programmlaufzeit');
      const figures = await json<{ rule: string; detail: string }>(await t.post('/api/v1/grants', kommunenGrant({ ownShareCents: 0 })), 422);
      expect(figures.rule).toBe('financing-contradiction');
      expect(figures.detail).toContain('Anteilfinanzierung mit 60 % Förderquote');
      const unknown = await json<{ rule: string }>(await t.post('/api/v1/grants', kommunenGrant({ programme: 'nicht-registriert' })), 422);
      expect(unknown.rule).toBe('programme-not-registered');
      const grant = await created('/api/v1/grants', kommunenGrant());
      const role = await json<{ rule: string; detail: string }>(
        await t.post('/api/v1/positions', positionBody(grant.id, { municipality: WARTBURGKREIS, programme: 'bildungskommunen', role: 'integrationsmanagement', establishedOn: '2023-01-01' })),
        422,
      );
      expect(role.rule).toBe('role-not-funded');
      expect(role.detail).toContain('fördert keine Stellen für Integrationsmanagement');
    });
  });

  describe('municipality register', () => {
    it('lists every German Kreis with its Land; Eisenach is kept with its end and successor', async () => {
      const all = await json<{ items: { ags: string; land: string }[] }>(await t.get('/api/v1/municipalities'), 200);
      expect(all.items.length).toBeGreaterThanOrEqual(400);
      const th = await json<{ items: { ags: string; validTo: string | null; mergedInto: string | null }[] }>(await t.get('/api/v1/municipalities?land=TH'), 200);
      expect(th.items).toHaveLength(23);
      expect(th.items.find((m) => m.ags === EISENACH)).toMatchObject({ validTo: '2021-06-30', mergedInto: WARTBURGKREIS });
      const now = await json<{ items: { ags: string }[] }>(await t.get('/api/v1/municipalities?land=TH&validOn=2021-07-01'), 200);
      expect(now.items).toHaveLength(22);
      expect((await t.get('/api/v1/municipalities?land=XX')).status).toBe(400);
    });

    it('a grant for a Kreis outside Thüringen is accepted; Eisenach only up to 30.06.2021', async () => {
      await created('/api/v1/grants', grantBody({ municipality: '09162000', programme: 'thilik', reference: 'M-1', awardedOn: '2021-06-30', periodStart: '2021-07-01', periodEnd: '2022-12-31', fundingRatePercent: 100, financingType: 'voll', ownShareCents: 0 }));
      const eisenach = { municipality: EISENACH, programme: 'thilik', reference: 'E-1', periodStart: '2021-07-01', periodEnd: '2022-12-31', fundingRatePercent: 100, financingType: 'voll', ownShareCents: 0 };
      await created('/api/v1/grants', grantBody({ ...eisenach, awardedOn: '2021-06-30' }));
      const late = await json<{ rule: string; detail: string }>(await t.post('/api/v1/grants', grantBody({ ...eisenach, awardedOn: '2021-07-01' })), 422);
      expect(late.rule).toBe('municipality-not-existing');
      expect(late.detail).toContain('Wartburgkreis (16063000)');
    });
  });

  describe('corrections', () => {
    it('void needs If-Match (428); a grant with positions cannot be voided; voided records leave views and lists but stay in the audit log', async () => {
      const grant = await created('/api/v1/grants', grantBody());
      const position = await created('/api/v1/positions', positionBody(grant.id));
      expect((await t.post(`/api/v1/positions/${position.id}/void`, { reason: 'doppelt erfasst' })).status).toBe(428);
      await t.runner.catchUp();
      const blocked = await json<{ rule: string }>(await t.post(`/api/v1/grants/${grant.id}/void`, { reason: 'doppelt erfasst' }, ifMatch(1)), 422);
      expect(blocked.rule).toBe('grant-has-positions');
      expect((await t.post(`/api/v1/positions/${position.id}/void`, { reason: 'doppelt erfasst' }, ifMatch(9))).status).toBe(409);
      await json(await t.post(`/api/v1/positions/${position.id}/void`, { reason: 'doppelt erfasst' }, ifMatch(1)), 200);
      await t.runner.catchUp();
      const voided = await json(await t.post(`/api/v1/grants/${grant.id}/void`, { reason: 'doppelt erfasst' }, ifMatch(1)), 200);
      await t.runner.catchUp();
      for (const view of ['end-dates', 'continuation-risk', 'finance/grants', 'staffing']) {
        const body = await json<{ items: unknown[] }>(await t.get(`/api/v1/${view}?municipality=${JENA}&asOf=2018-01-01`), 200);
        expect(body.items, view).toEqual([]);
      }
      const state = await json<Record<string, unknown>>(await t.get(`/api/v1/grants/${grant.id}`), 200);
      expect(state).toMatchObject({ status: 'voided', voidReason: 'doppelt erfasst' });
      const stream = await json<{ items: { type: string; metadata: { actor: { sub: string } } }[] }>(await t.get(`/api/v1/audit/streams/grant-${grant.id}`), 200);
      expect(stream.items.map((e) => e.type)).toEqual(['GrantAwarded', 'GrantVoided']);
      expect(stream.items[1]!.metadata.actor.sub).toBe('test-admin');
      expect(voided).toMatchObject({ version: 2 });
      const again = await json<{ rule: string }>(await t.post(`/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2017-01-02', amountCents: 100 }), 422);
      expect(again.rule).toBe('grant-voided');
    });

    it('a corrected grant shows in the views exactly like one recorded correctly (finance view, both grants side by side)', async () => {
      const wrong = await created('/api/v1/grants', grantBody({ reference: 'A', periodEnd: '2019-07-31', amountCents: 40_000_000, ownShareCents: 10_000_000 }));
      await t.post(`/api/v1/grants/${wrong.id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 5_000_000 });
      const right = await created('/api/v1/grants', grantBody({ reference: 'A', municipality: WEIMAR }));
      await t.post(`/api/v1/grants/${right.id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 5_000_000 });
      const fix = await t.post(
        `/api/v1/grants/${wrong.id}/corrections`,
        { changes: { periodEnd: '2019-08-31', amountCents: 41_280_000, ownShareCents: 10_320_000 }, reason: 'Tippfehler im Bescheid übernommen' },
        ifMatch(2),
      );
      expect(fix.status, await fix.clone().text()).toBe(200);
      await t.runner.catchUp();
      const finance = await json<{ items: Record<string, unknown>[] }>(await t.get('/api/v1/finance/grants?asOf=2018-06-30'), 200);
      const strip = (i: Record<string, unknown>) => {
        const { grantId: _g, municipality: _m, municipalityName: _n, ...rest } = i;
        return rest;
      };
      const [a, b] = [finance.items.find((i) => i.grantId === wrong.id)!, finance.items.find((i) => i.grantId === right.id)!];
      expect(strip(a)).toEqual(strip(b));
      const state = await json<{ corrections: unknown[]; originalAmountCents: number }>(await t.get(`/api/v1/grants/${wrong.id}`), 200);
      expect(state.originalAmountCents).toBe(41_280_000);
      expect(state.corrections).toHaveLength(1);
    });

    it('reversals: a drawdown, a staffing and a decision in force; each entry by its number', async () => {
      const grant = await created('/api/v1/grants', grantBody());
      const draw = await json<{ version: number }>(await t.post(`/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 5_000_000 }), 200);
      const missing = await json<{ rule: string }>(await t.post(`/api/v1/grants/${grant.id}/drawdowns/1/reversal`, { reason: 'x' }, ifMatch(2)), 422);
      expect(missing.rule).toBe('drawdown-not-found');
      await json(await t.post(`/api/v1/grants/${grant.id}/drawdowns/${draw.version}/reversal`, { reason: 'falscher Betrag' }, ifMatch(2)), 200);
      const g = await json<{ drawnCents: number; drawdowns: unknown[] }>(await t.get(`/api/v1/grants/${grant.id}`), 200);
      expect(g).toMatchObject({ drawnCents: 0, drawdowns: [] });

      const position = await created('/api/v1/positions', positionBody(grant.id));
      const staffed = await json<{ version: number }>(await t.post(`/api/v1/positions/${position.id}/staffing`, { personRef: 'P-1', startsOn: '2016-09-01', fte: 1 }), 200);
      const decided = await json<{ version: number }>(
        await t.post(`/api/v1/positions/${position.id}/continuation-decisions`, { decision: 'own-funds', effectiveFrom: '2019-09-01', decidedBy: 'council', resolutionRef: 'SR-1', decidedOn: '2019-05-01' }),
        200,
      );
      await json(await t.post(`/api/v1/positions/${position.id}/staffing/${staffed.version}/reversal`, { reason: 'falsche Person' }, ifMatch(3)), 200);
      await json(await t.post(`/api/v1/positions/${position.id}/continuation-decisions/${decided.version}/reversal`, { reason: 'falsche Stelle' }, ifMatch(4)), 200);
      const p = await json<{ staffings: unknown[]; continuation: unknown; decisionHistory: unknown[] }>(await t.get(`/api/v1/positions/${position.id}`), 200);
      expect(p).toMatchObject({ staffings: [], continuation: null, decisionHistory: [] });
      await t.runner.catchUp();
      const risk = await json<{ items: { decision: unknown }[] }>(await t.get(`/api/v1/continuation-risk?municipality=${JENA}&asOf=2019-06-01`), 200);
      expect(risk.items[0]!.decision).toBeNull();
      expect((await t.post(`/api/v1/positions/${position.id}/staffing/abc/reversal`, { reason: 'x' }, ifMatch(5))).status).toBe(400);
    });

    it('a corrected position keeps a funded role only', async () => {
      const grant = await created('/api/v1/grants', grantBody());
      const position = await created('/api/v1/positions', positionBody(grant.id));
      const bad = await json<{ rule: string }>(await t.post(`/api/v1/positions/${position.id}/corrections`, { changes: { role: 'integrationsmanagement' }, reason: 'x' }, ifMatch(1)), 422);
      expect(bad.rule).toBe('role-not-funded');
      await json(await t.post(`/api/v1/positions/${position.id}/corrections`, { changes: { title: 'Bildungsmonitoring', role: 'bildungsmonitoring', fte: 0.5 }, reason: 'Stellenplan' }, ifMatch(1)), 200);
      await t.runner.catchUp();
      const dates = await json<{ items: Record<string, unknown>[] }>(await t.get(`/api/v1/end-dates?municipality=${JENA}&asOf=2018-01-01`), 200);
      expect(dates.items[0], JSON.stringify(dates.items[0])).toMatchObject({ title: 'Bildungsmonitoring', role: 'bildungsmonitoring' });
    });

    it('property: recording random records and then voiding them leaves every read table as before', async () => {
      const base = await created('/api/v1/grants', grantBody({ reference: 'BASE' }));
      await created('/api/v1/positions', positionBody(base.id));
      await t.runner.catchUp();
      const before = await dumpTables(suite.database.db);
      const record = fc.record({
        drawdowns: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 3 }),
        positions: fc.array(
          fc.record({ staffed: fc.boolean(), decided: fc.constantFrom('none', 'own-funds', 'partial'), fte: fc.constantFrom(0.5, 1) }),
          { maxLength: 2 },
        ),
        municipality: fc.constantFrom(JENA, WEIMAR),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 2 }), async (records) => {
          const made: { grant: string; positions: { id: string; version: number }[]; version: number }[] = [];
          for (const r of records) {
            const g = await created('/api/v1/grants', grantBody({ municipality: r.municipality, reference: 'RANDOM' }));
            let version = g.version;
            for (const [i, amount] of r.drawdowns.entries()) {
              version = (await json<{ version: number }>(await t.post(`/api/v1/grants/${g.id}/drawdowns`, { drawnOn: `2017-0${i + 2}-15`, amountCents: amount }), 200)).version;
            }
            const positions: { id: string; version: number }[] = [];
            for (const p of r.positions) {
              const created1 = await created('/api/v1/positions', positionBody(g.id, { municipality: r.municipality, fte: p.fte }));
              let pv = created1.version;
              if (p.staffed) pv = (await json<{ version: number }>(await t.post(`/api/v1/positions/${created1.id}/staffing`, { personRef: 'P-R', startsOn: '2016-10-01', fte: p.fte }), 200)).version;
              if (p.decided !== 'none') {
                const share = p.decided === 'partial' ? { ownFundsSharePercent: 50 } : {};
                pv = (await json<{ version: number }>(
                  await t.post(`/api/v1/positions/${created1.id}/continuation-decisions`, { decision: p.decided, ...share, effectiveFrom: '2019-09-01', decidedBy: 'administration', decidedOn: '2019-03-01' }),
                  200,
                )).version;
              }
              positions.push({ id: created1.id, version: pv });
            }
            made.push({ grant: g.id, positions, version });
          }
          await t.runner.catchUp();
          for (const m of made) {
            for (const p of m.positions) await json(await t.post(`/api/v1/positions/${p.id}/void`, { reason: 'Test' }, ifMatch(p.version)), 200);
            await t.runner.catchUp();
            await json(await t.post(`/api/v1/grants/${m.grant}/void`, { reason: 'Test' }, ifMatch(m.version)), 200);
          }
          await t.runner.catchUp();
          const after = await dumpTables(suite.database.db);
          for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
        }),
        { numRuns: suite.driver.name === 'pglite' ? 8 : 4 },
      );
    });
  });
});
