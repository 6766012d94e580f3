// The events of a position (stream position-<uuid>): established, staffed, vacated, the
// continuation decision and its revocation, abolished.
import { z } from 'zod';
import { continuationDecision, continuationShareProblem, decidedBy, positionRole, resolutionRefProblem, STAFFING_END_BEFORE_START_MESSAGE } from '../fields.js';
import { businessDate, fte, moneyCents, percent, personRef, programmeCode, uuid } from '../primitives.js';
import { ags, nameText, reasonText, referenceText, payGrade } from './stored-fields.js';

export const PositionEstablishedData = z.strictObject({
  positionId: uuid,
  municipality: ags,
  programme: programmeCode,
  grantId: uuid,
  title: nameText,
  role: positionRole,
  fte,
  payGrade,
  /** Employer cost per year of a full-time post (1.0 VZÄ) of this grade (never of the post's FTE). */
  annualCostCents: moneyCents,
  establishedOn: businessDate,
});
export type PositionEstablishedData = z.infer<typeof PositionEstablishedData>;

/**
 * A person (pseudonym) takes the position; `endsOn` null = open-ended contract; the last day in post
 * is `endsOn`. `contractSignedOn` (schemaVersion 2) is the day the contract was signed, null when
 * not recorded.
 */
export const PositionStaffedData = z
  .strictObject({
    personRef,
    startsOn: businessDate,
    endsOn: businessDate.nullable(),
    fte,
    contractSignedOn: businessDate.nullable(),
  })
  .superRefine((d, ctx) => {
    if (d.endsOn !== null && d.endsOn < d.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: STAFFING_END_BEFORE_START_MESSAGE });
  });
export type PositionStaffedData = z.infer<typeof PositionStaffedData>;

/** `vacatedOn` is the last day in post. `personRef` null = everyone in post on that day leaves. */
export const PositionVacatedData = z.strictObject({
  vacatedOn: businessDate,
  reason: reasonText,
  personRef: personRef.nullable(),
});
export type PositionVacatedData = z.infer<typeof PositionVacatedData>;

/**
 * A Verstetigung decision; `ownFundsSharePercent` is always stored with its default applied.
 * schemaVersion 2 adds the follow-up funding a follow-up decision names: the follow-up grant
 * (`followUpGrantId`) or the last day of its period (`followUpEndsOn`); both null otherwise (and
 * in version 1 events, whose follow-up had no end).
 */
export const ContinuationDecidedData = z
  .strictObject({
    decision: continuationDecision,
    effectiveFrom: businessDate,
    ownFundsSharePercent: percent,
    decidedBy,
    resolutionRef: referenceText.nullable(),
    decidedOn: businessDate,
    followUpGrantId: uuid.nullable(),
    followUpEndsOn: businessDate.nullable(),
  })
  .superRefine((d, ctx) => {
    const share = continuationShareProblem(d.decision, d.ownFundsSharePercent);
    if (share) ctx.addIssue({ code: 'custom', path: ['ownFundsSharePercent'], message: share });
    const ref = resolutionRefProblem(d.decidedBy, d.resolutionRef);
    if (ref) ctx.addIssue({ code: 'custom', path: ['resolutionRef'], message: ref });
  });
export type ContinuationDecidedData = z.infer<typeof ContinuationDecidedData>;

export const ContinuationDecisionRevokedData = z.strictObject({
  revokedOn: businessDate,
  reason: reasonText,
});
export type ContinuationDecisionRevokedData = z.infer<typeof ContinuationDecisionRevokedData>;

/**
 * Abolition (schemaVersion 2 adds `contractOutcome`: what happens to the contract of a person
 * still in post, e.g. "Umsetzung auf Stelle 40.12"; null when nobody is in post).
 */
export const PositionAbolishedData = z.strictObject({
  abolishedOn: businessDate,
  reason: reasonText.nullable(),
  contractOutcome: reasonText.nullable(),
});
export type PositionAbolishedData = z.infer<typeof PositionAbolishedData>;
