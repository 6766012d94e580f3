// The demo scenario: recorded through the command handlers without a single refusal, on an intact
// chain, covering the programmes and municipalities DOMAIN.md names, and without personal names.
import { expect, it } from 'vitest';
import { recordDemo } from '../../infra/demo/index.js';
import { allProjections, createProjectionRunner, queryContinuationRisk } from '../../projections/index.js';
import { fixedClock, type Clock } from '../../src/clock.js';
import { seedProgrammes } from '../../src/commands/index.js';
import { PostgresEventStore, type StoredEvent } from '../../src/eventstore/index.js';
import { describeEachDatabase } from '../support/databases.js';

describeEachDatabase('demo scenario', (suite) => {
  it('records a Thuringian history 2016–2024 through the command handlers', async () => {
    const store = new PostgresEventStore(suite.database.db);
    await seedProgrammes({ store });
    const commands = await recordDemo({ store }, fixedClock('2026-11-27T09:00:00Z'));
    const events: StoredEvent[] = [];
    for await (const batch of store.iterateAll()) events.push(...batch);
    expect(events.length).toBe(commands + 3);
    expect(await store.verify()).toMatchObject({ ok: true, checked: events.length });

    const awards = events.filter((e) => e.type === 'GrantAwarded').map((e) => e.data as { municipality: string; programme: string });
    const has = (programme: string, ags: string) => awards.some((a) => a.programme === programme && a.municipality === ags);
    // Bildung integriert in Jena, Nordhausen, Sömmerda, Eisenach; newcomers in Nordhausen and Weimar.
    for (const ags of ['16053000', '16062000', '16068000', '16056000']) expect(has('bildung-integriert', ags)).toBe(true);
    for (const ags of ['16062000', '16055000']) expect(has('neuzugewanderte', ags)).toBe(true);
    expect(new Set(awards.filter((a) => a.programme === 'thilik').map((a) => a.municipality)).size).toBeGreaterThanOrEqual(3);

    const types = new Set(events.map((e) => e.type));
    for (const type of ['GrantAmended', 'FundsDrawn', 'ProofOfUseSubmitted', 'GrantClosed', 'PositionStaffed', 'PositionVacated', 'ContinuationDecided', 'PositionAbolished']) {
      expect(types.has(type), type).toBe(true);
    }
    const decisions = events.filter((e) => e.type === 'ContinuationDecided').map((e) => e.data as { decision: string; decidedBy: string });
    expect(new Set(decisions.map((d) => d.decision))).toEqual(new Set(['own-funds', 'follow-up-funding', 'partial', 'discontinue']));
    expect(decisions.some((d) => d.decidedBy === 'council')).toBe(true);

    // People only as pseudonymous references.
    const staffed = events.filter((e) => e.type === 'PositionStaffed').map((e) => (e.data as { personRef: string }).personRef);
    expect(staffed.length).toBeGreaterThan(5);
    for (const ref of staffed) expect(ref).toMatch(/^P-[A-Z]+-\d{4}$/);
    expect(events.every((e) => e.metadata.actor !== undefined)).toBe(true);
  });
});

describeEachDatabase('demo scenario and continuation risk', (suite) => {
  // The demo dates its current ESF Plus grants relative to the day it is recorded, so on that day
  // every risk level appears: checked on fixed days (never the real today, so a run does not
  // depend on the day it runs): an ordinary one, New Year's Day in Berlin while UTC still says
  // 31 December, and a leap day.
  for (const [name, clock] of [
    ['2026-11-27', fixedClock('2026-11-27T09:00:00Z')],
    ["New Year's Day 2028 (23:30 UTC on 31 December)", fixedClock('2027-12-31T23:30:00Z')],
    ['a leap day', fixedClock('2028-02-29T09:00:00Z')],
  ] as Array<[string, Clock]>) {
    it(`shows every risk level when recorded and viewed on ${name}`, async () => {
      const { db } = suite.database;
      const store = new PostgresEventStore(db);
      await seedProgrammes({ store });
      await recordDemo({ store }, clock);
      await createProjectionRunner({ db, store, projections: allProjections }).catchUp();
      const items = await queryContinuationRisk(db, { asOf: clock.today(), municipalities: '*' });
      const levels = new Set(items.map((i) => i.risk));
      expect([...levels].sort()).toEqual(['ended', 'high', 'low', 'medium', 'none']);
      for (const item of items) expect(item.reason.length).toBeGreaterThan(20);
    });
  }
});
