// The pages' server side through app.request() (no browser, no port): sign-in links that work
// once and expire, session cookies (flags, idle and absolute timeouts, forgery), CSRF, the
// session reading but never writing the API, public /openapi.json and /docs without any other
// origin, the format helpers, and the CLI's login-link working without the database.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, createProjectionRunner } from '../../projections/index.js';
import { seedProgrammes } from '../../src/commands/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { createTokenVerifier, mintToken } from '../../src/http/auth/index.js';
import { createApp, type App } from '../../src/http/index.js';
import { daysInWords, formatDate, formatEuro, spanInWords } from '../../src/web/format.js';
import { Sessions, deriveKey, localTarget, mintSignInLink, readSignInLink } from '../../src/web/index.js';
import { pgliteDriver, type TestDatabase } from '../support/databases.js';
import { TEST_SECRET } from '../support/http.js';

const BASE = 'http://verstetigt.test';
const START = Date.parse('2026-11-27T09:00:00Z');

describe('pages on the server (app.request)', () => {
  let database: TestDatabase;
  let app: App;
  let now = START;

  beforeAll(async () => {
    database = await pgliteDriver.open();
    const store = new PostgresEventStore(database.db);
    await seedProgrammes({ store });
    const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
    await runner.catchUp();
    const clock = { now: () => new Date(now), today: () => new Date(now).toISOString().slice(0, 10) };
    app = createApp({
      db: database.db,
      store,
      runner,
      verifier: createTokenVerifier({ jwtSecret: TEST_SECRET }),
      clock,
      writeRateLimitPerMinute: 0,
      web: {
        sessions: new Sessions({ secret: deriveKey(TEST_SECRET, 'session-cookies'), idleMinutes: 30, maxHours: 10, now: () => now }),
        linkSecret: TEST_SECRET,
      },
    });
  });

  afterAll(async () => {
    await database.dispose();
  });

  const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

  /** Opens a link and confirms it; returns the confirmation response and the cookies after it. */
  async function redeem(link: string, url = BASE) {
    const path = link.slice(link.indexOf('/anmelden'));
    const confirm = await app.request(`${url}${path}`);
    const html = await confirm.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const response = await app.request(`${url}/anmelden/link`, {
      method: 'POST',
      headers: { cookie: cookiesOf(confirm), 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: new URLSearchParams({ _csrf: csrf, token }),
    });
    return { confirm, response, cookie: [cookiesOf(confirm), cookiesOf(response)].filter(Boolean).join('; '), html };
  }

  const link = (ttlSeconds?: number) => mintSignInLink(TEST_SECRET, { role: 'leadership', municipalities: ['16053000'], baseUrl: BASE, now, ...(ttlSeconds ? { ttlSeconds } : {}) });

  it('signs in once per link, with HttpOnly SameSite=Lax cookies; a second use is refused', async () => {
    now = START;
    const l = await link();
    const first = await redeem(l);
    expect(first.response.status).toBe(303);
    expect(first.response.headers.get('location')).toBe('/');
    const setCookies = first.response.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('verstetigt_sitzung='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    const page = await app.request(`${BASE}/`, { headers: { cookie: first.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Übersicht: Jena');

    const second = await redeem(l);
    expect(second.response.status).toBe(400);
    expect(await second.response.text()).toContain('bereits verwendet');
    expect(second.response.headers.getSetCookie().some((c) => c.startsWith('verstetigt_sitzung='))).toBe(false);
  });

  it('sets Secure on the cookies behind HTTPS', async () => {
    now = START;
    const { response } = await redeem(await link(), 'https://verstetigt.test');
    expect(response.status).toBe(303);
    for (const cookie of response.headers.getSetCookie()) expect(cookie).toMatch(/; Secure/);
  });

  it('refuses an expired link, a forged one and an API token used as a link', async () => {
    now = START;
    const expired = await link(60);
    now = START + 61_000;
    const late = await app.request(expired.replace(BASE, BASE));
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('abgelaufen');
    const forged = await app.request(`${BASE}/anmelden/link?token=${(await link()).split('token=')[1]!.slice(0, -3)}abc`);
    expect(forged.status).toBe(400);
    const apiToken = await mintToken(TEST_SECRET, { sub: 'x', role: 'admin', municipalities: '*' });
    const asLink = await app.request(`${BASE}/anmelden/link?token=${apiToken}`);
    expect(asLink.status).toBe(400);
    expect(await asLink.text()).toContain('ungültig');
    await expect(readSignInLink(TEST_SECRET, apiToken)).rejects.toThrow('ungültig');
  });

  it('never accepts a link token as an API bearer token', async () => {
    now = START;
    const token = (await link()).split('token=')[1]!;
    const response = await app.request(`${BASE}/api/v1/continuation-risk`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    now = START;
    const { cookie } = await redeem(await link());
    now = START + 29 * 60_000;
    const active = await app.request(`${BASE}/`, { headers: { cookie } });
    expect(active.status).toBe(200);
    // The renewed cookie carries the idle clock forward.
    const renewed = [cookie, cookiesOf(active)].join('; ').split('; ');
    const latest = [...new Map(renewed.map((c) => [c.split('=')[0], c])).values()].join('; ');
    now = START + 58 * 60_000;
    expect((await app.request(`${BASE}/`, { headers: { cookie: latest } })).status).toBe(200);
    // The old cookie's idle clock ran out.
    const idle = await app.request(`${BASE}/`, { headers: { cookie } });
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toBe('/anmelden?weiter=%2F');

    // Requests every 20 minutes keep a session alive only until 10 hours after sign-in.
    now = START;
    let current = (await redeem(await link())).cookie;
    let status = 200;
    let at = 0;
    while (status === 200 && at < 11 * 60) {
      at += 20;
      now = START + at * 60_000;
      const response = await app.request(`${BASE}/`, { headers: { cookie: current } });
      status = response.status;
      const fresh = cookiesOf(response);
      if (fresh) current = [...new Map([...current.split('; '), ...fresh.split('; ')].map((c) => [c.split('=')[0], c])).values()].join('; ');
    }
    expect(status).toBe(303);
    expect(at).toBeGreaterThan(10 * 60 - 20);
    expect(at).toBeLessThanOrEqual(10 * 60 + 20);
  });

  it('refuses a tampered session cookie and a form without the CSRF token', async () => {
    now = START;
    const { cookie } = await redeem(await link());
    const tampered = cookie.replace(/verstetigt_sitzung=([^.;]+)/, (_m, v: string) => {
      const json = JSON.parse(Buffer.from(decodeURIComponent(v), 'base64url').toString());
      return `verstetigt_sitzung=${Buffer.from(JSON.stringify({ ...json, municipalities: '*', role: 'admin' })).toString('base64url')}`;
    });
    const forged = await app.request(`${BASE}/pruefung`, { headers: { cookie: tampered } });
    expect(forged.status).toBe(303);
    const noToken = await app.request(`${BASE}/abmelden`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(noToken.status).toBe(403);
    expect(noToken.headers.get('content-type')).toMatch(/text\/html/);
    const csrf = /verstetigt_csrf=([^.;]+)/.exec(cookie)![1]!;
    const otherSite = await app.request(`${BASE}/abmelden`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(otherSite.status).toBe(403);
    const ok = await app.request(`${BASE}/abmelden`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: BASE },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/anmelden?abgemeldet=1');
  });

  it('lets the session read the API (GET) but never write it', async () => {
    now = START;
    const { cookie } = await redeem(await link());
    const read = await app.request(`${BASE}/api/v1/continuation-risk`, { headers: { cookie } });
    expect(read.status).toBe(200);
    const other = await app.request(`${BASE}/api/v1/continuation-risk?municipality=16055000`, { headers: { cookie } });
    expect(other.status).toBe(403);
    const write = await app.request(`${BASE}/api/v1/positions`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(write.status).toBe(401);
    const anonymous = await app.request(`${BASE}/api/v1/continuation-risk`);
    expect(anonymous.status).toBe(401);
  });

  it('refuses a leader the digest download and the digest upload with the 403 page, CSRF token or not', async () => {
    now = START;
    const { cookie } = await redeem(await link());
    const csrf = /verstetigt_csrf=([^.;]+)/.exec(cookie)![1]!;
    const body = new FormData();
    body.set('_csrf', csrf);
    body.set('digest', new File(['{}'], 'stand.json', { type: 'application/json' }));
    const upload = await app.request(`${BASE}/pruefung/pruefen`, { method: 'POST', headers: { cookie, origin: BASE }, body });
    expect(upload.status).toBe(403);
    expect(await upload.text()).toContain('Ihre Rolle darf diese Seite nicht öffnen.');
    expect((await app.request(`${BASE}/pruefung/stand.json`, { headers: { cookie } })).status).toBe(403);
    expect((await app.request(`${BASE}/pruefung/schluessel.pem`, { headers: { cookie } })).status).toBe(403);
  });

  it('serves /openapi.json and /docs to anyone, with nothing from another origin', async () => {
    const spec = await app.request(`${BASE}/openapi.json`);
    expect(spec.status).toBe(200);
    const docs = await app.request(`${BASE}/docs`);
    const html = await docs.text();
    expect(html).toContain('/static/swagger-ui/swagger-ui-bundle.js');
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u!.startsWith('/'))).toEqual([]);
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'");
    const bundle = await app.request(`${BASE}/static/swagger-ui/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await app.request(`${BASE}/static/kern/%2e%2e/%2e%2e/package.json`)).status).not.toBe(200);
    expect((await app.request(`${BASE}/static/app/..%2f..%2fweb%2fsession.ts`)).status).toBe(404);
  });

  it('sends a person without a session to the sign-in page, keeping where they wanted to go', async () => {
    const response = await app.request(`${BASE}/pruefung?typ=FundsDrawn`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/anmelden?weiter=%2Fpruefung%3Ftyp%3DFundsDrawn');
    const page = await app.request(`${BASE}/anmelden`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('npm run cli -- login-link');
  });
});

describe('page helpers', () => {
  it('writes dates, money and spans the German way', () => {
    expect(formatDate('2026-11-27')).toBe('27.11.2026');
    expect(formatEuro(123456)).toBe('1.234,56\u00a0€');
    expect(formatEuro(-5)).toBe('-0,05\u00a0€');
    expect(daysInWords(1)).toBe('in 1 Tag');
    expect(daysInWords(-3)).toBe('vor 3 Tagen');
    expect(spanInWords(125)).toBe('in 4 Monaten');
  });

  it('redirects only to paths on this server', () => {
    expect(localTarget('/stellen/1')).toBe('/stellen/1');
    expect(localTarget('//evil.example/')).toBeUndefined();
    expect(localTarget('/\\evil.example')).toBeUndefined();
    expect(localTarget('https://evil.example/')).toBeUndefined();
  });
});

describe('CLI login-link', () => {
  it('prints a working link as its last line, with the secret only (no database)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'verstetigt-link-'));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'login-link', '--role', 'auditor', '--municipality', '16053000', '--base', 'https://verstetigt.jena.example'],
      { env: { ...process.env, JWT_SECRET: TEST_SECRET, DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } },
    );
    const last = stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^https:\/\/verstetigt\.jena\.example\/anmelden\/link\?token=/);
    const { principal } = await readSignInLink(TEST_SECRET, last.split('token=')[1]!);
    expect(principal).toEqual({ sub: 'auditor-16053000', role: 'auditor', municipalities: ['16053000'] });
    const bad = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'login-link', '--role', 'mayor', '--municipality', '16053000'], {
      env: { ...process.env, JWT_SECRET: TEST_SECRET, DATA_DIR: dataDir },
    });
    await expect(bad).rejects.toMatchObject({ code: 2 });
  });
});
