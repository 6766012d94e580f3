// The sign-in links already redeemed. A link is a signed token the CLI can mint without the
// database; the server records its id here when it is redeemed, so a link works only once. Rows
// are kept until the link has expired anyway.
import { sql, type Kysely, type Migration } from 'kysely';

export const webSignInLinks: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create table sign_in_links_used (
        jti text primary key,
        used_at timestamptz not null,
        expires_at timestamptz not null
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table if exists sign_in_links_used`.execute(db);
  },
};
