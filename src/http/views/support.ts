// What the view files share: their dependencies, query fields, route shape, the as-of route
// builder (snapshot, scope, ?minPosition=, content negotiation) and the columns naming a place.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AsOfQuery, Executor, ProjectionRunner, RiskThresholds } from '../../../projections/index.js';
import { ags, businessDate, municipalityByAgs, programmeCode } from '../../../schemas/index.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/index.js';
import { formatQuery, spreadsheet, spreadsheetContent, wantedFormat } from '../content-negotiation.js';
import type { Sheet } from '../export-formats.js';
import { ValidationProblem, zodFieldErrors } from '../problem.js';
import { awaitPosition, inSnapshot, requestedScope, type AllowedMunicipalities, type PositionWait } from '../read-consistency.js';

export interface ViewDependencies {
  db: Db;
  runner: Pick<ProjectionRunner, 'waitForPosition' | 'position'>;
  clock: Clock;
  /** Months before the funding end at which a missing decision turns high / medium (default 6 / 12). */
  thresholds?: RiskThresholds;
  /** Longest wait for ?minPosition= before 503 (default 5000 ms). */
  minPositionTimeoutMs?: number;
  /** The log's head position: a ?minPosition= beyond it is answered at once instead of waited for. */
  headPosition?: () => Promise<number>;
  /** The municipalities the request may see ('*' = all); the default sees all (until issue 5's authorisation). */
  allowedMunicipalities?: AllowedMunicipalities;
}

/** The dependencies with their defaults applied, as every view file's routes take them. */
export interface ViewContext {
  db: Db;
  clock: Clock;
  thresholds: RiskThresholds;
  wait: PositionWait;
  allowedMunicipalities: AllowedMunicipalities;
}

/** A query of an as-of view, with the thresholds the continuation risk needs. */
export type ViewQuery = AsOfQuery & { thresholds: RiskThresholds };

/** A sub-app for view routes: an invalid query is one 400 problem listing the fields. */
export function viewApp(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationProblem('Die Anfrage enthält ungültige Felder.', zodFieldErrors(result.error));
    },
  });
}

/** The query fields every view takes: scope, format and ?minPosition=. */
export const scopeQuery = {
  municipality: ags.optional().openapi({ description: 'AGS der Kommune (8 Ziffern)', example: '16053000' }),
  programme: programmeCode.optional().openapi({ description: 'Förderprogramm' }),
  format: formatQuery,
  minPosition: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'Erst antworten, wenn die Lesemodelle diese globale Position erreicht haben' }),
};

const AsOfQuerySchema = z.object({
  ...scopeQuery,
  asOf: businessDate.optional().openapi({ description: 'Stichtag JJJJ-MM-TT (Standard: heute, Europe/Berlin)', example: '2019-08-29' }),
});

const problemContent = { 'application/problem+json': { schema: z.object({}).passthrough() } };

/** The OpenAPI route of a view: GET `path` answering `body` as JSON, CSV or XLSX. */
export function viewRoute<Q extends z.ZodObject<any>, S extends z.ZodType>(path: string, summary: string, query: Q, body: S) {
  return createRoute({
    method: 'get',
    path,
    summary,
    tags: ['Auswertungen'],
    request: { query },
    responses: {
      200: { description: summary, content: { 'application/json': { schema: body }, ...spreadsheetContent } },
      400: { description: 'Ungültige Abfrage', content: problemContent },
      503: { description: 'Lesemodelle haben minPosition nicht rechtzeitig erreicht (Retry-After)', content: problemContent },
    },
  });
}

/** The view's scope for this request (403 for a municipality outside the caller's). */
export const viewScope = (ctx: ViewContext, c: Context, q: { municipality?: string | undefined; programme?: string | undefined }) =>
  requestedScope(ctx.allowedMunicipalities(c), q);

/** One view on a calendar day (?asOf=): how to read its rows and lay them out as sheets. */
export interface AsOfView<S extends z.ZodType> {
  path: string;
  summary: string;
  /** The schema of one row (checked against the projection's row type with `sameShape`). */
  item: S;
  /** The download's name before the date and the extension (`stellenbesetzung` → stellenbesetzung-2026-11-27.csv). */
  fileBase: string;
  read(trx: Executor, query: ViewQuery): Promise<z.infer<S>[]>;
  sheets(rows: z.infer<S>[]): Sheet<any>[];
}

/**
 * The route of an as-of view: waits for ?minPosition=, reads the rows for ?asOf= (default: today)
 * in the caller's scope in one snapshot, and answers `{ asOf, items }`, CSV or XLSX.
 */
export function asOfRoutes<S extends z.ZodType>(ctx: ViewContext, view: AsOfView<S>): OpenAPIHono {
  const app = viewApp();
  const body = z.object({ asOf: z.string(), items: z.array(view.item) });
  app.openapi(viewRoute(view.path, view.summary, AsOfQuerySchema, body), async (c) => {
    const q = c.req.valid('query');
    await awaitPosition(ctx.wait, q.minPosition);
    const asOf = q.asOf ?? ctx.clock.today();
    const where = viewScope(ctx, c, q);
    const items = await inSnapshot(ctx.db, (trx) => view.read(trx, { asOf, thresholds: ctx.thresholds, ...where }));
    const format = wantedFormat(c, q.format);
    if (format !== 'json') return spreadsheet(format, `${view.fileBase}-${asOf}`, view.sheets(items));
    return c.json({ asOf, items }, 200);
  });
  return app;
}

/** A municipality's name for a sheet (the AGS when the register does not know it). */
export const municipalityName = (agsCode: string) => municipalityByAgs(agsCode)?.name ?? agsCode;

/** The columns that name a position: its id, municipality, programme and title. */
export function positionColumns<T extends { positionId: string; municipality: string; programme: string; title: string }>(): Sheet<T>['columns'] {
  return [
    { header: 'Stellen-ID', kind: 'text', value: (r) => r.positionId, width: 38 },
    { header: 'AGS', kind: 'text', value: (r) => r.municipality },
    { header: 'Kommune', kind: 'text', value: (r) => municipalityName(r.municipality), width: 24 },
    { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 },
    { header: 'Bezeichnung', kind: 'text', value: (r) => r.title, width: 30 },
  ];
}

/** The columns that name a place: AGS and the municipality's name. */
export function municipalityColumns<T extends { municipality: string }>(): Sheet<T>['columns'] {
  return [
    { header: 'AGS', kind: 'text', value: (r) => r.municipality },
    { header: 'Kommune', kind: 'text', value: (r) => municipalityName(r.municipality), width: 24 },
  ];
}
