// The lists under /api/v1: GET /grants and GET /positions, a page at a time. Filters by
// municipality, programme, status on ?asOf= and the day funding ends (?endsBefore=, ?endsAfter=,
// both exclusive); ?limit= rows per page; ?cursor= the opaque `next` of the previous page. Scoped
// like the views: a token sees its municipalities, a filter naming another answers 403.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Executor, ProjectionRunner } from '../../projections/index.js';
import {
  listGrants,
  listPositions,
  type GrantListItem as GrantListRow,
  type ListKey,
  type ListPage,
  type ListQuery,
  type PositionListItem as PositionListRow,
} from '../../projections/lists.js';
import { ags, businessDate, programmeCode } from '../../schemas/index.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import { ProblemSchema, sameShape } from './openapi-schemas.js';
import { ValidationProblem, validationProblem } from './problem.js';
import { awaitPosition, requestedScope, type AllowedMunicipalities, type PositionWait } from './read-consistency.js';

export interface ListDependencies {
  db: Db;
  runner: Pick<ProjectionRunner, 'waitForPosition' | 'position'>;
  clock: Clock;
  /** Longest wait for ?minPosition= before 503 (default 5000 ms). */
  minPositionTimeoutMs?: number;
  /** The municipalities the request may see ('*' = all). */
  allowedMunicipalities?: AllowedMunicipalities;
}

/** Rows per page unless ?limit= says otherwise, and the most ?limit= may ask for. */
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;

/** The cursor a page hands out: the last row's sort key, base64url-encoded JSON. Opaque to clients. */
export function encodeCursor(key: ListKey): string {
  return Buffer.from(JSON.stringify([key.endsOn, key.id]), 'utf8').toString('base64url');
}

/** The key inside a cursor; undefined for anything this server did not hand out. */
export function decodeCursor(cursor: string): ListKey | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [endsOn, id] = value;
    if (typeof endsOn !== 'string' || typeof id !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(endsOn) || id.length === 0 || id.length > 100) {
      return undefined;
    }
    return { endsOn, id };
  } catch {
    // Not JSON: a cursor this server never handed out. The caller answers 400 naming the field;
    // the parser's message says nothing more, so there is nothing to log.
    return undefined;
  }
}

const commonQuery = {
  municipality: ags.optional().openapi({ description: 'Nur diese Kommune (AGS, 8 Ziffern)', example: '16053000' }),
  programme: programmeCode.optional().openapi({ description: 'Nur dieses Förderprogramm', example: 'thilik' }),
  endsBefore: businessDate
    .optional()
    .openapi({ description: 'Nur Förderungen, die vor diesem Tag enden (Tag selbst ausgeschlossen), JJJJ-MM-TT', example: '2027-01-01' }),
  endsAfter: businessDate
    .optional()
    .openapi({ description: 'Nur Förderungen, die nach diesem Tag enden (Tag selbst ausgeschlossen), JJJJ-MM-TT', example: '2026-12-31' }),
  asOf: businessDate.optional().openapi({ description: 'Stichtag für den Status, JJJJ-MM-TT (Standard: heute, Europe/Berlin)', example: '2026-11-27' }),
  limit: z.coerce
    .number({ error: 'limit muss eine ganze Zahl sein' })
    .int({ error: 'limit muss eine ganze Zahl sein' })
    .min(1, { error: 'limit muss mindestens 1 sein' })
    .max(MAX_LIST_LIMIT, { error: `limit darf höchstens ${MAX_LIST_LIMIT} sein` })
    .optional()
    .openapi({ description: `Einträge je Seite (1–${MAX_LIST_LIMIT}, Standard ${DEFAULT_LIST_LIMIT})`, example: 50 }),
  cursor: z
    .string()
    .optional()
    .openapi({ description: 'Fortsetzung: der Wert `next` der vorigen Seite (sonst die erste Seite)', example: 'WyIyMDI2LTEyLTMxIiwiMDE5MGIyZjgiXQ' }),
  minPosition: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'Erst antworten, wenn die Lesemodelle diese globale Position erreicht haben', example: 42 }),
};

const GrantListQuery = z.object({
  ...commonQuery,
  status: z
    .enum(['running', 'ended', 'closed'], { error: 'Erlaubt: running, ended, closed' })
    .optional()
    .openapi({ description: 'running: Bewilligungszeitraum läuft; ended: Zeitraum am Stichtag vorbei; closed: abgeschlossen', example: 'running' }),
});
const PositionListQuery = z.object({
  ...commonQuery,
  status: z
    .enum(['open', 'abolished'], { error: 'Erlaubt: open, abolished' })
    .optional()
    .openapi({ description: 'open: eingerichtet und nicht gestrichen; abolished: am Stichtag gestrichen', example: 'open' }),
});

const GrantListItem = z
  .object({
    id: z.string(),
    municipality: z.string(),
    programme: z.string(),
    reference: z.string().openapi({ description: 'Förderkennzeichen' }),
    awardedOn: z.string(),
    periodStart: z.string(),
    periodEnd: z.string().openapi({ description: 'Letzter geförderter Tag nach Änderungsbescheiden' }),
    financingType: z.string(),
    fundingRatePercent: z.number(),
    awardedCents: z.number().int(),
    drawnCents: z.number().int().openapi({ description: 'Bis zum Stichtag abgerufen' }),
    closedOn: z.string().nullable(),
    status: z.enum(['running', 'ended', 'closed']),
  })
  .openapi('GrantListItem');
sameShape<z.infer<typeof GrantListItem>, GrantListRow>(true);
const PositionListItem = z
  .object({
    id: z.string(),
    municipality: z.string(),
    programme: z.string(),
    grantId: z.string(),
    title: z.string(),
    role: z.string(),
    fte: z.number(),
    establishedOn: z.string(),
    abolishedOn: z.string().nullable(),
    fundingEndsOn: z.string().nullable().openapi({ description: 'Ende des Bewilligungszeitraums der Zuwendung' }),
    status: z.enum(['open', 'abolished']),
  })
  .openapi('PositionListItem');
sameShape<z.infer<typeof PositionListItem>, PositionListRow>(true);

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    asOf: z.string(),
    items: z.array(item),
    next: z.string().nullable().openapi({ description: 'Als ?cursor= für die nächste Seite; null auf der letzten Seite' }),
  });

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

function listRoute<Q extends z.ZodObject<any>, S extends z.ZodType>(path: string, tag: string, summary: string, query: Q, body: S) {
  return createRoute({
    method: 'get',
    path,
    tags: [tag],
    summary,
    request: { query },
    responses: {
      200: { description: summary, content: { 'application/json': { schema: body } } },
      400: { description: 'Ungültige Abfrage', content: problemContent },
      403: { description: 'Filter auf eine Kommune ohne Berechtigung', content: problemContent },
      503: { description: 'Lesemodelle haben minPosition nicht rechtzeitig erreicht (Retry-After)', content: problemContent },
    },
  });
}

/** The list routes as a sub-app; mount with `app.route('/api/v1', listRoutes(deps))`. */
export function listRoutes(deps: ListDependencies) {
  const { db, runner, clock, minPositionTimeoutMs = 5000 } = deps;
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      // @hono/zod-validator hands the hook the input it parsed as `data` (missing from its type).
      if (!result.success) throw validationProblem(result.error, (result as { data?: unknown }).data);
    },
  });

  const wait: PositionWait = { runner, timeoutMs: minPositionTimeoutMs, subject: 'Die Listen' };

  /** The scope, page size and start of a list request; 403 for a municipality outside the token's. */
  function listQuery<S extends string>(
    c: Context,
    q: {
      municipality?: string | undefined;
      programme?: string | undefined;
      status?: S | undefined;
      endsBefore?: string | undefined;
      endsAfter?: string | undefined;
      asOf?: string | undefined;
      limit?: number | undefined;
      cursor?: string | undefined;
    },
  ) {
    const scope = requestedScope(deps.allowedMunicipalities?.(c) ?? '*', q);
    let after: ListKey | undefined;
    if (q.cursor !== undefined) {
      after = decodeCursor(q.cursor);
      if (!after) {
        throw new ValidationProblem('Der Cursor ist ungültig.', [
          { path: 'cursor', message: 'Ungültiger Cursor: den Wert `next` der vorigen Seite unverändert übergeben' },
        ]);
      }
    }
    return {
      ...scope,
      status: q.status,
      endsBefore: q.endsBefore,
      endsAfter: q.endsAfter,
      asOf: q.asOf ?? clock.today(),
      limit: q.limit ?? DEFAULT_LIST_LIMIT,
      after,
    };
  }

  /** Answers one page of a list: waits for ?minPosition=, reads the page, hands out the next cursor. */
  async function page<S extends string, T>(
    c: Context,
    q: Parameters<typeof listQuery<S>>[1] & { minPosition?: number | undefined },
    list: (db: Executor, query: ListQuery<S>) => Promise<ListPage<T>>,
  ) {
    await awaitPosition(wait, q.minPosition);
    const query = listQuery(c, q);
    const { items, next } = await list(db, query);
    return { asOf: query.asOf, items, next: next ? encodeCursor(next) : null };
  }

  app.openapi(
    listRoute('/grants', 'Zuwendungen', 'Zuwendungen auflisten (seitenweise, nach Förderende)', GrantListQuery, pageOf(GrantListItem)),
    async (c) => c.json(await page(c, c.req.valid('query'), listGrants), 200),
  );
  app.openapi(
    listRoute('/positions', 'Stellen', 'Stellen auflisten (seitenweise, nach Förderende)', PositionListQuery, pageOf(PositionListItem)),
    async (c) => c.json(await page(c, c.req.valid('query'), listPositions), 200),
  );

  return app;
}
