// Bounds on the expensive audit reads (as-of replay, verify, digests): results cached by the log's
// head, identical requests in flight answered by one run, and at most a few runs at a time per
// process — beyond that 429 with Retry-After, so a burst of replays cannot starve other users of
// the database pool.
import { HttpProblem } from './problem.js';

export interface ExpensiveReadOptions {
  /** Runs at the same time in this process; a request beyond gets 429 (default 2). */
  maxConcurrent: number;
  /** Results kept (default 200); the oldest is dropped first. */
  cacheEntries?: number;
  /** How long a cached result is served while the head stays put (default 60 s). */
  ttlMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /**
   * Whether an identical request waits for the run in flight (default true). The Worker turns it
   * off: workerd does not let one request wait on I/O another request started.
   */
  shareInFlight?: boolean;
  /** Random numbers in [0, 1) for the Retry-After spread (tests). */
  random?: () => number;
}

export interface ExpensiveReads {
  /**
   * The result of `run` for `key` at log head `head`: from the cache, from an identical run in
   * flight, or from a new run when fewer than `maxConcurrent` are running; else HttpProblem 429.
   */
  run<T>(key: string, head: string | (() => Promise<string>), run: () => Promise<T>): Promise<T>;
  /** Runs in progress now (tests, metrics). */
  readonly running: number;
  /** Requests inside `run` now: running, waiting for an identical run or reading the head. */
  readonly inside: number;
}

/** Builds the guard; one per app. */
export function expensiveReads({ maxConcurrent, cacheEntries = 200, ttlMs = 60_000, now = Date.now, shareInFlight = true, random = Math.random }: ExpensiveReadOptions): ExpensiveReads {
  const cache = new Map<string, { value: unknown; at: number }>();
  const inFlight = new Map<string, Promise<unknown>>();
  let running = 0;
  let inside = 0;
  const guarded = async <T>(key: string, head: string | (() => Promise<string>), fn: () => Promise<T>): Promise<T> => {
    const id = `${typeof head === 'string' ? head : await head()}\u0000${key}`;
    const hit = cache.get(id);
    if (hit && now() - hit.at <= ttlMs) return hit.value as T;
    const pending = inFlight.get(id);
    if (pending) return pending as Promise<T>;
    if (running >= maxConcurrent) throw busy(maxConcurrent, random);
    running += 1;
    const promise = fn().then(
      (value) => {
        cache.delete(id);
        cache.set(id, { value, at: now() });
        if (cache.size > cacheEntries) cache.delete(cache.keys().next().value!);
        return value;
      },
    );
    if (shareInFlight) inFlight.set(id, promise);
    try {
      return await promise;
    } finally {
      running -= 1;
      inFlight.delete(id);
    }
  };
  return {
    get running() {
      return running;
    },
    get inside() {
      return inside;
    },
    async run<T>(key: string, head: string | (() => Promise<string>), fn: () => Promise<T>): Promise<T> {
      // Refused before anything else (even the head's read), so a flood costs no database work.
      if (running >= maxConcurrent) throw busy(maxConcurrent, random);
      inside += 1;
      try {
        return await guarded(key, head, fn);
      } finally {
        inside -= 1;
      }
    },
  };
}

/**
 * 429 with a Retry-After of 1–4 s, drawn per refusal: callers refused together come back spread
 * out instead of all in the same instant again.
 */
function busy(maxConcurrent: number, random: () => number): HttpProblem {
  const seconds = 1 + Math.min(3, Math.floor(random() * 4));
  return new HttpProblem(
    429,
    'Zu viele Anfragen',
    `Höchstens ${maxConcurrent} Prüfungen oder Rückblicke gleichzeitig; bitte in ${seconds} s erneut versuchen.`,
    {},
    { 'retry-after': String(seconds) },
  );
}
