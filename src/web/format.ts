// How the pages write dates, money and spans of time: German, as people read them in a council
// paper. Business dates arrive as YYYY-MM-DD, instants as ISO UTC, money as integer cents.
import { BUSINESS_ZONE } from '../clock.js';

const euro = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 });
const instantFormat = new Intl.DateTimeFormat('de-DE', {
  timeZone: BUSINESS_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** A business date `YYYY-MM-DD` as `TT.MM.JJJJ`; empty for null/undefined. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : date;
}

/** Cents as euros the German way: 123456 → "1.234,56 €" (Intl de-DE, non-breaking space before €). */
export function formatEuro(cents: number): string {
  return euro.format(cents / 100);
}

/** Cents as whole euros for a chart axis or summary sentence: 12345678 → "123.457 €". */
export function formatWholeEuro(cents: number): string {
  return `${integer.format(Math.round(cents / 100))} €`;
}

/** A number with a decimal comma (VZÄ, percentages): 0.5 → "0,5". */
export function formatDecimal(value: number): string {
  return decimal.format(value);
}

/** A whole number with thousands separators: 12345 → "12.345". */
export function formatInteger(value: number): string {
  return integer.format(value);
}

/** An instant as `TT.MM.JJJJ, HH:MM Uhr` in Europe/Berlin. */
export function formatInstant(iso: string): string {
  return `${instantFormat.format(new Date(iso))} Uhr`;
}

/** Days from today as words: "heute", "in 1 Tag", "in 12 Tagen", "vor 3 Tagen". */
export function daysInWords(days: number): string {
  if (days === 0) return 'heute';
  const n = Math.abs(days);
  const unit = n === 1 ? 'Tag' : 'Tagen';
  return days > 0 ? `in ${formatInteger(n)} ${unit}` : `vor ${formatInteger(n)} ${unit}`;
}

/**
 * A span until a date in words, by whole months once it exceeds 60 days: "in 4 Monaten",
 * "in 1 Monat", "in 12 Tagen", "vor 2 Monaten".
 */
export function spanInWords(days: number): string {
  const n = Math.abs(days);
  if (n <= 60) return daysInWords(days);
  const months = Math.floor(n / 30.44);
  const unit = months === 1 ? 'Monat' : 'Monaten';
  return days > 0 ? `in ${months} ${unit}` : `vor ${months} ${unit}`;
}
