// Where an append's time goes: calls of the append function with groups of 1, 8 and 32 appends,
// one after another on one connection, with and without waiting for the WAL flush, beside one
// single-row INSERT per transaction into a table of the same shape. Run:
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx tests/bench/append-profile.ts
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/db/index.js';
import { createScratchDatabase, dropScratchDatabase } from '../support/databases.js';

const url = await createScratchDatabase();
try {
  await (await openDatabase({ databaseUrl: url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const data = { grantId: randomUUID(), drawnOn: '2020-03-31', amountCents: 1_250_000 };
  const group = (n: number) =>
    JSON.stringify(
      Array.from({ length: n }, () => ({
        stream: `grant-${randomUUID()}`,
        expected: 'no-stream',
        key: null,
        metadata: { actor: { sub: 'bench', role: 'finance' } },
        events: [{ id: randomUUID(), type: 'FundsDrawn', schemaVersion: 1, data, digest: 'ab'.repeat(32) }],
      })),
    );
  await client.query('create table raw_events (like events including defaults including constraints including indexes)');
  const time = async (label: string, calls: number, perCall: number, run: () => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await run();
    const started = performance.now();
    for (let i = 0; i < calls; i++) await run();
    const ms = (performance.now() - started) / calls;
    process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(3)} ms per call  ${Math.round((perCall * 1000) / ms)} events/s\n`);
  };
  let position = 0;
  const raw = () =>
    client.query(
      `insert into raw_events values ($1, $2, 1, $3, 'FundsDrawn', 1, $4, '{}', now(), $5, $5)`,
      [++position, `grant-${randomUUID()}`, randomUUID(), JSON.stringify(data), '0'.repeat(64)],
    );
  for (const commit of ['on', 'off']) {
    await client.query(`set synchronous_commit = ${commit}`);
    await time(`raw INSERT (synchronous_commit ${commit})`, 500, 1, raw);
    for (const n of [1, 8, 32]) {
      await time(`append group of ${n} (synchronous_commit ${commit})`, 300, n, () => client.query('select verstetigt_append($1::jsonb)', [group(n)]));
    }
  }
  await client.end();
} finally {
  await dropScratchDatabase(url);
}
