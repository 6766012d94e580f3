// Small helpers the read models share: calendar arithmetic on business dates, exact cent
// arithmetic, scope filters and stream-id parsing. Not part of the public surface.
import type { SelectQueryBuilder } from 'kysely';
import type { Scope } from './types.js';

// Business dates are plain calendar dates (`YYYY-MM-DD`), computed on as integer day numbers
// (days since 1970-01-01, proleptic Gregorian, like Date.UTC): no time zone, so no daylight-saving
// change can make a day 23 or 25 hours long and shift a day count. These run per row in the views
// (thousands per request), so they parse and format by hand instead of through luxon; the tests
// compare them with luxon in zone 'utc' on many random dates.

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The `n` decimal digits at `i` of `s` as a number, or NaN when one is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Year, month (1–12) and day of a `YYYY-MM-DD` date; throws RangeError for anything else. */
function parts(date: string): [number, number, number] {
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 2);
  const d = digits(date, 8, 2);
  if (date.length !== 10 || date[4] !== '-' || date[7] !== '-' || !(m >= 1 && m <= 12) || !(d >= 1 && d <= daysInMonth(y, m))) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return [y, m, d];
}

/** Days from 1970-01-01 to the date (y, m, d) (Hinnant's days_from_civil, exact integers). */
function dayNumberOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const [y, m, d] = parts(date);
  return dayNumberOf(y, m, d);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function format(y: number, m: number, d: number): string {
  if (y < 0 || y > 9999) throw new RangeError(`date out of range: year ${y}`);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** The `YYYY-MM-DD` date of a day number (Hinnant's civil_from_days). */
export function dateOfDayNumber(n: number): string {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return format(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

/** `date` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumber(date) + n);
}

/** (y, m) plus n months, as [year, month]. */
function shiftMonth(y: number, m: number, n: number): [number, number] {
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  return [ny, total - ny * 12 + 1];
}

/** `date` plus `n` months, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb), as luxon does. */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const [ny, nm] = shiftMonth(y, m, n);
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/**
 * The last day of the n-th month after the month of `date` (30 Jun + 6 → 31 Dec; 31 Aug + 6 →
 * 28/29 Feb; 28 Feb + 6 → 31 Aug): for deadlines that run "until the end of the n-th month".
 */
export function endOfMonthAfter(date: string, n: number): string {
  const [y, m] = parts(date);
  const [ny, nm] = shiftMonth(y, m, n);
  return format(ny, nm, daysInMonth(ny, nm));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * Whole months from `from` to `to` (truncated towards zero), as luxon's diff counts them: the
 * largest k with earlier + k months (clamped) ≤ later, negated when `to` is earlier.
 */
export function monthsBetween(from: string, to: string): number {
  if (to < from) return -monthsBetween(to, from);
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  let k = (ty - fy) * 12 + (tm - fm);
  // from + k months lies in to's month; it overshoots only when its (clamped) day is after to's.
  if (Math.min(fd, daysInMonth(ty, tm)) > td) k -= 1;
  return k;
}

/** 365 or 366. */
export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** Days of [start, end] (inclusive) that fall into `year`; 0 when none. */
export function daysInYearOverlap(start: string, end: string, year: number): number {
  const from = start > `${year}-01-01` ? start : `${year}-01-01`;
  const to = end < `${year}-12-31` ? end : `${year}-12-31`;
  return to < from ? 0 : daysBetween(from, to) + 1;
}

/** The year of a business date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** `YYYY-MM-DD` as German `TT.MM.JJJJ` for reasons in words. */
export function germanDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** numerator / denominator in whole cents, rounded half up (exact, in BigInt). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (2n * abs + denominator) / (2n * denominator);
  return Number(negative ? -q : q);
}

/** A number as whole hundredths (0.75 → 75), tolerant of binary noise. */
export function hundredths(x: number): number {
  return Math.round(x * 100);
}

/** Hundredths back to a number (75 → 0.75). */
export function fromHundredths(h: number | string | null): number {
  return Number(h ?? 0) / 100;
}

/** bigint/int columns come back from pg as strings: one conversion, here. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** The id part of a `<kind>-<id>` stream id ("grant-0b8f…" → "0b8f…"). */
export function streamEntityId(streamId: string): string {
  return streamId.slice(streamId.indexOf('-') + 1);
}

/** Adds the scope's conditions on `column`s municipality and programme of `alias`. */
export function whereScope<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, scope: Scope, alias?: string): QB {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  let q = qb;
  if (scope.municipality !== undefined) q = q.where(col('municipality'), '=', scope.municipality) as QB;
  if (scope.programme !== undefined) q = q.where(col('programme'), '=', scope.programme) as QB;
  if (scope.municipalities !== undefined && scope.municipalities !== '*') {
    // An empty list sees nothing; `in ()` is not valid SQL.
    q = (scope.municipalities.length === 0
      ? q.where((eb: any) => eb.val(false))
      : q.where(col('municipality'), 'in', [...scope.municipalities])) as QB;
  }
  return q;
}
