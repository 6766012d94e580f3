// One function per command of the write API. Each names its stream, builds the domain command and
// hands it to handleCommand; ids of new aggregates are generated here (UUIDv7).
import type {
  AbolishPositionBody,
  AmendGrantBody,
  AwardGrantBody,
  ChangeProgrammeBody,
  CloseGrantBody,
  CorrectGrantBody,
  CorrectPositionBody,
  DecideContinuationBody,
  DrawFundsBody,
  EstablishPositionBody,
  RegisterProgrammeBody,
  RevokeContinuationDecisionBody,
  SetProgrammeEndDateBody,
  StaffPositionBody,
  SubmitProofOfUseBody,
  VacatePositionBody,
  VoidRecordBody,
  ReverseEntryBody,
} from '../../schemas/index.js';
import {
  grantDecider,
  positionDecider,
  programmeDecider,
  type Decider,
  type GrantCommand,
  type GrantState,
  type PositionCommand,
  type PositionState,
  type ProgrammeCommand,
  type ProgrammeState,
} from '../domain/index.js';
import { uuidv7 } from '../eventstore/index.js';
import { handleCommand, load, visible, type CommandContext, type CommandResult } from './handle-command.js';

type GrantDecider = Decider<GrantCommand, GrantState, Parameters<typeof grantDecider.evolve>[1]['type']>;
type PositionDecider = Decider<PositionCommand, PositionState, Parameters<typeof positionDecider.evolve>[1]['type']>;
type ProgrammeDecider = Decider<ProgrammeCommand, ProgrammeState, Parameters<typeof programmeDecider.evolve>[1]['type']>;
const grants: GrantDecider = grantDecider;
const positions: PositionDecider = positionDecider;
const programmes: ProgrammeDecider = programmeDecider;

/** The result of a command plus the id of the aggregate it addressed or created. */
export interface IdentifiedResult extends CommandResult {
  id: string;
}

export const grantStream = (id: string) => `grant-${id}`;
export const positionStream = (id: string) => `position-${id}`;
export const programmeStream = (code: string) => `programme-${code}`;

const withId = (prefix: string) => (result: CommandResult): IdentifiedResult => ({
  ...result,
  id: result.streamId.slice(prefix.length),
});

// ---------------------------------------------------------------- grants

/** The programme's state for a command that is checked against the programme register. */
const programmeState = async (ctx: CommandContext, code: string): Promise<ProgrammeState> =>
  (await load(ctx.store, programmes as Decider<unknown, ProgrammeState, never>, programmeStream(code))).state;

/** Records a grant notice (Zuwendungsbescheid) as a new grant, checked against its programme. */
export function awardGrant(ctx: CommandContext, body: AwardGrantBody): Promise<IdentifiedResult> {
  const grantId = uuidv7();
  return handleCommand(ctx, grants, grantStream(grantId), {
    creates: true,
    command: async (): Promise<GrantCommand> => ({
      type: 'AwardGrant',
      data: { ...body, grantId },
      programme: await programmeState(ctx, body.programme),
    }),
  }).then(withId('grant-'));
}

/** Records an amendment notice (Änderungsbescheid); a new period end stays within the programme's term. */
export function amendGrant(ctx: CommandContext, grantId: string, body: AmendGrantBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), {
    command: async (state): Promise<GrantCommand> => ({
      type: 'AmendGrant',
      data: body,
      programme: state.exists ? await programmeState(ctx, state.programme) : null,
    }),
  }).then(withId('grant-'));
}

/**
 * Voids a grant recorded by mistake (Storno): it disappears from every view and list; the stream
 * keeps it. `positionsOnGrant` counts the positions that still stand on it (from the read side).
 */
export function voidGrant(
  ctx: CommandContext,
  grantId: string,
  body: VoidRecordBody,
  positionsOnGrant: (grantId: string) => Promise<number>,
): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), {
    command: async (): Promise<GrantCommand> => ({ type: 'VoidGrant', data: body, positionsOnGrant: await positionsOnGrant(grantId) }),
  }).then(withId('grant-'));
}

/** Corrects fields of the grant notice; the views use the corrected values. */
export function correctGrant(ctx: CommandContext, grantId: string, body: CorrectGrantBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), {
    command: async (state): Promise<GrantCommand> => ({
      type: 'CorrectGrant',
      data: body,
      programme: state.exists ? await programmeState(ctx, state.programme) : null,
    }),
  }).then(withId('grant-'));
}

/** Reverses one drawdown recorded by mistake (`entry`: its number in the grant). */
export function reverseDrawdown(ctx: CommandContext, grantId: string, entry: number, body: ReverseEntryBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), {
    command: { type: 'ReverseDrawdown', data: { entry, reason: body.reason } },
  }).then(withId('grant-'));
}

/** Records a drawdown (Mittelabruf). */
export function drawFunds(ctx: CommandContext, grantId: string, body: DrawFundsBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), { command: { type: 'DrawFunds', data: body } }).then(withId('grant-'));
}

/** Records an interim or final proof of use (Zwischen- / Verwendungsnachweis). */
export function submitProofOfUse(ctx: CommandContext, grantId: string, body: SubmitProofOfUseBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), { command: { type: 'SubmitProofOfUse', data: body } }).then(
    withId('grant-'),
  );
}

/** Closes a grant. */
export function closeGrant(ctx: CommandContext, grantId: string, body: CloseGrantBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), { command: { type: 'CloseGrant', data: body } }).then(withId('grant-'));
}

// ---------------------------------------------------------------- positions

/** Establishes a position against an existing grant of the same municipality and programme. */
export function establishPosition(ctx: CommandContext, body: EstablishPositionBody): Promise<IdentifiedResult> {
  const positionId = uuidv7();
  return handleCommand(ctx, positions, positionStream(positionId), {
    creates: true,
    // The referenced grant's state goes into the command, so the decider stays pure.
    command: async (): Promise<PositionCommand> => {
      const grant = await load(ctx.store, grants as Decider<unknown, GrantState, never>, grantStream(body.grantId));
      // A grant the caller may not see is treated as missing (its existence is not revealed).
      const found = grant.state.exists && visible(ctx, grant.state) ? grant.state : null;
      return { type: 'EstablishPosition', data: { ...body, positionId }, grant: found, programme: await programmeState(ctx, body.programme) };
    },
  }).then(withId('position-'));
}

/** Records a person (pseudonymous reference) taking up the position. */
export function staffPosition(ctx: CommandContext, positionId: string, body: StaffPositionBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), { command: { type: 'StaffPosition', data: body } }).then(
    withId('position-'),
  );
}

/** Records a vacancy. */
export function vacatePosition(ctx: CommandContext, positionId: string, body: VacatePositionBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), { command: { type: 'VacatePosition', data: body } }).then(
    withId('position-'),
  );
}

/** Records the continuation decision (Verstetigung); a follow-up grant it names is loaded for the decider. */
export function decideContinuation(ctx: CommandContext, positionId: string, body: DecideContinuationBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), {
    command: async (): Promise<PositionCommand> => {
      if (body.followUpGrantId === undefined) return { type: 'DecideContinuation', data: body };
      const grant = await load(ctx.store, grants as Decider<unknown, GrantState, never>, grantStream(body.followUpGrantId));
      // A grant the caller may not see is treated as missing (its existence is not revealed).
      const found = grant.state.exists && visible(ctx, grant.state) ? grant.state : null;
      return { type: 'DecideContinuation', data: body, followUpGrant: found };
    },
  }).then(withId('position-'));
}

/** Revokes the continuation decision in force. */
export function revokeContinuationDecision(
  ctx: CommandContext,
  positionId: string,
  body: RevokeContinuationDecisionBody,
): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), {
    command: { type: 'RevokeContinuationDecision', data: body },
  }).then(withId('position-'));
}

/** Abolishes a position; afterwards it takes nothing. */
export function abolishPosition(ctx: CommandContext, positionId: string, body: AbolishPositionBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), { command: { type: 'AbolishPosition', data: body } }).then(
    withId('position-'),
  );
}

/** Voids a position recorded by mistake (Storno): it disappears from every view and list. */
export function voidPosition(ctx: CommandContext, positionId: string, body: VoidRecordBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), { command: { type: 'VoidPosition', data: body } }).then(
    withId('position-'),
  );
}

/** Corrects fields of the position as established; a corrected role must be funded by the programme. */
export function correctPosition(ctx: CommandContext, positionId: string, body: CorrectPositionBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), {
    command: async (state): Promise<PositionCommand> => ({
      type: 'CorrectPosition',
      data: body,
      programme: state.exists ? await programmeState(ctx, state.programme) : null,
    }),
  }).then(withId('position-'));
}

/** Reverses one staffing recorded by mistake (`entry`: its number in the position). */
export function reverseStaffing(ctx: CommandContext, positionId: string, entry: number, body: ReverseEntryBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), {
    command: { type: 'ReverseStaffing', data: { entry, reason: body.reason } },
  }).then(withId('position-'));
}

/** Reverses the continuation decision in force when it was recorded by mistake (unlike a revocation, it never counted). */
export function reverseContinuationDecision(
  ctx: CommandContext,
  positionId: string,
  entry: number,
  body: ReverseEntryBody,
): Promise<IdentifiedResult> {
  return handleCommand(ctx, positions, positionStream(positionId), {
    command: { type: 'ReverseContinuationDecision', data: { entry, reason: body.reason } },
  }).then(withId('position-'));
}

// ---------------------------------------------------------------- programmes

/** Changes a registered programme's name, term, funded roles or grant defaults. */
export function changeProgramme(ctx: CommandContext, code: string, body: ChangeProgrammeBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, programmes, programmeStream(code), { command: { type: 'ChangeProgramme', data: body } }).then(
    withId('programme-'),
  );
}

/** Registers a programme in the programme register (the seed's at first start; more by an admin). */
export function registerProgramme(ctx: CommandContext, body: RegisterProgrammeBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, programmes, programmeStream(body.code), {
    creates: true,
    command: { type: 'RegisterProgramme', data: body },
  }).then(withId('programme-'));
}

/** Sets (or moves) a programme's end date. */
export function setProgrammeEndDate(ctx: CommandContext, code: string, body: SetProgrammeEndDateBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, programmes, programmeStream(code), { command: { type: 'SetProgrammeEndDate', data: body } }).then(
    withId('programme-'),
  );
}

// ---------------------------------------------------------------- reads

/** A grant's state and version, folded from its stream. */
export const loadGrant = (ctx: Pick<CommandContext, 'store'>, grantId: string) =>
  load(ctx.store, grants as Decider<unknown, GrantState, never>, grantStream(grantId));
/** A position's state and version, folded from its stream. */
export const loadPosition = (ctx: Pick<CommandContext, 'store'>, positionId: string) =>
  load(ctx.store, positions as Decider<unknown, PositionState, never>, positionStream(positionId));
/** A programme's state and version, folded from its stream. */
export const loadProgramme = (ctx: Pick<CommandContext, 'store'>, code: string) =>
  load(ctx.store, programmes as Decider<unknown, ProgrammeState, never>, programmeStream(code));
