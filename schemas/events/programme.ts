// The events of a programme (stream programme-<code>): registered, changed, its end date set.
import { z } from 'zod';
import { finalProofDueMonths, financingType, positionRole, PROGRAMME_END_BEFORE_START_MESSAGE, spendWithinDays } from '../fields.js';
import { businessDate, funder, funderKind, percent, programmeCode } from '../primitives.js';
import { nameText, reasonText } from './stored-fields.js';

/** ProgrammeRegistered as stored with schemaVersion 1 (the seed: a funder name, no register fields). */
export const ProgrammeRegisteredDataV1 = z.strictObject({
  code: programmeCode,
  name: nameText,
  funder,
  legalBasis: reasonText,
  startsOn: businessDate,
  endsOn: businessDate.nullable(),
});

/** What a programme's grants get when the grant notice leaves a field out. */
export const GrantDefaultsData = z.strictObject({
  financingType: financingType.nullable(),
  fundingRatePercent: percent.nullable(),
  spendWithinDays: spendWithinDays.nullable(),
  finalProofDueMonths: finalProofDueMonths.nullable(),
});
export type GrantDefaultsData = z.infer<typeof GrantDefaultsData>;

/**
 * ProgrammeRegistered, schemaVersion 2: a programme of the register. `endsOn` is the latest
 * possible funded day (null while the programme continues); `fundedRoles` null = every role.
 */
export const ProgrammeRegisteredData = z
  .strictObject({
    code: programmeCode,
    name: nameText,
    funderKind,
    funderName: nameText,
    legalBasis: reasonText,
    guidelineDate: businessDate.nullable(),
    startsOn: businessDate,
    endsOn: businessDate.nullable(),
    fundedRoles: z.array(positionRole).nullable(),
    grantDefaults: GrantDefaultsData,
  })
  .superRefine((d, ctx) => {
    if (d.endsOn !== null && d.endsOn < d.startsOn)
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: PROGRAMME_END_BEFORE_START_MESSAGE });
  });
export type ProgrammeRegisteredData = z.infer<typeof ProgrammeRegisteredData>;

/** A change of a registered programme: only the fields present change; `reason` says why. */
export const ProgrammeChangedData = z.strictObject({
  changes: z.strictObject({
    name: nameText.optional(),
    startsOn: businessDate.optional(),
    endsOn: businessDate.nullable().optional(),
    fundedRoles: z.array(positionRole).nullable().optional(),
    grantDefaults: GrantDefaultsData.optional(),
  }),
  reason: reasonText,
});
export type ProgrammeChangedData = z.infer<typeof ProgrammeChangedData>;

export const ProgrammeEndDateSetData = z.strictObject({
  endsOn: businessDate,
  reason: reasonText.nullable(),
});
export type ProgrammeEndDateSetData = z.infer<typeof ProgrammeEndDateSetData>;
