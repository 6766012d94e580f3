// The decider of a grant (Zuwendung, stream grant-<uuid>): the grant notice, amendments,
// drawdowns, proofs of use and closing. Its state and `evolve` live in grant.state.ts and are
// re-exported here, so the decider is one module (initialState, evolve, decide).
import {
  AMENDMENT_EMPTY_MESSAGE,
  DEFAULT_SPEND_WITHIN,
  ownShareForRate,
  PERIOD_END_BEFORE_START_MESSAGE,
  termsInForce,
  versioned,
  type AmendGrantBody,
  type AwardGrantBody,
  type CloseGrantBody,
  type CorrectGrantBody,
  type DrawFundsBody,
  type GrantEvent,
  type SubmitProofOfUseBody,
  type VersionedEvent,
} from '../../schemas/index.js';
import { RuleViolationError } from './errors.js';
import { formatDate, formatEuro } from './format.js';
import type { ProgrammeState } from './programme.decider.js';
import {
  registeredProgramme,
  requireConsistentFinancing,
  requireMunicipalityOn,
  requireWithinProgrammeTerm,
  resolveFinancing,
} from './programme-rules.js';
import type { Amendment, AwardedGrant, GrantState } from './grant.state.js';

export { evolve, initialState } from './grant.state.js';
export type { Amendment, AwardedGrant, Drawdown, GrantCorrection, GrantState, ProofOfUse } from './grant.state.js';


/**
 * AwardGrant carries the id the handler generated and the programme's state; VoidGrant the number
 * of positions that stand on the grant (from the read side); corrections and amendments the
 * programme, so the term rule is checked again.
 */
export type GrantCommand =
  | { type: 'AwardGrant'; data: AwardGrantBody & { grantId: string }; programme: ProgrammeState | null }
  | { type: 'AmendGrant'; data: AmendGrantBody; programme?: ProgrammeState | null }
  | { type: 'DrawFunds'; data: DrawFundsBody }
  | { type: 'SubmitProofOfUse'; data: SubmitProofOfUseBody }
  | { type: 'CloseGrant'; data: CloseGrantBody }
  | { type: 'VoidGrant'; data: { reason: string }; positionsOnGrant: number }
  | { type: 'CorrectGrant'; data: CorrectGrantBody; programme: ProgrammeState | null }
  | { type: 'ReverseDrawdown'; data: { entry: number; reason: string } };


/** The date of the latest drawdown, or null. */
function lastDrawdownDate(g: AwardedGrant): string | null {
  return g.drawdowns.reduce<string | null>((last, d) => (last === null || d.drawnOn > last ? d.drawnOn : last), null);
}

/** The grant, or 'grant-not-found' when the stream has no GrantAwarded, or 'grant-voided'. */
function existingGrant(state: GrantState): AwardedGrant {
  if (!state.exists) throw new RuleViolationError('grant-not-found', 'Zu dieser Zuwendung liegt kein Zuwendungsbescheid vor.');
  if (state.status === 'voided')
    throw new RuleViolationError('grant-voided', `Die Zuwendung ${state.reference} wurde storniert (${state.voidReason}); sie nimmt keine Buchungen mehr an.`);
  return state;
}

/** A closed grant takes nothing but proofs of use (the final proof often follows the closing). */
function openGrant(state: GrantState): AwardedGrant {
  const g = existingGrant(state);
  if (g.status === 'closed')
    throw new RuleViolationError(
      'grant-closed',
      `Die Zuwendung ${g.reference} ist seit ${formatDate(g.closedOn ?? '')} abgeschlossen; es kann nur noch ein Verwendungsnachweis erfasst werden.`,
    );
  return g;
}

/** The events a command leads to, or a RuleViolationError. */
export function decide(command: GrantCommand, state: GrantState): VersionedEvent<GrantEvent['type']>[] {
  switch (command.type) {
    case 'AwardGrant': {
      if (state.exists)
        throw new RuleViolationError('grant-already-exists', `Die Zuwendung ${state.reference} ist bereits erfasst.`);
      const programme = registeredProgramme(command.programme, command.data.programme);
      const d = { ...command.data, ...resolveFinancing(programme, command.data) };
      if (d.periodEnd < d.periodStart) throw new RuleViolationError('period-end-before-start', PERIOD_END_BEFORE_START_MESSAGE);
      requireMunicipalityOn(d.municipality, d.awardedOn);
      requireWithinProgrammeTerm(programme, d.periodStart, d.periodEnd);
      requireConsistentFinancing(d);
      return [
        versioned('GrantAwarded', {
          grantId: d.grantId,
          municipality: d.municipality,
          programme: d.programme,
          reference: d.reference,
          awardedOn: d.awardedOn,
          periodStart: d.periodStart,
          periodEnd: d.periodEnd,
          amountCents: d.amountCents,
          fundingRatePercent: d.fundingRatePercent,
          financingType: d.financingType,
          ownShareCents: d.ownShareCents,
          spendWithin: d.spendWithin ?? (d.spendWithinDays !== undefined ? { days: d.spendWithinDays } : DEFAULT_SPEND_WITHIN),
          finalProofDueMonths: d.finalProofDueMonths,
          earlyStartApprovedOn: d.earlyStartApprovedOn ?? null,
        }),
      ];
    }
    case 'AmendGrant': {
      const g = openGrant(state);
      const d = command.data;
      if (d.periodEnd === undefined && d.amountCents === undefined && d.ownShareCents === undefined)
        throw new RuleViolationError('amendment-empty', AMENDMENT_EMPTY_MESSAGE);
      if (d.periodEnd !== undefined && d.periodEnd < g.periodStart)
        throw new RuleViolationError(
          'amendment-period-before-start',
          `Das neue Ende des Bewilligungszeitraums ${formatDate(d.periodEnd)} liegt vor seinem Beginn ${formatDate(g.periodStart)}.`,
        );
      // Under Anteilfinanzierung the rate is fixed, so more money means a higher own share:
      // amount × (100 − rate) / rate, unless the notice names the own share itself.
      const ownShareCents =
        d.ownShareCents ??
        (d.amountCents !== undefined && g.financingType === 'anteil' ? ownShareForRate(d.amountCents, g.fundingRatePercent) : null);
      const amendment: Amendment = {
        amendedOn: d.amendedOn,
        periodEnd: d.periodEnd ?? null,
        amountCents: d.amountCents ?? null,
        ownShareCents,
        reason: d.reason,
      };
      // The checks apply to the terms in force after this notice (an older notice recorded late
      // may change nothing).
      const after = termsInForce(
        { periodEnd: g.originalPeriodEnd, amountCents: g.originalAmountCents, ownShareCents: g.originalOwnShareCents },
        [...g.amendments, amendment],
      );
      const last = lastDrawdownDate(g);
      if (last !== null && after.periodEnd < last)
        throw new RuleViolationError(
          'amendment-period-before-last-drawdown',
          `Das neue Ende des Bewilligungszeitraums ${formatDate(after.periodEnd)} liegt vor dem letzten Mittelabruf am ${formatDate(last)}.`,
        );
      // A new period end stays within the programme's term (its latest end).
      if (d.periodEnd !== undefined && command.programme && command.programme.exists)
        requireWithinProgrammeTerm(command.programme, g.periodStart, after.periodEnd);
      if (after.amountCents < g.drawnCents)
        throw new RuleViolationError(
          'amendment-amount-below-drawn',
          `Der neue Bewilligungsbetrag von ${formatEuro(after.amountCents)} ist kleiner als die bereits abgerufenen ${formatEuro(g.drawnCents)}.`,
        );
      return [versioned('GrantAmended', amendment)];
    }
    case 'DrawFunds': {
      const g = openGrant(state);
      const d = command.data;
      if (!(d.amountCents > 0))
        throw new RuleViolationError('drawdown-amount-not-positive', 'Ein Mittelabruf muss einen Betrag über 0,00 € haben.');
      // Money can only be called off a notice that exists: no drawdown dated before the notice.
      if (d.drawnOn < g.awardedOn)
        throw new RuleViolationError(
          'drawdown-before-award',
          `Der Mittelabruf am ${formatDate(d.drawnOn)} liegt vor dem Zuwendungsbescheid vom ${formatDate(g.awardedOn)}.`,
        );
      // DOMAIN.md / ANBest-P 1.4: drawdown dates inside the Bewilligungszeitraum (as amended).
      if (d.drawnOn < g.periodStart || d.drawnOn > g.periodEnd)
        throw new RuleViolationError(
          'drawdown-outside-period',
          `Der Mittelabruf am ${formatDate(d.drawnOn)} liegt außerhalb des Bewilligungszeitraums ${formatDate(g.periodStart)} – ${formatDate(g.periodEnd)}.`,
        );
      // Total drawn ≤ awarded amount (after amendments).
      if (d.amountCents > g.remainingCents)
        throw new RuleViolationError(
          'drawdown-exceeds-award',
          `Der Mittelabruf von ${formatEuro(d.amountCents)} übersteigt den noch verfügbaren Bewilligungsbetrag von ${formatEuro(g.remainingCents)}.`,
        );
      return [versioned('FundsDrawn', { drawnOn: d.drawnOn, amountCents: d.amountCents })];
    }
    case 'SubmitProofOfUse': {
      existingGrant(state);
      const d = command.data;
      return [versioned('ProofOfUseSubmitted', { submittedOn: d.submittedOn, kind: d.kind, spentCents: d.spentCents ?? null })];
    }
    case 'CloseGrant': {
      openGrant(state);
      return [versioned('GrantClosed', { closedOn: command.data.closedOn })];
    }
    case 'VoidGrant': {
      const g = existingGrant(state);
      if (command.positionsOnGrant > 0)
        throw new RuleViolationError(
          'grant-has-positions',
          `Auf der Zuwendung ${g.reference} stehen noch ${command.positionsOnGrant} Stelle(n); stornieren Sie zuerst diese Stellen. Regel: Eine Stornierung lässt keine Stelle ohne Zuwendung zurück.`,
        );
      return [versioned('GrantVoided', { reason: command.data.reason })];
    }
    case 'CorrectGrant': {
      const g = existingGrant(state);
      const c = command.data.changes;
      const programme = registeredProgramme(command.programme, g.programme);
      const notice = {
        awardedOn: c.awardedOn ?? g.awardedOn,
        periodStart: c.periodStart ?? g.periodStart,
        periodEnd: c.periodEnd ?? g.originalPeriodEnd,
        amountCents: c.amountCents ?? g.originalAmountCents,
        financingType: c.financingType ?? g.financingType,
        fundingRatePercent: c.fundingRatePercent ?? g.fundingRatePercent,
        ownShareCents: c.ownShareCents ?? g.originalOwnShareCents,
      };
      if (notice.periodEnd < notice.periodStart) throw new RuleViolationError('period-end-before-start', PERIOD_END_BEFORE_START_MESSAGE);
      requireMunicipalityOn(g.municipality, notice.awardedOn);
      requireWithinProgrammeTerm(programme, notice.periodStart, notice.periodEnd);
      requireConsistentFinancing(notice);
      const amountInForce = g.amendments.some((a) => a.amountCents !== null) ? g.amountCents : notice.amountCents;
      if (amountInForce < g.drawnCents)
        throw new RuleViolationError(
          'correction-amount-below-drawn',
          `Der korrigierte Bewilligungsbetrag von ${formatEuro(amountInForce)} ist kleiner als die bereits abgerufenen ${formatEuro(g.drawnCents)}.`,
        );
      const endInForce = g.amendments.some((a) => a.periodEnd !== null) ? g.periodEnd : notice.periodEnd;
      const outside = g.drawdowns.find((x) => x.drawnOn < notice.periodStart || x.drawnOn > endInForce);
      if (outside)
        throw new RuleViolationError(
          'correction-drawdown-outside-period',
          `Der Mittelabruf am ${formatDate(outside.drawnOn)} läge außerhalb des korrigierten Bewilligungszeitraums ${formatDate(notice.periodStart)} – ${formatDate(endInForce)}.`,
        );
      return [versioned('GrantCorrected', { changes: { ...c }, reason: command.data.reason })];
    }
    case 'ReverseDrawdown': {
      const g = existingGrant(state);
      const entry = command.data.entry;
      if (!g.drawdowns.some((x) => x.entry === entry))
        throw new RuleViolationError(
          'drawdown-not-found',
          `Die Zuwendung ${g.reference} hat keinen (nicht stornierten) Mittelabruf mit der Nummer ${entry}.`,
        );
      return [versioned('DrawdownReversed', { entry, reason: command.data.reason })];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown grant command ${JSON.stringify(_exhaustive)}`);
    }
  }
}
