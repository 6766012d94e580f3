// Typed errors of the event store. None of them leaves anything stored behind.
import type { ExpectedVersion } from './types.js';

/** The stream's version did not match what the caller expected; nothing was stored. */
export class ConcurrencyError extends Error {
  override name = 'ConcurrencyError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, but it is at ${actual}`);
  }
}

/** A stream id outside `<kind>-<id>`, 1–200 characters of [A-Za-z0-9_.:-]. */
export class InvalidStreamIdError extends Error {
  override name = 'InvalidStreamIdError';
  constructor(readonly streamId: string) {
    super(
      `invalid stream id ${JSON.stringify(streamId.length > 60 ? `${streamId.slice(0, 60)}…` : streamId)}: ` +
        'expected <kind>-<id>, 1–200 characters of A–Z, a–z, 0–9, "_", ".", ":", "-"',
    );
  }
}

/** An event (or its metadata) that can never be stored: empty batch, bad type, not plain JSON. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/**
 * The idempotency key is stored already for a different request (another fingerprint); nothing
 * was stored. Decided inside the append's transaction, so concurrent requests cannot both pass.
 */
export class IdempotencyKeyConflictError extends Error {
  override name = 'IdempotencyKeyConflictError';
  constructor(readonly idempotencyKey: string) {
    super('the idempotency key was already used for a different request');
  }
}

/**
 * The event store's server cannot be reached or did not answer in time; whether an append in flight
 * was stored is unknown (a retry with the same idempotency key is answered as a duplicate).
 */
export class EventStoreUnavailableError extends Error {
  override name = 'EventStoreUnavailableError';
}
