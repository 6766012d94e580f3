// Builds the HTTP app over a test database and sends JSON requests with app.request() (no port).
import { seedProgrammes } from '../../src/commands/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { createApp, type App } from '../../src/http/index.js';
import type { TestDatabase } from './databases.js';

export interface TestApp {
  app: App;
  store: PostgresEventStore;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

/** The app over `database` with the three programmes registered. */
export async function testApp(database: TestDatabase, extra: Partial<Parameters<typeof createApp>[0]> = {}): Promise<TestApp> {
  const store = new PostgresEventStore(database.db);
  await seedProgrammes({ store });
  const app = createApp({ db: database.db, store, ...extra });
  return {
    app,
    store,
    post: (path, body, headers = {}) =>
      Promise.resolve(
        app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: (path, headers = {}) => Promise.resolve(app.request(path, { headers })),
  };
}
