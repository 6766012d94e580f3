// GET /audit/as-of: any view as the system showed it at an earlier instant (?knownAt=), replayed
// from the events recorded until then with the same projection and view code as the live views.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { replayAsOf, type Executor, type Scope } from '../../../projections/index.js';
import { businessDate } from '../../../schemas/index.js';
import { PostgresEventStore, type LogScope } from '../../eventstore/index.js';
import { requestedScope } from '../read-consistency.js';
import type { AppEnv } from '../request-context.js';
import type { Sheet } from '../export-formats.js';
import { AS_OF_VIEWS, budgetYear, ownFundsSheet, ownFundsYears, readOwnFunds } from '../views/index.js';
import { boundedBy, callerScope, problem, type AuditContext } from './support.js';

/** Events per batch of an as-of replay: short enough that requests beside it wait little. */
const REPLAY_BATCH_EVENTS = 100;
/** The replay's share of wall time while other requests are being answered (REPLAY_DUTY_PERCENT). */
export const DEFAULT_REPLAY_DUTY_PERCENT = 10;

const VIEWS = ['staffing', 'end-dates', 'continuation-risk', 'own-funds', 'finance'] as const;
export type AsOfViewName = (typeof VIEWS)[number];

/** One view as known at an instant, for a caller's municipalities (already checked against `municipality`). */
export interface AsOfRequest extends Scope {
  view: AsOfViewName;
  /** ISO instant: only events recorded until then count. */
  knownAt: string;
  /** The business day the view is computed for. */
  asOf: string;
  municipalities: LogScope;
  /** Budget years (own-funds only). */
  fromYear?: number;
  toYear?: number;
}

/** The replayed view: the body the API answers and the same rows as sheets (pages, downloads). */
export interface AsOfAnswer {
  body: Record<string, unknown>;
  sheets: Sheet<any>[];
}

/**
 * The as-of replay the API and the auditor's page share: only the caller's streams and the shared
 * ones are replayed, paced to REPLAY_DUTY_PERCENT while other requests are answered, under the
 * process's bound on expensive reads (429 beyond it) and cached per caller scope while the log's
 * head stays put.
 */
export function asOfReplayer(ctx: AuditContext): (request: AsOfRequest) => Promise<AsOfAnswer> {
  return (request) =>
    boundedBy(ctx, `as-of ${JSON.stringify(request)}`, request.municipalities, () =>
      replayAsOf<AsOfAnswer>({
        db: ctx.db,
        store: ctx.store,
        // Streams the events through the replay's own transaction (PGlite has one connection); a log
        // kept elsewhere (KurrentDB) is read through the store, corrections' streams too.
        ...(ctx.readStream ? { readStream: ctx.readStream } : { readerFor: (trx: Executor) => new PostgresEventStore(trx) }),
        knownAt: request.knownAt,
        dutyPercent: replayDuty(ctx),
        // Small batches: each is one stretch the event loop and the database are busy for.
        batchSize: REPLAY_BATCH_EVENTS,
        // Only the caller's streams and the shared ones: the cost follows the tenant, not the log.
        ...(request.municipalities === '*' ? {} : { streamScope: { field: 'municipality', values: request.municipalities } }),
        run: async (trx) => {
          const scope = { municipality: request.municipality, programme: request.programme, municipalities: request.municipalities };
          if (request.view === 'own-funds') {
            const years = { fromYear: request.fromYear ?? Number(request.asOf.slice(0, 4)), toYear: request.toYear ?? Number(request.asOf.slice(0, 4)) + 4 };
            const body = await readOwnFunds(trx, { ...years, ...scope });
            return { body, sheets: [ownFundsSheet(body.items)] };
          }
          const { items, sheets } = await AS_OF_VIEWS[request.view].read(trx, { asOf: request.asOf, thresholds: ctx.thresholds, ...scope });
          return { body: { asOf: request.asOf, items }, sheets };
        },
      }),
    );
}

/**
 * The replay's share of wall time, asked after every batch: REPLAY_DUTY_PERCENT while any request
 * other than the expensive reads themselves is being answered, full speed when the process has
 * nothing else to do (or always the share, without a request count).
 */
export function replayDuty(ctx: Pick<AuditContext, 'load' | 'expensive' | 'replayDutyPercent'>): () => number {
  const share = ctx.replayDutyPercent ?? DEFAULT_REPLAY_DUTY_PERCENT;
  return () => (!ctx.load || ctx.load.inFlight > ctx.expensive.inside ? share : 100);
}

/** GET /audit/as-of. */
export function auditAsOfRoutes(ctx: AuditContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const replayer = asOfReplayer(ctx);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/as-of',
      tags: ['Prüfung'],
      summary: 'Eine Auswertung, wie das System sie zu einem früheren Zeitpunkt zeigte',
      request: {
        query: z.object({
          knownAt: z.iso
            .datetime({ offset: true })
            .refine((v) => {
              // PostgreSQL timestamps span years 1–9999 (in UTC).
              const year = new Date(v).getUTCFullYear();
              return year >= 1 && year <= 9999;
            }, { error: 'Zeitpunkt außerhalb der Jahre 1–9999' })
            .openapi({ description: 'Zeitpunkt (ISO 8601): nur bis dahin erfasste Ereignisse', example: '2019-08-29T12:00:00Z' }),
          view: z.enum(VIEWS),
          asOf: businessDate.optional().openapi({ description: 'Stichtag (Standard: der Tag von knownAt in Europe/Berlin)' }),
          municipality: z.string().optional(),
          programme: z.string().optional(),
          year: budgetYear.optional(),
          from: budgetYear.optional(),
          to: budgetYear.optional(),
        }),
      },
      responses: {
        200: { description: 'Die Auswertung in der Form der laufenden Ansicht', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
        400: { description: 'Ungültige Abfrage', ...problem },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const knownAt = new Date(q.knownAt).toISOString();
      const asOf = q.asOf ?? berlinDate(knownAt);
      const { body } = await replayer({
        view: q.view,
        knownAt,
        asOf,
        ...requestedScope(callerScope(c), q),
        ...(q.view === 'own-funds' ? ownFundsYears(q, Number(asOf.slice(0, 4))) : {}),
      });
      c.header('X-Known-At', knownAt);
      return c.json(body, 200);
    },
  );

  return app;
}

/** The calendar day of an instant in Europe/Berlin. */
function berlinDate(instant: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}
