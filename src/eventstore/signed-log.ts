// Signed digests and checkpoints of the log, and the verify that checks the log against them.
//
// The model is Certificate Transparency's signed tree head (RFC 9162): the server signs
// (position, hash) of the log's head with a key kept outside the database; an auditor keeps that
// digest and later asks the server to prove the log still holds exactly that prefix and extends
// it. A hash chain makes the proof a walk: every event is rehashed from position 1, and the hash at
// the digest's position must be the digest's hash.
//
// A rewrite of the database with recomputed hashes still leaves a chain that is consistent in
// itself; only something signed outside the attacker's reach shows where it changed. Each stored
// checkpoint therefore signs the hash of every event since the checkpoint before it, so verify
// names the exact position of the first changed event (not only "the prefix differs").
//
// Scoped digests (an auditor for some municipalities) cover the events of their streams and the
// shared ones: a count and a hash folded over those events' chain hashes, never the global count.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { GENESIS_HASH, canonicalJson, eventHash, sha256Hex } from './hash.js';
import { PostgresEventStore } from './postgres-event-store.js';
import type { SigningKey } from './signing.js';
import type { StoredEvent } from './types.js';

/** A signed statement of the log's head (or, with `scope`, of the part of it a scope sees). */
export interface LogDigest {
  /** The global position of the last event covered (0 for an empty log or scope). */
  position: number;
  /** The chain hash at `position`; for a scoped digest the hash folded over the scope's events. */
  hash: string;
  /** When the event at `position` was recorded (ISO instant), null for position 0. */
  recordedAt: string | null;
  /** The signing key's JWK thumbprint (GET /api/v1/audit/public-key). */
  keyId: string;
  /** Ed25519 signature (base64) of the canonical JSON of every other field (see digestMessage). */
  signature: string;
  /** Scoped digests only: the municipalities (AGS, sorted) whose events are covered. */
  scope?: string[];
  /** Scoped digests only: how many events of the scope are covered. */
  count?: number;
}

/** The outcome of a verify, with or without a digest. */
export interface SignedVerifyReport {
  ok: boolean;
  /** Events checked (for a scoped caller: the events of the scope). */
  checked: number;
  /** The first position that is missing, altered or no longer what was signed; null when ok. */
  firstBadPosition: number | null;
  /** What was found there, in words; null when ok. */
  reason: string | null;
}

/** A digest whose signature does not verify, or that names another key. */
export class DigestSignatureError extends Error {
  override name = 'DigestSignatureError';
}

/** The log does not verify at the point a checkpoint would be signed: nothing is signed. */
export class LogIntegrityError extends Error {
  override name = 'LogIntegrityError';
}

/** The scope a verify or digest is for: '*' (everything) or the municipalities (AGS). */
export type LogScope = '*' | readonly string[];

/** The exact text a digest's signature covers: canonical JSON of the digest without `signature`. */
export function digestMessage(digest: Omit<LogDigest, 'signature'> & { signature?: string }): string {
  const { signature: _signature, ...fields } = digest;
  return canonicalJson(fields);
}

interface CheckpointRow {
  position: number;
  fromPosition: number;
  hash: string;
  recordedAt: string | null;
  /** The chain hashes of positions fromPosition+1 … position, concatenated (64 hex digits each). */
  hashes: string;
  keyId: string;
  signature: string;
}

function checkpointMessage(row: Omit<CheckpointRow, 'signature'>): string {
  return canonicalJson({
    checkpoint: 1,
    fromPosition: row.fromPosition,
    position: row.position,
    hash: row.hash,
    recordedAt: row.recordedAt,
    hashes: sha256Hex(row.hashes),
    keyId: row.keyId,
  });
}

/** Most events one checkpoint row signs; a longer backlog is split into several rows. */
const MAX_CHECKPOINT_EVENTS = 10_000;
const HASH_LENGTH = 64;

/** The log's signed digests, checkpoints and verify, over one database and one signing key. */
export class SignedLog {
  readonly #db: Db;
  readonly #key: SigningKey;
  readonly #store: PostgresEventStore;

  constructor(db: Db, key: SigningKey) {
    this.#db = db;
    this.#key = key;
    this.#store = new PostgresEventStore(db);
  }

  get key(): SigningKey {
    return this.#key;
  }

  /** The log's head position and hash (one read). */
  async head(): Promise<{ position: number; hash: string; recordedAt: string | null }> {
    const row = (
      await sql<{ position: string; hash: string; recorded_at: string | null }>`
        select position, hash, to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at
          from event_log_head where id = 1`.execute(this.#db)
    ).rows[0]!;
    return { position: Number(row.position), hash: row.hash, recordedAt: row.recorded_at };
  }

  /**
   * Signs and stores a checkpoint up to the current head (several rows for a long backlog) after
   * checking the chain from the previous checkpoint; returns the last one. Nothing new since the
   * last checkpoint: returns that one. Throws LogIntegrityError when the events since the last
   * checkpoint do not chain (nothing is signed then). Safe to call from several processes.
   */
  async checkpoint(): Promise<{ position: number; hash: string; recordedAt: string | null }> {
    for (;;) {
      const result = await this.#db.transaction().execute(async (trx) => {
        // One checkpointer at a time across processes; readers of the table are not blocked.
        await sql`lock table log_checkpoints in share row exclusive mode`.execute(trx);
        const last = (
          await sql<{ position: string; hash: string; recorded_at: string | null }>`
            select position, hash, recorded_at from log_checkpoints order by position desc limit 1`.execute(trx)
        ).rows[0];
        const from = last ? Number(last.position) : 0;
        const headRow = (await sql<{ position: string; hash: string }>`select position, hash from event_log_head where id = 1`.execute(trx)).rows[0]!;
        const head = Number(headRow.position);
        // A head behind the last signed checkpoint, or at it with another hash: the log was cut or rewritten.
        if (head < from || (head === from && last && headRow.hash !== last.hash)) {
          throw new LogIntegrityError(`the log's head (position ${head}) does not match the checkpoint signed at position ${from}; no checkpoint signed`);
        }
        if (head <= from) {
          return { done: true, position: from, hash: last?.hash ?? GENESIS_HASH, recordedAt: last?.recorded_at ?? null };
        }
        const upTo = Math.min(head, from + MAX_CHECKPOINT_EVENTS);
        const events = await new PostgresEventStore(trx).readAll({ after: from, limit: upTo - from });
        let prev = last?.hash ?? GENESIS_HASH;
        let expected = from + 1;
        for (const event of events) {
          if (event.globalPosition !== expected || event.prevHash !== prev || eventHash(event) !== event.hash) {
            throw new LogIntegrityError(`the log does not verify at position ${expected}; no checkpoint signed`);
          }
          prev = event.hash;
          expected += 1;
        }
        if (expected !== upTo + 1) throw new LogIntegrityError(`the log does not verify at position ${expected}; no checkpoint signed`);
        const lastEvent = events.at(-1)!;
        const fields = {
          position: upTo,
          fromPosition: from,
          hash: lastEvent.hash,
          recordedAt: lastEvent.recordedAt,
          hashes: events.map((e) => e.hash).join(''),
          keyId: this.#key.keyId,
        };
        const signature = this.#key.sign(checkpointMessage(fields));
        await sql`insert into log_checkpoints (position, from_position, hash, recorded_at, hashes, key_id, signature)
          values (${fields.position}, ${fields.fromPosition}, ${fields.hash}, ${fields.recordedAt}, ${fields.hashes}, ${fields.keyId}, ${signature})`.execute(trx);
        return { done: upTo === head, position: upTo, hash: fields.hash, recordedAt: fields.recordedAt };
      });
      if (result.done) return { position: result.position, hash: result.hash, recordedAt: result.recordedAt };
    }
  }

  /**
   * A signed digest of the log for `scope`. For '*' the head itself, after storing a checkpoint
   * up to it (so a later verify can name the exact event that changed); for municipalities the
   * count and folded hash of their events and the shared ones, up to the head.
   */
  async digest(scope: LogScope = '*'): Promise<LogDigest> {
    if (scope === '*') {
      const checkpoint = await this.checkpoint();
      return this.#sign({ position: checkpoint.position, hash: checkpoint.hash, recordedAt: checkpoint.recordedAt, keyId: this.#key.keyId });
    }
    await this.checkpoint();
    const municipalities = [...new Set(scope)].sort();
    const head = await this.head();
    let fold = GENESIS_HASH;
    let count = 0;
    let last: StoredEvent | undefined;
    for await (const batch of this.#store.iterateAll({ batchSize: 2000, streamScope: { field: 'municipality', values: municipalities } })) {
      for (const event of batch) {
        if (event.globalPosition > head.position) break;
        fold = foldScope(fold, event);
        count += 1;
        last = event;
      }
    }
    return this.#sign({
      position: last?.globalPosition ?? 0,
      hash: fold,
      recordedAt: last?.recordedAt ?? null,
      keyId: this.#key.keyId,
      scope: municipalities,
      count,
    });
  }

  #sign(fields: Omit<LogDigest, 'signature'>): LogDigest {
    return { ...fields, signature: this.#key.sign(digestMessage(fields)) };
  }

  /** Throws DigestSignatureError unless `digest` carries this key's valid signature. */
  checkSignature(digest: LogDigest): void {
    if (digest.keyId !== this.#key.keyId) throw new DigestSignatureError(`the digest names key ${digest.keyId}, not this log's key ${this.#key.keyId}`);
    if (!this.#key.verify(digestMessage(digest), digest.signature)) throw new DigestSignatureError('the digest signature does not verify');
  }

  /**
   * Walks the whole log from position 1 up to the head read first, in constant memory but for one
   * entry per stream, rehashing every event and checking it against the signed checkpoints; with
   * `digest`, also that the log holds exactly the digest's prefix and extends it. A scoped caller
   * gets the figures of its scope: `checked` counts its events, and a break outside it is reported
   * at the first of its events the break leaves unproven (null when none).
   */
  async verify({ digest, scope = '*' }: { digest?: LogDigest; scope?: LogScope } = {}): Promise<SignedVerifyReport> {
    if (digest) this.checkSignature(digest);
    const scoped = scope !== '*';
    const allowed = scoped ? new Set(scope) : undefined;
    const streamInScope = new Map<string, boolean>();
    const inScope = (event: StoredEvent): boolean => {
      if (!allowed) return true;
      let known = streamInScope.get(event.streamId);
      if (known === undefined) {
        const municipality = event.data.municipality;
        known = municipality === undefined || allowed.has(String(municipality));
        streamInScope.set(event.streamId, known);
      }
      return known;
    };
    const head = await this.head();
    const checkpoints = this.#checkpoints();
    let checkpoint = await checkpoints.next();
    let expected = 1;
    let prev = GENESIS_HASH;
    let fold = GENESIS_HASH;
    let count = 0;
    let checked = 0;
    let lastAnchored = 0;
    let lastInScope = 0;
    let digestReached = !digest || digest.position === 0;
    // The first break; for a scoped caller outside its scope, kept until one of its events follows.
    let broken: { position: number; reason: string } | undefined;
    const report = (position: number | null, reason: string): SignedVerifyReport => ({ ok: false, checked, firstBadPosition: position, reason });

    walk: for await (const batch of this.#store.iterateAll({ batchSize: 1000 })) {
      for (const event of batch) {
        if (event.globalPosition > head.position) break walk;
        const mine = inScope(event);
        if (broken) {
          if (mine) return report(event.globalPosition, `${broken.reason} (position ${broken.position} lies outside your scope)`);
          continue;
        }
        let problem: { position: number; reason: string } | undefined;
        const p = event.globalPosition;
        if (p !== expected) problem = { position: expected, reason: 'event missing' };
        else if (event.prevHash !== prev) problem = { position: p, reason: 'chain link broken (event removed, inserted or moved)' };
        else if (eventHash(event) !== event.hash) problem = { position: p, reason: 'event altered' };
        else {
          while (!checkpoint.done && checkpoint.value.position < p) checkpoint = await checkpoints.next();
          const cp = checkpoint.done ? undefined : checkpoint.value;
          if (cp && cp.fromPosition < p) {
            const offset = (p - cp.fromPosition - 1) * HASH_LENGTH;
            if (cp.hashes.slice(offset, offset + HASH_LENGTH) !== event.hash) {
              problem = { position: p, reason: `event differs from the signed checkpoint at position ${cp.position}` };
            } else lastAnchored = p;
          }
        }
        if (!problem && digest && !digest.scope && p === digest.position) {
          if (event.hash !== digest.hash) problem = { position: lastAnchored + 1, reason: 'the log no longer holds the digest’s prefix' };
          else digestReached = true;
        }
        if (problem) {
          if (!scoped) return report(problem.position, problem.reason);
          // A scoped caller learns of the first of its own events the break leaves unproven.
          if (mine) return report(p, problem.position === p ? problem.reason : `${problem.reason} before this event`);
          broken = problem;
          continue;
        }
        prev = event.hash;
        expected += 1;
        if (mine) {
          checked += 1;
          lastInScope = p;
          if (digest?.scope) {
            fold = foldScope(fold, event);
            count += 1;
            if (p === digest.position) {
              if (fold !== digest.hash || count !== digest.count) return report(p, 'the scope’s events no longer match the digest');
              digestReached = true;
            }
          }
        }
      }
    }
    if (broken) return report(null, `${broken.reason} (outside your scope; none of your events follows)`);
    // A log that ends before the head row lost its tail; one that ends before the digest was truncated.
    if (expected - 1 !== head.position || prev !== head.hash) return report(scoped ? lastInScope + 1 : expected, 'log ends before its head');
    if (!digestReached) return report(scoped ? lastInScope + 1 : expected, 'the log ends before the digest’s position (truncated)');
    const beyond = (
      await sql<{ head: string; last: string | null }>`
        select (select position from event_log_head where id = 1) as head, (select max(global_position) from events) as last`.execute(this.#db)
    ).rows[0]!;
    if (!scoped && beyond.last !== null && Number(beyond.last) > Number(beyond.head)) return report(Number(beyond.head) + 1, 'event beyond the head');
    return { ok: true, checked, firstBadPosition: null, reason: null };
  }

  /** The stored checkpoints in position order whose signature verifies with this key. */
  async *#checkpoints(): AsyncGenerator<CheckpointRow> {
    let after = 0;
    for (;;) {
      const rows = (
        await sql<{ position: string; from_position: string; hash: string; recorded_at: string | null; hashes: string; key_id: string; signature: string }>`
          select position, from_position, hash, recorded_at, hashes, key_id, signature from log_checkpoints
           where position > ${after} order by position limit 10`.execute(this.#db)
      ).rows;
      if (rows.length === 0) return;
      for (const r of rows) {
        const row: CheckpointRow = {
          position: Number(r.position),
          fromPosition: Number(r.from_position),
          hash: r.hash,
          recordedAt: r.recorded_at,
          hashes: r.hashes,
          keyId: r.key_id,
          signature: r.signature,
        };
        after = row.position;
        // A row this key did not sign (forged, or from a replaced key) proves nothing: skipped.
        const wellFormed = row.hashes.length === (row.position - row.fromPosition) * HASH_LENGTH;
        if (wellFormed && row.keyId === this.#key.keyId && this.#key.verify(checkpointMessage(row), row.signature)) yield row;
      }
    }
  }
}

/** The scope fold: the previous fold, the event's position and its chain hash. */
function foldScope(fold: string, event: StoredEvent): string {
  return sha256Hex(`${fold}|${event.globalPosition}|${event.hash}`);
}

export interface CheckpointScheduleOptions {
  log: SignedLog;
  /** Where appends of this process are announced (EventStore.onAppended). */
  onAppended(listener: (lastPosition: number) => void): () => void;
  /** A checkpoint after this many new events … */
  everyEvents: number;
  /** … or after this many milliseconds (appends of other processes are picked up then). */
  everyMs: number;
  /** Told about a checkpoint that failed (e.g. LogIntegrityError); the schedule goes on. */
  onError(error: unknown): void;
}

/**
 * Stores a signed checkpoint every `everyEvents` events or `everyMs` milliseconds, one at a time.
 * `stop()` ends the schedule and waits for a checkpoint in progress.
 */
export function scheduleCheckpoints(options: CheckpointScheduleOptions): { stop(): Promise<void>; idle(): Promise<void> } {
  const { log, everyEvents, everyMs, onError } = options;
  let signedUpTo = -1;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = log
      .checkpoint()
      .then((cp) => {
        signedUpTo = cp.position;
      }, onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const unsubscribe = options.onAppended((last) => {
    if (signedUpTo < 0 || last - signedUpTo >= everyEvents) run();
  });
  const timer = setInterval(run, everyMs);
  timer.unref();
  run();
  return {
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      while (running) await running;
    },
  };
}

/** Reads a digest from parsed JSON (a file an auditor kept); throws TypeError naming the bad field. */
export function parseDigest(value: unknown): LogDigest {
  const d = value as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new TypeError('a digest is a JSON object');
  const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!isCount(d.position)) throw new TypeError('position must be a whole number ≥ 0');
  if (typeof d.hash !== 'string' || !/^[0-9a-f]{64}$/.test(d.hash)) throw new TypeError('hash must be 64 hex digits');
  if (d.recordedAt !== null && typeof d.recordedAt !== 'string') throw new TypeError('recordedAt must be an instant or null');
  if (typeof d.keyId !== 'string' || typeof d.signature !== 'string') throw new TypeError('keyId and signature must be text');
  const scoped = d.scope !== undefined || d.count !== undefined;
  if (scoped && (!Array.isArray(d.scope) || !d.scope.every((a) => typeof a === 'string' && /^\d{8}$/.test(a)) || !isCount(d.count))) {
    throw new TypeError('scope must be a list of AGS and count a whole number, together');
  }
  const known = new Set(['position', 'hash', 'recordedAt', 'keyId', 'signature', 'scope', 'count']);
  const unknown = Object.keys(d).find((k) => !known.has(k));
  if (unknown) throw new TypeError(`unknown field ${unknown}`);
  return d as unknown as LogDigest;
}
