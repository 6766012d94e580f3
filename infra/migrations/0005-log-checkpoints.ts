// Signed checkpoints of the log: each row signs the log's head at a position and the hash of every
// event since the previous checkpoint, with the Ed25519 key kept outside the database. Rewriting
// events and recomputing the chain cannot produce matching signatures, so a later verify names the
// exact position that changed. Rows are only inserted; deleting one only makes verify less precise.
import { sql, type Kysely, type Migration } from 'kysely';

export const logCheckpoints: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create table log_checkpoints (
        position bigint primary key,
        from_position bigint not null,
        hash text not null,
        recorded_at text,
        hashes text not null,
        key_id text not null,
        signature text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table log_checkpoints`.execute(db);
  },
};
