// What middleware puts on the Hono context, typed once for every route.
import type { Actor } from '../eventstore/index.js';
import type { Logger } from '../log.js';

export interface RequestVariables {
  requestId: string;
  logger: Logger;
  /** The authenticated caller; set by the authentication middleware. */
  actor?: Actor;
}

export type AppEnv = { Variables: RequestVariables };
