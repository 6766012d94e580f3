export { authenticate } from './authenticate.js';
export { authorize, allows, permissionFor, PERMISSIONS, ROUTE_PERMISSIONS, type Permission } from './permissions.js';
export { covers, principalFromClaims, ROLES, type Principal, type Role } from './principal.js';
export { writeRateLimit, type RateLimitOptions } from './rate-limit.js';
export { createTokenVerifier, IdentityProviderUnavailableError, TokenRejectedError, type TokenVerifier, type TokenVerifierOptions } from './token-verifier.js';
export { ensureLocalSecret, LOCAL_SECRET_FILE, mintToken, parseTtl, readLocalSecret, type MintOptions } from './tokens.js';
export { trustFromConfig, type ConfiguredTrust } from './from-config.js';
