// POST routes of a position: establishing, staffing, vacancies, continuation decisions and their
// revocation, abolition, and the corrections (void, correction, reversal of a staffing or of a
// decision), which name the version the clerk saw.
import { OpenAPIHono } from '@hono/zod-openapi';
import {
  AbolishPositionBody,
  CorrectPositionBody,
  DecideContinuationBody,
  EstablishPositionBody,
  ReverseEntryBody,
  RevokeContinuationDecisionBody,
  StaffPositionBody,
  VacatePositionBody,
  VoidRecordBody,
} from '../../../schemas/index.js';
import {
  abolishPosition,
  correctPosition,
  decideContinuation,
  establishPosition,
  reverseContinuationDecision,
  reverseStaffing,
  revokeContinuationDecision,
  staffPosition,
  vacatePosition,
  voidPosition,
} from '../../commands/index.js';
import type { EventStore } from '../../eventstore/index.js';
import type { AppEnv } from '../request-context.js';
import { action, idEntryParams, idParam, noParams, ownMunicipality } from './support.js';

const tag = 'Stellen';

/** The position write routes. */
export function positionWriteRoutes({ store }: { store: EventStore }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const establishPositionRoute = action(store, {
    status: 201, path: '/positions', tag, summary: 'Stelle einrichten', params: noParams, body: EstablishPositionBody,
    run: (ctx, _p, body) => establishPosition(ctx, body), location: (id) => `/api/v1/positions/${id}`, guard: ownMunicipality,
  });
  app.openapi(establishPositionRoute.route, (c) => establishPositionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const staffPositionRoute = action(store, {
    status: 200, path: '/positions/{id}/staffing', tag, summary: 'Stellenbesetzung erfassen', params: idParam, body: StaffPositionBody,
    run: (ctx, p, body) => staffPosition(ctx, p.id, body),
  });
  app.openapi(staffPositionRoute.route, (c) => staffPositionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const vacatePositionRoute = action(store, {
    status: 200, path: '/positions/{id}/vacancies', tag, summary: 'Freiwerden der Stelle erfassen', params: idParam,
    body: VacatePositionBody, run: (ctx, p, body) => vacatePosition(ctx, p.id, body),
  });
  app.openapi(vacatePositionRoute.route, (c) => vacatePositionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const decideContinuationRoute = action(store, {
    status: 200, path: '/positions/{id}/continuation-decisions', tag, summary: 'Verstetigungsentscheidung erfassen', params: idParam,
    body: DecideContinuationBody, run: (ctx, p, body) => decideContinuation(ctx, p.id, body),
  });
  app.openapi(decideContinuationRoute.route, (c) => decideContinuationRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const revokeContinuationDecisionRoute = action(store, {
    status: 200, path: '/positions/{id}/continuation-decisions/revoke', tag, summary: 'Verstetigungsentscheidung aufheben',
    params: idParam, body: RevokeContinuationDecisionBody, run: (ctx, p, body) => revokeContinuationDecision(ctx, p.id, body),
  });
  app.openapi(revokeContinuationDecisionRoute.route, (c) => revokeContinuationDecisionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const abolishPositionRoute = action(store, {
    status: 200, path: '/positions/{id}/abolish', tag, summary: 'Stelle streichen', params: idParam, body: AbolishPositionBody,
    run: (ctx, p, body) => abolishPosition(ctx, p.id, body),
  });
  app.openapi(abolishPositionRoute.route, (c) => abolishPositionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const voidPositionRoute = action(store, {
    status: 200, path: '/positions/{id}/void', tag, summary: 'Stelle stornieren (irrtümlich erfasst)', params: idParam,
    body: VoidRecordBody, run: (ctx, p, body) => voidPosition(ctx, p.id, body), requireIfMatch: true,
  });
  app.openapi(voidPositionRoute.route, (c) => voidPositionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const correctPositionRoute = action(store, {
    status: 200, path: '/positions/{id}/corrections', tag, summary: 'Angaben der Stelle korrigieren', params: idParam,
    body: CorrectPositionBody, run: (ctx, p, body) => correctPosition(ctx, p.id, body), requireIfMatch: true,
  });
  app.openapi(correctPositionRoute.route, (c) => correctPositionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const reverseStaffingRoute = action(store, {
    status: 200, path: '/positions/{id}/staffing/{entry}/reversal', tag, summary: 'Stellenbesetzung stornieren', params: idEntryParams,
    body: ReverseEntryBody, run: (ctx, p, body) => reverseStaffing(ctx, p.id, p.entry, body), requireIfMatch: true,
  });
  app.openapi(reverseStaffingRoute.route, (c) => reverseStaffingRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  const reverseContinuationDecisionRoute = action(store, {
    status: 200, path: '/positions/{id}/continuation-decisions/{entry}/reversal', tag,
    summary: 'Verstetigungsentscheidung stornieren (irrtümlich erfasst)', params: idEntryParams, body: ReverseEntryBody,
    run: (ctx, p, body) => reverseContinuationDecision(ctx, p.id, p.entry, body), requireIfMatch: true,
  });
  app.openapi(reverseContinuationDecisionRoute.route, (c) => reverseContinuationDecisionRoute.handle(c, c.req.valid('param'), c.req.valid('json')));
  return app;
}
