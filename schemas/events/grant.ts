// The events of a grant (stream grant-<uuid>): the notice, amendments, drawdowns, proofs of use
// and closing.
import { z } from 'zod';
import {
  AMENDMENT_EMPTY_MESSAGE,
  finalProofDueMonths,
  financingType,
  PERIOD_END_BEFORE_START_MESSAGE,
  proofKind,
  spendWithin,
  spendWithinDays,
} from '../fields.js';
import { businessDate, moneyCents, percent, positiveMoneyCents, programmeCode, uuid } from '../primitives.js';
import { ags, reasonText, referenceText } from './stored-fields.js';

const grantAwardedV1Shape = {
  grantId: uuid,
  municipality: ags,
  programme: programmeCode,
  reference: referenceText,
  awardedOn: businessDate,
  periodStart: businessDate,
  periodEnd: businessDate,
  amountCents: moneyCents,
  fundingRatePercent: percent,
  financingType,
  ownShareCents: moneyCents,
};

/** GrantAwarded as stored with schemaVersion 1 (before the spending window and proof deadline were configurable). */
export const GrantAwardedDataV1 = z.strictObject(grantAwardedV1Shape);
export type GrantAwardedDataV1 = z.infer<typeof GrantAwardedDataV1>;

/** GrantAwarded as stored with schemaVersion 2 (spending window in days only, no approved early start). */
export const GrantAwardedDataV2 = z.strictObject({ ...grantAwardedV1Shape, spendWithinDays, finalProofDueMonths });
export type GrantAwardedDataV2 = z.infer<typeof GrantAwardedDataV2>;

/**
 * GrantAwarded, schemaVersion 3: the grant notice (Zuwendungsbescheid). `spendWithin` is the
 * spending window in days or months; `earlyStartApprovedOn` the day from which an approved early
 * start (vorzeitiger Maßnahmebeginn) allows staffing before the notice, null when none was approved.
 */
export const GrantAwardedData = z
  .strictObject({
    ...grantAwardedV1Shape,
    spendWithin,
    finalProofDueMonths,
    earlyStartApprovedOn: businessDate.nullable(),
  })
  .superRefine((d, ctx) => {
    if (d.periodEnd < d.periodStart)
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: PERIOD_END_BEFORE_START_MESSAGE });
  });
export type GrantAwardedData = z.infer<typeof GrantAwardedData>;

/**
 * An Änderungsbescheid, schemaVersion 2. `amountCents` is the new total awarded amount, not a
 * difference; `ownShareCents` the new total own share (null = unchanged). Version 1 had no own share.
 */
export const GrantAmendedData = z
  .strictObject({
    amendedOn: businessDate,
    periodEnd: businessDate.nullable(),
    amountCents: moneyCents.nullable(),
    ownShareCents: moneyCents.nullable(),
    reason: reasonText,
  })
  .superRefine((d, ctx) => {
    if (d.periodEnd === null && d.amountCents === null && d.ownShareCents === null)
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: AMENDMENT_EMPTY_MESSAGE });
  });
export type GrantAmendedData = z.infer<typeof GrantAmendedData>;

/** A Mittelabruf. */
export const FundsDrawnData = z.strictObject({
  drawnOn: businessDate,
  amountCents: positiveMoneyCents,
});
export type FundsDrawnData = z.infer<typeof FundsDrawnData>;

/**
 * A Zwischen- or Verwendungsnachweis, schemaVersion 2: `spentCents` is the spending it reports
 * (null = not given; version 1 had no figure).
 */
export const ProofOfUseSubmittedData = z.strictObject({
  submittedOn: businessDate,
  kind: proofKind,
  spentCents: moneyCents.nullable(),
});
export type ProofOfUseSubmittedData = z.infer<typeof ProofOfUseSubmittedData>;

export const GrantClosedData = z.strictObject({
  closedOn: businessDate,
});
export type GrantClosedData = z.infer<typeof GrantClosedData>;
