// Where a correction's stream comes from. A void, correction or reversal re-projects the record it
// names from that record's stream (projections/corrections.ts). With the PostgreSQL event store the
// stream is read from the `events` table in the batch's own transaction; with a log elsewhere
// (EVENT_STORE=kurrentdb) it is read through the store. Either way a batch reads each stream once
// and shares it between the read models.
import { sql } from 'kysely';
import { parseEvent } from '../schemas/index.js';
import type { EventStore, StoredEvent } from '../src/eventstore/index.js';
import type { Executor, ProjectedEvent } from './types.js';

/**
 * Reads one stream's events with a global position up to `upToPosition`, upcast and validated,
 * in stream order. `trx` is the batch's transaction (a reader over the log's own table reads
 * through it; one over the event store ignores it).
 */
export type StreamReader = (trx: Executor, streamId: string, upToPosition: number) => Promise<ProjectedEvent[]>;

/** Upcasts and validates a stored event for the read models (throws EventSchemaError on bad data). */
export function toProjectedEvent(stored: StoredEvent): ProjectedEvent {
  const parsed = parseEvent(stored.type, stored.schemaVersion, stored.data);
  return {
    ...parsed,
    streamId: stored.streamId,
    streamVersion: stored.streamVersion,
    globalPosition: stored.globalPosition,
    recordedAt: stored.recordedAt,
  } as ProjectedEvent;
}

/**
 * The reader for the PostgreSQL event store on the read models' own database: the `events` table,
 * read in the batch's transaction (on PGlite that transaction holds the only connection, so a read
 * through the store would wait for it forever).
 */
export const readStreamFromLog: StreamReader = async (trx, streamId, upToPosition) => {
  const rows = await sql<{
    stream_version: string | number;
    global_position: string | number;
    type: string;
    schema_version: number;
    data: Record<string, unknown>;
    recorded_at: Date | string;
  }>`select stream_version, global_position, type, schema_version, data, recorded_at
       from public.events where stream_id = ${streamId} and global_position <= ${upToPosition}
      order by stream_version`.execute(trx);
  return rows.rows.map((r) => ({
    ...parseEvent(r.type, r.schema_version, r.data),
    streamId,
    streamVersion: Number(r.stream_version),
    globalPosition: Number(r.global_position),
    recordedAt: r.recorded_at instanceof Date ? r.recorded_at.toISOString() : String(r.recorded_at),
  })) as ProjectedEvent[];
};

/**
 * The reader for an event store whose log does not live in the read models' database (KurrentDB):
 * `store.readStream`, cut at `upToPosition`.
 */
export function streamReaderOf(store: Pick<EventStore, 'readStream'>): StreamReader {
  return async function readStreamFromStore(_trx, streamId, upToPosition) {
    const stored = await store.readStream(streamId);
    return stored.filter((e) => e.globalPosition <= upToPosition).map(toProjectedEvent);
  };
}

/**
 * `read` for one batch: each (stream, position) is read once, however many read models re-project
 * it; later calls get the same events (which nobody may change). Make one per batch, not longer:
 * the events are held until the batch ends.
 */
export function readOncePerBatch(read: StreamReader): StreamReader {
  const reads = new Map<string, Promise<ProjectedEvent[]>>();
  return function readShared(trx, streamId, upToPosition) {
    const key = `${upToPosition}\u0000${streamId}`;
    let events = reads.get(key);
    if (!events) {
      events = read(trx, streamId, upToPosition);
      reads.set(key, events);
    }
    return events;
  };
}
