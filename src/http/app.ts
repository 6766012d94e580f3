// The Hono app factory: everything the server, the Worker and the tests serve. Dependencies are
// passed in, never imported, so tests build an app on a scratch database with app.request().
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { DEFAULT_RISK_THRESHOLDS, countPositionsOnGrant, type ProjectionRunner, type RiskThresholds, type StreamReader } from '../../projections/index.js';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import type { EventStore, SignedLog } from '../eventstore/index.js';
import { silentLogger, type Logger } from '../log.js';
import { publicWebRoutes, sessionForApi, webRoutes, type WebOptions } from '../web/index.js';
import { asOfReplayer, auditRoutes } from './audit/index.js';
import { expensiveReads, type ExpensiveReads } from './expensive-reads.js';
import { authenticate, authorize, readRateLimit, writeRateLimit, type RateLimitBucket, type TokenVerifier } from './auth/index.js';
import { listRoutes } from './list-routes.js';
import { describeRequestFields } from './openapi-descriptions.js';
import { describeError } from './describe-error.js';
import { accessLog, requestId } from './middleware.js';
import { HttpProblem, problemResponse, validationProblem } from './problem.js';
import { readRoutes } from './read-routes.js';
import { requestLoad, type RequestLoad } from './request-load.js';
import type { AppEnv } from './request-context.js';
import { viewRoutes } from './views/index.js';
import { writeRoutes } from './writes/index.js';

export interface AppDependencies {
  db: Db;
  store: EventStore;
  /** The projection runner the views wait on for ?minPosition=. */
  runner: Pick<ProjectionRunner, 'waitForPosition' | 'position'>;
  /** Verifies bearer tokens; every route but /health requires one. */
  verifier: TokenVerifier;
  clock?: Clock;
  logger?: Logger;
  thresholds?: RiskThresholds;
  /** Longest wait for ?minPosition= before 503 (default 5000 ms). */
  minPositionTimeoutMs?: number;
  /** Largest accepted request body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** Browser origins allowed by CORS; empty (default) sends no CORS headers at all. */
  corsOrigins?: string[];
  /** Writes per minute and token subject; 0 turns the limit off (default 600). */
  writeRateLimitPerMinute?: number;
  /** Signs log digests and checks them (GET /audit/digest, /audit/public-key, POST /audit/verify). */
  signedLog?: SignedLog;
  /** Reads per minute and token subject; 0 turns the limit off (default 0). */
  readRateLimitPerMinute?: number;
  /** Where the read rate limit keeps its buckets (default: per app); the Worker shares one per isolate. */
  readRateLimitBuckets?: Map<string, RateLimitBucket>;
  /** As-of replays, verifies and digests running at once; beyond, 429 with Retry-After (default 2). */
  maxConcurrentExpensiveReads?: number;
  /**
   * Share of wall time (%) an as-of replay may keep the process and database busy while other
   * requests are being answered (default 10); when nothing else is answered it runs at full speed.
   */
  replayDutyPercent?: number;
  /** Where the requests in flight are counted (default: per app); the Worker shares one per isolate. */
  requestLoad?: RequestLoad;
  /** Where the bound on expensive reads keeps its count and cache (default: per app); the Worker shares one per isolate. */
  expensiveReads?: ExpensiveReads;
  /** Set when the log is not in this database (EVENT_STORE=kurrentdb): as-of replays read it through the store. */
  readStream?: StreamReader | undefined;
  /** /ready answers 503 when the projections are more events than this behind the log (default 10000). */
  readyMaxProjectionLag?: number;
  /** Where the write rate limit keeps its buckets (default: per app); the Worker shares one per isolate. */
  writeRateLimitBuckets?: Map<string, RateLimitBucket>;
  /** The pages (sign-in, dashboard, records, audit); without it only the API, /docs and /static are served. */
  web?: WebOptions;
}

/** Builds the HTTP app over the given database, event store and projections. */
export function createApp(deps: AppDependencies) {
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? systemClock;
  const maxBodyBytes = deps.maxBodyBytes ?? 64 * 1024;
  const app = new OpenAPIHono<AppEnv>({
    // zod failures of any route become one 400 problem with field errors.
    defaultHook: (result) => {
      // @hono/zod-validator hands the hook the input it parsed as `data` (missing from its type).
      if (!result.success) throw validationProblem(result.error, (result as { data?: unknown }).data);
    },
  });

  // Counted first: the as-of replay yields while anybody else is being answered.
  const load = deps.requestLoad ?? requestLoad();
  app.use('*', load.middleware);
  app.use('*', requestId());
  app.use('*', accessLog({ logger }));
  app.use(
    '*',
    secureHeaders({
      // Everything the pages and /docs load comes from this origin (src/web/static.ts). Inline
      // styles: the server-rendered SVG charts and Swagger UI set style attributes.
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      // Not no-referrer: with it, browsers send `Origin: null` on form posts, and the pages'
      // CSRF check compares the Origin. same-origin still sends nothing to other sites.
      referrerPolicy: 'same-origin',
    }),
  );
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    app.use(
      '*',
      cors({
        origin: deps.corsOrigins,
        allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Request-Id', 'X-Correlation-Id'],
        exposeHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new HttpProblem(413, 'Anfrage zu groß', `Der Inhalt der Anfrage ist größer als ${Math.round(maxBodyBytes / 1024)} KiB.`);
      },
    }),
  );
  // One bound on expensive reads (as-of replays, verifies, digests) for the API and the auditor's pages.
  const audit = {
    db: deps.db,
    store: deps.store,
    clock,
    thresholds: deps.thresholds ?? DEFAULT_RISK_THRESHOLDS,
    signedLog: deps.signedLog,
    replayDutyPercent: deps.replayDutyPercent,
    load,
    readStream: deps.readStream,
    expensive: deps.expensiveReads ?? expensiveReads({ maxConcurrent: deps.maxConcurrentExpensiveReads ?? 2 }),
  };
  // Pages and assets answer before the API's bearer authentication; a signed-in browser may read the API.
  app.route('/', publicWebRoutes());
  if (deps.web) {
    app.use('/api/v1/*', sessionForApi({ sessions: deps.web.sessions }));
    app.route('/', webRoutes({ ...deps.web, db: deps.db, store: deps.store, clock, thresholds: deps.thresholds, logger, signedLog: deps.signedLog, replayAsOf: asOfReplayer(audit) }));
  }
  app.use('*', authenticate({ verifier: deps.verifier }));
  app.use('*', authorize());
  app.use('*', writeRateLimit({ perMinute: deps.writeRateLimitPerMinute ?? 600, ...(deps.writeRateLimitBuckets ? { buckets: deps.writeRateLimitBuckets } : {}) }));
  app.use('*', readRateLimit({ perMinute: deps.readRateLimitPerMinute ?? 0, ...(deps.readRateLimitBuckets ? { buckets: deps.readRateLimitBuckets } : {}) }));

  // Liveness: the process answers. Readiness: the database answers and the read models keep up.
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const maxLag = deps.readyMaxProjectionLag ?? 10_000;
    try {
      const [head, position] = await Promise.all([deps.store.headPosition(), deps.runner.position()]);
      const lag = Math.max(0, head - position);
      const status = lag > maxLag ? 'behind' : 'ready';
      return c.json({ status, database: 'ok', head, projections: position, lag, maxLag }, status === 'ready' ? 200 : 503);
    } catch (error) {
      logger.warn('readiness check failed', { error: describeError(error) });
      return c.json({ status: 'unavailable', database: 'unreachable' }, 503);
    }
  });

  const allowedMunicipalities = (c: Parameters<NonNullable<Parameters<typeof viewRoutes>[0]['allowedMunicipalities']>>[0]) =>
    (c.get('principal') as { municipalities: string[] | '*' } | undefined)?.municipalities ?? [];
  // A grant is voided only when no position stands on it: the read side answers once it has caught
  // up with the log (a position recorded a moment ago counts).
  const positionsOnGrant = async (grantId: string) => {
    const head = await deps.store.headPosition();
    if (!(await deps.runner.waitForPosition(head, deps.minPositionTimeoutMs ?? 5000)))
      throw new HttpProblem(503, 'Auswertungen noch nicht aktuell', 'Die Auswertungen holen gerade auf; bitte gleich noch einmal versuchen.');
    return countPositionsOnGrant(deps.db, grantId);
  };
  app.route('/api/v1', writeRoutes({ store: deps.store, positionsOnGrant }));
  // Before readRoutes: GET /grants and /positions (lists) beside GET /grants/{id} and /positions/{id}.
  app.route(
    '/api/v1',
    listRoutes({ db: deps.db, runner: deps.runner, clock, minPositionTimeoutMs: deps.minPositionTimeoutMs ?? 5000, allowedMunicipalities }),
  );
  app.route('/api/v1', readRoutes({ store: deps.store, db: deps.db }));
  app.route(
    '/api/v1',
    viewRoutes({
      db: deps.db,
      runner: deps.runner,
      clock,
      thresholds: deps.thresholds ?? DEFAULT_RISK_THRESHOLDS,
      minPositionTimeoutMs: deps.minPositionTimeoutMs ?? 5000,
      allowedMunicipalities,
      headPosition: () => deps.store.headPosition(),
    }),
  );
  app.route(
    '/api/v1',
    auditRoutes(audit),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  // Generated from the routes' zod schemas; every request field then gets its German description
  // and example from one dictionary (openapi-descriptions.ts).
  app.get('/openapi.json', (c) => c.json(describeRequestFields(app.getOpenAPI31Document(openApiConfig))));
  const openApiConfig = {
    openapi: '3.1.0',
    info: {
      title: 'verstetigt',
      version: '1',
      description:
        'Geförderte Stellen in Thüringer Kommunen: Zuwendungen, Stellen, Besetzungen und Verstetigung. ' +
        'Beträge in ganzen Cent, Datumsangaben als JJJJ-MM-TT, Fehler als RFC 9457 problem+json. ' +
        'Jede Anfrage außer /health braucht Authorization: Bearer <JWT>.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  };

  app.notFound((c) =>
    problemResponse(c, new HttpProblem(404, 'Nicht gefunden', `Es gibt keine Ressource unter ${c.req.path}.`), c.get('requestId')),
  );
  app.onError((error, c) => {
    const response = problemResponse(c, error, c.get('requestId'));
    if (response.status >= 500) {
      logger.error('request failed', {
        requestId: c.get('requestId'),
        path: c.req.path,
        error: describeError(error),
      });
    }
    return response;
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

export { describeError };
