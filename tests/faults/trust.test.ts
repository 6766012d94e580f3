// Fault 6: the trust findings, against the real server process on PostgreSQL — an attacker with the
// database's rights (triggers off, an event rewritten and every later hash and the head recomputed;
// separately the tail deleted) against an earlier signed digest; one Idempotency-Key raced with 20
// bodies and replayed across tenants; programme changes by a non-admin for all municipalities; a
// flood of as-of replays and a minPosition far beyond the head; a scoped auditor's figures; bidi and
// C1 controls, formula text; over-long tokens; and the built bundle (node dist/server.js) starting,
// answering /ready and draining a request in flight on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, eventHash, type StoredEvent } from '../../src/eventstore/index.js';
import { mintToken } from '../../src/http/auth/index.js';
import { TEST_DATABASE_URL, createScratchDatabase, dropScratchDatabase } from '../support/databases.js';
import { JENA, WEIMAR, grantBody } from '../support/fixtures.js';
import { SERVER_SECRET, adminToken, freePort, root, send, startServer, stopServer, withClient, type ServerProcess } from './support.js';

if (!TEST_DATABASE_URL) console.warn('[faults] TEST_DATABASE_URL is not set: the trust faults need PostgreSQL and are skipped.');

const token = (options: { sub?: string; role?: 'admin' | 'finance' | 'leadership' | 'auditor'; municipalities?: string[] | '*'; ttlSeconds?: number }) =>
  mintToken(SERVER_SECRET, { sub: 'fault-trust', role: 'admin', municipalities: '*', ...options });

/** The attacker: triggers off, `change` applied, every hash from position 1 and the head recomputed. */
async function rewriteAndRehash(url: string, change: string): Promise<void> {
  await withClient(url, async (client) => {
    await client.query('alter table events disable trigger user');
    await client.query(change);
    const { rows } = await client.query(
      `select global_position, stream_id, stream_version, event_id::text as event_id, type, schema_version, data, metadata,
              to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as recorded_at, prev_hash, hash
         from events order by global_position`,
    );
    let prev = GENESIS_HASH;
    let position = 0;
    for (const r of rows) {
      const event: StoredEvent = {
        eventId: r.event_id, streamId: r.stream_id, streamVersion: r.stream_version, globalPosition: Number(r.global_position), type: r.type,
        schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, recordedAt: r.recorded_at, prevHash: prev, hash: '',
      };
      const hash = eventHash(event);
      await client.query('update events set prev_hash = $1, hash = $2 where global_position = $3', [prev, hash, event.globalPosition]);
      prev = hash;
      position = event.globalPosition;
    }
    await client.query('update event_log_head set position = $1, hash = $2 where id = 1', [position, prev]);
    await client.query('alter table events enable trigger user');
  });
}

describe.skipIf(!TEST_DATABASE_URL)('an attacker with the database’s rights, against the server process (PostgreSQL)', () => {
  let url: string;
  let server: ServerProcess;
  let admin: string;
  // Each attack on a fresh log of its own.
  beforeEach(async () => {
    url = await createScratchDatabase();
    server = await startServer({ DATABASE_URL: url });
    admin = await adminToken();
    for (const municipality of [JENA, WEIMAR, JENA, WEIMAR]) expect((await send(server.base, admin, 'POST', '/api/v1/grants', grantBody({ municipality }))).status).toBe(201);
  });
  afterEach(async () => {
    if (server) await stopServer(server);
    await dropScratchDatabase(url);
  });

  it('an earlier digest catches a rewrite with every hash and the head recomputed, at the rewritten position', async () => {
    const digest = await send(server.base, admin, 'GET', '/api/v1/audit/digest');
    expect(digest.status).toBe(200);
    expect((await send(server.base, admin, 'POST', '/api/v1/grants', grantBody())).status).toBe(201);
    expect((await send(server.base, admin, 'POST', '/api/v1/audit/verify', digest.body)).body).toMatchObject({ ok: true, firstBadPosition: null });

    const target = digest.body.position - 2;
    await rewriteAndRehash(url, `update events set data = jsonb_set(data, '{amountCents}', '1') where global_position = ${target}`);
    const verified = await send(server.base, admin, 'POST', '/api/v1/audit/verify', digest.body);
    expect(verified.body).toMatchObject({ ok: false, firstBadPosition: target });
    // No new digest is signed over the rewritten log.
    const refused = await send(server.base, admin, 'GET', '/api/v1/audit/digest');
    expect(refused.status).toBe(500);
    expect(refused.body.title).toBe('Protokoll nicht intakt');
  });

  it('an earlier digest catches a deleted tail (head moved back), at the first missing position', async () => {
    const digest = await send(server.base, admin, 'GET', '/api/v1/audit/digest');
    const keep = digest.body.position - 3;
    await rewriteAndRehash(url, `delete from events where global_position > ${keep}`);
    const verified = await send(server.base, admin, 'POST', '/api/v1/audit/verify', digest.body);
    expect(verified.body).toMatchObject({ ok: false, firstBadPosition: keep + 1 });
  });
});

describe.skipIf(!TEST_DATABASE_URL)('abuse against the server process (PostgreSQL)', () => {
  let url: string;
  let server: ServerProcess;
  let admin: string;
  beforeAll(async () => {
    url = await createScratchDatabase();
    server = await startServer({ DATABASE_URL: url, EXPENSIVE_READS_MAX_CONCURRENT: '2' });
    admin = await adminToken();
    for (const municipality of [JENA, WEIMAR]) expect((await send(server.base, admin, 'POST', '/api/v1/grants', grantBody({ municipality }))).status).toBe(201);
  });
  afterAll(async () => {
    if (server) await stopServer(server);
    await dropScratchDatabase(url);
  });

  it('20 concurrent bodies with one Idempotency-Key: one 2xx, 19 × 422; a replay with another tenant’s token: 404', async () => {
    const clerk = await token({ sub: 'clerk-1', role: 'finance', municipalities: [JENA] });
    const { body: grant } = await send(server.base, clerk, 'POST', '/api/v1/grants', grantBody());
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(server.base, clerk, 'POST', `/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 100 + i }, { 'idempotency-key': 'race-1' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 200 && s < 300)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    const sameClerkOtherTenant = await token({ sub: 'clerk-1', role: 'finance', municipalities: [WEIMAR] });
    const winner = responses.find((r) => r.status === 200)!;
    const replay = await send(server.base, sameClerkOtherTenant, 'POST', `/api/v1/grants/${grant.id}/drawdowns`, { drawnOn: '2017-03-31', amountCents: 100 }, { 'idempotency-key': 'race-1' });
    expect(replay.status).toBe(404);
    expect(winner.body.globalPosition).toBeGreaterThan(0);
  });

  it('a finance token for all municipalities may not change a programme', async () => {
    const finance = await token({ role: 'finance', municipalities: '*' });
    expect((await send(server.base, finance, 'POST', '/api/v1/programmes/thilik/end-date', { endsOn: '2031-12-31' })).status).toBe(403);
  });

  it('a flood of as-of replays is bounded (429 with Retry-After), and the server keeps answering', async () => {
    // Thirty different replays (knownAt one millisecond apart, after every recording) of one fixed day.
    const calls = Array.from({ length: 30 }, (_, i) =>
      send(server.base, admin, 'GET', `/api/v1/audit/as-of?knownAt=${new Date(Date.UTC(9998, 0, 1) + i).toISOString()}&view=staffing&asOf=2026-11-27`),
    );
    const views = await send(server.base, admin, 'GET', '/api/v1/programmes');
    expect(views.status).toBe(200);
    const results = await Promise.all(calls);
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  });

  it('?minPosition= far beyond the head answers at once with the head', async () => {
    const r = await send(server.base, admin, 'GET', '/api/v1/staffing?minPosition=9007199254740991', undefined, {}, 4000);
    expect(r.status).toBe(400);
    expect(r.body.head).toBeGreaterThan(0);
  });

  it('a one-municipality auditor’s verify and digest count its events, never the log’s size', async () => {
    const all = await send(server.base, admin, 'GET', '/api/v1/audit/verify');
    const auditor = await token({ sub: 'rpa', role: 'auditor', municipalities: [WEIMAR] });
    const scoped = await send(server.base, auditor, 'GET', '/api/v1/audit/verify');
    expect(scoped.body.ok).toBe(true);
    expect(scoped.body.checked).toBeLessThan(all.body.checked);
    const digest = await send(server.base, auditor, 'GET', '/api/v1/audit/digest');
    expect(digest.body).toMatchObject({ scope: [WEIMAR], count: scoped.body.checked });
  });

  it('bidi overrides and C1 controls are refused and change nothing; formula text is neutralised in the CSV', async () => {
    const head = (await send(server.base, admin, 'GET', '/api/v1/audit/verify')).body.checked;
    for (const reference of ['01JL\u202E3261', 'REF\u0085X', 'A\u2066B']) {
      const r = await send(server.base, admin, 'POST', '/api/v1/grants', grantBody({ reference }));
      expect(r.status, JSON.stringify(reference)).toBe(400);
    }
    expect((await send(server.base, admin, 'GET', '/api/v1/audit/verify')).body.checked).toBe(head);
    const formula = await send(server.base, admin, 'POST', '/api/v1/grants', grantBody({ reference: '\uFF1D1+1', municipality: WEIMAR }));
    expect(formula.status).toBe(201);
    const csv = await fetch(`${server.base}/api/v1/finance/grants?municipality=${WEIMAR}&minPosition=${formula.body.globalPosition}`, {
      headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' },
    });
    const text = await csv.text();
    expect(text).toContain("'\uFF1D1+1");
    expect(text).not.toMatch(/;\uFF1D1\+1/);
  });

  it('a token valid longer than the maximum is refused with 401', async () => {
    const long = await token({ ttlSeconds: 13 * 3600 });
    const r = await send(server.base, long, 'GET', '/api/v1/programmes');
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/länger als erlaubt/);
  });
});

describe('the built bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verstetigt-dist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run build, then node dist/server.js starts on the embedded database, is ready, and drains a request on SIGTERM', async () => {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/server.js'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', JWT_SECRET: SERVER_SECRET, DATA_DIR: dir, PORT: String(port), DEMO_DATA: '1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    let ready = 0;
    for (let i = 0; i < 480 && ready !== 200; i++) {
      try {
        ready = (await fetch(`${base}/ready`)).status;
      } catch {
        // not listening yet
      }
      if (ready !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(ready, stderr).toBe(200);
    // A replay of the whole demo history is in flight when SIGTERM arrives: it still completes.
    const admin = await adminToken();
    const inFlight = send(base, admin, 'GET', '/api/v1/audit/as-of?knownAt=9998-01-01T00:00:00Z&view=continuation-risk&asOf=2026-11-27', undefined, {}, 120_000);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/"msg":"shut down"/);
  });
});
