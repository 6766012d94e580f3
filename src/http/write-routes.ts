// The write API under /api/v1: one POST route per command, all built the same way from a zod body
// schema and a command function, so each appears in the generated OpenAPI document.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  AbolishPositionBody,
  AmendGrantBody,
  AwardGrantBody,
  CloseGrantBody,
  DecideContinuationBody,
  DrawFundsBody,
  EstablishPositionBody,
  RevokeContinuationDecisionBody,
  SetProgrammeEndDateBody,
  StaffPositionBody,
  SubmitProofOfUseBody,
  VacatePositionBody,
  PROGRAMME_CODES,
} from '../../schemas/index.js';
import {
  abolishPosition,
  amendGrant,
  awardGrant,
  closeGrant,
  decideContinuation,
  drawFunds,
  establishPosition,
  revokeContinuationDecision,
  setProgrammeEndDate,
  staffPosition,
  submitProofOfUse,
  vacatePosition,
  type CommandContext,
  type IdentifiedResult,
} from '../commands/index.js';
import { canonicalJson, sha256Hex, type EventStore } from '../eventstore/index.js';
import { covers } from './auth/index.js';
import { HttpProblem, ValidationProblem } from './problem.js';
import { ProblemSchema, WriteResultSchema } from './openapi-schemas.js';
import type { AppEnv } from './request-context.js';

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

interface ActionSpec<B extends z.ZodType, P extends z.ZodObject> {
  path: string;
  tag: string;
  summary: string;
  params: P;
  body: B;
  run(ctx: CommandContext, params: z.infer<P>, body: z.infer<B>): Promise<IdentifiedResult>;
  /** For a creating route: the Location of the new resource. */
  location?: (id: string) => string;
  /** Checks the caller may write this (403 otherwise), before anything is loaded. */
  guard?: (c: Context<AppEnv>, body: z.infer<B>) => void;
}

/** New records only in the caller's own municipalities. */
const ownMunicipality = (c: Context<AppEnv>, body: { municipality: string }) => {
  const principal = c.get('principal');
  if (principal && !covers(principal, body.municipality)) {
    throw new HttpProblem(403, 'Keine Berechtigung', `Keine Berechtigung, für die Kommune ${body.municipality} zu erfassen.`);
  }
};

/** Programmes are shared by every municipality: only an admin for all municipalities changes them. */
const allMunicipalities = (c: Context<AppEnv>) => {
  const principal = c.get('principal');
  if (principal && (principal.role !== 'admin' || principal.municipalities !== '*')) {
    throw new HttpProblem(403, 'Keine Berechtigung', 'Förderprogramme ändern nur Administratoren mit Berechtigung für alle Kommunen.');
  }
};

const idParam = z.object({ id: z.uuid({ error: 'Keine gültige UUID' }).toLowerCase().openapi({ param: { name: 'id', in: 'path' }, example: '0190b2f8-6c1e-7000-8000-000000000001' }) });
const codeParam = z.object({ code: z.enum(PROGRAMME_CODES, { error: 'Unbekanntes Förderprogramm' }).openapi({ param: { name: 'code', in: 'path' }, example: 'thilik' }) });
const noParams = z.object({});

function register<B extends z.ZodType, P extends z.ZodObject>(
  app: OpenAPIHono<AppEnv>,
  store: EventStore,
  spec: ActionSpec<B, P>,
): void {
  const created = spec.location !== undefined;
  const route = createRoute({
    method: 'post',
    path: spec.path,
    tags: [spec.tag],
    summary: spec.summary,
    request: {
      params: spec.params,
      headers: writeHeaders,
      body: { content: { 'application/json': { schema: spec.body } }, required: true },
    },
    responses: {
      [created ? 201 : 200]: {
        description: created ? 'Angelegt' : 'Erfasst',
        content: { 'application/json': { schema: WriteResultSchema } },
      },
      ...problemResponses,
    },
  });
  app.openapi(route, async (c) => {
    const params = c.req.valid('param' as never) as z.infer<P>;
    const body = c.req.valid('json' as never) as z.infer<B>;
    const ctx = commandContext(c as unknown as Context<AppEnv>, store, { route: spec.path, params, body });
    spec.guard?.(c as unknown as Context<AppEnv>, body);
    const result = await spec.run(ctx, params, body);
    const payload = { id: result.id, version: result.version, globalPosition: result.globalPosition };
    c.header('ETag', `W/"${result.version}"`);
    if (spec.location) {
      c.header('Location', spec.location(result.id));
      return c.json(payload, 201);
    }
    return c.json(payload, 200);
  });
}

/** The POST routes of every command, mounted by the app under /api/v1. */
export function writeRoutes({ store }: { store: EventStore }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requireJson());
  const grants = 'Zuwendungen';
  const positions = 'Stellen';

  register(app, store, {
    path: '/grants', tag: grants, summary: 'Zuwendungsbescheid erfassen', params: noParams, body: AwardGrantBody,
    run: (ctx, _p, body) => awardGrant(ctx, body), location: (id) => `/api/v1/grants/${id}`, guard: ownMunicipality,
  });
  register(app, store, {
    path: '/grants/{id}/amendments', tag: grants, summary: 'Änderungsbescheid erfassen', params: idParam, body: AmendGrantBody,
    run: (ctx, p, body) => amendGrant(ctx, p.id, body),
  });
  register(app, store, {
    path: '/grants/{id}/drawdowns', tag: grants, summary: 'Mittelabruf erfassen', params: idParam, body: DrawFundsBody,
    run: (ctx, p, body) => drawFunds(ctx, p.id, body),
  });
  register(app, store, {
    path: '/grants/{id}/proof-of-use', tag: grants, summary: 'Zwischen- oder Verwendungsnachweis erfassen', params: idParam,
    body: SubmitProofOfUseBody, run: (ctx, p, body) => submitProofOfUse(ctx, p.id, body),
  });
  register(app, store, {
    path: '/grants/{id}/close', tag: grants, summary: 'Zuwendung abschließen', params: idParam, body: CloseGrantBody,
    run: (ctx, p, body) => closeGrant(ctx, p.id, body),
  });
  register(app, store, {
    path: '/positions', tag: positions, summary: 'Stelle einrichten', params: noParams, body: EstablishPositionBody,
    run: (ctx, _p, body) => establishPosition(ctx, body), location: (id) => `/api/v1/positions/${id}`, guard: ownMunicipality,
  });
  register(app, store, {
    path: '/positions/{id}/staffing', tag: positions, summary: 'Stellenbesetzung erfassen', params: idParam, body: StaffPositionBody,
    run: (ctx, p, body) => staffPosition(ctx, p.id, body),
  });
  register(app, store, {
    path: '/positions/{id}/vacancies', tag: positions, summary: 'Freiwerden der Stelle erfassen', params: idParam,
    body: VacatePositionBody, run: (ctx, p, body) => vacatePosition(ctx, p.id, body),
  });
  register(app, store, {
    path: '/positions/{id}/continuation-decisions', tag: positions, summary: 'Verstetigungsentscheidung erfassen', params: idParam,
    body: DecideContinuationBody, run: (ctx, p, body) => decideContinuation(ctx, p.id, body),
  });
  register(app, store, {
    path: '/positions/{id}/continuation-decisions/revoke', tag: positions, summary: 'Verstetigungsentscheidung aufheben',
    params: idParam, body: RevokeContinuationDecisionBody, run: (ctx, p, body) => revokeContinuationDecision(ctx, p.id, body),
  });
  register(app, store, {
    path: '/positions/{id}/abolish', tag: positions, summary: 'Stelle streichen', params: idParam, body: AbolishPositionBody,
    run: (ctx, p, body) => abolishPosition(ctx, p.id, body),
  });
  register(app, store, {
    path: '/programmes/{code}/end-date', tag: 'Förderprogramme', summary: 'Programmende setzen', params: codeParam,
    body: SetProgrammeEndDateBody, run: (ctx, p, body) => setProgrammeEndDate(ctx, p.code, body), guard: allMunicipalities,
  });
  return app;
}
