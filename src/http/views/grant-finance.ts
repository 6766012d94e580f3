// GET /finance/grants: per grant awarded, drawn and remaining money, the spending window, the
// proofs of use and their deadlines on ?asOf=. CSV holds the per-grant summary (with counts and the
// latest dates of the drawdowns and amendments); the XLSX workbook adds a sheet each for them.
import { z } from '@hono/zod-openapi';
import { queryGrantFinance, type AmendmentItem, type DrawdownItem, type GrantFinanceItem } from '../../../projections/index.js';
import type { Sheet } from '../export-formats.js';
import { sameShape } from '../openapi-schemas.js';
import { asOfRoutes, municipalityColumns, type AsOfView, type ViewContext } from './support.js';

export const GrantFinanceItemSchema = z
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
  .openapi('GrantFinanceItem');
sameShape<z.infer<typeof GrantFinanceItemSchema>, GrantFinanceItem>(true);

const PROOF_WORDS: Record<GrantFinanceItem['proofOfUseStatus'], string> = {
  offen: 'offen',
  'zwischennachweis-eingereicht': 'Zwischennachweis eingereicht',
  'zwischennachweis-überfällig': 'Zwischennachweis überfällig',
  'verwendungsnachweis-eingereicht': 'Verwendungsnachweis eingereicht',
  'verwendungsnachweis-überfällig': 'Verwendungsnachweis überfällig',
};

/** The latest of some business dates (they sort as strings); undefined for none. */
const latest = (dates: string[]): string | undefined => dates.reduce<string | undefined>((max, d) => (max === undefined || d > max ? d : max), undefined);

type DrawdownRow = DrawdownItem & { grant: GrantFinanceItem };
type AmendmentRow = AmendmentItem & { grant: GrantFinanceItem };

/** The columns that name the grant of a drawdown or an amendment: its reference and AGS. */
function grantColumns<T extends { grant: GrantFinanceItem }>(): Sheet<T>['columns'] {
  return [
    { header: 'Förderkennzeichen', kind: 'text', value: (r) => r.grant.reference, width: 18 },
    { header: 'AGS', kind: 'text', value: (r) => r.grant.municipality },
  ];
}

/** The grants, their drawdowns and their amendments as three sheets (CSV carries the first). */
export const financeSheets = (rows: GrantFinanceItem[]): [Sheet<GrantFinanceItem>, Sheet<DrawdownRow>, Sheet<AmendmentRow>] => [
  {
    name: 'Zuwendungen',
    rows,
    columns: [
      { header: 'Zuwendungs-ID', kind: 'text', value: (r) => r.grantId, width: 38 },
      ...municipalityColumns<GrantFinanceItem>(),
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
      ...grantColumns<DrawdownRow>(),
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
      ...grantColumns<AmendmentRow>(),
      { header: 'Bescheid vom', kind: 'date', value: (r) => r.amendedOn, width: 14 },
      { header: 'Neues Ende', kind: 'date', value: (r) => r.periodEnd, width: 14 },
      { header: 'Neuer Betrag (€)', kind: 'euro', value: (r) => r.amountCents, width: 16 },
      { header: 'Neuer Eigenanteil (€)', kind: 'euro', value: (r) => r.ownShareCents, width: 16 },
      { header: 'Grund', kind: 'text', value: (r) => r.reason, width: 40 },
    ],
  },
];

export const grantFinanceView: AsOfView<typeof GrantFinanceItemSchema> = {
  path: '/finance/grants',
  summary: 'Zuwendungen: bewilligt, abgerufen, verfügbar, Fristen und Nachweise',
  item: GrantFinanceItemSchema,
  fileBase: 'zuwendungen',
  read: (trx, query) => queryGrantFinance(trx, query),
  sheets: (rows) => financeSheets(rows),
};

/** The route of the grant-finance view. */
export const grantFinanceRoutes = (ctx: ViewContext) => asOfRoutes(ctx, grantFinanceView);
