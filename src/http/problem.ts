// RFC 9457 problem details: the typed errors of the HTTP layer and the one function that turns any
// error into an application/problem+json response.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z, type ZodError } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { IdempotencyKeyReusedError, StreamNotFoundError } from '../commands/index.js';
import { RuleViolationError } from '../domain/index.js';
import { ConcurrencyError, EventStoreUnavailableError, InvalidEventError, InvalidStreamIdError } from '../eventstore/index.js';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error that is meant to reach the client as problem+json with `status`. `options.cause` keeps
 * the error it was made from, for the log (never sent to the client).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(detail, options);
  }
}

/** 400: the request is malformed or a field is invalid; `errors` lists each field. */
export class ValidationProblem extends HttpProblem {
  constructor(detail: string, readonly errors: FieldError[] = [], options?: ErrorOptions) {
    super(400, 'Ungültige Eingabe', detail, { errors }, {}, options);
  }
}

/** 404: no such resource (or one the caller may not know about). */
export class NotFoundProblem extends HttpProblem {
  constructor(detail: string) {
    super(404, 'Nicht gefunden', detail);
  }
}

// zod's own messages are English. Every issue a schema does not word itself gets a German message
// here, by issue code, for the whole process (schemas' own `error` texts take precedence). Codes
// this map does not know fall back to zod's German locale.
z.config(z.locales.de());
z.config({ customError: germanIssueMessage });

const TYPE_WORDS: Record<string, string> = {
  string: 'Text',
  number: 'Zahl',
  int: 'ganze Zahl',
  bigint: 'ganze Zahl',
  boolean: 'true oder false',
  object: 'Objekt',
  array: 'Liste',
  date: 'Datum',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = {
  uuid: 'Keine gültige UUID',
  email: 'Keine gültige E-Mail-Adresse',
  url: 'Keine gültige URL',
  datetime: 'Kein gültiger Zeitpunkt (ISO 8601, z. B. 2026-11-27T09:00:00Z)',
  date: 'Kein gültiges Kalenderdatum (JJJJ-MM-TT)',
  regex: 'Ungültiges Format',
};

const quoted = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The German message for a zod issue that its schema does not word itself. */
export function germanIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Pflichtfeld fehlt';
      return `${TYPE_WORDS[issue.expected] ?? issue.expected} erwartet`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `Erlaubt ist nur ${quoted(issue.values[0])}`
        : `Erlaubte Werte: ${issue.values.map(quoted).join(', ')}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const words = issue.code === 'too_small' ? (inclusive ? 'mindestens' : 'mehr als') : inclusive ? 'höchstens' : 'weniger als';
      if (issue.origin === 'string') return `${words[0]!.toUpperCase()}${words.slice(1)} ${String(bound)} Zeichen`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${words[0]!.toUpperCase()}${words.slice(1)} ${String(bound)} Einträge`;
      const compare = issue.code === 'too_small' ? (inclusive ? 'mindestens' : 'größer als') : inclusive ? 'höchstens' : 'kleiner als';
      return `Muss ${compare} ${String(bound)} sein`;
    }
    case 'invalid_format':
      return FORMAT_WORDS[issue.format] ?? `Ungültiges Format (${issue.format})`;
    case 'not_multiple_of':
      return `Muss ein Vielfaches von ${String(issue.divisor)} sein`;
    case 'unrecognized_keys':
      return 'Unbekanntes Feld';
    case 'invalid_union':
      return 'Ungültiger Wert: passt zu keiner der erlaubten Formen';
    case 'invalid_key':
      return 'Ungültiger Schlüssel';
    case 'invalid_element':
      return 'Ungültiger Eintrag';
    case 'custom':
      return 'Ungültiger Wert';
    default:
      return undefined;
  }
}

/** True when `text` names `word` as a word of its own (not inside another word). */
function mentions(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_-])${escaped}($|[^\\p{L}\\p{N}_-])`, 'u').test(text);
}

/** The value at `path` inside `input`, or undefined when any step is missing. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key as string];
  }
  return value;
}

/**
 * Maps zod issues to `{ path, message }` field errors, once, for every route: German, one message
 * per field (the first problem found; a second complaint about the same field adds nothing), each
 * unknown field on its own, "Pflichtfeld fehlt" for a field missing from `input` (the data that was
 * parsed, when the caller has it), and the allowed values for a choice whose message does not
 * already list them.
 */
export function zodFieldErrors(error: ZodError, input?: unknown): FieldError[] {
  const at = (path: PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(body)');
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    errors.push({ path, message });
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(at([...issue.path, key]), 'Unbekanntes Feld');
      continue;
    }
    const missing =
      input !== undefined &&
      issue.path.length > 0 &&
      (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') &&
      valueAt(input, issue.path) === undefined;
    let message = missing ? 'Pflichtfeld fehlt' : issue.message;
    if (!missing && issue.code === 'invalid_value' && !issue.values.every((v) => mentions(message, quoted(v)))) {
      message = `${message} (erlaubt: ${issue.values.map(quoted).join(', ')})`;
    }
    add(at(issue.path), message);
  }
  return errors;
}

/** The 400 problem for a failed parse of `input`: field errors, and the fields named in the detail. */
export function validationProblem(error: ZodError, input?: unknown): ValidationProblem {
  const errors = zodFieldErrors(error, input);
  const fields = [...new Set(errors.map((e) => e.path))];
  return new ValidationProblem(
    fields.length > 0 ? `Die Anfrage enthält ungültige Felder: ${fields.join(', ')}.` : 'Die Anfrage enthält ungültige Felder.',
    errors,
  );
}

const PROBLEM_BASE = 'https://verstetigt.de/probleme/';

/** Builds the problem+json response for `error`; unknown errors become a 500 without internals. */
export function problemResponse(c: Context, error: unknown, requestId: string | undefined): Response {
  const problem = toProblem(error);
  const body = {
    type: `${PROBLEM_BASE}${problem.type}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: c.req.path,
    ...(requestId ? { requestId } : {}),
    ...problem.extra,
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...problem.headers },
  });
}

interface ProblemShape {
  status: ContentfulStatusCode;
  type: string;
  title: string;
  detail: string;
  extra: Record<string, unknown>;
  headers: Record<string, string>;
}

function toProblem(error: unknown): ProblemShape {
  if (error instanceof HttpProblem) {
    return {
      status: error.status,
      type: slug(error.title, error.status),
      title: error.title,
      detail: error.message,
      extra: error.extra,
      headers: error.headers,
    };
  }
  if (error instanceof RuleViolationError) {
    return {
      status: 422,
      type: `regel/${error.rule}`,
      title: 'Regel verletzt',
      detail: error.message,
      extra: { rule: error.rule },
      headers: {},
    };
  }
  if (error instanceof IdempotencyKeyReusedError) {
    return {
      status: 422,
      type: 'regel/idempotency-key-reused',
      title: 'Regel verletzt',
      detail: 'Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet. Bitte für jede neue Anfrage einen neuen Schlüssel senden.',
      extra: { rule: 'idempotency-key-reused' },
      headers: {},
    };
  }
  if (error instanceof StreamNotFoundError) {
    const [kind] = error.streamId.split('-', 1);
    const what = kind === 'grant' ? 'Zuwendung' : kind === 'position' ? 'Stelle' : kind === 'programme' ? 'Förderprogramm' : 'Datensatz';
    return {
      status: 404,
      type: 'nicht-gefunden',
      title: 'Nicht gefunden',
      detail: `${what} ${error.streamId.slice(kind!.length + 1)} ist nicht erfasst.`,
      extra: {},
      headers: {},
    };
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own refusals, e.g. a body that is not valid JSON.
    const malformed = /malformed json/i.test(error.message);
    return {
      status: error.status as ContentfulStatusCode,
      type: slug('', error.status),
      title: error.status === 400 ? 'Ungültige Eingabe' : 'Anfrage abgelehnt',
      detail: malformed ? 'Der Inhalt der Anfrage ist kein gültiges JSON.' : `Die Anfrage wurde abgelehnt (HTTP ${error.status}).`,
      extra: {},
      headers: {},
    };
  }
  if (error instanceof ConcurrencyError) {
    return {
      status: 409,
      type: 'versionskonflikt',
      title: 'Versionskonflikt',
      detail: `Der Datensatz wurde inzwischen geändert (erwartet: Version ${String(error.expected)}, aktuell: ${error.actual}). Bitte neu laden und erneut versuchen.`,
      extra: { expectedVersion: error.expected, actualVersion: error.actual },
      headers: {},
    };
  }
  if (error instanceof InvalidStreamIdError) {
    const detail = 'Ungültige Kennung: erwartet <Art>-<ID>, 1–200 Zeichen aus A–Z, a–z, 0–9, _ . : -.';
    return { status: 400, type: 'ungueltige-eingabe', title: 'Ungültige Eingabe', detail, extra: {}, headers: {} };
  }
  if (error instanceof InvalidEventError) {
    const detail = 'Die Eingabe lässt sich nicht speichern (z. B. ein Text mit Nullzeichen oder eine Zahl außerhalb des speicherbaren Bereichs).';
    return { status: 400, type: 'ungueltige-eingabe', title: 'Ungültige Eingabe', detail, extra: {}, headers: {} };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      type: 'nicht-verfuegbar',
      title: 'Vorübergehend nicht verfügbar',
      detail: 'Die Datenbank ist gerade nicht erreichbar. Bitte in einigen Sekunden erneut versuchen.',
      extra: {},
      headers: { 'retry-after': '5' },
    };
  }
  return {
    status: 500,
    type: 'interner-fehler',
    title: 'Interner Fehler',
    detail: 'Die Anfrage konnte wegen eines internen Fehlers nicht bearbeitet werden.',
    extra: {},
    headers: {},
  };
}

function slug(title: string, status: number): string {
  const map: Record<number, string> = {
    400: 'ungueltige-eingabe',
    401: 'nicht-angemeldet',
    403: 'keine-berechtigung',
    404: 'nicht-gefunden',
    409: 'konflikt',
    413: 'zu-gross',
    415: 'kein-json',
    422: 'regel-verletzt',
    429: 'zu-viele-anfragen',
    503: 'nicht-verfuegbar',
  };
  return map[status] ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * True for errors that mean "the database is not reachable right now" (refused or dropped
 * connections, a server shutting down, a pool timeout), as opposed to a bug or a bad query.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  // SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now).
  if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(message);
}
