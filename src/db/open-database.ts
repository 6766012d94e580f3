// The one place that opens the database: a pg Pool when DATABASE_URL is set, otherwise embedded
// PGlite in DATA_DIR. Both sit behind Kysely's PostgreSQL dialect, so all SQL has one code path.
import { mkdirSync, accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createLogger, type Logger } from '../log.js';
import type { Db } from './db.js';
import { migrateToLatest } from './migrate.js';
import { createPglitePool } from './pglite-pool.js';

export type { Db } from './db.js';

export interface DatabaseOptions {
  /** postgres://… connection string; when absent the embedded PGlite in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database (default ./data); `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /** Largest number of pooled connections to PostgreSQL (default 10). */
  poolMax?: number | undefined;
  /** How long to wait for a PostgreSQL connection before failing (default 5000 ms). */
  connectTimeoutMs?: number | undefined;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean | undefined;
  /** Where errors of pooled PostgreSQL connections are logged (default: JSON lines on stderr). */
  logger?: Logger | undefined;
}

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Closes the pool or the embedded database; idempotent. */
  close(): Promise<void>;
}

/** Thrown when the database cannot be opened; its message is one line saying what is wrong. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/**
 * Opens the database named by the options, checks that it answers, applies migrations (unless
 * `migrate: false`) and returns it. Throws DatabaseUnavailableError with a one-line reason when the
 * server is unreachable or the data folder is not writable.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const database = options.databaseUrl ? await openPostgres(options) : await openPglite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openPostgres(options: DatabaseOptions): Promise<Database> {
  // pg returns int8 as strings; the event store converts positions explicitly (STYLE.md).
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  const logger = options.logger ?? createLogger();
  // An idle client losing its server (a restart) must not crash the process: it is logged, the next
  // query fails and is retried by the caller.
  pool.on('error', function onIdleClientError(error) {
    logger.error('idle PostgreSQL connection failed', { error });
  });
  // pg-pool removes its own listener while a client is checked out; a server shutdown arriving then
  // (57P01) would be an unhandled 'error' event and kill the process. The query in flight still
  // fails and is answered with 503; the pool replaces the broken client.
  pool.on('connect', (client) => {
    client.on('error', function onClientError(error) {
      logger.error('PostgreSQL connection failed', { error });
    });
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch((endError: unknown) => logger.warn('closing the PostgreSQL pool failed', { error: endError }));
    throw new DatabaseUnavailableError(
      `PostgreSQL at ${redactUrl(options.databaseUrl!)} is not reachable: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const close = async () => {
    await db.destroy();
    // Kysely ends the pool only if it ever ran a query; the connection checked above stays open
    // otherwise (a Worker request that never queries would leave it behind).
    if (!pool.ending) await pool.end();
  };
  return { db, kind: 'postgres', close: once(close) };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  // Loaded only when used: the Worker bundle and PostgreSQL deployments never load the WASM.
  const { PGlite } = await import('@electric-sql/pglite');
  if (options.dataDir?.startsWith('memory://')) {
    const pglite = await PGlite.create(options.dataDir);
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: createPglitePool(pglite) }) });
    return { db, kind: 'pglite', close: once(() => db.destroy()) };
  }
  const dataDir = resolve(options.dataDir ?? './data');
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new DatabaseUnavailableError(
      `DATA_DIR ${dataDir} is not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { cause: error },
    );
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir);
  } catch (error) {
    throw new DatabaseUnavailableError(`the embedded database in ${dataDir} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: createPglitePool(pglite) }) });
  return { db, kind: 'pglite', close: once(() => db.destroy()) };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
