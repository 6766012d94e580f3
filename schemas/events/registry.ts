// Every event type with its current schemaVersion and the schema of its data, and the types
// derived from them.
import { z } from 'zod';
import { EntryReversedData, GrantCorrectedData, PositionCorrectedData, RecordVoidedData } from './corrections.js';
import { FundsDrawnData, GrantAmendedData, GrantAwardedData, GrantClosedData, ProofOfUseSubmittedData } from './grant.js';
import {
  ContinuationDecidedData,
  ContinuationDecisionRevokedData,
  PositionAbolishedData,
  PositionEstablishedData,
  PositionStaffedData,
  PositionVacatedData,
} from './position.js';
import { ProgrammeChangedData, ProgrammeEndDateSetData, ProgrammeRegisteredData } from './programme.js';

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
