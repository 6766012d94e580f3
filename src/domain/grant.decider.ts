// The decider of a grant (Zuwendung, stream grant-<uuid>): the grant notice, amendments,
// drawdowns, proofs of use and closing. The state is also the readable snapshot of GET /grants/{id}.
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
  type DrawFundsBody,
  type FinancingType,
  type GrantEvent,
  type ProgrammeCode,
  type ProofKind,
  type SpendWithin,
  type SubmitProofOfUseBody,
  type VersionedEvent,
} from '../../schemas/index.js';
import { RuleViolationError } from './errors.js';
import { formatDate, formatEuro } from './format.js';

/** One Mittelabruf. */
export interface Drawdown {
  drawnOn: string;
  amountCents: number;
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
  status: 'open' | 'closed';
}

/** `{ exists: false }` before GrantAwarded (also what a handler passes when a grant was not found). */
export type GrantState = { exists: false } | AwardedGrant;

/** AwardGrant carries the id the handler generated. */
export type GrantCommand =
  | { type: 'AwardGrant'; data: AwardGrantBody & { grantId: string } }
  | { type: 'AmendGrant'; data: AmendGrantBody }
  | { type: 'DrawFunds'; data: DrawFundsBody }
  | { type: 'SubmitProofOfUse'; data: SubmitProofOfUseBody }
  | { type: 'CloseGrant'; data: CloseGrantBody };

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
        status: 'open',
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
        drawdowns: [...g.drawdowns, { ...event.data }],
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
  }
}

/** The date of the latest drawdown, or null. */
function lastDrawdownDate(g: AwardedGrant): string | null {
  return g.drawdowns.reduce<string | null>((last, d) => (last === null || d.drawnOn > last ? d.drawnOn : last), null);
}

/** The grant, or 'grant-not-found' when the stream has no GrantAwarded. */
function existingGrant(state: GrantState): AwardedGrant {
  if (!state.exists) throw new RuleViolationError('grant-not-found', 'Zu dieser Zuwendung liegt kein Zuwendungsbescheid vor.');
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
      const d = command.data;
      if (state.exists)
        throw new RuleViolationError('grant-already-exists', `Die Zuwendung ${state.reference} ist bereits erfasst.`);
      if (d.periodEnd < d.periodStart) throw new RuleViolationError('period-end-before-start', PERIOD_END_BEFORE_START_MESSAGE);
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
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown grant command ${JSON.stringify(_exhaustive)}`);
    }
  }
}
