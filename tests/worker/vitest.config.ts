// The Worker suite: runs inside workerd (@cloudflare/vitest-pool-workers) with wrangler.toml's
// settings, against the local PostgreSQL through the Hyperdrive binding. `npm run test:worker`.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

/** A port nothing listens on: "the database is down". */
const DOWN_URL = 'postgres://postgres:postgres@127.0.0.1:9/down';

/** The log's signing key of this run, as an operator would put it into the SIGNING_KEY secret. */
const signingKey = generateKeyPairSync('ed25519');

export default defineConfig({
  root,
  plugins: [
    cloudflareTest(({ inject }) => {
      const hyperdriveUrl = inject('hyperdriveUrl');
      // The database is down, two ways a Hyperdrive binding can meet it: the server answers that
      // the database does not exist; a server accepts the connection and never answers (the
      // connect timeout). A port where nothing listens is tested through DATABASE_URL instead
      // (workerd's own socket): miniflare's local Hyperdrive proxy has no error handler on its
      // sockets, so a refused connection ends the test process (cloudflare/workers-sdk#15768).
      const missingDatabaseUrl = hyperdriveUrl ? Object.assign(new URL(hyperdriveUrl), { pathname: '/verstetigt_no_such_database' }).toString() : DOWN_URL;
      const silentUrl = inject('silentUrl') || DOWN_URL;
      // wrangler.toml's binding takes its local connection string from this variable.
      process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = hyperdriveUrl || DOWN_URL;
      return {
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          hyperdrives: { HYPERDRIVE: hyperdriveUrl || DOWN_URL, HYPERDRIVE_NO_DATABASE: missingDatabaseUrl, HYPERDRIVE_SILENT: silentUrl },
          bindings: {
            JWT_SECRET: 'worker-test-secret-for-hs256-tokens-0123',
            LOG_LEVEL: 'silent',
            MIN_POSITION_TIMEOUT_MS: '10000',
            TEST_DATABASE_AVAILABLE: hyperdriveUrl ? '1' : '',
            TEST_DOWN_DATABASE_URL: DOWN_URL,
            SIGNING_KEY: signingKey.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
            TEST_SIGNING_PUBLIC_KEY: signingKey.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          },
        },
      };
    }),
  ],
  resolve: {
    // pg's dependencies name ESM builds that do not load in workerd under Vite; their CommonJS files
    // do (brianc/node-postgres#3700).
    alias: {
      'pg-protocol': require.resolve('pg-protocol'),
      'pg-pool': require.resolve('pg-pool'),
      'pg-connection-string': require.resolve('pg-connection-string'),
      'pg-cloudflare': `${root}node_modules/pg-cloudflare/dist/index.js`,
      // As in wrangler.toml: the embedded database is not part of the Worker.
      '@electric-sql/pglite': `${root}src/db/pglite-unavailable.ts`,
    },
  },
  test: {
    include: ['tests/worker/**/*.test.ts'],
    globalSetup: ['tests/worker/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // pg-cloudflare 1.4.1 leaves the reader of a socket it closes without a handler: workerd reports
    // the cancelled read as an unhandled rejection after every closed connection. Only that one.
    onUnhandledError(error) {
      return !(error.message === 'Stream was cancelled.' && /pg-cloudflare/.test(error.stack ?? ''));
    },
  },
});
