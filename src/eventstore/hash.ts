// The hash chain: SHA-256 over a canonical encoding of each event and the previous event's hash.
// Kept behind one function so a Worker build can swap node:crypto for WebCrypto.
import { createHash } from 'node:crypto';

/** The hash that precedes the first event of the log. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of the UTF-8 encoding of `text`, as 64 lowercase hex digits. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always encodes to
 * the same text, whatever key order jsonb gives back.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export interface HashedFields {
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
  prevHash: string;
}

/**
 * The digest of what an event says, independent of where it lands in the log: stream, event id,
 * type, schema version, data and metadata. Computed before the append, so the database can chain.
 */
export function contentDigest(fields: Pick<HashedFields, 'streamId' | 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata'>): string {
  return sha256Hex(canonicalJson([fields.streamId, fields.eventId, fields.type, fields.schemaVersion, fields.data, fields.metadata]));
}

/**
 * The chain hash of one event: covers the previous event's hash, the event's position, stream
 * version, recordedAt and its content digest — so every stored field and, through prevHash, all
 * events before it. The append function in the database computes the same (0004-append-function).
 */
export function chainHash(prevHash: string, globalPosition: number, streamVersion: number, recordedAt: string, digest: string): string {
  return sha256Hex(`${prevHash}|${globalPosition}|${streamVersion}|${recordedAt}|${digest}`);
}

/** The hash of one stored event, recomputed from all its fields (what verify() checks). */
export function eventHash(fields: HashedFields): string {
  return chainHash(fields.prevHash, fields.globalPosition, fields.streamVersion, fields.recordedAt, contentDigest(fields));
}
