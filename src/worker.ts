// The Cloudflare Workers entry point: the same HTTP app as the Node server, over PostgreSQL
// (through a Hyperdrive binding, or DATABASE_URL as a secret). The embedded PGlite default does not
// exist here, and neither does the KurrentDB store (no outbound gRPC on Workers).
//
// Per request: the database is opened (a pool reused across requests fails on Workers: its sockets
// belong to the request that opened them), the app is built on it, and the database is closed only
// once the response body has been sent to its end (the audit export streams) and, after a write,
// the projections have caught up — both through ctx.waitUntil, after the response has gone out.
// Reads do not catch up; a Cron Trigger (scheduled) catches up whatever a write's waitUntil did not
// finish. Per isolate: the settings, the token verifier (its OIDC key cache) and the buckets of the
// write rate limit, none of which holds an I/O object.
//
// Static assets: the web pages are served by the app; when they need static files (stylesheets,
// fonts), bind them as Workers assets in wrangler.toml (`[assets]`), which answers those paths
// before this fetch handler runs.
import { Hono } from 'hono';
import { allProjections, createProjectionRunner } from '../projections/index.js';
import { SYSTEM_ACTOR, seedProgrammes } from './commands/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DatabaseUnavailableError, openDatabase, type Database } from './db/index.js';
import { PostgresEventStore } from './eventstore/index.js';
import { createTokenVerifier, type RateLimitBucket, type TokenVerifier } from './http/auth/index.js';
import { HttpProblem, createApp } from './http/index.js';
import { problemResponse } from './http/problem.js';
import { createLogger, type Logger } from './log.js';

/** The bindings and variables of the Worker: every setting of the README as a string, plus Hyperdrive. */
export interface WorkerEnv {
  /** A Hyperdrive configuration in front of PostgreSQL; takes precedence over DATABASE_URL. */
  HYPERDRIVE?: { connectionString: string };
  [setting: string]: unknown;
}

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
/** Seconds a client is asked to wait when the database cannot be reached. */
const RETRY_AFTER_SECONDS = '5';

interface IsolateState {
  key: string;
  config: Config;
  logger: Logger;
  verifier: TokenVerifier;
  rateLimitBuckets: Map<string, RateLimitBucket>;
}

let isolate: IsolateState | undefined;

/** The string variables of `env` (bindings are objects): what loadConfig reads on Node from process.env. */
export function settingsOf(env: WorkerEnv): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') settings[name] = value;
  return settings;
}

/**
 * The settings, logger, verifier and rate-limit buckets of this isolate, rebuilt when the settings
 * change. Throws ConfigError for an unusable setting, as the Node server refuses to start.
 */
function isolateState(env: WorkerEnv): IsolateState {
  const settings = settingsOf(env);
  const key = JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  if (isolate?.key === key) return isolate;
  const config = loadConfig(settings);
  if (config.eventStore !== 'postgres') {
    // The KurrentDB client speaks gRPC, which a Worker cannot; using PostgreSQL instead would split the log.
    throw new ConfigError('EVENT_STORE=kurrentdb is not available on Workers; the Worker keeps the log in PostgreSQL');
  }
  if (!config.jwtSecret && !config.oidcIssuer) {
    // The Node server's fallback (a secret created in DATA_DIR) has no place on Workers.
    throw new ConfigError('JWT_SECRET (wrangler secret put JWT_SECRET) or OIDC_ISSUER with OIDC_AUDIENCE must be set on Workers');
  }
  const logger = createLogger(config.logLevel, (line) => console.log(line.trimEnd()));
  const verifier = createTokenVerifier({
    jwtSecret: config.jwtSecret,
    oidcIssuer: config.oidcIssuer,
    oidcAudience: config.oidcAudience,
    oidcJwksUrl: config.oidcJwksUrl,
  });
  isolate = { key, config, logger, verifier, rateLimitBuckets: new Map() };
  return isolate;
}

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

/** A problem+json response built by the same function as the app's, outside the app. */
function problem(request: Request, error: HttpProblem): Promise<Response> {
  const app = new Hono();
  app.all('*', (c) => problemResponse(c, error, undefined));
  return Promise.resolve(app.fetch(request));
}

function misconfigured(request: Request, error: ConfigError): Promise<Response> {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'worker misconfigured', error: error.message }));
  return problem(request, new HttpProblem(500, 'Fehlkonfiguration', `Der Dienst ist nicht richtig eingerichtet: ${error.message}`));
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

async function handleFetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
  let state: IsolateState;
  let database: Database;
  try {
    state = isolateState(env);
    database = await openRequestDatabase(env, state.config);
  } catch (error) {
    if (error instanceof ConfigError) return misconfigured(request, error);
    if (error instanceof DatabaseUnavailableError) {
      isolate?.logger.warn('database unavailable', { error: error.message });
      return problem(
        request,
        new HttpProblem(
          503,
          'Vorübergehend nicht verfügbar',
          'Die Datenbank ist gerade nicht erreichbar. Bitte in einigen Sekunden erneut versuchen.',
          {},
          { 'retry-after': RETRY_AFTER_SECONDS },
        ),
      );
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
    thresholds: { highMonths: config.riskHighMonths, mediumMonths: config.riskMediumMonths },
    minPositionTimeoutMs: config.minPositionTimeoutMs,
    corsOrigins: config.corsOrigins,
    writeRateLimitPerMinute: config.writeRateLimitPerMinute,
    writeRateLimitBuckets: state.rateLimitBuckets,
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
        logger.error('projection catch-up after a write failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }),
    );
  }
  ctx.waitUntil(Promise.allSettled(pending).then(() => database.close()));
  return sent;
}

/**
 * The Cron Trigger: registers the seed programmes if they are missing (what the Node server does at
 * start; a Worker has no start) and catches the projections up with every event stored so far.
 */
async function handleScheduled(env: WorkerEnv): Promise<number> {
  const state = isolateState(env);
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
    return reached;
  } finally {
    await database.close();
  }
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    return handleFetch(request, env, ctx);
  },
  async scheduled(_controller: WorkerScheduledController, env: WorkerEnv, _ctx: WorkerContext): Promise<void> {
    // Awaited, so a failed catch-up shows as a failed invocation in the Cron Trigger's log.
    await handleScheduled(env);
  },
};
