// Helpers of the fault suite: the real server as a child process (tsx src/main.ts), free ports,
// tokens for its JWT_SECRET, direct SQL on its database, and control of the local PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { mintToken } from '../../src/http/auth/index.js';

export const root = new URL('../..', import.meta.url).pathname;
export const tsx = join(root, 'node_modules/.bin/tsx');
export const SERVER_SECRET = 'fault-suite-secret-for-hs256-0123456789';
/** The servers' digest signing key (created by the first server that starts). */
export const SIGNING_KEY_FILE = join(tmpdir(), 'verstetigt-fault-suite-signing-key.pem');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Starts the server (`node --import tsx src/main.ts`: one process, so SIGKILL hits the server
 * itself — the tsx CLI would run it in a child of its own) with `env` on a free port and waits until
 * /health answers.
 */
export async function startServer(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      JWT_SECRET: SERVER_SECRET,
      SIGNING_KEY_FILE,
      DEMO_DATA: '0',
      LOG_LEVEL: 'warn',
      WRITE_RATE_LIMIT_PER_MINUTE: '0',
      READ_RATE_LIMIT_PER_MINUTE: '0',
      PORT: String(p),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${p}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, child, stderr: () => err, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not answer /health: ${err}`);
}

/** Stops the server with `signal` and waits for the exit. */
export async function stopServer(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

/** An admin token for every municipality, signed with SERVER_SECRET. */
export const adminToken = () => mintToken(SERVER_SECRET, { sub: 'fault-suite', role: 'admin', municipalities: '*' });

/** Sends JSON to the server; never throws for an HTTP status (only for a network failure). */
export async function send(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<{ status: number; body: any; headers: Headers; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers, ms: performance.now() - started };
}

/** Runs `fn` with a plain pg client on `url`. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The local cluster's version folder under /etc/postgresql, or null when there is none. */
export function localCluster(): string | null {
  try {
    return readdirSync('/etc/postgresql')[0] ?? null;
  } catch {
    return null;
  }
}

/** pg_ctlcluster <action> for the local cluster (needs root). */
export function pgCtl(action: 'start' | 'stop' | 'restart'): void {
  const version = localCluster();
  if (!version) throw new Error('no local PostgreSQL cluster');
  const result = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pg_ctlcluster ${action} failed: ${result.stderr}`);
}

/** Waits (up to `seconds`) until pg_isready reports the local server accepting connections. */
export async function waitForPostgres(seconds = 60): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('PostgreSQL did not come back');
}

/** Starts the local PostgreSQL unless it is up, then waits for it. */
export async function ensurePostgresUp(): Promise<void> {
  if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status !== 0) {
    try {
      pgCtl('start');
    } catch {
      // already starting; wait below
    }
  }
  await waitForPostgres();
}

export { once };
