// The Cloudflare Workers entry point. Workers cannot keep a pool across requests, so each request
// opens its own connection (through Hyperdrive when bound) and closes it when the response is done.
// The embedded PGlite default is not available here: a Worker always needs PostgreSQL.
import { openDatabase } from './db/index.js';
import { PostgresEventStore } from './eventstore/index.js';
import { createApp } from './http/index.js';
import { createLogger } from './log.js';

interface WorkerEnv {
  DATABASE_URL?: string;
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
    const app = createApp({ db: database.db, store, logger: createLogger(env.LOG_LEVEL ?? 'info', (line) => console.log(line.trimEnd())) });
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(database.close());
    }
  },
};
