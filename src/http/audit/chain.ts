// The chain check for the auditor: GET /audit/verify (the hash chain, for a caller limited to
// some municipalities: their events) and, with a signing key, a signed digest of the log, its
// public key and POST /audit/verify, which checks the log still holds and continues a digest.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { DigestSignatureError, LogIntegrityError, digestMessage, type LogDigest } from '../../eventstore/index.js';
import { HttpProblem, ValidationProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';
import { VerifyReportSchema, bounded, callerScope, problem, type AuditContext } from './support.js';

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

/** GET /audit/verify; with a signing key also GET /audit/digest, GET /audit/public-key and POST /audit/verify. */
export function auditChainRoutes(ctx: AuditContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

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
      const signedLog = ctx.signedLog;
      if (signedLog) return c.json(await bounded(ctx, c, 'verify', () => signedLog.verify({ scope })), 200);
      if (scope !== '*') throw new HttpProblem(503, 'Vorübergehend nicht verfügbar', 'Die Prüfung für einzelne Kommunen braucht den Signaturschlüssel.');
      return c.json({ ...(await bounded(ctx, c, 'verify', () => ctx.store.verify())), reason: null }, 200);
    },
  );

  if (ctx.signedLog) {
    const signedLog = ctx.signedLog;
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
          return c.json(await bounded(ctx, c, 'digest', () => signedLog.digest(callerScope(c))), 200);
        } catch (error) {
          if (error instanceof LogIntegrityError) {
            throw new HttpProblem(500, 'Protokoll nicht intakt', 'Das Protokoll lässt sich nicht prüfen; es wird kein Digest signiert.', { reason: error.message }, {}, { cause: error });
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
          return c.json(await bounded(ctx, c, `verify-digest ${digestMessage(digest)} ${digest.signature}`, () => signedLog.verify({ digest, scope: digest.scope ?? '*' })), 200);
        } catch (error) {
          if (error instanceof DigestSignatureError) {
            throw new HttpProblem(422, 'Digest ungültig', `Der Digest ist nicht mit dem Schlüssel dieses Protokolls signiert: ${error.message}.`, { rule: 'digest-signature' }, {}, { cause: error });
          }
          throw error;
        }
      },
    );
  }

  return app;
}
