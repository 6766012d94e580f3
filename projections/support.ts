// Small helpers the read models share: calendar arithmetic on business dates, exact cent
// arithmetic, scope filters and stream-id parsing. Not part of the public surface.
import { DateTime } from 'luxon';
import type { SelectQueryBuilder } from 'kysely';
import type { Scope } from './types.js';

// Business dates are plain calendar dates: luxon in zone 'utc' so no daylight-saving change can
// make a day 23 or 25 hours long and shift a day count.
function day(date: string): DateTime {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  if (!d.isValid) throw new RangeError(`not a calendar date: ${date}`);
  return d;
}

/** `date` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  return day(date).plus({ days: n }).toISODate()!;
}

/** `date` plus `n` months; luxon clamps to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: string, n: number): string {
  return day(date).plus({ months: n }).toISODate()!;
}

/**
 * The last day of the n-th month after the month of `date` (30 Jun + 6 → 31 Dec; 31 Aug + 6 →
 * 28/29 Feb; 28 Feb + 6 → 31 Aug): for deadlines that run "until the end of the n-th month".
 */
export function endOfMonthAfter(date: string, n: number): string {
  return day(date).plus({ months: n }).endOf('month').toISODate()!;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(day(to).diff(day(from), 'days').days);
}

/** Whole months from `from` to `to` (truncated towards zero). */
export function monthsBetween(from: string, to: string): number {
  return Math.trunc(day(to).diff(day(from), 'months').months);
}

/** 365 or 366. */
export function daysInYear(year: number): number {
  return DateTime.utc(year).daysInYear;
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
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
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
