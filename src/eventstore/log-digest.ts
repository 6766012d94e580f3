// Signed digests of the log (RFC 9162-style signed heads, see signed-log.ts): their fields, the
// exact text a signature covers, the fold of a scope's events, and the parsing of a digest an
// auditor kept.
import { canonicalJson, sha256Hex } from './hash.js';
import type { StoredEvent } from './types.js';

/** A signed statement of the log's head (or, with `scope`, of the part of it a scope sees). */
export interface LogDigest {
  /** The global position of the last event covered (0 for an empty log or scope). */
  position: number;
  /** The chain hash at `position`; for a scoped digest the hash folded over the scope's events. */
  hash: string;
  /** When the event at `position` was recorded (ISO instant), null for position 0. */
  recordedAt: string | null;
  /** The signing key's JWK thumbprint (GET /api/v1/audit/public-key). */
  keyId: string;
  /** Ed25519 signature (base64) of the canonical JSON of every other field (see digestMessage). */
  signature: string;
  /** Scoped digests only: the municipalities (AGS, sorted) whose events are covered. */
  scope?: string[];
  /** Scoped digests only: how many events of the scope are covered. */
  count?: number;
}

/** The outcome of a verify, with or without a digest. */
export interface SignedVerifyReport {
  ok: boolean;
  /** Events checked (for a scoped caller: the events of the scope). */
  checked: number;
  /** The first position that is missing, altered or no longer what was signed; null when ok. */
  firstBadPosition: number | null;
  /** What was found there, in words; null when ok. */
  reason: string | null;
}

/** A digest whose signature does not verify, or that names another key. */
export class DigestSignatureError extends Error {
  override name = 'DigestSignatureError';
}

/** The log does not verify at the point a checkpoint would be signed: nothing is signed. */
export class LogIntegrityError extends Error {
  override name = 'LogIntegrityError';
}

/** The scope a verify or digest is for: '*' (everything) or the municipalities (AGS). */
export type LogScope = '*' | readonly string[];

/** The exact text a digest's signature covers: canonical JSON of the digest without `signature`. */
export function digestMessage(digest: Omit<LogDigest, 'signature'> & { signature?: string }): string {
  const { signature: _signature, ...fields } = digest;
  return canonicalJson(fields);
}

/** The scope fold: the previous fold, the event's position and its chain hash. */
export function foldScope(fold: string, event: StoredEvent): string {
  return sha256Hex(`${fold}|${event.globalPosition}|${event.hash}`);
}

/** Reads a digest from parsed JSON (a file an auditor kept); throws TypeError naming the bad field. */
export function parseDigest(value: unknown): LogDigest {
  const d = value as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new TypeError('a digest is a JSON object');
  const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!isCount(d.position)) throw new TypeError('position must be a whole number ≥ 0');
  if (typeof d.hash !== 'string' || !/^[0-9a-f]{64}$/.test(d.hash)) throw new TypeError('hash must be 64 hex digits');
  if (d.recordedAt !== null && typeof d.recordedAt !== 'string') throw new TypeError('recordedAt must be an instant or null');
  if (typeof d.keyId !== 'string' || typeof d.signature !== 'string') throw new TypeError('keyId and signature must be text');
  const scoped = d.scope !== undefined || d.count !== undefined;
  if (scoped && (!Array.isArray(d.scope) || !d.scope.every((a) => typeof a === 'string' && /^\d{8}$/.test(a)) || !isCount(d.count))) {
    throw new TypeError('scope must be a list of AGS and count a whole number, together');
  }
  const known = new Set(['position', 'hash', 'recordedAt', 'keyId', 'signature', 'scope', 'count']);
  const unknown = Object.keys(d).find((k) => !known.has(k));
  if (unknown) throw new TypeError(`unknown field ${unknown}`);
  return d as unknown as LogDigest;
}
