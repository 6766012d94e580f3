// Shared helpers for the projection suites: commands through the real command handler (the same
// code every write of the API goes through: src/commands), and a dump of the read tables.
import { sql } from 'kysely';
import type { AwardGrantBody, AwardGrantInput, EstablishPositionBody, RegisterProgrammeBody } from '../../schemas/index.js';
import * as commands from '../../src/commands/index.js';
import type { GrantCommand, PositionCommand, ProgrammeCommand } from '../../src/domain/index.js';
import { PostgresEventStore, type EventStore } from '../../src/eventstore/index.js';
import { allProjections, type Executor, type Projection } from '../../projections/index.js';

export const EISENACH = '16056000';
export const JENA = '16053000';
export const WEIMAR = '16055000';

/**
 * A command as the API receives it: its type and body. The states of other records a decision needs
 * (the programme, the grant of a position, a follow-up grant) are left out: the handler loads them.
 */
type Request<C> = C extends unknown ? Omit<C, 'programme' | 'grant' | 'followUpGrant'> : never;
/** A command on an existing grant (AwardGrant is `award`). */
export type GrantRequest = Request<Exclude<GrantCommand, { type: 'AwardGrant' }>>;
/** A command on an existing position (EstablishPosition is `establish`). */
export type PositionRequest = Request<Exclude<PositionCommand, { type: 'EstablishPosition' }>>;
export type ProgrammeRequest = Request<ProgrammeCommand>;

/**
 * The facts of a programme registered without limits (any term from 1990, every role, no
 * defaults): the projection suites test the read models, not the programme register's rules
 * (tests/unit and tests/http do).
 */
const openProgramme = (code: string): RegisterProgrammeBody => ({
  code,
  name: code,
  funderKind: 'other',
  funderName: 'Test',
  legalBasis: 'Test',
  startsOn: '1990-01-01',
  endsOn: null,
});

/**
 * Runs commands through the command handler of the API (src/commands: load, fold, decide, append
 * with the expected version) and returns the global position of the last event recorded. Bodies
 * are taken as a route hands them on after its validation: the suites here may send what the
 * schemas would refuse, to reach a decider's own rule (tests/http checks the validation). A
 * programme a grant names is registered without limits (openProgramme) the first time it is
 * used, through the same handler, unless the test registered it itself.
 */
export class Commands {
  readonly ctx: commands.CommandContext;
  /** The programmes registered or being registered, so that awards made at once register once. */
  private readonly registered = new Map<string, Promise<void>>();

  constructor(readonly store: EventStore) {
    this.ctx = { store };
  }

  async programme(code: string, request: ProgrammeRequest): Promise<number> {
    const ctx = this.ctx;
    switch (request.type) {
      case 'RegisterProgramme':
        return recorded(commands.registerProgramme(ctx, request.data));
      case 'ChangeProgramme':
        return recorded(commands.changeProgramme(ctx, code, request.data));
      case 'SetProgrammeEndDate':
        return recorded(commands.setProgrammeEndDate(ctx, code, request.data));
      default: {
        const _exhaustive: never = request;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  async grant(grantId: string, request: GrantRequest): Promise<number> {
    const ctx = this.ctx;
    switch (request.type) {
      case 'AmendGrant':
        return recorded(commands.amendGrant(ctx, grantId, request.data));
      case 'DrawFunds':
        return recorded(commands.drawFunds(ctx, grantId, request.data));
      case 'SubmitProofOfUse':
        return recorded(commands.submitProofOfUse(ctx, grantId, request.data));
      case 'CloseGrant':
        return recorded(commands.closeGrant(ctx, grantId, request.data));
      case 'VoidGrant':
        // The API counts the positions on the grant in the read side; here the test says how many.
        return recorded(commands.voidGrant(ctx, grantId, request.data, async () => request.positionsOnGrant));
      case 'CorrectGrant':
        return recorded(commands.correctGrant(ctx, grantId, request.data));
      case 'ReverseDrawdown':
        return recorded(commands.reverseDrawdown(ctx, grantId, request.data.entry, { reason: request.data.reason }));
      default: {
        const _exhaustive: never = request;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  async position(positionId: string, request: PositionRequest): Promise<number> {
    const ctx = this.ctx;
    switch (request.type) {
      case 'StaffPosition':
        return recorded(commands.staffPosition(ctx, positionId, request.data));
      case 'VacatePosition':
        return recorded(commands.vacatePosition(ctx, positionId, request.data));
      case 'DecideContinuation':
        return recorded(commands.decideContinuation(ctx, positionId, request.data));
      case 'RevokeContinuationDecision':
        return recorded(commands.revokeContinuationDecision(ctx, positionId, request.data));
      case 'AbolishPosition':
        return recorded(commands.abolishPosition(ctx, positionId, request.data));
      case 'VoidPosition':
        return recorded(commands.voidPosition(ctx, positionId, request.data));
      case 'CorrectPosition':
        return recorded(commands.correctPosition(ctx, positionId, request.data));
      case 'ReverseStaffing':
        return recorded(commands.reverseStaffing(ctx, positionId, request.data.entry, { reason: request.data.reason }));
      case 'ReverseContinuationDecision':
        return recorded(commands.reverseContinuationDecision(ctx, positionId, request.data.entry, { reason: request.data.reason }));
      default: {
        const _exhaustive: never = request;
        throw new Error(`unknown command ${JSON.stringify(_exhaustive)}`);
      }
    }
  }

  /** Awards a grant (defaults: Eisenach, bildung-integriert, 2017–2019, Festbetrag 100 %, 42 days, 6 months); returns its id. */
  async award(over: Partial<AwardGrantInput> = {}): Promise<string> {
    const body: AwardGrantBody = {
      municipality: EISENACH,
      programme: 'bildung-integriert',
      reference: '01JL1685',
      awardedOn: '2016-12-15',
      periodStart: '2017-01-01',
      periodEnd: '2019-12-31',
      amountCents: 20_000_000,
      fundingRatePercent: 100,
      // Festbetragsfinanzierung: no fixed relation of rate and own share, so a test may set any own share.
      financingType: 'festbetrag',
      ownShareCents: 0,
      spendWithinDays: 42,
      finalProofDueMonths: 6,
      ...over,
    };
    await this.registerOpen(body.programme);
    return (await commands.awardGrant(this.ctx, body)).id;
  }

  /** Establishes a position on `grantId` (municipality, programme and start taken from the grant); returns its id. */
  async establish(grantId: string, over: Partial<EstablishPositionBody> = {}): Promise<string> {
    const { state } = await commands.loadGrant(this.ctx, grantId);
    if (!state.exists) throw new Error('no grant');
    const body: EstablishPositionBody = {
      municipality: state.municipality,
      programme: state.programme,
      grantId,
      title: 'Bildungsmanagement',
      role: 'bildungsmanagement',
      fte: 1,
      payGrade: 'E 13',
      annualCostCents: 8_600_000,
      establishedOn: state.periodStart,
      ...over,
    };
    return (await commands.establishPosition(this.ctx, body)).id;
  }

  /** Registers `code` without limits (openProgramme) unless it is registered. */
  private registerOpen(code: string): Promise<void> {
    let registering = this.registered.get(code);
    if (!registering) {
      registering = (async () => {
        if (!(await commands.loadProgramme(this.ctx, code)).state.exists) await commands.registerProgramme(this.ctx, openProgramme(code));
      })();
      this.registered.set(code, registering);
    }
    return registering;
  }
}

/** The global position of the last event a command recorded. */
const recorded = async (result: Promise<commands.IdentifiedResult>): Promise<number> => (await result).globalPosition;

/** JSON with the keys of every object (nested ones too, e.g. jsonb columns) in sorted order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : typeof v === 'bigint'
        ? String(v)
        : v,
  );
}

/** Every row of the projections' tables, ordered, as plain JSON (for equality checks). */
export async function dumpTables(db: Executor, projections: readonly Projection[] = allProjections): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
      dump[table] = rows.map((r) => canonical(r)).sort();
    }
  }
  return dump;
}

export { PostgresEventStore };
