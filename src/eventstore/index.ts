export type * from './types.js';
export { ConcurrencyError, EventStoreUnavailableError, IdempotencyKeyConflictError, InvalidEventError, InvalidStreamIdError } from './errors.js';
export { assertStreamId } from './event-values.js';
export { PostgresEventStore } from './postgres-event-store.js';
export { GENESIS_HASH, canonicalJson, chainHash, contentDigest, eventHash, sha256Hex } from './hash.js';
export { uuidv7 } from './uuid.js';
export { SigningKeyError, generateSigningKey, loadSigningKey, signingKeyFrom, type SigningKey } from './signing.js';
export { SignedLog } from './signed-log.js';
export {
  DigestSignatureError,
  LogIntegrityError,
  digestMessage,
  parseDigest,
  type LogDigest,
  type LogScope,
  type SignedVerifyReport,
} from './log-digest.js';
export { scheduleCheckpoints, type CheckpointScheduleOptions } from './checkpoint-schedule.js';
