// Stands in for @electric-sql/pglite in the Worker bundle (wrangler.toml [alias]): Workers have no
// data folder for the embedded database, and the WASM build would only add weight. openDatabase
// reaches it only without a database URL, which the Worker refuses before.
import { DatabaseUnavailableError } from './open-database.js';

/** Refuses to open: the embedded database does not run on Workers. */
export const PGlite = {
  create(): never {
    throw new DatabaseUnavailableError('the embedded database (PGlite) is not available on Workers; bind Hyperdrive or set DATABASE_URL');
  },
};
