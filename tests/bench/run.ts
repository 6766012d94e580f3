// `npm run bench` (full) and `npm run bench -- --quick` (under 3 minutes): benchmarks against
// PostgreSQL at BENCH_DATABASE_URL (or TEST_DATABASE_URL), each figure beside its reference in the
// same run. Progress and side figures go to stderr; the last line on stdout is one JSON object.
//
//  1. append: event store vs single-row INSERT transactions (1 and 8 writers) and vs Emmett (8)
//  2. rebuild of all read models over a seeded synthetic national log vs a keyset-paged read (floor),
//     peak RSS in a child process, the whole log in full and quick runs (BENCH_REBUILD_CAP_S=n caps
//     it at n seconds and reports the rate over what it replayed); the continuation-risk rebuild's
//     RSS is taken at half and at full size
//  3. HTTP (autocannon, 50 connections) vs a bare Hono JSON route of the same size on the same server
//  4. as-of replay (all read models) at the instant in the middle of the log
//  5. export and verify over the whole log, at half and at full size (memory must stay flat)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { seedProgrammes } from '../../src/commands/index.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.js';
import { benchAppend, benchEmmett } from './append.js';
import { benchHttp } from './http.js';
import { seedSyntheticLog } from './synthetic.js';

const quick = process.argv.includes('--quick');
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  process.stderr.write('bench: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL database\n');
  process.exit(1);
}
process.env.TEST_DATABASE_URL = url;

const EVENTS = quick ? 200_000 : 1_000_000;
const APPEND_S = quick ? 3 : 15;
const HTTP_S = quick ? 3 : 15;
const REBUILD_CAP_S = Number(process.env.BENCH_REBUILD_CAP_S ?? 0);
const root = new URL('../..', import.meta.url).pathname;
const began = performance.now();
const log = (line: string) => process.stderr.write(`bench [${Math.round((performance.now() - began) / 1000)}s]: ${line}\n`);
const round2 = (x: number) => Math.round(x * 100) / 100;

interface ChildResult {
  task: string;
  events: number;
  seconds: number;
  perSec: number;
  maxRssMb: number;
  complete?: boolean;
}

/** Runs one task of child.ts in its own process (its peak RSS is its own). */
async function child(task: string, db: string, extraEnv: Record<string, string> = {}, ...args: string[]): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(`${root}node_modules/.bin/tsx`, ['tests/bench/child.ts', task, db, ...args], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
  log(`${task}${extraEnv.BENCH_REBUILD_NAMES ? ` (${extraEnv.BENCH_REBUILD_NAMES})` : ''}: ${JSON.stringify(result)}`);
  return result;
}

async function setDatabase(db: string, setting: string): Promise<void> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    await client.query(`alter database ${new URL(db).pathname.slice(1)} ${setting}`);
  } finally {
    await client.end();
  }
}

const results: Record<string, unknown> = { quick };

// 1. Append ------------------------------------------------------------------------------------
{
  const [scratch, emmettDb] = [await createScratchDatabase(), await createScratchDatabase()];
  try {
    log(`append (${APPEND_S} s per run)…`);
    Object.assign(results, await benchAppend(scratch, APPEND_S));
    log('append: emmett-postgresql appendToStream, 8 writers…');
    const emmett = await benchEmmett(emmettDb, APPEND_S);
    Object.assign(results, emmett, { appendRatioToEmmett8: round2((results.appendPerSec8 as number) / emmett.emmettPerSec8) });
  } finally {
    await dropScratchDatabase(scratch);
    await dropScratchDatabase(emmettDb);
  }
}

// 2–5. The synthetic national log ------------------------------------------------------------------
const synthetic = await createScratchDatabase();
try {
  const database = await openDatabase({ databaseUrl: synthetic, poolMax: 10 });
  // Seeding only: commits need not wait for the WAL flush (reset before anything is measured).
  await setDatabase(synthetic, 'set synchronous_commit = off');
  await database.close();
  const seeding = await openDatabase({ databaseUrl: synthetic, poolMax: 10 });
  const store = new PostgresEventStore(seeding.db);
  await seedProgrammes({ store });
  log(`seeding ~${EVENTS} events…`);
  const seedStart = performance.now();
  const half: Record<string, ChildResult> = {};
  const seeded = await seedSyntheticLog({
    store,
    events: EVENTS,
    async onHalf(events) {
      log(`half size (${events} events): export, verify, continuation-risk rebuild`);
      half.export = await child('export', synthetic);
      half.verify = await child('verify', synthetic);
      half.rebuild = await child('rebuild', synthetic, { BENCH_REBUILD_NAMES: 'continuation-risk' });
    },
  });
  const events = await store.headPosition();
  log(`seeded ${seeded.events} events (head ${events}) in ${Math.round((performance.now() - seedStart) / 1000)} s`);
  await seeding.close();
  await setDatabase(synthetic, 'reset synchronous_commit');
  results.events = events;

  // 2. Rebuild vs read floor.
  const read = await child('read', synthetic);
  const rebuild = await child('rebuild', synthetic, REBUILD_CAP_S > 0 ? { BENCH_REBUILD_CAP_S: String(REBUILD_CAP_S) } : {});
  const riskRebuild = await child('rebuild', synthetic, { BENCH_REBUILD_NAMES: 'continuation-risk' });
  Object.assign(results, {
    readPerSec: read.perSec,
    rebuildPerSec: rebuild.perSec,
    rebuildEventsReplayed: rebuild.events,
    rebuildComplete: rebuild.complete,
    rebuildRatioToRead: round2(rebuild.perSec / read.perSec),
    rebuildPeakRssMb: rebuild.maxRssMb,
    riskRebuildPerSec: riskRebuild.perSec,
    riskRebuildPeakRssMbHalf: half.rebuild?.maxRssMb,
    riskRebuildPeakRssMb: riskRebuild.maxRssMb,
  });

  // 5. Export and verify at full size (half size was taken while seeding).
  const exported = await child('export', synthetic);
  const verified = await child('verify', synthetic);
  Object.assign(results, {
    exportPerSec: exported.perSec,
    exportPeakRssMbHalf: half.export?.maxRssMb,
    exportPeakRssMb: exported.maxRssMb,
    verifyPerSec: verified.perSec,
    verifyPeakRssMbHalf: half.verify?.maxRssMb,
    verifyPeakRssMb: verified.maxRssMb,
    halfEvents: half.verify?.events,
  });

  // 3. HTTP.
  log(`http (${HTTP_S} s per run, 50 connections)…`);
  Object.assign(results, await benchHttp(synthetic, HTTP_S, seeded.openGrants));

  // 4. As-of replay at the instant in the middle of the log.
  const client = new pg.Client({ connectionString: synthetic });
  await client.connect();
  const middle = (
    await client.query<{ at: string }>(
      `select to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from events where global_position = $1`,
      [Math.floor(events / 2)],
    )
  ).rows[0]!.at;
  await client.end();
  const asOf = await child('asof', synthetic, {}, middle);
  Object.assign(results, { asOfSeconds: asOf.seconds, asOfEvents: asOf.events, asOfPeakRssMb: asOf.maxRssMb });
} finally {
  await dropScratchDatabase(synthetic);
}

results.totalSeconds = Math.round((performance.now() - began) / 1000);
process.stdout.write(`${JSON.stringify(results)}\n`);
