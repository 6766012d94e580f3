// Reads of single aggregates and reference data: state folded from the stream, with its version
// as ETag (W/"<version>") for a later If-Match.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { LAENDER, MUNICIPALITIES, PROGRAMMES, businessDate, existsOn, programmeCode } from '../../schemas/index.js';
import type { Executor } from '../../projections/index.js';
import { loadGrant, loadPosition, loadProgramme } from '../commands/index.js';
import type { EventStore } from '../eventstore/index.js';
import type { Context } from 'hono';
import { covers } from './auth/index.js';
import { NotFoundProblem } from './problem.js';
import { ProblemSchema } from './openapi-schemas.js';
import type { AppEnv } from './request-context.js';

/** A record of another municipality is answered as not found (its existence is not revealed). */
function maySee(c: Context<AppEnv>, municipality: string): boolean {
  const principal = c.get('principal');
  return !principal || covers(principal, municipality);
}

const idParam = z.object({ id: z.uuid({ error: 'Keine gültige UUID' }).toLowerCase().openapi({ param: { name: 'id', in: 'path' } }) });
const stateSchema = (name: string) =>
  z.object({ version: z.number().int() }).catchall(z.unknown()).openapi(name);
const notFoundResponse = { description: 'Nicht gefunden', content: { 'application/problem+json': { schema: ProblemSchema } } };

const MunicipalitySchema = z
  .object({
    ags: z.string(),
    name: z.string(),
    kind: z.enum(['kreisfreie-stadt', 'landkreis']),
    land: z.string().openapi({ description: 'Land (Kürzel nach ISO 3166-2:DE), z. B. TH' }),
    landName: z.string(),
    validFrom: z.string().nullable().openapi({ description: 'Erster Tag als eigener Kreis (null: vor Beginn des Registers)' }),
    validTo: z.string().nullable().openapi({ description: 'Letzter Tag als eigener Kreis (null: besteht fort)' }),
    mergedInto: z.string().nullable().openapi({ description: 'AGS des Kreises, in dem er aufging' }),
  })
  .openapi('Municipality');

const municipalityQuery = z.object({
  land: z
    .enum(Object.keys(LAENDER) as [keyof typeof LAENDER, ...(keyof typeof LAENDER)[]], {
      error: `Land: eines von ${Object.keys(LAENDER).join(', ')}`,
    })
    .optional()
    .openapi({ description: 'Nur Kreise dieses Landes', example: 'TH' }),
  validOn: businessDate.optional().openapi({ description: 'Nur Kreise, die an diesem Tag als eigene Kreise bestehen', example: '2026-11-27' }),
});

/** GET routes for grants, positions, programmes and municipalities. */
export function readRoutes({ store, db }: { store: EventStore; db: Executor }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  /** GET of one municipality's record by id: its state folded from the stream, its version as ETag. */
  function recordRoute(
    path: '/grants/{id}' | '/positions/{id}',
    tag: string,
    summary: string,
    schemaName: string,
    load: typeof loadGrant | typeof loadPosition,
    notFound: (id: string) => string,
  ) {
    app.openapi(
      createRoute({
        method: 'get',
        path,
        tags: [tag],
        summary,
        request: { params: idParam },
        responses: { 200: { description: 'Zustand', content: { 'application/json': { schema: stateSchema(schemaName) } } }, 404: notFoundResponse },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { state, version } = await load({ store }, id);
        if (!state.exists || !maySee(c, state.municipality)) throw new NotFoundProblem(notFound(id));
        const { exists: _exists, ...record } = state;
        c.header('ETag', `W/"${version}"`);
        return c.json({ ...record, version }, 200);
      },
    );
  }
  recordRoute('/grants/{id}', 'Zuwendungen', 'Eine Zuwendung mit Abrufen, Änderungen und Nachweisen', 'Grant', loadGrant, (id) => `Zuwendung ${id} ist nicht erfasst.`);
  recordRoute('/positions/{id}', 'Stellen', 'Eine Stelle mit Besetzungen und Verstetigungsentscheidung', 'Position', loadPosition, (id) => `Stelle ${id} ist nicht erfasst.`);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/programmes',
      tags: ['Förderprogramme'],
      summary: 'Die Förderprogramme',
      responses: {
        200: {
          description: 'Liste',
          content: { 'application/json': { schema: z.object({ items: z.array(stateSchema('Programme')) }) } },
        },
      },
    }),
    async (c) => {
      // The register: the seed's codes and every code the read side has seen registered.
      const seen = await sql<{ programme: string }>`select programme from end_dates_programmes`.execute(db);
      const codes = [...new Set([...PROGRAMMES.map((p) => p.code), ...seen.rows.map((r) => r.programme)])].sort();
      const items = [];
      for (const code of codes) {
        const { state, version } = await loadProgramme({ store }, code);
        if (!state.exists) continue;
        const { exists: _exists, ...programme } = state;
        items.push({ ...programme, version });
      }
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/programmes/{code}',
      tags: ['Förderprogramme'],
      summary: 'Ein Förderprogramm des Registers',
      request: { params: z.object({ code: programmeCode.clone().openapi({ param: { name: 'code', in: 'path' }, example: 'thilik' }) }) },
      responses: { 200: { description: 'Zustand', content: { 'application/json': { schema: stateSchema('Programme') } } }, 404: notFoundResponse },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const { state, version } = await loadProgramme({ store }, code);
      if (!state.exists) throw new NotFoundProblem(`Das Förderprogramm ${code} ist nicht im Programmregister erfasst.`);
      const { exists: _exists, ...programme } = state;
      c.header('ETag', `W/"${version}"`);
      return c.json({ ...programme, version }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/municipalities',
      tags: ['Kommunen'],
      summary: 'Das Register der Landkreise und kreisfreien Städte Deutschlands (mit früheren, z. B. Eisenach bis 30.06.2021)',
      request: { query: municipalityQuery },
      responses: {
        200: { description: 'Liste', content: { 'application/json': { schema: z.object({ items: z.array(MunicipalitySchema) }) } } },
      },
    }),
    (c) => {
      const { land, validOn } = c.req.valid('query');
      const items = MUNICIPALITIES.filter((m) => (land === undefined || m.land === land) && (validOn === undefined || existsOn(m, validOn))).map(
        (m) => ({ ags: m.ags, name: m.name, kind: m.kind, land: m.land, landName: LAENDER[m.land], validFrom: m.validFrom, validTo: m.validTo, mergedInto: m.mergedInto ?? null }),
      );
      return c.json({ items }, 200);
    },
  );

  return app;
}
