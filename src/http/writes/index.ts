// The write API under /api/v1: one POST route per command, listed per resource (grants,
// positions, their corrections, programmes), each typed from its zod body and path parameters and part of the
// generated OpenAPI document.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../request-context.js';
import { grantActions, grantCorrectionActions } from './grants.js';
import { positionActions, positionCorrectionActions } from './positions.js';
import { programmeActions } from './programmes.js';
import { requireJson, type WriteRouteDependencies } from './support.js';

export { commandContext, requireJson, type RequestIdentity, type WriteRouteDependencies } from './support.js';

/** The POST routes of every command, mounted by the app under /api/v1. */
export function writeRoutes(deps: WriteRouteDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requireJson());
  const actions = [
    ...grantActions(deps),
    ...positionActions(deps),
    ...grantCorrectionActions(deps),
    ...positionCorrectionActions(deps),
    ...programmeActions(deps),
  ];
  for (const action of actions) app.openapi(action.route, action.handle);
  return app;
}
