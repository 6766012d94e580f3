// The decider of a funding programme (stream programme-<code>): registration and the end date,
// which users may change because DOMAIN.md marks several programme end dates as unverified.
import {
  PROGRAMME_END_BEFORE_START_MESSAGE,
  versioned,
  type Funder,
  type ProgrammeCode,
  type ProgrammeEvent,
  type RegisterProgrammeBody,
  type SetProgrammeEndDateBody,
  type VersionedEvent,
} from '../../schemas/index.js';
import { RuleViolationError } from './errors.js';
import { formatDate } from './format.js';

/** A registered programme as GET /programmes/{code} shows it. */
export interface RegisteredProgramme {
  exists: true;
  code: ProgrammeCode;
  name: string;
  funder: Funder;
  legalBasis: string;
  startsOn: string;
  /** The end date in force; null while the programme continues. */
  endsOn: string | null;
  /** Every change of the end date after registration, oldest first. */
  endDateChanges: { endsOn: string; reason: string | null }[];
}

/** `{ exists: false }` before ProgrammeRegistered. */
export type ProgrammeState = { exists: false } | RegisteredProgramme;

export type ProgrammeCommand =
  | { type: 'RegisterProgramme'; data: RegisterProgrammeBody }
  | { type: 'SetProgrammeEndDate'; data: SetProgrammeEndDateBody };

/** The state of a stream without events. */
export function initialState(): ProgrammeState {
  return { exists: false };
}

/** Applies one (upcast) event. Throws on an event that cannot follow the state (a corrupt stream). */
export function evolve(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeRegistered':
      return { exists: true, ...event.data, endDateChanges: [] };
    case 'ProgrammeEndDateSet': {
      if (!state.exists) throw new Error('ProgrammeEndDateSet on a programme stream without ProgrammeRegistered');
      const change = { endsOn: event.data.endsOn, reason: event.data.reason };
      return { ...state, endsOn: event.data.endsOn, endDateChanges: [...state.endDateChanges, change] };
    }
  }
}

/** The events a command leads to, or a RuleViolationError. */
export function decide(command: ProgrammeCommand, state: ProgrammeState): VersionedEvent<ProgrammeEvent['type']>[] {
  switch (command.type) {
    case 'RegisterProgramme': {
      const d = command.data;
      if (state.exists)
        throw new RuleViolationError('programme-already-registered', `Das Programm „${state.name}“ ist bereits erfasst.`);
      if (d.endsOn !== null && d.endsOn < d.startsOn)
        throw new RuleViolationError('programme-end-before-start', PROGRAMME_END_BEFORE_START_MESSAGE);
      return [
        versioned('ProgrammeRegistered', {
          code: d.code,
          name: d.name,
          funder: d.funder,
          legalBasis: d.legalBasis,
          startsOn: d.startsOn,
          endsOn: d.endsOn,
        }),
      ];
    }
    case 'SetProgrammeEndDate': {
      const d = command.data;
      if (!state.exists)
        throw new RuleViolationError('programme-not-registered', 'Das Programm ist nicht erfasst; sein Ende kann nicht gesetzt werden.');
      if (d.endsOn < state.startsOn)
        throw new RuleViolationError(
          'programme-end-before-start',
          `Das Programmende ${formatDate(d.endsOn)} liegt vor dem Programmbeginn ${formatDate(state.startsOn)}.`,
        );
      return [versioned('ProgrammeEndDateSet', { endsOn: d.endsOn, reason: d.reason ?? null })];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown programme command ${JSON.stringify(_exhaustive)}`);
    }
  }
}
