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

/** The hash of one event: covers every stored field and, through prevHash, all events before it. */
export function eventHash(fields: HashedFields): string {
  return sha256Hex(
    canonicalJson([
      fields.globalPosition,
      fields.streamId,
      fields.streamVersion,
      fields.eventId,
      fields.type,
      fields.schemaVersion,
      fields.data,
      fields.metadata,
      fields.recordedAt,
      fields.prevHash,
    ]),
  );
}
