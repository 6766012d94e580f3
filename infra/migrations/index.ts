// Every migration, in order. Names sort lexically; add new ones at the end.
import type { Migration } from 'kysely';
import { eventLog } from './0001-event-log.js';
import { projectionTables } from './0002-projections.js';
import { projectionScopeIndexes } from './0003-projection-scope-indexes.js';
import { appendFunction } from './0004-append-function.js';
import { fundingFacts } from './0005-funding-facts.js';
import { logCheckpoints } from './0005-log-checkpoints.js';
import { idempotencyFingerprint } from './0006-idempotency-fingerprint.js';
import { streamScopeIndex } from './0007-stream-scope-index.js';
import { staffingLastDay } from './0008-staffing-last-day.js';
import { webSignInLinks } from './0005-web-sign-in-links.js';

export const migrations: Record<string, Migration> = {
  '0001-event-log': eventLog,
  '0002-projections': projectionTables,
  '0003-projection-scope-indexes': projectionScopeIndexes,
  '0004-append-function': appendFunction,
  '0005-funding-facts': fundingFacts,
  '0005-log-checkpoints': logCheckpoints,
  '0006-idempotency-fingerprint': idempotencyFingerprint,
  '0007-stream-scope-index': streamScopeIndex,
  '0005-web-sign-in-links': webSignInLinks,
  '0008-staffing-last-day': staffingLastDay,
};
