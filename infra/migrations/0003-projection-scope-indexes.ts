// Indexes on (municipality, programme) for the read tables that 0002 left without one and that
// the views filter by scope (projections/support.ts whereScope): every view query reads one
// municipality or the caller's list of them. Unnamed `create index on`, like 0002: PostgreSQL
// names them <table>_municipality_programme_idx, and a rebuild's `create table … (like … including
// all)` chooses the same names for the copies, so the names stay stable across rebuilds.
import { sql, type Kysely, type Migration } from 'kysely';

/** The tables this migration indexes. */
export const SCOPE_INDEXED_TABLES = [
  'end_dates_staffings',
  'own_funds_grants',
  'own_funds_positions',
  'grant_finance_drawdowns',
  'grant_finance_amendments',
  'grant_finance_proofs',
] as const;

export const projectionScopeIndexes: Migration = {
  async up(db: Kysely<any>) {
    for (const table of SCOPE_INDEXED_TABLES) {
      await sql`create index on ${sql.table(table)} (municipality, programme)`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    for (const table of SCOPE_INDEXED_TABLES) {
      await sql`drop index if exists ${sql.id(`${table}_municipality_programme_idx`)}`.execute(db);
    }
  },
};
