// Signed digests against an attacker with the database's rights: triggers off, an event rewritten
// and every later hash and the head recomputed, or the tail deleted. The chain alone still looks
// intact; verify against an earlier digest names the first changed position. On every driver.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DigestSignatureError,
  GENESIS_HASH,
  PostgresEventStore,
  SignedLog,
  digestMessage,
  eventHash,
  generateSigningKey,
  type LogDigest,
  type NewEvent,
  type SigningKey,
} from '../../src/eventstore/index.js';
import { describeEachDatabase, type TestDatabase } from '../support/databases.js';

const JENA = '16053000';
const ERFURT = '16051000';
const ev = (n: number, municipality?: string): NewEvent => ({
  type: 'Tested',
  schemaVersion: 1,
  data: { n, ...(municipality ? { municipality } : {}) },
});

/** What an attacker with the database's rights does: change rows, then make the chain whole again. */
async function rewriteAndRehash(database: TestDatabase, change: ReturnType<typeof sql>): Promise<void> {
  const db = database.db;
  await sql`alter table events disable trigger user`.execute(db);
  await change.execute(db);
  const store = new PostgresEventStore(db);
  let prev = GENESIS_HASH;
  let position = 0;
  for await (const batch of store.iterateAll({ batchSize: 1000 })) {
    for (const event of batch) {
      const hash = eventHash({ ...event, prevHash: prev });
      if (hash !== event.hash || prev !== event.prevHash) {
        await sql`update events set prev_hash = ${prev}, hash = ${hash} where global_position = ${event.globalPosition}`.execute(db);
      }
      prev = hash;
      position = event.globalPosition;
    }
  }
  await sql`update event_log_head set position = ${position}, hash = ${prev} where id = 1`.execute(db);
  await sql`alter table events enable trigger user`.execute(db);
}

describeEachDatabase('signed digests', (suite) => {
  let store: PostgresEventStore;
  let key: SigningKey;
  let log: SignedLog;

  beforeEach(async () => {
    store = new PostgresEventStore(suite.database.db);
    key = generateSigningKey();
    log = new SignedLog(suite.database.db, key);
    // Positions 1–12: Jena's grant on odd positions, Erfurt's on even ones.
    for (let n = 1; n <= 12; n++) {
      const municipality = n % 2 === 1 ? JENA : ERFURT;
      await store.append(`grant-${municipality}`, [ev(n, municipality)], { expectedVersion: 'any' });
    }
  });

  const extend = async (count: number) => {
    for (let n = 0; n < count; n++) await store.append('grant-later', [ev(100 + n, JENA)], { expectedVersion: 'any' });
  };

  it('a digest is signed over its canonical JSON with the published key and verifies while the log extends it', async () => {
    const digest = await log.digest();
    expect(digest).toMatchObject({ position: 12, keyId: key.keyId, hash: (await store.readAll({ after: 11, limit: 1 }))[0]!.hash });
    expect(key.verify(digestMessage(digest), digest.signature)).toBe(true);
    await extend(3);
    expect(await log.verify({ digest })).toEqual({ ok: true, checked: 15, firstBadPosition: null, reason: null });
  });

  it('rewritten event, every later hash and the head recomputed: the chain looks intact, the digest names position 5', async () => {
    const digest = await log.digest();
    await extend(3);
    await rewriteAndRehash(suite.database, sql`update events set data = '{"n": 5, "municipality": "16053000", "amountCents": 1}' where global_position = 5`);
    expect((await store.verify()).ok).toBe(true);
    const report = await log.verify({ digest });
    expect(report).toMatchObject({ ok: false, firstBadPosition: 5 });
    expect(report.reason).toMatch(/signed checkpoint/);
  });

  it('the tail deleted and the head moved back: verify against the digest fails at the first missing position', async () => {
    const digest = await log.digest();
    await rewriteAndRehash(suite.database, sql`delete from events where global_position > 8`);
    expect((await store.verify()).ok).toBe(true);
    expect(await log.verify({ digest })).toMatchObject({ ok: false, firstBadPosition: 9, reason: expect.stringMatching(/truncated/) });
  });

  it('a deleted event in the middle, later positions renumbered and rehashed: fails at that position', async () => {
    const digest = await log.digest();
    await rewriteAndRehash(
      suite.database,
      sql`with moved as (delete from events where global_position = 7 returning 1) update events set global_position = global_position - 1 where global_position > 7 and (select count(*) from moved) = 1`,
    );
    expect((await store.verify()).ok).toBe(true);
    expect(await log.verify({ digest })).toMatchObject({ ok: false, firstBadPosition: 7 });
  });

  it('with the checkpoints deleted too, the rewrite is still found (at the first position no signature proves)', async () => {
    const digest = await log.digest();
    await rewriteAndRehash(suite.database, sql`update events set data = '{"n": 6}' where global_position = 6`);
    await sql`delete from log_checkpoints`.execute(suite.database.db);
    expect(await log.verify({ digest })).toMatchObject({ ok: false, firstBadPosition: 1 });
  });

  it('a forged checkpoint row proves nothing: it is skipped, and the digest still catches the rewrite', async () => {
    const digest = await log.digest();
    await rewriteAndRehash(suite.database, sql`update events set data = '{"n": 3}' where global_position = 3`);
    const hashes = (await store.readAll({ after: 0, limit: 12 })).map((e) => e.hash).join('');
    await sql`update log_checkpoints set hashes = ${hashes}`.execute(suite.database.db);
    expect(await log.verify({ digest })).toMatchObject({ ok: false, firstBadPosition: 1 });
  });

  it('a digest with a changed field or another key is refused before anything is walked', async () => {
    const digest = await log.digest();
    await expect(log.verify({ digest: { ...digest, position: 11 } })).rejects.toBeInstanceOf(DigestSignatureError);
    const other = await new SignedLog(suite.database.db, generateSigningKey()).digest();
    await expect(log.verify({ digest: other })).rejects.toThrow(/names key/);
  });

  it('a checkpoint is never signed over a log that does not verify', async () => {
    await log.checkpoint();
    await extend(2);
    await sql`alter table events disable trigger user`.execute(suite.database.db);
    await sql`update events set data = '{"n": 0}' where global_position = 14`.execute(suite.database.db);
    await sql`alter table events enable trigger user`.execute(suite.database.db);
    await expect(log.checkpoint()).rejects.toThrow(/position 14/);
    expect((await sql<{ n: string }>`select count(*)::int as n from log_checkpoints where position > 12`.execute(suite.database.db)).rows[0]!.n).toBe(0);
  });

  describe('scoped to one municipality', () => {
    it('covers only its events and the shared ones, never the global count', async () => {
      await store.append('programme-x', [ev(50)], { expectedVersion: 'any' });
      const digest = await log.digest([JENA]);
      // Jena's six events and the shared programme event.
      expect(digest).toMatchObject({ scope: [JENA], count: 7, position: 13 });
      expect(key.verify(digestMessage(digest), digest.signature)).toBe(true);
      const report = await log.verify({ digest, scope: [JENA] });
      expect(report).toEqual({ ok: true, checked: 7, firstBadPosition: null, reason: null });
      expect((await log.verify({ scope: [JENA] })).checked).toBe(7);
    });

    it('a rewrite of another municipality’s event, rehashed, is reported at the first of its own events after it', async () => {
      const digest: LogDigest = await log.digest([JENA]);
      await rewriteAndRehash(suite.database, sql`update events set data = '{"n": 44, "municipality": "16051000"}' where global_position = 4`);
      const report = await log.verify({ digest, scope: [JENA] });
      expect(report).toMatchObject({ ok: false, firstBadPosition: 5 });
    });

    it('a rewrite of one of its own events is reported at that event', async () => {
      const digest = await log.digest([JENA]);
      await rewriteAndRehash(suite.database, sql`update events set data = '{"n": 99, "municipality": "16053000"}' where global_position = 9`);
      expect(await log.verify({ digest, scope: [JENA] })).toMatchObject({ ok: false, firstBadPosition: 9 });
    });
  });
});
