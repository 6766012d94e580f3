// The databases every suite runs on: embedded PGlite always, PostgreSQL when TEST_DATABASE_URL is
// set. Each PostgreSQL suite gets a database of its own, dropped afterwards; `describeEachDatabase`
// declares a suite once per database with that set-up.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { migrateToLatest, openDatabase, type Database } from '../../src/db/index.js';

export interface TestDriver {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated, empty database. */
  open(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of the fresh database (for a second pool or process). */
  url?: string;
  /** Closes the connection and removes the database. */
  dispose(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

if (!TEST_DATABASE_URL) {
  console.warn(
    '[tests] TEST_DATABASE_URL is not set: the PostgreSQL runs of the database suites are skipped ' +
      '(bash .ci/run sets it; e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test).',
  );
}

// Starting PGlite's WASM costs seconds; one in-memory instance per test file is reset instead.
let sharedPglite: Promise<Database> | undefined;

export const pgliteDriver: TestDriver = {
  name: 'pglite',
  async open() {
    sharedPglite ??= openDatabase({ dataDir: 'memory://', migrate: false });
    const database = await sharedPglite;
    await sql`drop schema public cascade`.execute(database.db);
    await sql`create schema public`.execute(database.db);
    await migrateToLatest(database.db);
    return { ...database, close: async () => {}, dispose: async () => {} };
  },
};

export const postgresDriver: TestDriver = {
  name: 'postgres',
  async open() {
    const url = await createScratchDatabase();
    const database = await openDatabase({ databaseUrl: url, poolMax: 12 });
    return {
      ...database,
      url,
      async dispose() {
        await database.close();
        await dropScratchDatabase(url);
      },
    };
  },
};

/** Every driver; use with `describe.skipIf(!driverAvailable(d))` so a skip shows in the report. */
export const drivers: TestDriver[] = [pgliteDriver, postgresDriver];

/** PGlite is always there; PostgreSQL only when TEST_DATABASE_URL is set. */
export function driverAvailable(driver: TestDriver): boolean {
  return driver.name === 'pglite' || Boolean(TEST_DATABASE_URL);
}

/** The database of a suite declared by describeEachDatabase. */
export interface SuiteDatabase {
  readonly driver: TestDriver;
  /**
   * The open database: a fresh one per test, or one for the whole suite with `per: 'suite'`. Read
   * it inside hooks and tests (it changes between them), not while the suite is declared.
   */
  readonly database: TestDatabase;
}

/**
 * Declares `body` once per driver as "`title` on pglite" and "`title` on postgres", each with its
 * database opened before and disposed after every test (`per: 'test'`, the default) or the whole
 * suite (`per: 'suite'`: one database for many cases that do not disturb each other). A driver that
 * is not available is declared skipped, with the reason in its title, so the report shows it.
 */
export function describeEachDatabase(title: string, body: (suite: SuiteDatabase) => void, options: { per?: 'test' | 'suite' } = {}): void {
  for (const driver of drivers) {
    const available = driverAvailable(driver);
    describe.skipIf(!available)(available ? `${title} on ${driver.name}` : `${title} on ${driver.name} (skipped: TEST_DATABASE_URL is not set)`, () => {
      let current: TestDatabase | undefined;
      const [open, close] = options.per === 'suite' ? [beforeAll, afterAll] : [beforeEach, afterEach];
      // Registered before the suite's own hooks: opened before them and (hooks after a test run in
      // reverse order) disposed after them.
      open(async () => {
        current = await driver.open();
      });
      close(async () => {
        await current?.dispose();
        current = undefined;
      });
      body({
        driver,
        get database() {
          if (!current) throw new Error(`no ${driver.name} database outside a test or hook`);
          return current;
        },
      });
    });
  }
}

/** Creates an empty database next to TEST_DATABASE_URL's and returns its URL. */
export async function createScratchDatabase(): Promise<string> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `verstetigt_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made by createScratchDatabase. */
export async function dropScratchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^verstetigt_t_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
