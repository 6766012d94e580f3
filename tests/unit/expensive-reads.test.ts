// The guard around expensive audit reads: cache by head, one run per identical request in flight,
// at most N runs at once (429 with Retry-After beyond).
import { describe, expect, it } from 'vitest';
import { expensiveReads } from '../../src/http/expensive-reads.js';
import { HttpProblem } from '../../src/http/index.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('expensive reads', () => {
  it('refuses a run beyond the limit with 429 and Retry-After, and accepts again once one ends', async () => {
    const guard = expensiveReads({ maxConcurrent: 2, random: () => 0.3 });
    const a = deferred<string>();
    const b = deferred<string>();
    const first = guard.run('a', 'h1', () => a.promise);
    const second = guard.run('b', 'h1', () => b.promise);
    expect(guard.running).toBe(2);
    const third = guard.run('c', 'h1', async () => 'c');
    await expect(third).rejects.toBeInstanceOf(HttpProblem);
    await third.catch((error: HttpProblem) => {
      expect(error.status).toBe(429);
      expect(error.headers['retry-after']).toBe('2');
    });
    a.resolve('A');
    expect(await first).toBe('A');
    expect(await guard.run('c', 'h1', async () => 'c')).toBe('c');
    b.resolve('B');
    expect(await second).toBe('B');
    expect(guard.running).toBe(0);
  });

  it('identical requests in flight share one run; a result is served from the cache until the head moves', async () => {
    const guard = expensiveReads({ maxConcurrent: 2 });
    let runs = 0;
    const slow = deferred<number>();
    const run = () => {
      runs += 1;
      return slow.promise;
    };
    const both = Promise.all([guard.run('q', 'h1', run), guard.run('q', 'h1', run)]);
    slow.resolve(7);
    expect(await both).toEqual([7, 7]);
    expect(await guard.run('q', 'h1', async () => 8)).toBe(7);
    expect(runs).toBe(1);
    expect(await guard.run('q', async () => 'h2', async () => 9)).toBe(9);
  });

  it('a cached result expires after its time, and a failed run is not cached', async () => {
    let t = 0;
    const guard = expensiveReads({ maxConcurrent: 1, ttlMs: 1000, now: () => t });
    expect(await guard.run('q', 'h', async () => 1)).toBe(1);
    t = 1001;
    expect(await guard.run('q', 'h', async () => 2)).toBe(2);
    await expect(guard.run('e', 'h', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await guard.run('e', 'h', async () => 3)).toBe(3);
  });

  it('spreads the Retry-After of refused callers over 1–4 s, so they do not all come back at once', async () => {
    const draws = [0, 0.26, 0.5, 0.999];
    const guard = expensiveReads({ maxConcurrent: 1, random: () => draws.shift()! });
    const hold = deferred<void>();
    const first = guard.run('a', 'h', () => hold.promise);
    expect(guard.inside).toBe(1);
    const refusals: HttpProblem[] = [];
    for (let i = 0; i < 4; i++) await guard.run(`b${i}`, 'h', async () => undefined).catch((error: HttpProblem) => refusals.push(error));
    expect(refusals.map((r) => r.headers['retry-after'])).toEqual(['1', '2', '3', '4']);
    expect(refusals[3]!.message).toContain('in 4 s erneut');
    expect(guard.inside).toBe(1);
    hold.resolve();
    await first;
    expect(guard.inside).toBe(0);
  });
});
