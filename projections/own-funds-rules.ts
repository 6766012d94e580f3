// The money rules of the own-funds view, in exact integer arithmetic rounded half up to whole
// cents: a grant's own share per budget year (spread over its period, cumulatively rounded, re-spread
// by amendments) and a continued position's cost per year.
import { amendmentsInEffectOrder } from '../schemas/index.js';
import { addDays, daysBetween, daysInYear, daysInYearOverlap, divideRoundHalfUp, yearOf } from './support.js';

/** An amendment as own_funds_grants.amendments stores it (in the order recorded). */
export interface StoredAmendment {
  amendedOn: string;
  periodEnd: string | null;
  ownShareCents: number | null;
}

export function amendmentsOf(column: unknown): StoredAmendment[] {
  if (column === null || column === undefined) return [];
  return (typeof column === 'string' ? JSON.parse(column) : column) as StoredAmendment[];
}

/**
 * A grant's own share falling into `year`: ownShareCents spread evenly over the days of the
 * period, rounded cumulatively so the years add up to ownShareCents exactly:
 * round(S × days through the year's end / total) − round(S × days before the year / total),
 * rounding half up in exact integer arithmetic. (Rounding each year on its own would turn 1 cent
 * over 31 Dec and 1 Jan into 1 cent in each year.)
 */
export function ownShareInYear(ownShareCents: number, periodStart: string, periodEnd: string, year: number): number {
  const days = daysInYearOverlap(periodStart, periodEnd, year);
  if (days === 0 || ownShareCents === 0) return 0;
  const total = BigInt(daysBetween(periodStart, periodEnd) + 1);
  // Days of the period before 1 January of `year` (0 when the period starts in it).
  const before = BigInt(Math.max(0, daysBetween(periodStart, `${year}-01-01`)));
  const share = BigInt(ownShareCents);
  return divideRoundHalfUp(share * (before + BigInt(days)), total) - divideRoundHalfUp(share * before, total);
}

/**
 * A continued position's own-funds cost in `year`: annualCostCents × fte × share/100 × days
 * covered / days in the year, covered = from effectiveFrom through `until` (inclusive; open when
 * absent) and to the day before abolishedOn. fte and share come as whole hundredths, so the
 * product is exact.
 */
export function continuationInYear(
  p: {
    annualCostCents: number;
    fteHundredths: number;
    shareHundredths: number;
    effectiveFrom: string;
    abolishedOn: string | null;
    until?: string | null;
  },
  year: number,
): number {
  if (p.shareHundredths === 0) return 0;
  let lastDay = p.abolishedOn === null ? `${year}-12-31` : addDays(p.abolishedOn, -1);
  if (p.until !== undefined && p.until !== null && p.until < lastDay) lastDay = p.until;
  const days = daysInYearOverlap(p.effectiveFrom, lastDay, year);
  if (days === 0) return 0;
  const numerator = BigInt(p.annualCostCents) * BigInt(p.fteHundredths) * BigInt(p.shareHundredths) * BigInt(days);
  // fte = h/100, percent/100 = h/10000.
  return divideRoundHalfUp(numerator, 1_000_000n * BigInt(daysInYear(year)));
}

/**
 * A grant's own share per budget year after its amendments (issue 14, item 3). The notice's own
 * share is spread over its period (ownShareInYear, cumulative rounding). Each amendment that changes
 * the own share or the period end, in the order they take effect (latest amendedOn governs), fixes
 * the years before its own budget year as they were split, and spreads what is left of the new
 * own share from 1 January of that year (or the period start) to the new end. An amendment dated
 * after the period's end puts what is left into its own year. The years add up to the own share
 * in force.
 */
export function ownShareByYear(
  grant: { periodStart: string; periodEnd: string; ownShareCents: number },
  amendments: readonly StoredAmendment[],
): Map<number, number> {
  const fixed = new Map<number, number>();
  let fixedSum = 0;
  let from = grant.periodStart;
  let to = grant.periodEnd;
  let share = grant.ownShareCents;
  let remaining = share;
  for (const a of amendmentsInEffectOrder(amendments)) {
    if (a.periodEnd === null && a.ownShareCents === null) continue;
    const year = yearOf(a.amendedOn);
    for (let y = yearOf(from); y < year && y <= yearOf(to); y++) {
      const cents = ownShareInYear(remaining, from, to, y);
      fixed.set(y, (fixed.get(y) ?? 0) + cents);
      fixedSum += cents;
    }
    to = a.periodEnd ?? to;
    share = a.ownShareCents ?? share;
    const yearStart = `${year}-01-01`;
    if (yearStart > from) from = yearStart;
    remaining = share - fixedSum;
    if (from > to) {
      // Nothing of the period is left to spread over: the rest falls into the amendment's year.
      fixed.set(year, (fixed.get(year) ?? 0) + remaining);
      fixedSum += remaining;
      remaining = 0;
      from = to = `${year}-12-31`;
    }
  }
  const byYear = new Map(fixed);
  if (remaining !== 0) {
    for (let y = yearOf(from); y <= yearOf(to); y++) byYear.set(y, (byYear.get(y) ?? 0) + ownShareInYear(remaining, from, to, y));
  }
  return byYear;
}
