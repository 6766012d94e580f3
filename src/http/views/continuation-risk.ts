// GET /continuation-risk: per position the funding end, the budget deadline, the decision known on
// ?asOf= and the risk in words, with the own funds a year it costs.
import { z } from '@hono/zod-openapi';
import { queryContinuationRisk, type ContinuationRiskItem, type DecisionInForce } from '../../../projections/index.js';
import type { Sheet } from '../export-formats.js';
import { sameShape } from '../openapi-schemas.js';
import { asOfRoutes, positionColumns, type AsOfView, type ViewContext } from './support.js';

export const ContinuationRiskItemSchema = z
  .object({
    positionId: z.string(),
    municipality: z.string(),
    programme: z.string(),
    grantId: z.string(),
    title: z.string(),
    role: z.string(),
    fundingEndsOn: z.string().nullable().openapi({
      description: 'Letzter geförderter Tag: Ende des Bewilligungszeitraums laut dem jüngsten Änderungsbescheid, höchstens bis zum Programmende, verlängert durch eine Anschlussförderung',
    }),
    fundingGrantId: z.string().nullable().openapi({
      description: 'Zuwendung, die die Stelle am Förderende finanziert (nach einer Anschlussförderung die Anschlusszuwendung; null bei einer Anschlussförderung ohne erfasste Zuwendung)',
    }),
    daysRemaining: z.number().int().nullable(),
    budgetDeadline: z.string().nullable(),
    decision: z
      .object({
        decision: z.enum(['own-funds', 'follow-up-funding', 'partial', 'discontinue']),
        effectiveFrom: z.string(),
        ownFundsSharePercent: z.number(),
        decidedBy: z.string(),
        resolutionRef: z.string().nullable(),
        decidedOn: z.string(),
        followUpGrantId: z.string().nullable().optional().openapi({ description: 'Anschlussförderung: die Anschlusszuwendung' }),
        followUpEndsOn: z.string().nullable().optional().openapi({ description: 'Anschlussförderung: letzter Tag ihres Zeitraums' }),
      })
      .nullable()
      .openapi({
        description: 'Die am Stichtag bekannte Entscheidung für die Zeit nach dem Förderende (getroffen bis zum Stichtag, bis dahin nicht aufgehoben)',
      }),
    abolishedOn: z.string().nullable(),
    risk: z.enum(['ended', 'high', 'medium', 'low', 'none']),
    reason: z.string(),
    notes: z.array(z.string()).openapi({
      description: 'Hinweise: Programmende vor dem Bewilligungsende, Anschlussförderung, Entscheidung nach der Haushaltsfrist',
    }),
    fundingRatePercent: z.number().nullable().openapi({
      description: 'Förderquote in Prozent am Stichtag (nach dem Förderende: die zuletzt geltende); null, wenn unbekannt',
    }),
    ownShareAnnualCents: z.number().int().openapi({
      description: 'Eigenmittel je Jahr am Stichtag in Cent: Jahreskosten × VZÄ × Eigenanteil (während der Förderung 100 % − Förderquote, danach der beschlossene Eigenmittelanteil, ohne Beschluss 100 %)',
    }),
    fullAnnualCostCents: z.number().int().openapi({
      description: 'Volle Jahreskosten der Stelle nach dem Förderende in Cent: Jahreskosten × VZÄ',
    }),
  })
  .openapi('ContinuationRiskItem');
sameShape<z.infer<typeof ContinuationRiskItemSchema>, ContinuationRiskItem>(true);

const RISK_WORDS: Record<ContinuationRiskItem['risk'], string> = {
  ended: 'beendet',
  high: 'hoch',
  medium: 'mittel',
  low: 'niedrig',
  none: 'keins',
};
const DECISION_WORDS: Record<DecisionInForce['decision'], string> = {
  'own-funds': 'Eigenmittel',
  'follow-up-funding': 'Anschlussförderung',
  partial: 'teilweise',
  discontinue: 'keine Weiterführung',
};

/** The continuation-risk rows as a sheet (also the dashboard's downloads). */
export const riskSheet = (rows: ContinuationRiskItem[]): Sheet<ContinuationRiskItem> => ({
  name: 'Verstetigungsrisiko',
  rows,
  columns: [
    ...positionColumns<ContinuationRiskItem>(),
    { header: 'Förderende', kind: 'date', value: (r) => r.fundingEndsOn, width: 12 },
    { header: 'Tage bis Förderende', kind: 'integer', value: (r) => r.daysRemaining },
    { header: 'Haushaltsfrist', kind: 'date', value: (r) => r.budgetDeadline, width: 14 },
    { header: 'Entscheidung', kind: 'text', value: (r) => (r.decision ? DECISION_WORDS[r.decision.decision] : 'keine'), width: 20 },
    { header: 'Weiterführung ab', kind: 'date', value: (r) => r.decision?.effectiveFrom, width: 16 },
    { header: 'Eigenmittelanteil %', kind: 'decimal', value: (r) => r.decision?.ownFundsSharePercent },
    { header: 'Beschluss', kind: 'text', value: (r) => r.decision?.resolutionRef },
    { header: 'Risiko', kind: 'text', value: (r) => RISK_WORDS[r.risk] },
    { header: 'Begründung', kind: 'text', value: (r) => r.reason, width: 60 },
    { header: 'Förderquote %', kind: 'decimal', value: (r) => r.fundingRatePercent },
    { header: 'Eigenmittel je Jahr (€)', kind: 'euro', value: (r) => r.ownShareAnnualCents, width: 18 },
    { header: 'Volle Jahreskosten (€)', kind: 'euro', value: (r) => r.fullAnnualCostCents, width: 18 },
    { header: 'Hinweise', kind: 'text', value: (r) => r.notes.join(' '), width: 40 },
  ],
});

export const continuationRiskView: AsOfView<typeof ContinuationRiskItemSchema> = {
  path: '/continuation-risk',
  summary: 'Verstetigungsrisiko je Stelle mit Haushaltsfrist und Begründung',
  item: ContinuationRiskItemSchema,
  fileBase: 'verstetigungsrisiko',
  // Positions, the grants they name and the programme ends are three statements: one snapshot.
  read: (trx, query) => queryContinuationRisk(trx, query),
  sheets: (rows) => [riskSheet(rows)],
};

/** The route of the continuation-risk view. */
export const continuationRiskRoutes = (ctx: ViewContext) => asOfRoutes(ctx, continuationRiskView);
