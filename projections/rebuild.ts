// Rebuilding read models from position 0 and reporting each projection's lag — the functions
// behind `npm run cli -- rebuild [name]` and `npm run cli -- status`.
//
// A rebuild replays into fresh copies of the tables in a scratch schema (put first in
// search_path, so the unchanged projection code writes there), then swaps them in within one
// transaction: drop the live table, move the copy into the live schema, reset the checkpoint to the
// position replayed. Readers see the old rows until the commit and the new ones after it — never an
// empty table. Events applied to the old tables meanwhile are simply re-applied by the runner
// from the reset checkpoint.
//
// The copies are bulk loaded UNLOGGED (a crash loses only scratch tables) and with only their
// primary keys (which the batched apply looks rows up by); before the swap they are set LOGGED,
// the other indexes are built once with the live tables' names and definitions, and they are
// ANALYZEd.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { EventStore } from '../src/eventstore/index.js';
import { allProjections, selectProjections } from './registry.js';
import { applyToAll, ensureCheckpoints, readCheckpoints } from './runner.js';
import { toProjectedEvent, type StreamReader } from './stream-reader.js';
import type { Executor, Projection } from './types.js';

export interface RebuildOptions {
  db: Executor;
  store: EventStore;
  /** Projection names to rebuild (default: all). */
  names?: readonly string[];
  /** The candidates `names` are looked up in (default: every read model). */
  projections?: readonly Projection[];
  /** Events per transaction (default 4000). */
  batchSize?: number;
  /** Called after each batch: events replayed, events to replay (the head when the rebuild began, or more), events per second. */
  onProgress?(done: number, total: number, eventsPerSec: number): void;
  /** How a correction reads its stream (default: the `events` table; `streamReaderOf(store)` for a log elsewhere). */
  readStream?: StreamReader;
}

export interface RebuildResult {
  names: string[];
  /** The position the rebuilt read models reached (their new checkpoint). */
  position: number;
  events: number;
}

interface IndexInfo {
  name: string;
  definition: string;
  primary: boolean;
}

/** The indexes of `schema`.`table`, with their CREATE INDEX statements. */
async function indexesOf(db: Executor, schema: string, table: string): Promise<IndexInfo[]> {
  return (
    await sql<IndexInfo>`
      select c.relname as name, pg_get_indexdef(i.indexrelid) as definition, i.indisprimary as primary
        from pg_index i
        join pg_class c on c.oid = i.indexrelid
        join pg_class t on t.oid = i.indrelid
        join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = ${schema} and t.relname = ${table}
       order by c.relname`.execute(db)
  ).rows;
}

/** A live index's CREATE INDEX statement, pointed at the copy of its table (same index name). */
function onScratch(definition: string, scratch: string, table: string): string {
  const match = /^(CREATE (?:UNIQUE )?INDEX \S+ ON )(?:ONLY )?\S+( USING .*)$/s.exec(definition);
  if (!match) throw new Error(`rebuild: cannot read index definition: ${definition}`);
  return `${match[1]}"${scratch}"."${table}"${match[2]}`;
}

/** Replays the log from 0 into fresh tables for the named projections and swaps them in atomically. */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildResult> {
  const { db, store, batchSize = 4000, onProgress, readStream } = options;
  const selected = selectProjections(options.names, options.projections ?? allProjections);
  const names = selected.map((p) => p.name);
  const live = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema;
  const scratch = `projections_rebuild_${randomBytes(6).toString('hex')}`;
  const tables = selected.flatMap((p) => [...p.tables]);

  await sql`create schema ${sql.id(scratch)}`.execute(db);
  try {
    for (const table of tables) {
      await sql`create unlogged table ${sql.table(`${scratch}.${table}`)} (like ${sql.table(`${live}.${table}`)} including all)`.execute(db);
      // Loaded with the primary key only; the other indexes are built after the load.
      for (const index of await indexesOf(db, scratch, table)) {
        if (!index.primary) await sql`drop index ${sql.table(`${scratch}.${index.name}`)}`.execute(db);
      }
    }
    const total = await store.headPosition();
    const started = Date.now();
    let done = 0;
    let position = 0;
    const batches = store.iterateAll({ batchSize });
    // The next batch is read and parsed while this one is applied.
    const readNext = () => batches.next().then((r) => (r.done ? null : r.value.map(toProjectedEvent)));
    let next = readNext();
    try {
      for (;;) {
        const events = await next;
        if (events === null) break;
        next = readNext();
        await db.transaction().execute(async (trx) => {
          // Scratch first: the projections' unqualified names resolve to the fresh copies. A crash
          // loses only scratch tables, so the batches need not wait for the WAL flush; the swap does.
          await sql`select set_config('search_path', ${`"${scratch}", "${live}"`}, true), set_config('synchronous_commit', 'off', true)`.execute(trx);
          await applyToAll(selected, events, trx, readStream);
        });
        done += events.length;
        position = events[events.length - 1]!.globalPosition;
        const seconds = Math.max((Date.now() - started) / 1000, 0.001);
        onProgress?.(done, Math.max(total, done), done / seconds);
      }
    } finally {
      // Settles a read in flight when the loop ended early (an error, or a progress callback that threw).
      await next.catch(() => undefined);
      await batches.return(undefined);
    }
    if (done === 0) onProgress?.(0, 0, 0);

    for (const table of tables) {
      // SET LOGGED first: it rewrites the table and its indexes into the WAL; built after, the
      // other indexes are logged once.
      await sql`alter table ${sql.table(`${scratch}.${table}`)} set logged`.execute(db);
      for (const index of await indexesOf(db, live, table)) {
        if (!index.primary) await sql.raw(onScratch(index.definition, scratch, table)).execute(db);
      }
      await sql`analyze ${sql.table(`${scratch}.${table}`)}`.execute(db);
    }

    await ensureCheckpoints(db, names);
    await db.transaction().execute(async (trx) => {
      // Locking the checkpoint rows first (in name order, as the runner does) waits for a batch
      // in flight and keeps the next one out until the swap commits.
      await readCheckpoints(trx, names, true);
      for (const table of tables) {
        await sql`drop table ${sql.table(`${live}.${table}`)}`.execute(trx);
        await sql`alter table ${sql.table(`${scratch}.${table}`)} set schema ${sql.id(live)}`.execute(trx);
      }
      await trx
        .updateTable('projection_checkpoints')
        .set({ position, updated_at: sql`now()` })
        .where('name', 'in', names)
        .execute();
      await sql`drop schema ${sql.id(scratch)}`.execute(trx);
    });
    return { names, position, events: done };
  } catch (error) {
    await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(db).catch(() => {});
    throw error;
  }
}

export interface ProjectionStatus {
  name: string;
  position: number;
  head: number;
  lag: number;
}

/** Each projection's checkpoint, the log's head and the difference. */
export async function projectionStatus(options: { db: Executor; store: EventStore; projections?: readonly Projection[] }): Promise<ProjectionStatus[]> {
  const projections = options.projections ?? allProjections;
  const names = projections.map((p) => p.name);
  const [checkpoints, head] = await Promise.all([readCheckpoints(options.db, names), options.store.headPosition()]);
  return names.map((name) => {
    const position = checkpoints.get(name) ?? 0;
    return { name, position, head, lag: Math.max(0, head - position) };
  });
}
