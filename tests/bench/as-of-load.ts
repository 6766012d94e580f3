// `npm run bench:as-of-load`: the staffing view's p99 idle and under 100 polite as-of callers, for the
// replay's pacing now (REPLAY_DUTY_PERCENT 10 % while other requests are answered, full speed
// otherwise) and for the earlier pacing (50 % of wall time always), side by side in one run and
// alternated over ROUNDS rounds, on a seeded synthetic log of 200,000 events at BENCH_DATABASE_URL
// (or TEST_DATABASE_URL). Each measurement gets a fresh server process (a replay the callers left
// running must not slow the next one). The last line on stdout is one JSON object.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { seedProgrammes } from '../../src/commands/index.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.js';
import { benchToken, load, staffingLoad, startBenchServer, underAsOfCallers } from './http.js';
import { seedSyntheticLog } from './synthetic.js';

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  process.stderr.write('bench:as-of-load: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL database\n');
  process.exit(1);
}
process.env.TEST_DATABASE_URL = url;
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const root = new URL('../..', import.meta.url).pathname;
const log = (line: string) => process.stderr.write(`as-of-load: ${line}\n`);
const PACINGS = { yielding: {}, 'always-50': { BENCH_REPLAY_PACING: 'always-50' } } as const;

const database = await createScratchDatabase();
try {
  const seeding = await openDatabase({ databaseUrl: database, poolMax: 10 });
  const store = new PostgresEventStore(seeding.db);
  await seedProgrammes({ store });
  log('seeding ~200000 events…');
  await seedSyntheticLog({ store, events: 200_000 });
  const events = await store.headPosition();
  await seeding.close();
  await promisify(execFile)(`${root}node_modules/.bin/tsx`, ['tests/bench/child.ts', 'rebuild', database], { cwd: root });
  log(`seeded and projected ${events} events`);

  const token = await benchToken();
  const runs: Array<{ pacing: string; round: number; idleP99Ms: number; underAsOfP99Ms: number; ratio: number; answered: number; refused: number }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [pacing, env] of Object.entries(PACINGS)) {
      const server = await startBenchServer(database, env);
      const { base } = server;
      try {
        const staffing = staffingLoad(base, token, 10);
        await load({ ...staffing, duration: 2 });
        const idle = await load(staffing);
        const busy = await underAsOfCallers(base, token, 'polite', () => load(staffing));
        const run = {
          pacing,
          round,
          idleP99Ms: idle.p99,
          underAsOfP99Ms: busy.result.p99,
          ratio: Math.round((busy.result.p99 / idle.p99) * 1000) / 1000,
          answered: busy.answered,
          refused: busy.refused,
        };
        log(JSON.stringify(run));
        runs.push(run);
      } finally {
        // Not drained: a replay left running must not hold the next measurement.
        await server.stop('SIGKILL');
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const summary = Object.fromEntries(Object.keys(PACINGS).map((p) => [p, median(runs.filter((r) => r.pacing === p).map((r) => r.ratio))]));
  process.stdout.write(`${JSON.stringify({ events, rounds: ROUNDS, medianRatio: summary, runs })}\n`);
} finally {
  await dropScratchDatabase(database);
}
