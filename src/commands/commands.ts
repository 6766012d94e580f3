// One function per command of the write API. Each names its stream, builds the domain command and
// hands it to handleCommand; ids of new aggregates are generated here (UUIDv7).
import type {
  AbolishPositionBody,
  AmendGrantBody,
  AwardGrantBody,
  CloseGrantBody,
  DecideContinuationBody,
  DrawFundsBody,
  EstablishPositionBody,
  ProgrammeCode,
  RegisterProgrammeBody,
  RevokeContinuationDecisionBody,
  SetProgrammeEndDateBody,
  StaffPositionBody,
  SubmitProofOfUseBody,
  VacatePositionBody,
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

/** Records a grant notice (Zuwendungsbescheid) as a new grant. */
export function awardGrant(ctx: CommandContext, body: AwardGrantBody): Promise<IdentifiedResult> {
  const grantId = uuidv7();
  return handleCommand(ctx, grants, grantStream(grantId), {
    creates: true,
    command: { type: 'AwardGrant', data: { ...body, grantId } },
  }).then(withId('grant-'));
}

/** Records an amendment notice (Änderungsbescheid). */
export function amendGrant(ctx: CommandContext, grantId: string, body: AmendGrantBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, grants, grantStream(grantId), { command: { type: 'AmendGrant', data: body } }).then(withId('grant-'));
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
      return { type: 'EstablishPosition', data: { ...body, positionId }, grant: found };
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

// ---------------------------------------------------------------- programmes

/** Registers a programme (done once at first start from the seed facts). */
export function registerProgramme(ctx: CommandContext, body: RegisterProgrammeBody): Promise<IdentifiedResult> {
  return handleCommand(ctx, programmes, programmeStream(body.code), {
    creates: true,
    command: { type: 'RegisterProgramme', data: body },
  }).then(withId('programme-'));
}

/** Sets (or moves) a programme's end date. */
export function setProgrammeEndDate(ctx: CommandContext, code: ProgrammeCode, body: SetProgrammeEndDateBody): Promise<IdentifiedResult> {
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
