// One-time sign-in links for the embedded default (no identity provider): a link carries an HS256
// token signed with the same secret as API tokens, so the CLI mints one without the database
// while the server runs. The server records the token's id when the link is redeemed; a second
// redemption finds it and is refused. The claims sit under `link`, not at the top level, so a
// link token is never accepted as an API bearer token, and an API token (no `purpose`) is never a
// link.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { sql } from 'kysely';
import { z } from 'zod';
import { ags } from '../../schemas/index.js';
import type { Db } from '../db/index.js';
import { ROLES, type Principal, type Role } from '../http/auth/index.js';

const PURPOSE = 'verstetigt-sign-in';

/** The default lifetime of a sign-in link: 15 minutes. */
export const DEFAULT_LINK_TTL_SECONDS = 15 * 60;

export interface SignInLinkOptions {
  role: Role;
  municipalities: string[] | '*';
  /** The subject recorded as the actor (default `<role>-<municipalities>`). */
  sub?: string;
  /** Lifetime in seconds (default 15 minutes). */
  ttlSeconds?: number;
  /** Base URL of the server, e.g. `http://localhost:3000` (no trailing slash needed). */
  baseUrl: string;
  /** The current time in milliseconds (tests). */
  now?: number;
}

/** Why a link was refused, in German for the sign-in page. */
export class SignInLinkRejectedError extends Error {
  override name = 'SignInLinkRejectedError';
}

const LinkClaims = z.object({
  purpose: z.literal(PURPOSE),
  jti: z.string().min(8).max(100),
  sub: z.string().min(1).max(200),
  exp: z.number().int(),
  link: z.object({
    role: z.enum(ROLES),
    municipalities: z.union([z.tuple([z.literal('*')]), z.array(ags).min(1).max(500)]),
  }),
});

/** A sign-in link `<base>/anmelden/link?token=…` for one person, valid once and for `ttlSeconds`. */
export async function mintSignInLink(secret: string, options: SignInLinkOptions): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const municipalities = options.municipalities === '*' ? ['*'] : options.municipalities;
  const token = await new SignJWT({ purpose: PURPOSE, link: { role: options.role, municipalities } })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub ?? `${options.role}-${municipalities.join('+')}`)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? DEFAULT_LINK_TTL_SECONDS))
    .sign(new TextEncoder().encode(secret));
  return `${options.baseUrl.replace(/\/+$/, '')}/anmelden/link?token=${token}`;
}

/** The principal a link token names, after checking signature, purpose and expiry (not yet redeemed). */
export async function readSignInLink(secret: string, token: string, now = Date.now()): Promise<{ principal: Principal; jti: string; exp: number }> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub', 'jti'],
      currentDate: new Date(now),
    }));
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') throw new SignInLinkRejectedError('Der Anmeldelink ist abgelaufen.');
    throw new SignInLinkRejectedError('Der Anmeldelink ist ungültig.');
  }
  const parsed = LinkClaims.safeParse(payload);
  if (!parsed.success) throw new SignInLinkRejectedError('Der Anmeldelink ist ungültig.');
  const { link, sub, jti, exp } = parsed.data;
  const list = link.municipalities as string[];
  return { principal: { sub, role: link.role, municipalities: list[0] === '*' ? '*' : [...new Set(list)] }, jti, exp };
}

/**
 * Redeems a link: checks it and records its id in `sign_in_links_used` in one statement (the
 * primary key decides a race between two tabs). Throws SignInLinkRejectedError when the link is
 * invalid, expired or was used before.
 */
export async function redeemSignInLink(db: Db, secret: string, token: string, now = Date.now()): Promise<Principal> {
  const { principal, jti, exp } = await readSignInLink(secret, token, now);
  const inserted = await sql<{ jti: string }>`
    insert into sign_in_links_used (jti, used_at, expires_at)
    values (${jti}, ${new Date(now).toISOString()}, ${new Date(exp * 1000).toISOString()})
    on conflict (jti) do nothing
    returning jti`.execute(db);
  if (inserted.rows.length === 0) throw new SignInLinkRejectedError('Dieser Anmeldelink wurde bereits verwendet. Bitte einen neuen anfordern.');
  // Records of expired links are no longer needed: an expired link is refused by its signature check.
  await sql`delete from sign_in_links_used where expires_at < ${new Date(now - 86_400_000).toISOString()}`.execute(db);
  return principal;
}
