// How many requests this process is answering right now. A long as-of replay yields to them: it
// keeps to REPLAY_DUTY_PERCENT while anybody else is being answered and runs at full speed only
// when the process has nothing else to do.
import type { MiddlewareHandler } from 'hono';

export interface RequestLoad {
  /** Requests between their arrival and their answer. */
  readonly inFlight: number;
  /** Counts every request that passes (the first middleware of the app). */
  readonly middleware: MiddlewareHandler;
}

/** One counter per process (the Worker: per isolate). */
export function requestLoad(): RequestLoad {
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    middleware: async (_c, next) => {
      inFlight += 1;
      try {
        await next();
      } finally {
        inFlight -= 1;
      }
    },
  };
}
