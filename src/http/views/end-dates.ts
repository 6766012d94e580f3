// GET /end-dates: per position the funding end, the programme end and the contract end on ?asOf=.
import { z } from '@hono/zod-openapi';
import { queryEndDates, type EndDateItem } from '../../../projections/index.js';
import type { Sheet } from '../export-formats.js';
import { sameShape } from '../openapi-schemas.js';
import { asOfRoutes, positionColumns, type AsOfView, type ViewContext } from './support.js';

export const EndDateItemSchema = z
  .object({
    positionId: z.string(),
    municipality: z.string(),
    programme: z.string(),
    grantId: z.string(),
    title: z.string(),
    role: z.string(),
    fundingEndsOn: z.string().nullable(),
    programmeEndsOn: z.string().nullable(),
    daysRemaining: z.number().int().nullable(),
    monthsRemaining: z.number().int().nullable(),
    personsInPost: z.number().int(),
    contractEndsOn: z.string().nullable(),
    abolishedOn: z.string().nullable(),
    warnings: z.array(z.string()),
    notes: z.array(z.string()).openapi({
      description: 'Hinweise: Programmende vor dem Ende des Bewilligungszeitraums (das frühere Datum gilt), Anschlussförderung',
    }),
  })
  .openapi('EndDateItem');
sameShape<z.infer<typeof EndDateItemSchema>, EndDateItem>(true);

/** The end-date rows as a sheet. */
export const endDatesSheet = (rows: EndDateItem[]): Sheet<EndDateItem> => ({
  name: 'Förderenden',
  rows,
  columns: [
    ...positionColumns<EndDateItem>(),
    { header: 'Funktion', kind: 'text', value: (r) => r.role, width: 22 },
    { header: 'Förderende', kind: 'date', value: (r) => r.fundingEndsOn, width: 12 },
    { header: 'Programmende', kind: 'date', value: (r) => r.programmeEndsOn, width: 14 },
    { header: 'Tage bis Förderende', kind: 'integer', value: (r) => r.daysRemaining },
    { header: 'Monate bis Förderende', kind: 'integer', value: (r) => r.monthsRemaining },
    { header: 'Personen im Amt', kind: 'integer', value: (r) => r.personsInPost },
    { header: 'Vertragsende', kind: 'date', value: (r) => r.contractEndsOn, width: 12 },
    { header: 'Gestrichen zum', kind: 'date', value: (r) => r.abolishedOn, width: 14 },
    { header: 'Hinweise', kind: 'text', value: (r) => [...r.warnings, ...r.notes].join(' '), width: 40 },
  ],
});

export const endDatesView: AsOfView<typeof EndDateItemSchema> = {
  path: '/end-dates',
  summary: 'Förderende, Programmende und Vertragsende je Stelle',
  item: EndDateItemSchema,
  fileBase: 'foerderenden',
  read: (trx, query) => queryEndDates(trx, query),
  sheets: (rows) => [endDatesSheet(rows)],
};

/** The route of the end-dates view. */
export const endDatesRoutes = (ctx: ViewContext) => asOfRoutes(ctx, endDatesView);
