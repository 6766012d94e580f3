// Sign-in through the municipality's identity provider: OpenID Connect authorization code flow
// with PKCE (openid-client). The ID token's claims are mapped to role and municipalities exactly
// as for API tokens (principalFromClaims), so one provider configuration serves both. The flow's
// state, nonce and code verifier travel in a short-lived signed cookie, not on the server.
import type { Context, Hono } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type * as Client from 'openid-client';
import type { Clock } from '../clock.js';
import { principalFromClaims } from '../http/auth/index.js';
import type { AppEnv } from '../http/request-context.js';
import type { Logger } from '../log.js';
import { localTarget } from './page-context.js';
import type { Sessions } from './session.js';

export interface OidcSignInOptions {
  /** OIDC_ISSUER */
  issuer: string;
  /** OIDC_CLIENT_ID */
  clientId: string;
  /** OIDC_CLIENT_SECRET; without it the client is public and PKCE alone protects the code. */
  clientSecret?: string | undefined;
  /** The secret the flow cookie is signed with. */
  cookieSecret: string;
  /** PUBLIC_URL: the redirect URI is built on it (else on the request's origin). */
  publicUrl?: string | undefined;
  /** Scopes to ask for (default "openid"; the role and municipality claims come with it). */
  scope?: string;
}

const FLOW_COOKIE = 'verstetigt_oidc';
const CALLBACK_PATH = '/anmelden/oidc/rueckkehr';

interface MountContext {
  sessions: Sessions;
  logger: Logger;
  clock: Clock;
  errorPage: (c: Context<AppEnv>, status: number, detail: string) => Promise<Response>;
}

/** The OIDC sign-in routes (/anmelden/oidc and its callback). */
export interface OidcSignIn {
  mount(app: Hono<AppEnv>, context: MountContext): void;
}

/** True for an issuer on this machine, where plain HTTP is acceptable (tests, local providers). */
function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** Builds the OIDC sign-in; the provider's metadata is fetched on first use (and again after a failure). */
export function createOidcSignIn(options: OidcSignInOptions): OidcSignIn {
  const issuer = new URL(options.issuer);
  let configuration: Promise<Client.Configuration> | undefined;
  // Loaded on first use, like the provider's metadata: most installations never sign in this way.
  const load = () => import('openid-client');
  const config = () => {
    configuration ??= load()
      .then((client) => client.discovery(
        issuer,
        options.clientId,
        undefined,
        options.clientSecret ? client.ClientSecretPost(options.clientSecret) : client.None(),
        isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      ))
      .catch((error) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };
  const redirectUri = (c: Context) => `${(options.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '')}${CALLBACK_PATH}`;

  return {
    mount(app, { sessions, logger, errorPage }) {
      const secure = (c: Context) => new URL(redirectUri(c)).protocol === 'https:';

      app.get('/anmelden/oidc', async (c) => {
        const client = await load();
        let cfg: Client.Configuration;
        try {
          cfg = await config();
        } catch (error) {
          logger.error('identity provider unavailable', { error: (error as Error).message, requestId: c.get('requestId') });
          return errorPage(c, 503, 'Der Identitätsanbieter ist gerade nicht erreichbar. Bitte später erneut versuchen.');
        }
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        const next = c.req.query('weiter');
        const flow = Buffer.from(JSON.stringify({ verifier, state, nonce, next: localTarget(next) ?? '/' })).toString('base64url');
        await setSignedCookie(c, FLOW_COOKIE, flow, options.cookieSecret, { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: '/anmelden/oidc', maxAge: 600 });
        const url = client.buildAuthorizationUrl(cfg, {
          redirect_uri: redirectUri(c),
          scope: options.scope ?? 'openid',
          code_challenge: await client.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        return c.redirect(url.href, 302);
      });

      app.get(CALLBACK_PATH, async (c) => {
        const raw = await getSignedCookie(c, options.cookieSecret, FLOW_COOKIE);
        deleteCookie(c, FLOW_COOKIE, { path: '/anmelden/oidc', secure: secure(c) });
        if (!raw) return errorPage(c, 400, 'Die Anmeldung ist abgelaufen oder wurde in einem anderen Browser begonnen. Bitte erneut anmelden.');
        const flow = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { verifier: string; state: string; nonce: string; next: string };
        try {
          const client = await load();
          const cfg = await config();
          // The provider redirected to the configured redirect URI; build the URL it used from it.
          const current = new URL(`${redirectUri(c)}${new URL(c.req.url).search}`);
          const tokens = await client.authorizationCodeGrant(cfg, current, {
            pkceCodeVerifier: flow.verifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          });
          const principal = principalFromClaims(tokens.claims());
          await sessions.start(c, principal, 'oidc');
          logger.info('signed in', { sub: principal.sub, role: principal.role, via: 'oidc', requestId: c.get('requestId') });
          return c.redirect(flow.next, 303);
        } catch (error) {
          logger.warn('oidc sign-in refused', { error: (error as Error).message, requestId: c.get('requestId') });
          const detail =
            (error as { name?: string }).name === 'ZodError'
              ? 'Ihr Dienstkonto nennt keine gültige Rolle oder Kommune für verstetigt. Bitte die Administration fragen.'
              : 'Die Anmeldung beim Identitätsanbieter ist fehlgeschlagen. Bitte erneut anmelden.';
          return errorPage(c, 403, detail);
        }
      });
    },
  };
}
