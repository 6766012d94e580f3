// POST routes of the programme register: registering a programme, changing it and setting its
// end. Programmes are shared by every municipality: only an administrator for all of them writes.
import { OpenAPIHono } from '@hono/zod-openapi';
import { ChangeProgrammeBody, RegisterProgrammeBody, SetProgrammeEndDateBody } from '../../../schemas/index.js';
import { changeProgramme, registerProgramme, setProgrammeEndDate } from '../../commands/index.js';
import type { EventStore } from '../../eventstore/index.js';
import type { AppEnv } from '../request-context.js';
import { action, codeParam, noParams, programmeAdmin } from './support.js';

const tag = 'Förderprogramme';

/** The programme write routes. */
export function programmeWriteRoutes({ store }: { store: EventStore }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const registerProgrammeRoute = action(store, {
    status: 201, path: '/programmes', tag, summary: 'Förderprogramm registrieren', params: noParams, body: RegisterProgrammeBody,
    run: (ctx, _p, body) => registerProgramme(ctx, body), location: (id) => `/api/v1/programmes/${id}`, guard: programmeAdmin,
  });
  app.openapi(registerProgrammeRoute.route, (c) => registerProgrammeRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const changeProgrammeRoute = action(store, {
    status: 200, path: '/programmes/{code}/changes', tag, summary: 'Förderprogramm ändern (Name, Laufzeit, Funktionen, Vorgaben)',
    params: codeParam, body: ChangeProgrammeBody, run: (ctx, p, body) => changeProgramme(ctx, p.code, body), guard: programmeAdmin,
  });
  app.openapi(changeProgrammeRoute.route, (c) => changeProgrammeRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const setProgrammeEndDateRoute = action(store, {
    status: 200, path: '/programmes/{code}/end-date', tag, summary: 'Programmende setzen', params: codeParam,
    body: SetProgrammeEndDateBody, run: (ctx, p, body) => setProgrammeEndDate(ctx, p.code, body), guard: programmeAdmin,
  });
  app.openapi(setProgrammeEndDateRoute.route, (c) => setProgrammeEndDateRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  return app;
}
