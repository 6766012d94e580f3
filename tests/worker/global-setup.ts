// Runs in Node before the Worker suite: creates a migrated scratch database next to
// TEST_DATABASE_URL for the Hyperdrive binding, and drops it afterwards. Without TEST_DATABASE_URL
// it provides an empty URL and the suite is skipped with a printed reason.
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../../src/db/index.js';
import { TEST_DATABASE_URL, createScratchDatabase, dropScratchDatabase } from '../support/databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the scratch database, with a password (Hyperdrive requires one); '' without PostgreSQL. */
    hyperdriveUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!TEST_DATABASE_URL) {
    project.provide('hyperdriveUrl', '');
    return undefined;
  }
  const url = await createScratchDatabase();
  const database = await openDatabase({ databaseUrl: url, migrate: false });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  // Hyperdrive refuses a connection string without a password, even for a server that trusts.
  const withPassword = new URL(url);
  if (!withPassword.password) withPassword.password = 'postgres';
  project.provide('hyperdriveUrl', withPassword.toString());
  return () => dropScratchDatabase(url);
}
