export { authenticate } from './authenticate.js';
export { authorize, allows, permissionFor, PERMISSIONS, ROUTE_PERMISSIONS, type Permission } from './permissions.js';
export { covers, principalFromClaims, ROLES, type Principal, type Role } from './principal.js';
export { readRateLimit, writeRateLimit, type RateLimitBucket, type RateLimitOptions } from './rate-limit.js';
export { BOOTSTRAP_TOKEN_LIFETIME_SECONDS, createTokenVerifier, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, IdentityProviderUnavailableError, TokenRejectedError, type TokenVerifier, type TokenVerifierOptions } from './token-verifier.js';
export { ensureLocalSecret, LOCAL_SECRET_FILE, mintToken, parseTtl, readLocalSecret, type MintOptions } from './tokens.js';
export { trustFromConfig, type ConfiguredTrust } from './from-config.js';
