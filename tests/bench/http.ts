// HTTP under load (autocannon, 50 connections) against the server in tests/bench/http-server.ts on the
// synthetic store: GET /api/v1/continuation-risk (one municipality and programme per request, rotating
// over all 69; the unfiltered national list is timed one request at a time) and POST /api/v1/grants/{id}/drawdowns (rotating over
// the open grants), each beside a bare Hono JSON route of the same response size on the same server.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { MUNICIPALITIES, PROGRAMME_CODES } from '../../schemas/index.js';
import { mintToken } from '../../src/http/auth/index.js';

const SECRET = 'bench-secret-for-hs256-tokens-0123456789';
const root = new URL('../..', import.meta.url).pathname;
/** Every municipality with every programme: one scope per request, rotating. */
const SCOPES = MUNICIPALITIES.flatMap((m) => PROGRAMME_CODES.map((p) => `municipality=${m.ags}&programme=${p}`));

export interface HttpFigures {
  riskReqPerSec: number;
  riskP50Ms: number;
  riskP99Ms: number;
  riskBytes: number;
  bareRiskReqPerSec: number;
  bareRiskP99Ms: number;
  riskRatioToBare: number;
  /** The unfiltered national list: one request at a time (under 50 connections it queues for seconds). */
  riskAllMs: number;
  riskAllBytes: number;
  drawdownReqPerSec: number;
  drawdownP50Ms: number;
  drawdownP99Ms: number;
  drawdownNon2xx: number;
  bareDrawdownReqPerSec: number;
  bareDrawdownP99Ms: number;
  drawdownRatioToBare: number;
  /** GET /api/v1/staffing (one municipality and programme per request, 10 connections), idle. */
  viewIdleP99Ms: number;
  /**
   * The same while 100 callers (in a process of their own) keep sending as-of replays over the
   * whole log, each for a new instant; a refused caller waits the Retry-After it is given.
   */
  viewUnderAsOfP99Ms: number;
  /** viewUnderAsOfP99Ms / viewIdleP99Ms: the target is at most 2 (null without samples). */
  viewP99UnderAsOfRatio: number | null;
  /** As-of answers during that run: replayed (200) and refused beyond the concurrency bound (429). */
  asOfAnswered: number;
  asOfRefused: number;
  /** The same with callers that ignore Retry-After and ask again at once (a flood of refusals). */
  viewUnderAsOfFloodP99Ms: number;
  viewP99UnderAsOfFloodRatio: number | null;
  asOfFloodAnswered: number;
  asOfFloodRefused: number;
}

/** Runs `measure` while 100 as-of callers run in a child process; returns its result and their counts. */
export async function underAsOfCallers<T>(base: string, token: string, mode: 'polite' | 'flood', measure: () => Promise<T>): Promise<{ result: T; answered: number; refused: number }> {
  const callers = spawn(`${root}node_modules/.bin/tsx`, ['tests/bench/as-of-callers.ts', base, token, '100', mode], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  callers.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    callers.stdout!.on('data', () => out.includes('started') && resolve());
    callers.on('exit', (code) => reject(new Error(`as-of callers exited with ${code}`)));
  });
  const result = await measure();
  const exited = once(callers, 'exit');
  callers.stdin!.end();
  await exited;
  const counts = JSON.parse(out.trim().split('\n').at(-1)!) as { answered: number; refused: number };
  return { result, ...counts };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Load {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
}

export async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon({ connections: 50, pipelining: 1, ...options });
  return {
    reqPerSec: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

/** The bench server (tests/bench/http-server.ts) on a free port, in a process group of its own. */
export async function startBenchServer(url: string, env: Record<string, string> = {}): Promise<{ base: string; stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> }> {
  const port = await freePort();
  const child = spawn(`${root}node_modules/.bin/tsx`, ['tests/bench/http-server.ts', url, String(port)], {
    cwd: root,
    env: { ...process.env, BENCH_JWT_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    // tsx runs the server in a child process of its own: a signal to the group reaches both.
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    async stop(signal) {
      const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
      process.kill(-child.pid!, signal);
      await exited;
    },
  };
}

/** An admin token for all municipalities, as the bench server verifies it. */
export const benchToken = () => mintToken(SECRET, { sub: 'bench', role: 'admin', municipalities: '*' });

/**
 * GET /api/v1/staffing for one municipality and programme per request, rotating over all, on 10
 * connections: the view whose p99 is measured beside the as-of callers.
 */
export function staffingLoad(base: string, token: string, seconds: number): autocannon.Options {
  let i = 0;
  return {
    url: base,
    headers: { authorization: `Bearer ${token}` },
    duration: seconds,
    connections: 10,
    requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: `/api/v1/staffing?${SCOPES[i++ % SCOPES.length]}&asOf=2024-06-30` }) }],
  };
}

/** Runs the HTTP benchmarks against the synthetic database at `url` for `seconds` per run. */
export async function benchHttp(url: string, seconds: number, openGrants: Array<{ id: string; periodStart: string }>): Promise<HttpFigures> {
  const server = await startBenchServer(url);
  try {
    const { base } = server;
    const token = await benchToken();
    const headers = { authorization: `Bearer ${token}` };
      const asOf = 'asOf=2024-06-30';

    // Response sizes of the real routes, for bare routes of the same size.
    const sizeOf = async (path: string) => (await (await fetch(`${base}${path}`, { headers })).arrayBuffer()).byteLength;
    let scopedBytes = 0;
    for (const s of SCOPES) scopedBytes += await sizeOf(`/api/v1/continuation-risk?${s}&${asOf}`);
    const riskBytes = Math.round(scopedBytes / SCOPES.length);
    const riskAllBytes = await sizeOf(`/api/v1/continuation-risk?${asOf}`);

    const rotating = (paths: string[]) => {
      let i = 0;
      return [{ method: 'GET' as const, setupRequest: (req: any) => ({ ...req, path: paths[i++ % paths.length] }) }];
    };
    const warm = (opts: autocannon.Options) => load({ ...opts, duration: 1 });
    const risk = { url: base, headers, duration: seconds, requests: rotating(SCOPES.map((s) => `/api/v1/continuation-risk?${s}&${asOf}`)) };
    await warm(risk);
    const riskRun = await load(risk);
    const bareRisk = await load({ url: `${base}/bare/json?bytes=${riskBytes}`, duration: seconds });
    const allTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await sizeOf(`/api/v1/continuation-risk?${asOf}`);
      allTimes.push(performance.now() - t);
    }

    // A staffing view's p99, idle and under 100 concurrent as-of callers. Every as-of names a new
    // instant after the log's end (no cache hit, the whole log replayed); a refused caller asks again at once.
    // At least 10 s per run, so a loaded machine still yields samples for a p99.
    const staffing = staffingLoad(base, token, Math.max(seconds, 10));
    await warm(staffing);
    const viewIdle = await load(staffing);
    const viewBusy = await underAsOfCallers(base, token, 'polite', () => load(staffing));
    const viewFlood = await underAsOfCallers(base, token, 'flood', () => load(staffing));

    let g = 0;
    const drawdown = {
      url: base,
      headers: { ...headers, 'content-type': 'application/json' },
      duration: seconds,
      requests: [
        {
          method: 'POST' as const,
          setupRequest: (req: any) => {
            const grant = openGrants[g++ % openGrants.length]!;
            return { ...req, path: `/api/v1/grants/${grant.id}/drawdowns`, body: JSON.stringify({ drawnOn: grant.periodStart, amountCents: 1 }) };
          },
        },
      ],
    };
    const drawRun = await load(drawdown);
    const bareDraw = await load({
      url: `${base}/bare/drawdown`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ drawnOn: '2024-01-01', amountCents: 1 }),
      duration: seconds,
    });
    const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
    return {
      riskReqPerSec: riskRun.reqPerSec,
      riskP50Ms: riskRun.p50,
      riskP99Ms: riskRun.p99,
      riskBytes,
      bareRiskReqPerSec: bareRisk.reqPerSec,
      bareRiskP99Ms: bareRisk.p99,
      riskRatioToBare: ratio(riskRun.reqPerSec, bareRisk.reqPerSec),
      riskAllMs: Math.round(Math.min(...allTimes)),
      riskAllBytes,
      drawdownReqPerSec: drawRun.reqPerSec,
      drawdownP50Ms: drawRun.p50,
      drawdownP99Ms: drawRun.p99,
      drawdownNon2xx: drawRun.non2xx,
      bareDrawdownReqPerSec: bareDraw.reqPerSec,
      bareDrawdownP99Ms: bareDraw.p99,
      drawdownRatioToBare: ratio(drawRun.reqPerSec, bareDraw.reqPerSec),
      viewIdleP99Ms: viewIdle.p99,
      viewUnderAsOfP99Ms: viewBusy.result.p99,
      // null when a run completed no request (no p99 to compare).
      viewP99UnderAsOfRatio: viewBusy.result.reqPerSec > 0 && viewIdle.p99 > 0 ? ratio(viewBusy.result.p99, viewIdle.p99) : null,
      asOfAnswered: viewBusy.answered,
      asOfRefused: viewBusy.refused,
      viewUnderAsOfFloodP99Ms: viewFlood.result.p99,
      viewP99UnderAsOfFloodRatio: viewFlood.result.reqPerSec > 0 && viewIdle.p99 > 0 ? ratio(viewFlood.result.p99, viewIdle.p99) : null,
      asOfFloodAnswered: viewFlood.answered,
      asOfFloodRefused: viewFlood.refused,
    };
  } finally {
    await server.stop('SIGTERM');
  }
}
