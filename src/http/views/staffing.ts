// GET /staffing: planned, filled and vacant FTE per municipality, programme and role on ?asOf=.
import { z } from '@hono/zod-openapi';
import { queryStaffing, type StaffingItem } from '../../../projections/index.js';
import type { Sheet } from '../export-formats.js';
import { sameShape } from '../openapi-schemas.js';
import { asOfRoutes, municipalityColumns, type AsOfView, type ViewContext } from './support.js';

export const StaffingItemSchema = z
  .object({
    municipality: z.string(),
    programme: z.string(),
    role: z.string(),
    positions: z.number().int(),
    plannedFte: z.number(),
    filledFte: z.number(),
    vacantFte: z.number(),
  })
  .openapi('StaffingItem');
sameShape<z.infer<typeof StaffingItemSchema>, StaffingItem>(true);

/** The staffing rows as a sheet (CSV, XLSX and the pages' tables). */
export const staffingSheet = (rows: StaffingItem[]): Sheet<StaffingItem> => ({
  name: 'Stellenbesetzung',
  rows,
  columns: [
    ...municipalityColumns<StaffingItem>(),
    { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 },
    { header: 'Funktion', kind: 'text', value: (r) => r.role, width: 24 },
    { header: 'Stellen', kind: 'integer', value: (r) => r.positions },
    { header: 'VZÄ geplant', kind: 'decimal', value: (r) => r.plannedFte },
    { header: 'VZÄ besetzt', kind: 'decimal', value: (r) => r.filledFte },
    { header: 'VZÄ offen', kind: 'decimal', value: (r) => r.vacantFte },
  ],
});

export const staffingView: AsOfView<typeof StaffingItemSchema> = {
  path: '/staffing',
  summary: 'Stellenbesetzung je Kommune, Programm und Funktion',
  item: StaffingItemSchema,
  fileBase: 'stellenbesetzung',
  read: (trx, query) => queryStaffing(trx, query),
  sheets: (rows) => [staffingSheet(rows)],
};

/** The route of the staffing view. */
export const staffingRoutes = (ctx: ViewContext) => asOfRoutes(ctx, staffingView);
