// Signed checkpoints of the log: each row signs the hash of every event since the checkpoint
// before it, so a verify names the exact position of the first changed event (signed-log.ts).
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { GENESIS_HASH, canonicalJson, eventHash, sha256Hex } from './hash.js';
import { LogIntegrityError } from './log-digest.js';
import { readLogEvents } from './postgres-reads.js';
import type { SigningKey } from './signing.js';

/** A stored checkpoint row. */
export interface CheckpointRow {
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
/** Length of one chain hash in a row's `hashes` (64 hex digits). */
export const HASH_LENGTH = 64;

/** Where the log is signed up to, after a checkpoint. */
export interface SignedPoint {
  position: number;
  hash: string;
  recordedAt: string | null;
}

/**
 * Signs and stores checkpoint rows up to the current head with `key` (several rows for a long
 * backlog) after checking the chain from the previous checkpoint; returns the last one. Nothing new
 * since the last checkpoint: returns that one. Throws LogIntegrityError when the events since the
 * last checkpoint do not chain (nothing is signed then). Safe to call from several processes.
 */
export async function signCheckpoints(db: Db, key: SigningKey): Promise<SignedPoint> {
  for (;;) {
    const result = await signNextCheckpoint(db, key);
    if (result.done) return { position: result.position, hash: result.hash, recordedAt: result.recordedAt };
  }
}

/** One transaction: the next checkpoint row (at most MAX_CHECKPOINT_EVENTS events); `done` when it reaches the head. */
async function signNextCheckpoint(db: Db, key: SigningKey): Promise<SignedPoint & { done: boolean }> {
  return db.transaction().execute(async (trx) => {
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
    const events = await readLogEvents(trx, { after: from, limit: upTo - from });
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
      keyId: key.keyId,
    };
    const signature = key.sign(checkpointMessage(fields));
    await sql`insert into log_checkpoints (position, from_position, hash, recorded_at, hashes, key_id, signature)
      values (${fields.position}, ${fields.fromPosition}, ${fields.hash}, ${fields.recordedAt}, ${fields.hashes}, ${fields.keyId}, ${signature})`.execute(trx);
    return { done: upTo === head, position: upTo, hash: fields.hash, recordedAt: fields.recordedAt };
  });
}

/** The stored checkpoints in position order whose signature verifies with `key`. */
export async function* readCheckpoints(db: Db, key: SigningKey): AsyncGenerator<CheckpointRow> {
  let after = 0;
  for (;;) {
    const rows = (
      await sql<{ position: string; from_position: string; hash: string; recorded_at: string | null; hashes: string; key_id: string; signature: string }>`
        select position, from_position, hash, recorded_at, hashes, key_id, signature from log_checkpoints
         where position > ${after} order by position limit 10`.execute(db)
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
      if (wellFormed && row.keyId === key.keyId && key.verify(checkpointMessage(row), row.signature)) yield row;
    }
  }
}
