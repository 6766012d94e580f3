// The as-of replay yields to the other requests in flight: the count it reads, and its decision.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { replayDuty } from '../../src/http/audit/as-of.js';
import { expensiveReads } from '../../src/http/expensive-reads.js';
import { requestLoad } from '../../src/http/request-load.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('requests in flight and the replay that yields to them', () => {
  it('counts a request from its arrival to its answer, a failed one too', async () => {
    const load = requestLoad();
    const hold = deferred();
    const app = new Hono();
    app.use('*', load.middleware);
    app.get('/slow', async (c) => {
      await hold.promise;
      return c.text('ok');
    });
    app.get('/fails', () => {
      throw new Error('boom');
    });
    app.onError((_error, c) => c.text('failed', 500));
    const slow = app.request('/slow');
    const another = app.request('/slow');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(load.inFlight).toBe(2);
    expect((await app.request('/fails')).status).toBe(500);
    expect(load.inFlight).toBe(2);
    hold.resolve();
    expect((await slow).status).toBe(200);
    await another;
    expect(load.inFlight).toBe(0);
  });

  it('keeps to its share while another request is answered, runs at full speed when only expensive reads are in flight', async () => {
    const load = { inFlight: 0 } as { inFlight: number } & Pick<ReturnType<typeof requestLoad>, 'middleware'>;
    const expensive = expensiveReads({ maxConcurrent: 2 });
    const duty = replayDuty({ load, expensive, replayDutyPercent: 10 });
    const replay = deferred();
    let asked: number[] = [];
    // The replay itself: one request in flight, inside the bound on expensive reads.
    load.inFlight = 1;
    const running = expensive.run('as-of', 'h', async () => {
      asked.push(duty());
      load.inFlight = 2; // a staffing view arrives
      asked.push(duty());
      load.inFlight = 1; // and is answered
      await replay.promise;
      asked.push(duty());
    });
    replay.resolve();
    await running;
    expect(asked).toEqual([100, 10, 100]);
    expect(expensive.inside).toBe(0);
    // Without a request count the share always applies; the default share is 10 %.
    asked = [replayDuty({ expensive })(), replayDuty({ expensive, replayDutyPercent: 40 })()];
    expect(asked).toEqual([10, 40]);
  });
});
