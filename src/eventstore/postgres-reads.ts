// The reads of the PostgreSQL/PGlite event store: streams, the global log, the log head and the
// idempotency keys. Plain functions of a Db (or a transaction), shared by the store and the signed
// log. pg returns int8 as strings: positions and versions are converted here, once.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { InvalidEventError } from './errors.js';
import { assertStreamId } from './event-values.js';
import type { AppendResult, EventMetadata, ReadAllOptions, StoredEvent } from './types.js';

interface EventRow {
  global_position: string | number;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

const SELECT_EVENT = sql`global_position, stream_id, stream_version, event_id::text as event_id, type,
  schema_version, data, metadata,
  to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, prev_hash, hash`;

const SELECT_EVENT_E = sql`e.global_position, e.stream_id, e.stream_version, e.event_id::text as event_id, e.type,
  e.schema_version, e.data, e.metadata,
  to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, e.prev_hash, e.hash`;

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** EventStore.readStream: the events of `streamId` from version `fromVersion` (default 1) on. */
export async function readStreamEvents(db: Db, streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
  assertStreamId(streamId);
  const rows = (
    await sql<EventRow>`select ${SELECT_EVENT} from events
      where stream_id = ${streamId} and stream_version >= ${options.fromVersion ?? 1}
      order by stream_version`.execute(db)
  ).rows;
  return rows.map(toStoredEvent);
}

/** EventStore.readAll: one batch of the global log in position order. */
export async function readLogEvents(db: Db, options: ReadAllOptions): Promise<StoredEvent[]> {
  const limit = options.limit ?? 500;
  const upTo = options.recordedUpTo ? sql`and e.recorded_at <= ${options.recordedUpTo}::timestamptz` : sql``;
  // The scope's stream ids come first, from the first events (an index on the field for
  // stream_version = 1, see 0007-stream-scope-index); their events then by (stream id, version).
  // A stream whose first event lacks the field (or holds null) is shared and always in scope.
  let scope = sql``;
  if (options.streamScope) {
    const { field, values } = options.streamScope;
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(field)) throw new InvalidEventError(`invalid scope field ${JSON.stringify(field)}`);
    const key = sql.lit(field);
    scope = sql`and e.stream_id = any(array(select f.stream_id from events f where f.stream_version = 1
            and (f.data ->> ${key} = any(${[...values]}::text[]) or f.data ->> ${key} is null)))`;
  }
  const rows = (
    await sql<EventRow>`select ${SELECT_EVENT_E} from events e
      where e.global_position > ${options.after} ${upTo} ${scope}
      order by e.global_position limit ${limit}`.execute(db)
  ).rows;
  return rows.map(toStoredEvent);
}

/** The log head: the last event's position and hash, and when it was recorded (position 0: the empty log). */
export async function readLogHead(db: Db): Promise<{ position: number; hash: string; recordedAt: string | null }> {
  const row = (
    await sql<{ position: string; hash: string; recorded_at: string | null }>`
      select position, hash, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at
        from event_log_head where id = 1`.execute(db)
  ).rows[0]!;
  return { position: Number(row.position), hash: row.hash, recordedAt: row.recorded_at };
}

/** EventStore.headPosition: the position of the last stored event (0 when the log is empty). */
export async function readHeadPosition(db: Db): Promise<number> {
  const row = (await sql<{ position: string }>`select position from event_log_head where id = 1`.execute(db)).rows[0];
  return Number(row?.position ?? 0);
}

/**
 * The first position beyond the head that holds an event, or null. Every append moves the head in
 * its own transaction, so (in one snapshot) no event may lie beyond it: one that does was inserted
 * behind the store's back.
 */
export async function eventBeyondHead(db: Db): Promise<number | null> {
  const row = (
    await sql<{ head: string; last: string | null }>`
      select (select position from event_log_head where id = 1) as head,
             (select max(global_position) from events) as last`.execute(db)
  ).rows[0]!;
  return row.last !== null && Number(row.last) > Number(row.head) ? Number(row.head) + 1 : null;
}

/** EventStore.lookupIdempotencyKey: the stored result of the append under `idempotencyKey`, or null. */
export async function readIdempotencyKey(db: Db, idempotencyKey: string): Promise<AppendResult | null> {
  const row = (
    await sql<{ stream_id: string; first_position: string; last_position: string; stream_version: number; fingerprint: string | null }>`
      select stream_id, first_position, last_position, stream_version, fingerprint
        from idempotency_keys where key = ${idempotencyKey}`.execute(db)
  ).rows[0];
  if (!row) return null;
  return {
    streamId: row.stream_id,
    nextExpectedVersion: Number(row.stream_version),
    firstPosition: Number(row.first_position),
    lastPosition: Number(row.last_position),
    duplicate: true,
    ...(row.fingerprint !== null ? { requestFingerprint: row.fingerprint } : {}),
  };
}
