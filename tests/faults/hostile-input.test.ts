// Fault 5: hostile input — a 10 MB body (against the real server process), deeply nested JSON, NUL
// bytes and SQL in string fields, a number past 2^53, an id of 10,000 characters. Each is refused
// with a 4xx, the log is unchanged, and the server still answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { grantBody, positionBody } from '../support/fixtures.js';
import { testApp, type TestApp } from '../support/http.js';
import { adminToken, send, startServer, stopServer, type ServerProcess } from './support.js';

describe('a 10 MB body against the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verstetigt-faults-'));
  let server: ServerProcess;
  let token: string;
  beforeAll(async () => {
    // The embedded database: this part needs no PostgreSQL.
    server = await startServer({ DATA_DIR: dir });
    token = await adminToken();
  });
  afterAll(async () => {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const head = async () => (await send(server.base, token, 'GET', '/api/v1/audit/verify')).body.checked as number;

  it('refuses it with 413 whether the length is declared or streamed, and keeps answering', async () => {
    const before = await head();
    const big = JSON.stringify({ ...grantBody(), reference: 'x'.repeat(10 * 1024 * 1024) });
    const declared = await send(server.base, token, 'POST', '/api/v1/grants', big);
    expect(declared.status).toBe(413);

    // Chunked, without Content-Length: the limit must hold while reading the stream.
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"reference":"'));
        if (sent++ < 10) controller.enqueue(chunk);
        else {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        }
      },
    });
    const streamed = await fetch(`${server.base}/api/v1/grants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    expect((await fetch(`${server.base}/health`)).status).toBe(200);
    expect(await head()).toBe(before);
    const ok = await send(server.base, token, 'POST', '/api/v1/grants', grantBody());
    expect(ok.status).toBe(201);
  });
});

describeEachDatabase('hostile bodies, strings, numbers and ids', (suite) => {
  let t: TestApp;
  /** The same app with a 1 MiB body limit, so deep nesting reaches the JSON parser and zod. */
  let roomy: TestApp;
  let grantId: string;
  let positionId: string;
  beforeAll(async () => {
    t = await testApp(suite.database);
    roomy = await testApp(suite.database, { maxBodyBytes: 1024 * 1024 });
    grantId = ((await (await t.post('/api/v1/grants', grantBody())).json()) as { id: string }).id;
    positionId = ((await (await t.post('/api/v1/positions', positionBody(grantId))).json()) as { id: string }).id;
  });

  /** Sends the request, expects a 4xx (or exactly `status`), an unchanged log and a live app. */
  async function refused(response: Promise<Response>, status?: number): Promise<Response> {
    const before = await t.store.headPosition();
    const r = await response;
    if (status !== undefined) expect(r.status).toBe(status);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await t.store.headPosition()).toBe(before);
    expect((await t.app.request('/health')).status).toBe(200);
    return r;
  }

  const nested = (depth: number) => `{"municipality":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('deeply nested JSON: 100,000 levels is 413 at the default limit, 400 when the limit lets it through', async () => {
    await refused(t.post('/api/v1/grants', nested(100_000)), 413);
    await refused(roomy.post('/api/v1/grants', nested(100_000)), 400);
    await refused(roomy.post('/api/v1/grants', nestedObjects(100_000)), 400);
    await refused(roomy.post(`/api/v1/grants/${grantId}/drawdowns`, nestedObjects(100_000)), 400);
  });

  it('a NUL byte in a string field or a key', async () => {
    await refused(t.post('/api/v1/grants', grantBody({ reference: 'FKZ\u0000 01' })), 400);
    await refused(t.post(`/api/v1/positions/${positionId}/vacancies`, { vacatedOn: '2018-01-31', reason: 'Wechsel\u0000' }), 400);
    await refused(t.post(`/api/v1/positions/${positionId}/staffing`, { personRef: 'P\u00001', startsOn: '2016-10-01', fte: 1 }), 400);
    await refused(t.post('/api/v1/grants', `{"reference\\u0000":"x",${JSON.stringify(grantBody()).slice(1)}`), 400);
  });

  it('SQL in fields that have a format, in ids and in query strings', async () => {
    const sqlText = "16053000' or '1'='1";
    await refused(t.post('/api/v1/grants', grantBody({ municipality: sqlText })), 400);
    await refused(t.post('/api/v1/positions', positionBody("x'; drop table events; --")), 400);
    await refused(t.post(`/api/v1/grants/${encodeURIComponent("1' or 1=1 --")}/drawdowns`, { drawnOn: '2017-01-31', amountCents: 1 }), 400);
    await refused(t.post(`/api/v1/positions/${positionId}/staffing`, { personRef: "P'; delete from events; --", startsOn: '2016-10-01', fte: 1 }), 400);
    await refused(t.get(`/api/v1/continuation-risk?municipality=${encodeURIComponent(sqlText)}`), 400);
    await refused(t.get(`/api/v1/audit/events?stream=${encodeURIComponent("grant-x' or 1=1 --")}`), 400);
  });

  it('SQL in free text is stored as the text it is, never run', async () => {
    // A reason may legitimately contain quotes and semicolons: it is data, kept byte for byte.
    const reason = "Robert'); drop table events; --";
    const r = await t.post(`/api/v1/grants/${grantId}/amendments`, { amendedOn: '2017-02-01', periodEnd: '2019-12-31', reason });
    expect(r.status).toBe(200);
    const events = await t.store.readStream(`grant-${grantId}`);
    expect(events.at(-1)!.data).toMatchObject({ reason });
    expect((await t.get('/api/v1/audit/verify')).status).toBe(200);
  });

  it('a number past 2^53, an infinite one and a fractional amount', async () => {
    const past = JSON.stringify(grantBody()).replace('"amountCents":41280000', '"amountCents":9007199254740993');
    expect(past).toContain('9007199254740993');
    await refused(t.post('/api/v1/grants', past), 400);
    await refused(t.post(`/api/v1/grants/${grantId}/drawdowns`, '{"drawnOn":"2017-01-31","amountCents":9007199254740993}'), 400);
    await refused(t.post(`/api/v1/grants/${grantId}/drawdowns`, '{"drawnOn":"2017-01-31","amountCents":1e400}'), 400);
    await refused(t.post(`/api/v1/grants/${grantId}/drawdowns`, '{"drawnOn":"2017-01-31","amountCents":100.5}'), 400);
    await refused(t.get('/api/v1/audit/events?fromPosition=9007199254740993'), 400);
  });

  it('an id of 10,000 characters', async () => {
    const id = 'a'.repeat(10_000);
    await refused(t.get(`/api/v1/grants/${id}`));
    await refused(t.get(`/api/v1/positions/${id}`));
    await refused(t.post(`/api/v1/grants/${id}/drawdowns`, { drawnOn: '2017-01-31', amountCents: 1 }));
    await refused(t.post(`/api/v1/positions/${id}/continuation-decisions`, { decision: 'own-funds', effectiveFrom: '2019-09-01', decidedBy: 'administration', decidedOn: '2019-03-01' }));
    await refused(t.get(`/api/v1/audit/streams/grant-${id}`));
    await refused(t.get(`/api/v1/audit/events?stream=grant-${id}`));
    await refused(t.post('/api/v1/grants', grantBody(), { 'idempotency-key': id }));
    await refused(t.post(`/api/v1/grants/${grantId}/drawdowns`, { drawnOn: '2017-01-31', amountCents: 1 }, { 'if-match': `W/"${'9'.repeat(10_000)}"` }));
  });
}, { per: 'suite' });
