export { openDatabase, DatabaseUnavailableError } from './open-database.js';
export type { Database, DatabaseOptions, Db } from './open-database.js';
export { migrateToLatest } from './migrate.js';
export { DATA_DIR_LOCK_FILE, DataDirInUseError, claimDataDir, dataDirHolder, type DataDirHolder } from './data-dir-lock.js';
