// Records the demo history at most once per log, even when several server processes start on one
// PostgreSQL at the same moment: the check "does the log hold anything but the seeded programmes?"
// and the recording run under one session-level advisory lock, so a second process waits for the
// first and then finds the demo already there. The embedded PGlite serves one process only and has
// one connection, so it needs (and could hold) no lock.
import { sql } from 'kysely';
import { PROGRAMMES } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { EventStore } from '../../src/eventstore/index.js';
import type { Db } from '../../src/db/index.js';
import { recordDemo } from './scenario.js';

/** The advisory-lock key of the demo recording (an arbitrary constant, the same in every process). */
export const DEMO_LOCK_KEY = 7_301_946_001;

export interface RecordDemoOnceOptions {
  db: Db;
  store: EventStore;
  clock: Clock;
  /** 'postgres' takes the advisory lock; 'pglite' (one process, one connection) does not. */
  kind: 'postgres' | 'pglite';
}

/**
 * Records the demo history when the log holds nothing but the seeded programme streams; returns
 * the number of commands recorded, or 0 when the log already held other records (the demo, or
 * real data). Safe to call from several processes at once.
 */
export async function recordDemoOnce({ db, store, clock, kind }: RecordDemoOnceOptions): Promise<number> {
  const run = async (): Promise<number> => {
    const seeded = PROGRAMMES.map((p) => `programme-${p.code}`);
    const other = await db.selectFrom('events').select('global_position').where('stream_id', 'not in', seeded).limit(1).execute();
    if (other.length > 0) return 0;
    return recordDemo({ store }, clock);
  };
  if (kind === 'pglite') return run();
  // A session lock on one pooled connection, held while the demo is appended through others; if
  // the process dies, PostgreSQL releases it with the connection.
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${DEMO_LOCK_KEY})`.execute(connection);
    try {
      return await run();
    } finally {
      await sql`select pg_advisory_unlock(${DEMO_LOCK_KEY})`.execute(connection);
    }
  });
}
