// GET /own-funds and /own-funds/municipalities: the own funds a municipality needs per budget year
// (the cost cliff), per programme or summed over all programmes, for ?year= or ?from=&to=.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  queryOwnFunds,
  queryOwnFundsTotals,
  type Executor,
  type OwnFundsItem,
  type OwnFundsQuery,
  type OwnFundsTotalItem,
} from '../../../projections/index.js';
import { spreadsheet, wantedFormat } from '../content-negotiation.js';
import type { Sheet } from '../export-formats.js';
import { sameShape } from '../openapi-schemas.js';
import { ValidationProblem } from '../problem.js';
import { awaitPosition, inSnapshot } from '../read-consistency.js';
import { municipalityColumns, scopeQuery, viewApp, viewRoute, viewScope, type ViewContext } from './support.js';

/** The longest own-funds span in years. */
export const MAX_OWN_FUNDS_YEARS = 30;

/** A budget year as a query field. */
export const budgetYear = z.coerce.number().int().min(1990).max(2200);

const OwnFundsQuerySchema = z.object({
  ...scopeQuery,
  year: budgetYear.optional().openapi({ description: 'Ein Haushaltsjahr' }),
  from: budgetYear.optional().openapi({ description: 'Erstes Haushaltsjahr' }),
  to: budgetYear.optional().openapi({ description: 'Letztes Haushaltsjahr' }),
});

export const OwnFundsItemSchema = z
  .object({
    municipality: z.string(),
    programme: z.string(),
    year: z.number().int(),
    ownShareCents: z.number().int(),
    continuationCents: z.number().int(),
    totalCents: z.number().int(),
  })
  .openapi('OwnFundsItem');
sameShape<z.infer<typeof OwnFundsItemSchema>, OwnFundsItem>(true);

export const OwnFundsTotalItemSchema = z
  .object({
    municipality: z.string(),
    year: z.number().int().openapi({ description: 'Haushaltsjahr' }),
    ownShareCents: z.number().int().openapi({ description: 'Eigenanteile aller Zuwendungen der Kommune im Haushaltsjahr, in Cent' }),
    continuationCents: z.number().int().openapi({ description: 'Kosten weitergeführter Stellen aus Eigenmitteln im Haushaltsjahr, in Cent' }),
    totalCents: z.number().int().openapi({ description: 'Eigenmittel insgesamt über alle Programme, in Cent' }),
  })
  .openapi('OwnFundsTotalItem');
sameShape<z.infer<typeof OwnFundsTotalItemSchema>, OwnFundsTotalItem>(true);

/** The money columns of both own-funds sheets. */
function moneyColumns<T extends OwnFundsTotalItem>(): Sheet<T>['columns'] {
  return [
    { header: 'Haushaltsjahr', kind: 'integer', value: (r) => r.year },
    { header: 'Eigenanteil (€)', kind: 'euro', value: (r) => r.ownShareCents, width: 16 },
    { header: 'Weiterführung (€)', kind: 'euro', value: (r) => r.continuationCents, width: 18 },
    { header: 'Summe (€)', kind: 'euro', value: (r) => r.totalCents, width: 16 },
  ];
}

/** The own funds per municipality, programme and year as a sheet (also the dashboard's cost cliff). */
export const ownFundsSheet = (rows: OwnFundsItem[]): Sheet<OwnFundsItem> => ({
  name: 'Eigenmittel',
  rows,
  columns: [...municipalityColumns<OwnFundsItem>(), { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 }, ...moneyColumns<OwnFundsItem>()],
});

/** The own funds per municipality and year as a sheet. */
export const ownFundsTotalsSheet = (rows: OwnFundsTotalItem[]): Sheet<OwnFundsTotalItem> => ({
  name: 'Eigenmittel je Kommune',
  rows,
  columns: [...municipalityColumns<OwnFundsTotalItem>(), ...moneyColumns<OwnFundsTotalItem>()],
});

/** The years fromYear … toYear, in order. */
export const budgetYears = (fromYear: number, toYear: number): number[] => Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);

/** The own-funds view's JSON body: the years asked for and the rows (the as-of replay answers the same). */
export async function readOwnFunds(trx: Executor, query: OwnFundsQuery): Promise<{ years: number[]; items: OwnFundsItem[] }> {
  return { years: budgetYears(query.fromYear, query.toYear), items: await queryOwnFunds(trx, query) };
}

/**
 * The budget years of an own-funds request: ?year=Y; or ?from=&to= (a missing `to` is from + 4,
 * a missing `from` is to − 4); by default the current year and the four after it. At most
 * MAX_OWN_FUNDS_YEARS years; throws ValidationProblem otherwise.
 */
export function ownFundsYears(
  q: { year?: number | undefined; from?: number | undefined; to?: number | undefined },
  currentYear: number,
): { fromYear: number; toYear: number } {
  if (q.year !== undefined && (q.from !== undefined || q.to !== undefined)) {
    throw new ValidationProblem('Entweder year oder from/to angeben, nicht beides.', [
      { path: 'year', message: 'Nicht zusammen mit from oder to verwendbar' },
    ]);
  }
  let fromYear: number;
  let toYear: number;
  if (q.year !== undefined) fromYear = toYear = q.year;
  else if (q.from !== undefined || q.to !== undefined) {
    fromYear = q.from ?? q.to! - 4;
    toYear = q.to ?? q.from! + 4;
  } else {
    fromYear = currentYear;
    toYear = currentYear + 4;
  }
  if (toYear < fromYear) {
    throw new ValidationProblem('Das letzte Haushaltsjahr liegt vor dem ersten.', [{ path: 'to', message: 'to muss mindestens from sein' }]);
  }
  if (toYear - fromYear + 1 > MAX_OWN_FUNDS_YEARS) {
    throw new ValidationProblem(`Höchstens ${MAX_OWN_FUNDS_YEARS} Haushaltsjahre auf einmal.`, [
      { path: 'to', message: `Der Zeitraum umfasst mehr als ${MAX_OWN_FUNDS_YEARS} Jahre` },
    ]);
  }
  return { fromYear, toYear };
}

/**
 * The years, scope and format of an own-funds request (after waiting for ?minPosition=), and how
 * to answer rows of it as JSON, CSV or XLSX.
 */
async function ownFundsRequest(ctx: ViewContext, c: Context, q: z.infer<typeof OwnFundsQuerySchema>) {
  const { fromYear, toYear } = ownFundsYears(q, Number(ctx.clock.today().slice(0, 4)));
  await awaitPosition(ctx.wait, q.minPosition);
  const query: OwnFundsQuery = { fromYear, toYear, ...viewScope(ctx, c, q) };
  const format = wantedFormat(c, q.format);
  const download = <T>(fileBase: string, sheet: Sheet<T>) =>
    format === 'json' ? undefined : spreadsheet(format, `${fileBase}-${fromYear}-${toYear}`, [sheet]);
  return { query, years: budgetYears(fromYear, toYear), download };
}

/** The routes of the own-funds views. */
export function ownFundsRoutes(ctx: ViewContext) {
  const app = viewApp();
  app.openapi(
    viewRoute(
      '/own-funds',
      'Eigenmittelbedarf je Kommune, Programm und Haushaltsjahr (Kostenklippe)',
      OwnFundsQuerySchema,
      z.object({ years: z.array(z.number().int()), items: z.array(OwnFundsItemSchema) }),
    ),
    async (c) => {
      const { query, years, download } = await ownFundsRequest(ctx, c, c.req.valid('query'));
      const items = await inSnapshot(ctx.db, (trx) => queryOwnFunds(trx, query));
      return download('eigenmittel', ownFundsSheet(items)) ?? c.json({ years, items }, 200);
    },
  );
  app.openapi(
    viewRoute(
      '/own-funds/municipalities',
      'Eigenmittelbedarf je Kommune und Haushaltsjahr über alle Programme',
      OwnFundsQuerySchema,
      z.object({ years: z.array(z.number().int()), items: z.array(OwnFundsTotalItemSchema) }),
    ),
    async (c) => {
      const { query, years, download } = await ownFundsRequest(ctx, c, c.req.valid('query'));
      const items = await inSnapshot(ctx.db, (trx) => queryOwnFundsTotals(trx, query));
      return download('eigenmittel-kommunen', ownFundsTotalsSheet(items)) ?? c.json({ years, items }, 200);
    },
  );
  return app;
}
