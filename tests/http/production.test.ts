// Operations: /health is liveness only, /ready checks the database and the projection lag, and a
// 500 is logged with the error's stack and its chain of causes (never the request body).
import { beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { describeEachDatabase } from '../support/databases.js';
import { grantBody } from '../support/fixtures.js';
import { testApp, type TestApp } from '../support/http.js';

describeEachDatabase('health and readiness', (suite) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp(suite.database, { readyMaxProjectionLag: 2 });
  });

  it('/health and /ready need no token; /ready is 503 while the read models lag beyond the setting', async () => {
    expect(await (await t.app.request('/health')).json()).toEqual({ status: 'ok' });
    // Three programmes recorded, nothing projected yet: lag 3 > 2.
    const behind = await t.app.request('/ready');
    expect(behind.status).toBe(503);
    expect(await behind.json()).toMatchObject({ status: 'behind', database: 'ok', lag: 3, maxLag: 2 });
    await t.runner.catchUp();
    const ready = await t.app.request('/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', lag: 0 });
    for (let i = 0; i < 3; i++) await t.post('/api/v1/grants', grantBody());
    expect((await t.app.request('/ready')).status).toBe(503);
  });
}, { per: 'suite' });

describeEachDatabase('error logs', (suite) => {
  it('a 500 is logged with stack and cause, and the client sees neither', async () => {
    const lines: string[] = [];
    const failing = new Error('projection checkpoint unreadable', { cause: Object.assign(new Error('relation "projection_checkpoints" does not exist'), { code: '42P01' }) });
    const t = await testApp(suite.database, {
      logger: createLogger('error', (line) => lines.push(line)),
      runner: { position: async () => 0, waitForPosition: async () => Promise.reject(failing) },
    });
    const response = await t.get('/api/v1/staffing?minPosition=1');
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toMatch(/projection_checkpoints|at /);
    const logged = JSON.parse(lines.find((l) => l.includes('request failed'))!) as { error: { message: string; stack: string; cause: { message: string; code: string; stack: string } } };
    expect(logged.error.message).toBe('projection checkpoint unreadable');
    expect(logged.error.stack).toMatch(/production\.test\.ts/);
    expect(logged.error.cause).toMatchObject({ message: 'relation "projection_checkpoints" does not exist', code: '42P01' });
    expect(logged.error.cause.stack).toMatch(/^Error: relation/);
  });
});
