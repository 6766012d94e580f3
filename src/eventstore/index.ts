export type * from './types.js';
export { ConcurrencyError, EventStoreUnavailableError, InvalidEventError, InvalidStreamIdError } from './errors.js';
export { PostgresEventStore, assertStreamId } from './postgres-event-store.js';
export { GENESIS_HASH, canonicalJson, chainHash, contentDigest, eventHash, sha256Hex } from './hash.js';
export { uuidv7 } from './uuid.js';
