// Bearer authentication on every route but /health: a verified token becomes the request's
// principal and actor; anything else is 401 problem+json.
import type { MiddlewareHandler } from 'hono';
import { describeError } from '../describe-error.js';
import { HttpProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';
import { IdentityProviderUnavailableError, TokenRejectedError, type TokenVerifier } from './token-verifier.js';

// Public: the digests' public key (anyone holding a digest checks its signature with it) and the
// API description (it holds no data); the pages (src/web) answer before this middleware runs.
const PUBLIC_PATHS = new Set(['/health', '/ready', '/api/v1/audit/public-key', '/openapi.json']);

function unauthorized(detail: string): HttpProblem {
  return new HttpProblem(401, 'Nicht angemeldet', detail, {}, { 'www-authenticate': 'Bearer realm="verstetigt"' });
}

/** Verifies `Authorization: Bearer <JWT>` and sets `principal` and `actor` on the context. */
export function authenticate({ verifier }: { verifier: TokenVerifier }): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    // A principal set before (a signed-in browser reading the API, see src/web/session.ts) stands.
    if (PUBLIC_PATHS.has(c.req.path) || c.get('principal')) return next();
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+([A-Za-z0-9_.-]+=*)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized('Anmeldung erforderlich: Authorization: Bearer <Token>.');
    try {
      const principal = await verifier.verify(match[1]!);
      c.set('principal', principal);
      c.set('actor', { sub: principal.sub, role: principal.role });
    } catch (error) {
      if (error instanceof TokenRejectedError) throw unauthorized(`Token abgelehnt: ${error.message}.`);
      if (error instanceof IdentityProviderUnavailableError) {
        c.get('logger')?.error('identity provider unavailable', { requestId: c.get('requestId'), error: describeError(error) });
        throw new HttpProblem(503, 'Vorübergehend nicht verfügbar', 'Der Identitätsanbieter ist gerade nicht erreichbar; das Token kann nicht geprüft werden.', {}, { 'retry-after': '10' });
      }
      throw error;
    }
    await next();
  };
}
