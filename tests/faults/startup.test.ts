// Fault 4: the server cannot start — DATA_DIR not writable, DATABASE_URL unreachable (or naming a
// database that does not exist) — and exits non-zero with exactly one clear line on stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/databases.js';
import { SERVER_SECRET, SIGNING_KEY_FILE, root, tsx } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'verstetigt-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const result = spawnSync(tsx, ['src/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DEMO_DATA: '0', PORT: '0', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, signal: result.signal, lines: result.stderr.trim().split('\n') };
}

/** What a server with DATABASE_URL needs besides it: a shared token secret and signing key. */
const server = { JWT_SECRET: SERVER_SECRET, SIGNING_KEY_FILE };

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
    const r = start({ ...server, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none is not reachable/)]);
  });

  it('DATABASE_URL with a password: the line does not show it', () => {
    const r = start({ ...server, DATABASE_URL: 'postgres://nobody:s3cret-pw@127.0.0.1:1/none' });
    expect(r.code).not.toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).not.toContain('s3cret-pw');
  });

  it.skipIf(!TEST_DATABASE_URL)('DATABASE_URL naming a database that does not exist: exit 1, one line', () => {
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = '/verstetigt_no_such_database';
    const r = start({ ...server, DATABASE_URL: url.toString() });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: .*verstetigt_no_such_database/)]);
  });

  it('DATABASE_URL without JWT_SECRET or OIDC: refused before connecting (no per-process secret), one line', () => {
    const r = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', JWT_SECRET: '', OIDC_ISSUER: '', OIDC_AUDIENCE: '', SIGNING_KEY_FILE });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: with DATABASE_URL, set JWT_SECRET or OIDC_ISSUER/)]);
  });

  it('DATABASE_URL without SIGNING_KEY_FILE: refused, one line', () => {
    const r = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', JWT_SECRET: SERVER_SECRET, SIGNING_KEY_FILE: '' });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: with DATABASE_URL, set SIGNING_KEY_FILE/)]);
  });

  it('SIGNING_KEY_FILE that is not a private key: refused, one line naming the file', () => {
    const file = join(dir, 'not-a-key.pem');
    writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n');
    const r = start({ DATA_DIR: join(dir, 'data-bad-key'), JWT_SECRET: SERVER_SECRET, SIGNING_KEY_FILE: file });
    expect(r.code).not.toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^verstetigt: cannot start: SIGNING_KEY_FILE .*not-a-key\.pem is not a readable PEM private key/)]);
  });
});
