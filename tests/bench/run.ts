// `npm run bench` (full) and `npm run bench -- --quick`: benchmarks against PostgreSQL at
// BENCH_DATABASE_URL (or TEST_DATABASE_URL), each figure beside its reference in the same run.
// The last line printed is one JSON object with every figure.
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.js';
import { benchAppend } from './append.js';

const quick = process.argv.includes('--quick');
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) {
  process.stderr.write('bench: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL database\n');
  process.exit(1);
}
process.env.TEST_DATABASE_URL = url;

const results: Record<string, number> = {};
const scratch = await createScratchDatabase();
try {
  process.stderr.write(`bench: append (${quick ? 5 : 15} s per run)…\n`);
  Object.assign(results, await benchAppend(scratch, quick ? 5 : 15));
} finally {
  await dropScratchDatabase(scratch);
}
process.stdout.write(`${JSON.stringify(results)}\n`);
