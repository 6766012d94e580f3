// The last day in post of each staffing, as src/domain/staffing-period.ts computes it (the earlier
// of the contract end and the vacancy), stored beside the staffing in the two read models that
// show who is in post (staffing, end dates), so their queries read it instead of restating the
// rule in SQL. The two read models are emptied and their checkpoints reset, so the runner replays
// the log into the new shape at the next start (events are never touched).
import { sql, type Kysely, type Migration } from 'kysely';

/** The read models this migration changes, by checkpoint name, with their tables. */
export const STAFFING_LAST_DAY_REBUILT: Readonly<Record<string, readonly string[]>> = {
  staffing: ['staffing_positions', 'staffing_assignments'],
  'end-dates': ['end_dates_programmes', 'end_dates_grants', 'end_dates_positions', 'end_dates_staffings'],
};

/** Empties the read models above and moves their checkpoints back to the start of the log. */
async function replayFromStart(db: Kysely<any>): Promise<void> {
  for (const [name, tables] of Object.entries(STAFFING_LAST_DAY_REBUILT)) {
    for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(db);
    await sql`update projection_checkpoints set position = 0, updated_at = now() where name = ${name}`.execute(db);
  }
}

export const staffingLastDay: Migration = {
  async up(db: Kysely<any>) {
    for (const table of ['staffing_assignments', 'end_dates_staffings']) {
      await sql`alter table ${sql.table(table)} add column last_day text`.execute(db);
    }
    await replayFromStart(db);
  },
  async down(db: Kysely<any>) {
    await replayFromStart(db);
    for (const table of ['staffing_assignments', 'end_dates_staffings']) {
      await sql`alter table ${sql.table(table)} drop column last_day`.execute(db);
    }
  },
};
