// Bounded expensive reads over HTTP: ?minPosition= beyond the head answers at once with the head,
// a per-subject read rate limit, and as-of replays scoped to the caller's municipalities.
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody, positionBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

describeEachDatabase('bounded reads', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(suite.database, { readRateLimitPerMinute: 5 });
    for (const municipality of [JENA, WEIMAR]) {
      const grant = (await (await t.post('/api/v1/grants', grantBody({ municipality }))).json()) as { id: string };
      expect((await t.post('/api/v1/positions', positionBody(grant.id, { municipality }))).status).toBe(201);
    }
  });

  const as = (token: string, path: string) => t.app.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('?minPosition= beyond the head answers 400 at once, naming the head', async () => {
    const token = await tokenFor({ sub: 'min-position' });
    const head = await t.store.headPosition();
    const response = await as(token, `/api/v1/staffing?minPosition=${head + 1_000_000}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ head, minPosition: head + 1_000_000, errors: [{ path: 'minPosition' }] });
    await t.runner.catchUp();
    expect((await as(token, `/api/v1/staffing?minPosition=${head}`)).status).toBe(200);
  });

  it('reads beyond the per-subject limit get 429 with Retry-After; another subject is not affected', async () => {
    const token = await tokenFor({ sub: 'busy-reader' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await as(token, '/api/v1/programmes')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await as(token, '/api/v1/programmes');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await as(await tokenFor({ sub: 'calm-reader' }), '/api/v1/programmes')).status).toBe(200);
  });

  it('an as-of replay for a scoped auditor shows its municipality only, as the admin sees it filtered', async () => {
    const auditor = await tokenFor({ sub: 'rpa-jena', role: 'auditor', municipalities: [JENA] });
    // A knownAt after every recording: the replay sees the whole log, whatever day the test runs.
    const knownAt = encodeURIComponent('9999-01-01T00:00:00Z');
    const scoped = (await (await as(auditor, `/api/v1/audit/as-of?knownAt=${knownAt}&view=staffing&asOf=2017-01-01`)).json()) as { items: Array<{ municipality: string }> };
    const admin = (await (await as(await tokenFor({ sub: 'admin-asof' }), `/api/v1/audit/as-of?knownAt=${knownAt}&view=staffing&asOf=2017-01-01&municipality=${JENA}`)).json()) as { items: unknown[] };
    expect(scoped.items.length).toBeGreaterThan(0);
    expect(new Set(scoped.items.map((i) => i.municipality))).toEqual(new Set([JENA]));
    expect(scoped.items).toEqual(admin.items);
  });
}, { per: 'suite' });
