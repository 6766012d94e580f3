// A per-token rate limit on writes: a token bucket per subject, in memory (per process).
import type { MiddlewareHandler } from 'hono';
import { HttpProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';

export interface RateLimitOptions {
  /** Writes per minute and subject; 0 turns the limit off. */
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

/** Answers 429 with Retry-After when a subject writes faster than `perMinute` (bursts up to that). */
export function writeRateLimit({ perMinute, now = Date.now, buckets = new Map() }: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const refillPerMs = perMinute / 60_000;
  return async function writeRateLimitMiddleware(c, next) {
    const principal = c.get('principal');
    if (perMinute > 0 && principal && c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      const t = now();
      const bucket = buckets.get(principal.sub) ?? { tokens: perMinute, at: t };
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
      bucket.at = t;
      if (bucket.tokens < 1) {
        buckets.set(principal.sub, bucket);
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
        throw new HttpProblem(429, 'Zu viele Anfragen', `Höchstens ${perMinute} Schreibvorgänge pro Minute; bitte in ${retryAfter} s erneut versuchen.`, {}, { 'retry-after': String(retryAfter) });
      }
      bucket.tokens -= 1;
      buckets.set(principal.sub, bucket);
      if (buckets.size > 10_000) for (const [key, b] of buckets) if (t - b.at > 60_000) buckets.delete(key);
    }
    await next();
  };
}
