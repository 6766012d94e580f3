// RFC 9457 problem details: the typed errors of the HTTP layer and the one function that turns any
// error into an application/problem+json response.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { IdempotencyKeyReusedError, StreamNotFoundError } from '../commands/index.js';
import { RuleViolationError } from '../domain/index.js';
import { ConcurrencyError, EventStoreUnavailableError, InvalidEventError, InvalidStreamIdError } from '../eventstore/index.js';

export interface FieldError {
  path: string;
  message: string;
}

/** An error that is meant to reach the client as problem+json with `status`. */
export class HttpProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** 400: the request is malformed or a field is invalid; `errors` lists each field. */
export class ValidationProblem extends HttpProblem {
  constructor(detail: string, readonly errors: FieldError[] = []) {
    super(400, 'Ungültige Eingabe', detail, { errors });
  }
}

/** 404: no such resource (or one the caller may not know about). */
export class NotFoundProblem extends HttpProblem {
  constructor(detail: string) {
    super(404, 'Nicht gefunden', detail);
  }
}

/** Maps zod issues to `{ path, message }` field errors, once, for every route (German messages). */
export function zodFieldErrors(error: ZodError): FieldError[] {
  const at = (path: PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(body)');
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: at([...issue.path, key]), message: 'Unbekanntes Feld' }));
    }
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
      return [{ path: at(issue.path), message: 'Pflichtfeld fehlt' }];
    }
    return [{ path: at(issue.path), message: issue.message }];
  });
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
      detail: malformed ? 'Der Inhalt der Anfrage ist kein gültiges JSON.' : error.message,
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
  if (error instanceof InvalidStreamIdError || error instanceof InvalidEventError) {
    return { status: 400, type: 'ungueltige-eingabe', title: 'Ungültige Eingabe', detail: error.message, extra: {}, headers: {} };
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
