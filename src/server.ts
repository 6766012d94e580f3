// The Node server: reads the settings, opens the database (embedded PGlite unless DATABASE_URL is
// set), runs the projections, serves the HTTP app and shuts down cleanly on SIGTERM/SIGINT
// (server first, then the projection runner, then the database). Started by the entry point
// src/main.ts, which passes in the demo recording (DEMO_DATA).
import { serve } from '@hono/node-server';
import { allProjections, createProjectionRunner, streamReaderOf } from '../projections/index.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { SYSTEM_ACTOR, seedProgrammes } from './commands/index.js';
import { ConfigError, assertServerConfig, loadConfig } from './config.js';
import { DatabaseUnavailableError, claimDataDir, openDatabase, type Database, type Db } from './db/index.js';
import { SignedLog, SigningKeyError, loadSigningKey, scheduleCheckpoints, type EventStore } from './eventstore/index.js';
import { selectEventStore } from './eventstore/select-event-store.js';
import { trustFromConfig } from './http/auth/index.js';
import { createApp } from './http/index.js';
import { createLogger, describeError } from './log.js';
import { mintSignInLink, webFromConfig } from './web/index.js';

/**
 * Records the demo history when the log holds nothing but the seeded programmes; returns the
 * number of commands recorded (0 when the log already held records). Safe in several processes.
 */
export type RecordDemo = (input: { db: Db; store: EventStore; clock: Clock; kind: Database['kind'] }) => Promise<number>;

export interface StartServerOptions {
  /** Called at start when DEMO_DATA is on (infra/demo's recordDemoOnce, passed in by src/main.ts). */
  recordDemo: RecordDemo;
}

/**
 * Starts the server with the settings of the environment; resolves once the HTTP server is
 * started. Exits the process on SIGTERM/SIGINT after a clean shutdown. Rejects when the start
 * fails (the caller passes that to exitOnStartFailure).
 */
export async function startServer({ recordDemo }: StartServerOptions): Promise<void> {
  const config = loadConfig();
  assertServerConfig(config);
  const logger = createLogger(config.logLevel);
  const trust = await trustFromConfig(config);
  // The embedded database serves one process: claim DATA_DIR first (released at exit).
  const releaseDataDir = config.databaseUrl ? () => {} : claimDataDir(config.dataDir, { holder: 'server', port: config.port });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    logger,
  });
  // The log in PostgreSQL/PGlite, or in KurrentDB (EVENT_STORE=kurrentdb); read models in `database`.
  const { store, close: closeStore } = await selectEventStore(config, database.db);
  // Created at the first start of the embedded default (beside its data); named by SIGNING_KEY_FILE otherwise.
  const signing = loadSigningKey(config.signingKeyFile!, { create: true });
  await seedProgrammes({ store, actor: SYSTEM_ACTOR });
  if (config.demoData) {
    // Only on a log without records of its own, and once even when several processes start together.
    const recorded = await recordDemo({ db: database.db, store, clock: systemClock, kind: database.kind });
    if (recorded > 0) logger.info('demo scenario recorded', { commands: recorded });
  }

  // A correction re-projects its record from the record's stream: read from the events table in
  // the batch's transaction, or through the store when the log is in KurrentDB.
  const readStream = config.eventStore === 'kurrentdb' ? streamReaderOf(store) : undefined;
  const runner = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: config.projectionBatchSize, logger, readStream });
  runner.start();
  // Signed digests and checkpoints read the log's table in PostgreSQL; with the log in KurrentDB
  // they are not offered (GET /audit/verify then checks the chain through the store).
  const signedLog = readStream ? undefined : new SignedLog(database.db, signing.key);
  const checkpoints = signedLog
    ? scheduleCheckpoints({
        log: signedLog,
        onAppended: (listener) => store.onAppended(listener),
        everyEvents: config.checkpointEveryEvents,
        everyMs: config.checkpointEveryMinutes * 60_000,
        onError: (error) => logger.error('signed checkpoint failed', { error: describeError(error) }),
      })
    : { stop: async () => {} };
  const app = createApp({
    signedLog,
    db: database.db,
    store,
    runner,
    verifier: trust.verifier,
    logger,
    thresholds: { highMonths: config.riskHighMonths, mediumMonths: config.riskMediumMonths, budgetWarningMonths: config.budgetWarningMonths },
    minPositionTimeoutMs: config.minPositionTimeoutMs,
    corsOrigins: config.corsOrigins,
    writeRateLimitPerMinute: config.writeRateLimitPerMinute,
    readRateLimitPerMinute: config.readRateLimitPerMinute,
    maxConcurrentExpensiveReads: config.maxConcurrentExpensiveReads,
    replayDutyPercent: config.replayDutyPercent,
    readStream,
    readyMaxProjectionLag: config.readyMaxProjectionLag,
    web: webFromConfig(config, trust),
  });

  // The first start's sign-in link (an administrator for all municipalities, valid 24 hours, once).
  const firstSignInLink =
    trust.firstAdminToken && trust.secret
      ? await mintSignInLink(trust.secret, {
          role: 'admin',
          municipalities: '*',
          sub: 'admin',
          ttlSeconds: 24 * 3600,
          baseUrl: config.publicUrl ?? `http://localhost:${config.port}`,
        })
      : undefined;

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    logger.info('verstetigt listening', {
      port: info.port,
      database: database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)',
      signingKey: signing.key.keyId,
    });
    if (trust.firstAdminToken) {
      // Printed once, at the first start of the embedded default; the secret stays in DATA_DIR.
      process.stdout.write(
        `\nverstetigt: first start — admin token (valid 30 days):\n\n  ${trust.firstAdminToken}\n\n` +
          `Use it as "Authorization: Bearer <token>". Mint more with:\n` +
          `  npm run cli -- token --role finance --municipality 16053000 --ttl 8h\n\n`,
      );
    }
    if (firstSignInLink) {
      process.stdout.write(
        `verstetigt: sign in to the pages once with this link (valid 24 hours, usable once):\n\n  ${firstSignInLink}\n\n` +
          `More links: npm run cli -- login-link --role leadership --municipality 16053000\n\n`,
      );
    }
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // 1. Stop accepting; requests in flight finish (their appends commit), idle keep-alive
    //    connections are closed so they do not hold close() open.
    server.close(() => {
      // 2. The checkpoint and the projection batch in progress finish, then the database closes.
      checkpoints
        .stop()
        .then(() => runner.stop())
        .then(() => closeStore())
        .then(() => database.close())
        .then(releaseDataDir)
        .then(
          () => {
            logger.info('shut down', { signal });
            process.exit(0);
          },
          (error) => {
            logger.error('shutdown failed', { error: describeError(error) });
            process.exit(1);
          },
        );
    });
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    // Requests still running after the grace period are cut off.
    setTimeout(() => {
      logger.error('shutdown timed out', { timeoutMs: config.shutdownTimeoutMs });
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Ends the process after a failed start: one clear line on stderr and exit code 1. */
export function exitOnStartFailure(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof SigningKeyError;
  const text = known ? (error as Error).message : String((error as Error)?.message ?? error);
  process.stderr.write(`verstetigt: cannot start: ${text.split('\n')[0]}\n`);
  process.exit(1);
}
