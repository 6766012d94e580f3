// The stored events for the auditor: in global order with all metadata and hashes, one stream's
// history, and the whole log as NDJSON. A caller limited to some municipalities sees the streams
// of those municipalities and the shared ones (programmes).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { StoredEvent } from '../../eventstore/index.js';
import { NotFoundProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';
import { checkStreamId, inScope, problem, scopeOf, type AuditContext } from './support.js';

const StoredEventSchema = z
  .object({
    eventId: z.string(),
    streamId: z.string(),
    streamVersion: z.number().int(),
    globalPosition: z.number().int(),
    type: z.string(),
    schemaVersion: z.number().int(),
    data: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()),
    recordedAt: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('StoredEvent');

/** GET /audit/events, /audit/streams/{streamId} and /audit/export. */
export function auditEventRoutes(ctx: AuditContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/events',
      tags: ['Prüfung'],
      summary: 'Gespeicherte Ereignisse in globaler Reihenfolge, mit Metadaten und Hashes',
      request: {
        query: z.object({
          stream: z.string().max(200).optional().openapi({ description: 'Nur dieser Stream' }),
          fromPosition: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional().openapi({ description: 'Erste Position (Standard 1)' }),
          limit: z.coerce.number().int().min(1).max(1000).optional().openapi({ description: 'Höchstens so viele (Standard 100, höchstens 1000)' }),
        }),
      },
      responses: {
        200: {
          description: 'Ereignisse und Cursor',
          content: { 'application/json': { schema: z.object({ items: z.array(StoredEventSchema), next: z.string().nullable() }) } },
        },
        400: { description: 'Ungültige Abfrage', ...problem },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const limit = q.limit ?? 100;
      const after = (q.fromPosition ?? 1) - 1;
      let items: StoredEvent[];
      if (q.stream !== undefined) {
        checkStreamId(q.stream, 'stream');
        const events = await ctx.store.readStream(q.stream);
        items = inScope(scopeOf(c), events[0]) ? events.filter((e) => e.globalPosition > after).slice(0, limit) : [];
      } else {
        const scope = scopeOf(c);
        items = await ctx.store.readAll({ after, limit, ...(scope ? { streamScope: scope } : {}) });
      }
      const last = items.at(-1);
      const next =
        items.length === limit && last
          ? `/api/v1/audit/events?${new URLSearchParams({ ...(q.stream ? { stream: q.stream } : {}), fromPosition: String(last.globalPosition + 1), limit: String(limit) })}`
          : null;
      return c.json({ items, next }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/streams/{streamId}',
      tags: ['Prüfung'],
      summary: 'Die Geschichte eines Streams',
      request: { params: z.object({ streamId: z.string().max(200).openapi({ param: { name: 'streamId', in: 'path' }, example: 'programme-thilik' }) }) },
      responses: {
        200: {
          description: 'Ereignisse des Streams',
          content: { 'application/json': { schema: z.object({ streamId: z.string(), version: z.number().int(), items: z.array(StoredEventSchema) }) } },
        },
        400: { description: 'Ungültige Stream-Kennung', ...problem },
        404: { description: 'Nicht gefunden', ...problem },
      },
    }),
    async (c) => {
      const { streamId } = c.req.valid('param');
      checkStreamId(streamId, 'streamId');
      const items = await ctx.store.readStream(streamId);
      if (items.length === 0 || !inScope(scopeOf(c), items[0])) throw new NotFoundProblem(`Stream ${streamId} ist nicht erfasst.`);
      return c.json({ streamId, version: items.at(-1)!.streamVersion, items }, 200);
    },
  );

  app.get('/audit/export', (c) => {
    const scope = scopeOf(c);
    const iterator = ctx.store.iterateAll({ batchSize: 1000, ...(scope ? { streamScope: scope } : {}) });
    const encoder = new TextEncoder();
    // Pulled batch by batch as the client reads: memory stays flat however long the log is.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(value.map((e) => `${JSON.stringify(e)}\n`).join('')));
      },
      async cancel() {
        await iterator.return(undefined);
      },
    });
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': 'attachment; filename="verstetigt-ereignisse.ndjson"',
        'x-request-id': c.get('requestId'),
      },
    });
  });

  return app;
}
