// Shared helpers for the projection suites: a tiny command handler over the deciders (read →
// fold → decide → append), a fresh database with store per test, and a dump of the read tables.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { parseEvent, type AwardGrantInput, type EstablishPositionBody } from '../../schemas/index.js';
import { grantDecider, positionDecider, programmeDecider } from '../../src/domain/index.js';
import type { GrantCommand, PositionCommand, ProgrammeCommand, ProgrammeState } from '../../src/domain/index.js';
import { PostgresEventStore, type EventStore } from '../../src/eventstore/index.js';
import { allProjections, type Executor, type Projection } from '../../projections/index.js';

export const EISENACH = '16056000';
export const JENA = '16053000';
export const WEIMAR = '16055000';

async function fold<S>(store: EventStore, streamId: string, evolve: (s: S, e: any) => S, initial: S): Promise<{ state: S; version: number }> {
  const events = await store.readStream(streamId);
  const state = events.reduce((s, e) => evolve(s, parseEvent(e.type, e.schemaVersion, e.data)), initial);
  return { state, version: events.length };
}

/**
 * A registered programme without limits (any term, every role, no defaults): the projection
 * suites test the read models, not the programme register's rules (tests/unit and tests/http do).
 */
export const openProgramme = (code: string): ProgrammeState => ({
  exists: true,
  code,
  name: code,
  funderKind: 'other',
  funderName: 'Test',
  legalBasis: 'Test',
  guidelineDate: null,
  startsOn: '0001-01-01',
  endsOn: null,
  fundedRoles: null,
  grantDefaults: { financingType: null, fundingRatePercent: null, spendWithinDays: null, finalProofDueMonths: null },
  changes: [],
});

/** Runs commands through the deciders and appends what they decide (a test-only command handler). */
export class Commands {
  constructor(readonly store: EventStore) {}

  async programme(code: string, command: ProgrammeCommand): Promise<number> {
    const streamId = `programme-${code}`;
    const { state, version } = await fold(this.store, streamId, programmeDecider.evolve, programmeDecider.initialState());
    const events = programmeDecider.decide(command, state);
    return (await this.store.append(streamId, events, { expectedVersion: version })).lastPosition;
  }

  async grant(grantId: string, command: GrantCommand): Promise<number> {
    const streamId = `grant-${grantId}`;
    const { state, version } = await fold(this.store, streamId, grantDecider.evolve, grantDecider.initialState());
    const events = grantDecider.decide(command, state);
    return (await this.store.append(streamId, events, { expectedVersion: version })).lastPosition;
  }

  async position(positionId: string, command: PositionCommand): Promise<number> {
    const streamId = `position-${positionId}`;
    const { state, version } = await fold(this.store, streamId, positionDecider.evolve, positionDecider.initialState());
    const events = positionDecider.decide(command, state);
    return (await this.store.append(streamId, events, { expectedVersion: version })).lastPosition;
  }

  /** Awards a grant (defaults: Eisenach, bildung-integriert, 2017–2019, Festbetrag 100 %, 42 days, 6 months). */
  async award(over: Partial<AwardGrantInput> = {}): Promise<string> {
    const grantId = randomUUID();
    const programme = openProgramme(over.programme ?? 'bildung-integriert');
    await this.grant(grantId, {
      type: 'AwardGrant',
      programme,
      data: {
        grantId,
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
      },
    });
    return grantId;
  }

  /** Establishes a position on `grantId` (keys taken from the grant). */
  async establish(grantId: string, over: Partial<EstablishPositionBody> = {}): Promise<string> {
    const positionId = randomUUID();
    const { state } = await fold(this.store, `grant-${grantId}`, grantDecider.evolve, grantDecider.initialState());
    if (!state.exists) throw new Error('no grant');
    await this.position(positionId, {
      type: 'EstablishPosition',
      grant: state,
      programme: openProgramme(state.programme),
      data: {
        positionId,
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
      },
    });
    return positionId;
  }
}

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
