// What middleware puts on the Hono context, typed once for every route.
import type { Logger } from '../log.js';

export interface RequestVariables {
  requestId: string;
  logger: Logger;
}

export type AppEnv = { Variables: RequestVariables };
