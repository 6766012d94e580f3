// The state of a budgeted position (Stelle, stream position-<uuid>) and how its events fold into
// it: `initialState` and `evolve` of the position decider (position.decider.ts holds `decide`).
// The state is also the readable snapshot of GET /positions/{id}.
import type { ContinuationDecision, DecidedBy, PositionEvent, PositionRole, ProgrammeCode } from '../../schemas/index.js';
import { leavesWhenVacated, type StaffingPeriod } from './staffing-period.js';

/**
 * One person's time in the position. Days are inclusive: the person is in post from `startsOn`
 * through `endsOn` (null = open-ended) or through `vacatedOn` when vacated earlier (staffing-period.ts).
 */
export interface Staffing extends StaffingPeriod {
  /** The stream version of the PositionStaffed event (what a reversal names). */
  entry: number;
  personRef: string;
  fte: number;
  /** The day the contract was signed, when recorded. */
  contractSignedOn: string | null;
  vacatedReason: string | null;
}

/** A continuation decision and, once revoked, when and why. */
export interface ContinuationRecord {
  /** The stream version of the ContinuationDecided event (what a reversal names). */
  entry: number;
  decision: ContinuationDecision;
  effectiveFrom: string;
  ownFundsSharePercent: number;
  decidedBy: DecidedBy;
  resolutionRef: string | null;
  decidedOn: string;
  /** Follow-up funding: the follow-up grant, or the last day of the follow-up period (else null). */
  followUpGrantId: string | null;
  followUpEndsOn: string | null;
  revokedOn: string | null;
  revokeReason: string | null;
}

/** An established position as GET /positions/{id} shows it. */
export interface EstablishedPosition {
  exists: true;
  positionId: string;
  municipality: string;
  programme: ProgrammeCode;
  grantId: string;
  title: string;
  role: PositionRole;
  fte: number;
  payGrade: string;
  annualCostCents: number;
  establishedOn: string;
  /** Every staffing, in the order recorded. */
  staffings: Staffing[];
  /** The decision in force, or null (none yet, or the last one revoked). */
  continuation: ContinuationRecord | null;
  /** Every decision ever taken, oldest first, revoked ones with revokedOn. */
  decisionHistory: ContinuationRecord[];
  abolishedOn: string | null;
  abolishReason: string | null;
  /** What happens to the contract of a person in post when the position is abolished. */
  contractOutcome: string | null;
  /** Corrections and reversals, oldest first. */
  corrections: { entry: number; kind: 'correction' | 'staffing-reversal' | 'decision-reversal'; changes: Record<string, unknown>; reason: string }[];
  /** Why the position was voided (recorded by mistake); null while it stands. */
  voidReason: string | null;
  status: 'open' | 'abolished' | 'voided';
  /** The stream version the state was folded to (numbers the entries). */
  version: number;
}

/** `{ exists: false }` before PositionEstablished. */
export type PositionState = { exists: false } | EstablishedPosition;
/** The state of a stream without events. */
export function initialState(): PositionState {
  return { exists: false };
}

function requirePosition(state: PositionState, eventType: string): EstablishedPosition {
  if (!state.exists) throw new Error(`${eventType} on a position stream without PositionEstablished`);
  return state;
}

/** Applies one (upcast) event. Throws on an event that cannot follow the state (a corrupt stream). */
export function evolve(state: PositionState, event: PositionEvent): PositionState {
  const next = apply(state, event);
  return next.exists ? { ...next, version: (state.exists ? state.version : 0) + 1 } : next;
}

function apply(state: PositionState, event: PositionEvent): PositionState {
  const entry = (state.exists ? state.version : 0) + 1;
  switch (event.type) {
    case 'PositionEstablished':
      return {
        exists: true,
        ...event.data,
        staffings: [],
        continuation: null,
        decisionHistory: [],
        abolishedOn: null,
        abolishReason: null,
        contractOutcome: null,
        corrections: [],
        voidReason: null,
        status: 'open',
        version: 0,
      };
    case 'PositionStaffed': {
      const p = requirePosition(state, event.type);
      const staffing: Staffing = { entry, ...event.data, vacatedOn: null, vacatedReason: null };
      return { ...p, staffings: [...p.staffings, staffing] };
    }
    case 'PositionVacated': {
      const p = requirePosition(state, event.type);
      const { vacatedOn, reason, personRef } = event.data;
      const staffings = p.staffings.map((s) => (leavesWhenVacated(s, vacatedOn, personRef) ? { ...s, vacatedOn, vacatedReason: reason } : s));
      return { ...p, staffings };
    }
    case 'ContinuationDecided': {
      const p = requirePosition(state, event.type);
      const record: ContinuationRecord = { entry, ...event.data, revokedOn: null, revokeReason: null };
      return { ...p, continuation: record, decisionHistory: [...p.decisionHistory, record] };
    }
    case 'ContinuationDecisionRevoked': {
      const p = requirePosition(state, event.type);
      if (p.continuation === null) throw new Error('ContinuationDecisionRevoked without a decision in force');
      // The decision in force is always the last one in the history; once it is revoked, a
      // follow-up funding decided before it (and not revoked) is in force again.
      const revoked = { ...p.continuation, revokedOn: event.data.revokedOn, revokeReason: event.data.reason };
      const history = [...p.decisionHistory.slice(0, -1), revoked];
      const previous = history.slice(0, -1).findLast((d) => d.revokedOn === null) ?? null;
      return { ...p, continuation: previous, decisionHistory: history };
    }
    case 'PositionAbolished': {
      const p = requirePosition(state, event.type);
      const d = event.data;
      return { ...p, abolishedOn: d.abolishedOn, abolishReason: d.reason, contractOutcome: d.contractOutcome, status: 'abolished' };
    }
    case 'PositionVoided': {
      const p = requirePosition(state, event.type);
      return { ...p, voidReason: event.data.reason, status: 'voided' };
    }
    case 'PositionCorrected': {
      const p = requirePosition(state, event.type);
      return {
        ...p,
        ...event.data.changes,
        corrections: [...p.corrections, { entry, kind: 'correction', changes: { ...event.data.changes }, reason: event.data.reason }],
      };
    }
    case 'StaffingReversed': {
      const p = requirePosition(state, event.type);
      return {
        ...p,
        staffings: p.staffings.filter((s) => s.entry !== event.data.entry),
        corrections: [...p.corrections, { entry, kind: 'staffing-reversal', changes: { entry: event.data.entry }, reason: event.data.reason }],
      };
    }
    case 'ContinuationDecisionReversed': {
      const p = requirePosition(state, event.type);
      const history = p.decisionHistory.filter((d) => d.entry !== event.data.entry);
      return {
        ...p,
        // A follow-up funding decided before a reversed decision (and not revoked) is in force again.
        continuation:
          p.continuation?.entry === event.data.entry ? (history.findLast((d) => d.revokedOn === null) ?? null) : p.continuation,
        decisionHistory: history,
        corrections: [...p.corrections, { entry, kind: 'decision-reversal', changes: { entry: event.data.entry }, reason: event.data.reason }],
      };
    }
  }
}

