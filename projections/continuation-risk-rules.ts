// The rules of the continuation-risk view: the budget deadline for a continuation decision
// (§ 57 Abs. 2 ThürKO), "funding ends within n months", and the risk level with its reason in
// German words. Pure functions of the facts the read model stores.
import { addDays, addMonths, daysBetween, germanDate } from './support.js';

/**
 * How many months before the funding end a missing decision turns high, and medium; and from how
 * many months before the budget deadline it is at least medium (default 3).
 */
export interface RiskThresholds {
  highMonths: number;
  mediumMonths: number;
  budgetWarningMonths?: number;
}

/** The defaults: high 6 months, medium 12 months before funding ends, medium 3 months before the budget deadline. */
export const DEFAULT_RISK_THRESHOLDS: Readonly<Required<RiskThresholds>> = Object.freeze({ highMonths: 6, mediumMonths: 12, budgetWarningMonths: 3 });

export type RiskLevel = 'ended' | 'high' | 'medium' | 'low' | 'none';

/** The continuation decision in force (a revoked decision is no decision). */
export interface DecisionInForce {
  decision: 'own-funds' | 'follow-up-funding' | 'partial' | 'discontinue';
  effectiveFrom: string;
  ownFundsSharePercent: number;
  decidedBy: string;
  resolutionRef: string | null;
  decidedOn: string;
  /** Follow-up funding: the follow-up grant or the last day of the follow-up period (null otherwise). */
  followUpGrantId?: string | null;
  followUpEndsOn?: string | null;
}

/**
 * The real deadline for a continuation decision: the Haushaltssatzung for year Y should reach
 * the supervisory authority one month before Y starts (§ 57 Abs. 2 ThürKO), so paying the position
 * from the first unfunded day (fundingEndsOn + 1) in year Y must be decided before 1 December Y−1.
 */
export function budgetDeadline(fundingEndsOn: string): string {
  const firstUnfunded = addDays(fundingEndsOn, 1);
  return `${Number(firstUnfunded.slice(0, 4)) - 1}-12-01`;
}

/**
 * True when funding ends within `months` of `asOf`: fundingEndsOn ≤ asOf + months (luxon, clamped
 * to the month's last day on asOf's side: 31 Aug + 6 months = 28/29 Feb).
 */
export function fundingEndsWithin(fundingEndsOn: string, asOf: string, months: number): boolean {
  return fundingEndsOn <= addMonths(asOf, months);
}

export interface RiskFacts {
  fundingEndsOn: string | null;
  decision: DecisionInForce | null;
  abolishedOn: string | null;
  /** When the last decision was revoked (for the reason), if the position has no decision now. */
  lastRevokedOn?: string | null;
}

const DECISION_WORDS: Record<DecisionInForce['decision'], string> = {
  'own-funds': 'Weiterführung aus Eigenmitteln',
  'follow-up-funding': 'Weiterführung durch Anschlussförderung',
  partial: 'Teilweise Weiterführung',
  discontinue: 'Keine Weiterführung',
};

function decisionWords(d: DecisionInForce): string {
  const by = d.resolutionRef ? ` (Beschluss ${d.resolutionRef} vom ${germanDate(d.decidedOn)})` : ` (entschieden am ${germanDate(d.decidedOn)})`;
  return `${DECISION_WORDS[d.decision]} ab ${germanDate(d.effectiveFrom)}${by}`;
}

/**
 * The risk level of one position on `asOf` (D):
 * ended — abolished (also with an abolition date after D: the end is decided), or "discontinue"
 *   decided;
 * low — own-funds or follow-up funding from at most the day after funding ends;
 * medium — a partial decision, a continuing decision that leaves a gap (named in days), or no
 *   decision while funding ends within mediumMonths of D;
 * high — no decision and (funding ends within highMonths of D, or the budget deadline passed (D
 *   after it; the deadline day itself still counts as in time), or funding already ended while
 *   the position exists);
 * none — no decision needed yet.
 * "Funding ends within n months of D" (issue 4) means fundingEndsOn ≤ D + n months, with luxon
 * clamping on D's side (31 Aug + 6 months = 28/29 Feb). So funding ending 31 Dec turns high on
 * 1 Jul (30 Jun + 6 months = 30 Dec is still before it), funding ending 31 Aug on 1 Mar, and
 * funding ending 29 Feb 2024 on 29 Aug 2023.
 */
export function assessRisk(
  facts: RiskFacts,
  asOf: string,
  thresholds: RiskThresholds = DEFAULT_RISK_THRESHOLDS,
): { risk: RiskLevel; reason: string; budgetDeadline: string | null } {
  const { fundingEndsOn, decision, abolishedOn } = facts;
  const deadline = fundingEndsOn === null ? null : budgetDeadline(fundingEndsOn);
  const result = (risk: RiskLevel, reason: string) => ({ risk, reason, budgetDeadline: deadline });
  if (abolishedOn !== null) {
    const tense = abolishedOn <= asOf ? 'ist' : 'wird';
    return result('ended', `Die Stelle ${tense} zum ${germanDate(abolishedOn)} gestrichen.`);
  }
  if (decision?.decision === 'discontinue') return result('ended', `${decisionWords(decision)} beschlossen.`);
  if (fundingEndsOn === null || deadline === null) return result('none', 'Zur Stelle ist kein Förderende bekannt.');

  const firstUnfunded = addDays(fundingEndsOn, 1);
  if (decision !== null) {
    if (decision.decision === 'partial') {
      return result(
        'medium',
        `${decisionWords(decision)} mit ${String(decision.ownFundsSharePercent).replace('.', ',')} % Eigenmitteln: die Stelle wird nur zum Teil weitergeführt.`,
      );
    }
    if (decision.decision === 'follow-up-funding') {
      // Follow-up funding that names its grant or period moves the funding end (position-funding.ts);
      // one that names neither (recorded before that was required) has no known end.
      return result(
        'medium',
        `${decisionWords(decision)}: weder Anschlusszuwendung noch Laufzeit erfasst, das Ende der Anschlussförderung ist unbekannt.`,
      );
    }
    if (decision.effectiveFrom < firstUnfunded) {
      // DOMAIN.md, business time: while the grant pays, the municipality pays only its own share.
      return result(
        'low',
        `${decisionWords(decision)}; die Förderung läuft bis ${germanDate(fundingEndsOn)}, Kosten aus Eigenmitteln fallen daher erst ab dem ${germanDate(firstUnfunded)} an.`,
      );
    }
    if (decision.effectiveFrom === firstUnfunded) {
      return result('low', `${decisionWords(decision)}; schließt an das Förderende am ${germanDate(fundingEndsOn)} an.`);
    }
    const gap = daysBetween(firstUnfunded, decision.effectiveFrom);
    return result(
      'medium',
      `${decisionWords(decision)}: Lücke von ${gap} ${gap === 1 ? 'Tag' : 'Tagen'} zwischen dem Förderende am ${germanDate(fundingEndsOn)} und dem Beginn der Weiterführung am ${germanDate(decision.effectiveFrom)}.`,
    );
  }

  const revoked = facts.lastRevokedOn ? ` (die letzte Entscheidung wurde am ${germanDate(facts.lastRevokedOn)} aufgehoben)` : '';
  const none = `Keine Entscheidung über die Weiterführung${revoked}`;
  const endsWithin = (months: number) => fundingEndsWithin(fundingEndsOn, asOf, months);
  if (fundingEndsOn < asOf) {
    return result('high', `${none}, obwohl die Förderung am ${germanDate(fundingEndsOn)} endete und die Stelle weiter besteht.`);
  }
  if (asOf > deadline) {
    return result(
      'high',
      `${none}; die Haushaltsfrist am ${germanDate(deadline)} ist verstrichen (§ 57 Abs. 2 ThürKO), die Förderung endet am ${germanDate(fundingEndsOn)}.`,
    );
  }
  if (endsWithin(thresholds.highMonths)) {
    return result(
      'high',
      `${none}; die Förderung endet am ${germanDate(fundingEndsOn)}, in höchstens ${thresholds.highMonths} Monaten. Haushaltsfrist: ${germanDate(deadline)}.`,
    );
  }
  if (endsWithin(thresholds.mediumMonths)) {
    return result(
      'medium',
      `${none}; die Förderung endet am ${germanDate(fundingEndsOn)}, in höchstens ${thresholds.mediumMonths} Monaten. Haushaltsfrist: ${germanDate(deadline)}.`,
    );
  }
  // The budget deadline can come before the medium threshold (funding ending 15.12.2025 has its
  // deadline on 01.12.2024, a year and two weeks earlier): warn a set number of months before it,
  // so the risk never jumps from none to high overnight.
  const warningMonths = thresholds.budgetWarningMonths ?? DEFAULT_RISK_THRESHOLDS.budgetWarningMonths;
  if (deadline <= addMonths(asOf, warningMonths)) {
    const days = daysBetween(asOf, deadline);
    const when = days === 0 ? 'heute' : `in ${days} ${days === 1 ? 'Tag' : 'Tagen'}`;
    return result(
      'medium',
      `${none}; Haushaltsfrist ${when} (${germanDate(deadline)}, § 57 Abs. 2 ThürKO), die Förderung endet am ${germanDate(fundingEndsOn)}.`,
    );
  }
  return result(
    'none',
    `Noch keine Entscheidung nötig: die Förderung endet am ${germanDate(fundingEndsOn)}, Haushaltsfrist ${germanDate(deadline)}.`,
  );
}
