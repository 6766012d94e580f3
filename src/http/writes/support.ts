// What every write route shares: the command context of a request (actor, If-Match, scoped
// Idempotency-Key), the JSON requirement, the path parameters, the access guards and `action`,
// which turns a command into a typed OpenAPI route and its handler.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import { programmeCode } from '../../../schemas/index.js';
import type { CommandContext, IdentifiedResult } from '../../commands/index.js';
import { canonicalJson, sha256Hex, type EventStore } from '../../eventstore/index.js';
import { covers } from '../auth/index.js';
import { ProblemSchema, WriteResultSchema } from '../openapi-schemas.js';
import { HttpProblem, ValidationProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';

const IF_MATCH = /^\s*(?:W\/)?"(\d{1,15})"\s*$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

/** What identifies a request for its Idempotency-Key: the route template, its ids and its body. */
export interface RequestIdentity {
  route: string;
  params: Record<string, unknown>;
  body: unknown;
}

/** The command context of a request: actor, ids, If-Match as expected version, scoped idempotency key. */
export function commandContext(c: Context<AppEnv>, store: EventStore, request: RequestIdentity): CommandContext {
  const ifMatch = c.req.header('if-match');
  let expectedVersion: number | undefined;
  if (ifMatch !== undefined) {
    const match = IF_MATCH.exec(ifMatch);
    if (!match) throw new ValidationProblem('If-Match muss die Form W/"<Version>" haben.', [{ path: 'If-Match', message: 'ungültig' }]);
    expectedVersion = Number(match[1]);
  }
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationProblem('Idempotency-Key: 1–100 sichtbare ASCII-Zeichen.', [{ path: 'Idempotency-Key', message: 'ungültig' }]);
  }
  const actor = c.get('actor');
  const principal = c.get('principal');
  return {
    store,
    actor,
    canAccess: principal ? (municipality: string) => covers(principal, municipality) : undefined,
    requestId: c.get('requestId'),
    correlationId: c.req.header('x-correlation-id')?.slice(0, 100),
    expectedVersion,
    // Scoped to the caller, the route and its (parsed, normalised) ids, so one client's key never
    // answers another's request; the body's digest refuses a key reused for a different body.
    idempotencyKey:
      key === undefined ? undefined : `${actor?.sub ?? 'anonymous'} POST ${request.route} ${canonicalJson(request.params)} ${key}`,
    requestFingerprint: key === undefined ? undefined : sha256Hex(canonicalJson(request.body)),
  };
}

/** 415 for a write whose body is not declared as JSON (Hono would otherwise read it as empty). */
export function requireJson(): MiddlewareHandler<AppEnv> {
  return async function requireJsonMiddleware(c, next) {
    if (c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH') {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
        throw new HttpProblem(415, 'Kein JSON', 'Der Inhalt der Anfrage muss JSON sein (Content-Type: application/json).');
      }
    }
    await next();
  };
}

const problemResponses = {
  400: { description: 'Ungültige Eingabe', content: { 'application/problem+json': { schema: ProblemSchema } } },
  404: { description: 'Nicht gefunden', content: { 'application/problem+json': { schema: ProblemSchema } } },
  409: { description: 'Versionskonflikt (If-Match)', content: { 'application/problem+json': { schema: ProblemSchema } } },
  413: { description: 'Anfrage zu groß', content: { 'application/problem+json': { schema: ProblemSchema } } },
  415: { description: 'Kein JSON', content: { 'application/problem+json': { schema: ProblemSchema } } },
  422: { description: 'Fachliche Regel verletzt', content: { 'application/problem+json': { schema: ProblemSchema } } },
} as const;

const writeHeaders = z.object({
  'if-match': z.string().optional().openapi({ description: 'W/"<Version>": nur schreiben, wenn der Datensatz noch diese Version hat' }),
  'idempotency-key': z.string().optional().openapi({ description: 'Wiederholte Anfragen mit demselben Schlüssel liefern die erste Antwort' }),
});

/** The success status of a write: 201 for a creating route, 200 otherwise. */
export type WriteStatus = 200 | 201;

export interface ActionSpec<B extends z.ZodType, P extends z.ZodObject, S extends WriteStatus> {
  status: S;
  path: string;
  tag: string;
  summary: string;
  params: P;
  body: B;
  run(ctx: CommandContext, params: z.infer<P>, body: z.infer<B>): Promise<IdentifiedResult>;
  /** For a creating route (status 201): the Location of the new resource. */
  location?: (id: string) => string;
  /** Checks the caller may write this (403 otherwise), before anything is loaded. */
  guard?: (c: Context<AppEnv>, body: z.infer<B>) => void;
  /** A correction needs the version the clerk saw: without If-Match the answer is 428. */
  requireIfMatch?: boolean;
}

/** New records only in the caller's own municipalities. */
export const ownMunicipality = (c: Context<AppEnv>, body: { municipality: string }) => {
  const principal = c.get('principal');
  if (principal && !covers(principal, body.municipality)) {
    throw new HttpProblem(403, 'Keine Berechtigung', `Keine Berechtigung, für die Kommune ${body.municipality} zu erfassen.`);
  }
};

/** Programmes are shared by every municipality: only an administrator for all municipalities registers or changes them. */
export const programmeAdmin = (c: Context<AppEnv>) => {
  const principal = c.get('principal');
  if (principal && (principal.role !== 'admin' || principal.municipalities !== '*')) {
    throw new HttpProblem(
      403,
      'Keine Berechtigung',
      'Das Programmregister ändern nur Administratorinnen und Administratoren mit Berechtigung für alle Kommunen.',
    );
  }
};

export const idParam = z.object({ id: z.uuid({ error: 'Keine gültige UUID' }).toLowerCase().openapi({ param: { name: 'id', in: 'path' }, example: '0190b2f8-6c1e-7000-8000-000000000001' }) });
export const codeParam = z.object({ code: programmeCode.clone().openapi({ param: { name: 'code', in: 'path' }, example: 'thilik' }) });
const entryParam = z.coerce
  .number({ error: 'Die Nummer des Eintrags muss eine ganze Zahl sein' })
  .int({ error: 'Die Nummer des Eintrags muss eine ganze Zahl sein' })
  .min(1, { error: 'Die Nummer des Eintrags beginnt bei 1' })
  .max(1_000_000_000, { error: 'Die Nummer des Eintrags ist zu groß' })
  .openapi({ param: { name: 'entry', in: 'path' }, example: 4, description: 'Nummer des Eintrags (Version seines Ereignisses im Datensatz)' });
export const idEntryParams = idParam.extend({ entry: entryParam });
export const noParams = z.object({});

/** The answer to a write: the record's id, its new version and the event's global position. */
type WriteResult = z.infer<typeof WriteResultSchema>;

/** The context of a write request after validation: its typed path parameters and body. */
type WriteContext<B extends z.ZodType, P extends z.ZodObject> = Context<AppEnv, string, { out: { param: z.output<P>; json: z.output<B> } }>;

/** A write route: its OpenAPI definition and the handler that runs its command. */
export interface Action<B extends z.ZodType, P extends z.ZodObject, S extends WriteStatus> {
  route: ReturnType<typeof writeRoute<B, P, S>>;
  /** Runs the command for the validated path parameters and body; answers `status` (201 with Location for a creating route). */
  handle(c: WriteContext<B, P>): Promise<Response & TypedResponse<WriteResult, S, 'json'>>;
}

function writeRoute<B extends z.ZodType, P extends z.ZodObject, S extends WriteStatus>(spec: ActionSpec<B, P, S>) {
  const success = { description: spec.status === 201 ? 'Angelegt' : 'Erfasst', content: { 'application/json': { schema: WriteResultSchema } } };
  return createRoute({
    method: 'post',
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    request: {
      params: spec.params,
      headers: writeHeaders,
      body: { content: { 'application/json': { schema: spec.body } }, required: true },
    },
    // One success status per route: 201 for a creating route, else 200.
    responses: { ...({ [spec.status]: success } as Record<S, typeof success>), ...problemResponses },
  });
}

/** An action of any command, for a list of routes to register (each was type-checked when made). */
export type AnyAction = Action<any, any, any>;

/** The route and handler of one command; register with `app.openapi(a.route, a.handle)`. */
export function action<B extends z.ZodType, P extends z.ZodObject, S extends WriteStatus>(store: EventStore, spec: ActionSpec<B, P, S>): Action<B, P, S> {
  return {
    route: writeRoute(spec),
    async handle(c) {
      const params = c.req.valid('param');
      const body = c.req.valid('json');
      const ctx = commandContext(c, store, { route: spec.path, params, body });
      spec.guard?.(c, body);
      if (spec.requireIfMatch && ctx.expectedVersion === undefined) {
        throw new HttpProblem(
          428,
          'If-Match fehlt',
          'Eine Stornierung oder Korrektur braucht die Version, die Sie gesehen haben: senden Sie If-Match: W/"<Version>" (aus dem ETag des Datensatzes).',
        );
      }
      const result = await spec.run(ctx, params, body);
      c.header('ETag', `W/"${result.version}"`);
      if (spec.location) c.header('Location', spec.location(result.id));
      return c.json({ id: result.id, version: result.version, globalPosition: result.globalPosition }, spec.status);
    },
  };
}

/** What the write routes need beside the event store. */
export interface WriteRouteDependencies {
  store: EventStore;
  /** Positions (not voided) standing on a grant, from the read side once it has caught up. */
  positionsOnGrant: (grantId: string) => Promise<number>;
}
