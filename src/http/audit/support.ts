// What the audit routes share: their dependencies, the caller's scope over the log, the bound on
// expensive reads, the stream-id check and the response shapes used by more than one route.
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sql } from 'kysely';
import type { RiskThresholds, StreamReader } from '../../../projections/index.js';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/index.js';
import { assertStreamId, type EventStore, type LogScope, type ReadAllOptions, type SignedLog, type StoredEvent } from '../../eventstore/index.js';
import type { ExpensiveReads } from '../expensive-reads.js';
import type { RequestLoad } from '../request-load.js';
import { ProblemSchema } from '../openapi-schemas.js';
import { ValidationProblem } from '../problem.js';
import type { AppEnv } from '../request-context.js';

export interface AuditDependencies {
  db: Db;
  store: EventStore;
  clock: Clock;
  thresholds: RiskThresholds;
  /** Signs digests and verifies against them; without it the digest routes are not served. */
  signedLog?: SignedLog | undefined;
  /** As-of replays, verifies and digests running at once per process; beyond, 429 (default 2). */
  maxConcurrentExpensiveReads?: number | undefined;
  /**
   * Share of wall time (%) an as-of replay may keep the process and database busy while other
   * requests are being answered (default 10); alone it runs at full speed.
   */
  replayDutyPercent?: number | undefined;
  /** The requests in flight the replay yields to (without it the duty share always applies). */
  load?: RequestLoad | undefined;
  /** Set when the log is not in this database (EVENT_STORE=kurrentdb): replays read it through the store. */
  readStream?: StreamReader | undefined;
  /** The process's bound on expensive reads, when shared with the pages (default: one of its own). */
  expensive?: ExpensiveReads | undefined;
}

/** The dependencies and the one bound on expensive reads every audit route file takes. */
export interface AuditContext extends Omit<AuditDependencies, 'expensive'> {
  expensive: ExpensiveReads;
}

export const problem = { content: { 'application/problem+json': { schema: ProblemSchema } } };

export const VerifyReportSchema = z
  .object({ ok: z.boolean(), checked: z.number().int(), firstBadPosition: z.number().int().nullable(), reason: z.string().nullable() })
  .openapi('VerifyReport');

/** What a stream id must look like, in the words of a 400 answer. */
const STREAM_ID_RULE = 'Ungültige Stream-Kennung: erwartet <Art>-<ID>, 1–200 Zeichen aus A–Z, a–z, 0–9, _ . : -.';

/** Checks a stream id from the request; a malformed one is a 400 for the field `path` (the store's error as its cause). */
export function checkStreamId(streamId: string, path: string): void {
  try {
    assertStreamId(streamId);
  } catch (error) {
    throw new ValidationProblem(STREAM_ID_RULE, [{ path, message: 'ungültige Stream-Kennung' }], { cause: error });
  }
}

/** The caller's scope as an event-store filter (undefined: everything). */
export function scopeOf(c: Context<AppEnv>): ReadAllOptions['streamScope'] {
  const municipalities = c.get('principal')?.municipalities ?? '*';
  return municipalities === '*' ? undefined : { field: 'municipality', values: municipalities };
}

/** The caller's municipalities, or '*' for a token for all of them. */
export function callerScope(c: Context<AppEnv>): LogScope {
  return c.get('principal')?.municipalities ?? '*';
}

/** True when a stream whose first event is `first` lies in the scope (for one stream's history). */
export function inScope(scope: ReadAllOptions['streamScope'], first: StoredEvent | undefined): boolean {
  if (!scope || !first) return true;
  const value = first.data[scope.field];
  return value === undefined || scope.values.includes(String(value));
}

/**
 * Runs an expensive read under the bound (429 beyond it), cached per caller scope while the log's
 * head stays put.
 */
export function bounded<T>(ctx: AuditContext, c: Context<AppEnv>, key: string, fn: () => Promise<T>): Promise<T> {
  return boundedBy(ctx, key, callerScope(c), fn);
}

/** `bounded` for a caller's scope given outright (the auditor's pages have a session, not a token). */
export function boundedBy<T>(ctx: AuditContext, key: string, scope: LogScope, fn: () => Promise<T>): Promise<T> {
  /** The log's head as a cache key: a result stays valid while no event is appended. */
  const head = async (): Promise<string> => {
    // A log kept elsewhere (KurrentDB): its position; here the head row, whose hash also moves
    // when the log is changed behind its back.
    if (ctx.readStream) return String(await ctx.store.headPosition());
    const row = (await sql<{ position: string; hash: string }>`select position, hash from event_log_head where id = 1`.execute(ctx.db)).rows[0];
    return `${row?.position ?? 0}:${row?.hash ?? ''}`;
  };
  return ctx.expensive.run(`${key}\u0000${JSON.stringify(scope)}`, head, fn);
}
