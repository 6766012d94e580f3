// The data of every event verstetigt stores, one zod schema per event type with its current
// schemaVersion, and the upcasters that read older stored shapes as the current one.
// Optional facts are stored as explicit `null`, so every stored event shows all its fields.
import { z } from 'zod';
import {
  AMENDMENT_EMPTY_MESSAGE,
  continuationDecision,
  continuationShareProblem,
  DEFAULT_FINAL_PROOF_DUE_MONTHS,
  DEFAULT_SPEND_WITHIN_DAYS,
  decidedBy,
  finalProofDueMonths,
  financingType,
  PERIOD_END_BEFORE_START_MESSAGE,
  positionRole,
  PROGRAMME_END_BEFORE_START_MESSAGE,
  proofKind,
  resolutionRefProblem,
  spendWithin,
  spendWithinDays,
  STAFFING_END_BEFORE_START_MESSAGE,
} from './fields.js';
import {
  agsCode,
  businessDate,
  fte,
  funder,
  funderKind,
  moneyCents,
  percent,
  personRef,
  positiveMoneyCents,
  programmeCode,
  storedText,
  uuid,
} from './primitives.js';

// Stored events are validated by structure only (shape and types): a known AGS, a registered
// programme or a text limit are business rules of the commands (schemas/commands.ts), so a
// territorial reform or a tighter input rule never makes an old event unreadable.
const ags = agsCode;
const nameText = storedText;
const reasonText = storedText;
const referenceText = storedText;
const payGrade = storedText;

// ---------------------------------------------------------------- Programme (stream programme-<code>)

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

// ---------------------------------------------------------------- Grant (stream grant-<uuid>)

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

// ---------------------------------------------------------------- Position (stream position-<uuid>)

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

// ---------------------------------------------------------------- corrections (Storno)
// A record entered by mistake is voided, a wrong field corrected, a single entry reversed: new
// events that name what they correct and why. Views apply them; the stream keeps everything.

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

// ---------------------------------------------------------------- registry

/** Every event type with its current schemaVersion and the schema of its data. */
export const EVENT_SCHEMAS = {
  ProgrammeRegistered: { schemaVersion: 2, schema: ProgrammeRegisteredData },
  ProgrammeEndDateSet: { schemaVersion: 1, schema: ProgrammeEndDateSetData },
  ProgrammeChanged: { schemaVersion: 1, schema: ProgrammeChangedData },
  GrantAwarded: { schemaVersion: 3, schema: GrantAwardedData },
  GrantAmended: { schemaVersion: 2, schema: GrantAmendedData },
  FundsDrawn: { schemaVersion: 1, schema: FundsDrawnData },
  ProofOfUseSubmitted: { schemaVersion: 2, schema: ProofOfUseSubmittedData },
  GrantClosed: { schemaVersion: 1, schema: GrantClosedData },
  PositionEstablished: { schemaVersion: 1, schema: PositionEstablishedData },
  PositionStaffed: { schemaVersion: 2, schema: PositionStaffedData },
  PositionVacated: { schemaVersion: 1, schema: PositionVacatedData },
  ContinuationDecided: { schemaVersion: 2, schema: ContinuationDecidedData },
  ContinuationDecisionRevoked: { schemaVersion: 1, schema: ContinuationDecisionRevokedData },
  PositionAbolished: { schemaVersion: 2, schema: PositionAbolishedData },
  GrantVoided: { schemaVersion: 1, schema: RecordVoidedData },
  GrantCorrected: { schemaVersion: 1, schema: GrantCorrectedData },
  DrawdownReversed: { schemaVersion: 1, schema: EntryReversedData },
  PositionVoided: { schemaVersion: 1, schema: RecordVoidedData },
  PositionCorrected: { schemaVersion: 1, schema: PositionCorrectedData },
  StaffingReversed: { schemaVersion: 1, schema: EntryReversedData },
  ContinuationDecisionReversed: { schemaVersion: 1, schema: EntryReversedData },
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

/** The current schemaVersion of each event type. */
export const SCHEMA_VERSIONS: { readonly [K in EventType]: (typeof EVENT_SCHEMAS)[K]['schemaVersion'] } =
  Object.fromEntries(EVENT_TYPES.map((t) => [t, EVENT_SCHEMAS[t].schemaVersion])) as never;

/** The data of each event type in its current shape. */
export type EventDataMap = { [K in EventType]: z.infer<(typeof EVENT_SCHEMAS)[K]['schema']> };

/** An event as `evolve` takes it: already upcast to the current shape. */
export type DomainEvent<K extends EventType = EventType> = { [P in K]: { type: P; data: EventDataMap[P] } }[K];

/** An event as `decide` returns it and the event store appends it. */
export type VersionedEvent<K extends EventType = EventType> = {
  [P in K]: { type: P; schemaVersion: number; data: EventDataMap[P] };
}[K];

export type ProgrammeEventType = 'ProgrammeRegistered' | 'ProgrammeEndDateSet' | 'ProgrammeChanged';
export type GrantEventType =
  | 'GrantAwarded'
  | 'GrantAmended'
  | 'FundsDrawn'
  | 'ProofOfUseSubmitted'
  | 'GrantClosed'
  | 'GrantVoided'
  | 'GrantCorrected'
  | 'DrawdownReversed';
export type PositionEventType =
  | 'PositionEstablished'
  | 'PositionStaffed'
  | 'PositionVacated'
  | 'ContinuationDecided'
  | 'ContinuationDecisionRevoked'
  | 'PositionAbolished'
  | 'PositionVoided'
  | 'PositionCorrected'
  | 'StaffingReversed'
  | 'ContinuationDecisionReversed';

/** The events that correct earlier ones (Storno): views re-project the stream they name. */
export const CORRECTION_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'GrantVoided',
  'GrantCorrected',
  'DrawdownReversed',
  'PositionVoided',
  'PositionCorrected',
  'StaffingReversed',
  'ContinuationDecisionReversed',
]);
export type ProgrammeEvent = DomainEvent<ProgrammeEventType>;
export type GrantEvent = DomainEvent<GrantEventType>;
export type PositionEvent = DomainEvent<PositionEventType>;

/** True when `type` is an event type verstetigt knows. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, type);
}

/** An event with the current schemaVersion of its type, ready to append. */
export function versioned<K extends EventType>(type: K, data: EventDataMap[K]): VersionedEvent<K> {
  return { type, schemaVersion: SCHEMA_VERSIONS[type], data } as VersionedEvent<K>;
}

// ---------------------------------------------------------------- upcasting

/** Thrown when a stored event cannot be read: unknown type, unknown version, or data that does not validate. */
export class EventSchemaError extends Error {
  override readonly name = 'EventSchemaError';
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One step: reads the data of version n and returns the data of version n + 1. Must be pure. */
export type UpcastStep = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * The upcasters by event type, each a chain keyed by the version it reads (1 → 2 is under key 1).
 * A type without an entry has never changed shape.
 */
export const UPCASTERS: { readonly [K in EventType]?: Readonly<Record<number, UpcastStep>> } = {
  ProgrammeRegistered: {
    // v1 (the seed) named the funder only and had no register fields: the funder's level is read
    // from its name, no guideline date, every role funded, no grant defaults.
    1: (data) => {
      const { funder: name, ...rest } = data;
      const funderName = typeof name === 'string' ? name : '';
      return {
        ...rest,
        funderKind: funderName === 'BMBF' || funderName.startsWith('Bund') ? 'bund' : funderName.startsWith('Land') ? 'land' : funderName.startsWith('EU') ? 'eu' : 'other',
        funderName,
        guidelineDate: null,
        fundedRoles: null,
        grantDefaults: { financingType: null, fundingRatePercent: null, spendWithinDays: null, finalProofDueMonths: null },
      };
    },
  },
  GrantAwarded: {
    // v1 had no spending window and no proof deadline: read them as the defaults every v1 grant
    // was tracked with (six weeks, six months).
    1: (data) => ({
      ...data,
      spendWithinDays: data['spendWithinDays'] ?? DEFAULT_SPEND_WITHIN_DAYS,
      finalProofDueMonths: data['finalProofDueMonths'] ?? DEFAULT_FINAL_PROOF_DUE_MONTHS,
    }),
    // v2 said the spending window in days only and knew no approved early start.
    2: ({ spendWithinDays: days, ...data }) => ({
      ...data,
      spendWithin: { days },
      earlyStartApprovedOn: data['earlyStartApprovedOn'] ?? null,
    }),
  },
  // v1 amendments did not change the own share.
  GrantAmended: { 1: (data) => ({ ...data, ownShareCents: data['ownShareCents'] ?? null }) },
  // v1 proofs reported no spending figure.
  ProofOfUseSubmitted: { 1: (data) => ({ ...data, spentCents: data['spentCents'] ?? null }) },
  // v1 staffings did not record the signing date.
  PositionStaffed: { 1: (data) => ({ ...data, contractSignedOn: data['contractSignedOn'] ?? null }) },
  // v1 follow-up decisions named no follow-up grant or period.
  ContinuationDecided: {
    1: (data) => ({ ...data, followUpGrantId: data['followUpGrantId'] ?? null, followUpEndsOn: data['followUpEndsOn'] ?? null }),
  },
  // v1 abolitions said nothing about a contract.
  PositionAbolished: { 1: (data) => ({ ...data, contractOutcome: data['contractOutcome'] ?? null }) },
};

/**
 * Reads the stored `data` of an event of `type` written with `schemaVersion` as the current shape,
 * applying each upcaster step in turn. Does not validate (see `parseEvent`). Throws
 * EventSchemaError for an unknown type, a version that is not a positive integer, a version newer
 * than the current one, or a missing step in the chain.
 */
export function upcast(
  type: string,
  schemaVersion: number,
  data: Record<string, unknown>,
): { schemaVersion: number; data: Record<string, unknown> } {
  if (!isEventType(type)) throw new EventSchemaError(type, schemaVersion, `Unknown event type "${type}".`);
  const current = EVENT_SCHEMAS[type].schemaVersion;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1)
    throw new EventSchemaError(type, schemaVersion, `Invalid schemaVersion ${schemaVersion} of ${type}.`);
  if (schemaVersion > current)
    throw new EventSchemaError(
      type,
      schemaVersion,
      `${type} schemaVersion ${schemaVersion} is newer than the newest known version ${current}; deploy the newer code to read it.`,
    );
  let result = data;
  for (let v = schemaVersion; v < current; v++) {
    const step = UPCASTERS[type]?.[v];
    if (!step)
      throw new EventSchemaError(type, schemaVersion, `No upcaster for ${type} from schemaVersion ${v} to ${v + 1}.`);
    result = step(result);
  }
  return { schemaVersion: current, data: result };
}

/**
 * Upcasts a stored event to the current shape and validates it with the current schema.
 * Throws EventSchemaError (with the zod error as `cause`) when the data does not validate.
 */
export function parseEvent(type: string, schemaVersion: number, data: Record<string, unknown>): VersionedEvent {
  const up = upcast(type, schemaVersion, data);
  const eventType = type as EventType;
  const parsed = EVENT_SCHEMAS[eventType].schema.safeParse(up.data);
  if (!parsed.success)
    throw new EventSchemaError(
      type,
      schemaVersion,
      `Stored ${type} (schemaVersion ${schemaVersion}) does not match the current schema: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  return { type: eventType, schemaVersion: up.schemaVersion, data: parsed.data } as VersionedEvent;
}
