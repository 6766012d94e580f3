// The event log: one append-only table, a one-row head that serialises appends and carries the
// chain's last hash, and the idempotency keys of stored appends.
import { sql, type Kysely, type Migration } from 'kysely';

export const eventLog: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create table events (
        global_position bigint primary key,
        stream_id text not null,
        stream_version integer not null,
        event_id uuid not null unique,
        type text not null,
        schema_version integer not null,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null,
        prev_hash text not null,
        hash text not null,
        unique (stream_id, stream_version)
      )`.execute(db);
    await sql`create index events_recorded_at on events (recorded_at)`.execute(db);
    // The head row is locked by every append (SELECT … FOR UPDATE through UPDATE): appends are
    // serialised, positions are handed out in commit order, and the previous hash is at hand.
    await sql`
      create table event_log_head (
        id integer primary key check (id = 1),
        position bigint not null,
        hash text not null,
        recorded_at timestamptz
      )`.execute(db);
    await sql`insert into event_log_head (id, position, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
    await sql`
      create table idempotency_keys (
        key text primary key,
        stream_id text not null,
        first_position bigint not null,
        last_position bigint not null,
        stream_version integer not null
      )`.execute(db);
    // Append-only by construction: the application never updates or deletes an event. Changing one
    // needs a deliberate ALTER TABLE … DISABLE TRIGGER, and verify() still finds it.
    await sql`
      create function events_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'the event log is append-only (% refused)', tg_op;
      end $$`.execute(db);
    await sql`
      create trigger events_append_only before update or delete on events
      for each row execute function events_refuse_change()`.execute(db);
    await sql`
      create trigger events_no_truncate before truncate on events
      for each statement execute function events_refuse_change()`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table idempotency_keys`.execute(db);
    await sql`drop table event_log_head`.execute(db);
    await sql`drop table events`.execute(db);
    await sql`drop function events_refuse_change`.execute(db);
  },
};
