// The pages' settings, from the server's Config and token trust: the session key, the secret
// sign-in links are signed with, OIDC sign-in, the operator's name and the legal texts.
import type { Config } from '../config.js';
import { ensureLocalSecret, type ConfiguredTrust } from '../http/auth/index.js';
import { createOidcSignIn, type OidcSignIn } from './oidc.js';
import { Sessions, deriveKey } from './session.js';
import type { LegalPage } from './pages/legal.js';

/** What createApp needs to serve the pages (everything but the database and the clock). */
export interface WebOptions {
  sessions: Sessions;
  linkSecret: string | undefined;
  oidc?: OidcSignIn | undefined;
  operatorName?: string | undefined;
  legal?: Partial<Record<LegalPage, string>>;
}

/** Builds the pages' options from the settings. */
export function webFromConfig(config: Config, trust: ConfiguredTrust): WebOptions {
  // Without SESSION_SECRET the token secret (JWT_SECRET or DATA_DIR's) is the root, with a key of
  // its own derived for cookies; with OIDC only, DATA_DIR's secret is created for the purpose.
  const root = config.sessionSecret ?? trust.secret ?? ensureLocalSecret(config.dataDir).secret;
  const cookieKey = deriveKey(root, 'session-cookies');
  return {
    sessions: new Sessions({
      secret: cookieKey,
      idleMinutes: config.sessionIdleMinutes,
      maxHours: config.sessionMaxHours,
      forceSecure: config.publicUrl?.startsWith('https:') ?? false,
      publicOrigin: config.publicUrl,
    }),
    linkSecret: trust.secret,
    oidc:
      config.oidcIssuer && config.oidcClientId
        ? createOidcSignIn({
            issuer: config.oidcIssuer,
            clientId: config.oidcClientId,
            clientSecret: config.oidcClientSecret,
            cookieSecret: deriveKey(root, 'oidc-flow'),
            publicUrl: config.publicUrl,
          })
        : undefined,
    operatorName: config.operatorName,
    legal: { impressum: config.legalImpressum, datenschutz: config.legalDatenschutz, barrierefreiheit: config.legalBarrierefreiheit },
  };
}
