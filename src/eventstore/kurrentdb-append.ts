// The append path of the KurrentDB event store.
//
// KurrentDB orders all events in $all, but its commit positions are sparse and say nothing about
// the hash chain. The adapter therefore owns the sequence: every append is ONE multi-stream append
// (KurrentDB 25.1+) of
//   1. the events to their stream, each carrying its global position, previous hash, hash,
//      recordedAt and schema version in its metadata,
//   2. when the append has an idempotency key, one event to that key's stream (expected: no stream),
//   3. one event to the log-head stream, expected at the revision the adapter read.
// The log-head stream's expected revision is the global lock: of two appends that read the same
// head, one fails as a whole and is retried on the new head. Positions are gap-free and handed out
// in commit order, so $all order is position order, and a reader that has seen P never later finds
// an event below P. A key stream that already exists makes the append fail as a whole: the earlier
// result is returned as a duplicate.
//
// recordedAt is the appending process's clock, never earlier than the previous event's (so the
// as-of replay stays ordered).
import { NO_STREAM, WrongExpectedVersionError, isCommandError, type EventData, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ConcurrencyError, EventStoreUnavailableError, InvalidEventError } from './errors.js';
import { idempotencyKeyOf, versionMatches } from './event-values.js';
import { chainHash, contentDigest } from './hash.js';
import { LOG_HEAD_STREAM, currentVersion, encodeMetadata, exactState, isUnavailable, type LogHead, type StreamNames } from './kurrentdb-mapping.js';
import type { KurrentDbReads } from './kurrentdb-reads.js';
import type { AppendResult, EventMetadata, ExpectedVersion, NewEvent } from './types.js';
import { uuidv7 } from './uuid.js';

/** How often an append is retried after another writer moved the head first. */
const MAX_HEAD_RETRIES = 100;

/** What a failed multi-stream append means for the adapter. */
export type AppendFailure =
  | { kind: 'head-moved' }
  | { kind: 'duplicate-key' }
  | { kind: 'stream-moved'; actualVersion: number }
  | { kind: 'unavailable'; error: EventStoreUnavailableError }
  | { kind: 'too-large'; error: InvalidEventError }
  | { kind: 'other'; error: unknown };

/**
 * Classifies the error of a multi-stream append of `streamId` (with key stream `keyStream`): the
 * head moved (retry), the key exists (duplicate), the stream moved (conflict or retry), the server
 * is unreachable (503), or anything else (passed on).
 */
export function classifyAppendError(error: unknown, streamId: string, keyStream: string | null, headStream = LOG_HEAD_STREAM): AppendFailure {
  if (error instanceof WrongExpectedVersionError) {
    if (error.streamName === headStream) return { kind: 'head-moved' };
    if (keyStream !== null && error.streamName === keyStream) return { kind: 'duplicate-key' };
    if (error.streamName === streamId) return { kind: 'stream-moved', actualVersion: currentVersion(error.actualState) };
    return { kind: 'other', error };
  }
  if (error instanceof Error && isCommandError(error) && TOO_LARGE.includes(String(error.type))) {
    return { kind: 'too-large', error: new InvalidEventError(`the append is larger than KurrentDB accepts: ${error.message}`) };
  }
  if (isUnavailable(error)) {
    return { kind: 'unavailable', error: new EventStoreUnavailableError(`KurrentDB is not reachable: ${(error as Error).message}`) };
  }
  return { kind: 'other', error };
}

const TOO_LARGE = ['maximum-append-size-exceeded', 'append-record-size-exceeded', 'transaction-max-size-exceeded'];

/**
 * The events of one append as KurrentDB records, with positions after `head`, stream versions
 * after `version`, and the hash chain continued from the head's hash (the same hashes as the
 * PostgreSQL store computes, so verify() recomputes them from the stored fields).
 */
export function chainEvents(input: {
  head: Pick<LogHead, 'position' | 'hash'>;
  streamId: string;
  version: number;
  events: readonly NewEvent[];
  eventIds: readonly string[];
  metadata: EventMetadata;
  recordedAt: string;
}): { data: EventData[]; lastHash: string } {
  const { head, streamId, version, events, eventIds, metadata, recordedAt } = input;
  let prevHash = head.hash;
  const data = events.map((event, i): EventData => {
    const globalPosition = head.position + 1 + i;
    const eventId = eventIds[i]!;
    const digest = contentDigest({ streamId, eventId, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata });
    const hash = chainHash(prevHash, globalPosition, version + 1 + i, recordedAt, digest);
    const encoded = encodeMetadata({ globalPosition, prevHash, hash, recordedAt, schemaVersion: event.schemaVersion, metadata });
    prevHash = hash;
    return { id: eventId, contentType: 'application/json', type: event.type, data: event.data, metadata: encoded } as EventData;
  });
  return { data, lastHash: prevHash };
}

/** The ISO instant for the next append: now, but never before the previous event (same format). */
export function nextRecordedAt(now: Date, previous: string): string {
  const at = now.toISOString();
  return at < previous ? previous : at;
}

/** Appends of one store instance: one at a time, each one multi-stream append (see above). */
export class KurrentDbAppender {
  readonly #client: KurrentDBClient;
  readonly #names: StreamNames;
  readonly #reads: KurrentDbReads;
  readonly #now: () => Date;
  readonly #onAppended: (lastPosition: number) => void;
  /** Appends of this process run one at a time (the head stream serialises them anyway). */
  #tail: Promise<unknown> = Promise.resolve();
  /** The head after this process's last append; read again after anything failed. */
  #head: LogHead | undefined;

  constructor(options: {
    client: KurrentDBClient;
    names: StreamNames;
    reads: KurrentDbReads;
    now: () => Date;
    onAppended: (lastPosition: number) => void;
  }) {
    this.#client = options.client;
    this.#names = options.names;
    this.#reads = options.reads;
    this.#now = options.now;
    this.#onAppended = options.onAppended;
  }

  /** Appends validated events (event-values.ts) after every earlier append of this instance. */
  append(streamId: string, events: NewEvent[], expected: ExpectedVersion, metadata: EventMetadata): Promise<AppendResult> {
    const eventIds = events.map(() => uuidv7());
    const run = this.#tail.then(
      () => this.#appendNow(streamId, events, eventIds, expected, metadata),
      () => this.#appendNow(streamId, events, eventIds, expected, metadata),
    );
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #appendNow(
    streamId: string,
    events: NewEvent[],
    eventIds: string[],
    expected: ExpectedVersion,
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    const key = idempotencyKeyOf(metadata);
    const keyStream = key === null ? null : this.#names.key(key);
    for (let attempt = 0; attempt < MAX_HEAD_RETRIES; attempt++) {
      if (key !== null) {
        const earlier = await this.#reads.lookupIdempotencyKey(key);
        if (earlier) return earlier;
      }
      const head = this.#head ?? (await this.#reads.readHead());
      const version = await this.#reads.streamVersion(streamId);
      if (!versionMatches(expected, version)) throw new ConcurrencyError(streamId, expected, version);

      // Position, hash chain and stream versions are fixed before the append; the expected
      // revisions make the server refuse them if anything moved meanwhile.
      const recordedAt = nextRecordedAt(this.#now(), head.recordedAt);
      const { data, lastHash: prevHash } = chainEvents({ head, streamId, version, events, eventIds, metadata, recordedAt });
      const result: AppendResult = {
        streamId,
        nextExpectedVersion: version + events.length,
        firstPosition: head.position + 1,
        lastPosition: head.position + events.length,
        duplicate: false,
      };
      const requests = [{ streamName: this.#names.server(streamId), events: data, expectedState: exactState(version) }];
      if (keyStream !== null) {
        requests.push({
          streamName: keyStream,
          events: [{ id: uuidv7(), contentType: 'application/json', type: 'IdempotencyKeyRecorded', data: { ...result, duplicate: undefined } as never, metadata: undefined } as EventData],
          expectedState: NO_STREAM,
        });
      }
      requests.push({
        streamName: this.#names.head,
        events: [
          {
            id: uuidv7(),
            contentType: 'application/json',
            type: 'LogHeadAdvanced',
            data: { position: result.lastPosition, hash: prevHash, recordedAt, streamId, firstPosition: result.firstPosition },
            metadata: undefined,
          } as EventData,
        ],
        expectedState: head.revision === null ? NO_STREAM : head.revision,
      });

      try {
        await this.#client.multiStreamAppend(requests);
      } catch (error) {
        const failure = classifyAppendError(error, this.#names.server(streamId), keyStream, this.#names.head);
        switch (failure.kind) {
          case 'head-moved':
            // Another process appended first: wait a little (more with each attempt) and retry.
            this.#head = undefined;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * (attempt + 1))));
            continue;
          case 'duplicate-key':
            // Stored by an earlier attempt or request: the loop answers from the key stream.
            continue;
          case 'stream-moved':
            this.#head = undefined;
            // A caller that named a version gets the conflict; "any"/"exists" decide again.
            if (!versionMatches(expected, failure.actualVersion)) throw new ConcurrencyError(streamId, expected, failure.actualVersion);
            continue;
          case 'unavailable':
          case 'too-large':
            this.#head = undefined;
            throw failure.error;
          case 'other':
            this.#head = undefined;
            throw failure.error;
        }
      }
      this.#head = { revision: head.revision === null ? 0n : head.revision + 1n, position: result.lastPosition, hash: prevHash, recordedAt };
      this.#onAppended(result.lastPosition);
      return result;
    }
    throw new EventStoreUnavailableError(`the log head kept moving: ${MAX_HEAD_RETRIES} attempts to append to ${streamId} failed`);
  }
}
