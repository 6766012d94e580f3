// When a person is in post: one rule for the position decider (vacating, the FTE check,
// abolition) and for every read model that shows who is in post (staffing, end dates). The read
// models store the last day in post this module computes (column last_day), so their SQL reads it
// instead of restating the rule.

/**
 * One person's time in a position. Days are inclusive: in post from `startsOn` through `endsOn`
 * (null = open-ended), or through `vacatedOn` when vacated earlier.
 */
export interface StaffingPeriod {
  startsOn: string;
  endsOn: string | null;
  vacatedOn: string | null;
}

/** The last day in post: the earlier of endsOn and vacatedOn; null = open-ended. */
export function lastDayInPost(period: Pick<StaffingPeriod, 'endsOn' | 'vacatedOn'>): string | null {
  const { endsOn, vacatedOn } = period;
  if (vacatedOn === null) return endsOn;
  if (endsOn === null) return vacatedOn;
  return vacatedOn < endsOn ? vacatedOn : endsOn;
}

/** True when the person is in post on `day`: startsOn ≤ day ≤ the last day in post (if any). */
export function inPostOn(period: StaffingPeriod, day: string): boolean {
  const last = lastDayInPost(period);
  return period.startsOn <= day && (last === null || day <= last);
}

/**
 * True when vacating the position on `vacatedOn` ends this staffing: everyone in post on that day
 * leaves, or only the person named (`personRef`; null or undefined = everyone). `vacatedOn` becomes
 * the staffing's last day in post.
 */
export function leavesWhenVacated(
  period: StaffingPeriod & { personRef: string },
  vacatedOn: string,
  personRef: string | null | undefined,
): boolean {
  return inPostOn(period, vacatedOn) && (personRef === null || personRef === undefined || period.personRef === personRef);
}
