// One measured task in a process of its own, so its peak RSS is its own:
//   tsx tests/bench/child.ts <rebuild|read|verify|export|asof> <database url> [knownAt]
// Prints one JSON line: { task, events, seconds, perSec, maxRssMb, ... }.
// `read` is the read floor: a keyset-paged read of the whole events table into Node with pg,
// 1000 rows a page, nothing else done with the rows.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import pg from 'pg';
import { allProjections, queryContinuationRisk, rebuildProjections, replayAsOf } from '../../projections/index.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';

const [task, url, knownAt] = process.argv.slice(2);
if (!task || !url) {
  process.stderr.write('usage: child.ts <rebuild|read|verify|export|asof> <database url> [knownAt]\n');
  process.exit(2);
}

class CapReached extends Error {}

async function run(): Promise<Record<string, unknown>> {
  if (task === 'read') {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    let after = 0;
    let events = 0;
    for (;;) {
      const { rows } = await pool.query(
        'select * from events where global_position > $1 order by global_position limit 1000',
        [after],
      );
      if (rows.length === 0) break;
      events += rows.length;
      after = Number(rows[rows.length - 1].global_position);
    }
    await pool.end();
    return { events };
  }
  const database = await openDatabase({ databaseUrl: url, poolMax: 2, migrate: false });
  const store = new PostgresEventStore(database.db);
  try {
    switch (task) {
      case 'rebuild': {
        // BENCH_REBUILD_NAMES: only these read models; BENCH_REBUILD_CAP_S: stop after so many
        // seconds (the rebuild is abandoned, its scratch tables dropped) and report the rate so far.
        const names = process.env.BENCH_REBUILD_NAMES?.split(',').filter(Boolean);
        const cap = Number(process.env.BENCH_REBUILD_CAP_S ?? 0);
        const began = performance.now();
        let done = 0;
        try {
          const result = await rebuildProjections({
            db: database.db,
            store,
            projections: allProjections,
            ...(names ? { names } : {}),
            onProgress(n) {
              done = n;
              if (cap > 0 && performance.now() - began > cap * 1000) throw new CapReached();
            },
          });
          return { events: result.events, complete: true };
        } catch (error) {
          if (!(error instanceof CapReached)) throw error;
          return { events: done, complete: false };
        }
      }
      case 'verify': {
        const report = await store.verify();
        if (!report.ok) throw new Error(`chain broken at ${report.firstBadPosition}`);
        return { events: report.checked };
      }
      case 'export': {
        // What `npm run cli -- export` does, written to /dev/null with the same back-pressure.
        const out = createWriteStream('/dev/null');
        let events = 0;
        for await (const batch of store.iterateAll({ batchSize: 1000 })) {
          let chunk = '';
          for (const event of batch) chunk += `${JSON.stringify(event)}\n`;
          events += batch.length;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        return { events };
      }
      case 'asof': {
        if (!knownAt) throw new Error('asof needs knownAt');
        const items = await replayAsOf({
          db: database.db,
          store,
          readerFor: (trx) => new PostgresEventStore(trx),
          knownAt,
          run: (trx) => queryContinuationRisk(trx, { asOf: knownAt.slice(0, 10) }),
        });
        const replayed = (await database.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('recorded_at', '<=', knownAt).executeTakeFirst()) as { n: string };
        return { events: Number(replayed.n), items: items.length };
      }
      default:
        throw new Error(`unknown task ${task}`);
    }
  } finally {
    await database.close();
  }
}

const started = performance.now();
const result = await run();
const seconds = (performance.now() - started) / 1000;
const events = Number(result.events);
process.stdout.write(
  `${JSON.stringify({
    task,
    ...result,
    seconds: Math.round(seconds * 100) / 100,
    perSec: Math.round(events / seconds),
    // maxRSS is in kilobytes.
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
