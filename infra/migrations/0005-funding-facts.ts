// The facts the read models need for the money and deadline rules of the finance office: which
// amendment governs (the latest `amendedOn`, not the last recorded), every continuation decision
// with its dates (a decision counts from `decidedOn`, a revocation from `revokedOn`, cost stops
// the day after `revokedOn`), programme ends beside grant ends, follow-up funding, own shares
// changed by amendments, spending windows in months, spending reported by proofs of use, an
// approved early start and the contract's signing date. The four read models that gain columns
// are emptied and their checkpoints reset, so the runner replays the log into the new shape at
// the next start (events are never touched).
import { sql, type Kysely, type Migration } from 'kysely';

/** The read models this migration changes, by checkpoint name, with their tables. */
export const FUNDING_FACTS_REBUILT: Readonly<Record<string, readonly string[]>> = {
  'end-dates': ['end_dates_programmes', 'end_dates_grants', 'end_dates_positions', 'end_dates_staffings'],
  'continuation-risk': ['continuation_risk_programmes', 'continuation_risk_grants', 'continuation_risk_positions'],
  'own-funds': ['own_funds_programmes', 'own_funds_grants', 'own_funds_positions'],
  'grant-finance': ['grant_finance_grants', 'grant_finance_drawdowns', 'grant_finance_amendments', 'grant_finance_proofs'],
};

export const fundingFacts: Migration = {
  async up(db: Kysely<any>) {
    // Programme ends for the two read models that cap a position's funding at its programme's end.
    await sql`create table continuation_risk_programmes (programme text primary key, ends_on text)`.execute(db);
    await sql`create table own_funds_programmes (programme text primary key, ends_on text)`.execute(db);

    // The amendment date that set period_end (null: the notice's own end); a notice with an
    // earlier amendedOn, recorded later, does not replace it.
    for (const table of ['end_dates_grants', 'continuation_risk_grants', 'own_funds_grants']) {
      await sql`alter table ${sql.table(table)} add column period_end_amended_on text`.execute(db);
    }
    await sql`alter table end_dates_grants add column early_start_approved_on text`.execute(db);
    await sql`alter table end_dates_staffings add column contract_signed_on text`.execute(db);
    await sql`alter table continuation_risk_grants add column funding_rate_hundredths integer not null default 0`.execute(db);

    // Every continuation decision of a position, in the order recorded, with revokedOn once revoked.
    for (const table of ['end_dates_positions', 'continuation_risk_positions', 'own_funds_positions']) {
      await sql`alter table ${sql.table(table)} add column decisions jsonb not null default '[]'::jsonb`.execute(db);
    }
    await sql`alter table continuation_risk_positions add column fte_hundredths integer not null default 100`.execute(db);
    await sql`alter table continuation_risk_positions add column annual_cost_cents bigint not null default 0`.execute(db);

    // The own share as awarded and every amendment's terms, so the budget years before an
    // amendment keep their split.
    await sql`alter table own_funds_grants add column original_period_end text`.execute(db);
    await sql`alter table own_funds_grants add column amendments jsonb not null default '[]'::jsonb`.execute(db);

    await sql`alter table grant_finance_grants alter column spend_within_days drop not null`.execute(db);
    await sql`alter table grant_finance_grants add column spend_within_months integer`.execute(db);
    // The amendment dates that set period_end and awarded_cents (lists read these columns).
    await sql`alter table grant_finance_grants add column period_end_amended_on text`.execute(db);
    await sql`alter table grant_finance_grants add column amount_amended_on text`.execute(db);
    await sql`alter table grant_finance_amendments add column own_share_cents bigint`.execute(db);
    await sql`alter table grant_finance_proofs add column spent_cents bigint`.execute(db);

    // Replay the changed read models from the start of the log.
    for (const [name, tables] of Object.entries(FUNDING_FACTS_REBUILT)) {
      for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(db);
      await sql`update projection_checkpoints set position = 0, updated_at = now() where name = ${name}`.execute(db);
    }
  },
  async down(db: Kysely<any>) {
    for (const [name, tables] of Object.entries(FUNDING_FACTS_REBUILT)) {
      for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(db);
      await sql`update projection_checkpoints set position = 0, updated_at = now() where name = ${name}`.execute(db);
    }
    await sql`drop table continuation_risk_programmes`.execute(db);
    await sql`drop table own_funds_programmes`.execute(db);
    for (const table of ['end_dates_grants', 'continuation_risk_grants', 'own_funds_grants']) {
      await sql`alter table ${sql.table(table)} drop column period_end_amended_on`.execute(db);
    }
    await sql`alter table end_dates_grants drop column early_start_approved_on`.execute(db);
    await sql`alter table end_dates_staffings drop column contract_signed_on`.execute(db);
    await sql`alter table continuation_risk_grants drop column funding_rate_hundredths`.execute(db);
    for (const table of ['end_dates_positions', 'continuation_risk_positions', 'own_funds_positions']) {
      await sql`alter table ${sql.table(table)} drop column decisions`.execute(db);
    }
    await sql`alter table continuation_risk_positions drop column fte_hundredths`.execute(db);
    await sql`alter table continuation_risk_positions drop column annual_cost_cents`.execute(db);
    await sql`alter table own_funds_grants drop column original_period_end`.execute(db);
    await sql`alter table own_funds_grants drop column amendments`.execute(db);
    await sql`alter table grant_finance_grants drop column spend_within_months`.execute(db);
    await sql`alter table grant_finance_grants drop column period_end_amended_on`.execute(db);
    await sql`alter table grant_finance_grants drop column amount_amended_on`.execute(db);
    await sql`alter table grant_finance_amendments drop column own_share_cents`.execute(db);
    await sql`alter table grant_finance_proofs drop column spent_cents`.execute(db);
  },
};
