// The pages: sign-in and sessions, the leadership dashboard, record pages, the auditor's pages,
// the API documentation and the assets they need, all served by the app itself.
export { webRoutes, localTarget, type WebDependencies } from './routes.js';
export { publicWebRoutes } from './public-routes.js';
export { Sessions, deriveKey, sessionForApi, SESSION_COOKIE, CSRF_COOKIE, CSRF_FIELD, type Session, type SessionOptions } from './session.js';
export { mintSignInLink, readSignInLink, redeemSignInLink, SignInLinkRejectedError, DEFAULT_LINK_TTL_SECONDS, type SignInLinkOptions } from './sign-in-links.js';
export { createOidcSignIn, type OidcSignIn, type OidcSignInOptions } from './oidc.js';
export { webFromConfig, type WebOptions } from './from-config.js';
