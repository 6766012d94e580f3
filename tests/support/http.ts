// Builds the HTTP app over a test database and sends JSON requests with app.request() (no port).
// Requests carry an admin token for all municipalities unless a test sends its own Authorization.
import { allProjections, createProjectionRunner, type ProjectionRunner } from '../../projections/index.js';
import { fixedClock } from '../../src/clock.js';
import { seedProgrammes } from '../../src/commands/index.js';
import { PostgresEventStore, SignedLog, generateSigningKey } from '../../src/eventstore/index.js';
import { createTokenVerifier, mintToken, type MintOptions } from '../../src/http/auth/index.js';
import { createApp, type App, type AppDependencies } from '../../src/http/index.js';
import type { TestDatabase } from './databases.js';

export const TEST_SECRET = 'test-secret-for-hs256-tokens-0123456789';

/** An HS256 token signed with TEST_SECRET. */
export const tokenFor = (options: Partial<MintOptions> = {}) =>
  mintToken(TEST_SECRET, { sub: 'test-admin', role: 'admin', municipalities: '*', ...options });

export interface TestApp {
  app: App;
  store: PostgresEventStore;
  runner: ProjectionRunner;
  adminToken: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

/** The app over `database` with the three programmes registered; "today" is 2026-11-27 unless given. */
export async function testApp(database: TestDatabase, extra: Partial<AppDependencies> = {}): Promise<TestApp> {
  const store = new PostgresEventStore(database.db);
  await seedProgrammes({ store });
  const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
  const app = createApp({
    db: database.db,
    store,
    runner,
    verifier: createTokenVerifier({ jwtSecret: TEST_SECRET }),
    clock: fixedClock('2026-11-27T09:00:00Z'),
    writeRateLimitPerMinute: 0,
    signedLog: new SignedLog(database.db, generateSigningKey()),
    ...extra,
  });
  const adminToken = await tokenFor();
  const auth = (headers: Record<string, string>) => ({ authorization: `Bearer ${adminToken}`, ...headers });
  return {
    app,
    store,
    runner,
    adminToken,
    post: (path, body, headers = {}) =>
      Promise.resolve(
        app.request(path, {
          method: 'POST',
          headers: auth({ 'content-type': 'application/json', ...headers }),
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: (path, headers = {}) => Promise.resolve(app.request(path, { headers: auth(headers) })),
  };
}
