// The event stores the store-agnostic contract suite runs on: the PostgreSQL store on embedded
// PGlite and on PostgreSQL (TEST_DATABASE_URL), and the KurrentDB store when KURRENTDB_URL names a
// server (each test in a namespace of its own, so runs share a server without seeing each other).
import { randomBytes } from 'node:crypto';
import { PostgresEventStore, type EventStore } from '../../src/eventstore/index.js';
import { driverAvailable, pgliteDriver, postgresDriver, type TestDriver } from './databases.js';

export const KURRENTDB_URL = process.env.KURRENTDB_URL;

if (!KURRENTDB_URL) {
  console.warn(
    '[tests] KURRENTDB_URL is not set: the KurrentDB run of the event store contract is skipped ' +
      '(it needs a KurrentDB 25.1+ server, e.g. KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false).',
  );
}

/** One open store under test. */
export interface OpenStore {
  store: EventStore;
  /** Another store instance on the same log (another writer, as another process would be). */
  another(): EventStore;
  dispose(): Promise<void>;
}

export interface StoreTarget {
  name: 'pglite' | 'postgres' | 'kurrentdb';
  available: boolean;
  open(): Promise<OpenStore>;
}

function sqlTarget(driver: TestDriver): StoreTarget {
  return {
    name: driver.name,
    available: driverAvailable(driver),
    async open() {
      const database = await driver.open();
      return {
        store: new PostgresEventStore(database.db),
        another: () => new PostgresEventStore(database.db),
        dispose: () => database.dispose(),
      };
    },
  };
}

const kurrentdbTarget: StoreTarget = {
  name: 'kurrentdb',
  available: Boolean(KURRENTDB_URL),
  async open() {
    const { KurrentDbEventStore } = await import('../../src/eventstore/kurrentdb-event-store.js');
    const namespace = `t-${randomBytes(6).toString('hex')}`;
    const opened: Array<{ close(): Promise<void> }> = [];
    const make = () => {
      const store = new KurrentDbEventStore({ connectionString: KURRENTDB_URL!, namespace });
      opened.push(store);
      return store;
    };
    return {
      store: make(),
      another: make,
      async dispose() {
        await Promise.all(opened.map((s) => s.close()));
      },
    };
  },
};

/** Every target; use with `describe.skipIf(!target.available)` so a skip shows in the report. */
export const storeTargets: StoreTarget[] = [sqlTarget(pgliteDriver), sqlTarget(postgresDriver), kurrentdbTarget];
