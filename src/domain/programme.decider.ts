// The decider of a funding programme (stream programme-<code>): registration in the programme
// register, changes of its name, term, funded roles and grant defaults, and the end date, which
// users may move because DOMAIN.md marks several programme end dates as unverified.
import {
  PROGRAMME_END_BEFORE_START_MESSAGE,
  versioned,
  type ChangeProgrammeBody,
  type FinancingType,
  type FunderKind,
  type GrantDefaultsBody,
  type PositionRole,
  type ProgrammeCode,
  type ProgrammeEvent,
  type RegisterProgrammeBody,
  type SetProgrammeEndDateBody,
  type VersionedEvent,
} from '../../schemas/index.js';
import { RuleViolationError } from './errors.js';
import { formatDate } from './format.js';

/** What a programme's grants get when the grant notice leaves a field out (null = no default). */
export interface GrantDefaults {
  financingType: FinancingType | null;
  fundingRatePercent: number | null;
  spendWithinDays: number | null;
  finalProofDueMonths: number | null;
}

/** One change of a registered programme, as recorded. */
export interface ProgrammeChange {
  changes: Record<string, unknown>;
  reason: string | null;
}

/** A registered programme as GET /programmes shows it. */
export interface RegisteredProgramme {
  exists: true;
  code: ProgrammeCode;
  name: string;
  funderKind: FunderKind;
  funderName: string;
  legalBasis: string;
  guidelineDate: string | null;
  startsOn: string;
  /** The latest possible funded day in force; null while the programme continues. */
  endsOn: string | null;
  /** The roles the programme funds; null = every role. */
  fundedRoles: PositionRole[] | null;
  grantDefaults: GrantDefaults;
  /** Every change after registration, oldest first (end-date changes included). */
  changes: ProgrammeChange[];
}

/** `{ exists: false }` before ProgrammeRegistered. */
export type ProgrammeState = { exists: false } | RegisteredProgramme;

export type ProgrammeCommand =
  | { type: 'RegisterProgramme'; data: RegisterProgrammeBody }
  | { type: 'ChangeProgramme'; data: ChangeProgrammeBody }
  | { type: 'SetProgrammeEndDate'; data: SetProgrammeEndDateBody };

/** The state of a stream without events. */
export function initialState(): ProgrammeState {
  return { exists: false };
}

function requireProgramme(state: ProgrammeState, eventType: string): RegisteredProgramme {
  if (!state.exists) throw new Error(`${eventType} on a programme stream without ProgrammeRegistered`);
  return state;
}

/** Applies one (upcast) event. Throws on an event that cannot follow the state (a corrupt stream). */
export function evolve(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeRegistered':
      return { exists: true, ...event.data, changes: [] };
    case 'ProgrammeEndDateSet': {
      const p = requireProgramme(state, event.type);
      const change = { changes: { endsOn: event.data.endsOn }, reason: event.data.reason };
      return { ...p, endsOn: event.data.endsOn, changes: [...p.changes, change] };
    }
    case 'ProgrammeChanged': {
      const p = requireProgramme(state, event.type);
      const c = event.data.changes;
      return {
        ...p,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.startsOn !== undefined ? { startsOn: c.startsOn } : {}),
        ...(c.endsOn !== undefined ? { endsOn: c.endsOn } : {}),
        ...(c.fundedRoles !== undefined ? { fundedRoles: c.fundedRoles } : {}),
        ...(c.grantDefaults !== undefined ? { grantDefaults: c.grantDefaults } : {}),
        changes: [...p.changes, { changes: { ...c }, reason: event.data.reason }],
      };
    }
  }
}

/** The stored form of grant defaults: every field present, null where the programme sets none. */
function storedDefaults(d: GrantDefaultsBody | undefined): GrantDefaults {
  return {
    financingType: d?.financingType ?? null,
    fundingRatePercent: d?.fundingRatePercent ?? null,
    spendWithinDays: d?.spendWithinDays ?? null,
    finalProofDueMonths: d?.finalProofDueMonths ?? null,
  };
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
          funderKind: d.funderKind,
          funderName: d.funderName,
          legalBasis: d.legalBasis,
          guidelineDate: d.guidelineDate ?? null,
          startsOn: d.startsOn,
          endsOn: d.endsOn,
          fundedRoles: d.fundedRoles ? [...new Set(d.fundedRoles)] : null,
          grantDefaults: storedDefaults(d.grantDefaults),
        }),
      ];
    }
    case 'ChangeProgramme': {
      const p = existingProgramme(state);
      const d = command.data;
      const startsOn = d.startsOn ?? p.startsOn;
      const endsOn = d.endsOn === undefined ? p.endsOn : d.endsOn;
      if (endsOn !== null && endsOn < startsOn)
        throw new RuleViolationError(
          'programme-end-before-start',
          `Das Programmende ${formatDate(endsOn)} liegt vor dem Programmbeginn ${formatDate(startsOn)}.`,
        );
      return [
        versioned('ProgrammeChanged', {
          changes: {
            ...(d.name !== undefined ? { name: d.name } : {}),
            ...(d.startsOn !== undefined ? { startsOn: d.startsOn } : {}),
            ...(d.endsOn !== undefined ? { endsOn: d.endsOn } : {}),
            ...(d.fundedRoles !== undefined ? { fundedRoles: d.fundedRoles === null ? null : [...new Set(d.fundedRoles)] } : {}),
            ...(d.grantDefaults !== undefined ? { grantDefaults: storedDefaults(d.grantDefaults) } : {}),
          },
          reason: d.reason,
        }),
      ];
    }
    case 'SetProgrammeEndDate': {
      const p = existingProgramme(state);
      const d = command.data;
      if (d.endsOn < p.startsOn)
        throw new RuleViolationError(
          'programme-end-before-start',
          `Das Programmende ${formatDate(d.endsOn)} liegt vor dem Programmbeginn ${formatDate(p.startsOn)}.`,
        );
      return [versioned('ProgrammeEndDateSet', { endsOn: d.endsOn, reason: d.reason ?? null })];
    }
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown programme command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function existingProgramme(state: ProgrammeState): RegisteredProgramme {
  if (!state.exists)
    throw new RuleViolationError('programme-not-registered', 'Das Programm ist nicht im Programmregister erfasst.');
  return state;
}
