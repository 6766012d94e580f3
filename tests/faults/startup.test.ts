// Fault 4: the server cannot start — DATA_DIR not writable, DATABASE_URL unreachable (or naming a
// database that does not exist) — and exits non-zero with exactly one clear line on stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { root, tsx } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'verstetigt-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const result = spawnSync(tsx, ['src/server.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DEMO_DATA: '0', PORT: '0', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, signal: result.signal, lines: result.stderr.trim().split('\n') };
}

describe('start-up failures', () => {
  it('DATA_DIR under a regular file (not writable, even for root): exit 1, one line', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = start({ DATA_DIR: join(file, 'data') });
    expect(r.signal).toBeNull();
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: DATA_DIR .*a-file\/data is not writable/)]);
  });

  it('DATABASE_URL unreachable: exit 1, one line naming the server', () => {
    const r = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none is not reachable/)]);
  });

  it('DATABASE_URL with a password: the line does not show it', () => {
    const r = start({ DATABASE_URL: 'postgres://nobody:s3cret-pw@127.0.0.1:1/none' });
    expect(r.code).not.toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).not.toContain('s3cret-pw');
  });

  it.skipIf(!TEST_DATABASE_URL)('DATABASE_URL naming a database that does not exist: exit 1, one line', () => {
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = '/verstetigt_no_such_database';
    const r = start({ DATABASE_URL: url.toString() });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: .*verstetigt_no_such_database/)]);
  });
});
