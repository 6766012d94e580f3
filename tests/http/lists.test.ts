// GET /api/v1/grants and GET /api/v1/positions: filters, status on asOf, cursor paging, scope and
// access. Runs on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/http/list-routes.js';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody, positionBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

interface Page<T> {
  asOf: string;
  items: T[];
  next: string | null;
}
interface GrantRow {
  id: string;
  municipality: string;
  programme: string;
  reference: string;
  periodEnd: string;
  awardedCents: number;
  drawnCents: number;
  status: string;
}
interface PositionRow {
  id: string;
  municipality: string;
  grantId: string;
  title: string;
  fte: number;
  fundingEndsOn: string | null;
  status: string;
}

describeEachDatabase('lists', (suite) => {
  let t: TestApp;
  // Jena: A ends 2019-08-31 (closed 2020-03-01), B ends 2021-06-30, C (ThILIK) ends 2027-12-31; Weimar: D ends 2021-06-30.
  const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const positions: Record<string, string> = {};

  async function post(path: string, body: unknown): Promise<{ id: string; globalPosition: number }> {
    const response = await t.post(path, body);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as { id: string; globalPosition: number };
  }
  async function page<T>(path: string, token?: string): Promise<Page<T>> {
    const response = await t.get(path, token ? { authorization: `Bearer ${token}` } : {});
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Page<T>;
  }

  beforeEach(async () => {
    t = await testApp(suite.database);
    ids.A = (await post('/api/v1/grants', grantBody({ reference: 'A' }))).id;
    ids.B = (await post('/api/v1/grants', grantBody({ reference: 'B', periodEnd: '2021-06-30' }))).id;
    ids.C = (await post('/api/v1/grants', grantBody({ reference: 'C', programme: 'thilik', awardedOn: '2026-01-10', periodStart: '2026-02-01', periodEnd: '2027-12-31' }))).id;
    ids.D = (await post('/api/v1/grants', grantBody({ reference: 'D', municipality: WEIMAR, periodEnd: '2021-06-30' }))).id;
    await post(`/api/v1/grants/${ids.A}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 5_000_000 });
    await post(`/api/v1/grants/${ids.A}/drawdowns`, { drawnOn: '2018-03-31', amountCents: 7_000_000 });
    await post(`/api/v1/grants/${ids.A}/close`, { closedOn: '2020-03-01' });
    positions.a1 = (await post('/api/v1/positions', positionBody(ids.A, { title: 'a1' }))).id;
    positions.b1 = (await post('/api/v1/positions', positionBody(ids.B, { title: 'b1', fte: 0.5 }))).id;
    positions.c1 = (await post('/api/v1/positions', positionBody(ids.C, { title: 'c1', programme: 'thilik', role: 'integrationsmanagement', establishedOn: '2026-02-01' }))).id;
    positions.d1 = (await post('/api/v1/positions', positionBody(ids.D, { title: 'd1', municipality: WEIMAR }))).id;
    await post(`/api/v1/positions/${positions.a1}/abolish`, { abolishedOn: '2019-09-01', reason: 'Förderung beendet' });
    await t.runner.catchUp();
  });

  it('lists grants soonest funding end first with key fields and the status on asOf', async () => {
    const body = await page<GrantRow>('/api/v1/grants?asOf=2026-11-27');
    expect(body.asOf).toBe('2026-11-27');
    expect(body.next).toBeNull();
    expect(body.items.map((g) => g.reference)).toEqual(['A', ...[['B', ids.B], ['D', ids.D]].sort((x, y) => x[1]!.localeCompare(y[1]!)).map((x) => x[0]), 'C']);
    const a = body.items.find((g) => g.id === ids.A)!;
    expect(a).toMatchObject({ municipality: JENA, programme: 'bildung-integriert', periodEnd: '2019-08-31', awardedCents: 41_280_000, drawnCents: 12_000_000, status: 'closed' });
    expect(body.items.find((g) => g.id === ids.B)!.status).toBe('ended');
    expect(body.items.find((g) => g.id === ids.C)!.status).toBe('running');
  });

  it('computes status and drawn money for an earlier asOf', async () => {
    const body = await page<GrantRow>('/api/v1/grants?asOf=2017-12-31&municipality=16053000');
    const a = body.items.find((g) => g.id === ids.A)!;
    expect(a).toMatchObject({ status: 'running', drawnCents: 5_000_000 });
    // Closed from its closing day on, ended the day after its last funded day.
    expect((await page<GrantRow>('/api/v1/grants?asOf=2020-02-29&status=ended')).items.map((g) => g.id)).toEqual([ids.A]);
    expect((await page<GrantRow>('/api/v1/grants?asOf=2020-03-01&status=closed')).items.map((g) => g.id)).toEqual([ids.A]);
    expect((await page<GrantRow>('/api/v1/grants?asOf=2019-08-31&status=running&endsBefore=2020-01-01')).items.map((g) => g.id)).toEqual([ids.A]);
    expect((await page<GrantRow>('/api/v1/grants?asOf=2019-09-01&status=running&endsBefore=2020-01-01')).items).toEqual([]);
  });

  it('filters grants by municipality, programme, status and funding end (both bounds exclusive)', async () => {
    const ref = async (query: string) => (await page<GrantRow>(`/api/v1/grants?asOf=2026-11-27&${query}`)).items.map((g) => g.reference).sort();
    expect(await ref('municipality=16055000')).toEqual(['D']);
    expect(await ref('status=running')).toEqual(['C']);
    expect(await ref('status=ended')).toEqual(['B', 'D']);
    expect(await ref('status=closed')).toEqual(['A']);
    expect(await ref('endsBefore=2021-06-30')).toEqual(['A']);
    expect(await ref('endsBefore=2021-07-01')).toEqual(['A', 'B', 'D']);
    expect(await ref('endsAfter=2021-06-30')).toEqual(['C']);
    expect(await ref('endsAfter=2021-06-29&endsBefore=2027-12-31')).toEqual(['B', 'D']);
    expect(await ref('programme=thilik')).toEqual(['C']);
    expect(await ref('programme=neuzugewanderte')).toEqual([]);
  });

  it('pages grants and positions with an opaque cursor: every row once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: Page<GrantRow> = await page<GrantRow>(`/api/v1/grants?asOf=2026-11-27&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.items).toHaveLength(1);
      seen.push(body.items[0]!.id);
      cursor = body.next;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(4);
    const all = await page<GrantRow>('/api/v1/grants?asOf=2026-11-27');
    expect(seen).toEqual(all.items.map((g) => g.id));

    const first = await page<PositionRow>('/api/v1/positions?limit=3');
    expect(first.items).toHaveLength(3);
    expect(first.next).not.toBeNull();
    const second = await page<PositionRow>(`/api/v1/positions?limit=3&cursor=${first.next}`);
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].map((p) => p.title)).toEqual(
      (await page<PositionRow>('/api/v1/positions')).items.map((p) => p.title),
    );
  });

  it('lists positions with funding end and status, filtered', async () => {
    const body = await page<PositionRow>('/api/v1/positions?asOf=2026-11-27');
    expect(body.items.map((p) => p.title)).toEqual(['a1', ...['b1', 'd1'].sort((x, y) => positions[x]!.localeCompare(positions[y]!)), 'c1']);
    expect(body.items.find((p) => p.title === 'a1')).toMatchObject({ status: 'abolished', fundingEndsOn: '2019-08-31', grantId: ids.A });
    expect(body.items.find((p) => p.title === 'b1')).toMatchObject({ status: 'open', fte: 0.5, fundingEndsOn: '2021-06-30', municipality: JENA });
    const titles = async (query: string) => (await page<PositionRow>(`/api/v1/positions?${query}`)).items.map((p) => p.title).sort();
    expect(await titles('status=abolished&asOf=2019-09-01')).toEqual(['a1']);
    expect(await titles('status=abolished&asOf=2019-08-31')).toEqual([]);
    expect(await titles('status=open&asOf=2026-11-27')).toEqual(['b1', 'c1', 'd1']);
    expect(await titles('municipality=16055000')).toEqual(['d1']);
    expect(await titles('endsAfter=2026-01-01')).toEqual(['c1']);
    expect(await titles('endsBefore=2021-06-30')).toEqual(['a1']);
  });

  it('shows a token only its municipalities; a filter naming another answers 403', async () => {
    const weimar = await tokenFor({ sub: 'lead-weimar', role: 'leadership', municipalities: [WEIMAR] });
    expect((await page<GrantRow>('/api/v1/grants', weimar)).items.map((g) => g.reference)).toEqual(['D']);
    expect((await page<PositionRow>('/api/v1/positions', weimar)).items.map((p) => p.title)).toEqual(['d1']);
    for (const path of ['/api/v1/grants?municipality=16053000', '/api/v1/positions?municipality=16053000']) {
      const response = await t.get(path, { authorization: `Bearer ${weimar}` });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { detail: string }).detail).toContain('16053000');
    }
    // Every role that reads the views reads the lists.
    for (const role of ['finance', 'leadership', 'auditor', 'admin'] as const) {
      const token = await tokenFor({ sub: `x-${role}`, role, municipalities: [JENA] });
      expect((await t.get('/api/v1/grants', { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await t.get('/api/v1/positions', { authorization: `Bearer ${token}` })).status).toBe(200);
    }
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['status=open', 'status'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['endsBefore=2021-02-30', 'endsBefore'],
      ['asOf=gestern', 'asOf'],
      ['cursor=nonsense', 'cursor'],
      [`cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
    ] as const) {
      const response = await t.get(`/api/v1/grants?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { errors: Array<{ path: string }> };
      expect(body.errors.map((e) => e.path), query).toContain(field);
    }
    expect((await t.get('/api/v1/positions?status=closed')).status).toBe(400);
  });

  it('leaves out voided records and shows corrected values', async () => {
    const voided = await t.post(`/api/v1/positions/${positions.b1}/void`, { reason: 'Irrtümlich erfasst' }, { 'if-match': 'W/"1"' });
    expect(voided.status, await voided.clone().text()).toBe(200);
    const corrected = await t.post(`/api/v1/grants/${ids.C}/corrections`, { changes: { reference: 'C-korrigiert' }, reason: 'Tippfehler' }, { 'if-match': 'W/"1"' });
    expect(corrected.status, await corrected.clone().text()).toBe(200);
    await t.runner.catchUp();
    const titles = (await page<PositionRow>('/api/v1/positions')).items.map((p) => p.title).sort();
    expect(titles).not.toContain('b1');
    expect(titles).toContain('c1');
    const grants = (await page<GrantRow>('/api/v1/grants')).items;
    expect(grants.find((g) => g.id === ids.C)!.reference).toBe('C-korrigiert');
  });

  it('waits for ?minPosition= (read-your-writes) and answers 503 when it is not reached', async () => {
    const { id, globalPosition } = await post('/api/v1/grants', grantBody({ reference: 'E', programme: 'thilik', periodEnd: '2030-12-31' }));
    const running = t.runner.catchUp();
    const body = await page<GrantRow>(`/api/v1/grants?minPosition=${globalPosition}&status=running&asOf=2026-11-27`);
    await running;
    expect(body.items.map((g) => g.id)).toContain(id);
    const quick = await testApp(suite.database, { minPositionTimeoutMs: 50 });
    const response = await quick.get(`/api/v1/positions?minPosition=${globalPosition + 1000}`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });
});

describe('list cursors', () => {
  it('round-trip and refuse what the server did not hand out', () => {
    const key = { endsOn: '2027-12-31', id: '0190b2f8-6c1e-7000-8000-000000000001' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
    expect(decodeCursor('%%%')).toBeUndefined();
    expect(decodeCursor(Buffer.from('["x","y"]').toString('base64url'))).toBeUndefined();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toBeUndefined();
  });
});
