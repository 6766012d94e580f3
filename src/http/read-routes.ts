// Reads of single aggregates and reference data: state folded from the stream, with its version
// as ETag (W/"<version>") for a later If-Match.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { MUNICIPALITIES, PROGRAMMES } from '../../schemas/index.js';
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
const notFound = { description: 'Nicht gefunden', content: { 'application/problem+json': { schema: ProblemSchema } } };

const MunicipalitySchema = z
  .object({ ags: z.string(), name: z.string(), kind: z.enum(['kreisfreie-stadt', 'landkreis']) })
  .openapi('Municipality');

/** GET routes for grants, positions, programmes and municipalities. */
export function readRoutes({ store }: { store: EventStore }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/grants/{id}',
      tags: ['Zuwendungen'],
      summary: 'Eine Zuwendung mit Abrufen, Änderungen und Nachweisen',
      request: { params: idParam },
      responses: { 200: { description: 'Zustand', content: { 'application/json': { schema: stateSchema('Grant') } } }, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { state, version } = await loadGrant({ store }, id);
      if (!state.exists || !maySee(c, state.municipality)) throw new NotFoundProblem(`Zuwendung ${id} ist nicht erfasst.`);
      const { exists: _exists, ...grant } = state;
      c.header('ETag', `W/"${version}"`);
      return c.json({ ...grant, version }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/positions/{id}',
      tags: ['Stellen'],
      summary: 'Eine Stelle mit Besetzungen und Verstetigungsentscheidung',
      request: { params: idParam },
      responses: { 200: { description: 'Zustand', content: { 'application/json': { schema: stateSchema('Position') } } }, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { state, version } = await loadPosition({ store }, id);
      if (!state.exists || !maySee(c, state.municipality)) throw new NotFoundProblem(`Stelle ${id} ist nicht erfasst.`);
      const { exists: _exists, ...position } = state;
      c.header('ETag', `W/"${version}"`);
      return c.json({ ...position, version }, 200);
    },
  );

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
      const items = [];
      for (const facts of PROGRAMMES) {
        const { state, version } = await loadProgramme({ store }, facts.code);
        if (!state.exists) continue;
        const { exists: _exists, ...programme } = state;
        items.push({ ...programme, guidelineDate: facts.guidelineDate, version });
      }
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/municipalities',
      tags: ['Kommunen'],
      summary: 'Die 23 Landkreise und kreisfreien Städte Thüringens (Stand 2019)',
      responses: {
        200: { description: 'Liste', content: { 'application/json': { schema: z.object({ items: z.array(MunicipalitySchema) }) } } },
      },
    }),
    (c) => c.json({ items: MUNICIPALITIES.map(({ ags, name, kind }) => ({ ags, name, kind })) }, 200),
  );

  return app;
}
