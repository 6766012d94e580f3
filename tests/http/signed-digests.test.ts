// The signed digest routes over HTTP: a digest any holder checks with the published key and
// standard tools (node:crypto here, openssl alike), a later verify against it, the scoped
// auditor's figures, and refusals (forged digest, another scope, a role without audit rights).
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, eventHash, type LogDigest } from '../../src/eventstore/index.js';
import { describeEachDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody } from '../support/fixtures.js';
import { testApp, tokenFor, type TestApp } from '../support/http.js';

type Digest = LogDigest;

describeEachDatabase('signed digests over HTTP', (suite) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp(suite.database);
    for (const municipality of [JENA, WEIMAR, JENA]) expect((await t.post('/api/v1/grants', grantBody({ municipality }))).status).toBe(201);
  });

  const as = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('the digest’s signature checks with the public key (PEM and JWK) fetched without a token', async () => {
    const digest = (await (await t.get('/api/v1/audit/digest')).json()) as Digest;
    // 3 programmes + 3 grants.
    expect(digest).toMatchObject({ position: 6, hash: expect.stringMatching(/^[0-9a-f]{64}$/), recordedAt: expect.stringMatching(/Z$/) });
    const published = await t.app.request('/api/v1/audit/public-key');
    expect(published.status).toBe(200);
    const key = (await published.json()) as { keyId: string; pem: string; jwk: Record<string, string> };
    expect(key.keyId).toBe(digest.keyId);
    const { signature, ...fields } = digest;
    const message = Buffer.from(canonicalJson(fields));
    expect(verifySignature(null, message, createPublicKey(key.pem), Buffer.from(signature, 'base64'))).toBe(true);
    expect(verifySignature(null, message, createPublicKey({ key: key.jwk, format: 'jwk' }), Buffer.from(signature, 'base64'))).toBe(true);
    expect(verifySignature(null, Buffer.from(canonicalJson({ ...fields, position: 5 })), createPublicKey(key.pem), Buffer.from(signature, 'base64'))).toBe(false);
  });

  it('POST /audit/verify: ok while the log extends the digest; after a rewrite with recomputed hashes, the rewritten position', async () => {
    const digest = (await (await t.get('/api/v1/audit/digest')).json()) as Digest;
    expect((await t.post('/api/v1/grants', grantBody())).status).toBe(201);
    expect(await (await t.post('/api/v1/audit/verify', digest)).json()).toEqual({ ok: true, checked: 7, firstBadPosition: null, reason: null });

    await sql`alter table events disable trigger user`.execute(suite.database.db);
    await sql`update events set data = jsonb_set(data, '{amountCents}', '1') where global_position = 5`.execute(suite.database.db);
    let prev = GENESIS_HASH;
    for (const event of await t.store.readAll({ after: 0, limit: 100 })) {
      const hash = eventHash({ ...event, prevHash: prev });
      await sql`update events set prev_hash = ${prev}, hash = ${hash} where global_position = ${event.globalPosition}`.execute(suite.database.db);
      prev = hash;
    }
    await sql`update event_log_head set hash = ${prev} where id = 1`.execute(suite.database.db);
    await sql`alter table events enable trigger user`.execute(suite.database.db);

    // The chain alone is fooled; the signed checkpoint stored with the digest is not.
    expect((await t.store.verify()).ok).toBe(true);
    expect(await (await t.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: false, firstBadPosition: 5 });
    expect(await (await t.post('/api/v1/audit/verify', digest)).json()).toMatchObject({ ok: false, firstBadPosition: 5 });
  });

  it('a changed digest answers 422, a malformed one 400, and nothing is walked', async () => {
    const digest = (await (await t.get('/api/v1/audit/digest')).json()) as Digest;
    const forged = await t.post('/api/v1/audit/verify', { ...digest, position: 3 });
    expect(forged.status).toBe(422);
    expect(((await forged.json()) as { rule: string }).rule).toBe('digest-signature');
    expect((await t.post('/api/v1/audit/verify', { ...digest, hash: 'abc' })).status).toBe(400);
    expect((await t.post('/api/v1/audit/verify', { ...digest, extra: 1 })).status).toBe(400);
  });

  it('a scoped auditor gets figures of its scope only; never the log’s size', async () => {
    const auditor = await tokenFor({ sub: 'rpa-jena', role: 'auditor', municipalities: [JENA] });
    const digest = (await (await as(auditor, 'GET', '/api/v1/audit/digest')).json()) as Digest;
    // Jena's two grants and the three shared programmes.
    expect(digest).toMatchObject({ scope: [JENA], count: 5 });
    const verify = (await (await as(auditor, 'GET', '/api/v1/audit/verify')).json()) as { checked: number };
    expect(verify.checked).toBe(5);
    expect(await (await as(auditor, 'POST', '/api/v1/audit/verify', digest)).json()).toEqual({ ok: true, checked: 5, firstBadPosition: null, reason: null });
    // The global digest (it names the log's size) and another municipality's are not for this caller.
    const global = (await (await t.get('/api/v1/audit/digest')).json()) as Digest;
    expect((await as(auditor, 'POST', '/api/v1/audit/verify', global)).status).toBe(403);
    const weimar = (await (await as(await tokenFor({ role: 'auditor', municipalities: [WEIMAR] }), 'GET', '/api/v1/audit/digest')).json()) as Digest;
    expect((await as(auditor, 'POST', '/api/v1/audit/verify', weimar)).status).toBe(403);
    // An admin for all municipalities may check a scoped digest.
    expect(await (await t.post('/api/v1/audit/verify', digest)).json()).toMatchObject({ ok: true, checked: 5 });
  });

  it('finance and leadership may not fetch or check digests', async () => {
    for (const role of ['finance', 'leadership'] as const) {
      const token = await tokenFor({ role, municipalities: '*' });
      expect((await as(token, 'GET', '/api/v1/audit/digest')).status, role).toBe(403);
      expect((await as(token, 'POST', '/api/v1/audit/verify', {})).status, role).toBe(403);
    }
  });
});
