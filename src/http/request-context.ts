// What middleware puts on the Hono context, typed once for every route.
import type { Actor } from '../eventstore/index.js';
import type { Logger } from '../log.js';
import type { Principal } from './auth/principal.js';

export interface RequestVariables {
  requestId: string;
  logger: Logger;
  /** The authenticated caller; set by the authentication middleware. */
  actor?: Actor;
  /** The verified token's subject, role and municipalities. */
  principal?: Principal;
}

export type AppEnv = { Variables: RequestVariables };
