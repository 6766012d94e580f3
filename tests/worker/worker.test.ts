// The Worker entry (src/worker.ts) inside workerd, against PostgreSQL through the Hyperdrive binding:
// the fetch handler as Cloudflare calls it (an execution context whose waitUntil work the test
// awaits), and the Cron Trigger's scheduled handler. The tests share one scratch database and run
// in order.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, createProjectionRunner } from '../../projections/index.js';
import { awardGrant } from '../../src/commands/index.js';
import { openDatabase, type Database } from '../../src/db/index.js';
import { PostgresEventStore, digestMessage, type LogDigest } from '../../src/eventstore/index.js';
import { mintToken, type MintOptions } from '../../src/http/auth/index.js';
import worker, { type WorkerEnv } from '../../src/worker.js';
import { AwardGrantBody, PROGRAMMES } from '../../schemas/index.js';
import { mintSignInLink } from '../../src/web/index.js';
import { JENA, WEIMAR, grantBody, positionBody } from '../support/fixtures.js';

/** A grant body as the HTTP layer hands it to the command (defaults filled in by the schema). */
const parsedGrant = (over: Record<string, unknown>) => AwardGrantBody.parse(grantBody(over));

const hasDatabase = env.TEST_DATABASE_AVAILABLE === '1';
if (!hasDatabase) {
  console.warn('[tests] TEST_DATABASE_URL is not set: the Worker suite (workerd against PostgreSQL through Hyperdrive) is skipped.');
}

const BASE = 'http://worker.test';
const secret = env.JWT_SECRET as string;
const token = (options: Partial<MintOptions> = {}) =>
  mintToken(secret, { sub: 'worker-admin', role: 'admin', municipalities: '*', ...options });

interface Call {
  response: Response;
  /** Resolves when the invocation's waitUntil work (body pipe, catch-up, closing the database) is done. */
  settled: () => Promise<void>;
}

/** Calls the Worker's fetch handler as the runtime does, with `settings` laid over the test env. */
async function call(path: string, init: RequestInit & { token?: string | null; form?: boolean } = {}, settings: Partial<WorkerEnv> = {}): Promise<Call> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  const bearer = init.token === undefined ? await token() : init.token;
  if (bearer) headers.set('authorization', `Bearer ${bearer}`);
  if (init.body !== undefined && !init.form) headers.set('content-type', 'application/json');
  const { form: _form, token: _token, ...requestInit } = init;
  const request = new Request(`${BASE}${path}`, { ...requestInit, headers });
  const response = await worker.fetch(request, { ...(env as WorkerEnv), ...settings }, ctx);
  return { response, settled: () => waitOnExecutionContext(ctx) };
}

/** The cookies a response sets, as a Cookie header. */
const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

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

  it('counts reads and as-of replays per isolate too, not per request', async () => {
    const reader = await token({ sub: 'rate-limited-reader' });
    const reads = { READ_RATE_LIMIT_PER_MINUTE: '2' };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const read = await call('/api/v1/staffing', { token: reader }, reads);
      statuses.push(read.response.status);
      await read.response.arrayBuffer();
      await read.settled();
    }
    expect(statuses).toEqual([200, 200, 429]);

    // Two replays at once with room for one in the isolate: one answers, the other is refused.
    const auditor = await token({ sub: 'as-of-auditor', role: 'auditor' });
    const bound = { EXPENSIVE_READS_MAX_CONCURRENT: '1' };
    const replays = await Promise.all(
      ['9998-01-01T00:00:00Z', '9999-01-01T00:00:00Z'].map((knownAt) =>
        call(`/api/v1/audit/as-of?knownAt=${knownAt}&view=staffing&asOf=2026-11-27`, { token: auditor }, bound),
      ),
    );
    expect(replays.map((r) => r.response.status).sort()).toEqual([200, 429]);
    for (const replay of replays) {
      await replay.response.arrayBuffer();
      await replay.settled();
    }
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

  it('answers 503 with Retry-After when the database is down; /health still answers, /ready says why', async () => {
    const down: Array<[string, Partial<WorkerEnv>]> = [
      // Hyperdrive reaches the server, which answers that the database does not exist.
      ['no database', { HYPERDRIVE: env.HYPERDRIVE_NO_DATABASE }],
      // Hyperdrive reaches a server that never answers: the connect timeout.
      ['no answer', { HYPERDRIVE: env.HYPERDRIVE_SILENT, DATABASE_CONNECT_TIMEOUT_MS: '300' }],
      // Nothing listens (workerd's own socket, see vitest.config.ts for why not through Hyperdrive).
      ['refused', { HYPERDRIVE: undefined, DATABASE_URL: env.TEST_DOWN_DATABASE_URL as string }],
    ];
    for (const [how, settings] of down) {
      const health = await call('/health', { token: null }, settings);
      expect(health.response.status, how).toBe(200);
      expect(await json(health), how).toEqual({ status: 'ok' });

      const ready = await call('/ready', { token: null }, settings);
      expect(ready.response.status, how).toBe(503);
      expect(ready.response.headers.get('retry-after'), how).toBe('5');
      expect(await json(ready), how).toEqual({ status: 'unavailable', database: 'unreachable' });

      for (const path of ['/api/v1/staffing', '/api/v1/audit/digest']) {
        const c = await call(path, {}, settings);
        expect(c.response.status, `${how} ${path}`).toBe(503);
        expect(c.response.headers.get('retry-after'), `${how} ${path}`).toBe('5');
        expect(c.response.headers.get('content-type'), `${how} ${path}`).toMatch(/^application\/problem\+json/);
        await json(c);
      }
      const write = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody()) }, settings);
      expect(write.response.status, how).toBe(503);
      expect(write.response.headers.get('retry-after'), how).toBe('5');
      await json(write);

      // A person's browser gets a German page, not JSON.
      const page = await call('/', { token: null, headers: { accept: 'text/html' } }, settings);
      expect(page.response.status, how).toBe(503);
      expect(page.response.headers.get('retry-after'), how).toBe('5');
      const html = await page.response.text();
      await page.settled();
      expect(html, how).toContain('<html lang="de">');
      expect(html, how).toContain('Die Datenbank ist gerade nicht erreichbar');
    }
    // Up again: /ready answers 200 from the same Worker.
    const ready = await call('/ready', { token: null });
    expect(ready.response.status).toBe(200);
    expect(await json<{ status: string }>(ready)).toMatchObject({ status: 'ready', database: 'ok' });
  });

  it('signs digests with the SIGNING_KEY secret: the signature verifies with the published key, and verify with the digest is intact', async () => {
    const keyCall = await call('/api/v1/audit/public-key', { token: null });
    expect(keyCall.response.status).toBe(200);
    const key = await json<{ keyId: string; algorithm: string; pem: string; jwk: Record<string, string> }>(keyCall);
    expect(key.algorithm).toBe('Ed25519');
    // The key published is the public half of the secret the operator set.
    expect(key.pem.trim()).toBe((env.TEST_SIGNING_PUBLIC_KEY as string).trim());

    const digestCall = await call('/api/v1/audit/digest');
    expect(digestCall.response.status).toBe(200);
    const digest = await json<LogDigest>(digestCall);
    expect(digest.position).toBe(await store.headPosition());
    expect(digest.keyId).toBe(key.keyId);

    // Checked as an auditor would: WebCrypto's Ed25519 and the published JWK, not the server's code.
    const { kid: _kid, alg: _alg, use: _use, ...jwk } = key.jwk;
    const publicKey = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['verify']);
    const signature = Uint8Array.from(atob(digest.signature), (ch) => ch.charCodeAt(0));
    const message = new TextEncoder().encode(digestMessage(digest));
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, message)).toBe(true);
    const forged = new TextEncoder().encode(digestMessage({ ...digest, position: digest.position + 1 }));
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, forged)).toBe(false);

    // Later, with events appended: the log still holds the digest's prefix.
    const later = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody({ reference: 'AFTER-DIGEST' })) });
    expect(later.response.status).toBe(201);
    await json(later);
    const verify = await call('/api/v1/audit/verify', { method: 'POST', body: JSON.stringify(digest) });
    expect(verify.response.status).toBe(200);
    expect(await json(verify)).toEqual({ ok: true, checked: await store.headPosition(), firstBadPosition: null, reason: null });

    const tampered = await call('/api/v1/audit/verify', { method: 'POST', body: JSON.stringify({ ...digest, hash: '0'.repeat(64) }) });
    expect(tampered.response.status).toBe(422);
    expect(tampered.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await json(tampered);
  });

  it('the Cron Trigger signs a checkpoint every CHECKPOINT_EVERY_MINUTES minutes', async () => {
    const checkpoints = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from log_checkpoints`.execute(database.db)).rows[0]!.n);
    const lastSigned = async () =>
      Number((await sql<{ p: string | null }>`select max(position) as p from log_checkpoints`.execute(database.db)).rows[0]!.p ?? 0);
    await awardGrant({ store, actor: { sub: 'test', role: 'admin' } }, parsedGrant({ reference: 'CHECKPOINT' }));
    const head = await store.headPosition();
    const before = await checkpoints();
    expect(await lastSigned()).toBeLessThan(head);

    const run = async (scheduledTime: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env as WorkerEnv, ctx);
      await waitOnExecutionContext(ctx);
    };
    // 10:07 is not a multiple of the default 10 minutes: nothing signed.
    await run(Date.parse('2026-11-27T10:07:00Z'));
    expect(await checkpoints()).toBe(before);
    // 10:10 is.
    await run(Date.parse('2026-11-27T10:10:00Z'));
    expect(await checkpoints()).toBe(before + 1);
    expect(await lastSigned()).toBe(head);
  });

  it('refuses to run without a usable SIGNING_KEY, naming the setting', async () => {
    const cases: Array<[Partial<WorkerEnv>, RegExp]> = [
      [{ SIGNING_KEY: '' }, /SIGNING_KEY/],
      [{ SIGNING_KEY: 'kein Schlüssel' }, /SIGNING_KEY must hold an Ed25519 private key/],
      [{ SIGNING_KEY_FILE: '/etc/verstetigt/signing-key.pem' }, /SIGNING_KEY_FILE has no meaning on Workers/],
    ];
    for (const [settings, message] of cases) {
      const c = await call('/api/v1/staffing', {}, settings);
      expect(c.response.status).toBe(500);
      expect((await json<{ detail: string }>(c)).detail).toMatch(message);
    }
  });

  it('serves the static files of the pages as Workers assets; a file not among them is 404', async () => {
    const asset = (path: string) => env.ASSETS.fetch(`${BASE}${path}`);
    const css = await asset('/static/kern/kern.min.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const text = await css.text();
    expect(text.length).toBeGreaterThan(10_000);
    expect(text).toContain('.kern-');
    for (const [path, type] of [
      ['/static/app/verstetigt.css', /^text\/css/],
      ['/static/kern/fonts/fira-sans.css', /^text\/css/],
      ['/static/kern/fonts/fira-sans/FiraSans-Regular.woff2', /^font\/woff2/],
      ['/static/swagger-ui/swagger-ui-bundle.js', /javascript/],
      ['/static/app/docs.js', /javascript/],
    ] as const) {
      const response = await asset(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(type);
      await response.arrayBuffer();
    }
    // What the assets do not hold reaches the Worker, which has no node_modules to look in.
    const missing = await call('/static/kern/nicht-da.css', { token: null });
    expect(missing.response.status).toBe(404);
    await missing.response.text();
    await missing.settled();
  });

  it('serves the pages: German sign-in page, sign-in by link, the dashboard with the data written, its downloads, /docs', async () => {
    const signIn = await call('/anmelden', { token: null, headers: { accept: 'text/html' } });
    expect(signIn.response.status).toBe(200);
    expect(signIn.response.headers.get('content-type')).toMatch(/^text\/html/);
    const signInHtml = await signIn.response.text();
    await signIn.settled();
    expect(signInHtml).toContain('<html lang="de"');
    expect(signInHtml).toContain('Anmelden');
    expect(signInHtml).toContain('/static/kern/kern.min.css');

    // A position written through the API shows on the dashboard of a leadership session for Jena.
    const grant = await call('/api/v1/grants', { method: 'POST', body: JSON.stringify(grantBody({ reference: 'PAGE-1' })) });
    const { id: grantId } = await json<{ id: string }>(grant);
    const position = await call('/api/v1/positions', { method: 'POST', body: JSON.stringify(positionBody(grantId, { title: 'Koordination Worker-Seite' })) });
    expect(position.response.status).toBe(201);
    await json(position);

    const link = await mintSignInLink(secret, { role: 'leadership', municipalities: [JENA], sub: 'buergermeisterin', baseUrl: BASE });
    const confirm = await call(link.slice(BASE.length), { token: null });
    expect(confirm.response.status).toBe(200);
    const confirmHtml = await confirm.response.text();
    await confirm.settled();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(confirmHtml)?.[1] ?? '';
    const linkToken = /name="token" value="([^"]+)"/.exec(confirmHtml)?.[1] ?? '';
    expect(csrf).not.toBe('');
    const redeemed = await call('/anmelden/link', {
      method: 'POST',
      token: null,
      headers: { cookie: cookiesOf(confirm.response), 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
      body: new URLSearchParams({ _csrf: csrf, token: linkToken }).toString(),
      form: true,
    });
    expect(redeemed.response.status).toBe(303);
    expect(redeemed.response.headers.get('location')).toBe('/');
    await redeemed.response.arrayBuffer();
    await redeemed.settled();

    const dashboard = await call('/', { token: null, headers: { cookie: cookiesOf(redeemed.response), accept: 'text/html' } });
    expect(dashboard.response.status).toBe(200);
    const html = await dashboard.response.text();
    await dashboard.settled();
    expect(html).toContain('Übersicht: Jena');
    expect(html).toContain('Koordination Worker-Seite');
    // The dashboard's downloads: CSV, and an Excel workbook (exceljs runs in workerd too).
    const xlsx = await call('/tabellen/alle-stellen?format=xlsx', { token: null, headers: { cookie: cookiesOf(redeemed.response) } });
    expect(xlsx.response.status).toBe(200);
    expect(xlsx.response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new Uint8Array(await xlsx.response.arrayBuffer());
    await xlsx.settled();
    expect(String.fromCharCode(workbook[0]!, workbook[1]!)).toBe('PK');
    const csv = await call('/tabellen/alle-stellen', { token: null, headers: { cookie: cookiesOf(redeemed.response) } });
    expect(csv.response.status).toBe(200);
    expect(await csv.response.text()).toContain('Koordination Worker-Seite');
    await csv.settled();
    // The API documentation (Swagger UI from the assets).
    const docs = await call('/docs', { token: null });
    expect(docs.response.status).toBe(200);
    expect(await docs.response.text()).toContain('/static/swagger-ui/swagger-ui-bundle.js');
    await docs.settled();

    // The same link a second time: refused (the redemption was stored in PostgreSQL).
    const again = await call(link.slice(BASE.length), { token: null });
    const againHtml = await again.response.text();
    await again.settled();
    const second = await call('/anmelden/link', {
      method: 'POST',
      token: null,
      headers: { cookie: cookiesOf(again.response), 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
      body: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(againHtml)?.[1] ?? '', token: linkToken }).toString(),
      form: true,
    });
    expect(second.response.status).toBe(400);
    expect(await second.response.text()).toContain('bereits verwendet');
    await second.settled();
  });

  it('says in German that sign-in through the identity provider is not offered on Workers', async () => {
    const c = await call('/anmelden/oidc', { token: null, headers: { accept: 'text/html' } }, { OIDC_ISSUER: 'https://login.example', OIDC_AUDIENCE: 'verstetigt', OIDC_CLIENT_ID: 'verstetigt' });
    expect(c.response.status).toBe(501);
    const html = await c.response.text();
    await c.settled();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Anmeldung über den Identitätsanbieter nicht verfügbar');
    // The sign-in page offers the link only.
    const page = await call('/anmelden', { token: null, headers: { accept: 'text/html' } }, { OIDC_ISSUER: 'https://login.example', OIDC_AUDIENCE: 'verstetigt', OIDC_CLIENT_ID: 'verstetigt' });
    const pageHtml = await page.response.text();
    await page.settled();
    expect(page.response.status).toBe(200);
    expect(pageHtml).not.toContain('/anmelden/oidc');
  });
});
