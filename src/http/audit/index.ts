// The auditor's endpoints under /api/v1 (role auditor or admin, see auth/permissions.ts): the
// stored events with all metadata and hashes, one stream's history, the chain check and signed
// digests, any view as the system showed it at an earlier instant, and the whole log as NDJSON.
import { OpenAPIHono } from '@hono/zod-openapi';
import { expensiveReads } from '../expensive-reads.js';
import type { AppEnv } from '../request-context.js';
import { auditAsOfRoutes } from './as-of.js';
import { auditChainRoutes } from './chain.js';
import { auditEventRoutes } from './events.js';
import type { AuditContext, AuditDependencies } from './support.js';

export type { AuditDependencies } from './support.js';
export { asOfReplayer, type AsOfAnswer, type AsOfRequest, type AsOfViewName } from './as-of.js';

/** The audit routes, mounted under /api/v1. */
export function auditRoutes(deps: AuditDependencies): OpenAPIHono<AppEnv> {
  // One bound for all of them: replays, verifies and digests share the process's few slots.
  const ctx: AuditContext = { ...deps, expensive: deps.expensive ?? expensiveReads({ maxConcurrent: deps.maxConcurrentExpensiveReads ?? 2 }) };
  return new OpenAPIHono<AppEnv>().route('/', auditEventRoutes(ctx)).route('/', auditChainRoutes(ctx)).route('/', auditAsOfRoutes(ctx));
}
