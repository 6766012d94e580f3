// Access control: every role × every route × own and other municipality, with the status each must
// get. The expectations are written out here by hand (not derived from the permission table), so a
// change to the table that breaks a rule of the issue fails this test.
import { beforeAll, expect, it } from 'vitest';
import type { Role } from '../../src/http/auth/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody, positionBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

type Scope = 'own' | 'other';
interface Ids {
  grant: string;
  position: string;
}
interface RouteCase {
  name: string;
  method: 'GET' | 'POST';
  path: (ids: Ids, municipality: string) => string;
  body?: (ids: Ids, municipality: string) => unknown;
  /** Expected status per role for [own, other] municipality. */
  expect: Record<Role, [number, number]>;
  /** What the position needs before the request: someone in post, or a decision in force. */
  prepare?: 'staffed' | 'decided';
}

const ALL_WRITE: Record<Role, [number, number]> = { admin: [200, 404], finance: [200, 404], leadership: [403, 403], auditor: [403, 403] };
const CREATE: Record<Role, [number, number]> = { admin: [201, 403], finance: [201, 403], leadership: [403, 403], auditor: [403, 403] };
// Leadership reads the records of its own municipalities (the record pages show their Verlauf).
const RECORDS: Record<Role, [number, number]> = { admin: [200, 404], finance: [200, 404], leadership: [200, 404], auditor: [200, 404] };
const VIEWS: Record<Role, [number, number]> = { admin: [200, 403], finance: [200, 403], leadership: [200, 403], auditor: [200, 403] };
const AUDIT_ALL: Record<Role, [number, number]> = { admin: [200, 200], finance: [403, 403], leadership: [403, 403], auditor: [200, 200] };
const AUDIT_STREAM: Record<Role, [number, number]> = { admin: [200, 404], finance: [403, 403], leadership: [403, 403], auditor: [200, 404] };
const AUDIT_FILTER: Record<Role, [number, number]> = { admin: [200, 403], finance: [403, 403], leadership: [403, 403], auditor: [200, 403] };
const EVERYONE: Record<Role, [number, number]> = { admin: [200, 200], finance: [200, 200], leadership: [200, 200], auditor: [200, 200] };
// Programmes are shared: only a token for all municipalities may change them.
const PROGRAMME_SCOPED: Record<Role, [number, number]> = { admin: [403, 403], finance: [403, 403], leadership: [403, 403], auditor: [403, 403] };

const ROUTES: RouteCase[] = [
  { name: 'POST /grants', method: 'POST', path: () => '/api/v1/grants', body: (_i, m) => grantBody({ municipality: m }), expect: CREATE },
  { name: 'POST /grants/{id}/amendments', method: 'POST', path: (i) => `/api/v1/grants/${i.grant}/amendments`, body: () => ({ amendedOn: '2019-06-14', periodEnd: '2021-06-30', reason: 'Verlängerung' }), expect: ALL_WRITE },
  { name: 'POST /grants/{id}/drawdowns', method: 'POST', path: (i) => `/api/v1/grants/${i.grant}/drawdowns`, body: () => ({ drawnOn: '2017-03-31', amountCents: 1000 }), expect: ALL_WRITE },
  { name: 'POST /grants/{id}/proof-of-use', method: 'POST', path: (i) => `/api/v1/grants/${i.grant}/proof-of-use`, body: () => ({ submittedOn: '2018-04-28', kind: 'interim' }), expect: ALL_WRITE },
  { name: 'POST /grants/{id}/close', method: 'POST', path: (i) => `/api/v1/grants/${i.grant}/close`, body: () => ({ closedOn: '2022-04-04' }), expect: ALL_WRITE },
  { name: 'POST /positions', method: 'POST', path: () => '/api/v1/positions', body: (i, m) => positionBody(i.grant, { municipality: m }), expect: CREATE },
  { name: 'POST /positions/{id}/staffing', method: 'POST', path: (i) => `/api/v1/positions/${i.position}/staffing`, body: () => ({ personRef: 'P-1', startsOn: '2016-10-01', fte: 0.5 }), expect: ALL_WRITE },
  { name: 'POST /positions/{id}/vacancies', method: 'POST', path: (i) => `/api/v1/positions/${i.position}/vacancies`, body: () => ({ vacatedOn: '2019-03-31', reason: 'Wechsel' }), expect: ALL_WRITE, prepare: 'staffed' },
  { name: 'POST /positions/{id}/continuation-decisions', method: 'POST', path: (i) => `/api/v1/positions/${i.position}/continuation-decisions`, body: () => ({ decision: 'own-funds', effectiveFrom: '2019-09-01', decidedBy: 'council', resolutionRef: 'B-1', decidedOn: '2019-05-21' }), expect: ALL_WRITE },
  { name: 'POST /positions/{id}/continuation-decisions/revoke', method: 'POST', path: (i) => `/api/v1/positions/${i.position}/continuation-decisions/revoke`, body: () => ({ revokedOn: '2019-06-15', reason: 'aufgehoben' }), expect: ALL_WRITE, prepare: 'decided' },
  { name: 'POST /positions/{id}/abolish', method: 'POST', path: (i) => `/api/v1/positions/${i.position}/abolish`, body: () => ({ abolishedOn: '2021-07-01' }), expect: ALL_WRITE },
  { name: 'POST /programmes/{code}/end-date', method: 'POST', path: () => '/api/v1/programmes/thilik/end-date', body: () => ({ endsOn: '2027-12-31' }), expect: PROGRAMME_SCOPED },
  { name: 'GET /grants/{id}', method: 'GET', path: (i) => `/api/v1/grants/${i.grant}`, expect: RECORDS },
  { name: 'GET /positions/{id}', method: 'GET', path: (i) => `/api/v1/positions/${i.position}`, expect: RECORDS },
  { name: 'GET /programmes', method: 'GET', path: () => '/api/v1/programmes', expect: EVERYONE },
  { name: 'GET /municipalities', method: 'GET', path: () => '/api/v1/municipalities', expect: EVERYONE },
  { name: 'GET /staffing', method: 'GET', path: (_i, m) => `/api/v1/staffing?municipality=${m}`, expect: VIEWS },
  { name: 'GET /end-dates', method: 'GET', path: (_i, m) => `/api/v1/end-dates?municipality=${m}`, expect: VIEWS },
  { name: 'GET /continuation-risk', method: 'GET', path: (_i, m) => `/api/v1/continuation-risk?municipality=${m}`, expect: VIEWS },
  { name: 'GET /own-funds', method: 'GET', path: (_i, m) => `/api/v1/own-funds?year=2020&municipality=${m}`, expect: VIEWS },
  { name: 'GET /own-funds/municipalities', method: 'GET', path: (_i, m) => `/api/v1/own-funds/municipalities?year=2020&municipality=${m}`, expect: VIEWS },
  { name: 'GET /finance/grants', method: 'GET', path: (_i, m) => `/api/v1/finance/grants?municipality=${m}`, expect: VIEWS },
  { name: 'GET /audit/events', method: 'GET', path: () => '/api/v1/audit/events', expect: AUDIT_ALL },
  { name: 'GET /audit/streams/{id}', method: 'GET', path: (i) => `/api/v1/audit/streams/grant-${i.grant}`, expect: AUDIT_STREAM },
  { name: 'GET /audit/verify', method: 'GET', path: () => '/api/v1/audit/verify', expect: AUDIT_ALL },
  { name: 'GET /audit/as-of', method: 'GET', path: (_i, m) => `/api/v1/audit/as-of?knownAt=2030-01-01T00:00:00Z&view=continuation-risk&municipality=${m}`, expect: AUDIT_FILTER },
  { name: 'GET /audit/export', method: 'GET', path: () => '/api/v1/audit/export', expect: AUDIT_ALL },
  { name: 'GET /audit/digest', method: 'GET', path: () => '/api/v1/audit/digest', expect: AUDIT_ALL },
  { name: 'GET /openapi.json', method: 'GET', path: () => '/openapi.json', expect: EVERYONE },
  { name: 'GET /docs', method: 'GET', path: () => '/docs', expect: EVERYONE },
];

// One database per run for all 224 cases: each case records its own grant and position first.
describeEachDatabase('access matrix (role × route × municipality)', (suite) => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await testApp(suite.database);
    for (const role of ['admin', 'finance', 'leadership', 'auditor'] as const) {
      tokens[role] = await tokenFor({ sub: `${role}-jena`, role, municipalities: [JENA] });
    }
  });

  /** A fresh grant and position in `municipality`, recorded by an admin for all municipalities. */
  async function fresh(municipality: string, prepare?: 'staffed' | 'decided'): Promise<Ids> {
    const grant = (await (await t.post('/api/v1/grants', grantBody({ municipality }))).json()) as { id: string };
    const position = (await (await t.post('/api/v1/positions', positionBody(grant.id, { municipality }))).json()) as { id: string };
    if (prepare === 'staffed') {
      expect((await t.post(`/api/v1/positions/${position.id}/staffing`, { personRef: 'P-0', startsOn: '2016-10-01', fte: 1 })).status).toBe(200);
    }
    if (prepare === 'decided') {
      const decide = await t.post(`/api/v1/positions/${position.id}/continuation-decisions`, {
        decision: 'own-funds', effectiveFrom: '2019-09-01', decidedBy: 'administration', decidedOn: '2019-05-01',
      });
      expect(decide.status).toBe(200);
    }
    return { grant: grant.id, position: position.id };
  }

  for (const route of ROUTES) {
    for (const role of ['admin', 'finance', 'leadership', 'auditor'] as const) {
      for (const [index, scope] of (['own', 'other'] as Scope[]).entries()) {
        const expected = route.expect[role][index]!;
        it(`${route.name} as ${role} for the ${scope} municipality → ${expected}`, async () => {
          const municipality = scope === 'own' ? JENA : WEIMAR;
          const ids = await fresh(municipality, route.prepare);
          const before = await t.store.headPosition();
          const headers: Record<string, string> = { authorization: `Bearer ${tokens[role]}` };
          const response =
            route.method === 'GET'
              ? await t.app.request(route.path(ids, municipality), { headers })
              : await t.app.request(route.path(ids, municipality), {
                  method: 'POST',
                  headers: { ...headers, 'content-type': 'application/json' },
                  body: JSON.stringify(route.body!(ids, municipality)),
                });
          expect(response.status, await response.clone().text()).toBe(expected);
          // A refused request records nothing.
          if (expected >= 400) expect(await t.store.headPosition()).toBe(before);
        });
      }
    }
  }

  it('an admin token for all municipalities may change a programme; any other role for all of them may not', async () => {
    const all = await tokenFor({ sub: 'admin-all', role: 'admin', municipalities: '*' });
    const response = await t.post('/api/v1/programmes/thilik/end-date', { endsOn: '2027-12-31' }, { authorization: `Bearer ${all}` });
    expect(response.status).toBe(200);
    for (const role of ['finance', 'leadership', 'auditor'] as const) {
      const before = await t.store.headPosition();
      const token = await tokenFor({ sub: `${role}-all`, role, municipalities: '*' });
      const refused = await t.post('/api/v1/programmes/thilik/end-date', { endsOn: '2030-12-31' }, { authorization: `Bearer ${token}` });
      expect(refused.status, role).toBe(403);
      expect(await t.store.headPosition()).toBe(before);
    }
  });

  it('unfiltered collections show only the token’s municipalities', async () => {
    await fresh(JENA);
    await fresh(WEIMAR);
    await t.runner.catchUp();
    for (const path of ['/api/v1/staffing', '/api/v1/end-dates', '/api/v1/continuation-risk', '/api/v1/finance/grants', '/api/v1/own-funds?from=2016&to=2020']) {
      const body = (await (await t.app.request(path, { headers: { authorization: `Bearer ${tokens.leadership}` } })).json()) as {
        items: Array<{ municipality: string }>;
      };
      expect(body.items.length, path).toBeGreaterThan(0);
      expect(new Set(body.items.map((i) => i.municipality)), path).toEqual(new Set([JENA]));
      const admin = (await (await t.get(path)).json()) as { items: Array<{ municipality: string }> };
      expect(new Set(admin.items.map((i) => i.municipality)).has(WEIMAR), path).toBe(true);
    }
    const audit = (await (await t.app.request('/api/v1/audit/events?limit=1000', { headers: { authorization: `Bearer ${tokens.auditor}` } })).json()) as {
      items: Array<{ streamId: string; data: { municipality?: string } }>;
    };
    const firsts = audit.items.filter((e) => e.data.municipality !== undefined);
    expect(firsts.length).toBeGreaterThan(0);
    expect(firsts.every((e) => e.data.municipality === JENA)).toBe(true);
    expect(audit.items.some((e) => e.streamId.startsWith('programme-'))).toBe(true);
    const exported = await (await t.app.request('/api/v1/audit/export', { headers: { authorization: `Bearer ${tokens.auditor}` } })).text();
    const lines = exported.trim().split('\n').map((l) => JSON.parse(l) as { data: { municipality?: string } });
    expect(lines.length).toBe(audit.items.length);
  });

  it('without a token every route but /health, /openapi.json and /docs answers 401 problem+json with WWW-Authenticate', async () => {
    const ids = await fresh(JENA);
    // The API description and its viewer hold no data (issue 10): public.
    const PUBLIC = new Set(['GET /openapi.json', 'GET /docs']);
    for (const route of ROUTES) {
      if (PUBLIC.has(route.name)) {
        expect((await t.app.request(route.path(ids, JENA))).status, route.name).toBe(200);
        continue;
      }
      const response = await t.app.request(route.path(ids, JENA), {
        method: route.method,
        ...(route.method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(route.body!(ids, JENA)) } : {}),
      });
      expect(response.status, route.name).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await t.app.request('/health')).status).toBe(200);
  });
}, { per: 'suite' });
