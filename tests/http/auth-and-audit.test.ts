// Tokens (HS256 and OIDC against a local JWKS), the auditor's replay and chain check over HTTP,
// and the hardening: rate limit, CORS, secure headers, logs without tokens or bodies.
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/http/auth/index.js';
import { createLogger } from '../../src/log.js';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, grantBody, positionBody } from '../support/fixtures.js';
import { TEST_SECRET, testApp, tokenFor, type TestApp } from '../support/http.js';

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describeEachDatabase('HS256 tokens', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(suite.database);
  });
  const call = (token: string) => t.app.request('/api/v1/programmes', { headers: { authorization: `Bearer ${token}` } });

  it('accepts a valid token and refuses forged, expired, alg:none and malformed ones with 401', async () => {
    expect((await call(await tokenFor())).status).toBe(200);
    const claims = { sub: 'x', role: 'admin', municipalities: ['*'], exp: now() + 600 };
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-of-sufficient-length!!'));
    const expired = await new SignJWT({ ...claims, exp: now() - 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const noExp = await new SignJWT({ sub: 'x', role: 'admin', municipalities: ['*'] }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
    const badRole = await new SignJWT({ ...claims, role: 'root' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
    const badAgs = await new SignJWT({ ...claims, municipalities: ['12345678'] }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
    for (const [name, token] of Object.entries({ forged, expired, none, noExp, badRole, badAgs, garbage: 'abc.def.ghi' })) {
      const response = await call(token);
      expect(response.status, name).toBe(401);
      const body = (await response.json()) as { detail: string };
      expect(body.detail, name).toMatch(/^Token abgelehnt/);
    }
    expect((await t.app.request('/api/v1/programmes', { headers: { authorization: 'Basic dXNlcjpwYXNz' } })).status).toBe(401);
  });

  it('every stored event names its actor { sub, role } and the request id', async () => {
    const token = await tokenFor({ sub: 'kaemmerei-jena-7', role: 'finance', municipalities: [JENA] });
    const response = await t.app.request('/api/v1/grants', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': 'req-abc' },
      body: JSON.stringify(grantBody()),
    });
    const { id } = (await response.json()) as { id: string };
    const [event] = await t.store.readStream(`grant-${id}`);
    expect(event!.metadata).toMatchObject({ actor: { sub: 'kaemmerei-jena-7', role: 'finance' }, requestId: 'req-abc' });
  });
}, { per: 'suite' });

describe('OIDC tokens against a local JWKS', () => {
  let server: Server;
  let issuer: string;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksRequests = 0;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/realms/thueringen/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
      } else if (req.url === '/realms/thueringen/protocol/openid-connect/certs') {
        jwksRequests += 1;
        res.end(JSON.stringify({ keys }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}/realms/thueringen`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (key: Parameters<SignJWT['sign']>[0], alg: 'RS256' | 'ES256', kid: string, over: Record<string, unknown> = {}) =>
    new SignJWT({ role: 'leadership', municipalities: [JENA], ...over })
      .setProtectedHeader({ alg, kid })
      .setSubject('landrat-buero')
      .setIssuer((over.iss as string) ?? issuer)
      .setAudience((over.aud as string) ?? 'verstetigt')
      .setExpirationTime(now() + 300)
      .sign(key);

  it('accepts RS256 and ES256 tokens of the issuer (keys discovered and cached), refuses wrong issuer, audience, key or expiry', async () => {
    const verifier = createTokenVerifier({ oidcIssuer: issuer, oidcAudience: 'verstetigt' });
    expect(await verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1'))).toEqual({ sub: 'landrat-buero', role: 'leadership', municipalities: [JENA] });
    expect((await verifier.verify(await sign(ec.privateKey, 'ES256', 'ec-1'))).role).toBe('leadership');
    expect(jwksRequests).toBe(1);
    await expect(verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1', { aud: 'other-app' }))).rejects.toThrow(/aud/);
    await expect(verifier.verify(await sign(rsa.privateKey, 'RS256', 'rsa-1', { iss: 'http://evil.example/realms/x' }))).rejects.toThrow(/iss/);
    await expect(verifier.verify(await sign(stranger.privateKey, 'RS256', 'rsa-1'))).rejects.toThrow(/Signatur/);
    const expired = await new SignJWT({ role: 'leadership', municipalities: [JENA] })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setSubject('s').setIssuer(issuer).setAudience('verstetigt')
      .setExpirationTime(now() - 10).sign(rsa.privateKey);
    await expect(verifier.verify(expired)).rejects.toThrow(/abgelaufen/);
    // An HS256 token is not accepted when only OIDC is configured.
    await expect(verifier.verify(await tokenFor())).rejects.toThrow(/HS256/);
  });

  describeEachDatabase('through the app', (suite) => {
    it('answers 503 (not 401) while the identity provider cannot be reached', async () => {
      const down = await testApp(suite.database, {
        verifier: createTokenVerifier({ oidcIssuer: issuer, oidcAudience: 'verstetigt', oidcJwksUrl: 'http://127.0.0.1:1/certs' }),
      });
      const response = await down.app.request('/api/v1/continuation-risk', { headers: { authorization: `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1')}` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('10');
    });

    it('works through the app with OIDC_JWKS_URL given explicitly', async () => {
      const t = await testApp(suite.database, {
        verifier: createTokenVerifier({ oidcIssuer: issuer, oidcAudience: 'verstetigt', oidcJwksUrl: `${issuer}/protocol/openid-connect/certs` }),
      });
      const ok = await t.app.request('/api/v1/continuation-risk', { headers: { authorization: `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1')}` } });
      expect(ok.status).toBe(200);
      const wrongAudience = await t.app.request('/api/v1/continuation-risk', {
        headers: { authorization: `Bearer ${await sign(rsa.privateKey, 'RS256', 'rsa-1', { aud: 'x' })}` },
      });
      expect(wrongAudience.status).toBe(401);
    });
  });
});

describeEachDatabase('auditor: as-of replay and verify over HTTP', (suite) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp(suite.database);
  });

  it('as-of shows the risk and end date known at the noted instant; the live view the new ones', async () => {
    // Today (test clock) is 2026-11-27: a grant ending 2027-03-31 without decision is high risk.
    const grant = (await (await t.post('/api/v1/grants', grantBody({ programme: 'thilik', periodStart: '2024-01-01', periodEnd: '2027-03-31' }))).json()) as { id: string };
    const position = (await (await t.post('/api/v1/positions', positionBody(grant.id, { programme: 'thilik', role: 'integrationsmanagement', establishedOn: '2024-01-01' }))).json()) as { id: string };
    const [noted] = (await t.store.readStream(`position-${position.id}`)).slice(-1);
    const knownAt = noted!.recordedAt;
    await new Promise((r) => setTimeout(r, 5));
    expect((await t.post(`/api/v1/grants/${grant.id}/amendments`, { amendedOn: '2026-11-20', periodEnd: '2028-12-31', reason: 'Verlängerung ESF Plus' })).status).toBe(200);
    const decided = await t.post(`/api/v1/positions/${position.id}/continuation-decisions`, {
      decision: 'own-funds', effectiveFrom: '2029-01-01', decidedBy: 'council', resolutionRef: 'KT 2026/101', decidedOn: '2026-11-25',
    });
    const { globalPosition } = (await decided.json()) as { globalPosition: number };

    expect(await t.runner.catchUp()).toBeGreaterThanOrEqual(globalPosition);
    const live = (await (await t.get(`/api/v1/continuation-risk?minPosition=${globalPosition}`)).json()) as { asOf: string; items: Array<Record<string, unknown>> };
    const mine = (items: Array<Record<string, unknown>>) => items.find((i) => i.positionId === position.id)!;
    expect(mine(live.items)).toMatchObject({ fundingEndsOn: '2028-12-31', risk: 'low' });

    const past = await t.get(`/api/v1/audit/as-of?knownAt=${encodeURIComponent(knownAt)}&view=continuation-risk&asOf=2026-11-27`);
    expect(past.status).toBe(200);
    const body = (await past.json()) as { asOf: string; items: Array<Record<string, unknown>> };
    expect(Object.keys(body).sort()).toEqual(Object.keys(live).sort());
    expect(mine(body.items)).toMatchObject({ fundingEndsOn: '2027-03-31', risk: 'high', decision: null });

    const endDates = (await (await t.get(`/api/v1/audit/as-of?knownAt=${encodeURIComponent(knownAt)}&view=end-dates&asOf=2026-11-27`)).json()) as { items: Array<Record<string, unknown>> };
    expect(mine(endDates.items)).toMatchObject({ fundingEndsOn: '2027-03-31' });
    // The live read models were not touched by the replay.
    const again = (await (await t.get('/api/v1/continuation-risk')).json()) as { items: Array<Record<string, unknown>> };
    expect(mine(again.items)).toMatchObject({ fundingEndsOn: '2028-12-31', risk: 'low' });
  });

  it('verify reports the first bad position after a raw-SQL change of one stored event', async () => {
    for (let i = 0; i < 3; i++) await t.post('/api/v1/grants', grantBody());
    expect(await (await t.get('/api/v1/audit/verify')).json()).toEqual({ ok: true, checked: 6, firstBadPosition: null, reason: null });
    await sql`alter table events disable trigger user`.execute(suite.database.db);
    await sql`update events set data = jsonb_set(data, '{amountCents}', '1') where global_position = 5`.execute(suite.database.db);
    await sql`alter table events enable trigger user`.execute(suite.database.db);
    // Results are cached by the head: the next append (or the cache's minute) shows the change.
    await t.post('/api/v1/grants', grantBody());
    expect(await (await t.get('/api/v1/audit/verify')).json()).toEqual({ ok: false, checked: 4, firstBadPosition: 5, reason: 'event altered' });
  });

  it('audit events page with a next cursor; a stream’s history; the NDJSON export', async () => {
    for (let i = 0; i < 4; i++) await t.post('/api/v1/grants', grantBody());
    const first = (await (await t.get('/api/v1/audit/events?limit=3')).json()) as { items: Array<{ globalPosition: number; hash: string; metadata: unknown }>; next: string };
    expect(first.items.map((e) => e.globalPosition)).toEqual([1, 2, 3]);
    expect(first.items[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const second = (await (await t.get(first.next)).json()) as { items: Array<{ globalPosition: number }>; next: string | null };
    expect(second.items.map((e) => e.globalPosition)).toEqual([4, 5, 6]);
    const stream = (await (await t.get('/api/v1/audit/streams/programme-thilik')).json()) as { version: number; items: unknown[] };
    expect(stream).toMatchObject({ version: 1 });
    expect((await t.get('/api/v1/audit/streams/grant-nonexistent')).status).toBe(404);
    expect((await t.get('/api/v1/audit/streams/no%20kind')).status).toBe(400);
    for (const knownAt of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', 'gestern']) {
      expect((await t.get(`/api/v1/audit/as-of?knownAt=${encodeURIComponent(knownAt)}&view=staffing`)).status, knownAt).toBe(400);
    }
    const exported = await t.get('/api/v1/audit/export');
    expect(exported.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l) as { globalPosition: number });
    expect(lines.map((l) => l.globalPosition)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describeEachDatabase('hardening', (suite) => {
  it('rate-limits writes per token with 429 and Retry-After; reads are not limited', async () => {
    const t = await testApp(suite.database, { writeRateLimitPerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.post('/api/v1/grants', grantBody())).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const limited = await t.post('/api/v1/grants', grantBody());
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('content-type')).toMatch(/problem\+json/);
    // Another token has its own budget.
    const other = await tokenFor({ sub: 'someone-else' });
    expect((await t.post('/api/v1/grants', grantBody(), { authorization: `Bearer ${other}` })).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await t.get('/api/v1/programmes')).status).toBe(200);
  });

  it('CORS is closed unless origins are configured; secure headers are set', async () => {
    const closed = await testApp(suite.database);
    const response = await closed.get('/api/v1/programmes', { origin: 'https://evil.example' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const open = await testApp(suite.database, { corsOrigins: ['https://kaemmerei.jena.de'] });
    const preflight = await open.app.request('/api/v1/grants', {
      method: 'OPTIONS',
      headers: { origin: 'https://kaemmerei.jena.de', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://kaemmerei.jena.de');
    const foreign = await open.get('/api/v1/programmes', { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('logs one JSON line per request with its request id, never the token or the body', async () => {
    const lines: string[] = [];
    const t = await testApp(suite.database, { logger: createLogger('info', (line) => lines.push(line)) });
    const secretish = 'Förderkennzeichen-XYZ-4711';
    await t.post('/api/v1/grants', grantBody({ reference: secretish }), { 'x-request-id': 'req-log-1' });
    const problem = (await (await t.post('/api/v1/grants', { nope: 1 }, { 'x-request-id': 'req-log-2' })).json()) as { requestId: string };
    expect(problem.requestId).toBe('req-log-2');
    const text = lines.join('');
    expect(text).not.toContain(t.adminToken);
    expect(text).not.toContain(secretish);
    const parsed = lines.map((l) => JSON.parse(l) as { requestId?: string; status?: number });
    expect(parsed.find((l) => l.requestId === 'req-log-1')).toMatchObject({ status: 201 });
    expect(parsed.find((l) => l.requestId === 'req-log-2')).toMatchObject({ status: 400 });
  });
});
