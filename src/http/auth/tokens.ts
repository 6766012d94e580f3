// Minting HS256 tokens (CLI, first start, tests) and the embedded default's secret in DATA_DIR.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Principal } from './principal.js';

export interface MintOptions extends Omit<Principal, 'municipalities'> {
  municipalities: string[] | '*';
  /** Lifetime in seconds (default 8 hours). */
  ttlSeconds?: number;
  /** Marks the first-start admin token, which may live 30 days (see token-verifier.ts). */
  bootstrap?: boolean;
}

/** An HS256 token with sub, role, municipalities and exp, signed with `secret`. */
export async function mintToken(secret: string, options: MintOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    role: options.role,
    municipalities: options.municipalities === '*' ? ['*'] : options.municipalities,
    ...(options.bootstrap ? { bootstrap: true } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 8 * 3600))
    .sign(new TextEncoder().encode(secret));
}

/** Parses a lifetime such as `90s`, `30m`, `8h`, `7d` into seconds; throws on anything else. */
export function parseTtl(text: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text);
  if (!match) throw new Error(`--ttl must look like 30m, 8h or 7d, got ${JSON.stringify(text)}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

export const LOCAL_SECRET_FILE = 'jwt-secret';

/**
 * The embedded default's signing secret: read from DATA_DIR/jwt-secret, or created there (mode
 * 0600) when absent. `created` is true only the first time.
 */
export function ensureLocalSecret(dataDir: string): { secret: string; created: boolean; path: string } {
  const path = join(dataDir, LOCAL_SECRET_FILE);
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), created: false, path };
  const secret = randomBytes(48).toString('base64url');
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    throw new Error(`DATA_DIR ${dataDir} is not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return { secret, created: true, path };
}

/** The local secret if it exists, without creating it. */
export function readLocalSecret(dataDir: string): string | undefined {
  const path = join(dataDir, LOCAL_SECRET_FILE);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}
