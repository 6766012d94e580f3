// The Cloudflare Workers entry point: the same HTTP app as the Node server — API, pages, signed
// digests — over PostgreSQL (through a Hyperdrive binding, or DATABASE_URL as a secret). The
// embedded PGlite default does not exist here, and neither does the KurrentDB store (no outbound
// gRPC on Workers) nor sign-in through an identity provider (see the README).
//
// Per request: the database is opened (a pool reused across requests fails on Workers: its sockets
// belong to the request that opened them), the app is built on it, and the database is closed only
// once the response body has been sent to its end (the audit export streams) and, after a write,
// the projections have caught up — both through ctx.waitUntil, after the response has gone out.
// Reads do not catch up; a Cron Trigger (scheduled) catches up whatever a write's waitUntil did not
// finish and signs a checkpoint of the log. /health needs no database; while the database cannot
// be reached every other path answers 503 with Retry-After.
//
// Static assets (stylesheets, fonts, Swagger UI) are Workers assets (wrangler.toml `[assets]`,
// built by `npm run build:worker-assets`): they answer /static/… before this fetch handler runs.
import { allProjections, createProjectionRunner } from '../projections/index.js';
import { SYSTEM_ACTOR, seedProgrammes } from './commands/index.js';
import { ConfigError, type Config } from './config.js';
import { DatabaseUnavailableError, openDatabase, type Database } from './db/index.js';
import { PostgresEventStore, SignedLog } from './eventstore/index.js';
import { createApp, describeError } from './http/index.js';
import { OIDC_PATHS, alive, databaseDown, isolateState, misconfigured, notFound, oidcNotOffered, type IsolateState, type WorkerEnv } from './worker/index.js';

export type { WorkerEnv } from './worker/index.js';

/** The part of the Workers ExecutionContext this entry uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of the Workers ScheduledController this entry uses. */
export interface WorkerScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
}

/** Workers allow six simultaneous open connections per invocation; a request needs two at most. */
const MAX_CONNECTIONS_PER_REQUEST = 5;

/** Opens this invocation's database: Hyperdrive when bound, else DATABASE_URL; no migrations here. */
async function openRequestDatabase(env: WorkerEnv, config: Config): Promise<Database> {
  const databaseUrl = env.HYPERDRIVE?.connectionString ?? config.databaseUrl;
  if (!databaseUrl) throw new ConfigError('a HYPERDRIVE binding or DATABASE_URL is required on Workers');
  return openDatabase({
    databaseUrl,
    poolMax: Math.min(config.databasePoolMax, MAX_CONNECTIONS_PER_REQUEST),
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    // Migrations are applied at deployment (`npm run cli -- migrate`), not per request.
    migrate: false,
  });
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

async function handleFetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
  let state: IsolateState;
  try {
    state = await isolateState(env);
  } catch (error) {
    if (error instanceof ConfigError) return misconfigured(request, error.message);
    throw error;
  }
  const path = new URL(request.url).pathname;
  if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) return alive();
  if (state.web && OIDC_PATHS.has(path)) return oidcNotOffered();
  // Workers assets answered every file there is; the Node server's fallback (node_modules) does not exist here.
  if (path.startsWith('/static/')) return notFound();

  let database: Database;
  try {
    database = await openRequestDatabase(env, state.config);
  } catch (error) {
    if (error instanceof ConfigError) return misconfigured(request, error.message);
    if (error instanceof DatabaseUnavailableError) {
      state.logger.warn('database unavailable', { error: error.message });
      return databaseDown(request);
    }
    throw error;
  }

  const { config, logger } = state;
  const store = new PostgresEventStore(database.db);
  const runner = createProjectionRunner({ db: database.db, store, projections: allProjections, batchSize: config.projectionBatchSize, logger });
  const app = createApp({
    db: database.db,
    store,
    runner,
    verifier: state.verifier,
    logger,
    thresholds: { highMonths: config.riskHighMonths, mediumMonths: config.riskMediumMonths, budgetWarningMonths: config.budgetWarningMonths },
    minPositionTimeoutMs: config.minPositionTimeoutMs,
    corsOrigins: config.corsOrigins,
    writeRateLimitPerMinute: config.writeRateLimitPerMinute,
    writeRateLimitBuckets: state.rateLimitBuckets,
    readRateLimitPerMinute: config.readRateLimitPerMinute,
    readRateLimitBuckets: state.readRateLimitBuckets,
    expensiveReads: state.expensiveReads,
    requestLoad: state.requestLoad,
    replayDutyPercent: config.replayDutyPercent,
    readyMaxProjectionLag: config.readyMaxProjectionLag,
    signedLog: new SignedLog(database.db, state.signingKey),
    web: state.web,
  });

  let response: Response;
  try {
    response = await app.fetch(request);
  } catch (error) {
    await database.close();
    throw error;
  }

  const pending: Promise<unknown>[] = [];
  let sent = response;
  if (response.body) {
    // The body may still be reading from the database (the export): hand it on through a pipe and
    // close the database only when the pipe is done (or the client went away).
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    pending.push(
      response.body.pipeTo(writable).catch((error: unknown) => {
        logger.warn('response body not sent to its end', { error: String(error) });
      }),
    );
    sent = new Response(readable, response);
  }
  if (isWrite(request.method) && response.status < 400) {
    pending.push(
      runner.catchUp().catch((error: unknown) => {
        // The Cron Trigger catches up later; the write itself is stored.
        logger.error('projection catch-up after a write failed', { error: describeError(error) });
      }),
    );
  }
  ctx.waitUntil(Promise.allSettled(pending).then(() => database.close()));
  return sent;
}

/**
 * The Cron Trigger: registers the seed programmes if they are missing (what the Node server does at
 * start; a Worker has no start), catches the projections up with every event stored so far and,
 * every CHECKPOINT_EVERY_MINUTES minutes, signs a checkpoint of the log (a digest request signs one
 * too). A checkpoint refused because the log does not verify fails the invocation, after the catch-up.
 */
async function handleScheduled(controller: WorkerScheduledController, env: WorkerEnv): Promise<number> {
  const state = await isolateState(env);
  const database = await openRequestDatabase(env, state.config);
  try {
    const store = new PostgresEventStore(database.db);
    const registered = await seedProgrammes({ store, actor: SYSTEM_ACTOR });
    if (registered.length > 0) state.logger.info('programmes registered', { programmes: registered });
    const runner = createProjectionRunner({
      db: database.db,
      store,
      projections: allProjections,
      batchSize: state.config.projectionBatchSize,
      logger: state.logger,
    });
    const reached = await runner.catchUp();
    state.logger.info('projections caught up', { position: reached });
    const minute = Math.floor(controller.scheduledTime / 60_000);
    if (minute % state.config.checkpointEveryMinutes === 0) {
      try {
        const checkpoint = await new SignedLog(database.db, state.signingKey).checkpoint();
        state.logger.info('signed checkpoint', { position: checkpoint.position });
      } catch (error) {
        state.logger.error('signed checkpoint failed', { error: describeError(error) });
        throw error;
      }
    }
    return reached;
  } finally {
    await database.close();
  }
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    return handleFetch(request, env, ctx);
  },
  async scheduled(controller: WorkerScheduledController, env: WorkerEnv, _ctx: WorkerContext): Promise<void> {
    // Awaited, so a failed catch-up or checkpoint shows as a failed invocation in the Cron Trigger's log.
    try {
      await handleScheduled(controller, env);
    } catch (error) {
      console.log(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'scheduled run failed', error: describeError(error) }));
      throw error;
    }
  },
};
