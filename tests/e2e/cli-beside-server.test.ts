// The command line beside a running server on the embedded database: PGlite must not be opened by
// two processes, so verify, export and status (and rebuild, migrate) say in one line that the server
// holds the database and what to do instead, and exit 1. Once the server stopped they work; a lock
// left by a killed process is taken over; a second server on the same DATA_DIR does not start.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, claimDataDir, dataDirHolder, DataDirInUseError } from '../../src/db/index.js';

const root = new URL('../..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'verstetigt-lock-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const baseEnv = (dataDir: string) => ({ ...process.env, DATABASE_URL: '', JWT_SECRET: '', OIDC_ISSUER: '', DATA_DIR: dataDir, DEMO_DATA: '0', LOG_LEVEL: 'warn' });

function cli(args: string[], dataDir: string) {
  const result = spawnSync(tsx, ['src/cli.ts', ...args], { cwd: root, env: baseEnv(dataDir), encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A process that has exited: its pid names no live process (until the system reuses it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('command line beside a running server (embedded database)', () => {
  it('verify, export, status, rebuild and migrate refuse in one line and exit 1 while the server runs; work after it stopped', async () => {
    const dataDir = scratch();
    const port = await freePort();
    const server = spawn(tsx, ['src/main.ts'], { cwd: root, env: { ...baseEnv(dataDir), PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    try {
      let up = false;
      for (let i = 0; i < 160 && !up; i++) {
        try {
          up = (await fetch(`http://127.0.0.1:${port}/health`)).ok;
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect(up, stderr).toBe(true);
      // The server process itself (tsx runs it as a child of its own) holds the folder.
      const holderPid = dataDirHolder(dataDir)?.pid;
      expect(holderPid).toEqual(expect.any(Number));

      const advice: Record<string, RegExp> = {
        verify: /beenden Sie ihn oder nutzen Sie GET \/api\/v1\/audit\/verify\.$/,
        export: /beenden Sie ihn oder nutzen Sie GET \/api\/v1\/audit\/export\.$/,
        status: /beenden Sie ihn zuerst/,
        rebuild: /beenden Sie ihn zuerst/,
        migrate: /beenden Sie ihn zuerst/,
      };
      for (const [command, words] of Object.entries(advice)) {
        const result = cli([command], dataDir);
        expect(result.code, command).toBe(1);
        expect(result.stdout, command).toBe('');
        const lines = result.stderr.trim().split('\n');
        expect(lines, command).toHaveLength(1);
        expect(lines[0], command).toMatch(
          new RegExp(`^verstetigt: Die Datenbank in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} wird vom laufenden Server benutzt \\(Prozess ${holderPid}, Port ${port}\\); `),
        );
        expect(lines[0], command).toMatch(words);
      }

      // A second server on the same folder does not start either.
      const second = spawnSync(tsx, ['src/main.ts'], { cwd: root, env: { ...baseEnv(dataDir), PORT: String(await freePort()) }, encoding: 'utf8' });
      expect(second.status).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^verstetigt: cannot start: Die Datenbank in .* wird vom laufenden Server benutzt/)]);
      // The first server still answers.
      expect((await fetch(`http://127.0.0.1:${port}/health`)).ok).toBe(true);
    } finally {
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(false);
    expect(cli(['verify'], dataDir)).toMatchObject({ code: 0, stdout: '3 events checked, chain intact\n' });
    expect(cli(['status'], dataDir).code).toBe(0);
    // Seven CLI runs and two server starts, each loading PGlite: minutes on a busy machine.
  }, 300_000);

  it('takes over a lock left by a process that is gone', () => {
    const dataDir = scratch();
    writeFileSync(join(dataDir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid: deadPid(), holder: 'server', port: 3000, since: '2026-11-27T08:00:00Z' }));
    expect(dataDirHolder(dataDir)).toBeUndefined();
    expect(cli(['verify'], dataDir)).toMatchObject({ code: 0, stdout: '0 events checked, chain intact\n' });
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(false);
  }, 120_000);

  it('a claim names its holder to the next claimant and is released once', () => {
    const dataDir = scratch();
    // A live process other than this one holds it: the parent of this test process.
    writeFileSync(join(dataDir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid: process.ppid, holder: 'rebuild', since: '2026-11-27T08:00:00Z' }));
    expect(dataDirHolder(dataDir)).toMatchObject({ pid: process.ppid, holder: 'rebuild' });
    expect(() => claimDataDir(dataDir, { holder: 'verify' })).toThrow(DataDirInUseError);
    expect(() => claimDataDir(dataDir, { holder: 'verify' })).toThrow(/von „verstetigt rebuild“ benutzt/);
    rmSync(join(dataDir, DATA_DIR_LOCK_FILE));
    const release = claimDataDir(dataDir, { holder: 'verify' });
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(true);
    release();
    release();
    expect(existsSync(join(dataDir, DATA_DIR_LOCK_FILE))).toBe(false);
  });
});
