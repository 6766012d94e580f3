// The token trust of a server process, from its settings: JWT_SECRET and/or OIDC; with neither,
// the embedded default's secret in DATA_DIR (created at first start, with one admin token printed).
import type { Config } from '../../config.js';
import { BOOTSTRAP_TOKEN_LIFETIME_SECONDS, createTokenVerifier, type TokenVerifier } from './token-verifier.js';
import { ensureLocalSecret, mintToken } from './tokens.js';

export interface ConfiguredTrust {
  verifier: TokenVerifier;
  /** The secret tokens are minted with (JWT_SECRET or the local one); undefined with OIDC only. */
  secret: string | undefined;
  /** Set only at the very first start of the embedded default: an admin token to print once. */
  firstAdminToken?: string;
}

/** Builds the verifier the settings call for. */
export async function trustFromConfig(config: Config): Promise<ConfiguredTrust> {
  const maxLifetimeSeconds = config.tokenMaxLifetimeHours * 3600;
  const oidc = { oidcIssuer: config.oidcIssuer, oidcAudience: config.oidcAudience, oidcJwksUrl: config.oidcJwksUrl };
  if (config.jwtSecret || config.oidcIssuer) {
    return { verifier: createTokenVerifier({ jwtSecret: config.jwtSecret, maxLifetimeSeconds, ...oidc }), secret: config.jwtSecret };
  }
  const local = ensureLocalSecret(config.dataDir);
  const trust: ConfiguredTrust = { verifier: createTokenVerifier({ jwtSecret: local.secret, maxLifetimeSeconds }), secret: local.secret };
  if (local.created) {
    trust.firstAdminToken = await mintToken(local.secret, {
      sub: 'admin',
      role: 'admin',
      municipalities: '*',
      ttlSeconds: BOOTSTRAP_TOKEN_LIFETIME_SECONDS,
      bootstrap: true,
    });
  }
  return trust;
}
