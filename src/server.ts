// The Node server: reads the settings, opens the database (embedded PGlite unless DATABASE_URL is
// set), serves the HTTP app and shuts down cleanly on SIGTERM/SIGINT (server first, then database).
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, openDatabase } from './db/index.js';
import { recordDemo } from '../infra/demo/index.js';
import { systemClock } from './clock.js';
import { SYSTEM_ACTOR, seedProgrammes } from './commands/index.js';
import { PostgresEventStore } from './eventstore/index.js';
import { createApp } from './http/index.js';
import { createLogger } from './log.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
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
  const app = createApp({ db: database.db, store, logger });

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    logger.info('verstetigt listening', {
      port: info.port,
      database: database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)',
    });
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close(() => {
      database.close().then(
        () => process.exit(0),
        (error) => {
          logger.error('closing the database failed', { error: String(error) });
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
  process.stderr.write(`verstetigt: cannot start: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
