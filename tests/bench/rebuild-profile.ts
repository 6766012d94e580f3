// Where a rebuild's time goes: seeds a synthetic log of 100,000 events into a scratch database,
// rebuilds every read model under the V8 profiler and prints the functions with the most self time.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx tests/bench/rebuild-profile.ts
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { seedProgrammes } from '../../src/commands/index.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.js';
import { seedSyntheticLog } from './synthetic.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const url = await createScratchDatabase();
const dir = mkdtempSync(join(tmpdir(), 'verstetigt-prof-'));
try {
  const database = await openDatabase({ databaseUrl: url, poolMax: 10 });
  const store = new PostgresEventStore(database.db);
  await seedProgrammes({ store });
  const { events } = await seedSyntheticLog({ store, events: 100_000 });
  await database.close();
  const root = new URL('../..', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'tests/bench/child.ts', 'rebuild', url], {
    cwd: root,
    maxBuffer: 1 << 24,
  });
  process.stdout.write(`events ${events}; child: ${stdout.trim().split('\n').at(-1)}\n`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url: source, lineNumber } = node.callFrame;
    const where = source.replace(/^.*\/(node_modules\/[^/]+(?:\/[^/]+)?|projections|src|schemas)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
    const area = /node_modules\/(zod|pg[^/]*|kysely|luxon)/.exec(source)?.[1] ?? (/\/(projections|schemas|src)\//.exec(source)?.[1]) ?? (functionName.startsWith('(') ? functionName : 'node/other');
    byArea.set(area, (byArea.get(area) ?? 0) + (node.hitCount ?? 0));
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`.padStart(6);
  process.stdout.write('\nself time by area:\n');
  for (const [area, hits] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 10)) process.stdout.write(`${pct(hits)}  ${area}\n`);
  process.stdout.write('\ntop functions by self time:\n');
  for (const [key, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`${pct(hits)}  ${key}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await dropScratchDatabase(url);
}
