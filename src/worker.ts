// The Cloudflare Workers entry point. Workers cannot keep a pool across requests, so each request
// opens its own connection (through Hyperdrive when bound) and closes it when the response is done.
// The embedded PGlite default is not available here: a Worker always needs PostgreSQL.
import { allProjections, createProjectionRunner } from '../projections/index.js';
import { openDatabase } from './db/index.js';
import { PostgresEventStore } from './eventstore/index.js';
import { createTokenVerifier } from './http/auth/index.js';
import { createApp } from './http/index.js';
import { createLogger } from './log.js';

interface WorkerEnv {
  DATABASE_URL?: string;
  JWT_SECRET?: string;
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE?: string;
  OIDC_JWKS_URL?: string;
  HYPERDRIVE?: { connectionString: string };
  LOG_LEVEL?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    const databaseUrl = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL;
    if (!databaseUrl) {
      return new Response(
        JSON.stringify({ type: 'about:blank', title: 'Nicht konfiguriert', status: 503, detail: 'DATABASE_URL or a HYPERDRIVE binding is required on Workers.' }),
        { status: 503, headers: { 'content-type': 'application/problem+json' } },
      );
    }
    // Migrations are applied by `npm run cli -- migrate` at deployment, not per request.
    const database = await openDatabase({ databaseUrl, poolMax: 1, migrate: false });
    const store = new PostgresEventStore(database.db);
    // No background loop on Workers: after each response the projections catch up (in the
    // background of the request); the checkpoint lock keeps concurrent requests from applying a
    // batch twice.
    const runner = createProjectionRunner({ db: database.db, store, projections: allProjections });
    const verifier = createTokenVerifier({
      jwtSecret: env.JWT_SECRET,
      oidcIssuer: env.OIDC_ISSUER,
      oidcAudience: env.OIDC_AUDIENCE,
      oidcJwksUrl: env.OIDC_JWKS_URL,
    });
    const logger = createLogger(env.LOG_LEVEL ?? 'info', (line) => console.log(line.trimEnd()));
    const app = createApp({ db: database.db, store, runner, verifier, logger });
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(runner.catchUp().finally(() => database.close()));
    }
  },
};
