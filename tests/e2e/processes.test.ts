// The entry points as a user runs them: the server process and the command line, each a real
// child process on a fresh embedded database. Start-up failures (DATA_DIR not writable, PostgreSQL
// unreachable) are fault cases: tests/faults/startup.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { GENESIS_HASH, PostgresEventStore, SignedLog, eventHash, loadSigningKey } from '../../src/eventstore/index.js';

const root = new URL('../..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'verstetigt-e2e-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(tsx, ['src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('server process', () => {
  it('serves /health on the embedded default, prints one admin token at first start, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = scratch();
    const child = spawn(tsx, ['src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', JWT_SECRET: '', OIDC_ISSUER: '', DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let body: unknown;
    for (let i = 0; i < 120 && body === undefined; i++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        body = await response.json();
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(body).toEqual({ status: 'ok' });
    const token = /admin token[^\n]*\n\n\s+(\S+)/.exec(stdout)?.[1];
    expect(token).toBeDefined();
    const programmes = await fetch(`http://127.0.0.1:${port}/api/v1/programmes`, { headers: { authorization: `Bearer ${token}` } });
    expect(programmes.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/programmes`)).status).toBe(401);
    // A token minted by the CLI with the secret the server created is accepted too.
    const minted = cli(['token', '--role', 'leadership', '--municipality', '16053000', '--ttl', '5m'], { DATA_DIR: dataDir, JWT_SECRET: '' });
    expect(minted.code).toBe(0);
    const risk = await fetch(`http://127.0.0.1:${port}/api/v1/continuation-risk`, { headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    expect(risk.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout.match(/admin token/g)).toHaveLength(1);
  });
});

describe('command line', () => {
  it('verify reports the count and an intact chain, and exits 1 after a raw-SQL tamper', async () => {
    const dataDir = scratch();
    expect(cli(['verify'], { DATA_DIR: dataDir })).toMatchObject({ code: 0, stdout: '0 events checked, chain intact\n' });

    const database = await openDatabase({ dataDir });
    const store = new PostgresEventStore(database.db);
    for (let i = 1; i <= 5; i++) {
      await store.append(`grant-${i}`, [{ type: 'Tested', schemaVersion: 1, data: { i } }], { expectedVersion: 'no-stream' });
    }
    await database.close();
    expect(cli(['verify'], { DATA_DIR: dataDir })).toMatchObject({ code: 0, stdout: '5 events checked, chain intact\n' });

    const exported = cli(['export'], { DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.globalPosition)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[2]).toMatchObject({ streamId: 'grant-3', data: { i: 3 }, type: 'Tested' });

    const again = await openDatabase({ dataDir });
    await sql`alter table events disable trigger user`.execute(again.db);
    await sql`update events set data = '{"i": 99}' where global_position = 4`.execute(again.db);
    await again.close();
    expect(cli(['verify'], { DATA_DIR: dataDir })).toMatchObject({
      code: 1,
      stdout: '3 events checked, chain broken at position 4\n',
    });
  });

  it('verify --digest proves the log extends the digest, and names the rewritten position after a rehash', async () => {
    const dataDir = scratch();
    const database = await openDatabase({ dataDir });
    const store = new PostgresEventStore(database.db);
    for (let i = 1; i <= 5; i++) {
      await store.append(`grant-${i}`, [{ type: 'Tested', schemaVersion: 1, data: { i } }], { expectedVersion: 'no-stream' });
    }
    // The key the server creates at first start beside the embedded database.
    const { key } = loadSigningKey(join(dataDir, 'signing-key.pem'), { create: true });
    const digestFile = join(dataDir, 'digest.json');
    writeFileSync(digestFile, JSON.stringify(await new SignedLog(database.db, key).digest()));
    await store.append('grant-6', [{ type: 'Tested', schemaVersion: 1, data: { i: 6 } }], { expectedVersion: 'no-stream' });
    await database.close();
    expect(cli(['verify', '--digest', digestFile], { DATA_DIR: dataDir })).toMatchObject({
      code: 0,
      stdout: "6 events checked; the log holds the digest's first 5 events and extends it\n",
    });

    const again = await openDatabase({ dataDir });
    await sql`alter table events disable trigger user`.execute(again.db);
    await sql`update events set data = '{"i": 99}' where global_position = 4`.execute(again.db);
    let prev = GENESIS_HASH;
    for (const event of await new PostgresEventStore(again.db).readAll({ after: 0 })) {
      const hash = eventHash({ ...event, prevHash: prev });
      await sql`update events set prev_hash = ${prev}, hash = ${hash} where global_position = ${event.globalPosition}`.execute(again.db);
      prev = hash;
    }
    await sql`update event_log_head set hash = ${prev} where id = 1`.execute(again.db);
    await again.close();
    expect(cli(['verify'], { DATA_DIR: dataDir }).code).toBe(0);
    const broken = cli(['verify', '--digest', digestFile], { DATA_DIR: dataDir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/first bad position 4 \(event differs from the signed checkpoint/);

    writeFileSync(digestFile, '{"position": "five"}');
    expect(cli(['verify', '--digest', digestFile], { DATA_DIR: dataDir })).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a digest: position/) });
  });

  it('an unknown command prints one line and exits 2', () => {
    const result = cli(['frobnicate'], { DATA_DIR: scratch() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('verstetigt: unknown command "frobnicate" (try: npm run cli -- help)\n');
  });

  it('migrate applies pending migrations once', () => {
    const dataDir = scratch();
    expect(cli(['migrate'], { DATA_DIR: dataDir }).stdout).toMatch(/^applied: 0001-event-log, 0002-projections/);
    expect(cli(['migrate'], { DATA_DIR: dataDir }).stdout).toBe('nothing to migrate\n');
  });

  it('rebuild replays every read model with plain progress lines off a terminal; status shows checkpoints and lag', async () => {
    const dataDir = scratch();
    const database = await openDatabase({ dataDir });
    const store = new PostgresEventStore(database.db);
    for (let i = 1; i <= 3; i++) {
      await store.append(`programme-x${i}`, [{ type: 'ProgrammeEndDateSet', schemaVersion: 1, data: { endsOn: '2027-12-31', reason: null } }], { expectedVersion: 'any' });
    }
    await database.close();
    const before = cli(['status'], { DATA_DIR: dataDir });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/continuation-risk\s+0\s+3\s+3/);
    const rebuilt = cli(['rebuild'], { DATA_DIR: dataDir });
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuilt .*staffing.*: 3 events up to position 3/);
    expect(rebuilt.stderr).toMatch(/100 ?%/);
    expect(cli(['status'], { DATA_DIR: dataDir }).stdout).toMatch(/continuation-risk\s+3\s+3\s+0/);
    expect(cli(['rebuild', 'nonsense'], { DATA_DIR: dataDir })).toMatchObject({ code: 2 });
  });

  it('token refuses a bad role, an unknown municipality and a missing secret with one line', () => {
    const dataDir = scratch();
    expect(cli(['token', '--role', 'finance', '--municipality', '16053000'], { DATA_DIR: dataDir, JWT_SECRET: '' })).toMatchObject({
      code: 2,
      stderr: 'verstetigt: no signing secret: set JWT_SECRET, or start the server once so it creates one in DATA_DIR\n',
    });
    const secret = { DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(40) };
    expect(cli(['token', '--role', 'boss', '--municipality', '16053000'], secret).code).toBe(2);
    expect(cli(['token', '--role', 'finance', '--municipality', '16053000', '--ttl', '13h'], secret)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^verstetigt: --ttl is longer than TOKEN_MAX_LIFETIME_HOURS \(12 h\)/),
    });
    expect(cli(['token', '--role', 'finance', '--municipality', '99999999'], secret).stderr).toMatch(/unknown municipality/);
    const ok = cli(['token', '--role', 'auditor', '--municipality', '16053000', '--municipality', '16055000', '--ttl', '2h'], secret);
    expect(ok.code).toBe(0);
    const claims = JSON.parse(Buffer.from(ok.stdout.trim().split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ role: 'auditor', municipalities: ['16053000', '16055000'] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(7200);
  });
});
