// The read side: one checkpoint per projection and the tables of the five read models. Business
// dates are stored as `YYYY-MM-DD` text (compares correctly, and no driver turns it into a Date at
// local midnight); FTE and percentages as whole hundredths (exact sums); money as bigint cents.
// Every row carries its keys (positionId / grantId, municipality, programme). Index names follow
// PostgreSQL's default naming, so `create table … (like … including all)` in a rebuild produces
// the same names.
import { sql, type Kysely, type Migration } from 'kysely';

const TABLES = [
  'staffing_positions',
  'staffing_assignments',
  'end_dates_programmes',
  'end_dates_grants',
  'end_dates_positions',
  'end_dates_staffings',
  'continuation_risk_grants',
  'continuation_risk_positions',
  'own_funds_grants',
  'own_funds_positions',
  'grant_finance_grants',
  'grant_finance_drawdowns',
  'grant_finance_amendments',
  'grant_finance_proofs',
];

export const projectionTables: Migration = {
  async up(db: Kysely<any>) {
    // Written in the same transaction as each batch's read-model changes (projections/runner.ts).
    await sql`
      create table projection_checkpoints (
        name text primary key,
        position bigint not null default 0,
        updated_at timestamptz not null default now()
      )`.execute(db);

    // staffing
    await sql`
      create table staffing_positions (
        position_id text primary key,
        municipality text not null,
        programme text not null,
        role text not null,
        fte_hundredths integer not null,
        established_on text not null,
        abolished_on text
      )`.execute(db);
    await sql`create index on staffing_positions (municipality, programme)`.execute(db);
    await sql`
      create table staffing_assignments (
        position_id text not null,
        seq integer not null,
        municipality text not null,
        programme text not null,
        role text not null,
        person_ref text not null,
        starts_on text not null,
        ends_on text,
        vacated_on text,
        fte_hundredths integer not null,
        primary key (position_id, seq)
      )`.execute(db);
    await sql`create index on staffing_assignments (municipality, programme)`.execute(db);

    // end dates
    await sql`
      create table end_dates_programmes (
        programme text primary key,
        ends_on text
      )`.execute(db);
    await sql`
      create table end_dates_grants (
        grant_id text primary key,
        municipality text not null,
        programme text not null,
        awarded_on text not null,
        period_end text not null
      )`.execute(db);
    await sql`
      create table end_dates_positions (
        position_id text primary key,
        municipality text not null,
        programme text not null,
        grant_id text not null,
        title text not null,
        role text not null,
        fte_hundredths integer not null,
        established_on text not null,
        abolished_on text
      )`.execute(db);
    await sql`create index on end_dates_positions (municipality, programme)`.execute(db);
    await sql`create index on end_dates_positions (grant_id)`.execute(db);
    await sql`
      create table end_dates_staffings (
        position_id text not null,
        seq integer not null,
        municipality text not null,
        programme text not null,
        person_ref text not null,
        starts_on text not null,
        ends_on text,
        vacated_on text,
        primary key (position_id, seq)
      )`.execute(db);

    // continuation risk
    await sql`
      create table continuation_risk_grants (
        grant_id text primary key,
        municipality text not null,
        programme text not null,
        period_end text not null
      )`.execute(db);
    await sql`
      create table continuation_risk_positions (
        position_id text primary key,
        municipality text not null,
        programme text not null,
        grant_id text not null,
        title text not null,
        role text not null,
        established_on text not null,
        abolished_on text,
        decision text,
        effective_from text,
        own_funds_share_hundredths integer,
        decided_by text,
        resolution_ref text,
        decided_on text,
        last_revoked_on text
      )`.execute(db);
    await sql`create index on continuation_risk_positions (municipality, programme)`.execute(db);
    await sql`create index on continuation_risk_positions (grant_id)`.execute(db);

    // own funds
    await sql`
      create table own_funds_grants (
        grant_id text primary key,
        municipality text not null,
        programme text not null,
        period_start text not null,
        period_end text not null,
        own_share_cents bigint not null
      )`.execute(db);
    await sql`
      create table own_funds_positions (
        position_id text primary key,
        municipality text not null,
        programme text not null,
        grant_id text not null,
        fte_hundredths integer not null,
        annual_cost_cents bigint not null,
        abolished_on text,
        decision text,
        effective_from text,
        own_funds_share_hundredths integer
      )`.execute(db);

    // grant finance
    await sql`
      create table grant_finance_grants (
        grant_id text primary key,
        municipality text not null,
        programme text not null,
        reference text not null,
        awarded_on text not null,
        period_start text not null,
        period_end text not null,
        original_period_end text not null,
        awarded_cents bigint not null,
        original_amount_cents bigint not null,
        drawn_cents bigint not null,
        funding_rate_hundredths integer not null,
        financing_type text not null,
        own_share_cents bigint not null,
        spend_within_days integer not null,
        final_proof_due_months integer not null,
        closed_on text
      )`.execute(db);
    await sql`create index on grant_finance_grants (municipality, programme)`.execute(db);
    for (const [table, columns] of [
      ['grant_finance_drawdowns', sql`drawn_on text not null, amount_cents bigint not null`],
      ['grant_finance_amendments', sql`amended_on text not null, period_end text, amount_cents bigint, reason text not null`],
      ['grant_finance_proofs', sql`submitted_on text not null, kind text not null`],
    ] as const) {
      // seq is the event's stream version: unique per grant and the same in every replay.
      await sql`
        create table ${sql.table(table)} (
          grant_id text not null,
          seq integer not null,
          municipality text not null,
          programme text not null,
          ${columns},
          primary key (grant_id, seq)
        )`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    for (const table of [...TABLES].reverse()) await sql`drop table if exists ${sql.table(table)}`.execute(db);
    await sql`drop table projection_checkpoints`.execute(db);
  },
};
