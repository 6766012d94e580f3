// Read model "continuation risk": per position, the funding end, the continuation decision in
// force (Verstetigung), the budget deadline for that decision and — computed for `asOf` — the risk
// level and its reason in German words. Only facts are stored; the level changes with the
// calendar, without any event.
import type { AsOfQuery, Executor, Projection, ProjectedEvent } from './types.js';
import { TableBuffer, flushAll } from './batch.js';
import { foldFundingFacts, loadFundingRows } from './funding-fold.js';
import {
  decisionsOf,
  loadFunding,
  positionFunding,
  type DecisionFact,
  type GrantFunding,
} from './position-funding.js';
import {
  DEFAULT_RISK_THRESHOLDS,
  assessRisk,
  type DecisionInForce,
  type RiskLevel,
  type RiskThresholds,
} from './continuation-risk-rules.js';
import { daysBetween, divideRoundHalfUp, germanDate, hundredths, num, streamEntityId, whereScope } from './support.js';

export const CONTINUATION_RISK_TABLES = ['continuation_risk_programmes', 'continuation_risk_grants', 'continuation_risk_positions'] as const;

export interface ContinuationRiskItem {
  positionId: string;
  municipality: string;
  programme: string;
  grantId: string;
  title: string;
  role: string;
  /**
   * The last funded day: the grant's period end in force, capped by the programme's end, moved by
   * follow-up funding known on asOf.
   */
  fundingEndsOn: string | null;
  /** The grant that funds the position at its funding end (a follow-up grant once it took over; null for a follow-up period without a grant). */
  fundingGrantId: string | null;
  /** Days from asOf to fundingEndsOn (0 on the last funded day). */
  daysRemaining: number | null;
  /** 1 December of the year before the first unfunded day (§ 57 Abs. 2 ThürKO). */
  budgetDeadline: string | null;
  /** The decision for the time after fundingEndsOn known on asOf (decided on or before it, not revoked by it). */
  decision: DecisionInForce | null;
  abolishedOn: string | null;
  risk: RiskLevel;
  reason: string;
  /** Notes in German: programme end before the grant's end, follow-up funding, a decision taken after the budget deadline. */
  notes: string[];
  /** The funding rate on asOf (after the funding end: the last one), in percent; null when unknown. */
  fundingRatePercent: number | null;
  /** Own funds per year on asOf: annual cost × FTE × own share (while funded 100 − rate; after: the decision's share, 100 % without one; 0 once abolished or discontinued). */
  ownShareAnnualCents: number;
  /** The full annual cost of the position after funding ends: annual cost × FTE. */
  fullAnnualCostCents: number;
}

/** Applies `events` to the continuation-risk tables, in a few statements. */
export async function applyContinuationRiskBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const programmes = new TableBuffer('continuation_risk_programmes', ['programme'], ['programme', 'ends_on']);
  const grants = new TableBuffer('continuation_risk_grants', ['grant_id'], [
    'grant_id', 'municipality', 'programme', 'period_end', 'period_end_amended_on', 'funding_rate_hundredths',
  ]);
  const positions = new TableBuffer('continuation_risk_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'grant_id', 'title', 'role', 'established_on', 'abolished_on',
    'decision', 'effective_from', 'own_funds_share_hundredths', 'decided_by', 'resolution_ref', 'decided_on', 'last_revoked_on',
    'decisions', 'fte_hundredths', 'annual_cost_cents',
  ]);
  const buffers = { programmes, grants, positions };
  await loadFundingRows(trx, events, buffers);
  for (const event of events) {
    foldFundingFacts(event, buffers);
    const id = streamEntityId(event.streamId);
    switch (event.type) {
      case 'GrantAwarded': {
        const d = event.data;
        grants.insert({
          grant_id: d.grantId,
          municipality: d.municipality,
          programme: d.programme,
          period_end: d.periodEnd,
          period_end_amended_on: null,
          funding_rate_hundredths: hundredths(d.fundingRatePercent),
        });
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
          abolished_on: null,
          decision: null,
          effective_from: null,
          own_funds_share_hundredths: null,
          decided_by: null,
          resolution_ref: null,
          decided_on: null,
          last_revoked_on: null,
          decisions: [],
          fte_hundredths: hundredths(d.fte),
          annual_cost_cents: d.annualCostCents,
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
      default:
        break;
    }
  }
  await flushAll(trx, programmes, grants, positions);
}

export const continuationRiskProjection: Projection = {
  name: 'continuation-risk',
  tables: CONTINUATION_RISK_TABLES,
  applyBatch: applyContinuationRiskBatch,
};

/** Annual cost × FTE (hundredths) × share (hundredths of a percent), in whole cents rounded half up. */
function annualShare(annualCostCents: number, fteHundredths: number, shareHundredths: number): number {
  return divideRoundHalfUp(BigInt(annualCostCents) * BigInt(fteHundredths) * BigInt(shareHundredths), 1_000_000n);
}

/** The decision as the view shows it (without the stored revocation date). */
function inForce(d: DecisionFact): DecisionInForce {
  // Field by field, not a spread of the stored fact: jsonb returns keys in its own order, and the
  // view's JSON keeps this one.
  return {
    decision: d.decision,
    effectiveFrom: d.effectiveFrom,
    ownFundsSharePercent: d.ownFundsSharePercent,
    decidedBy: d.decidedBy,
    resolutionRef: d.resolutionRef,
    decidedOn: d.decidedOn,
    followUpGrantId: d.followUpGrantId,
    followUpEndsOn: d.followUpEndsOn,
  };
}

/** The continuation-risk view for `asOf`, soonest funding end first. */
export async function queryContinuationRisk(
  db: Executor,
  query: AsOfQuery & { thresholds?: RiskThresholds | undefined },
): Promise<ContinuationRiskItem[]> {
  const { asOf } = query;
  const rows = await whereScope(db.selectFrom('continuation_risk_positions as p').selectAll('p'), query, 'p').execute();
  const known = await loadFunding(db, 'continuation_risk', rows);
  const grants = new Map<string, GrantFunding & { rateHundredths: number }>();
  for (const [id, funding] of known.funding) grants.set(id, { ...funding, rateHundredths: num(known.grants.get(id).funding_rate_hundredths) });
  const thresholds = query.thresholds ?? DEFAULT_RISK_THRESHOLDS;
  const items = rows.map((r: any): ContinuationRiskItem => {
    const base = grants.get(r.grant_id);
    const funding = positionFunding(base, decisionsOf(r.decisions), asOf, (id) => grants.get(id));
    const decision = funding.decision === null ? null : inForce(funding.decision);
    const fundingEndsOn = funding.fundingEndsOn;
    const assessed = assessRisk({ fundingEndsOn, decision, abolishedOn: r.abolished_on, lastRevokedOn: funding.lastRevokedOn }, asOf, thresholds);
    const notes = [...funding.notes];
    // issue 14 item 11: a decision taken after the budget deadline may not reach the budget in time.
    if (decision !== null && assessed.budgetDeadline !== null && decision.decidedOn > assessed.budgetDeadline) {
      notes.push(
        `Die Entscheidung vom ${germanDate(decision.decidedOn)} fiel nach der Haushaltsfrist am ${germanDate(assessed.budgetDeadline)} (§ 57 Abs. 2 ThürKO): die Mittel müssen über einen Nachtragshaushalt oder eine überplanmäßige Ausgabe bereitgestellt werden.`,
      );
    }
    // The funding on asOf (or, after the end, the last one): the base grant until its end, then
    // each follow-up in turn; a follow-up period without a grant is funded at 100 − its own share.
    const fteHundredths = num(r.fte_hundredths);
    const annualCostCents = num(r.annual_cost_cents);
    const day = fundingEndsOn !== null && asOf > fundingEndsOn ? fundingEndsOn : asOf;
    let rateHundredths: number | null = base ? base.rateHundredths : null;
    let through = base?.endsOn ?? null;
    for (const f of funding.followUps) {
      if (through !== null && day <= through) break;
      if (f.followUpGrantId !== null) {
        const g = grants.get(f.followUpGrantId);
        rateHundredths = g ? g.rateHundredths : null;
        through = g ? g.endsOn : through;
      } else {
        rateHundredths = 10_000 - hundredths(f.ownFundsSharePercent);
        through = f.followUpEndsOn;
      }
    }
    let ownShareHundredths: number;
    if ((r.abolished_on !== null && r.abolished_on <= asOf) || (decision?.decision === 'discontinue' && fundingEndsOn !== null && asOf > fundingEndsOn)) {
      ownShareHundredths = 0;
    } else if (fundingEndsOn !== null && asOf <= fundingEndsOn) {
      ownShareHundredths = rateHundredths === null ? 0 : 10_000 - rateHundredths;
    } else {
      // After the funding end the municipality carries the position: the decided share, or all of it.
      ownShareHundredths = decision === null ? 10_000 : hundredths(decision.ownFundsSharePercent);
    }
    return {
      positionId: r.position_id,
      municipality: r.municipality,
      programme: r.programme,
      grantId: r.grant_id,
      title: r.title,
      role: r.role,
      fundingEndsOn,
      fundingGrantId: funding.fundingGrantId,
      daysRemaining: fundingEndsOn === null ? null : daysBetween(asOf, fundingEndsOn),
      budgetDeadline: assessed.budgetDeadline,
      decision,
      abolishedOn: r.abolished_on,
      risk: assessed.risk,
      reason: assessed.reason,
      notes,
      fundingRatePercent: rateHundredths === null ? null : rateHundredths / 100,
      ownShareAnnualCents: annualShare(annualCostCents, fteHundredths, ownShareHundredths),
      fullAnnualCostCents: annualShare(annualCostCents, fteHundredths, 10_000),
    };
  });
  return items.sort(
    (a, b) =>
      (a.fundingEndsOn ?? '9999').localeCompare(b.fundingEndsOn ?? '9999') ||
      a.municipality.localeCompare(b.municipality) ||
      a.positionId.localeCompare(b.positionId),
  );
}
