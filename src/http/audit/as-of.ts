// GET /audit/as-of: any view as the system showed it at an earlier instant (?knownAt=), replayed
// from the events recorded until then with the same projection and view code as the live views.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { replayAsOf } from '../../../projections/index.js';
import { businessDate } from '../../../schemas/index.js';
import { PostgresEventStore } from '../../eventstore/index.js';
import { requestedScope } from '../read-consistency.js';
import type { AppEnv } from '../request-context.js';
import { AS_OF_VIEWS, budgetYear, ownFundsYears, readOwnFunds } from '../views/index.js';
import { bounded, problem, type AuditContext } from './support.js';

const VIEWS = ['staffing', 'end-dates', 'continuation-risk', 'own-funds', 'finance'] as const;

/** GET /audit/as-of. */
export function auditAsOfRoutes(ctx: AuditContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

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
      const municipalities = c.get('principal')?.municipalities ?? '*';
      const scope = requestedScope(municipalities, q);
      const asOf = q.asOf ?? berlinDate(knownAt);
      const body = await bounded(ctx, c, `as-of ${JSON.stringify({ ...q, knownAt, asOf })}`, () =>
        replayAsOf<Record<string, unknown>>({
          db: ctx.db,
          store: ctx.store,
          // Streams the events through the replay's own transaction (PGlite has one connection).
          readerFor: (trx) => new PostgresEventStore(trx),
          knownAt,
          dutyPercent: ctx.replayDutyPercent ?? 50,
          // Only the caller's streams and the shared ones: the cost follows the tenant, not the log.
          ...(municipalities === '*' ? {} : { streamScope: { field: 'municipality', values: municipalities } }),
          run: async (trx) => {
            if (q.view === 'own-funds') return readOwnFunds(trx, { ...ownFundsYears(q, Number(asOf.slice(0, 4))), ...scope });
            return { asOf, items: await AS_OF_VIEWS[q.view].read(trx, { asOf, thresholds: ctx.thresholds, ...scope }) };
          },
        }),
      );
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
