// The entry points as a user runs them: the server process and the command line, each a real
// child process on a fresh embedded database.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';

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
  it('serves /health on the embedded default and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(tsx, ['src/server.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: scratch(), PORT: String(port), DEMO_DATA: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits non-zero with one clear line when DATABASE_URL is unreachable', () => {
    const result = spawnSync(tsx, ['src/server.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0' },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot start: PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none is not reachable/);
  });

  it('exits non-zero with one clear line when DATA_DIR is not writable', () => {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, '');
    const result = spawnSync(tsx, ['src/server.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: join(file, 'data'), PORT: '0' },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/cannot start: DATA_DIR .* is not writable/)]);
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

  it('an unknown command prints one line and exits 2', () => {
    const result = cli(['frobnicate'], { DATA_DIR: scratch() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('verstetigt: unknown command "frobnicate" (try: npm run cli -- help)\n');
  });

  it('migrate applies pending migrations once', () => {
    const dataDir = scratch();
    expect(cli(['migrate'], { DATA_DIR: dataDir }).stdout).toMatch(/^applied: 0001-event-log/);
    expect(cli(['migrate'], { DATA_DIR: dataDir }).stdout).toBe('nothing to migrate\n');
  });
});
