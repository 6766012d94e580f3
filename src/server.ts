// The Node server: reads the settings, opens the database (embedded PGlite unless DATABASE_URL is
// set), runs the projections, serves the HTTP app and shuts down cleanly on SIGTERM/SIGINT
// (server first, then the projection runner, then the database).
import { serve } from '@hono/node-server';
import { recordDemo } from '../infra/demo/index.js';
import { allProjections, createProjectionRunner } from '../projections/index.js';
import { systemClock } from './clock.js';
import { SYSTEM_ACTOR, seedProgrammes } from './commands/index.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, openDatabase } from './db/index.js';
import { PostgresEventStore } from './eventstore/index.js';
import { trustFromConfig } from './http/auth/index.js';
import { createApp } from './http/index.js';
import { createLogger } from './log.js';
import { mintSignInLink, webFromConfig } from './web/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const trust = await trustFromConfig(config);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
  });
  const store = new PostgresEventStore(database.db);
  const emptyAtStart = (await store.headPosition()) === 0;
  await seedProgrammes({ store, actor: SYSTEM_ACTOR });
  if (emptyAtStart && config.demoData) {
    const recorded = await recordDemo({ store }, systemClock);
    logger.info('demo scenario recorded', { commands: recorded });
  }

  const runner = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: config.projectionBatchSize, logger });
  runner.start();
  const app = createApp({
    db: database.db,
    store,
    runner,
    verifier: trust.verifier,
    logger,
    thresholds: { highMonths: config.riskHighMonths, mediumMonths: config.riskMediumMonths },
    minPositionTimeoutMs: config.minPositionTimeoutMs,
    corsOrigins: config.corsOrigins,
    writeRateLimitPerMinute: config.writeRateLimitPerMinute,
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
    server.close(() => {
      runner
        .stop()
        .then(() => database.close())
        .then(
          () => process.exit(0),
          (error) => {
            logger.error('shutdown failed', { error: String(error) });
            process.exit(1);
          },
        );
    });
    // Keep-alive connections would hold close() open; give in-flight requests 10 s.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // One clear line and a non-zero exit for anything that stops the start.
  const known = error instanceof ConfigError || error instanceof DatabaseUnavailableError;
  const text = known ? (error as Error).message : String((error as Error)?.message ?? error);
  process.stderr.write(`verstetigt: cannot start: ${text.split('\n')[0]}\n`);
  process.exit(1);
});
