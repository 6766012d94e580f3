// Reading stored events: the upcasters that turn older stored shapes into the current one, and
// parseEvent, which validates a stored event against its type's schema.
import { z } from 'zod';
import { DEFAULT_FINAL_PROOF_DUE_MONTHS, DEFAULT_SPEND_WITHIN_DAYS } from '../fields.js';
import { EVENT_SCHEMAS, isEventType, type EventType, type VersionedEvent } from './registry.js';

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
