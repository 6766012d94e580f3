// Idempotency-Key bound to (subject, route, ids, body digest) inside the append's transaction:
// concurrent different bodies with one key give exactly one success and 422 for every other, and a
// replay checks visibility first (a key reused with a token for another municipality answers 404,
// never the stored result and never a 422 that would reveal the record). On every driver.
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

describeEachDatabase('Idempotency-Key', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(suite.database);
  });

  const as = (token: string, path: string, body: unknown, key: string) =>
    t.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  it('20 concurrent drawdowns with one key and different bodies: one 200, 19 × 422, one event', async () => {
    const { id } = (await (await t.post('/api/v1/grants', grantBody())).json()) as { id: string };
    const before = (await t.store.readStream(`grant-${id}`)).length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 1000 + i }, { 'idempotency-key': 'abruf-race' })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    for (const r of responses.filter((r) => r.status === 422)) {
      expect(((await r.json()) as { rule: string }).rule).toBe('idempotency-key-reused');
    }
    expect((await t.store.readStream(`grant-${id}`)).length).toBe(before + 1);
  });

  it('20 concurrent creations with one key and different bodies: one 201, 19 × 422, one grant', async () => {
    const head = await t.store.headPosition();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.post('/api/v1/grants', grantBody({ reference: `REF-${i}` }), { 'idempotency-key': 'bescheid-race' })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    expect(await t.store.headPosition()).toBe(head + 1);
  });

  it('20 concurrent identical requests with one key: all answer the one stored result', async () => {
    const { id } = (await (await t.post('/api/v1/grants', grantBody())).json()) as { id: string };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 500 }, { 'idempotency-key': 'abruf-same' })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const bodies = new Set(await Promise.all(responses.map(async (r) => JSON.stringify(await r.json()))));
    expect(bodies.size).toBe(1);
    expect((await t.store.readStream(`grant-${id}`)).length).toBe(2);
  });

  it('a key reused by the same subject with a token for another municipality answers 404 (same body or not)', async () => {
    const jena = await tokenFor({ sub: 'sachbearbeitung-7', role: 'finance', municipalities: [JENA] });
    const weimar = await tokenFor({ sub: 'sachbearbeitung-7', role: 'finance', municipalities: [WEIMAR] });
    const { id } = (await (await as(jena, '/api/v1/grants', grantBody(), 'g-1')).json()) as { id: string };
    const body = { drawnOn: '2017-03-31', amountCents: 700 };
    expect((await as(jena, `/api/v1/grants/${id}/drawdowns`, body, 'abruf-x')).status).toBe(200);
    const same = await as(weimar, `/api/v1/grants/${id}/drawdowns`, body, 'abruf-x');
    expect(same.status).toBe(404);
    const other = await as(weimar, `/api/v1/grants/${id}/drawdowns`, { ...body, amountCents: 1 }, 'abruf-x');
    expect(other.status).toBe(404);
    // The creating route too: the replayed grant is of a municipality the token does not cover.
    expect((await as(weimar, '/api/v1/grants', grantBody({ municipality: WEIMAR }), 'g-1')).status).toBe(404);
    // The owner still gets the replay.
    expect((await as(jena, `/api/v1/grants/${id}/drawdowns`, body, 'abruf-x')).status).toBe(200);
  });
}, { per: 'suite' });
