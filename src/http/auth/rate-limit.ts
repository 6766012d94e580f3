// Per-token rate limits on writes and on reads: a token bucket per subject, in memory (per process).
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';

export interface RateLimitOptions {
  /** Requests per minute and subject; 0 turns the limit off. */
  perMinute: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /**
   * Where the buckets live (default: a new map per middleware). The Worker builds an app per
   * request and passes one map per isolate, so the limit spans requests.
   */
  buckets?: Map<string, RateLimitBucket>;
}

/** The tokens left to one subject and when they were last counted (ms). */
export interface RateLimitBucket {
  tokens: number;
  at: number;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A bucket per subject holding up to `perMinute` tokens, refilled continuously: `take` returns 0
 * when a token was taken, else the seconds until one is there. `map` may outlive one app (Worker).
 */
function buckets(perMinute: number, now: () => number, map: Map<string, RateLimitBucket> = new Map()): (subject: string) => number {
  const refillPerMs = perMinute / 60_000;
  return function take(subject) {
    const t = now();
    const bucket = map.get(subject) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
    bucket.at = t;
    map.set(subject, bucket);
    if (map.size > 10_000) for (const [key, b] of map) if (t - b.at > 60_000) map.delete(key);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    bucket.tokens -= 1;
    return 0;
  };
}

function limit(kind: 'reads' | 'writes', { perMinute, now = Date.now, buckets: map }: RateLimitOptions, applies: (method: string) => boolean): MiddlewareHandler<AppEnv> {
  const take = buckets(perMinute, now, map);
  const what = kind === 'reads' ? 'Lesezugriffe' : 'Schreibvorgänge';
  return async function rateLimitMiddleware(c, next) {
    const principal = c.get('principal');
    if (perMinute > 0 && principal && applies(c.req.method)) {
      const retryAfter = take(principal.sub);
      if (retryAfter > 0) {
        throw new HttpProblem(429, 'Zu viele Anfragen', `Höchstens ${perMinute} ${what} pro Minute; bitte in ${retryAfter} s erneut versuchen.`, {}, { 'retry-after': String(retryAfter) });
      }
    }
    await next();
  };
}

/** Answers 429 with Retry-After when a subject writes faster than `perMinute` (bursts up to that). */
export function writeRateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return limit('writes', options, (method) => !READ_METHODS.has(method));
}

/** Answers 429 with Retry-After when a subject reads faster than `perMinute` (bursts up to that). */
export function readRateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return limit('reads', options, (method) => READ_METHODS.has(method));
}
