// The state of a grant (Zuwendung, stream grant-<uuid>) and how its events fold into it:
// `initialState` and `evolve` of the grant decider (grant.decider.ts holds `decide`). The state is
// also the readable snapshot of GET /grants/{id}.
import { termsInForce, type FinancingType, type GrantEvent, type ProgrammeCode, type ProofKind, type SpendWithin } from '../../schemas/index.js';

/** One Mittelabruf; `entry` is the stream version of its event (what a reversal names). */
export interface Drawdown {
  entry: number;
  drawnOn: string;
  amountCents: number;
}

/** A correction of the grant notice or a reversal, as recorded. */
export interface GrantCorrection {
  entry: number;
  kind: 'correction' | 'drawdown-reversal';
  changes: Record<string, unknown>;
  reason: string;
}

/** One Änderungsbescheid; null = that part unchanged. `amountCents` and `ownShareCents` are new totals. */
export interface Amendment {
  amendedOn: string;
  periodEnd: string | null;
  amountCents: number | null;
  ownShareCents: number | null;
  reason: string;
}

/** One Zwischen- or Verwendungsnachweis; `spentCents` the spending it reports, if given. */
export interface ProofOfUse {
  submittedOn: string;
  kind: ProofKind;
  spentCents: number | null;
}

/** An awarded grant as GET /grants/{id} shows it; amounts in cents, dates `YYYY-MM-DD`. */
export interface AwardedGrant {
  exists: true;
  grantId: string;
  municipality: string;
  programme: ProgrammeCode;
  reference: string;
  awardedOn: string;
  periodStart: string;
  /** Period end in force (after amendments). */
  periodEnd: string;
  /** Period end of the grant notice. */
  originalPeriodEnd: string;
  /** Awarded amount in force (after amendments). */
  amountCents: number;
  /** Amount of the grant notice. */
  originalAmountCents: number;
  fundingRatePercent: number;
  financingType: FinancingType;
  /** Own share in force (after amendments). */
  ownShareCents: number;
  /** Own share of the grant notice. */
  originalOwnShareCents: number;
  /** The spending window: days or calendar months. */
  spendWithin: SpendWithin;
  /** The spending window in days, or null when it is given in months. */
  spendWithinDays: number | null;
  finalProofDueMonths: number;
  /** From when an early start (vorzeitiger Maßnahmebeginn) was approved, or null. */
  earlyStartApprovedOn: string | null;
  drawnCents: number;
  /** amountCents − drawnCents. */
  remainingCents: number;
  drawdowns: Drawdown[];
  amendments: Amendment[];
  proofs: ProofOfUse[];
  closedOn: string | null;
  /** Corrections of the notice and reversed drawdowns, oldest first. */
  corrections: GrantCorrection[];
  /** Why the grant was voided (recorded by mistake); null while it stands. */
  voidReason: string | null;
  status: 'open' | 'closed' | 'voided';
  /** The stream version the state was folded to (numbers the entries). */
  version: number;
}

/** `{ exists: false }` before GrantAwarded (also what a handler passes when a grant was not found). */
export type GrantState = { exists: false } | AwardedGrant;
/** The state of a stream without events. */
export function initialState(): GrantState {
  return { exists: false };
}

function requireGrant(state: GrantState, eventType: string): AwardedGrant {
  if (!state.exists) throw new Error(`${eventType} on a grant stream without GrantAwarded`);
  return state;
}

/** Applies one (upcast) event. Throws on an event that cannot follow the state (a corrupt stream). */
export function evolve(state: GrantState, event: GrantEvent): GrantState {
  const next = apply(state, event);
  return next.exists ? { ...next, version: (state.exists ? state.version : 0) + 1 } : next;
}

function apply(state: GrantState, event: GrantEvent): GrantState {
  switch (event.type) {
    case 'GrantAwarded': {
      const d = event.data;
      return {
        exists: true,
        ...d,
        spendWithinDays: 'days' in d.spendWithin ? d.spendWithin.days : null,
        originalPeriodEnd: d.periodEnd,
        originalAmountCents: d.amountCents,
        originalOwnShareCents: d.ownShareCents,
        drawnCents: 0,
        remainingCents: d.amountCents,
        drawdowns: [],
        amendments: [],
        proofs: [],
        closedOn: null,
        corrections: [],
        voidReason: null,
        status: 'open',
        version: 0,
      };
    }
    case 'GrantAmended': {
      const g = requireGrant(state, event.type);
      const amendments = [...g.amendments, { ...event.data }];
      // The notice with the latest amendedOn governs, whatever the order recorded.
      const terms = termsInForce(
        { periodEnd: g.originalPeriodEnd, amountCents: g.originalAmountCents, ownShareCents: g.originalOwnShareCents },
        amendments,
      );
      return { ...g, ...terms, remainingCents: terms.amountCents - g.drawnCents, amendments };
    }
    case 'FundsDrawn': {
      const g = requireGrant(state, event.type);
      const drawnCents = g.drawnCents + event.data.amountCents;
      return {
        ...g,
        drawnCents,
        remainingCents: g.amountCents - drawnCents,
        drawdowns: [...g.drawdowns, { entry: g.version + 1, ...event.data }],
      };
    }
    case 'ProofOfUseSubmitted': {
      const g = requireGrant(state, event.type);
      return { ...g, proofs: [...g.proofs, { ...event.data }] };
    }
    case 'GrantClosed': {
      const g = requireGrant(state, event.type);
      return { ...g, closedOn: event.data.closedOn, status: 'closed' };
    }
    case 'GrantVoided': {
      const g = requireGrant(state, event.type);
      return { ...g, voidReason: event.data.reason, status: 'voided' };
    }
    case 'GrantCorrected': {
      const g = requireGrant(state, event.type);
      const c = event.data.changes;
      const {
        periodEnd: _end,
        amountCents: _amount,
        ownShareCents: _own,
        spendWithinDays: days,
        spendWithin: window,
        earlyStartApprovedOn: earlyStart,
        ...plain
      } = c;
      // The corrected notice; the amendments then apply to it as before (the latest amendedOn governs).
      const originalPeriodEnd = c.periodEnd ?? g.originalPeriodEnd;
      const originalAmountCents = c.amountCents ?? g.originalAmountCents;
      const originalOwnShareCents = c.ownShareCents ?? g.originalOwnShareCents;
      const terms = termsInForce({ periodEnd: originalPeriodEnd, amountCents: originalAmountCents, ownShareCents: originalOwnShareCents }, g.amendments);
      const spendWithin = window ?? (days !== undefined ? { days } : g.spendWithin);
      return {
        ...g,
        ...plain,
        originalPeriodEnd,
        originalAmountCents,
        originalOwnShareCents,
        ...terms,
        spendWithin,
        spendWithinDays: 'days' in spendWithin ? spendWithin.days : null,
        earlyStartApprovedOn: earlyStart !== undefined ? earlyStart : g.earlyStartApprovedOn,
        remainingCents: terms.amountCents - g.drawnCents,
        corrections: [...g.corrections, { entry: g.version + 1, kind: 'correction', changes: { ...c }, reason: event.data.reason }],
      };
    }
    case 'DrawdownReversed': {
      const g = requireGrant(state, event.type);
      const reversed = g.drawdowns.find((d) => d.entry === event.data.entry);
      const drawnCents = g.drawnCents - (reversed?.amountCents ?? 0);
      return {
        ...g,
        drawnCents,
        remainingCents: g.amountCents - drawnCents,
        drawdowns: g.drawdowns.filter((d) => d.entry !== event.data.entry),
        corrections: [
          ...g.corrections,
          { entry: g.version + 1, kind: 'drawdown-reversal', changes: { entry: event.data.entry }, reason: event.data.reason },
        ],
      };
    }
  }
}
