// The staffing rows two read models keep (staffing_assignments, end_dates_staffings): one per
// PositionStaffed, ended by PositionVacated under the one vacancy rule of
// src/domain/staffing-period.ts, with the last day in post stored as `last_day` so the queries
// read it instead of restating the rule.
import { inPostOn, lastDayInPost, leavesWhenVacated, type StaffingPeriod } from '../src/domain/index.js';
import type { Row, TableBuffer } from './batch.js';

/** A staffing row as the domain's staffing period (columns person_ref, starts_on, ends_on, vacated_on). */
export function staffingPeriodOf(row: Readonly<Row>): StaffingPeriod & { personRef: string } {
  return {
    personRef: row.person_ref as string,
    startsOn: row.starts_on as string,
    endsOn: (row.ends_on as string | null) ?? null,
    vacatedOn: (row.vacated_on as string | null) ?? null,
  };
}

/** True when the person of a staffing row is in post on `day`. */
export function rowInPostOn(row: Readonly<Row>, day: string): boolean {
  return inPostOn(staffingPeriodOf(row), day);
}

/** The columns a PositionStaffed sets on its new row (besides the keys and the position's columns). */
export function staffedColumns(d: { personRef: string; startsOn: string; endsOn: string | null }): Row {
  return {
    person_ref: d.personRef,
    starts_on: d.startsOn,
    ends_on: d.endsOn,
    vacated_on: null,
    last_day: lastDayInPost({ endsOn: d.endsOn, vacatedOn: null }),
  };
}

/**
 * Applies a PositionVacated to the loaded staffing rows of `positionId` in `rows`: everyone in post
 * on vacatedOn (or the person named) leaves, vacatedOn becoming their last day.
 */
export function vacateRows(rows: TableBuffer, positionId: string, d: { vacatedOn: string; personRef: string | null }): void {
  for (const row of rows.children(positionId)) {
    const period = staffingPeriodOf(row);
    if (!leavesWhenVacated(period, d.vacatedOn, d.personRef)) continue;
    rows.update(row, { vacated_on: d.vacatedOn, last_day: lastDayInPost({ ...period, vacatedOn: d.vacatedOn }) });
  }
}
