// The calendar helpers of projections/support.ts work on integer day numbers, not luxon; here they
// are compared with the luxon formulations they replaced (zone 'utc') on many random dates,
// weighted towards month ends, 29 February and century years.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  daysInYear,
  endOfMonthAfter,
  germanDate,
  monthsBetween,
} from '../../projections/support.js';

const day = (date: string) => DateTime.fromISO(date, { zone: 'utc' });
const luxon = {
  addDays: (date: string, n: number) => day(date).plus({ days: n }).toISODate()!,
  addMonths: (date: string, n: number) => day(date).plus({ months: n }).toISODate()!,
  endOfMonthAfter: (date: string, n: number) => day(date).plus({ months: n }).endOf('month').toISODate()!,
  daysBetween: (from: string, to: string) => Math.round(day(to).diff(day(from), 'days').days),
  monthsBetween: (from: string, to: string) => Math.trunc(day(to).diff(day(from), 'months').months),
  daysInYear: (year: number) => DateTime.utc(year).daysInYear,
};

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A valid date; a third of them the last day of their month, some 28/29 February or in 1900/2000/2100. */
const dateArb: fc.Arbitrary<string> = fc
  .record({
    y: fc.oneof(fc.integer({ min: 1990, max: 2060 }), fc.constantFrom(1900, 1996, 2000, 2004, 2024, 2100, 2400)),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    end: fc.nat({ max: 2 }),
  })
  .map(({ y, m, d, end }) => iso(y, m, end === 0 ? lastDay(y, m) : Math.min(d, lastDay(y, m))));

const runs = { numRuns: 3000 };

describe('calendar helpers (integer day numbers) equal luxon', () => {
  it('addDays', () => {
    fc.assert(fc.property(dateArb, fc.integer({ min: -4000, max: 4000 }), (date, n) => {
      expect(addDays(date, n)).toBe(luxon.addDays(date, n));
    }), runs);
  });

  it('addMonths (clamped to the month end)', () => {
    fc.assert(fc.property(dateArb, fc.integer({ min: -150, max: 150 }), (date, n) => {
      expect(addMonths(date, n)).toBe(luxon.addMonths(date, n));
    }), runs);
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2022-08-31', 6)).toBe('2023-02-28');
  });

  it('endOfMonthAfter', () => {
    fc.assert(fc.property(dateArb, fc.integer({ min: -150, max: 150 }), (date, n) => {
      expect(endOfMonthAfter(date, n)).toBe(luxon.endOfMonthAfter(date, n));
    }), runs);
  });

  it('daysBetween', () => {
    fc.assert(fc.property(dateArb, dateArb, (a, b) => {
      expect(daysBetween(a, b)).toBe(luxon.daysBetween(a, b));
    }), runs);
  });

  it('monthsBetween (truncated towards zero, both directions)', () => {
    fc.assert(fc.property(dateArb, dateArb, (a, b) => {
      expect(monthsBetween(a, b)).toBe(luxon.monthsBetween(a, b));
    }), runs);
    // Pairs near each other, where the month-end clamping decides.
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -70, max: 70 }), (a, n) => {
        const b = addDays(a, n);
        expect(monthsBetween(a, b)).toBe(luxon.monthsBetween(a, b));
      }),
      runs,
    );
  });

  it('daysInYear', () => {
    for (let year = 1890; year <= 2410; year++) expect(daysInYear(year)).toBe(luxon.daysInYear(year));
  });

  it('germanDate', () => {
    fc.assert(fc.property(dateArb, (date) => {
      expect(germanDate(date)).toBe(day(date).toFormat('dd.MM.yyyy'));
    }), runs);
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2021-02-29', '2021-13-01', '2021-00-10', '2021-04-31', '21-01-01', '2021-1-01', '2021/01/01', '', 'x']) {
      expect(() => addDays(bad, 1)).toThrow(RangeError);
    }
  });
});
