// The decider of a budgeted position (Stelle, stream position-<uuid>): establishing it against a
// grant, staffing and vacating it, the continuation decision (Verstetigung) and abolition. Its
// state and `evolve` live in position.state.ts and are re-exported here, so the decider is one
// module (initialState, evolve, decide).
import {
  continuationShareProblem,
  effectiveOwnFundsShare,
  followUpProblem,
  resolutionRefProblem,
  STAFFING_END_BEFORE_START_MESSAGE,
  versioned,
  type AbolishPositionBody,
  type CorrectPositionBody,
  type DecideContinuationBody,
  type EstablishPositionBody,
  type PositionEvent,
  type RevokeContinuationDecisionBody,
  type StaffPositionBody,
  type VacatePositionBody,
  type VersionedEvent,
} from '../../schemas/index.js';
import { RuleViolationError } from './errors.js';
import { formatDate, formatFte } from './format.js';
import type { GrantState } from './grant.decider.js';
import type { ProgrammeState } from './programme.decider.js';
import { registeredProgramme, requireFundedRole } from './programme-rules.js';
import type { EstablishedPosition, PositionState } from './position.state.js';
import { inPostOn, lastDayInPost, leavesWhenVacated } from './staffing-period.js';

export { evolve, initialState } from './position.state.js';
export type { ContinuationRecord, EstablishedPosition, PositionState, Staffing } from './position.state.js';

/**
 * EstablishPosition carries the id the handler generated and the state of the grant named by
 * `data.grantId`, folded by the handler (null or `{ exists: false }` when it was not found).
 */
export type PositionCommand =
  | {
      type: 'EstablishPosition';
      data: EstablishPositionBody & { positionId: string };
      grant: GrantState | null;
      programme: ProgrammeState | null;
    }
  | { type: 'VoidPosition'; data: { reason: string } }
  | { type: 'CorrectPosition'; data: CorrectPositionBody; programme: ProgrammeState | null }
  | { type: 'ReverseStaffing'; data: { entry: number; reason: string } }
  | { type: 'ReverseContinuationDecision'; data: { entry: number; reason: string } }
  | { type: 'StaffPosition'; data: StaffPositionBody }
  | { type: 'VacatePosition'; data: VacatePositionBody }
  | {
      type: 'DecideContinuation';
      data: DecideContinuationBody;
      /** The state of the grant named by `data.followUpGrantId`, folded by the handler (null when not found). */
      followUpGrant?: GrantState | null;
    }
  | { type: 'RevokeContinuationDecision'; data: RevokeContinuationDecisionBody }
  | { type: 'AbolishPosition'; data: AbolishPositionBody };

/** FTE as whole hundredths, so sums of 0.33 + 0.67 compare exactly. */
const hundredths = (fte: number): number => Math.round(fte * 100);

/**
 * The highest FTE already staffed on any day of [startsOn, endsOn] (endsOn null = open-ended).
 * The load only rises on a staffing's first day, so the busiest day is startsOn or the first day
 * of a staffing that begins inside the range. This is the brief's "sum of overlapping staffings"
 * taken per day: two sequential half-time staffings do not add up against a third one that
 * overlaps both.
 */
function peakStaffedHundredths(p: EstablishedPosition, startsOn: string, endsOn: string | null): number {
  const candidates = [startsOn, ...p.staffings.map((s) => s.startsOn).filter((d) => d > startsOn && (endsOn === null || d <= endsOn))];
  let peak = 0;
  for (const day of candidates) {
    const load = p.staffings.filter((s) => inPostOn(s, day)).reduce((sum, s) => sum + hundredths(s.fte), 0);
    peak = Math.max(peak, load);
  }
  return peak;
}

/** The position, or 'position-not-found'; a voided position takes nothing ('position-voided'). */
function existingPosition(state: PositionState): EstablishedPosition {
  if (!state.exists) throw new RuleViolationError('position-not-found', 'Diese Stelle ist nicht eingerichtet.');
  if (state.status === 'voided')
    throw new RuleViolationError('position-voided', `Die Stelle „${state.title}“ wurde storniert (${state.voidReason}); sie nimmt keine Buchungen mehr an.`);
  return state;
}

/** The position, or 'position-not-found'; an abolished position takes nothing ('position-abolished'). */
function openPosition(state: PositionState): EstablishedPosition {
  existingPosition(state);
  if (!state.exists) throw new RuleViolationError('position-not-found', 'Diese Stelle ist nicht eingerichtet.');
  if (state.status === 'abolished')
    throw new RuleViolationError(
      'position-abolished',
      `Die Stelle „${state.title}“ ist seit ${formatDate(state.abolishedOn ?? '')} gestrichen; sie kann nicht mehr geändert werden.`,
    );
  return state;
}

/** The events a command leads to, or a RuleViolationError. */
export function decide(command: PositionCommand, state: PositionState): VersionedEvent<PositionEvent['type']>[] {
  switch (command.type) {
    case 'EstablishPosition': {
      const d = command.data;
      if (state.exists)
        throw new RuleViolationError('position-already-exists', `Die Stelle „${state.title}“ ist bereits eingerichtet.`);
      const grant = command.grant;
      if (grant === null || !grant.exists || grant.status === 'voided')
        throw new RuleViolationError(
          'grant-not-found',
          'Die angegebene Zuwendung ist nicht erfasst; eine Stelle kann nur zu einer bewilligten Zuwendung eingerichtet werden.',
        );
      if (grant.grantId !== d.grantId)
        throw new Error(`EstablishPosition for grant ${d.grantId} was given the state of grant ${grant.grantId}`);
      if (grant.municipality !== d.municipality)
        throw new RuleViolationError(
          'grant-municipality-mismatch',
          `Die Zuwendung ${grant.reference} gehört einer anderen Kommune (AGS ${grant.municipality}) als die Stelle (AGS ${d.municipality}).`,
        );
      if (grant.programme !== d.programme)
        throw new RuleViolationError(
          'grant-programme-mismatch',
          `Die Zuwendung ${grant.reference} stammt aus dem Programm ${grant.programme}, nicht aus ${d.programme}.`,
        );
      requireFundedRole(registeredProgramme(command.programme, d.programme), d.role);
      return [
        versioned('PositionEstablished', {
          positionId: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grantId: d.grantId,
          title: d.title,
          role: d.role,
          fte: d.fte,
          payGrade: d.payGrade,
          annualCostCents: d.annualCostCents,
          establishedOn: d.establishedOn,
        }),
      ];
    }
    case 'StaffPosition': {
      const p = openPosition(state);
      const d = command.data;
      const endsOn = d.endsOn ?? null;
      if (d.startsOn < p.establishedOn)
        throw new RuleViolationError(
          'staffing-before-establishment',
          `Die Besetzung ab ${formatDate(d.startsOn)} beginnt vor der Einrichtung der Stelle am ${formatDate(p.establishedOn)}.`,
        );
      if (endsOn !== null && endsOn < d.startsOn)
        throw new RuleViolationError('staffing-end-before-start', STAFFING_END_BEFORE_START_MESSAGE);
      const peak = peakStaffedHundredths(p, d.startsOn, endsOn);
      if (peak + hundredths(d.fte) > hundredths(p.fte))
        throw new RuleViolationError(
          'staffing-exceeds-fte',
          `Mit ${formatFte(d.fte)} VZÄ für ${d.personRef} wären zeitgleich ${formatFte((peak + hundredths(d.fte)) / 100)} VZÄ besetzt; die Stelle hat nur ${formatFte(p.fte)} VZÄ.`,
        );
      return [
        versioned('PositionStaffed', {
          personRef: d.personRef,
          startsOn: d.startsOn,
          endsOn,
          fte: d.fte,
          contractSignedOn: d.contractSignedOn ?? null,
        }),
      ];
    }
    case 'VacatePosition': {
      const p = openPosition(state);
      const d = command.data;
      const leaving = p.staffings.filter((s) => leavesWhenVacated(s, d.vacatedOn, d.personRef));
      if (leaving.length === 0)
        throw new RuleViolationError(
          'nobody-in-post',
          d.personRef === undefined
            ? `Am ${formatDate(d.vacatedOn)} ist die Stelle nicht besetzt; es gibt nichts freizumachen.`
            : `${d.personRef} ist am ${formatDate(d.vacatedOn)} nicht auf dieser Stelle.`,
        );
      return [versioned('PositionVacated', { vacatedOn: d.vacatedOn, reason: d.reason, personRef: d.personRef ?? null })];
    }
    case 'DecideContinuation': {
      const p = openPosition(state);
      const d = command.data;
      const shareProblem = continuationShareProblem(d.decision, d.ownFundsSharePercent);
      if (shareProblem) throw new RuleViolationError('own-funds-share-invalid', shareProblem);
      const refProblem = resolutionRefProblem(d.decidedBy, d.resolutionRef);
      if (refProblem) throw new RuleViolationError('resolution-ref-required', refProblem);
      const followUp = followUpProblem(d.decision, d.followUpGrantId, d.followUpEndsOn);
      if (followUp) throw new RuleViolationError('follow-up-unnamed', followUp.message);
      if (d.followUpEndsOn !== undefined && d.followUpEndsOn < d.effectiveFrom)
        throw new RuleViolationError(
          'follow-up-ends-before-start',
          `Die Anschlussförderung endet am ${formatDate(d.followUpEndsOn)}, vor ihrem Beginn am ${formatDate(d.effectiveFrom)}.`,
        );
      if (d.followUpGrantId !== undefined) {
        const next = command.followUpGrant;
        if (next === null || next === undefined || !next.exists)
          throw new RuleViolationError('follow-up-grant-not-found', 'Die genannte Anschlusszuwendung ist nicht erfasst.');
        if (next.grantId === p.grantId)
          throw new RuleViolationError('follow-up-grant-is-current', 'Die Anschlusszuwendung muss eine andere Zuwendung sein als die bisherige.');
        if (next.municipality !== p.municipality)
          throw new RuleViolationError(
            'follow-up-grant-municipality-mismatch',
            `Die Anschlusszuwendung ${next.reference} gehört einer anderen Kommune (AGS ${next.municipality}) als die Stelle (AGS ${p.municipality}).`,
          );
      }
      // At most one decision in force: a new one needs the old one revoked first, so the history
      // shows who overturned what. The exception is follow-up funding that names its end: the
      // position then needs a decision for the time after the follow-up too.
      const afterFollowUp =
        p.continuation !== null &&
        p.continuation.decision === 'follow-up-funding' &&
        (p.continuation.followUpGrantId !== null || p.continuation.followUpEndsOn !== null) &&
        d.effectiveFrom > p.continuation.effectiveFrom;
      if (p.continuation !== null && !afterFollowUp)
        throw new RuleViolationError(
          'continuation-already-decided',
          `Über die Weiterführung wurde bereits am ${formatDate(p.continuation.decidedOn)} entschieden; diese Entscheidung muss zuerst aufgehoben werden.`,
        );
      return [
        versioned('ContinuationDecided', {
          decision: d.decision,
          effectiveFrom: d.effectiveFrom,
          ownFundsSharePercent: effectiveOwnFundsShare(d.decision, d.ownFundsSharePercent) ?? 0,
          decidedBy: d.decidedBy,
          resolutionRef: d.resolutionRef ?? null,
          decidedOn: d.decidedOn,
          followUpGrantId: d.followUpGrantId ?? null,
          followUpEndsOn: d.followUpEndsOn ?? null,
        }),
      ];
    }
    case 'RevokeContinuationDecision': {
      const p = openPosition(state);
      if (p.continuation === null)
        throw new RuleViolationError(
          'no-continuation-decision',
          'Es liegt keine geltende Entscheidung über die Weiterführung vor, die aufgehoben werden könnte.',
        );
      return [versioned('ContinuationDecisionRevoked', { revokedOn: command.data.revokedOn, reason: command.data.reason })];
    }
    case 'AbolishPosition': {
      const p = openPosition(state);
      const d = command.data;
      // A position cannot simply vanish under a person: the staffing ends first, or the notice
      // says what happens to the contract (Umsetzung, Änderungskündigung, …).
      const stillInPost = p.staffings.filter((s) => {
        const end = lastDayInPost(s);
        return end === null || end >= d.abolishedOn;
      });
      if (stillInPost.length > 0 && (d.contractOutcome === undefined || d.contractOutcome === ''))
        throw new RuleViolationError(
          'abolish-staffed-position',
          `Die Stelle ist am ${formatDate(d.abolishedOn)} noch besetzt (${stillInPost.map((s) => s.personRef).join(', ')}): zuerst die Besetzung beenden oder in contractOutcome angeben, was mit dem Arbeitsvertrag geschieht.`,
        );
      return [
        versioned('PositionAbolished', {
          abolishedOn: d.abolishedOn,
          reason: d.reason ?? null,
          contractOutcome: d.contractOutcome ?? null,
        }),
      ];
    }
    case 'VoidPosition': {
      existingPosition(state);
      return [versioned('PositionVoided', { reason: command.data.reason })];
    }
    case 'CorrectPosition': {
      const p = existingPosition(state);
      const c = command.data.changes;
      if (c.role !== undefined) requireFundedRole(registeredProgramme(command.programme, p.programme), c.role);
      const establishedOn = c.establishedOn ?? p.establishedOn;
      const early = p.staffings.find((s) => s.startsOn < establishedOn);
      if (early)
        throw new RuleViolationError(
          'staffing-before-establishment',
          `Die Besetzung ab ${formatDate(early.startsOn)} läge vor der korrigierten Einrichtung der Stelle am ${formatDate(establishedOn)}.`,
        );
      const fteAfter = c.fte ?? p.fte;
      const peak = p.staffings.reduce((max, s) => Math.max(max, peakStaffedHundredths(p, s.startsOn, s.startsOn)), 0);
      if (peak > hundredths(fteAfter))
        throw new RuleViolationError(
          'staffing-exceeds-fte',
          `Zeitgleich sind bis zu ${formatFte(peak / 100)} VZÄ besetzt; die Stelle kann nicht auf ${formatFte(fteAfter)} VZÄ korrigiert werden.`,
        );
      return [versioned('PositionCorrected', { changes: { ...c }, reason: command.data.reason })];
    }
    case 'ReverseStaffing': {
      const p = existingPosition(state);
      if (!p.staffings.some((s) => s.entry === command.data.entry))
        throw new RuleViolationError('staffing-not-found', `Die Stelle hat keine (nicht stornierte) Besetzung mit der Nummer ${command.data.entry}.`);
      return [versioned('StaffingReversed', { entry: command.data.entry, reason: command.data.reason })];
    }
    case 'ReverseContinuationDecision': {
      const p = existingPosition(state);
      if (p.continuation === null || p.continuation.entry !== command.data.entry)
        throw new RuleViolationError(
          'decision-not-in-force',
          `Nur die geltende Verstetigungsentscheidung kann storniert werden; Nummer ${command.data.entry} ist es nicht${p.continuation ? ` (geltend: Nummer ${p.continuation.entry})` : ''}.`,
        );
      return [versioned('ContinuationDecisionReversed', { entry: command.data.entry, reason: command.data.reason })];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown position command ${JSON.stringify(_exhaustive)}`);
    }
  }
}
