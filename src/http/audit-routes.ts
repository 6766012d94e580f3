// The auditor's endpoints (role auditor or admin, see auth/permissions.ts): the stored events with
// all metadata and hashes, one stream's history, the chain check, any view as the system showed it
// at an earlier instant, and the whole log as NDJSON. A caller limited to some municipalities sees
// the streams of those municipalities and the shared ones (programmes).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryStaffing,
  replayAsOf,
  type RiskThresholds,
} from '../../projections/index.js';
import { sql } from 'kysely';
import { businessDate } from '../../schemas/index.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import {
  DigestSignatureError,
  LogIntegrityError,
  digestMessage,
  PostgresEventStore,
  assertStreamId,
  type EventStore,
  type LogDigest,
  type LogScope,
  type ReadAllOptions,
  type SignedLog,
  type StoredEvent,
} from '../eventstore/index.js';
import { expensiveReads } from './expensive-reads.js';
import { HttpProblem, NotFoundProblem, ValidationProblem } from './problem.js';
import { ProblemSchema } from './openapi-schemas.js';
import type { AppEnv } from './request-context.js';
import { ownFundsYears } from './views.js';

/** What a stream id must look like, in the words of a 400 answer. */
const STREAM_ID_RULE = 'Ungültige Stream-Kennung: erwartet <Art>-<ID>, 1–200 Zeichen aus A–Z, a–z, 0–9, _ . : -.';

export interface AuditDependencies {
  db: Db;
  store: EventStore;
  clock: Clock;
  thresholds: RiskThresholds;
  /** Signs digests and verifies against them; without it the digest routes are not served. */
  signedLog?: SignedLog | undefined;
  /** As-of replays, verifies and digests running at once per process; beyond, 429 (default 2). */
  maxConcurrentExpensiveReads?: number | undefined;
  /** Share of wall time (%) an as-of replay may keep the process and database busy (default 50). */
  replayDutyPercent?: number | undefined;
}

const VIEWS = ['staffing', 'end-dates', 'continuation-risk', 'own-funds', 'finance'] as const;

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
const problem = { content: { 'application/problem+json': { schema: ProblemSchema } } };

const DigestSchema = z
  .strictObject({
    position: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    hash: z.string().regex(/^[0-9a-f]{64}$/, { error: '64 Hexadezimalziffern' }),
    recordedAt: z.string().max(40).nullable(),
    keyId: z.string().min(1).max(100),
    signature: z.string().min(1).max(200),
    scope: z.array(z.string().regex(/^\d{8}$/, { error: 'Keine gültige AGS' })).min(1).max(500).optional(),
    count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .openapi('LogDigest', {
    description:
      'Signierter Stand des Protokolls (Ed25519 über das kanonische JSON aller Felder außer signature). ' +
      'Mit scope: nur die Ereignisse dieser Kommunen und die gemeinsamen (Anzahl count, gefalteter Hash).',
  });
const VerifyReportSchema = z
  .object({ ok: z.boolean(), checked: z.number().int(), firstBadPosition: z.number().int().nullable(), reason: z.string().nullable() })
  .openapi('VerifyReport');

/** The caller's scope as an event-store filter (undefined: everything). */
function scopeOf(c: Context<AppEnv>): ReadAllOptions['streamScope'] {
  const municipalities = c.get('principal')?.municipalities ?? '*';
  return municipalities === '*' ? undefined : { field: 'municipality', values: municipalities };
}

/** The caller's municipalities, or '*' for a token for all of them. */
function callerScope(c: Context<AppEnv>): LogScope {
  return c.get('principal')?.municipalities ?? '*';
}

/** True when `event` lies in the scope (for one stream's history). */
function inScope(scope: ReadAllOptions['streamScope'], first: StoredEvent | undefined): boolean {
  if (!scope || !first) return true;
  const value = first.data[scope.field];
  return value === undefined || scope.values.includes(String(value));
}

/** The audit routes, mounted under /api/v1. */
export function auditRoutes(deps: AuditDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const expensive = expensiveReads({ maxConcurrent: deps.maxConcurrentExpensiveReads ?? 2 });
  /** The log's head as a cache key: a result stays valid while no event is appended. */
  const head = async (): Promise<string> => {
    const row = (await sql<{ position: string; hash: string }>`select position, hash from event_log_head where id = 1`.execute(deps.db)).rows[0];
    return `${row?.position ?? 0}:${row?.hash ?? ''}`;
  };
  const bounded = async <T>(c: Context<AppEnv>, key: string, fn: () => Promise<T>): Promise<T> =>
    expensive.run(`${key}\u0000${JSON.stringify(callerScope(c))}`, head, fn);

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
        try {
          assertStreamId(q.stream);
        } catch {
          throw new ValidationProblem(STREAM_ID_RULE, [{ path: 'stream', message: 'ungültige Stream-Kennung' }]);
        }
        const events = await deps.store.readStream(q.stream);
        items = inScope(scopeOf(c), events[0]) ? events.filter((e) => e.globalPosition > after).slice(0, limit) : [];
      } else {
        const scope = scopeOf(c);
        items = await deps.store.readAll({ after, limit, ...(scope ? { streamScope: scope } : {}) });
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
      try {
        assertStreamId(streamId);
      } catch {
        throw new ValidationProblem(STREAM_ID_RULE, [{ path: 'streamId', message: 'ungültige Stream-Kennung' }]);
      }
      const items = await deps.store.readStream(streamId);
      if (items.length === 0 || !inScope(scopeOf(c), items[0])) throw new NotFoundProblem(`Stream ${streamId} ist nicht erfasst.`);
      return c.json({ streamId, version: items.at(-1)!.streamVersion, items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/verify',
      tags: ['Prüfung'],
      summary: 'Prüft die Hash-Kette (für eine auf Kommunen beschränkte Berechtigung: deren Ereignisse)',
      responses: {
        200: {
          description: 'Ergebnis',
          content: {
            'application/json': {
              schema: VerifyReportSchema,
            },
          },
        },
      },
    }),
    async (c) => {
      const scope = callerScope(c);
      const signedLog = deps.signedLog;
      if (signedLog) return c.json(await bounded(c, 'verify', () => signedLog.verify({ scope })), 200);
      if (scope !== '*') throw new HttpProblem(503, 'Vorübergehend nicht verfügbar', 'Die Prüfung für einzelne Kommunen braucht den Signaturschlüssel.');
      return c.json({ ...(await bounded(c, 'verify', () => deps.store.verify())), reason: null }, 200);
    },
  );

  if (deps.signedLog) {
    const signedLog = deps.signedLog;
    app.openapi(
      createRoute({
        method: 'get',
        path: '/audit/digest',
        tags: ['Prüfung'],
        summary: 'Signierter Stand des Protokolls (für eine spätere Prüfung mit POST /audit/verify)',
        responses: { 200: { description: 'Der Digest', content: { 'application/json': { schema: DigestSchema } } } },
      }),
      async (c) => {
        try {
          return c.json(await bounded(c, 'digest', () => signedLog.digest(callerScope(c))), 200);
        } catch (error) {
          if (error instanceof LogIntegrityError) {
            throw new HttpProblem(500, 'Protokoll nicht intakt', 'Das Protokoll lässt sich nicht prüfen; es wird kein Digest signiert.', { reason: error.message });
          }
          throw error;
        }
      },
    );

    app.openapi(
      createRoute({
        method: 'get',
        path: '/audit/public-key',
        tags: ['Prüfung'],
        summary: 'Der öffentliche Schlüssel der Digests (PEM und JWK); ohne Anmeldung',
        security: [],
        responses: {
          200: {
            description: 'Schlüssel-ID, PEM (SPKI) und JWK',
            content: {
              'application/json': {
                schema: z.object({ keyId: z.string(), algorithm: z.literal('Ed25519'), pem: z.string(), jwk: z.record(z.string(), z.string()) }),
              },
            },
          },
        },
      }),
      (c) => c.json({ keyId: signedLog.key.keyId, algorithm: 'Ed25519' as const, pem: signedLog.key.publicKeyPem, jwk: signedLog.key.publicJwk }, 200),
    );

    app.openapi(
      createRoute({
        method: 'post',
        path: '/audit/verify',
        tags: ['Prüfung'],
        summary: 'Prüft, dass das Protokoll genau den Stand eines Digests enthält und ihn fortsetzt',
        request: { body: { content: { 'application/json': { schema: DigestSchema } }, required: true } },
        responses: {
          200: { description: 'Ergebnis', content: { 'application/json': { schema: VerifyReportSchema } } },
          400: { description: 'Kein Digest', ...problem },
          403: { description: 'Digest einer Kommune außerhalb der Berechtigung', ...problem },
          422: { description: 'Signatur ungültig oder fremder Schlüssel', ...problem },
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const digest: LogDigest = {
          position: body.position,
          hash: body.hash,
          recordedAt: body.recordedAt,
          keyId: body.keyId,
          signature: body.signature,
          ...(body.scope ? { scope: body.scope } : {}),
          ...(body.count !== undefined ? { count: body.count } : {}),
        };
        const caller = callerScope(c);
        // A scoped caller checks digests of its own municipalities only; the global one names the log's size.
        if (caller !== '*' && (!digest.scope || !digest.scope.every((ags) => caller.includes(ags)))) {
          throw new HttpProblem(403, 'Keine Berechtigung', 'Prüfbar sind nur Digests der eigenen Kommunen.');
        }
        if ((digest.scope === undefined) !== (digest.count === undefined)) {
          throw new ValidationProblem('scope und count gehören zusammen.', [{ path: 'count', message: 'scope und count gehören zusammen' }]);
        }
        try {
          return c.json(await bounded(c, `verify-digest ${digestMessage(digest)} ${digest.signature}`, () => signedLog.verify({ digest, scope: digest.scope ?? '*' })), 200);
        } catch (error) {
          if (error instanceof DigestSignatureError) {
            throw new HttpProblem(422, 'Digest ungültig', `Der Digest ist nicht mit dem Schlüssel dieses Protokolls signiert: ${error.message}.`, { rule: 'digest-signature' });
          }
          throw error;
        }
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/as-of',
      tags: ['Prüfung'],
      summary: 'Eine Auswertung, wie das System sie zu einem früheren Zeitpunkt zeigte',
      request: {
        query: z.object({
          knownAt: z.iso
            .datetime({ offset: true })
            .refine((v) => {
              // PostgreSQL timestamps span years 1–9999 (in UTC).
              const year = new Date(v).getUTCFullYear();
              return year >= 1 && year <= 9999;
            }, { error: 'Zeitpunkt außerhalb der Jahre 1–9999' })
            .openapi({ description: 'Zeitpunkt (ISO 8601): nur bis dahin erfasste Ereignisse', example: '2019-08-29T12:00:00Z' }),
          view: z.enum(VIEWS),
          asOf: businessDate.optional().openapi({ description: 'Stichtag (Standard: der Tag von knownAt in Europe/Berlin)' }),
          municipality: z.string().optional(),
          programme: z.string().optional(),
          year: z.coerce.number().int().min(1990).max(2200).optional(),
          from: z.coerce.number().int().min(1990).max(2200).optional(),
          to: z.coerce.number().int().min(1990).max(2200).optional(),
        }),
      },
      responses: {
        200: { description: 'Die Auswertung in der Form der laufenden Ansicht', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
        400: { description: 'Ungültige Abfrage', ...problem },
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const knownAt = new Date(q.knownAt).toISOString();
      const municipalities = c.get('principal')?.municipalities ?? '*';
      const scope = { municipality: q.municipality, programme: q.programme, municipalities };
      if (q.municipality && municipalities !== '*' && !municipalities.includes(q.municipality)) {
        throw new HttpProblem(403, 'Keine Berechtigung', `Keine Berechtigung für die Kommune ${q.municipality}.`);
      }
      const asOf = q.asOf ?? berlinDate(knownAt);
      const body = await bounded(c, `as-of ${JSON.stringify({ ...q, knownAt, asOf })}`, () => replayAsOf({
        db: deps.db,
        store: deps.store,
        // Streams the events through the replay's own transaction (PGlite has one connection).
        readerFor: (trx) => new PostgresEventStore(trx),
        knownAt,
        dutyPercent: deps.replayDutyPercent ?? 50,
        // Only the caller's streams and the shared ones: the cost follows the tenant, not the log.
        ...(municipalities === '*' ? {} : { streamScope: { field: 'municipality', values: municipalities } }),
        run: async (trx) => {
          switch (q.view) {
            case 'staffing':
              return { asOf, items: await queryStaffing(trx, { asOf, ...scope }) };
            case 'end-dates':
              return { asOf, items: await queryEndDates(trx, { asOf, ...scope }) };
            case 'continuation-risk':
              return { asOf, items: await queryContinuationRisk(trx, { asOf, ...scope, thresholds: deps.thresholds }) };
            case 'finance':
              return { asOf, items: await queryGrantFinance(trx, { asOf, ...scope }) };
            case 'own-funds': {
              const { fromYear, toYear } = ownFundsYears(q, Number(asOf.slice(0, 4)));
              const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
              return { years, items: await queryOwnFunds(trx, { fromYear, toYear, ...scope }) };
            }
          }
        },
      }));
      c.header('X-Known-At', knownAt);
      return c.json(body as Record<string, unknown>, 200);
    },
  );

  app.get('/audit/export', (c) => {
    const scope = scopeOf(c);
    const iterator = deps.store.iterateAll({ batchSize: 1000, ...(scope ? { streamScope: scope } : {}) });
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

/** The calendar day of an instant in Europe/Berlin. */
function berlinDate(instant: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}
