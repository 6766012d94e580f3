// Append throughput: the event store (one event per command) beside the database's floor — single-row
// INSERT transactions into a table of the same shape — with 1 and 8 concurrent writers, and beside
// the peer @event-driven-io/emmett-postgresql (appendToStream, 8 writers) on the same server in a
// database of its own.
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';

export interface AppendFigures {
  appendPerSec1: number;
  appendPerSec8: number;
  rawPerSec1: number;
  rawPerSec8: number;
  appendRatioToRaw1: number;
  appendRatioToRaw8: number;
}

export interface EmmettFigures {
  emmettPerSec8: number;
}

/** Measures Emmett's appendToStream with 8 writers (one event each, expected version) on the empty database at `url`. */
export async function benchEmmett(url: string, seconds: number): Promise<EmmettFigures> {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  const data = { grantId: randomUUID(), drawnOn: '2020-03-31', amountCents: 1_250_000 };
  const versions = new Map<string, bigint>();
  const prefix = randomUUID().slice(0, 8);
  // One warm-up append per writer's first stream, outside the clock (connections, prepared plans).
  await store.appendToStream(`grant-${prefix}-warmup`, [{ type: 'FundsDrawn', data }]);
  const perSec = await forDuration(8, seconds, async (w, i) => {
    const stream = `grant-${prefix}-${w}-${i % 50}`;
    const result = await store.appendToStream(stream, [{ type: 'FundsDrawn', data, metadata: { actor: { sub: 'bench', role: 'finance' }, correlationId: randomUUID() } }], {
      expectedStreamVersion: versions.get(stream) ?? 0n,
    });
    versions.set(stream, result.nextExpectedStreamVersion);
  });
  await store.close();
  return { emmettPerSec8: Math.round(perSec) };
}

async function forDuration(writers: number, seconds: number, once: (writer: number, i: number) => Promise<void>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await once(w, i);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Measures store appends and raw inserts on the (empty, scratch) database at `url`. */
export async function benchAppend(url: string, seconds: number): Promise<AppendFigures> {
  const database = await openDatabase({ databaseUrl: url, poolMax: 10 });
  const store = new PostgresEventStore(database.db);
  const data = { grantId: randomUUID(), drawnOn: '2020-03-31', amountCents: 1_250_000 };
  const storeRun = async (writers: number) => {
    const versions = new Map<string, number>();
    const prefix = randomUUID().slice(0, 8);
    return forDuration(writers, seconds, async (w, i) => {
      const stream = `grant-${prefix}-${w}-${i % 50}`;
      const version = versions.get(stream) ?? 0;
      const result = await store.append(stream, [{ type: 'FundsDrawn', schemaVersion: 1, data }], {
        expectedVersion: version,
        metadata: { actor: { sub: 'bench', role: 'finance' }, correlationId: randomUUID() },
      });
      versions.set(stream, result.nextExpectedVersion);
    });
  };

  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Same columns, constraints and indexes as the log (not its append-only trigger): the cost of
  // storing one such row, committed on its own.
  await pool.query(`create table if not exists raw_events (like events including defaults including constraints including indexes)`);
  await pool.query(`create sequence if not exists raw_events_seq`);
  const rawRun = (writers: number) =>
    forDuration(writers, seconds, async (w, i) => {
      await pool.query(
        `insert into raw_events (global_position, stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
         values (nextval('raw_events_seq'), $1, $2, $3, 'FundsDrawn', 1, $4, $5, now(), $6, $6)`,
        [`grant-${w}-${randomUUID()}`, i + 1, randomUUID(), JSON.stringify(data), JSON.stringify({ actor: { sub: 'bench', role: 'finance' } }), '0'.repeat(64)],
      );
    });

  // Side by side, alternating, so drift on a shared machine hits both alike.
  const rawPerSec1 = await rawRun(1);
  const appendPerSec1 = await storeRun(1);
  const rawPerSec8 = await rawRun(8);
  const appendPerSec8 = await storeRun(8);
  await pool.end();
  const verified = await store.verify();
  if (!verified.ok) throw new Error(`chain broken after the append benchmark at ${verified.firstBadPosition}`);
  await database.close();
  return {
    appendPerSec1: Math.round(appendPerSec1),
    appendPerSec8: Math.round(appendPerSec8),
    rawPerSec1: Math.round(rawPerSec1),
    rawPerSec8: Math.round(rawPerSec8),
    appendRatioToRaw1: round2(appendPerSec1 / rawPerSec1),
    appendRatioToRaw8: round2(appendPerSec8 / rawPerSec8),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
