// Picks the event store the settings name: the PostgreSQL store on the opened database, or the
// KurrentDB store (EVENT_STORE=kurrentdb). The KurrentDB client is loaded only then, and this file
// is not part of index.ts, so the Worker bundle never contains it.
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { PostgresEventStore } from './postgres-event-store.js';
import type { EventStore } from './types.js';

/** An event store and how to let go of it (the KurrentDB connection; nothing for PostgreSQL). */
export interface SelectedEventStore {
  store: EventStore;
  close(): Promise<void>;
}

/** The event store for `config`; `db` holds the log for PostgreSQL and the read models either way. */
export async function selectEventStore(config: Pick<Config, 'eventStore' | 'kurrentdbUrl'>, db: Db): Promise<SelectedEventStore> {
  if (config.eventStore === 'kurrentdb') {
    const { KurrentDbEventStore } = await import('./kurrentdb-event-store.js');
    const store = new KurrentDbEventStore({ connectionString: config.kurrentdbUrl! });
    return { store, close: () => store.close() };
  }
  return { store: new PostgresEventStore(db), close: async () => {} };
}
