// The money and deadline rules of issue 14 over HTTP: the refusals (400 and 422 with the field or
// rule), the new request fields reaching the views, and GET /own-funds/municipalities in JSON and
// CSV. Runs on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config.js';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, grantBody, positionBody } from '../support/fixtures.js';
import { testApp, type TestApp } from '../support/http.js';

describe('setting BUDGET_DEADLINE_WARNING_MONTHS', () => {
  it('defaults to 3, takes 0–24 and refuses anything else', () => {
    expect(loadConfig({}).budgetWarningMonths).toBe(3);
    expect(loadConfig({ BUDGET_DEADLINE_WARNING_MONTHS: '1' }).budgetWarningMonths).toBe(1);
    expect(() => loadConfig({ BUDGET_DEADLINE_WARNING_MONTHS: '25' })).toThrow(ConfigError);
    expect(() => loadConfig({ BUDGET_DEADLINE_WARNING_MONTHS: 'drei' })).toThrow(/BUDGET_DEADLINE_WARNING_MONTHS/);
  });
});

describeEachDatabase('money and deadlines over HTTP', (suite) => {
  let t: TestApp;

  async function post(path: string, body: unknown): Promise<{ id: string; globalPosition: number }> {
    const response = await t.post(path, body);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as { id: string; globalPosition: number };
  }
  async function problem(path: string, body: unknown, status: number): Promise<Record<string, any>> {
    const response = await t.post(path, body);
    expect(response.status, await response.clone().text()).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    return (await response.json()) as Record<string, any>;
  }

  beforeEach(async () => {
    t = await testApp(suite.database);
  });

  it('refuses a drawdown dated before the grant notice with 422 and records nothing (notice 10.08.2016: 09.08.2016 refused, 10.08.2016 accepted)', async () => {
    const grant = await post('/api/v1/grants', grantBody({ periodStart: '2016-08-01' }));
    const refused = await problem(`/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2016-08-09', amountCents: 100 }, 422);
    expect(refused).toMatchObject({ rule: 'drawdown-before-award' });
    expect(refused.detail).toBe('Der Mittelabruf am 09.08.2016 liegt vor dem Zuwendungsbescheid vom 10.08.2016.');
    await post(`/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2016-08-10', amountCents: 100 });
    const state = (await (await t.get(`/api/v1/grants/${grant.id}`)).json()) as { drawnCents: number; version: number };
    expect(state).toMatchObject({ drawnCents: 100, version: 2 });
  });

  it('takes a spending window in months, a reported spending figure and an early start, and shows them in the finance view', async () => {
    const grant = await post('/api/v1/grants', grantBody({ spendWithin: { months: 2 }, earlyStartApprovedOn: '2016-07-01' }));
    await post(`/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2016-12-31', amountCents: 1_000_000 });
    const proof = await post(`/api/v1/grants/${grant.id}/proof-of-use`, { submittedOn: '2017-04-28', kind: 'interim', spentCents: 400_000 });
    await t.runner.catchUp();
    const view = (await (await t.get(`/api/v1/finance/grants?asOf=2017-04-28&minPosition=${proof.globalPosition}`)).json()) as { items: any[] };
    // 31.12.2016 + 2 months = 28.02.2017; 10,000 € − 4,000 € reported spent = 6,000 € held beyond the window.
    expect(view.items[0]).toMatchObject({ spendWithin: { months: 2 }, spendWithinDays: null, heldBeyondWindowCents: 600_000 });
    expect(view.items[0].drawdowns[0]).toMatchObject({ spendBy: '2017-02-28', unspentCents: 600_000, beyondWindow: true });
    const both = await problem('/api/v1/grants', grantBody({ spendWithin: { days: 42 }, spendWithinDays: 42 }), 400);
    expect(both.errors).toEqual([{ path: 'spendWithinDays', message: 'Entweder spendWithin oder spendWithinDays angeben, nicht beides.' }]);
  });

  it('refuses follow-up funding that names neither grant nor period (400), and abolishing a staffed position without the contract outcome (422)', async () => {
    const grant = await post('/api/v1/grants', grantBody());
    const position = await post('/api/v1/positions', positionBody(grant.id));
    const followUp = await problem(
      `/api/v1/positions/${position.id}/continuation-decisions`,
      { decision: 'follow-up-funding', effectiveFrom: '2019-09-01', decidedBy: 'administration', decidedOn: '2019-05-01' },
      400,
    );
    expect(followUp.errors.map((e: { path: string }) => e.path)).toEqual(['followUpGrantId']);
    await post(`/api/v1/positions/${position.id}/staffing`, { personRef: 'P-1', startsOn: '2016-10-01', fte: 1 });
    const abolish = await problem(`/api/v1/positions/${position.id}/abolish`, { abolishedOn: '2019-09-01' }, 422);
    expect(abolish).toMatchObject({ rule: 'abolish-staffed-position' });
    await post(`/api/v1/positions/${position.id}/abolish`, { abolishedOn: '2019-09-01', contractOutcome: 'Umsetzung in das Schulverwaltungsamt' });
  });

  it('GET /own-funds/municipalities: per municipality and budget year across programmes, in JSON and CSV', async () => {
    // Jena: 103,200 € own share over 01.09.2016–31.08.2019 (1,095 days); 2017: 103,200 € × 365/1,095 = 34,400.00 €.
    const grant = await post('/api/v1/grants', grantBody());
    await t.runner.catchUp();
    const response = await t.get(`/api/v1/own-funds/municipalities?year=2017&minPosition=${grant.globalPosition}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      years: [2017],
      items: [{ municipality: JENA, year: 2017, ownShareCents: 3_440_000, continuationCents: 0, totalCents: 3_440_000 }],
    });
    const csv = await t.get('/api/v1/own-funds/municipalities?year=2017', { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toContain('34400,00');
  });
});
