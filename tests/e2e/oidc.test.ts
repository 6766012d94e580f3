// Sign-in through an OpenID provider (authorization code + PKCE): a real oidc-provider the test
// starts on 127.0.0.1, Debian's Chromium going through its login and consent pages. The ID
// token's role and municipalities become the session; a token without them is refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcSignIn } from '../../src/web/index.js';
import { axeViolations, chromiumAvailable, describeViolations, launchChromium } from '../support/browser.js';
import { startWebTestServer, type WebTestServer } from '../support/web.js';

/** The accounts of the test provider: the login name decides the claims. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'leitung-jena': { role: 'leadership', municipalities: ['16053000'] },
  pruefung: { role: 'auditor', municipalities: ['*'] },
  'ohne-rolle': {},
};

describe.skipIf(!chromiumAvailable)('sign-in with OpenID Connect', () => {
  let browser: Browser;
  let server: WebTestServer;
  let idp: Server;
  let issuer: string;

  beforeAll(async () => {
    idp = createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const oidc = createOidcSignIn({ issuer, clientId: 'verstetigt', clientSecret: 'a-client-secret-for-the-tests-only', cookieSecret: 'oidc-flow-cookie-secret-for-tests' });
    [browser, server] = await Promise.all([launchChromium(), startWebTestServer({ demo: false, oidc })]);
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'verstetigt',
          client_secret: 'a-client-secret-for-the-tests-only',
          redirect_uris: [`${server.url}/anmelden/oidc/rueckkehr`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      claims: { openid: ['sub', 'role', 'municipalities'] },
      conformIdTokenClaims: false,
      findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id, ...(ACCOUNTS[id] ?? {}) }) }),
      features: { devInteractions: { enabled: true } },
    });
    idp.on('request', provider.callback());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => idp?.close(resolve));
  });

  /** Goes through /anmelden → provider login → consent → back; returns the page where it ends. */
  async function signInAs(login: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/anmelden`);
    await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
    await page.waitForURL((url) => url.href.startsWith(issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('egal');
    await page.locator('button[type="submit"]').click();
    await page.waitForLoadState('load');
    if (page.url().startsWith(issuer)) {
      // The consent page.
      await page.locator('button[type="submit"]').click();
    }
    // The callback answers with the dashboard (303) or, when it refuses, with an error page.
    await page.waitForURL((url) => url.href.startsWith(server.url));
    await page.waitForLoadState('load');
    return page;
  }

  it('signs a Jena leader in through the provider and maps the claims to role and municipality', async () => {
    const page = await signInAs('leitung-jena');
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await page.locator('h1').textContent())?.trim()).toBe('Übersicht: Jena');
    expect(await page.locator('.vst-user').textContent()).toContain('Leitung');
    const auditor = await signInAs('pruefung');
    await auditor.goto(`${server.url}/pruefung`);
    expect((await auditor.locator('h1').textContent())?.trim()).toBe('Protokoll');
  });

  it('refuses an account whose token names no role, with a German page', async () => {
    const page = await signInAs('ohne-rolle');
    expect((await page.locator('h1').textContent())?.trim()).toBe('Keine Berechtigung');
    expect(await page.locator('main').textContent()).toContain('keine gültige Rolle');
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/anmelden');
  });

  it('shows the provider button on the sign-in page, which passes axe-core', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/anmelden`);
    expect(await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).count()).toBe(1);
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});
