// Enumerations and bounded numbers shared by the event and the command schemas, plus the
// cross-field rules both check (the decider checks them again as a second line).
import { z } from 'zod';

/** Finanzierungsart of a grant: Anteil-, Fehlbedarfs-, Festbetrags- or Vollfinanzierung. */
export const financingType = z.enum(['anteil', 'fehlbedarf', 'festbetrag', 'voll'], {
  error: 'Finanzierungsart: anteil, fehlbedarf, festbetrag oder voll',
});
export type FinancingType = z.infer<typeof financingType>;

/** ANBest-P 1.4 / ANBest-GK: federal grants on expenditure basis must spend drawn money within six weeks. */
export const DEFAULT_SPEND_WITHIN_DAYS = 42;
/** ANBest-P 6.1: the final proof of use is due six months after the period ends. */
export const DEFAULT_FINAL_PROOF_DUE_MONTHS = 6;

/** Days within which drawn money must be spent (configurable per grant; 2 months in several Länder). */
export const spendWithinDays = z
  .number({ error: 'Verwendungsfrist in Tagen muss eine Zahl sein' })
  .int({ error: 'Verwendungsfrist muss eine ganze Zahl von Tagen sein' })
  .min(1, { error: 'Verwendungsfrist muss mindestens 1 Tag betragen' })
  .max(366, { error: 'Verwendungsfrist darf höchstens 366 Tage betragen' });

/** Whole months within which drawn money must be spent ("2 Monate" in several Länder). */
export const spendWithinMonths = z
  .number({ error: 'Verwendungsfrist in Monaten muss eine Zahl sein' })
  .int({ error: 'Verwendungsfrist muss eine ganze Zahl von Monaten sein' })
  .min(1, { error: 'Verwendungsfrist muss mindestens 1 Monat betragen' })
  .max(12, { error: 'Verwendungsfrist darf höchstens 12 Monate betragen' });

/**
 * The spending window of a grant: `{ days: n }` (ANBest-P: six weeks = 42 days) or `{ months: n }`
 * (several Länder: "innerhalb von zwei Monaten"). Months are calendar months, clamped to the
 * month's end: 31.01. + 2 months = 31.03., 30.06. → 30.08., 31.12. → 28./29.02.
 */
export const spendWithin = z.union([z.strictObject({ days: spendWithinDays }), z.strictObject({ months: spendWithinMonths })], {
  error: 'Verwendungsfrist: { "days": 1–366 } oder { "months": 1–12 }',
});
export type SpendWithin = z.infer<typeof spendWithin>;

/** The default spending window: six weeks. */
export const DEFAULT_SPEND_WITHIN: SpendWithin = Object.freeze({ days: DEFAULT_SPEND_WITHIN_DAYS }) as SpendWithin;

/** Months after the period end until the final proof of use is due. */
export const finalProofDueMonths = z
  .number({ error: 'Frist für den Verwendungsnachweis muss eine Zahl sein' })
  .int({ error: 'Frist für den Verwendungsnachweis muss eine ganze Zahl von Monaten sein' })
  .min(1, { error: 'Frist für den Verwendungsnachweis muss mindestens 1 Monat betragen' })
  .max(60, { error: 'Frist für den Verwendungsnachweis darf höchstens 60 Monate betragen' });

/** Zwischennachweis (interim) or Verwendungsnachweis (final). */
export const proofKind = z.enum(['interim', 'final'], { error: 'Art des Nachweises: interim oder final' });
export type ProofKind = z.infer<typeof proofKind>;

/** What a funded position is for. */
export const positionRole = z.enum(
  ['bildungsmanagement', 'bildungsmonitoring', 'bildungskoordination', 'integrationsmanagement', 'other'],
  { error: 'Unbekannte Funktion der Stelle' },
);
export type PositionRole = z.infer<typeof positionRole>;

/** How a position goes on after the grant ends (Verstetigung). */
export const continuationDecision = z.enum(['own-funds', 'follow-up-funding', 'partial', 'discontinue'], {
  error: 'Entscheidung: own-funds, follow-up-funding, partial oder discontinue',
});
export type ContinuationDecision = z.infer<typeof continuationDecision>;

/** Who decided: the council (Kreistag/Stadtrat, with a resolution number) or the administration. */
export const decidedBy = z.enum(['council', 'administration'], {
  error: 'Entschieden von: council oder administration',
});
export type DecidedBy = z.infer<typeof decidedBy>;

/**
 * The own-funds share a continuation decision stands for, once its default is applied:
 * own-funds → 100 (the only value allowed); partial → as given (required, 0 < x < 100);
 * follow-up-funding → as given or 0 (0 ≤ x < 100: a follow-up programme may need co-financing,
 * e.g. 40 % beside a 60 % Anteilfinanzierung); discontinue → 0 (the only value allowed).
 * Returns `undefined` only for partial without a share, which is invalid.
 */
export function effectiveOwnFundsShare(
  decision: ContinuationDecision,
  share: number | null | undefined,
): number | undefined {
  if (share !== undefined && share !== null) return share;
  switch (decision) {
    case 'own-funds':
      return 100;
    case 'partial':
      return undefined;
    case 'follow-up-funding':
    case 'discontinue':
      return 0;
  }
}

/** The German message why `share` does not fit `decision`, or `null` when it fits (see `effectiveOwnFundsShare`). */
export function continuationShareProblem(
  decision: ContinuationDecision,
  share: number | null | undefined,
): string | null {
  const value = effectiveOwnFundsShare(decision, share);
  switch (decision) {
    case 'own-funds':
      return value === 100 ? null : 'Bei Weiterführung aus Eigenmitteln beträgt der Eigenmittelanteil 100 %.';
    case 'partial':
      return value !== undefined && value > 0 && value < 100
        ? null
        : 'Bei teilweiser Weiterführung ist ein Eigenmittelanteil über 0 % und unter 100 % anzugeben.';
    case 'follow-up-funding':
      return value !== undefined && value < 100
        ? null
        : 'Bei Anschlussförderung muss der Eigenmittelanteil unter 100 % liegen (sonst: Eigenmittel).';
    case 'discontinue':
      return value === 0 ? null : 'Wird die Stelle nicht weitergeführt, beträgt der Eigenmittelanteil 0 %.';
  }
}

/** The German message when a council decision lacks its resolution number, else `null`. */
export function resolutionRefProblem(by: DecidedBy, resolutionRef: string | null | undefined): string | null {
  return by === 'council' && (resolutionRef === undefined || resolutionRef === null || resolutionRef === '')
    ? 'Ein Kreistags- oder Stadtratsbeschluss braucht eine Beschlussnummer.'
    : null;
}

export const PERIOD_END_BEFORE_START_MESSAGE = 'Das Ende des Bewilligungszeitraums liegt vor seinem Beginn.';
export const STAFFING_END_BEFORE_START_MESSAGE = 'Das Vertragsende liegt vor dem Vertragsbeginn.';
export const PROGRAMME_END_BEFORE_START_MESSAGE = 'Das Programmende liegt vor dem Programmbeginn.';
export const AMENDMENT_EMPTY_MESSAGE =
  'Ein Änderungsbescheid muss das Ende des Bewilligungszeitraums, den Betrag oder den Eigenanteil ändern.';
export const SPEND_WITHIN_TWICE_MESSAGE = 'Entweder spendWithin oder spendWithinDays angeben, nicht beides.';
export const FOLLOW_UP_UNNAMED_MESSAGE =
  'Eine Anschlussförderung muss die Anschlusszuwendung (followUpGrantId) oder das Ende ihres Zeitraums (followUpEndsOn) nennen.';
export const FOLLOW_UP_ONLY_MESSAGE = 'followUpGrantId und followUpEndsOn gibt es nur bei einer Anschlussförderung.';

/** The German message when a decision's follow-up fields do not fit it, else `null` (path, message). */
export function followUpProblem(
  decision: ContinuationDecision,
  followUpGrantId: string | null | undefined,
  followUpEndsOn: string | null | undefined,
): { path: string; message: string } | null {
  const named = (followUpGrantId ?? null) !== null || (followUpEndsOn ?? null) !== null;
  if (decision === 'follow-up-funding' && !named) return { path: 'followUpGrantId', message: FOLLOW_UP_UNNAMED_MESSAGE };
  if (decision !== 'follow-up-funding' && named)
    return { path: (followUpGrantId ?? null) !== null ? 'followUpGrantId' : 'followUpEndsOn', message: FOLLOW_UP_ONLY_MESSAGE };
  return null;
}
