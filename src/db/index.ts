export { openDatabase, DatabaseUnavailableError } from './open-database.js';
export type { Database, DatabaseOptions, Db } from './open-database.js';
export { migrateToLatest } from './migrate.js';
