// Applies the Kysely migrations of infra/migrations at start. They are imported statically (not
// read from the file system) so the same list works in the Node server, the CLI and a Worker.
import { Migrator } from 'kysely';
import { migrations } from '../../infra/migrations/index.js';
import type { Db } from './db.js';

/** Applies every pending migration; throws with the failing migration's name and reason. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
