// The write API under /api/v1: one POST route per command, a sub-app per resource, each route
// typed from its zod body and path parameters and listed in the generated OpenAPI document.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../request-context.js';
import { grantWriteRoutes } from './grants.js';
import { positionWriteRoutes } from './positions.js';
import { programmeWriteRoutes } from './programmes.js';
import { requireJson, type WriteRouteDependencies } from './support.js';

export { commandContext, requireJson, type RequestIdentity, type WriteRouteDependencies } from './support.js';

/** The POST routes of every command, mounted by the app under /api/v1. */
export function writeRoutes(deps: WriteRouteDependencies): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requireJson());
  return app.route('/', grantWriteRoutes(deps)).route('/', positionWriteRoutes(deps)).route('/', programmeWriteRoutes(deps));
}
