// A server with the pages for browser and app.request() tests: embedded PGlite in memory, the
// demo scenario recorded and projected for a fixed day, sign-in links signed with TEST_SECRET,
// listening on 127.0.0.1 on a free port.
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { recordDemo } from '../../infra/demo/index.js';
import { allProjections, createProjectionRunner } from '../../projections/index.js';
import { fixedClock, type Clock } from '../../src/clock.js';
import { seedProgrammes } from '../../src/commands/index.js';
import { PostgresEventStore, SignedLog, generateSigningKey } from '../../src/eventstore/index.js';
import { createTokenVerifier, type Role } from '../../src/http/auth/index.js';
import { createApp, type App } from '../../src/http/index.js';
import { Sessions, deriveKey, mintSignInLink, type OidcSignIn } from '../../src/web/index.js';
import { pgliteDriver, type TestDatabase } from './databases.js';
import { TEST_SECRET, tokenFor } from './http.js';

/** The day the web tests live on: the demo shows every risk level on it. */
export const WEB_TEST_DAY = '2026-11-27T09:00:00Z';

export interface WebTestServer {
  url: string;
  app: App;
  store: PostgresEventStore;
  database: TestDatabase;
  clock: Clock;
  /** A one-time sign-in link for the role and municipalities. */
  link(role: Role, municipalities: string[] | '*'): Promise<string>;
  /** An admin bearer token for API calls. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/** Starts the app with pages; `demo: false` leaves the log with the programmes only. */
export async function startWebTestServer(options: { demo?: boolean; oidc?: OidcSignIn; clock?: Clock } = {}): Promise<WebTestServer> {
  const clock = options.clock ?? fixedClock(WEB_TEST_DAY);
  const database = await pgliteDriver.open();
  const store = new PostgresEventStore(database.db);
  await seedProgrammes({ store });
  if (options.demo !== false) await recordDemo({ store }, clock);
  const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
  await runner.catchUp();
  runner.start();
  const app = createApp({
    db: database.db,
    store,
    runner,
    verifier: createTokenVerifier({ jwtSecret: TEST_SECRET }),
    clock,
    writeRateLimitPerMinute: 0,
    signedLog: new SignedLog(database.db, generateSigningKey()),
    web: {
      sessions: new Sessions({ secret: deriveKey(TEST_SECRET, 'session-cookies'), now: () => clock.now().getTime() }),
      linkSecret: TEST_SECRET,
      oidc: options.oidc,
      operatorName: 'Testbetrieb verstetigt',
    },
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    app,
    store,
    database,
    clock,
    link: (role, municipalities) => mintSignInLink(TEST_SECRET, { role, municipalities, baseUrl: url, now: clock.now().getTime() }),
    adminToken: () => tokenFor(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
      await database.dispose();
    },
  };
}
