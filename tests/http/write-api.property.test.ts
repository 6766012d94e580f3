// Property: whatever JSON body and id a client sends to any POST route, the answer is 2xx or 4xx —
// never 5xx — and after every 4xx the log is exactly as before.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { grantBody, positionBody } from '../support/fixtures.js';
import { testApp, type TestApp } from '../support/http.js';

const ROUTES = [
  { path: () => '/api/v1/grants', valid: () => grantBody() },
  { path: (id: string) => `/api/v1/grants/${id}/amendments`, valid: () => ({ amendedOn: '2019-06-14', periodEnd: '2021-06-30', reason: 'Verlängerung' }) },
  { path: (id: string) => `/api/v1/grants/${id}/drawdowns`, valid: () => ({ drawnOn: '2017-03-31', amountCents: 1000 }) },
  { path: (id: string) => `/api/v1/grants/${id}/proof-of-use`, valid: () => ({ submittedOn: '2018-04-28', kind: 'interim' }) },
  { path: (id: string) => `/api/v1/grants/${id}/close`, valid: () => ({ closedOn: '2022-04-04' }) },
  { path: () => '/api/v1/positions', valid: (grantId: string) => positionBody(grantId) },
  { path: (id: string) => `/api/v1/positions/${id}/staffing`, valid: () => ({ personRef: 'P-1', startsOn: '2016-10-01', fte: 0.5 }) },
  { path: (id: string) => `/api/v1/positions/${id}/vacancies`, valid: () => ({ vacatedOn: '2019-03-31', reason: 'Wechsel' }) },
  { path: (id: string) => `/api/v1/positions/${id}/continuation-decisions`, valid: () => ({ decision: 'own-funds', effectiveFrom: '2021-07-01', decidedBy: 'council', resolutionRef: 'B-1', decidedOn: '2020-10-21' }) },
  { path: (id: string) => `/api/v1/positions/${id}/continuation-decisions/revoke`, valid: () => ({ revokedOn: '2021-01-15', reason: 'aufgehoben' }) },
  { path: (id: string) => `/api/v1/positions/${id}/abolish`, valid: () => ({ abolishedOn: '2021-07-01' }) },
  { path: (code: string) => `/api/v1/programmes/${code}/end-date`, valid: () => ({ endsOn: '2027-12-31' }) },
];

describeEachDatabase('random requests to every POST route', (suite) => {
  let t: TestApp;
  let ids: string[];

  beforeAll(async () => {
    t = await testApp(suite.database);
    const grant = (await (await t.post('/api/v1/grants', grantBody())).json()) as { id: string };
    const position = (await (await t.post('/api/v1/positions', positionBody(grant.id))).json()) as { id: string };
    ids = [grant.id, position.id, 'thilik'];
  });

  it('answers 2xx or 4xx, and a 4xx changes nothing', async () => {
    const id = fc.oneof(
      { arbitrary: fc.constant('<matching>'), weight: 4 },
      fc.uuid(),
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', '..', '%00', 'x'.repeat(10_000), "1' or '1'='1"),
    );
    const field = fc.string({ maxLength: 12 });
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      // A valid body with one field replaced by anything, or one extra field.
      fc.record({ route: fc.nat(ROUTES.length - 1), key: field, value: fc.jsonValue({ maxDepth: 2 }), replace: fc.boolean() }).map(
        ({ route, key, value, replace }) => {
          const valid = ROUTES[route]!.valid(ids[0]!) as Record<string, unknown>;
          const keys = Object.keys(valid);
          const target = replace ? keys[key.length % keys.length]! : key;
          return { ...valid, [target]: value };
        },
      ),
      { arbitrary: fc.constant('<valid>'), weight: 3 },
    );
    const ifMatch = fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.nat(5).map((n) => `W/"${n}"`)), { nil: undefined, freq: 4 });

    await fc.assert(
      fc.asyncProperty(fc.nat(ROUTES.length - 1), id, body, ifMatch, async (route, rawId, generated, match) => {
        const before = await t.store.headPosition();
        // Grant routes come first, then position routes, then the programme route.
        const matching = route < 5 ? ids[0]! : route < 11 ? ids[1]! : ids[2]!;
        const path = ROUTES[route]!.path(encodeURIComponent(rawId === '<matching>' ? matching : rawId));
        const payload: unknown = generated === '<valid>' ? ROUTES[route]!.valid(ids[0]!) : generated;
        const headers: Record<string, string> = match === undefined ? {} : { 'if-match': match };
        const response = await t.post(path, JSON.stringify(payload), headers);
        expect(response.status, `${path} → ${response.status}: ${await response.clone().text()}`).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
          expect(await t.store.headPosition()).toBe(before);
        } else {
          expect(await t.store.headPosition()).toBeGreaterThan(before);
        }
      }),
      { numRuns: suite.driver.name === 'pglite' ? 300 : 150 },
    );
    expect(await t.store.verify()).toMatchObject({ ok: true });
  });
}, { per: 'suite' });
