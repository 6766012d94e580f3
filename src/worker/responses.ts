// The answers the Worker gives outside the app: problems (misconfiguration, database down), the
// liveness answer that needs no database, and the German pages for what Workers do not offer.
import { Hono } from 'hono';
import { HttpProblem } from '../http/index.js';
import { problemResponse } from '../http/problem.js';

/** Seconds a client is asked to wait when the database cannot be reached. */
export const RETRY_AFTER_SECONDS = '5';

/** The paths of sign-in through the identity provider (src/web/oidc.ts), not offered on Workers. */
export const OIDC_PATHS: ReadonlySet<string> = new Set(['/anmelden/oidc', '/anmelden/oidc/rueckkehr']);

/** A problem+json response built by the same function as the app's, outside the app. */
export function problem(request: Request, error: HttpProblem): Promise<Response> {
  const app = new Hono();
  app.all('*', (c) => problemResponse(c, error, undefined));
  return Promise.resolve(app.fetch(request));
}

/** 500 naming the unusable setting (logged too): what the Node server would refuse to start with. */
export function misconfigured(request: Request, message: string): Promise<Response> {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'worker misconfigured', error: message }));
  return problem(request, new HttpProblem(500, 'Fehlkonfiguration', `Der Dienst ist nicht richtig eingerichtet: ${message}`));
}

/** Liveness: the Worker answers (the same body as the app's /health); no database is opened. */
export function alive(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}

/** A static file that is not among the Workers assets: 404, as the Node server answers it. */
export function notFound(): Response {
  return new Response('Nicht gefunden', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** True for a request of a person's browser for a page (not the API, not a machine reader). */
export function wantsPage(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return request.method === 'GET' && !path.startsWith('/api/') && (request.headers.get('accept') ?? '').includes('text/html');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A plain German page in the KERN style sheets (served as Workers assets), for answers outside the app. */
export function germanPage(status: number, title: string, text: string, headers: Record<string, string> = {}): Response {
  const html =
    '<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)} – verstetigt</title>` +
    '<link rel="stylesheet" href="/static/kern/fonts/fira-sans.css"><link rel="stylesheet" href="/static/kern/kern.min.css">' +
    '<link rel="stylesheet" href="/static/app/verstetigt.css"></head><body><main class="kern-container" id="inhalt">' +
    `<h1 class="kern-heading-large">${escapeHtml(title)}</h1><p class="kern-body">${escapeHtml(text)}</p>` +
    '<p class="kern-body"><a class="kern-link" href="/">Zur Übersicht</a></p></main></body></html>';
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

/**
 * The answer while the database cannot be reached: /ready says so as the app's /ready does, a page
 * request gets a German page, everything else a 503 problem; all with Retry-After.
 */
export function databaseDown(request: Request): Promise<Response> {
  const retry = { 'retry-after': RETRY_AFTER_SECONDS };
  const path = new URL(request.url).pathname;
  if (path === '/ready') {
    return Promise.resolve(Response.json({ status: 'unavailable', database: 'unreachable' }, { status: 503, headers: { ...retry, 'cache-control': 'no-store' } }));
  }
  const detail = 'Die Datenbank ist gerade nicht erreichbar. Bitte in einigen Sekunden erneut versuchen.';
  if (wantsPage(request)) return Promise.resolve(germanPage(503, 'Vorübergehend nicht verfügbar', detail, retry));
  return problem(request, new HttpProblem(503, 'Vorübergehend nicht verfügbar', detail, {}, retry));
}

/** Sign-in through the identity provider is not part of the Worker: a German page saying so. */
export function oidcNotOffered(): Response {
  return germanPage(
    501,
    'Anmeldung über den Identitätsanbieter nicht verfügbar',
    'Diese Fassung von verstetigt (Cloudflare Workers) bietet die Anmeldung über den Identitätsanbieter der Kommune nicht an. ' +
      'Bitte melden Sie sich mit einem Anmeldelink an, den Ihnen die Verwaltung der Anwendung schickt.',
  );
}
