// Read model "continuation risk": per position, the funding end, the continuation decision in
// force (Verstetigung), the budget deadline for that decision and — computed for `asOf` — the risk
// level and its reason in German words. Only facts are stored; the level changes with the
// calendar, without any event.
import type { AsOfQuery, Executor, Projection, ProjectedEvent } from './types.js';
import { TableBuffer, flushAll, grantAndDecisionKeys } from './batch.js';
import { addDays, addMonths, daysBetween, fromHundredths, germanDate, hundredths, streamEntityId, whereScope } from './support.js';

export const CONTINUATION_RISK_TABLES = ['continuation_risk_grants', 'continuation_risk_positions'] as const;

/** How many months before the funding end a missing decision turns high, and medium. */
export interface RiskThresholds {
  highMonths: number;
  mediumMonths: number;
}

/** The defaults: high 6 months, medium 12 months before funding ends. */
export const DEFAULT_RISK_THRESHOLDS: Readonly<RiskThresholds> = Object.freeze({ highMonths: 6, mediumMonths: 12 });

export type RiskLevel = 'ended' | 'high' | 'medium' | 'low' | 'none';

/** The continuation decision in force (a revoked decision is no decision). */
export interface DecisionInForce {
  decision: 'own-funds' | 'follow-up-funding' | 'partial' | 'discontinue';
  effectiveFrom: string;
  ownFundsSharePercent: number;
  decidedBy: string;
  resolutionRef: string | null;
  decidedOn: string;
}

export interface ContinuationRiskItem {
  positionId: string;
  municipality: string;
  programme: string;
  grantId: string;
  title: string;
  role: string;
  fundingEndsOn: string | null;
  /** Days from asOf to fundingEndsOn (0 on the last funded day). */
  daysRemaining: number | null;
  /** 1 December of the year before the first unfunded day (§ 57 Abs. 2 ThürKO). */
  budgetDeadline: string | null;
  decision: DecisionInForce | null;
  abolishedOn: string | null;
  risk: RiskLevel;
  reason: string;
}

/** Applies one event to the continuation-risk tables. */
export async function applyContinuationRisk(event: ProjectedEvent, trx: Executor): Promise<void> {
  const id = streamEntityId(event.streamId);
  switch (event.type) {
    case 'GrantAwarded': {
      const d = event.data;
      await trx
        .insertInto('continuation_risk_grants')
        .values({ grant_id: d.grantId, municipality: d.municipality, programme: d.programme, period_end: d.periodEnd })
        .execute();
      return;
    }
    case 'GrantAmended':
      if (event.data.periodEnd !== null) {
        await trx.updateTable('continuation_risk_grants').set({ period_end: event.data.periodEnd }).where('grant_id', '=', id).execute();
      }
      return;
    case 'PositionEstablished': {
      const d = event.data;
      await trx
        .insertInto('continuation_risk_positions')
        .values({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grant_id: d.grantId,
          title: d.title,
          role: d.role,
          established_on: d.establishedOn,
        })
        .execute();
      return;
    }
    case 'ContinuationDecided': {
      const d = event.data;
      await trx
        .updateTable('continuation_risk_positions')
        .set({
          decision: d.decision,
          effective_from: d.effectiveFrom,
          own_funds_share_hundredths: hundredths(d.ownFundsSharePercent),
          decided_by: d.decidedBy,
          resolution_ref: d.resolutionRef,
          decided_on: d.decidedOn,
        })
        .where('position_id', '=', id)
        .execute();
      return;
    }
    case 'ContinuationDecisionRevoked':
      // A revoked decision counts as no decision.
      await trx
        .updateTable('continuation_risk_positions')
        .set({
          decision: null,
          effective_from: null,
          own_funds_share_hundredths: null,
          decided_by: null,
          resolution_ref: null,
          decided_on: null,
          last_revoked_on: event.data.revokedOn,
        })
        .where('position_id', '=', id)
        .execute();
      return;
    case 'PositionAbolished':
      await trx
        .updateTable('continuation_risk_positions')
        .set({ abolished_on: event.data.abolishedOn })
        .where('position_id', '=', id)
        .execute();
      return;
    default:
      return;
  }
}

/** Applies `events` to the continuation-risk tables with the result of applyContinuationRisk on each, in a few statements. */
export async function applyContinuationRiskBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const grants = new TableBuffer('continuation_risk_grants', ['grant_id'], ['grant_id', 'municipality', 'programme', 'period_end']);
  const positions = new TableBuffer('continuation_risk_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'grant_id', 'title', 'role', 'established_on', 'abolished_on',
    'decision', 'effective_from', 'own_funds_share_hundredths', 'decided_by', 'resolution_ref', 'decided_on', 'last_revoked_on',
  ]);
  const { grantIds, positionIds } = grantAndDecisionKeys(events);
  await grants.load(trx, 'grant_id', grantIds);
  await positions.load(trx, 'position_id', positionIds);
  for (const event of events) {
    const id = streamEntityId(event.streamId);
    switch (event.type) {
      case 'GrantAwarded': {
        const d = event.data;
        grants.insert({ grant_id: d.grantId, municipality: d.municipality, programme: d.programme, period_end: d.periodEnd });
        break;
      }
      case 'GrantAmended': {
        const g = event.data.periodEnd === null ? undefined : grants.get(id);
        if (g) grants.update(g, { period_end: event.data.periodEnd });
        break;
      }
      case 'PositionEstablished': {
        const d = event.data;
        positions.insert({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grant_id: d.grantId,
          title: d.title,
          role: d.role,
          established_on: d.establishedOn,
        });
        break;
      }
      case 'ContinuationDecided': {
        const p = positions.get(id);
        if (!p) break;
        const d = event.data;
        positions.update(p, {
          decision: d.decision,
          effective_from: d.effectiveFrom,
          own_funds_share_hundredths: hundredths(d.ownFundsSharePercent),
          decided_by: d.decidedBy,
          resolution_ref: d.resolutionRef,
          decided_on: d.decidedOn,
        });
        break;
      }
      case 'ContinuationDecisionRevoked': {
        const p = positions.get(id);
        if (!p) break;
        positions.update(p, {
          decision: null,
          effective_from: null,
          own_funds_share_hundredths: null,
          decided_by: null,
          resolution_ref: null,
          decided_on: null,
          last_revoked_on: event.data.revokedOn,
        });
        break;
      }
      case 'PositionAbolished': {
        const p = positions.get(id);
        if (p) positions.update(p, { abolished_on: event.data.abolishedOn });
        break;
      }
      default:
        break;
    }
  }
  await flushAll(trx, grants, positions);
}

export const continuationRiskProjection: Projection = {
  name: 'continuation-risk',
  tables: CONTINUATION_RISK_TABLES,
  apply: applyContinuationRisk,
  applyBatch: applyContinuationRiskBatch,
};

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
    if (decision.effectiveFrom <= firstUnfunded) {
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
  return result(
    'none',
    `Noch keine Entscheidung nötig: die Förderung endet am ${germanDate(fundingEndsOn)}, Haushaltsfrist ${germanDate(deadline)}.`,
  );
}

/** The continuation-risk view for `asOf`, soonest funding end first. */
export async function queryContinuationRisk(
  db: Executor,
  query: AsOfQuery & { thresholds?: RiskThresholds | undefined },
): Promise<ContinuationRiskItem[]> {
  const { asOf } = query;
  const rows = await whereScope(
    db
      .selectFrom('continuation_risk_positions as p')
      .leftJoin('continuation_risk_grants as g', 'g.grant_id', 'p.grant_id')
      .selectAll('p')
      .select('g.period_end'),
    query,
    'p',
  ).execute();
  const items = rows.map((r: any): ContinuationRiskItem => {
    const decision: DecisionInForce | null =
      r.decision === null
        ? null
        : {
            decision: r.decision,
            effectiveFrom: r.effective_from,
            ownFundsSharePercent: fromHundredths(r.own_funds_share_hundredths),
            decidedBy: r.decided_by,
            resolutionRef: r.resolution_ref,
            decidedOn: r.decided_on,
          };
    const fundingEndsOn: string | null = r.period_end ?? null;
    const assessed = assessRisk(
      { fundingEndsOn, decision, abolishedOn: r.abolished_on, lastRevokedOn: r.last_revoked_on },
      asOf,
      query.thresholds ?? DEFAULT_RISK_THRESHOLDS,
    );
    return {
      positionId: r.position_id,
      municipality: r.municipality,
      programme: r.programme,
      grantId: r.grant_id,
      title: r.title,
      role: r.role,
      fundingEndsOn,
      daysRemaining: fundingEndsOn === null ? null : daysBetween(asOf, fundingEndsOn),
      budgetDeadline: assessed.budgetDeadline,
      decision,
      abolishedOn: r.abolished_on,
      risk: assessed.risk,
      reason: assessed.reason,
    };
  });
  return items.sort(
    (a, b) =>
      (a.fundingEndsOn ?? '9999').localeCompare(b.fundingEndsOn ?? '9999') ||
      a.municipality.localeCompare(b.municipality) ||
      a.positionId.localeCompare(b.positionId),
  );
}
