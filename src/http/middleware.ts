// Cross-cutting middleware: request ids and structured access logs.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.js';
import type { AppEnv } from './request-context.js';

const INCOMING_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Gives every request an id (a valid incoming X-Request-Id is kept), echoed in the response. */
export function requestId({ header = 'x-request-id' }: { header?: string } = {}): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header(header);
    const id = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.header(header, id);
    await next();
  };
}

/** One JSON line per request: method, path, status, duration, request id. No bodies, no tokens. */
export function accessLog({ logger }: { logger: Logger }): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    c.set('logger', logger);
    await next();
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
