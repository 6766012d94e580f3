// The read views over the projections: GET /staffing, /end-dates, /continuation-risk, /own-funds
// and /finance/grants (mounted under /api/v1). JSON keeps money in integer cents; `Accept:
// text/csv` (or ?format=csv) gives CSV for German Excel, ?format=xlsx an Excel workbook. CSV holds
// one table: for /finance/grants the per-grant summary (with counts and the latest dates of the
// drawdowns and amendments); the XLSX workbook adds a sheet each for drawdowns and amendments.
// Calendar-dependent values are computed for ?asOf= (default: today in Europe/Berlin from the
// injected clock). ?minPosition=N waits (bounded) until the projections reached N: read-your-writes.
// Each view reads several tables; it reads them in one snapshot (see `inSnapshot`), so a batch
// the runner commits meanwhile is seen either entirely or not at all.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  DEFAULT_RISK_THRESHOLDS,
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryOwnFundsTotals,
  queryStaffing,
  type ContinuationRiskItem,
  type DrawdownItem,
  type EndDateItem,
  type GrantFinanceItem,
  type OwnFundsItem,
  type OwnFundsTotalItem,
  type ProjectionRunner,
  type RiskThresholds,
  type StaffingItem,
} from '../../projections/index.js';
import { ags, businessDate, municipalityByAgs, programmeCode } from '../../schemas/index.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, attachment, toCsv, toXlsx, type Sheet } from './export-formats.js';
import { HttpProblem, ValidationProblem, zodFieldErrors } from './problem.js';

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
  allowedMunicipalities?: (c: Context) => readonly string[] | '*';
}

/** The longest own-funds span in years. */
export const MAX_OWN_FUNDS_YEARS = 30;

const scopeQuery = {
  municipality: ags.optional().openapi({ description: 'AGS der Kommune (8 Ziffern)', example: '16053000' }),
  programme: programmeCode.optional().openapi({ description: 'Förderprogramm' }),
  format: z.enum(['json', 'csv', 'xlsx']).optional().openapi({ description: 'Ausgabeformat; alternativ Accept: text/csv' }),
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
const year = z.coerce.number().int().min(1990).max(2200);
const OwnFundsQuerySchema = z.object({
  ...scopeQuery,
  year: year.optional().openapi({ description: 'Ein Haushaltsjahr' }),
  from: year.optional().openapi({ description: 'Erstes Haushaltsjahr' }),
  to: year.optional().openapi({ description: 'Letztes Haushaltsjahr' }),
});

const Item = {
  staffing: z
    .object({
      municipality: z.string(),
      programme: z.string(),
      role: z.string(),
      positions: z.number().int(),
      plannedFte: z.number(),
      filledFte: z.number(),
      vacantFte: z.number(),
    })
    .openapi('StaffingItem'),
  endDates: z
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
    .openapi('EndDateItem'),
  risk: z
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
    .openapi('ContinuationRiskItem'),
  ownFunds: z
    .object({
      municipality: z.string(),
      programme: z.string(),
      year: z.number().int(),
      ownShareCents: z.number().int(),
      continuationCents: z.number().int(),
      totalCents: z.number().int(),
    })
    .openapi('OwnFundsItem'),
  ownFundsTotal: z
    .object({
      municipality: z.string(),
      year: z.number().int().openapi({ description: 'Haushaltsjahr' }),
      ownShareCents: z.number().int().openapi({ description: 'Eigenanteile aller Zuwendungen der Kommune im Haushaltsjahr, in Cent' }),
      continuationCents: z.number().int().openapi({ description: 'Kosten weitergeführter Stellen aus Eigenmitteln im Haushaltsjahr, in Cent' }),
      totalCents: z.number().int().openapi({ description: 'Eigenmittel insgesamt über alle Programme, in Cent' }),
    })
    .openapi('OwnFundsTotalItem'),
  finance: z
    .object({
      grantId: z.string(),
      municipality: z.string(),
      programme: z.string(),
      reference: z.string(),
      awardedOn: z.string(),
      periodStart: z.string(),
      periodEnd: z.string(),
      originalPeriodEnd: z.string(),
      financingType: z.string(),
      fundingRatePercent: z.number(),
      ownShareCents: z.number().int().openapi({ description: 'Eigenanteil laut dem jüngsten Bescheid, der ihn festlegt, in Cent' }),
      originalOwnShareCents: z.number().int().openapi({ description: 'Eigenanteil laut Zuwendungsbescheid, in Cent' }),
      awardedCents: z.number().int(),
      originalAmountCents: z.number().int(),
      drawnCents: z.number().int(),
      remainingCents: z.number().int(),
      heldBeyondWindowCents: z.number().int().openapi({
        description: 'Nicht durch Verwendungsnachweise belegter Teil der Mittelabrufe, deren Verwendungsfrist am Stichtag abgelaufen ist, in Cent',
      }),
      spendWithin: z
        .union([z.object({ days: z.number().int() }), z.object({ months: z.number().int() })])
        .openapi({ description: 'Verwendungsfrist: { days } in Tagen oder { months } in Kalendermonaten (zum Monatsende gekappt)' }),
      spendWithinDays: z.number().int().nullable().openapi({ description: 'Verwendungsfrist in Tagen; null, wenn sie in Monaten angegeben ist' }),
      drawdowns: z.array(
        z.object({
          drawnOn: z.string(),
          amountCents: z.number().int(),
          spendBy: z.string().openapi({ description: 'Letzter Tag der Verwendungsfrist' }),
          unspentCents: z.number().int().openapi({
            description: 'Teil des Abrufs, den kein Verwendungsnachweis bis zum Stichtag belegt (gemeldete Ausgaben decken die ältesten Abrufe zuerst)',
          }),
          beyondWindow: z.boolean(),
        }),
      ),
      amendments: z
        .array(
          z.object({
            amendedOn: z.string(),
            periodEnd: z.string().nullable(),
            amountCents: z.number().int().nullable(),
            ownShareCents: z.number().int().nullable().openapi({ description: 'Neuer Eigenanteil in Cent (null = unverändert)' }),
            reason: z.string(),
          }),
        )
        .openapi({ description: 'Änderungsbescheide in der Reihenfolge ihres Datums (amendedOn); der jüngste gilt' }),
      proofs: z.array(
        z.object({
          submittedOn: z.string(),
          kind: z.enum(['interim', 'final']),
          spentCents: z.number().int().nullable().openapi({ description: 'Im Nachweis gemeldete Ausgaben in Cent' }),
        }),
      ),
      interimProofsDueOn: z.array(z.string()),
      finalProofDueOn: z.string(),
      nextProofDueOn: z.string().nullable(),
      proofOfUseStatus: z.enum([
        'offen',
        'zwischennachweis-eingereicht',
        'zwischennachweis-überfällig',
        'verwendungsnachweis-eingereicht',
        'verwendungsnachweis-überfällig',
      ]),
      closedOn: z.string().nullable(),
    })
    .openapi('GrantFinanceItem'),
};

const spreadsheetContent = {
  'text/csv': { schema: z.string().openapi({ description: 'CSV für deutsches Excel (Semikolon, UTF-8 mit BOM)' }) },
  [XLSX_CONTENT_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
};
const problemContent = { 'application/problem+json': { schema: z.object({}).passthrough() } };

function viewRoute<Q extends z.ZodObject<any>, S extends z.ZodType>(path: string, summary: string, query: Q, body: S) {
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

const asOfBody = <T extends z.ZodType>(item: T) => z.object({ asOf: z.string(), items: z.array(item) });

const RISK_WORDS: Record<ContinuationRiskItem['risk'], string> = {
  ended: 'beendet',
  high: 'hoch',
  medium: 'mittel',
  low: 'niedrig',
  none: 'keins',
};
const DECISION_WORDS: Record<string, string> = {
  'own-funds': 'Eigenmittel',
  'follow-up-funding': 'Anschlussförderung',
  partial: 'teilweise',
  discontinue: 'keine Weiterführung',
};
const PROOF_WORDS: Record<GrantFinanceItem['proofOfUseStatus'], string> = {
  offen: 'offen',
  'zwischennachweis-eingereicht': 'Zwischennachweis eingereicht',
  'zwischennachweis-überfällig': 'Zwischennachweis überfällig',
  'verwendungsnachweis-eingereicht': 'Verwendungsnachweis eingereicht',
  'verwendungsnachweis-überfällig': 'Verwendungsnachweis überfällig',
};
const name = (agsCode: string) => municipalityByAgs(agsCode)?.name ?? agsCode;

export const staffingSheet = (rows: StaffingItem[]): Sheet<StaffingItem> => ({
  name: 'Stellenbesetzung',
  rows,
  columns: [
    { header: 'AGS', kind: 'text', value: (r) => r.municipality },
    { header: 'Kommune', kind: 'text', value: (r) => name(r.municipality), width: 24 },
    { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 },
    { header: 'Funktion', kind: 'text', value: (r) => r.role, width: 24 },
    { header: 'Stellen', kind: 'integer', value: (r) => r.positions },
    { header: 'VZÄ geplant', kind: 'decimal', value: (r) => r.plannedFte },
    { header: 'VZÄ besetzt', kind: 'decimal', value: (r) => r.filledFte },
    { header: 'VZÄ offen', kind: 'decimal', value: (r) => r.vacantFte },
  ],
});

/** The columns that name a position: its id, municipality, programme and title. */
function positionColumns<T extends { positionId: string; municipality: string; programme: string; title: string }>(): Sheet<T>['columns'] {
  return [
    { header: 'Stellen-ID', kind: 'text', value: (r) => r.positionId, width: 38 },
    { header: 'AGS', kind: 'text', value: (r) => r.municipality },
    { header: 'Kommune', kind: 'text', value: (r) => name(r.municipality), width: 24 },
    { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 },
    { header: 'Bezeichnung', kind: 'text', value: (r) => r.title, width: 30 },
  ];
}

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

export const ownFundsSheet = (rows: OwnFundsItem[]): Sheet<OwnFundsItem> => ({
  name: 'Eigenmittel',
  rows,
  columns: [
    { header: 'AGS', kind: 'text', value: (r) => r.municipality },
    { header: 'Kommune', kind: 'text', value: (r) => name(r.municipality), width: 24 },
    { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 },
    { header: 'Haushaltsjahr', kind: 'integer', value: (r) => r.year },
    { header: 'Eigenanteil (€)', kind: 'euro', value: (r) => r.ownShareCents, width: 16 },
    { header: 'Weiterführung (€)', kind: 'euro', value: (r) => r.continuationCents, width: 18 },
    { header: 'Summe (€)', kind: 'euro', value: (r) => r.totalCents, width: 16 },
  ],
});

const ownFundsTotalsSheet = (rows: OwnFundsTotalItem[]): Sheet<OwnFundsTotalItem> => ({
  name: 'Eigenmittel je Kommune',
  rows,
  columns: [
    { header: 'AGS', kind: 'text', value: (r) => r.municipality },
    { header: 'Kommune', kind: 'text', value: (r) => name(r.municipality), width: 24 },
    { header: 'Haushaltsjahr', kind: 'integer', value: (r) => r.year },
    { header: 'Eigenanteil (€)', kind: 'euro', value: (r) => r.ownShareCents, width: 16 },
    { header: 'Weiterführung (€)', kind: 'euro', value: (r) => r.continuationCents, width: 18 },
    { header: 'Summe (€)', kind: 'euro', value: (r) => r.totalCents, width: 16 },
  ],
});

/** The latest of some business dates (they sort as strings); undefined for none. */
const latest = (dates: string[]): string | undefined => dates.reduce<string | undefined>((max, d) => (max === undefined || d > max ? d : max), undefined);

type DrawdownRow = DrawdownItem & { grant: GrantFinanceItem };
type AmendmentRow = GrantFinanceItem['amendments'][number] & { grant: GrantFinanceItem };

export const financeSheets = (rows: GrantFinanceItem[]): [Sheet<GrantFinanceItem>, Sheet<DrawdownRow>, Sheet<AmendmentRow>] => [
  {
    name: 'Zuwendungen',
    rows,
    columns: [
      { header: 'Zuwendungs-ID', kind: 'text', value: (r) => r.grantId, width: 38 },
      { header: 'AGS', kind: 'text', value: (r) => r.municipality },
      { header: 'Kommune', kind: 'text', value: (r) => name(r.municipality), width: 24 },
      { header: 'Programm', kind: 'text', value: (r) => r.programme, width: 20 },
      { header: 'Förderkennzeichen', kind: 'text', value: (r) => r.reference, width: 18 },
      { header: 'Bewilligungsbeginn', kind: 'date', value: (r) => r.periodStart, width: 14 },
      { header: 'Bewilligungsende', kind: 'date', value: (r) => r.periodEnd, width: 14 },
      { header: 'Bewilligt (€)', kind: 'euro', value: (r) => r.awardedCents, width: 16 },
      { header: 'Abgerufen (€)', kind: 'euro', value: (r) => r.drawnCents, width: 16 },
      { header: 'Verfügbar (€)', kind: 'euro', value: (r) => r.remainingCents, width: 16 },
      { header: 'Über Verwendungsfrist (€)', kind: 'euro', value: (r) => r.heldBeyondWindowCents, width: 22 },
      { header: 'Verwendungsnachweis fällig', kind: 'date', value: (r) => r.finalProofDueOn, width: 14 },
      { header: 'Nächster Nachweis fällig', kind: 'date', value: (r) => r.nextProofDueOn, width: 14 },
      { header: 'Nachweisstatus', kind: 'text', value: (r) => PROOF_WORDS[r.proofOfUseStatus], width: 30 },
      { header: 'Abgeschlossen am', kind: 'date', value: (r) => r.closedOn, width: 14 },
      // CSV has one table, so it carries only this summary sheet: these columns say what the
      // Mittelabrufe and Änderungsbescheide sheets of the XLSX export list in detail.
      { header: 'Mittelabrufe (Anzahl)', kind: 'integer', value: (r) => r.drawdowns.length },
      { header: 'Letzter Mittelabruf am', kind: 'date', value: (r) => latest(r.drawdowns.map((d) => d.drawnOn)), width: 14 },
      { header: 'Änderungsbescheide (Anzahl)', kind: 'integer', value: (r) => r.amendments.length },
      { header: 'Letzter Änderungsbescheid vom', kind: 'date', value: (r) => latest(r.amendments.map((a) => a.amendedOn)), width: 14 },
      { header: 'Ursprünglich bewilligt (€)', kind: 'euro', value: (r) => r.originalAmountCents, width: 16 },
      { header: 'Ursprüngliches Ende', kind: 'date', value: (r) => r.originalPeriodEnd, width: 14 },
    ],
  },
  {
    name: 'Mittelabrufe',
    rows: rows.flatMap((grant) => grant.drawdowns.map((d) => ({ ...d, grant }))),
    columns: [
      { header: 'Förderkennzeichen', kind: 'text', value: (r) => r.grant.reference, width: 18 },
      { header: 'AGS', kind: 'text', value: (r) => r.grant.municipality },
      { header: 'Abgerufen am', kind: 'date', value: (r) => r.drawnOn, width: 14 },
      { header: 'Betrag (€)', kind: 'euro', value: (r) => r.amountCents, width: 16 },
      { header: 'Zu verwenden bis', kind: 'date', value: (r) => r.spendBy, width: 16 },
      { header: 'Nicht belegt (€)', kind: 'euro', value: (r) => r.unspentCents, width: 16 },
      { header: 'Frist überschritten', kind: 'text', value: (r) => r.beyondWindow },
    ],
  },
  {
    name: 'Änderungsbescheide',
    rows: rows.flatMap((grant) => grant.amendments.map((a) => ({ ...a, grant }))),
    columns: [
      { header: 'Förderkennzeichen', kind: 'text', value: (r) => r.grant.reference, width: 18 },
      { header: 'AGS', kind: 'text', value: (r) => r.grant.municipality },
      { header: 'Bescheid vom', kind: 'date', value: (r) => r.amendedOn, width: 14 },
      { header: 'Neues Ende', kind: 'date', value: (r) => r.periodEnd, width: 14 },
      { header: 'Neuer Betrag (€)', kind: 'euro', value: (r) => r.amountCents, width: 16 },
      { header: 'Neuer Eigenanteil (€)', kind: 'euro', value: (r) => r.ownShareCents, width: 16 },
      { header: 'Grund', kind: 'text', value: (r) => r.reason, width: 40 },
    ],
  },
];

type Format = 'json' | 'csv' | 'xlsx';

function wantedFormat(c: Context, format: Format | undefined): Format {
  if (format) return format;
  const accept = c.req.header('accept') ?? '';
  if (/\btext\/csv\b/i.test(accept)) return 'csv';
  if (accept.includes(XLSX_CONTENT_TYPE)) return 'xlsx';
  return 'json';
}

export async function spreadsheet(format: 'csv' | 'xlsx', fileBase: string, sheets: Sheet<any>[]): Promise<Response> {
  if (format === 'csv') {
    return new Response(toCsv(sheets[0]!), {
      status: 200,
      headers: { 'content-type': CSV_CONTENT_TYPE, 'content-disposition': attachment(`${fileBase}.csv`) },
    });
  }
  const bytes = await toXlsx(sheets);
  return new Response(bytes, {
    status: 200,
    headers: { 'content-type': XLSX_CONTENT_TYPE, 'content-disposition': attachment(`${fileBase}.xlsx`) },
  });
}

/**
 * Runs a view's queries in ONE snapshot: a read-only transaction at REPEATABLE READ, whose
 * snapshot PostgreSQL takes at its first statement and keeps for every later one. Under the
 * default READ COMMITTED each statement takes its own snapshot, so a projection batch committed
 * between two of a view's statements (positions, then staffings) would show half a batch. The
 * query functions themselves take any executor (the as-of replay passes its own transaction).
 * On PGlite the transaction holds the single connection, which serialises the statements anyway.
 */
export function inSnapshot<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(run);
}

/** The view routes as a sub-app; mount with `app.route('/api/v1', viewRoutes(deps))`. */
export function viewRoutes(deps: ViewDependencies) {
  const { db, runner, clock, thresholds = DEFAULT_RISK_THRESHOLDS, minPositionTimeoutMs = 5000 } = deps;
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationProblem('Die Anfrage enthält ungültige Felder.', zodFieldErrors(result.error));
    },
  });

  /** Waits for ?minPosition=; 503 with Retry-After when the projections do not get there in time. */
  async function awaitPosition(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined) return;
    // No write has been answered with a position beyond the head: waiting for one would only hold the request.
    const head = await deps.headPosition?.();
    if (head !== undefined && minPosition > head) {
      throw new HttpProblem(
        400,
        'Ungültige Eingabe',
        `minPosition ${minPosition} liegt hinter dem Ende des Protokolls (Position ${head}).`,
        { minPosition, head, errors: [{ path: 'minPosition', message: `höchstens ${head}` }] },
      );
    }
    if (await runner.waitForPosition(minPosition, minPositionTimeoutMs)) return;
    const reached = await runner.position();
    throw new HttpProblem(
      503,
      'Vorübergehend nicht verfügbar',
      `Die Auswertungen haben Position ${minPosition} noch nicht erreicht (aktuell ${reached}). Bitte gleich erneut versuchen.`,
      { minPosition, position: reached },
      { 'retry-after': '1' },
    );
  }

  function scope(c: Context, q: { municipality?: string | undefined; programme?: string | undefined }) {
    const municipalities = deps.allowedMunicipalities?.(c) ?? '*';
    // A filter naming a municipality outside the caller's list is refused, not silently emptied.
    if (q.municipality && municipalities !== '*' && !municipalities.includes(q.municipality)) {
      throw new HttpProblem(403, 'Keine Berechtigung', `Keine Berechtigung für die Kommune ${q.municipality}.`);
    }
    return { municipality: q.municipality, programme: q.programme, municipalities };
  }

  app.openapi(viewRoute('/staffing', 'Stellenbesetzung je Kommune, Programm und Funktion', AsOfQuerySchema, asOfBody(Item.staffing)), async (c) => {
    const q = c.req.valid('query');
    await awaitPosition(q.minPosition);
    const asOf = q.asOf ?? clock.today();
    const where = scope(c, q);
    const items = await inSnapshot(db, (trx) => queryStaffing(trx, { asOf, ...where }));
    const format = wantedFormat(c, q.format);
    if (format !== 'json') return spreadsheet(format, `stellenbesetzung-${asOf}`, [staffingSheet(items)]);
    return c.json({ asOf, items }, 200);
  });

  app.openapi(viewRoute('/end-dates', 'Förderende, Programmende und Vertragsende je Stelle', AsOfQuerySchema, asOfBody(Item.endDates)), async (c) => {
    const q = c.req.valid('query');
    await awaitPosition(q.minPosition);
    const asOf = q.asOf ?? clock.today();
    const where = scope(c, q);
    const items = await inSnapshot(db, (trx) => queryEndDates(trx, { asOf, ...where }));
    const format = wantedFormat(c, q.format);
    if (format !== 'json') return spreadsheet(format, `foerderenden-${asOf}`, [endDatesSheet(items)]);
    return c.json({ asOf, items }, 200);
  });

  app.openapi(
    viewRoute('/continuation-risk', 'Verstetigungsrisiko je Stelle mit Haushaltsfrist und Begründung', AsOfQuerySchema, asOfBody(Item.risk)),
    async (c) => {
      const q = c.req.valid('query');
      await awaitPosition(q.minPosition);
      const asOf = q.asOf ?? clock.today();
      const where = scope(c, q);
      // Positions, the grants they name and the programme ends are three statements: one snapshot.
      const items = await inSnapshot(db, (trx) => queryContinuationRisk(trx, { asOf, thresholds, ...where }));
      const format = wantedFormat(c, q.format);
      if (format !== 'json') return spreadsheet(format, `verstetigungsrisiko-${asOf}`, [riskSheet(items)]);
      return c.json({ asOf, items }, 200);
    },
  );

  app.openapi(
    viewRoute(
      '/own-funds',
      'Eigenmittelbedarf je Kommune, Programm und Haushaltsjahr (Kostenklippe)',
      OwnFundsQuerySchema,
      z.object({ years: z.array(z.number().int()), items: z.array(Item.ownFunds) }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const { fromYear, toYear } = ownFundsYears(q, Number(clock.today().slice(0, 4)));
      await awaitPosition(q.minPosition);
      const where = scope(c, q);
      const items = await inSnapshot(db, (trx) => queryOwnFunds(trx, { fromYear, toYear, ...where }));
      const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
      const format = wantedFormat(c, q.format);
      if (format !== 'json') return spreadsheet(format, `eigenmittel-${fromYear}-${toYear}`, [ownFundsSheet(items)]);
      return c.json({ years, items }, 200);
    },
  );

  app.openapi(
    viewRoute(
      '/own-funds/municipalities',
      'Eigenmittelbedarf je Kommune und Haushaltsjahr über alle Programme',
      OwnFundsQuerySchema,
      z.object({ years: z.array(z.number().int()), items: z.array(Item.ownFundsTotal) }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const { fromYear, toYear } = ownFundsYears(q, Number(clock.today().slice(0, 4)));
      await awaitPosition(q.minPosition);
      const where = scope(c, q);
      const items = await inSnapshot(db, (trx) => queryOwnFundsTotals(trx, { fromYear, toYear, ...where }));
      const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
      const format = wantedFormat(c, q.format);
      if (format !== 'json') return spreadsheet(format, `eigenmittel-kommunen-${fromYear}-${toYear}`, [ownFundsTotalsSheet(items)]);
      return c.json({ years, items }, 200);
    },
  );

  app.openapi(
    viewRoute('/finance/grants', 'Zuwendungen: bewilligt, abgerufen, verfügbar, Fristen und Nachweise', AsOfQuerySchema, asOfBody(Item.finance)),
    async (c) => {
      const q = c.req.valid('query');
      await awaitPosition(q.minPosition);
      const asOf = q.asOf ?? clock.today();
      const where = scope(c, q);
      const items = await inSnapshot(db, (trx) => queryGrantFinance(trx, { asOf, ...where }));
      const format = wantedFormat(c, q.format);
      if (format !== 'json') return spreadsheet(format, `zuwendungen-${asOf}`, financeSheets(items));
      return c.json({ asOf, items }, 200);
    },
  );

  return app;
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
