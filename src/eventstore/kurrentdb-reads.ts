// The reads of the KurrentDB event store: the log head, stream versions, idempotency keys,
// streams, the global log (verstetigt's events in $all order, which is position order) and the
// wait for new events (a subscription to the log-head stream).
import { EventEmitter } from 'node:events';
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  streamNameFilter,
  type KurrentDBClient,
  type Position,
} from '@kurrent/kurrentdb-client';
import { assertStreamId } from './event-values.js';
import { EMPTY_HEAD, MalformedStoredEventError, revisionToVersion, toStoredEvent, unavailableOr, versionToRevision, type LogHead, type StreamNames } from './kurrentdb-mapping.js';
import type { AppendResult, ReadAllOptions, StoredEvent } from './types.js';

/** A $all position remembered per this many global positions, to start reads close to `after`. */
const INDEX_EVERY = 500;

interface StoredChainEvent {
  event: StoredEvent;
  allPosition: Position | undefined;
}

/** The reads of one store instance, with what it learns while reading ($all positions, first events). */
export class KurrentDbReads {
  readonly #client: KurrentDBClient;
  readonly #names: StreamNames;
  /** Sparse global position → $all position, learned while reading; sorted by position. */
  readonly #index: Array<{ position: number; all: Position }> = [];
  /** First event's data per stream, for stream scopes. */
  readonly #firstData = new Map<string, Record<string, unknown> | null>();

  constructor(client: KurrentDBClient, names: StreamNames) {
    this.#client = client;
    this.#names = names;
  }

  /** The last log-head event (EMPTY_HEAD before the first append). */
  async readHead(): Promise<LogHead> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.head, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        const event = resolved.event;
        if (!event) continue;
        const data = event.data as { position?: unknown; hash?: unknown; recordedAt?: unknown };
        if (typeof data.position !== 'number' || typeof data.hash !== 'string' || typeof data.recordedAt !== 'string') {
          throw new MalformedStoredEventError(`log head event ${event.revision} is malformed`);
        }
        return { revision: event.revision, position: data.position, hash: data.hash, recordedAt: data.recordedAt };
      }
      return EMPTY_HEAD;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return EMPTY_HEAD;
      throw unavailableOr(error);
    }
  }

  /** The version of stream `streamId` (0 when it has no events). */
  async streamVersion(streamId: string): Promise<number> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.server(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (resolved.event) return revisionToVersion(resolved.event.revision);
      }
      return 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw unavailableOr(error);
    }
  }

  async lookupIdempotencyKey(idempotencyKey: string): Promise<AppendResult | null> {
    try {
      for await (const resolved of this.#client.readStream(this.#names.key(idempotencyKey), { direction: FORWARDS, fromRevision: START, maxCount: 1 })) {
        const data = resolved.event?.data as Partial<AppendResult> | undefined;
        if (!data) continue;
        return {
          streamId: String(data.streamId),
          nextExpectedVersion: Number(data.nextExpectedVersion),
          firstPosition: Number(data.firstPosition),
          lastPosition: Number(data.lastPosition),
          duplicate: true,
        };
      }
      return null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw unavailableOr(error);
    }
  }

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
    assertStreamId(streamId);
    const from = Math.max(1, options.fromVersion ?? 1);
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(this.#names.server(streamId), { direction: FORWARDS, fromRevision: versionToRevision(from) })) {
        if (resolved.event) events.push(toStoredEvent(resolved.event, streamId));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw unavailableOr(error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const limit = options.limit ?? 500;
    const out: StoredEvent[] = [];
    for await (const { event, allPosition } of this.#scan(options.after)) {
      if (options.recordedUpTo && event.recordedAt > options.recordedUpTo) break;
      if (allPosition) this.#remember(event.globalPosition, allPosition);
      if (options.streamScope && !(await this.#inScope(event.streamId, options.streamScope))) continue;
      out.push(event);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** verstetigt's events after `after` in $all order (= position order), from the nearest known $all position. */
  async *#scan(after: number): AsyncGenerator<StoredChainEvent> {
    const start = this.#nearest(after);
    try {
      const events = this.#client.readAll({
        direction: FORWARDS,
        fromPosition: start ?? START,
        filter: streamNameFilter({ regex: this.#names.eventStreamRegex }),
      });
      for await (const resolved of events) {
        const recorded = resolved.event;
        if (!recorded) continue;
        const streamId = this.#names.client(recorded.streamId);
        if (streamId === null) continue;
        const event = toStoredEvent(recorded, streamId);
        if (event.globalPosition <= after) continue;
        yield { event, allPosition: recorded.position };
      }
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  #nearest(after: number): Position | undefined {
    let lo = 0;
    let hi = this.#index.length - 1;
    let found: Position | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.#index[mid]!.position <= after) {
        found = this.#index[mid]!.all;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  #remember(position: number, all: Position): void {
    const last = this.#index[this.#index.length - 1];
    if (last && position <= last.position) return;
    if (!last || position - last.position >= INDEX_EVERY) this.#index.push({ position, all });
  }

  async #inScope(streamId: string, scope: NonNullable<ReadAllOptions['streamScope']>): Promise<boolean> {
    if (!this.#firstData.has(streamId)) {
      const [first] = await this.readStream(streamId);
      if (this.#firstData.size > 10_000) this.#firstData.clear();
      this.#firstData.set(streamId, first?.data ?? null);
    }
    const data = this.#firstData.get(streamId);
    if (!data || !(scope.field in data)) return true;
    return scope.values.includes(String(data[scope.field]));
  }
}

/**
 * EventStore.waitForEvents: true as soon as the head moves past `afterPosition` (an append of this
 * process, announced on `appended`, or one the subscription to the head stream sees), false after
 * `timeoutMs` or when `signal` aborts.
 */
export async function waitForHead(
  input: { client: KurrentDBClient; names: StreamNames; reads: KurrentDbReads; appended: EventEmitter },
  afterPosition: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const { client, names, reads, appended } = input;
  if (signal?.aborted) return (await reads.readHead()).position > afterPosition;
  // Subscribed first, then the head is read: an append between the two is seen by one of them.
  const subscription = client.subscribeToAll({ fromPosition: END, filter: streamNameFilter({ prefixes: [names.head] }) });
  try {
    return await new Promise<boolean>((resolve, reject) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        appended.off('appended', onLocal);
        resolve(value);
      };
      const onAbort = () => finish(false);
      const onLocal = (last: number) => {
        if (last > afterPosition) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort);
      appended.on('appended', onLocal);
      subscription.on('data', (resolved) => {
        const position = (resolved.event?.data as { position?: unknown } | undefined)?.position;
        if (typeof position === 'number' && position > afterPosition) finish(true);
      });
      subscription.on('error', (error) => {
        clearTimeout(timer);
        reject(unavailableOr(error));
      });
      reads.readHead().then((head) => {
        if (head.position > afterPosition) finish(true);
      }, reject);
    });
  } finally {
    await subscription.unsubscribe().catch(() => undefined);
  }
}
