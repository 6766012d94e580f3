// The write API under /api/v1: one POST route per command, all built the same way from a zod body
// schema and a command function, so each appears in the generated OpenAPI document.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import {
  AbolishPositionBody,
  AmendGrantBody,
  AwardGrantBody,
  ChangeProgrammeBody,
  CloseGrantBody,
  CorrectGrantBody,
  CorrectPositionBody,
  DecideContinuationBody,
  DrawFundsBody,
  EstablishPositionBody,
  RevokeContinuationDecisionBody,
  SetProgrammeEndDateBody,
  StaffPositionBody,
  SubmitProofOfUseBody,
  VacatePositionBody,
  RegisterProgrammeBody,
  ReverseEntryBody,
  VoidRecordBody,
  programmeCode,
} from '../../schemas/index.js';
import {
  abolishPosition,
  amendGrant,
  awardGrant,
  changeProgramme,
  closeGrant,
  correctGrant,
  correctPosition,
  registerProgramme,
  reverseContinuationDecision,
  reverseDrawdown,
  reverseStaffing,
  voidGrant,
  voidPosition,
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
  /** A correction needs the version the clerk saw: without If-Match the answer is 428. */
  requireIfMatch?: boolean;
}

/** New records only in the caller's own municipalities. */
const ownMunicipality = (c: Context<AppEnv>, body: { municipality: string }) => {
  const principal = c.get('principal');
  if (principal && !covers(principal, body.municipality)) {
    throw new HttpProblem(403, 'Keine Berechtigung', `Keine Berechtigung, für die Kommune ${body.municipality} zu erfassen.`);
  }
};

/** Programmes are shared by every municipality: only an administrator for all municipalities registers or changes them. */
const programmeAdmin = (c: Context<AppEnv>) => {
  const principal = c.get('principal');
  if (principal && (principal.role !== 'admin' || principal.municipalities !== '*')) {
    throw new HttpProblem(
      403,
      'Keine Berechtigung',
      'Das Programmregister ändern nur Administratorinnen und Administratoren mit Berechtigung für alle Kommunen.',
    );
  }
};

const idParam = z.object({ id: z.uuid({ error: 'Keine gültige UUID' }).toLowerCase().openapi({ param: { name: 'id', in: 'path' }, example: '0190b2f8-6c1e-7000-8000-000000000001' }) });
const codeParam = z.object({ code: programmeCode.clone().openapi({ param: { name: 'code', in: 'path' }, example: 'thilik' }) });
const entryParam = z.coerce
  .number({ error: 'Die Nummer des Eintrags muss eine ganze Zahl sein' })
  .int({ error: 'Die Nummer des Eintrags muss eine ganze Zahl sein' })
  .min(1, { error: 'Die Nummer des Eintrags beginnt bei 1' })
  .max(1_000_000_000, { error: 'Die Nummer des Eintrags ist zu groß' })
  .openapi({ param: { name: 'entry', in: 'path' }, example: 4, description: 'Nummer des Eintrags (Version seines Ereignisses im Datensatz)' });
const idEntryParams = idParam.extend({ entry: entryParam });
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
    if (spec.requireIfMatch && ctx.expectedVersion === undefined) {
      throw new HttpProblem(
        428,
        'If-Match fehlt',
        'Eine Stornierung oder Korrektur braucht die Version, die Sie gesehen haben: senden Sie If-Match: W/"<Version>" (aus dem ETag des Datensatzes).',
      );
    }
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

/** What the write routes need beside the event store. */
export interface WriteRouteDependencies {
  store: EventStore;
  /** Positions (not voided) standing on a grant, from the read side once it has caught up. */
  positionsOnGrant: (grantId: string) => Promise<number>;
}

/** The POST routes of every command, mounted by the app under /api/v1. */
export function writeRoutes({ store, positionsOnGrant }: WriteRouteDependencies): OpenAPIHono<AppEnv> {
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
  // Corrections (Storno): a void, a correction or a reversal names the version the clerk saw.
  register(app, store, {
    path: '/grants/{id}/void', tag: grants, summary: 'Zuwendung stornieren (irrtümlich erfasst)', params: idParam,
    body: VoidRecordBody, run: (ctx, p, body) => voidGrant(ctx, p.id, body, positionsOnGrant), requireIfMatch: true,
  });
  register(app, store, {
    path: '/grants/{id}/corrections', tag: grants, summary: 'Angaben des Zuwendungsbescheids korrigieren', params: idParam,
    body: CorrectGrantBody, run: (ctx, p, body) => correctGrant(ctx, p.id, body), requireIfMatch: true,
  });
  register(app, store, {
    path: '/grants/{id}/drawdowns/{entry}/reversal', tag: grants, summary: 'Mittelabruf stornieren', params: idEntryParams,
    body: ReverseEntryBody, run: (ctx, p, body) => reverseDrawdown(ctx, p.id, p.entry, body), requireIfMatch: true,
  });
  register(app, store, {
    path: '/positions/{id}/void', tag: positions, summary: 'Stelle stornieren (irrtümlich erfasst)', params: idParam,
    body: VoidRecordBody, run: (ctx, p, body) => voidPosition(ctx, p.id, body), requireIfMatch: true,
  });
  register(app, store, {
    path: '/positions/{id}/corrections', tag: positions, summary: 'Angaben der Stelle korrigieren', params: idParam,
    body: CorrectPositionBody, run: (ctx, p, body) => correctPosition(ctx, p.id, body), requireIfMatch: true,
  });
  register(app, store, {
    path: '/positions/{id}/staffing/{entry}/reversal', tag: positions, summary: 'Stellenbesetzung stornieren', params: idEntryParams,
    body: ReverseEntryBody, run: (ctx, p, body) => reverseStaffing(ctx, p.id, p.entry, body), requireIfMatch: true,
  });
  register(app, store, {
    path: '/positions/{id}/continuation-decisions/{entry}/reversal', tag: positions,
    summary: 'Verstetigungsentscheidung stornieren (irrtümlich erfasst)', params: idEntryParams, body: ReverseEntryBody,
    run: (ctx, p, body) => reverseContinuationDecision(ctx, p.id, p.entry, body), requireIfMatch: true,
  });
  const programmes = 'Förderprogramme';
  register(app, store, {
    path: '/programmes', tag: programmes, summary: 'Förderprogramm registrieren', params: noParams, body: RegisterProgrammeBody,
    run: (ctx, _p, body) => registerProgramme(ctx, body), location: (id) => `/api/v1/programmes/${id}`, guard: programmeAdmin,
  });
  register(app, store, {
    path: '/programmes/{code}/changes', tag: programmes, summary: 'Förderprogramm ändern (Name, Laufzeit, Funktionen, Vorgaben)',
    params: codeParam, body: ChangeProgrammeBody, run: (ctx, p, body) => changeProgramme(ctx, p.code, body), guard: programmeAdmin,
  });
  register(app, store, {
    path: '/programmes/{code}/end-date', tag: programmes, summary: 'Programmende setzen', params: codeParam,
    body: SetProgrammeEndDateBody, run: (ctx, p, body) => setProgrammeEndDate(ctx, p.code, body), guard: programmeAdmin,
  });
  return app;
}
