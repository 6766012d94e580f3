// The Worker entry (src/worker.ts) inside workerd, against PostgreSQL through the Hyperdrive binding:
// the fetch handler as Cloudflare calls it (an execution context whose waitUntil work the test
// awaits), and the Cron Trigger's scheduled handler. The tests share one scratch database and run
// in order.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, createProjectionRunner } from '../../projections/index.js';
import { awardGrant } from '../../src/commands/index.js';
import { openDatabase, type Database } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { mintToken, type MintOptions } from '../../src/http/auth/index.js';
import worker, { type WorkerEnv } from '../../src/worker.js';
import { AwardGrantBody, PROGRAMMES } from '../../schemas/index.js';
import { JENA, WEIMAR, grantBody } from '../support/fixtures.js';

/** A grant body as the HTTP layer hands it to the command (defaults filled in by the schema). */
const parsedGrant = (over: Record<string, unknown>) => AwardGrantBody.parse(grantBody(over));

const hasDatabase = env.TEST_DATABASE_AVAILABLE === '1';
if (!hasDatabase) {
  console.warn('[tests] TEST_DATABASE_URL is not set: the Worker suite (workerd against PostgreSQL through Hyperdrive) is skipped.');
}

const secret = env.JWT_SECRET as string;
const token = (options: Partial<MintOptions> = {}) =>
  mintToken(secret, { sub: 'worker-admin', role: 'admin', municipalities: '*', ...options });

interface Call {
  response: Response;
  /** Resolves when the invocation's waitUntil work (body pipe, catch-up, closing the database) is done. */
  settled: () => Promise<void>;
}

/** Calls the Worker's fetch handler as the runtime does, with `settings` laid over the test env. */
async function call(path: string, init: RequestInit & { token?: string | null } = {}, settings: Partial<WorkerEnv> = {}): Promise<Call> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  const bearer = init.token === undefined ? await token() : init.token;
  if (bearer) headers.set('authorization', `Bearer ${bearer}`);
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  const request = new Request(`http://worker.test${path}`, { ...init, headers });
  const response = await worker.fetch(request, { ...(env as WorkerEnv), ...settings }, ctx);
  return { response, settled: () => waitOnExecutionContext(ctx) };
}

async function json<T>(c: Call): Promise<T> {
  const body = (await c.response.json()) as T;
  await c.settled();
  return body;
}

describe.skipIf(!hasDatabase)('Worker in workerd against PostgreSQL through Hyperdrive', () => {
  // The test's own view of the database (not the Worker's): log head and projection checkpoints.
  let database: Database;
  let store: PostgresEventStore;
  const projectionPosition = () => createProjectionRunner({ db: database.db, store, projections: allProjections }).position();

  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: env.HYPERDRIVE.connectionString, poolMax: 4, migrate: false });
    store = new PostgresEventStore(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('the Cron Trigger registers the programmes and catches the projections up', async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env as WorkerEnv, ctx);
    await waitOnExecutionContext(ctx);
    const head = await store.headPosition();
    expect(head).toBe(3);
    expect(await projectionPosition()).toBe(head);
    const programmes = await json<Array<{ code: string }> | { items: Array<{ code: string }> }>(await call('/api/v1/programmes'));
    const codes = (Array.isArray(programmes) ? programmes : programmes.items).map((p) => p.code).sort();
    expect(codes).toEqual(PROGRAMMES.map((p) => p.code).sort());
  });

  it('answers /health', async () => {
    const c = await call('/health', { token: null });
    expect(c.response.status).toBe(200);
    expect(await json(c)).toEqual({ status: 'ok' });
  });

  it('refuses a request without a token (401) and one beyond the role or municipality (403)', async () => {
    // A body is always read before settled(): the database closes only once the body is sent.
    const anonymous = await call('/api/v1/staffing', { token: null });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await json(anonymous);

    const leadership = await call('/api/v1/audit/verify', { token: await token({ role: 'leadership', municipalities: [JENA] }) });
    expect(leadership.response.status).toBe(403);
    await json(leadership);

    const otherMunicipality = await call(`/api/v1/staffing?municipality=${WEIMAR}`, { token: await token({ role: 'finance', municipalities: [JENA] }) });
    expect(otherMunicipality.response.status).toBe(403);
    await json(otherMunicipality);

    const write = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody()), token: await token({ role: 'auditor', municipalities: [JENA] }) });
    expect(write.response.status).toBe(403);
    await json(write);
  });

  it('a write answers its position; a read with minPosition waits for the catch-up the write started', async () => {
    const write = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody({ reference: 'W-1' })) });
    expect(write.response.status).toBe(201);
    const { id, globalPosition } = (await write.response.json()) as { id: string; globalPosition: number };
    // The read is sent while the write's catch-up may still run in its waitUntil.
    const read = await call(`/api/v1/finance/grants?minPosition=${globalPosition}`);
    expect(read.response.status).toBe(200);
    const body = (await read.response.json()) as { items: Array<{ grantId: string; awardedCents?: number }> };
    expect(body.items.map((i) => i.grantId)).toContain(id);
    await read.settled();
    await write.settled();
    expect(await projectionPosition()).toBe(globalPosition);
  });

  it('reads do not catch up; the Cron Trigger does', async () => {
    // An event stored behind the Worker's back (as another process would): no write request ran.
    const result = await awardGrant({ store, actor: { sub: 'test', role: 'admin' } }, parsedGrant({ reference: 'BEHIND' }));
    const before = await projectionPosition();
    expect(before).toBe(result.globalPosition - 1);
    const read = await call('/api/v1/finance/grants');
    expect(read.response.status).toBe(200);
    await read.response.arrayBuffer();
    await read.settled();
    expect(await projectionPosition()).toBe(before);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController(), env as WorkerEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await projectionPosition()).toBe(result.globalPosition);
  });

  it('as-of shows a view as the system knew it at an instant', async () => {
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const write = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody({ reference: 'ASOF-1' })) });
    const { id } = await json<{ id: string }>(write);
    const ids = async (knownAt: string) => {
      const c = await call(`/api/v1/audit/as-of?knownAt=${encodeURIComponent(knownAt)}&view=finance&asOf=2026-11-27`);
      expect(c.response.status).toBe(200);
      return (await json<{ items: Array<{ grantId: string }> }>(c)).items.map((i) => i.grantId);
    };
    expect(await ids(before)).not.toContain(id);
    expect(await ids(new Date().toISOString())).toContain(id);
  });

  it('streams the export to its end, past the first batch, after the handler has returned', async () => {
    // Several export batches (1000 events each), more than the pipe reads ahead, so the body keeps
    // reading from the database long after fetch() returned.
    const grant = await awardGrant({ store, actor: { sub: 'test', role: 'admin' } }, parsedGrant({ reference: 'BULK' }));
    const drawdowns = Array.from({ length: 6000 }, () => ({ type: 'FundsDrawn', schemaVersion: 1, data: { drawnOn: '2017-01-02', amountCents: 1 } }));
    await store.append(`grant-${grant.id}`, drawdowns, { expectedVersion: grant.version });
    const head = await store.headPosition();
    expect(head).toBeGreaterThan(6000);
    // Projections up to date, so nothing but the body keeps this request's database busy.
    const cron = createExecutionContext();
    await worker.scheduled(createScheduledController(), env as WorkerEnv, cron);
    await waitOnExecutionContext(cron);

    const c = await call('/api/v1/audit/export');
    expect(c.response.status).toBe(200);
    expect(c.response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const reader = c.response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const first = await reader.read();
    text += decoder.decode(first.value, { stream: true });
    // Give anything that would close the database early the chance to do so.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await c.settled();
    const positions = text.trim().split('\n').map((line) => (JSON.parse(line) as { globalPosition: number }).globalPosition);
    expect(positions.length).toBe(head);
    expect(positions.every((p, i) => p === i + 1)).toBe(true);
  });

  it('verify walks the whole chain', async () => {
    const head = await store.headPosition();
    const c = await call('/api/v1/audit/verify');
    expect(c.response.status).toBe(200);
    expect(await json(c)).toEqual({ ok: true, checked: head, firstBadPosition: null, reason: null });
  });

  it('takes the Node server settings from the Worker env: CORS, write rate limit across requests', async () => {
    const cors = await call('/api/v1/staffing', { headers: { origin: 'https://kreis.example' } }, { CORS_ORIGINS: 'https://kreis.example' });
    expect(cors.response.headers.get('access-control-allow-origin')).toBe('https://kreis.example');
    await cors.response.arrayBuffer();
    await cors.settled();

    const limited = { WRITE_RATE_LIMIT_PER_MINUTE: '1' };
    const writer = await token({ sub: 'rate-limited-writer' });
    const first = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody({ reference: 'RL-1' })), token: writer }, limited);
    expect(first.response.status).toBe(201);
    await json(first);
    const second = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody({ reference: 'RL-2' })), token: writer }, limited);
    expect(second.response.status).toBe(429);
    expect(Number(second.response.headers.get('retry-after'))).toBeGreaterThan(0);
    await json(second);
  });

  it('answers an unusable setting with a 500 problem naming it, and stores nothing', async () => {
    const head = await store.headPosition();
    const bad = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody()) }, { RISK_HIGH_MONTHS: 'sechs' });
    expect(bad.response.status).toBe(500);
    expect((await json<{ detail: string }>(bad)).detail).toMatch(/RISK_HIGH_MONTHS/);
    const kurrent = await call('/health', { token: null }, { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113' });
    expect(kurrent.response.status).toBe(500);
    expect((await json<{ detail: string }>(kurrent)).detail).toMatch(/EVENT_STORE/);
    const noSecret = await call('/health', { token: null }, { JWT_SECRET: '' });
    expect(noSecret.response.status).toBe(500);
    expect((await json<{ detail: string }>(noSecret)).detail).toMatch(/JWT_SECRET/);
    expect(await store.headPosition()).toBe(head);
  });

  it('answers 503 with Retry-After when the database is down', async () => {
    // Through DATABASE_URL (workerd's own socket), not a Hyperdrive binding: the local Hyperdrive
    // proxy of miniflare 4.20260426 has no error handler on its sockets, so a refused connection
    // would end the test process instead of the request (cloudflare/workers-sdk#15768).
    for (const path of ['/health', '/api/v1/staffing']) {
      const c = await call(path, {}, { HYPERDRIVE: undefined, DATABASE_URL: env.TEST_DOWN_DATABASE_URL as string });
      expect(c.response.status, path).toBe(503);
      expect(c.response.headers.get('retry-after'), path).toBe('5');
      expect(c.response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      await json(c);
    }
  });
});
