// The rules that tie a grant or a position to its programme and municipality in the registers:
// the programme must be registered, a grant lies within the programme's term, a position has a
// role the programme funds, the figures fit the financing type, and the municipality exists as
// its own Kreis on the day of the notice. Pure functions; the command handler loads the
// programme and passes it in.
import {
  DEFAULT_FINAL_PROOF_DUE_MONTHS,
  DEFAULT_SPEND_WITHIN_DAYS,
  existsOn,
  municipalityByAgs,
  type FinancingType,
  type PositionRole,
} from '../../schemas/index.js';
import { RuleViolationError } from './errors.js';
import { formatDate, formatEuro } from './format.js';
import type { ProgrammeState, RegisteredProgramme } from './programme.decider.js';

/** German words for the roles, used in messages. */
export const ROLE_LABELS: Readonly<Record<PositionRole, string>> = {
  bildungsmanagement: 'Bildungsmanagement',
  bildungsmonitoring: 'Bildungsmonitoring',
  bildungskoordination: 'Bildungskoordination',
  integrationsmanagement: 'Integrationsmanagement',
  other: 'sonstige Funktion',
};

/** The programme, or 'programme-not-registered'. */
export function registeredProgramme(programme: ProgrammeState | null, code: string): RegisteredProgramme {
  if (!programme || !programme.exists)
    throw new RuleViolationError(
      'programme-not-registered',
      `Das Förderprogramm „${code}“ ist nicht im Programmregister erfasst (Regel: Zuwendungen und Stellen nur zu registrierten Programmen).`,
    );
  return programme;
}

/** Refuses a Bewilligungszeitraum that starts before the programme or ends after its latest end. */
export function requireWithinProgrammeTerm(p: RegisteredProgramme, periodStart: string, periodEnd: string): void {
  if (periodStart < p.startsOn || (p.endsOn !== null && periodEnd > p.endsOn)) {
    const term = p.endsOn === null ? `ab ${formatDate(p.startsOn)}` : `${formatDate(p.startsOn)} – ${formatDate(p.endsOn)}`;
    throw new RuleViolationError(
      'grant-outside-programme-term',
      `Der Bewilligungszeitraum ${formatDate(periodStart)} – ${formatDate(periodEnd)} liegt außerhalb der Laufzeit des Programms „${p.name}“ (${term}). Regel: Eine Zuwendung liegt innerhalb der Programmlaufzeit.`,
    );
  }
}

/** Refuses a role the programme does not fund. */
export function requireFundedRole(p: RegisteredProgramme, role: PositionRole): void {
  if (p.fundedRoles !== null && !p.fundedRoles.includes(role)) {
    throw new RuleViolationError(
      'role-not-funded',
      `Das Programm „${p.name}“ fördert keine Stellen für ${ROLE_LABELS[role]}; gefördert werden: ${p.fundedRoles.map((r) => ROLE_LABELS[r]).join(', ')}. Regel: Eine Stelle hat eine vom Programm geförderte Funktion.`,
    );
  }
}

/** Refuses a municipality that is not in the register or no longer (or not yet) its own Kreis on `date`. */
export function requireMunicipalityOn(ags: string, date: string): void {
  const m = municipalityByAgs(ags);
  if (!m)
    throw new RuleViolationError('municipality-unknown', `Der AGS ${ags} gehört zu keinem Landkreis und keiner kreisfreien Stadt im Register.`);
  if (!existsOn(m, date)) {
    const successor = m.mergedInto ? municipalityByAgs(m.mergedInto) : undefined;
    const since = m.validTo !== null && date > m.validTo ? `seit ${formatDate(m.validTo)} nicht mehr` : `am ${formatDate(date)} noch nicht`;
    throw new RuleViolationError(
      'municipality-not-existing',
      `${m.name} (${m.ags}) besteht ${since} als eigene Kommune${successor ? `; sie gehört zu ${successor.name} (${successor.ags})` : ''}. Regel: Zuwendungsempfänger ist ein am Tag des Bescheids bestehender Landkreis oder eine kreisfreie Stadt.`,
    );
  }
}

/** The financing figures of a grant once the programme's defaults are applied. */
export interface ResolvedFinancing {
  financingType: FinancingType;
  fundingRatePercent: number;
  spendWithinDays: number;
  finalProofDueMonths: number;
}

/** Applies the programme's grant defaults (then the general ones) to the fields a notice left out. */
export function resolveFinancing(
  p: RegisteredProgramme,
  given: { financingType?: FinancingType | undefined; fundingRatePercent?: number | undefined; spendWithinDays?: number | undefined; finalProofDueMonths?: number | undefined },
): ResolvedFinancing {
  const financingType = given.financingType ?? p.grantDefaults.financingType;
  const fundingRatePercent = given.fundingRatePercent ?? p.grantDefaults.fundingRatePercent ?? (financingType === 'voll' ? 100 : null);
  if (financingType === null || financingType === undefined)
    throw new RuleViolationError(
      'financing-type-missing',
      `Das Programm „${p.name}“ hat keine Vorgabe zur Finanzierungsart; bitte die Finanzierungsart des Bescheids angeben.`,
    );
  if (fundingRatePercent === null)
    throw new RuleViolationError(
      'funding-rate-missing',
      `Das Programm „${p.name}“ hat keine Vorgabe zur Förderquote; bitte die Förderquote des Bescheids angeben.`,
    );
  return {
    financingType,
    fundingRatePercent,
    spendWithinDays: given.spendWithinDays ?? p.grantDefaults.spendWithinDays ?? DEFAULT_SPEND_WITHIN_DAYS,
    finalProofDueMonths: given.finalProofDueMonths ?? p.grantDefaults.finalProofDueMonths ?? DEFAULT_FINAL_PROOF_DUE_MONTHS,
  };
}

/**
 * Refuses figures that contradict the financing type:
 * - Vollfinanzierung: the funder pays 100 %, so the rate is 100 and the own share 0;
 * - Anteilfinanzierung: the funder pays a fixed percentage of the eligible cost, so the own share
 *   is amount × (100 − rate) / rate — accepted within 1 % (at least 1 €) for rounding in notices;
 * - any type with a rate below 100 % needs an own share that is not negligible (≥ 1 % of that figure).
 */
export function requireConsistentFinancing(f: { financingType: FinancingType; fundingRatePercent: number; amountCents: number; ownShareCents: number }): void {
  const rate = f.fundingRatePercent;
  if (f.financingType === 'voll' && (rate !== 100 || f.ownShareCents !== 0))
    throw new RuleViolationError(
      'financing-contradiction',
      `Bei Vollfinanzierung trägt der Zuwendungsgeber 100 % (Förderquote 100 %, Eigenanteil 0,00 €); angegeben sind ${formatPercent(rate)} und ${formatEuro(f.ownShareCents)}. Regel: Die Zahlen passen zur Finanzierungsart.`,
    );
  if (rate <= 0 || rate >= 100) {
    if (f.financingType === 'anteil' && rate >= 100 && f.ownShareCents !== 0)
      throw new RuleViolationError(
        'financing-contradiction',
        `Bei Anteilfinanzierung mit 100 % Förderquote gibt es keinen Eigenanteil; angegeben sind ${formatEuro(f.ownShareCents)}. Regel: Die Zahlen passen zur Finanzierungsart.`,
      );
    return;
  }
  const expected = Math.round((f.amountCents * (100 - rate)) / rate);
  if (f.financingType === 'anteil') {
    const tolerance = Math.max(100, Math.round(expected / 100));
    if (Math.abs(f.ownShareCents - expected) > tolerance)
      throw new RuleViolationError(
        'financing-contradiction',
        `Bei Anteilfinanzierung mit ${formatPercent(rate)} Förderquote ergibt ${formatEuro(f.amountCents)} Zuwendung einen Eigenanteil von etwa ${formatEuro(expected)} (Zuwendung × ${formatPercent(100 - rate)} / ${formatPercent(rate)}); angegeben sind ${formatEuro(f.ownShareCents)}. Regel: Die Zahlen passen zur Finanzierungsart.`,
      );
    return;
  }
  if (f.ownShareCents < Math.round(expected / 100))
    throw new RuleViolationError(
      'financing-contradiction',
      `Eine Förderquote von ${formatPercent(rate)} setzt einen Eigenanteil voraus (bei ${formatEuro(f.amountCents)} Zuwendung etwa ${formatEuro(expected)}); angegeben sind ${formatEuro(f.ownShareCents)}. Regel: Die Zahlen passen zur Finanzierungsart.`,
    );
}

function formatPercent(x: number): string {
  return `${String(x).replace('.', ',')} %`;
}
