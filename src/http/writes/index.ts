// The write API under /api/v1: one POST route per command, listed per resource (grants,
// positions, programmes), each typed from its zod body and path parameters and part of the
// generated OpenAPI document.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../request-context.js';
import { grantActions } from './grants.js';
import { positionActions } from './positions.js';
import { programmeActions } from './programmes.js';
import { requireJson, type WriteRouteDependencies } from './support.js';

export { commandContext, requireJson, type RequestIdentity, type WriteRouteDependencies } from './support.js';

/** The POST routes of every command, mounted by the app under /api/v1. */
export function writeRoutes(deps: WriteRouteDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requireJson());
  for (const action of [...grantActions(deps), ...positionActions(deps), ...programmeActions(deps)]) app.openapi(action.route, action.handle);
  return app;
}
