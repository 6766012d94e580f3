// Authorisation in one table: which role may do what, and which routes need which permission.
// Municipality scope is checked where the data is known (see covers() in principal.ts): a single
// resource of another municipality answers 404, a filter naming one answers 403.
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';
import type { Role } from './principal.js';

export type Permission =
  /** record events (all POST routes) */
  | 'record'
  /** read single grants and positions folded from their streams, with their history (Verlauf) */
  | 'read-records'
  /** read the projections: staffing, end dates, risk, own funds, finance */
  | 'read-views'
  /** the auditor's endpoints: events, streams, verify, as-of replay, export */
  | 'audit'
  /** programmes, municipalities, API documentation */
  | 'reference';

/**
 * The table: finance records and reads its own; leadership reads projections and the records of
 * its municipalities with their history (never the whole log); auditors read all of theirs, write
 * nothing.
 */
export const PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ['record', 'read-records', 'read-views', 'audit', 'reference'],
  finance: ['record', 'read-records', 'read-views', 'reference'],
  leadership: ['read-records', 'read-views', 'reference'],
  auditor: ['read-records', 'read-views', 'audit', 'reference'],
};

/** Which permission each route needs (first match wins). Routes not listed fall through to 404. */
export const ROUTE_PERMISSIONS: ReadonlyArray<readonly [method: string, path: RegExp, permission: Permission]> = [
  ['POST', /^\/api\/v1\/audit\/verify$/, 'audit'],
  ['POST', /^\/api\/v1\//, 'record'],
  ['GET', /^\/api\/v1\/audit\//, 'audit'],
  ['GET', /^\/api\/v1\/(grants|positions)\/[^/]+$/, 'read-records'],
  ['GET', /^\/api\/v1\/(staffing|end-dates|continuation-risk|own-funds|own-funds\/municipalities|finance\/grants)$/, 'read-views'],
  ['GET', /^\/api\/v1\/(grants|positions)$/, 'read-views'],
  ['GET', /^\/api\/v1\/(programmes|municipalities)$/, 'reference'],
  ['GET', /^\/api\/v1\/programmes\/[^/]+$/, 'reference'],
  ['GET', /^\/(openapi\.json|docs)$/, 'reference'],
  // The pages (src/web) look up the same table.
  ['GET', /^\/(tabellen\/[a-z-]+)?$/, 'read-views'],
  ['GET', /^\/(stellen|zuwendungen)\/[^/]+$/, 'read-views'],
  ['GET', /^\/pruefung(\/.*)?$/, 'audit'],
  ['POST', /^\/pruefung(\/.*)?$/, 'audit'],
];

/** The roles in the words of a 403 answer (the internal names stay out of messages). */
const ROLE_WORDS: Readonly<Record<Role, string>> = {
  admin: 'Administration',
  finance: 'Kämmerei',
  leadership: 'Verwaltungsleitung',
  auditor: 'Rechnungsprüfung',
};

/** What a 403 says the caller may not do, completing "Mit der Rolle „…“ dürfen Sie …". */
const FORBIDDEN_WORDS: Readonly<Record<Permission, string>> = {
  record: 'nichts erfassen oder ändern',
  'read-records': 'einzelne Zuwendungen und Stellen nicht abrufen',
  'read-views': 'Auswertungen und Listen nicht abrufen',
  audit: 'das Ereignisprotokoll und die Prüfroutinen nicht nutzen',
  reference: 'Stammdaten und API-Dokumentation nicht abrufen',
};

/** The permission the table names for a request, or undefined when no rule matches. */
export function permissionFor(method: string, path: string): Permission | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return ROUTE_PERMISSIONS.find(([rm, rp]) => rm === m && rp.test(path))?.[2];
}

/** True when `role` holds `permission`. */
export function allows(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission);
}

/** Refuses with 403 a request whose route needs a permission the caller's role lacks. */
export function authorize(): MiddlewareHandler<AppEnv> {
  return async function authorizeMiddleware(c, next) {
    const principal = c.get('principal');
    if (principal) {
      const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
      const rule = ROUTE_PERMISSIONS.find(([m, path]) => m === method && path.test(c.req.path));
      if (rule && !allows(principal.role, rule[2])) {
        throw new HttpProblem(403, 'Keine Berechtigung', `Mit der Rolle „${ROLE_WORDS[principal.role]}“ dürfen Sie ${FORBIDDEN_WORDS[rule[2]]}.`);
      }
    }
    await next();
  };
}
