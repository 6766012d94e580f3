// Verifies bearer tokens: HS256 with JWT_SECRET (small installations, tests) and/or RS256/ES256
// from the municipality's identity provider (OIDC issuer + audience, keys from its JWKS, cached).
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { principalFromClaims, type Principal } from './principal.js';

export interface TokenVerifierOptions {
  jwtSecret?: string | undefined;
  oidcIssuer?: string | undefined;
  oidcAudience?: string | undefined;
  /** The JWKS address; when absent it is read from the issuer's /.well-known/openid-configuration. */
  oidcJwksUrl?: string | undefined;
  /** Longest accepted lifetime (exp − iat, or exp − now without iat) in seconds (default 12 h). */
  maxLifetimeSeconds?: number | undefined;
}

/** The default longest token lifetime: 12 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
/** The first-start admin token's lifetime (claim `bootstrap: true`, HS256 only): 30 days. */
export const BOOTSTRAP_TOKEN_LIFETIME_SECONDS = 30 * 86400;

/** The identity provider's keys could not be fetched: the token cannot be judged now (503). */
export class IdentityProviderUnavailableError extends Error {
  override name = 'IdentityProviderUnavailableError';
}

/** A token was refused; the message says why in a few words (never echoes the token). */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
}

export interface TokenVerifier {
  /** The principal of a valid token; throws TokenRejectedError otherwise. */
  verify(token: string): Promise<Principal>;
}

/** Builds a verifier for the configured trust: a shared secret, an OIDC issuer, or both. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : undefined;
  let jwks: Promise<JWTVerifyGetKey> | undefined;
  const oidc = options.oidcIssuer && options.oidcAudience ? { issuer: options.oidcIssuer, audience: options.oidcAudience } : undefined;

  const keySet = (): Promise<JWTVerifyGetKey> => {
    jwks ??= (async () => {
      const url = options.oidcJwksUrl ?? (await discoverJwksUrl(oidc!.issuer));
      // jose caches the keys and refetches on an unknown key id (with a cooldown).
      return createRemoteJWKSet(new URL(url), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
    })().catch((error) => {
      jwks = undefined;
      throw error;
    });
    return jwks;
  };

  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  /** A stolen token is worth at most its lifetime: a longer one is refused however it was minted. */
  const checkLifetime = (payload: { exp?: number; iat?: number; bootstrap?: unknown }, bootstrapAllowed: boolean): void => {
    const now = Math.floor(Date.now() / 1000);
    const from = typeof payload.iat === 'number' ? payload.iat : now;
    if (from > now + 60) throw new TokenRejectedError('Ausstellungszeit (iat) liegt in der Zukunft');
    const limit = bootstrapAllowed && payload.bootstrap === true ? Math.max(maxLifetime, BOOTSTRAP_TOKEN_LIFETIME_SECONDS) : maxLifetime;
    if ((payload.exp ?? 0) - from > limit) throw new TokenRejectedError(`das Token gilt länger als erlaubt (höchstens ${formatSeconds(limit)})`);
  };

  return {
    async verify(token: string): Promise<Principal> {
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch (error) {
        throw new TokenRejectedError('das Token ist kein JWT', { cause: error });
      }
      try {
        if (alg === 'HS256' && secret) {
          const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
          checkLifetime(payload, true);
          return principalFromClaims(payload);
        }
        if ((alg === 'RS256' || alg === 'ES256') && oidc) {
          const { payload } = await jwtVerify(token, await keySet(), {
            algorithms: ['RS256', 'ES256'],
            issuer: oidc.issuer,
            audience: oidc.audience,
            requiredClaims: ['exp', 'sub'],
          });
          checkLifetime(payload, false);
          return principalFromClaims(payload);
        }
      } catch (error) {
        if (error instanceof TokenRejectedError) throw error;
        // Not the token's fault: discovery or the JWKS could not be fetched (network, timeout, HTTP error).
        if (!isJoseVerdict(error)) throw new IdentityProviderUnavailableError(`identity provider not reachable: ${(error as Error).message}`, { cause: error });
        throw new TokenRejectedError(describe(error), { cause: error });
      }
      throw new TokenRejectedError(`Signaturverfahren ${alg ?? '(keins)'} wird nicht angenommen`);
    },
  };
}

/** True for errors that are a judgement on the token (jose's claim, signature and key errors, bad claims). */
function isJoseVerdict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if ((error as { name?: string }).name === 'ZodError') return true;
  if (typeof code !== 'string' || !code.startsWith('ERR_J')) return false;
  // A JWKS that times out, answers other than 200 or is not valid JSON is the provider's problem.
  return !['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID'].includes(code);
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'das Token ist abgelaufen';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'die Signatur ist ungültig';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `Angabe im Token ungültig (${(error as { claim?: string }).claim ?? 'unbekannt'})`;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'kein passender Schlüssel beim Identitätsanbieter';
    default:
      if ((error as { name?: string }).name === 'ZodError') return 'Rolle, Kommunen oder Ablaufzeit fehlen oder sind ungültig';
      return 'das Token ist ungültig';
  }
}

async function discoverJwksUrl(issuer: string): Promise<string> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery at ${issuer} answered ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
  if (!jwksUri) throw new Error(`OIDC discovery at ${issuer} names no jwks_uri`);
  return jwksUri;
}

function formatSeconds(seconds: number): string {
  return seconds % 86400 === 0 ? `${seconds / 86400} Tage` : seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;
}
