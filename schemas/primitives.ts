// The building blocks every schema of verstetigt is made of: money, business dates, AGS, VZÄ,
// percentages, ids, short texts and pseudonymous person references. Messages are German because a
// clerk reads them in the 400 response.
import { z } from 'zod';
import { municipalityByAgs } from './municipalities.js';

/** True when `x` has at most two decimals (tolerates binary floating-point noise such as 0.29). */
function hasAtMostTwoDecimals(x: number): boolean {
  const hundredths = x * 100;
  return Math.abs(hundredths - Math.round(hundredths)) < 1e-9;
}

/** An amount of money in euro cents: a safe, non-negative integer. */
export const moneyCents = z
  .number({ error: 'Betrag in Cent muss eine Zahl sein' })
  .int({ error: 'Betrag in Cent muss eine ganze Zahl sein' })
  .min(0, { error: 'Betrag darf nicht negativ sein' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'Betrag ist zu groß' });

/** A positive amount of money in euro cents (a drawdown). */
export const positiveMoneyCents = moneyCents.min(1, { error: 'Betrag muss größer als 0 sein' });

const DATE_MESSAGE = 'Kein gültiges Kalenderdatum (JJJJ-MM-TT)';

/**
 * A business date `YYYY-MM-DD` that exists in the calendar (2019-02-29 is refused, 2020-02-29
 * accepted). Read in UTC so no time zone can shift the day.
 */
export const businessDate = z
  .string({ error: DATE_MESSAGE })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: DATE_MESSAGE })
  .refine(isCalendarDate, { error: DATE_MESSAGE });

/**
 * True when `YYYY-MM-DD` names a day of the Gregorian calendar (years 0001–9999). Checked by hand
 * rather than with luxon: every stored event's dates pass here when the projections replay the log.
 */
export function isCalendarDate(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/**
 * The shape of an Amtlicher Gemeindeschlüssel: 8 digits. Stored events are checked by this shape
 * only, so a territorial reform or a smaller register never makes an old event unreadable.
 */
export const agsCode = z
  .string({ error: 'AGS muss eine Zeichenkette sein' })
  .regex(/^\d{8}$/, { error: 'AGS muss aus 8 Ziffern bestehen' });

/** An AGS in a command: 8 digits and a Landkreis or kreisfreie Stadt of the register (current or historical). */
export const ags = agsCode.refine((s) => municipalityByAgs(s) !== undefined, {
  error: 'Unbekannte Kommune: der AGS gehört zu keinem Landkreis und keiner kreisfreien Stadt im Register',
});

/** Vollzeitäquivalent (VZÄ): 0 < fte ≤ 1 with at most two decimals (0.5, 0.75, 1). */
export const fte = z
  .number({ error: 'VZÄ muss eine Zahl sein' })
  .gt(0, { error: 'VZÄ muss größer als 0 sein' })
  .lte(1, { error: 'VZÄ darf höchstens 1 sein' })
  .refine(hasAtMostTwoDecimals, { error: 'VZÄ darf höchstens zwei Nachkommastellen haben' });

/** A percentage 0..100 with at most two decimals. */
export const percent = z
  .number({ error: 'Prozentsatz muss eine Zahl sein' })
  .min(0, { error: 'Prozentsatz darf nicht negativ sein' })
  .max(100, { error: 'Prozentsatz darf höchstens 100 sein' })
  .refine(hasAtMostTwoDecimals, { error: 'Prozentsatz darf höchstens zwei Nachkommastellen haben' });

/** Any RFC 9562 UUID, accepted in either case and normalised to lower case (stream ids are case-sensitive). */
export const uuid = z.uuid({ error: 'Keine gültige UUID' }).toLowerCase();

/** C0 controls, DEL and the C1 controls (U+0080–U+009F, e.g. U+0085 NEXT LINE). */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Bidirectional formatting characters (Unicode UAX #9: ALM, LRM, RLM, the embeddings and overrides
 * U+202A–U+202E, the isolates U+2066–U+2069): they make a text display other than it reads
 * ("Trojan Source"), so a name or reference could look like another in a view or an export.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A UTF-16 surrogate not part of a pair (in a `u` regex a valid pair is one code point, not Cs). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A single-line text: no control characters (C0 with NUL — PostgreSQL jsonb refuses it — and C1),
 * no bidirectional formatting characters, no lone surrogates, trimmed, then between `min` and
 * `max` characters.
 */
export function shortText(max: number, min = 1) {
  return z
    .string({ error: 'Text erwartet' })
    .refine((s) => !CONTROL_CHARACTERS.test(s), { error: 'Text darf keine Steuerzeichen enthalten' })
    .refine((s) => !BIDI_CONTROLS.test(s), { error: 'Text darf keine Steuerzeichen für die Schreibrichtung enthalten' })
    // A lone UTF-16 surrogate is not text (and PostgreSQL's jsonb refuses it).
    .refine((s) => !LONE_SURROGATE.test(s), { error: 'Text enthält ungültige Unicode-Zeichen' })
    .trim()
    .min(min, { error: min === 1 ? 'Text darf nicht leer sein' : `Text muss mindestens ${min} Zeichen haben` })
    .max(max, { error: `Text darf höchstens ${max} Zeichen haben` });
}

/** A name or title (up to 200 characters). */
export const nameText = shortText(200);
/** A reason or note (up to 1000 characters). */
export const reasonText = shortText(1000);
/** A reference such as a Förderkennzeichen or resolution number (up to 64 characters). */
export const referenceText = shortText(64);
/** A pay grade such as "E 13" (up to 16 characters). */
export const payGrade = shortText(16);

/**
 * A pseudonymous reference to a person, e.g. "P-0042": 1–64 of [A-Za-z0-9_.:-]. Never a name —
 * spaces are refused so "Max Mustermann" cannot slip in.
 */
export const personRef = z
  .string({ error: 'Personenkennung erwartet' })
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, {
    error: 'Personenkennung: 1–64 Zeichen aus A–Z, a–z, 0–9, _ . : - (ein Pseudonym, kein Name)',
  });

/** The codes of the three programmes of the seed (more are registered with POST /programmes). */
export const PROGRAMME_CODES = ['bildung-integriert', 'neuzugewanderte', 'thilik'] as const;

/**
 * A programme code: 2–64 of a–z, 0–9 and '-', starting with a letter or digit (the stream id is
 * `programme-<code>`). Whether the programme is registered is a business rule of the commands.
 */
export const programmeCode = z
  .string({ error: 'Programmkennung erwartet' })
  .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, {
    error: 'Programmkennung: 2–64 Zeichen aus a–z, 0–9 und -, z. B. bildungskommunen',
  });
export type ProgrammeCode = string;

/** Who funds a programme, as stored by ProgrammeRegistered schemaVersion 1. */
export const funder = z.string({ error: 'Zuwendungsgeber erwartet' });
export type Funder = string;

/** The level of the funder: Bund, Land, EU or another body. */
export const funderKind = z.enum(['bund', 'land', 'eu', 'other'], {
  error: 'Art des Zuwendungsgebers: bund, land, eu oder other',
});
export type FunderKind = z.infer<typeof funderKind>;

/**
 * Text as stored in an event: any string. Limits and character rules guard the commands; a
 * tighter input rule must never make an old event unreadable.
 */
export const storedText = z.string();
