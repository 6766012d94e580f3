// The what-if of the dashboard: queryOwnFundsScenario adds, per budget year, what continuing the
// named undecided positions from the day after their funding ends would cost, and nothing for
// decided, abolished or out-of-scope positions. Checked on the demo scenario of 2026-11-27.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDemo } from '../../infra/demo/index.js';
import { allProjections, createProjectionRunner, queryContinuationRisk, queryOwnFundsScenario, type ContinuationRiskItem } from '../../projections/index.js';
import { fixedClock } from '../../src/clock.js';
import { loadPosition, seedProgrammes } from '../../src/commands/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { pgliteDriver, type TestDatabase } from '../support/databases.js';

describe('own-funds scenario (what-if)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let risk: ContinuationRiskItem[];

  beforeAll(async () => {
    database = await pgliteDriver.open();
    store = new PostgresEventStore(database.db);
    await seedProgrammes({ store });
    await recordDemo({ store }, fixedClock('2026-11-27T09:00:00Z'));
    await createProjectionRunner({ db: database.db, store, projections: allProjections }).catchUp();
    risk = await queryContinuationRisk(database.db, { asOf: '2026-11-27' });
  }, 180_000);

  afterAll(async () => {
    await database.dispose();
  });

  it('costs an undecided position from the day after its funding ends, at the chosen share', async () => {
    // A position whose funding ends during a year (one ending on 31.12. costs nothing in its last year).
    const open = risk.find((r) => r.decision === null && r.abolishedOn === null && r.fundingEndsOn! > '2026-11-27' && !r.fundingEndsOn!.endsWith('-12-31'))!;
    const { state } = await loadPosition({ store }, open.positionId);
    if (!state.exists) throw new Error('position missing');
    const endYear = Number(open.fundingEndsOn!.slice(0, 4));
    const full = await queryOwnFundsScenario(database.db, { fromYear: endYear - 1, toYear: endYear + 1, positionIds: [open.positionId], sharePercent: 100 });
    expect(full.map((r) => r.year)).toEqual([endYear - 1, endYear, endYear + 1]);
    // Nothing while funded; a full year after it: annual cost × FTE.
    expect(full[0]!.extraCents).toBe(0);
    expect(full[2]!.extraCents).toBe(Math.round(state.annualCostCents * state.fte));
    expect(full[1]!.extraCents).toBeGreaterThan(0);
    expect(full[1]!.extraCents).toBeLessThan(full[2]!.extraCents);
    const half = await queryOwnFundsScenario(database.db, { fromYear: endYear + 1, toYear: endYear + 1, positionIds: [open.positionId], sharePercent: 50 });
    expect(half[0]!.extraCents).toBe(Math.round(state.annualCostCents * state.fte * 0.5));
    const none = await queryOwnFundsScenario(database.db, { fromYear: endYear + 1, toYear: endYear + 1, positionIds: [open.positionId], sharePercent: 0 });
    expect(none[0]!.extraCents).toBe(0);
  });

  it('adds nothing for decided or abolished positions, or positions outside the scope', async () => {
    const decided = risk.filter((r) => r.decision !== null || r.abolishedOn !== null).map((r) => r.positionId);
    expect(decided.length).toBeGreaterThan(0);
    const result = await queryOwnFundsScenario(database.db, { fromYear: 2020, toYear: 2032, positionIds: decided, sharePercent: 100 });
    expect(result.every((r) => r.extraCents === 0)).toBe(true);
    const open = risk.find((r) => r.decision === null && r.abolishedOn === null && r.fundingEndsOn! > '2026-11-27')!;
    const other = open.municipality === '16053000' ? '16055000' : '16053000';
    const outside = await queryOwnFundsScenario(database.db, { fromYear: 2020, toYear: 2032, municipalities: [other], positionIds: [open.positionId], sharePercent: 100 });
    expect(outside.every((r) => r.extraCents === 0)).toBe(true);
  });
});
