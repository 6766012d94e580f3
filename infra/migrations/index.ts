// Every migration, in order. Names sort lexically; add new ones at the end.
import type { Migration } from 'kysely';
import { eventLog } from './0001-event-log.js';
import { projectionTables } from './0002-projections.js';

export const migrations: Record<string, Migration> = {
  '0001-event-log': eventLog,
  '0002-projections': projectionTables,
};
