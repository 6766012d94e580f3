// How long a position is funded and which continuation decision governs it, shared by the read
// models that show a position's funding end, risk and own-funds cost (end dates, continuation
// risk, own funds), so the three never disagree:
// - Funding ends with the grant's period as amended (the notice with the latest amendedOn, see
//   schemas/grant-terms.ts) or with the programme's recorded end, whichever is earlier: a
//   programme end recorded later caps a grant that runs past it (issue 14, item 8).
// - A follow-up funding decision moves the position to the follow-up grant (or the named period):
//   its funding then ends with that grant, and a new decision is needed for the time after it.
// - Business time (DOMAIN.md): a decision counts from its `decidedOn`, a revocation from its
//   `revokedOn`, so a view as of an earlier day sees the position undecided, or still decided.
// - Own-funds cost runs from the later of `effectiveFrom` and the day after funding ends (the
//   grant pays until then), through `revokedOn` (a revocation is not retroactive), the day before
//   a later decision takes effect, or the day before the position is abolished.
import { programmeFacts, type ContinuationDecidedData, type ContinuationDecision } from '../schemas/index.js';
import { addDays, germanDate } from './support.js';
import type { Executor } from './types.js';

/** One continuation decision as the read models store it (jsonb, in the order recorded). */
export interface DecisionFact {
  decision: ContinuationDecision;
  effectiveFrom: string;
  ownFundsSharePercent: number;
  decidedBy: string;
  resolutionRef: string | null;
  decidedOn: string;
  followUpGrantId: string | null;
  followUpEndsOn: string | null;
  /** The revocation's date, null while not revoked. */
  revokedOn: string | null;
}

/**
 * The changes a GrantAmended makes to a read model's grant row (period_end, period_end_amended_on),
 * or null when it changes nothing: the notice with the latest amendedOn governs; one of the same
 * day recorded later wins; an older notice recorded later leaves the newer one in force.
 */
export function amendedPeriodEnd(
  row: Record<string, unknown>,
  d: { amendedOn: string; periodEnd: string | null },
): { period_end: string; period_end_amended_on: string } | null {
  if (d.periodEnd === null) return null;
  const current = row.period_end_amended_on as string | null | undefined;
  if (current !== null && current !== undefined && d.amendedOn < current) return null;
  return { period_end: d.periodEnd, period_end_amended_on: d.amendedOn };
}

/** The stored fact of a ContinuationDecided event. */
export function decisionFact(d: ContinuationDecidedData): DecisionFact {
  return {
    decision: d.decision,
    effectiveFrom: d.effectiveFrom,
    ownFundsSharePercent: d.ownFundsSharePercent,
    decidedBy: d.decidedBy,
    resolutionRef: d.resolutionRef,
    decidedOn: d.decidedOn,
    followUpGrantId: d.followUpGrantId,
    followUpEndsOn: d.followUpEndsOn,
    revokedOn: null,
  };
}

/** The decisions after a revocation: the last one not yet revoked (the decision in force) gets `revokedOn`. */
export function withRevocation(decisions: readonly DecisionFact[], revokedOn: string): DecisionFact[] {
  const list = decisions.map((d) => ({ ...d }));
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i]!.revokedOn === null) {
      list[i]!.revokedOn = revokedOn;
      break;
    }
  }
  return list;
}

/** A jsonb column as node-postgres or PGlite return it (parsed), or its text. */
export function decisionsOf(column: unknown): DecisionFact[] {
  if (column === null || column === undefined) return [];
  return (typeof column === 'string' ? JSON.parse(column) : column) as DecisionFact[];
}

/**
 * The programme's last funded day: the recorded end (ProgrammeRegistered / ProgrammeEndDateSet)
 * when the read model has a row for it, else the seed's default; null while it continues.
 */
export function programmeEndOf(row: { ends_on: string | null } | undefined, programme: string): string | null {
  return row !== undefined ? row.ends_on : (programmeFacts(programme)?.endsOn ?? null);
}

/**
 * A grant's funding end: its period end in force, capped by its programme's end as recorded
 * (ProgrammeRegistered / ProgrammeEndDateSet; the seed's unverified defaults alone cap nothing),
 * with a note when capped.
 */
export function grantFundingEnd(periodEnd: string, programmeEndsOn: string | null): { endsOn: string; note: string | null } {
  if (programmeEndsOn !== null && programmeEndsOn < periodEnd) {
    return {
      endsOn: programmeEndsOn,
      note: `Das Förderprogramm endet am ${germanDate(programmeEndsOn)}, vor dem Ende des Bewilligungszeitraums am ${germanDate(periodEnd)}: die Förderung endet mit dem Programm.`,
    };
  }
  return { endsOn: periodEnd, note: null };
}

/** What a read model knows about a grant a position is (or was) funded by. */
export interface GrantFunding {
  grantId: string;
  /** Funding end (period end in force capped by the programme end). */
  endsOn: string;
  note: string | null;
}

/** The rows a read model keeps on grants and programmes, with each grant's funding, by id. */
export interface FundingRows {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  grants: Map<string, any>;
  programmes: Map<string, { programme: string; ends_on: string | null }>;
  funding: Map<string, GrantFunding>;
}

/**
 * What the read model `model` (`end_dates`, `continuation_risk`, `own_funds`) knows about the
 * grants that fund `positions` — each one's own grant and the follow-up grants its decisions name
 * (of the same municipality, possibly another programme, so not limited by a programme filter) —
 * read from `<model>_grants`, with each grant's funding end capped by its programme's recorded end
 * in `<model>_programmes` (grantFundingEnd).
 */
export async function loadFunding(
  db: Executor,
  model: 'end_dates' | 'continuation_risk' | 'own_funds',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  positions: Iterable<Record<string, any>>,
): Promise<FundingRows> {
  const grantIds = new Set<string>();
  for (const p of positions) {
    grantIds.add(p.grant_id as string);
    for (const d of decisionsOf(p.decisions)) if (d.followUpGrantId !== null) grantIds.add(d.followUpGrantId);
  }
  const grantRows: any[] =
    grantIds.size === 0 ? [] : await db.selectFrom(`${model}_grants`).selectAll().where('grant_id', 'in', [...grantIds]).execute();
  const programmeRows: any[] = await db.selectFrom(`${model}_programmes`).selectAll().execute();
  const programmes = new Map(programmeRows.map((r) => [r.programme as string, r]));
  const funding = new Map<string, GrantFunding>();
  for (const g of grantRows) {
    const end = grantFundingEnd(g.period_end, programmes.get(g.programme)?.ends_on ?? null);
    funding.set(g.grant_id, { grantId: g.grant_id, endsOn: end.endsOn, note: end.note });
  }
  return { grants: new Map(grantRows.map((g) => [g.grant_id as string, g])), programmes, funding };
}

/** A position's funding, looked at on one day (or over everything recorded, `asOf` null). */
export interface PositionFunding {
  /** The last funded day, after follow-up funding; null when unknown. */
  fundingEndsOn: string | null;
  /** The grant paying on the last funded day (null when a follow-up period names no grant). */
  fundingGrantId: string | null;
  /** The decision for the time after fundingEndsOn, or null. */
  decision: DecisionFact | null;
  /** The follow-up funding decisions that moved the funding end, in order. */
  followUps: DecisionFact[];
  /** The last decision revoked as of the day, when none is in force. */
  lastRevokedOn: string | null;
  /** Notes in German (programme end caps the grant, follow-up grant taken over). */
  notes: string[];
}

/** The decisions known on `asOf` (decidedOn ≤ asOf), with a revocation only when revokedOn ≤ asOf; all when asOf is null. */
export function decisionsKnownOn(decisions: readonly DecisionFact[], asOf: string | null): DecisionFact[] {
  if (asOf === null) return [...decisions];
  return decisions
    .filter((d) => d.decidedOn <= asOf)
    .map((d) => (d.revokedOn !== null && d.revokedOn > asOf ? { ...d, revokedOn: null } : d));
}

/** The end of the follow-up funding a decision names, or null when it names none (or the grant is unknown). */
function followUpEnd(d: DecisionFact, grant: (id: string) => GrantFunding | undefined): { endsOn: string; grantId: string | null; note: string | null } | null {
  if (d.followUpGrantId !== null) {
    const g = grant(d.followUpGrantId);
    return g ? { endsOn: g.endsOn, grantId: g.grantId, note: g.note } : null;
  }
  return d.followUpEndsOn !== null ? { endsOn: d.followUpEndsOn, grantId: null, note: null } : null;
}

/**
 * A position's funding end and governing decision on `asOf` (null: everything recorded): the base
 * grant's funding end, moved by each follow-up funding in force that names its end; the decision
 * for after that end is the last other decision in force.
 */
export function positionFunding(
  base: GrantFunding | undefined,
  decisions: readonly DecisionFact[],
  asOf: string | null,
  grant: (id: string) => GrantFunding | undefined,
): PositionFunding {
  const known = decisionsKnownOn(decisions, asOf);
  const result: PositionFunding = {
    fundingEndsOn: base?.endsOn ?? null,
    fundingGrantId: base?.grantId ?? null,
    decision: null,
    followUps: [],
    lastRevokedOn: null,
    notes: base?.note ? [base.note] : [],
  };
  for (const d of known) {
    if (d.revokedOn !== null) {
      result.lastRevokedOn = d.revokedOn;
      continue;
    }
    if (d.decision === 'follow-up-funding') {
      const next = followUpEnd(d, grant);
      if (next !== null) {
        if (result.fundingEndsOn === null || next.endsOn > result.fundingEndsOn) {
          result.notes.push(
            `Anschlussförderung ab ${germanDate(d.effectiveFrom)} bis ${germanDate(next.endsOn)}${d.followUpGrantId !== null ? ' (Anschlusszuwendung)' : ''}.`,
          );
          if (next.note) result.notes.push(next.note);
          result.fundingEndsOn = next.endsOn;
          result.fundingGrantId = next.grantId;
        }
        result.followUps.push(d);
        result.decision = null;
        continue;
      }
    }
    result.decision = d;
  }
  if (result.decision !== null) result.lastRevokedOn = null;
  return result;
}

/** One stretch of own-funds cost of a position: share % of the annual cost from `from` through `to` (null = open). */
export interface CostSpan {
  from: string;
  to: string | null;
  shareHundredths: number;
}

/**
 * The stretches in which a position costs own funds under its decisions (everything recorded):
 * own-funds and partial decisions, and follow-up funding that names only a period (its co-financing
 * share through that period; a named follow-up grant's own share is that grant's). Each runs from
 * the later of effectiveFrom and the day after the funding before it ends, through the earliest of
 * revokedOn, the day before the next decision's effectiveFrom, the follow-up period's end and the
 * day before abolishedOn.
 */
export function costSpans(
  base: GrantFunding | undefined,
  decisions: readonly DecisionFact[],
  abolishedOn: string | null,
  grant: (id: string) => GrantFunding | undefined,
): CostSpan[] {
  const spans: CostSpan[] = [];
  let fundedThrough: string | null = base?.endsOn ?? null;
  const minDate = (...dates: (string | null)[]) =>
    dates.reduce<string | null>((m, d) => (d === null ? m : m === null || d < m ? d : m), null);
  decisions.forEach((d, i) => {
    const next = decisions[i + 1];
    const fu = d.decision === 'follow-up-funding' ? followUpEnd(d, grant) : null;
    const from = fundedThrough !== null && d.effectiveFrom <= fundedThrough ? addDays(fundedThrough, 1) : d.effectiveFrom;
    const to = minDate(
      d.revokedOn,
      next ? addDays(next.effectiveFrom, -1) : null,
      abolishedOn === null ? null : addDays(abolishedOn, -1),
      fu !== null && d.followUpGrantId === null ? fu.endsOn : null,
    );
    const share = Math.round(d.ownFundsSharePercent * 100);
    const costs = d.decision !== 'discontinue' && !(d.decision === 'follow-up-funding' && d.followUpGrantId !== null) && share > 0;
    if (costs && (to === null || from <= to)) spans.push({ from, to, shareHundredths: share });
    // A follow-up that is not revoked funds the position until its end: later decisions cost from after it.
    if (fu !== null && d.revokedOn === null && (fundedThrough === null || fu.endsOn > fundedThrough)) fundedThrough = fu.endsOn;
  });
  return spans;
}
