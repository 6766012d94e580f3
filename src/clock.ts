// "Now" and "today" come from an injected clock, so tests can say what day it is. Business dates
// are calendar dates in Europe/Berlin: just after midnight in Berlin it is still "yesterday" in UTC.
import { DateTime } from 'luxon';

export const BUSINESS_ZONE = 'Europe/Berlin';

export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Today's calendar date in Europe/Berlin, as YYYY-MM-DD. */
  today(): string;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  today: () => DateTime.now().setZone(BUSINESS_ZONE).toISODate()!,
};

/** A clock standing still at `isoInstant` (tests). */
export function fixedClock(isoInstant: string): Clock {
  const instant = new Date(isoInstant);
  return {
    now: () => new Date(instant),
    today: () => DateTime.fromJSDate(instant).setZone(BUSINESS_ZONE).toISODate()!,
  };
}
