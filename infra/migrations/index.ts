// Every migration, in order. Names sort lexically; add new ones at the end.
import type { Migration } from 'kysely';
import { eventLog } from './0001-event-log.js';

export const migrations: Record<string, Migration> = {
  '0001-event-log': eventLog,
};
