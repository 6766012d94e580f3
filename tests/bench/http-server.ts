// The HTTP benchmark's server, in a process of its own: the real app (createApp) over the database at
// argv[2], on port argv[3], plus bare Hono JSON routes on the same Node server as the reference:
//   GET  /bare/json?bytes=N  a JSON array of small objects, about N bytes, serialised per request
//   POST /bare/drawdown      reads the JSON body and answers { id, version, globalPosition }
// Tokens are verified with BENCH_JWT_SECRET.
// The projection runner is created but not started: the benchmark reads the read models as they are.
// BENCH_REPLAY_PACING=always-50 (tests/bench/as-of-load.ts): the as-of replay keeps to 50 % of wall
// time whether or not other requests are answered, the pacing before replays yielded to them.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { allProjections, createProjectionRunner } from '../../projections/index.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { createTokenVerifier } from '../../src/http/auth/index.js';
import { createApp } from '../../src/http/index.js';

const [url, port] = process.argv.slice(2);
const database = await openDatabase({ databaseUrl: url!, poolMax: 10 });
const store = new PostgresEventStore(database.db);
const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
const app = createApp({
  db: database.db,
  store,
  runner,
  verifier: createTokenVerifier({ jwtSecret: process.env.BENCH_JWT_SECRET! }),
  writeRateLimitPerMinute: 0,
  ...(process.env.BENCH_REPLAY_PACING === 'always-50'
    ? { replayDutyPercent: 50, requestLoad: { inFlight: Number.POSITIVE_INFINITY, middleware: (_c: unknown, next: () => Promise<void>) => next() } }
    : {}),
});

const payloads = new Map<number, Array<{ positionId: string; reason: string; n: number }>>();
const payload = (bytes: number) => {
  let items = payloads.get(bytes);
  if (!items) {
    // Each item serialises to 100 bytes plus a comma.
    items = Array.from({ length: Math.max(1, Math.round(bytes / 101)) }, (_, i) => ({
      positionId: '0190b2f8-6c1e-7000-8000-000000000001',
      reason: 'x'.repeat(36),
      n: 100000 + i,
    }));
    payloads.set(bytes, items);
  }
  return items;
};

const outer = new Hono();
outer.get('/bare/json', (c) => c.json({ asOf: '2026-11-27', items: payload(Number(c.req.query('bytes') ?? 1000)) }));
outer.post('/bare/drawdown', async (c) => {
  const body = (await c.req.json()) as { amountCents?: number };
  return c.json({ id: '0190b2f8-6c1e-7000-8000-000000000001', version: 123, globalPosition: 1_000_000 + (body.amountCents ?? 0) });
});
outer.all('*', (c) => app.fetch(c.req.raw));

serve({ fetch: outer.fetch, port: Number(port) }, () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => {
  void database.close().finally(() => process.exit(0));
});
