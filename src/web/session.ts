// Sessions of the pages: a signed, HttpOnly, SameSite=Lax cookie (Secure behind HTTPS) holding
// who is signed in, when the session started and when it was last used. Nothing is stored on the
// server, so any number of processes can serve a session. A session ends after `idleMinutes`
// without a request or `maxHours` after sign-in, whichever comes first.
// CSRF: a second signed cookie holds a random token; every form carries it in `_csrf` and every
// POST must send both, equal (double submit), from this origin.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { z } from 'zod';
import { ags } from '../../schemas/index.js';
import { ROLES, type Principal } from '../http/auth/index.js';

export const SESSION_COOKIE = 'verstetigt_sitzung';
export const CSRF_COOKIE = 'verstetigt_csrf';
export const CSRF_FIELD = '_csrf';

export interface SessionOptions {
  /** The signing key of the cookies (derived from SESSION_SECRET or the token secret). */
  secret: string;
  /** Minutes without a request after which a session ends (default 30). */
  idleMinutes?: number;
  /** Hours after sign-in after which a session ends regardless (default 10). */
  maxHours?: number;
  /** Set Secure on the cookies even when the request looks like plain HTTP (PUBLIC_URL is https). */
  forceSecure?: boolean;
  /** PUBLIC_URL: a form posted from this origin is accepted besides the request's own origin (behind a proxy). */
  publicOrigin?: string | undefined;
  /** The current time in milliseconds (tests). */
  now?: () => number;
}

/** A signed-in person as the session cookie holds them. */
export interface Session extends Principal {
  /** When the session began (ms since epoch). */
  started: number;
  /** The last request (ms since epoch). */
  seen: number;
  /** How the person signed in. */
  via: 'link' | 'oidc';
}

const SessionSchema = z.object({
  sub: z.string().min(1).max(200),
  role: z.enum(ROLES),
  municipalities: z.union([z.literal('*'), z.array(ags).max(500)]),
  started: z.number().int(),
  seen: z.number().int(),
  via: z.enum(['link', 'oidc']),
});

/** Derives a key for one purpose from a shared secret, so a cookie signature never doubles as a token signature. */
export function deriveKey(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(`verstetigt:${purpose}`).digest('base64url');
}

/** Reads, checks and renews sessions and CSRF tokens for one app. */
export class Sessions {
  readonly idleMs: number;
  readonly maxMs: number;
  private readonly secret: string;
  private readonly forceSecure: boolean;
  private readonly now: () => number;
  private readonly publicOrigin: string | undefined;

  constructor({ secret, idleMinutes = 30, maxHours = 10, forceSecure = false, publicOrigin, now = Date.now }: SessionOptions) {
    this.publicOrigin = publicOrigin ? new URL(publicOrigin).origin : undefined;
    this.secret = secret;
    this.idleMs = idleMinutes * 60_000;
    this.maxMs = maxHours * 3_600_000;
    this.forceSecure = forceSecure;
    this.now = now;
  }

  private secure(c: Context): boolean {
    return this.forceSecure || new URL(c.req.url).protocol === 'https:';
  }

  private cookieOptions(c: Context, maxAgeSeconds: number) {
    return { httpOnly: true, sameSite: 'Lax' as const, secure: this.secure(c), path: '/', maxAge: Math.max(1, Math.floor(maxAgeSeconds)) };
  }

  /**
   * The session of the request, or undefined (none, forged, idle too long, or too old). Renews
   * the cookie's idle clock when `renew` is true and a minute has passed since the last renewal.
   */
  async read(c: Context, { renew = true }: { renew?: boolean } = {}): Promise<Session | undefined> {
    const raw = await getSignedCookie(c, this.secret, SESSION_COOKIE);
    if (!raw) return undefined;
    let session: Session;
    try {
      session = SessionSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    } catch {
      return undefined;
    }
    const now = this.now();
    if (now - session.seen > this.idleMs || now - session.started > this.maxMs || session.started > now + 60_000) {
      this.end(c);
      return undefined;
    }
    if (renew && now - session.seen > 60_000) await this.write(c, { ...session, seen: now });
    return session;
  }

  /** Starts a session for `principal` (and a fresh CSRF token: no token from before sign-in survives it). */
  async start(c: Context, principal: Principal, via: Session['via']): Promise<Session> {
    const now = this.now();
    const session: Session = { sub: principal.sub, role: principal.role, municipalities: principal.municipalities, started: now, seen: now, via };
    await this.write(c, session);
    await this.newCsrfToken(c);
    return session;
  }

  private async write(c: Context, session: Session): Promise<void> {
    const value = Buffer.from(JSON.stringify(session), 'utf8').toString('base64url');
    const remaining = (session.started + this.maxMs - this.now()) / 1000;
    await setSignedCookie(c, SESSION_COOKIE, value, this.secret, this.cookieOptions(c, remaining));
  }

  /** Ends the session: both cookies are removed. */
  end(c: Context): void {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: this.secure(c) });
    deleteCookie(c, CSRF_COOKIE, { path: '/', secure: this.secure(c) });
  }

  private async newCsrfToken(c: Context): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await setSignedCookie(c, CSRF_COOKIE, token, this.secret, this.cookieOptions(c, this.maxMs / 1000));
    return token;
  }

  /** The request's CSRF token for a form, issuing one (with its cookie) when there is none yet. */
  async csrfToken(c: Context): Promise<string> {
    const current = c.get('csrfToken' as never) as string | undefined;
    if (current) return current;
    const existing = await getSignedCookie(c, this.secret, CSRF_COOKIE);
    const token = existing || (await this.newCsrfToken(c));
    c.set('csrfToken' as never, token as never);
    return token;
  }

  /**
   * True when a POST carries the CSRF cookie and an equal `_csrf` field, and — if the browser
   * names an origin — comes from this one.
   */
  async checkCsrf(c: Context, field: unknown): Promise<boolean> {
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin && origin !== this.publicOrigin) return false;
    const cookie = await getSignedCookie(c, this.secret, CSRF_COOKIE);
    if (!cookie || typeof field !== 'string' || field.length !== cookie.length) return false;
    return timingSafeEqual(Buffer.from(field), Buffer.from(cookie));
  }
}

/**
 * Lets a signed-in browser read the API: on GET and HEAD without an Authorization header, the
 * session cookie becomes the request's principal (the permission table still decides). Writes
 * never accept the cookie — they need a bearer token — so a cross-site form cannot write
 * through a session, and SameSite=Lax keeps the cookie off cross-site subrequests.
 */
export function sessionForApi({ sessions }: { sessions: Sessions }) {
  return async function sessionForApiMiddleware(c: Context, next: () => Promise<void>) {
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !c.req.header('authorization')) {
      const session = await sessions.read(c, { renew: false });
      if (session) {
        c.set('principal' as never, { sub: session.sub, role: session.role, municipalities: session.municipalities } as never);
        c.set('actor' as never, { sub: session.sub, role: session.role } as never);
      }
    }
    await next();
  };
}
