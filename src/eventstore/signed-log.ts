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
//
// The parts: log-digest.ts (digest fields, signature text, parsing), log-checkpoints.ts (signing
// and reading checkpoint rows), checkpoint-schedule.ts (when checkpoints are signed).
import type { Db } from '../db/index.js';
import { GENESIS_HASH, eventHash } from './hash.js';
import { HASH_LENGTH, readCheckpoints, signCheckpoints, type SignedPoint } from './log-checkpoints.js';
import { DigestSignatureError, digestMessage, foldScope, type LogDigest, type LogScope, type SignedVerifyReport } from './log-digest.js';
import { eventBeyondHead, readLogEvents, readLogHead } from './postgres-reads.js';
import type { SigningKey } from './signing.js';
import type { StoredEvent } from './types.js';
import { iterateInBatches, type IterateAllOptions } from './verify.js';

/** The log's signed digests, checkpoints and verify, over one database and one signing key. */
export class SignedLog {
  readonly #db: Db;
  readonly #key: SigningKey;

  constructor(db: Db, key: SigningKey) {
    this.#db = db;
    this.#key = key;
  }

  get key(): SigningKey {
    return this.#key;
  }

  /** The log's head position and hash (one read). */
  head(): Promise<SignedPoint> {
    return readLogHead(this.#db);
  }

  /**
   * Signs and stores a checkpoint up to the current head (several rows for a long backlog) after
   * checking the chain from the previous checkpoint; returns the last one. Nothing new since the
   * last checkpoint: returns that one. Throws LogIntegrityError when the events since the last
   * checkpoint do not chain (nothing is signed then). Safe to call from several processes.
   */
  checkpoint(): Promise<SignedPoint> {
    return signCheckpoints(this.#db, this.#key);
  }

  /** The whole log (or the part after `after`, or a scope) in batches. */
  #iterate(options: IterateAllOptions): AsyncGenerator<StoredEvent[]> {
    return iterateInBatches((batch) => readLogEvents(this.#db, batch), options);
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
    for await (const batch of this.#iterate({ batchSize: 2000, streamScope: { field: 'municipality', values: municipalities } })) {
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
    const checkpoints = readCheckpoints(this.#db, this.#key);
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

    walk: for await (const batch of this.#iterate({ batchSize: 1000 })) {
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
    const beyond = scoped ? null : await eventBeyondHead(this.#db);
    if (beyond !== null) return report(beyond, 'event beyond the head');
    return { ok: true, checked, firstBadPosition: null, reason: null };
  }
}
