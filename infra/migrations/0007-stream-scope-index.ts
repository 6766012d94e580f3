// The streams of a municipality, found without walking the log: each stream's first event names
// its municipality (or none, for the shared programme streams). A scoped read (an auditor's events
// and export, an as-of replay for some municipalities) first takes its stream ids from this index,
// then their events by (stream id, version), so its cost follows the tenant, not the log.
import { sql, type Kysely, type Migration } from 'kysely';

export const streamScopeIndex: Migration = {
  async up(db: Kysely<any>) {
    await sql`create index events_stream_scope on events ((data ->> 'municipality'), stream_id) where stream_version = 1`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop index events_stream_scope`.execute(db);
  },
};
