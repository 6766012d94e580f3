// Batched apply for the read models: a batch of events is folded in memory against the rows it
// touches, then written back in a few multi-row statements, instead of one awaited statement per
// event. A read model's `applyBatch` (1) collects the keys its events touch, (2) loads those rows
// with one query per table (`TableBuffer.load`), (3) folds the events in log order through
// `insert` / `update` / `get` / `children`, and (4) writes back with `flush`: new rows in one
// plain INSERT (a duplicate key fails as the primary key would), changed rows in one INSERT … ON
// CONFLICT DO UPDATE. Memory is bounded by the batch: only the rows its events touch are held.
import { sql } from 'kysely';
import type { Executor } from './types.js';

/** One row of a read table, as node-postgres returns it (bigint columns as strings). */
export type Row = Record<string, unknown>;

/** The rows of one table that a batch reads or writes, keyed by primary key. Not shared between batches. */
export class TableBuffer {
  readonly #rows = new Map<string, Row>();
  /** Keys of rows inserted in this batch (absent from the table before it). */
  readonly #fresh = new Set<string>();
  /** Keys of loaded rows changed in this batch. */
  readonly #dirty = new Set<string>();
  /** Rows by the value of the first key column (a child table's parent id). */
  readonly #byParent = new Map<string, Row[]>();

  /**
   * @param table the read table (unqualified: a rebuild's search_path or TEMP copies redirect it)
   * @param key its primary-key columns
   * @param columns every column, key columns included
   */
  constructor(
    readonly table: string,
    readonly key: readonly string[],
    readonly columns: readonly string[],
  ) {}

  #keyOf(row: Row): string {
    return this.key.length === 1 ? String(row[this.key[0]!]) : this.key.map((c) => String(row[c])).join('\u0000');
  }

  #remember(row: Row): string {
    const k = this.#keyOf(row);
    this.#rows.set(k, row);
    const parent = String(row[this.key[0]!]);
    const siblings = this.#byParent.get(parent);
    if (siblings) siblings.push(row);
    else this.#byParent.set(parent, [row]);
    return k;
  }

  /** Loads the rows whose `column` is one of `values` (one query; none when `values` is empty). Call before folding. */
  async load(trx: Executor, column: string, values: Iterable<string>): Promise<void> {
    const list = [...new Set(values)];
    if (list.length === 0) return;
    const rows = (await sql<Row>`select * from ${sql.table(this.table)} where ${sql.ref(column)} = any(${list}::text[])`.execute(trx)).rows;
    for (const row of rows) if (!this.#rows.has(this.#keyOf(row))) this.#remember(row);
  }

  /** The row with this single-column key, if loaded or inserted in this batch. */
  get(key: string): Row | undefined {
    return this.#rows.get(key);
  }

  /** The loaded or inserted rows whose first key column is `parent` (load by that column first). */
  children(parent: string): readonly Row[] {
    return this.#byParent.get(parent) ?? [];
  }

  /** Adds a new row (every column); a key already known fails like the primary key would. */
  insert(row: Row): void {
    if (this.#rows.has(this.#keyOf(row))) {
      throw new Error(`duplicate key value violates unique constraint "${this.table}_pkey" (batched apply)`);
    }
    this.#fresh.add(this.#remember(row));
  }

  /** Changes non-key columns of a row obtained from get() or children(). */
  update(row: Row, changes: Row): void {
    Object.assign(row, changes);
    const k = this.#keyOf(row);
    if (!this.#fresh.has(k)) this.#dirty.add(k);
  }

  /**
   * Writes the batch's new and changed rows: at most two statements. The rows travel as one JSON
   * parameter expanded by json_populate_recordset into the table's own row type (which the search
   * path resolves like the table: a rebuild's scratch copy, an as-of TEMP copy), so neither Kysely
   * nor the driver handles thousands of single parameters.
   */
  async flush(trx: Executor): Promise<void> {
    const rowsOf = (keys: Set<string>) => {
      const rows: Row[] = [];
      for (const k of keys) rows.push(this.#rows.get(k)!);
      return JSON.stringify(rows, jsonSafe);
    };
    const table = sql.table(this.table);
    const columns = sql.join(this.columns.map((c) => sql.ref(c)));
    if (this.#fresh.size > 0) {
      await sql`insert into ${table} (${columns})
        select ${columns} from json_populate_recordset(null::${table}, ${rowsOf(this.#fresh)}::json)`.execute(trx);
    }
    if (this.#dirty.size > 0) {
      const nonKey = this.columns.filter((c) => !this.key.includes(c));
      await sql`insert into ${table} (${columns})
        select ${columns} from json_populate_recordset(null::${table}, ${rowsOf(this.#dirty)}::json)
        on conflict (${sql.join(this.key.map((c) => sql.ref(c)))})
        do update set ${sql.join(nonKey.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`.execute(trx);
    }
    this.#fresh.clear();
    this.#dirty.clear();
  }
}

/** JSON.stringify replacer: a bigint (PGlite may return int8 so) as its decimal string. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? String(value) : value;
}

/** Flushes several buffers in order. */
export async function flushAll(trx: Executor, ...buffers: TableBuffer[]): Promise<void> {
  for (const buffer of buffers) await buffer.flush(trx);
}

/** A bigint column plus a whole number of cents, exactly (node-postgres returns bigint as a string). */
export function addCents(column: unknown, cents: number): string {
  return String(BigInt(String(column ?? 0)) + BigInt(cents));
}
