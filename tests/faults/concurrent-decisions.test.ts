// Fault 3: two clients decide on the same position at the same moment with the same If-Match.
// Exactly one wins (200), the other gets 409, and the log holds one decision. On every driver.
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { grantBody, positionBody } from '../support/fixtures.js';
import { testApp, type TestApp } from '../support/http.js';

const decision = (decidedOn: string) => ({
  decision: 'own-funds',
  effectiveFrom: '2019-09-01',
  decidedBy: 'administration',
  decidedOn,
});

describeEachDatabase('concurrent decisions with one If-Match', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(suite.database);
  });

  it('lets exactly one of two racing decisions through, ten times over', async () => {
    const grant = await t.post('/api/v1/grants', grantBody());
    expect(grant.status).toBe(201);
    const grantId = ((await grant.json()) as { id: string }).id;
    for (let round = 0; round < 10; round++) {
      const created = await t.post('/api/v1/positions', positionBody(grantId, { title: `Stelle ${round}` }));
      expect(created.status).toBe(201);
      const { id, version } = (await created.json()) as { id: string; version: number };
      const ifMatch = { 'if-match': `W/"${version}"` };
      const [a, b] = await Promise.all([
        t.post(`/api/v1/positions/${id}/continuation-decisions`, decision('2019-03-01'), ifMatch),
        t.post(`/api/v1/positions/${id}/continuation-decisions`, decision('2019-03-02'), ifMatch),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = [a, b].find((r) => r.status === 409)!;
      expect(loser.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const events = await t.store.readStream(`position-${id}`);
      expect(events.filter((e) => e.type === 'ContinuationDecided')).toHaveLength(1);
      expect(events.at(-1)!.streamVersion).toBe(version + 1);
    }
  });
}, { per: 'suite' });
