// The command handler every write goes through: load the stream, fold it, decide, append with the
// expected version. On a concurrent change the decision is taken again on the fresh state (a
// bounded number of times) — unless the client named the version it saw (If-Match): then the
// conflict is the answer.
import { parseEvent, type DomainEvent, type EventType, type VersionedEvent } from '../../schemas/index.js';
import type { Decider } from '../domain/index.js';
import {
  ConcurrencyError,
  IdempotencyKeyConflictError,
  type Actor,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type StoredEvent,
} from '../eventstore/index.js';

/** Who asks and how: the actor and ids go into every event's metadata. */
export interface CommandContext {
  store: EventStore;
  actor?: Actor | undefined;
  requestId?: string | undefined;
  correlationId?: string | undefined;
  /** The client's Idempotency-Key, already scoped to the caller, the route and its ids. */
  idempotencyKey?: string | undefined;
  /** A digest of the request body: a key reused for a different body is refused, not replayed. */
  requestFingerprint?: string | undefined;
  /** The version the client saw (If-Match); a mismatch is a ConcurrencyError, never retried. */
  expectedVersion?: number | undefined;
  /**
   * Whether the caller may see a municipality's records; a stream of another municipality is
   * answered as not found (its existence is not revealed). Absent: everything is visible.
   */
  canAccess?: ((municipality: string) => boolean) | undefined;
}

/** The outcome of a handled command. */
export interface CommandResult {
  streamId: string;
  version: number;
  globalPosition: number;
  /** True when the Idempotency-Key was seen before and nothing new was recorded. */
  duplicate: boolean;
}

/** The addressed stream does not exist (a command other than the one that creates it). */
export class StreamNotFoundError extends Error {
  override name = 'StreamNotFoundError';
  constructor(readonly streamId: string) {
    super(`${streamId} does not exist`);
  }
}

/** An Idempotency-Key already used for a different request body. */
export class IdempotencyKeyReusedError extends Error {
  override name = 'IdempotencyKeyReusedError';
  constructor() {
    super('Idempotency-Key was already used for a different request');
  }
}

/** How many times a decision is retried after a concurrent change before giving up with 409. */
export const MAX_ATTEMPTS = 3;

/** Folds a stream's stored events (upcast to the current shape) into the decider's state. */
export function fold<S, T extends EventType>(decider: Decider<unknown, S, T>, events: StoredEvent[]): S {
  let state = decider.initialState();
  for (const stored of events) {
    const event = parseEvent(stored.type, stored.schemaVersion, stored.data);
    state = decider.evolve(state, { type: event.type, data: event.data } as DomainEvent<T>);
  }
  return state;
}

/** Loads a stream and returns its state and version (0 for a stream without events). */
export async function load<S, T extends EventType>(
  store: EventStore,
  decider: Decider<unknown, S, T>,
  streamId: string,
): Promise<{ state: S; version: number }> {
  const events = await store.readStream(streamId);
  return { state: fold(decider, events), version: events.length === 0 ? 0 : events[events.length - 1]!.streamVersion };
}

export interface HandleOptions<C, S> {
  /** True for the command that creates the stream; every other command needs an existing stream. */
  creates?: boolean;
  /** Builds the command from the loaded state (e.g. to attach a referenced aggregate's state). */
  command: C | ((state: S) => Promise<C> | C);
}

/**
 * Runs one command against one stream: 1. load and fold, 2. decide, 3. append with the expected
 * version. Throws RuleViolationError (from decide), StreamNotFoundError or ConcurrencyError.
 */
export async function handleCommand<C, S extends { exists: boolean }, T extends EventType>(
  ctx: CommandContext,
  decider: Decider<C, S, T>,
  streamId: string,
  options: HandleOptions<C, S>,
): Promise<CommandResult> {
  // 0. A repeated request answers with the first outcome, without deciding again — after the same
  //    visibility check as a new request (a record of another municipality stays unknown), and
  //    only for the same request (the append function enforces that again under its lock).
  if (ctx.idempotencyKey) {
    const earlier = await ctx.store.lookupIdempotencyKey(ctx.idempotencyKey);
    if (earlier) return replay(ctx, decider as Decider<unknown, S, T>, earlier);
  }
  const metadata: EventMetadata = {
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    ...(ctx.correlationId ?? ctx.requestId ? { correlationId: ctx.correlationId ?? ctx.requestId } : {}),
    ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey } : {}),
    ...(ctx.idempotencyKey && ctx.requestFingerprint ? { requestFingerprint: ctx.requestFingerprint } : {}),
  };

  for (let attempt = 1; ; attempt++) {
    // 1. Load the stream and fold it into the decider's state.
    const { state, version } = await load(ctx.store, decider as Decider<unknown, S, T>, streamId);
    if (!state.exists && !options.creates) throw new StreamNotFoundError(streamId);
    if (state.exists && !visible(ctx, state)) throw new StreamNotFoundError(streamId);
    if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== version) {
      throw new ConcurrencyError(streamId, ctx.expectedVersion, version);
    }
    // 2. Decide: pure; throws RuleViolationError when a rule is broken.
    const command = typeof options.command === 'function' ? await (options.command as (s: S) => Promise<C> | C)(state) : options.command;
    const events: VersionedEvent<T>[] = decider.decide(command, state);
    // 3. Append with the version the decision was taken on.
    try {
      const result = await ctx.store.append(
        streamId,
        events.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data as Record<string, unknown> })),
        { expectedVersion: version, metadata },
      );
      return result.duplicate ? replay(ctx, decider as Decider<unknown, S, T>, result) : toResult(result);
    } catch (error) {
      if (error instanceof IdempotencyKeyConflictError) throw new IdempotencyKeyReusedError();
      const retry = error instanceof ConcurrencyError && ctx.expectedVersion === undefined && attempt < MAX_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

/** The stored result of an earlier request with the same key: 404 when not visible, 422 for another body. */
async function replay<S, T extends EventType>(ctx: CommandContext, decider: Decider<unknown, S, T>, earlier: AppendResult): Promise<CommandResult> {
  const { state } = await load(ctx.store, decider, earlier.streamId);
  if (!visible(ctx, state as object)) throw new StreamNotFoundError(earlier.streamId);
  if (ctx.requestFingerprint !== undefined && earlier.requestFingerprint !== undefined && earlier.requestFingerprint !== ctx.requestFingerprint) {
    throw new IdempotencyKeyReusedError();
  }
  return toResult(earlier);
}

/** False when the state belongs to a municipality the caller may not see. */
export function visible(ctx: Pick<CommandContext, 'canAccess'>, state: object): boolean {
  const municipality = (state as { municipality?: unknown }).municipality;
  return !ctx.canAccess || typeof municipality !== 'string' || ctx.canAccess(municipality);
}

function toResult(result: AppendResult): CommandResult {
  return {
    streamId: result.streamId,
    version: result.nextExpectedVersion,
    globalPosition: result.lastPosition,
    duplicate: result.duplicate,
  };
}
