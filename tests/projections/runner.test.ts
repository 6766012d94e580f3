// The runner's guarantees: incremental catch-up equals a rebuild (property test), a failure
// between batches neither repeats nor skips an event, concurrent runners apply each event once,
// rebuild swaps and resets checkpoints, the as-of replay leaves the live tables alone.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { versioned } from '../../schemas/index.js';
import { RuleViolationError } from '../../src/domain/index.js';
import { openDatabase } from '../../src/db/index.js';
import {
  allProjections,
  applyEvents,
  applyToAll,
  createProgressReporter,
  createProjectionRunner,
  projectionStatus,
  queryContinuationRisk,
  queryEndDates,
  rebuildProjections,
  replayAsOf,
  toProjectedEvent,
  type Projection,
} from '../../projections/index.js';
import { driverAvailable, drivers, postgresDriver, type TestDatabase } from '../support/databases.js';
import { Commands, EISENACH, JENA, PostgresEventStore, dumpTables } from './support.js';

const DAYS = ['2017-01-01', '2017-06-30', '2017-12-31', '2018-03-01', '2018-12-31', '2019-06-30', '2019-12-31', '2020-02-29', '2020-12-31'];

type Op =
  | { kind: 'award'; municipality: number; start: number; end: number; own: number }
  | { kind: 'amend'; grant: number; end: number; amount: number | null }
  | { kind: 'draw'; grant: number; day: number; amount: number }
  | { kind: 'proof'; grant: number; day: number; final: boolean }
  | { kind: 'close'; grant: number; day: number }
  | { kind: 'establish'; grant: number; fte: number }
  | { kind: 'staff'; position: number; day: number; end: number | null; fte: number }
  | { kind: 'vacate'; position: number; day: number; person: number | null }
  | { kind: 'programmeEnd'; programme: number; day: number }
  | { kind: 'decide'; position: number; decision: number; day: number }
  | { kind: 'revoke'; position: number }
  | { kind: 'abolish'; position: number; day: number }
  | { kind: 'catchUp'; batchSize: number }
  | { kind: 'reverseDrawdown'; grant: number; entry: number }
  | { kind: 'correctGrant'; grant: number; end: number }
  | { kind: 'voidPosition'; position: number }
  | { kind: 'reverseStaffing'; position: number; entry: number };

const idx = fc.nat({ max: 5 });
const day = fc.nat({ max: DAYS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('award' as const), municipality: fc.nat({ max: 1 }), start: fc.nat({ max: 3 }), end: day, own: fc.nat({ max: 1_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('amend' as const), grant: idx, end: day, amount: fc.option(fc.nat({ max: 3_000_000 })) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('draw' as const), grant: idx, day, amount: fc.integer({ min: 1, max: 500_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('proof' as const), grant: idx, day, final: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), grant: idx, day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('establish' as const), grant: idx, fte: fc.constantFrom(0.5, 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('establish' as const), grant: idx, fte: fc.constantFrom(0.75, 1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('staff' as const), position: idx, day, end: fc.option(day), fte: fc.constantFrom(0.25, 0.5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('vacate' as const), position: idx, day, person: fc.option(day) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('programmeEnd' as const), programme: fc.nat({ max: 2 }), day }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('decide' as const), position: idx, decision: fc.nat({ max: 4 }), day }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), position: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abolish' as const), position: idx, day }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('catchUp' as const), batchSize: fc.integer({ min: 1, max: 9 }) }) },
);

/**
 * More staffings and vacancies (also of one named person) than opArb, and corrections: the
 * batched vacancy rule and the re-projection of a corrected record inside a batch get exercised.
 */
const batchOpArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: opArb },
  { weight: 1, arbitrary: fc.oneof(
    fc.record({ kind: fc.constant('reverseDrawdown' as const), grant: idx, entry: fc.integer({ min: 2, max: 8 }) }),
    fc.record({ kind: fc.constant('correctGrant' as const), grant: idx, end: day }),
    fc.record({ kind: fc.constant('voidPosition' as const), position: idx }),
    fc.record({ kind: fc.constant('reverseStaffing' as const), position: idx, entry: fc.integer({ min: 2, max: 8 }) }),
  ) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('staff' as const), position: fc.nat({ max: 1 }), day: fc.nat({ max: 3 }), end: fc.option(day), fte: fc.constant(0.25) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('vacate' as const), position: fc.nat({ max: 1 }), day: fc.nat({ max: 6 }), person: fc.option(fc.nat({ max: 3 })) }) },
);

/** Runs one abstract op through the deciders; refused commands are skipped. */
async function runOp(c: Commands, grants: string[], positions: string[], op: Op, catchUp: (batchSize: number) => Promise<unknown>) {
  const grant = (i: number) => grants[i % Math.max(grants.length, 1)];
  const position = (i: number) => positions[i % Math.max(positions.length, 1)];
  try {
    switch (op.kind) {
      case 'award': {
        const start = DAYS[op.start]!;
        const end = DAYS[Math.max(op.start, op.end)]!;
        grants.push(await c.award({ municipality: op.municipality ? JENA : EISENACH, periodStart: start, periodEnd: end, ownShareCents: op.own }));
        return;
      }
      case 'catchUp':
        await catchUp(op.batchSize);
        return;
      case 'programmeEnd':
        // Straight into the store: the read models take a programme's end from any such event.
        await c.store.append(`programme-p${op.programme}`, [versioned('ProgrammeEndDateSet', { endsOn: DAYS[op.day]!, reason: null })], { expectedVersion: 'any' });
        return;
    }
    if ('grant' in op) {
      const g = grant(op.grant);
      if (!g) return;
      switch (op.kind) {
        case 'amend':
          await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2018-01-01', periodEnd: DAYS[op.end]!, ...(op.amount === null ? {} : { amountCents: op.amount }), reason: 'Änderung' } });
          return;
        case 'draw':
          await c.grant(g, { type: 'DrawFunds', data: { drawnOn: DAYS[op.day]!, amountCents: op.amount } });
          return;
        case 'proof':
          await c.grant(g, { type: 'SubmitProofOfUse', data: { submittedOn: DAYS[op.day]!, kind: op.final ? 'final' : 'interim' } });
          return;
        case 'close':
          await c.grant(g, { type: 'CloseGrant', data: { closedOn: DAYS[op.day]! } });
          return;
        case 'establish':
          positions.push(await c.establish(g, { fte: op.fte }));
          return;
        case 'reverseDrawdown':
          await c.grant(g, { type: 'ReverseDrawdown', data: { entry: op.entry, reason: 'Fehlbuchung' } });
          return;
        case 'correctGrant':
          await c.grant(g, { type: 'CorrectGrant', data: { changes: { periodEnd: DAYS[op.end]! }, reason: 'Tippfehler' } });
          return;
      }
    }
    if ('position' in op) {
      const p = position(op.position);
      if (!p) return;
      switch (op.kind) {
        case 'staff':
          await c.position(p, { type: 'StaffPosition', data: { personRef: `P-${op.day}`, startsOn: DAYS[op.day]!, ...(op.end !== null && op.end >= op.day ? { endsOn: DAYS[op.end]! } : {}), fte: op.fte } });
          return;
        case 'vacate':
          await c.position(p, {
            type: 'VacatePosition',
            data: { vacatedOn: DAYS[op.day]!, reason: 'Weggang', ...(op.person === null ? {} : { personRef: `P-${op.person}` }) },
          });
          return;
        case 'decide': {
          const decision = (['own-funds', 'follow-up-funding', 'partial', 'discontinue', 'follow-up-funding'] as const)[op.decision]!;
          const share = decision === 'partial' ? { ownFundsSharePercent: 33.33 } : op.decision === 4 ? { ownFundsSharePercent: 40 } : {};
          await c.position(p, { type: 'DecideContinuation', data: { decision, effectiveFrom: DAYS[op.day]!, decidedBy: 'administration', decidedOn: '2018-01-01', ...share } });
          return;
        }
        case 'revoke':
          await c.position(p, { type: 'RevokeContinuationDecision', data: { revokedOn: '2018-06-01', reason: 'aufgehoben' } });
          return;
        case 'abolish':
          await c.position(p, { type: 'AbolishPosition', data: { abolishedOn: DAYS[op.day]! } });
          return;
        case 'voidPosition':
          await c.position(p, { type: 'VoidPosition', data: { reason: 'irrtümlich erfasst' } });
          return;
        case 'reverseStaffing':
          await c.position(p, { type: 'ReverseStaffing', data: { entry: op.entry, reason: 'Fehlbuchung' } });
          return;
      }
    }
  } catch (error) {
    if (!(error instanceof RuleViolationError)) throw error;
  }
}

/** Wraps `projection` so that applying a batch holding the event at `position` throws once. */
function failingOnce(projection: Projection, position: number): Projection {
  let failed = false;
  const fail = (events: readonly { globalPosition: number }[]) => {
    if (!failed && events.some((e) => e.globalPosition === position)) {
      failed = true;
      throw new Error(`injected failure at ${position}`);
    }
  };
  return {
    ...projection,
    async applyBatch(events, trx) {
      fail(events);
      await applyEvents(projection, events, trx);
    },
  };
}

for (const driver of drivers) {
  describe.skipIf(!driverAvailable(driver))(`projection runner on ${driver.name}`, () => {
    let database: TestDatabase;
    let store: PostgresEventStore;
    let c: Commands;

    beforeEach(async () => {
      database = await driver.open();
      store = new PostgresEventStore(database.db);
      c = new Commands(store);
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('property: incremental catch-up in random batch sizes, interleaved with appends, equals a full rebuild', async () => {
      let largestLog = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 60 }), async (ops) => {
          await database.dispose();
          database = await driver.open();
          store = new PostgresEventStore(database.db);
          c = new Commands(store);
          const grants: string[] = [];
          const positions: string[] = [];
          const catchUp = (batchSize: number) => createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize }).catchUp();
          // Every history starts with two grants and a position on each, so later commands have targets.
          const prefix: Op[] = [
            { kind: 'award', municipality: 0, start: 0, end: 6, own: 100_000 },
            { kind: 'award', municipality: 1, start: 1, end: 8, own: 0 },
            { kind: 'establish', grant: 0, fte: 1 },
            { kind: 'establish', grant: 1, fte: 0.5 },
          ];
          for (const op of [...prefix, ...ops]) await runOp(c, grants, positions, op, catchUp);
          const head = await store.headPosition();
          largestLog = Math.max(largestLog, head);
          expect(await catchUp(4)).toBe(head);
          const incremental = await dumpTables(database.db);
          await rebuildProjections({ db: database.db, store, batchSize: 5 });
          expect(await dumpTables(database.db)).toEqual(incremental);
        }),
        { numRuns: driver.name === 'pglite' ? 12 : 6 },
      );
      // The generator must produce real histories, not only refused commands.
      expect(largestLog).toBeGreaterThanOrEqual(15);
      // 12 histories with rebuilds on a shared machine: more than the default minute.
    }, 240_000);

    it('property: every read model\'s fold gives the same rows in random batch splits, one event per batch and all events in one batch', async () => {
      let largestLog = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(batchOpArb, { minLength: 10, maxLength: 60 }), fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }), async (ops, sizes) => {
          await database.dispose();
          database = await driver.open();
          store = new PostgresEventStore(database.db);
          c = new Commands(store);
          const grants: string[] = [];
          const positions: string[] = [];
          const prefix: Op[] = [
            { kind: 'award', municipality: 0, start: 0, end: 6, own: 100_000 },
            { kind: 'award', municipality: 1, start: 1, end: 8, own: 0 },
            { kind: 'establish', grant: 0, fte: 1 },
            { kind: 'establish', grant: 1, fte: 0.5 },
          ];
          for (const op of [...prefix, ...ops]) await runOp(c, grants, positions, op, async () => {});
          const events = (await store.readAll({ after: 0, limit: 100_000 })).map(toProjectedEvent);
          largestLog = Math.max(largestLog, events.length);
          const tables = allProjections.flatMap((p) => [...p.tables]);
          /** Empties the read tables, then applies the log cut after the given lengths, each part in a transaction of its own. */
          const foldIn = async (cut: (k: number) => number) => {
            await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))}`.execute(database.db);
            for (let i = 0, k = 0; i < events.length; k++) {
              const chunk = events.slice(i, i + cut(k));
              i += chunk.length;
              // Later parts find the earlier ones' rows in the tables, as the runner's batches do.
              await database.db.transaction().execute((trx) => applyToAll(allProjections, chunk, trx));
            }
            return dumpTables(database.db);
          };
          const whole = await foldIn(() => events.length);
          expect(await foldIn((k) => sizes[k % sizes.length]!)).toEqual(whole);
          expect(await foldIn(() => 1)).toEqual(whole);
        }),
        { numRuns: driver.name === 'pglite' ? 40 : 15 },
      );
      expect(largestLog).toBeGreaterThanOrEqual(15);
      // 40 histories applied three ways on a shared machine: more than the default minute.
    }, 240_000);

    async function someHistory() {
      for (let i = 0; i < 4; i++) {
        const g = await c.award({ municipality: i % 2 ? JENA : EISENACH, ownShareCents: 10_000 * i });
        const p = await c.establish(g, { fte: 0.5 });
        await c.position(p, { type: 'StaffPosition', data: { personRef: `P-${i}`, startsOn: '2017-03-01', fte: 0.5 } });
        await c.grant(g, { type: 'DrawFunds', data: { drawnOn: '2017-04-01', amountCents: 1000 + i } });
        await c.position(p, { type: 'DecideContinuation', data: { decision: 'own-funds', effectiveFrom: '2020-01-01', decidedBy: 'administration', decidedOn: '2019-01-01' } });
      }
    }

    it('fault: a failure inside a batch rolls the batch back; a new runner neither repeats nor skips an event', async () => {
      await someHistory();
      const head = await store.headPosition();
      const faulty = allProjections.map((p) => (p.name === 'grant-finance' ? failingOnce(p, 13) : p));
      const first = createProjectionRunner({ db: database.db, store, projections: faulty, batchSize: 5 });
      await expect(first.catchUp()).rejects.toThrow('injected failure at 13');
      // Batches (0,5] and (5,10] committed; (10,15] rolled back for every projection.
      expect(await first.position()).toBe(10);
      const second = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: 3 });
      expect(await second.catchUp()).toBe(head);
      const incremental = await dumpTables(database.db);
      await rebuildProjections({ db: database.db, store });
      expect(await dumpTables(database.db)).toEqual(incremental);
    });

    it('start(): retries after errors with backoff, follows appends, stop() ends the loop', async () => {
      await someHistory();
      const errors: string[] = [];
      const faulty = allProjections.map((p) => (p.name === 'own-funds' ? failingOnce(p, 2) : p));
      const runner = createProjectionRunner({
        db: database.db,
        store,
        projections: faulty,
        logger: { info() {}, warn() {}, error: (msg) => errors.push(msg) },
        idleWaitMs: 200,
      });
      runner.start();
      try {
        expect(await runner.waitForPosition(await store.headPosition(), 10_000)).toBe(true);
        expect(errors).toEqual(['projection catch-up failed; retrying']);
        const position = await c.award({ reference: 'NEU' }).then(() => store.headPosition());
        expect(await runner.waitForPosition(position, 5000)).toBe(true);
        expect(await runner.waitForPosition(position + 1, 50)).toBe(false);
      } finally {
        await runner.stop();
      }
    });

    it('rebuild swaps fresh tables in and resets the checkpoint; status reports the lag', async () => {
      await someHistory();
      const head = await store.headPosition();
      const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
      await runner.catchUp();
      const before = await dumpTables(database.db);
      // Damage one read model behind the runner's back; a rebuild repairs it.
      await sql`delete from end_dates_staffings`.execute(database.db);
      await c.award({ reference: 'SPÄTER' });
      const progress: number[] = [];
      const result = await rebuildProjections({ db: database.db, store, names: ['end-dates'], onProgress: (done) => progress.push(done) });
      expect(result).toEqual({ names: ['end-dates'], position: head + 1, events: head + 1 });
      expect(progress.at(-1)).toBe(head + 1);
      const status = await projectionStatus({ db: database.db, store });
      expect(status.find((s) => s.name === 'end-dates')).toEqual({ name: 'end-dates', position: head + 1, head: head + 1, lag: 0 });
      expect(status.find((s) => s.name === 'staffing')).toEqual({ name: 'staffing', position: head, head: head + 1, lag: 1 });
      await runner.catchUp();
      const after = await dumpTables(database.db);
      expect(after['end_dates_staffings']).toEqual(before['end_dates_staffings']);
      const schemas = await sql<{ n: number }>`select count(*)::int as n from information_schema.schemata where schema_name like 'projections_rebuild_%'`.execute(database.db);
      expect(schemas.rows[0]!.n).toBe(0);
      await expect(rebuildProjections({ db: database.db, store, names: ['nope'] })).rejects.toThrow(/unknown projection "nope"/);
    });

    it('as-of replay: only events recorded ≤ knownAt, into scratch tables; the live tables are untouched', async () => {
      const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31' });
      const p = await c.establish(g);
      const [noted] = (await store.readAll({ after: 0, limit: 100 })).slice(-1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await c.grant(g, { type: 'AmendGrant', data: { amendedOn: '2021-03-01', periodEnd: '2022-12-31', reason: 'Verlängerung' } });
      await c.position(p, { type: 'DecideContinuation', data: { decision: 'own-funds', effectiveFrom: '2023-01-01', decidedBy: 'council', resolutionRef: 'SR-1', decidedOn: '2021-04-01' } });
      const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
      await runner.catchUp();
      const live = await dumpTables(database.db);
      const asOf = '2021-07-01';

      const then = await replayAsOf({
        db: database.db,
        store,
        knownAt: noted!.recordedAt,
        run: async (trx) => ({ risk: await queryContinuationRisk(trx, { asOf }), ends: await queryEndDates(trx, { asOf }) }),
      });
      expect(then.risk[0]).toMatchObject({ positionId: p, fundingEndsOn: '2021-12-31', risk: 'high', decision: null });
      expect(then.ends[0]).toMatchObject({ fundingEndsOn: '2021-12-31' });
      expect((await queryContinuationRisk(database.db, { asOf }))[0]).toMatchObject({ fundingEndsOn: '2022-12-31', risk: 'low' });
      expect(await dumpTables(database.db)).toEqual(live);
      expect(await runner.position()).toBe(await store.headPosition());
    });

    it('as-of replay asks its duty share again after every batch (the HTTP app lowers it while others are answered)', async () => {
      const g = await c.award({ periodStart: '2019-01-01', periodEnd: '2021-12-31' });
      await c.establish(g);
      const events = await store.headPosition();
      const shares: number[] = [];
      const items = await replayAsOf({
        db: database.db,
        store,
        readerFor: (trx) => new PostgresEventStore(trx),
        knownAt: '9999-12-31T00:00:00Z',
        batchSize: 1,
        // Full speed, except 99 % after the second batch (a pause of about 1/99 of the batch's time).
        dutyPercent: () => {
          shares.push(shares.length === 2 ? 99 : 100);
          return shares.at(-1)!;
        },
        run: (trx) => queryContinuationRisk(trx, { asOf: '2020-01-01' }),
      });
      expect(items).toHaveLength(1);
      // Once before the first batch (the share is checked), then once after each of the batches.
      expect(shares).toHaveLength(1 + events);
      await expect(
        replayAsOf({ db: database.db, store, knownAt: '9999-12-31T00:00:00Z', dutyPercent: () => 0, run: async () => 1 }),
      ).rejects.toThrow(RangeError);
    });
  });
}

describe.skipIf(!driverAvailable(postgresDriver))('two runners on two PostgreSQL pools', () => {
  it('apply every event exactly once', async () => {
    const database = await postgresDriver.open();
    const other = await openDatabase({ databaseUrl: database.url!, migrate: false });
    try {
      await sql`create table counted (position bigint primary key, runner text not null)`.execute(database.db);
      await sql`create table counter (id int primary key, n int not null)`.execute(database.db);
      await sql`insert into counter values (1, 0)`.execute(database.db);
      const counting = (runner: string): Projection => ({
        name: 'counter',
        tables: ['counted', 'counter'],
        async applyBatch(events, trx) {
          for (const event of events) {
            // A second application of one event would violate the primary key.
            await sql`insert into counted values (${event.globalPosition}, ${runner})`.execute(trx);
            await sql`update counter set n = n + 1 where id = 1`.execute(trx);
          }
        },
      });
      const store = new PostgresEventStore(database.db);
      const total = 400;
      for (let i = 0; i < total; i += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, j) =>
            store.append(`programme-t${(i + j) % 7}`, [versioned('ProgrammeEndDateSet', { endsOn: '2021-06-30', reason: null })], { expectedVersion: 'any' }),
          ),
        );
      }
      const a = createProjectionRunner({ db: database.db, store, projections: [counting('a')], batchSize: 7 });
      const b = createProjectionRunner({ db: other.db, store: new PostgresEventStore(other.db), projections: [counting('b')], batchSize: 11 });
      const reached = await Promise.all([a.catchUp(), b.catchUp(), a.catchUp(), b.catchUp()]);
      expect(reached.every((r) => r === total)).toBe(true);
      const n = (await sql<{ n: number }>`select n from counter`.execute(database.db)).rows[0]!.n;
      const rows = (await sql<{ c: number; runners: number }>`select count(*)::int as c, count(distinct runner)::int as runners from counted`.execute(database.db)).rows[0]!;
      expect(n).toBe(total);
      expect(rows.c).toBe(total);
      expect(rows.runners).toBeGreaterThanOrEqual(1);
    } finally {
      await other.close();
      await database.dispose();
    }
  });
});

describe('progress reporter', () => {
  it('redraws a bar with events/s and ETA on a terminal', () => {
    const out: string[] = [];
    const reporter = createProgressReporter({ stream: { isTTY: true, write: (s: string) => out.push(s) }, label: 'staffing' });
    reporter.update(250, 1000, 125);
    reporter.finish();
    expect(out[0]).toMatch(/^\rstaffing \[█+░+\] {2}25 % 250\/1000 · 125 Ereignisse\/s · noch 6 s/);
    expect(out.at(-1)).toBe('\n');
  });

  it('writes one plain line per 10 % when not a terminal', () => {
    const out: string[] = [];
    const reporter = createProgressReporter({ stream: { write: (s: string) => out.push(s) } });
    for (let done = 0; done <= 1000; done += 50) reporter.update(done, 1000, 1000);
    expect(out).toHaveLength(11);
    expect(out[1]).toBe('rebuild: 10 % (100/1000, 1.000 Ereignisse/s)\n');
  });
});
