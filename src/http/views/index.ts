// The read views over the projections, one file each: GET /staffing, /end-dates,
// /continuation-risk, /own-funds (and /own-funds/municipalities) and /finance/grants, mounted
// under /api/v1. JSON keeps money in integer cents; `Accept: text/csv` (or ?format=csv) gives CSV
// for German Excel, ?format=xlsx an Excel workbook (content-negotiation.ts). Calendar-dependent
// values are computed for ?asOf= (default: today in Europe/Berlin from the injected clock).
// ?minPosition=N waits (bounded) until the projections reached N: read-your-writes. Each view
// reads several tables in one snapshot (read-consistency.ts), so a batch the runner commits
// meanwhile is seen either entirely or not at all.
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import { DEFAULT_RISK_THRESHOLDS } from '../../../projections/index.js';
import { continuationRiskRoutes, continuationRiskView } from './continuation-risk.js';
import { endDatesRoutes, endDatesView } from './end-dates.js';
import { grantFinanceRoutes, grantFinanceView } from './grant-finance.js';
import { ownFundsRoutes } from './own-funds.js';
import { staffingRoutes, staffingView } from './staffing.js';
import type { Executor } from '../../../projections/index.js';
import type { Sheet } from '../export-formats.js';
import type { AsOfView, ViewContext, ViewDependencies, ViewQuery } from './support.js';

export { ContinuationRiskItemSchema, continuationRiskView, riskSheet } from './continuation-risk.js';
export { EndDateItemSchema, endDatesSheet, endDatesView } from './end-dates.js';
export { GrantFinanceItemSchema, financeSheets, grantFinanceView } from './grant-finance.js';
export {
  MAX_OWN_FUNDS_YEARS,
  OwnFundsItemSchema,
  OwnFundsTotalItemSchema,
  budgetYear,
  budgetYears,
  ownFundsSheet,
  ownFundsTotalsSheet,
  ownFundsYears,
  readOwnFunds,
} from './own-funds.js';
export { StaffingItemSchema, staffingSheet, staffingView } from './staffing.js';
export type { AsOfView, ViewDependencies, ViewQuery } from './support.js';
export { inSnapshot } from '../read-consistency.js';
export { spreadsheet } from '../content-negotiation.js';

/** A view as the audit's replay reads it: its rows and the same rows as sheets (downloads, pages). */
export interface ReplayedView {
  read(trx: Executor, query: ViewQuery): Promise<{ items: unknown[]; sheets: Sheet<any>[] }>;
}

const replayed = <S extends z.ZodType>(view: AsOfView<S>): ReplayedView => ({
  async read(trx, query) {
    const items = await view.read(trx, query);
    return { items, sheets: view.sheets(items) };
  },
});

/** The as-of views by the name the audit's replay (?view=) knows them by. */
export const AS_OF_VIEWS = {
  staffing: replayed(staffingView),
  'end-dates': replayed(endDatesView),
  'continuation-risk': replayed(continuationRiskView),
  finance: replayed(grantFinanceView),
} as const;

/** The view routes as a sub-app; mount with `app.route('/api/v1', viewRoutes(deps))`. */
export function viewRoutes(deps: ViewDependencies): OpenAPIHono {
  const ctx: ViewContext = {
    db: deps.db,
    clock: deps.clock,
    thresholds: deps.thresholds ?? DEFAULT_RISK_THRESHOLDS,
    wait: {
      runner: deps.runner,
      timeoutMs: deps.minPositionTimeoutMs ?? 5000,
      headPosition: deps.headPosition,
      subject: 'Die Auswertungen',
    },
    allowedMunicipalities: deps.allowedMunicipalities ?? (() => '*'),
  };
  return new OpenAPIHono()
    .route('/', staffingRoutes(ctx))
    .route('/', endDatesRoutes(ctx))
    .route('/', continuationRiskRoutes(ctx))
    .route('/', ownFundsRoutes(ctx))
    .route('/', grantFinanceRoutes(ctx));
}
