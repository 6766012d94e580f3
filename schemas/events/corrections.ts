// The correction events (Storno) of grants and positions.
// A record entered by mistake is voided, a wrong field corrected, a single entry reversed: new
// events that name what they correct and why. Views apply them; the stream keeps everything.
import { z } from 'zod';
import { finalProofDueMonths, financingType, positionRole, spendWithin, spendWithinDays } from '../fields.js';
import { businessDate, fte, moneyCents, percent } from '../primitives.js';
import { nameText, reasonText, referenceText, payGrade } from './stored-fields.js';

/** A grant or position recorded by mistake: it disappears from every view and list. */
export const RecordVoidedData = z.strictObject({ reason: reasonText });
export type RecordVoidedData = z.infer<typeof RecordVoidedData>;

/** Corrected fields of the grant notice (views use the corrected values; amendments still apply on top). */
export const GrantCorrectedData = z.strictObject({
  changes: z.strictObject({
    reference: referenceText.optional(),
    awardedOn: businessDate.optional(),
    periodStart: businessDate.optional(),
    periodEnd: businessDate.optional(),
    amountCents: moneyCents.optional(),
    fundingRatePercent: percent.optional(),
    financingType: financingType.optional(),
    ownShareCents: moneyCents.optional(),
    spendWithinDays: spendWithinDays.optional(),
    spendWithin: spendWithin.optional(),
    finalProofDueMonths: finalProofDueMonths.optional(),
    earlyStartApprovedOn: businessDate.nullable().optional(),
  }),
  reason: reasonText,
});
export type GrantCorrectedData = z.infer<typeof GrantCorrectedData>;

/** Corrected fields of the position as established. */
export const PositionCorrectedData = z.strictObject({
  changes: z.strictObject({
    title: nameText.optional(),
    role: positionRole.optional(),
    fte: fte.optional(),
    payGrade: payGrade.optional(),
    annualCostCents: moneyCents.optional(),
    establishedOn: businessDate.optional(),
  }),
  reason: reasonText,
});
export type PositionCorrectedData = z.infer<typeof PositionCorrectedData>;

/**
 * Reverses one entry of the stream recorded by mistake (a drawdown, a staffing, a continuation
 * decision): `entry` is the stream version of the event reversed (its number in GET /grants/{id}
 * or GET /positions/{id}).
 */
export const EntryReversedData = z.strictObject({
  entry: z.number().int().min(1),
  reason: reasonText,
});
export type EntryReversedData = z.infer<typeof EntryReversedData>;
