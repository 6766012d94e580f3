// Fault 1: SIGKILL the server during a write load of several concurrent clients, restart it. Every
// acknowledged (2xx) write is in the log, no command is there in part, the hash chain is intact, and
// the projections catch up to exactly the state a rebuild from position 0 gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allProjections, rebuildProjections } from '../../projections/index.js';
import { openDatabase } from '../../src/db/index.js';
import { PostgresEventStore } from '../../src/eventstore/index.js';
import { TEST_DATABASE_URL, createScratchDatabase, dropScratchDatabase } from '../support/databases.js';
import { grantBody } from '../support/fixtures.js';
import { adminToken, send, startServer, stopServer, withClient, type ServerProcess } from './support.js';

if (!TEST_DATABASE_URL) console.warn('[faults] TEST_DATABASE_URL is not set: the SIGKILL test needs PostgreSQL and is skipped.');

interface Ack {
  kind: 'grant' | 'drawdown';
  id: string;
  version: number;
  globalPosition: number;
}

/** Every read table as sorted JSON lines, to compare two states of the read models. */
async function dumpReadModels(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (client) => {
    const out: Record<string, string[]> = {};
    for (const table of allProjections.flatMap((p) => [...p.tables])) {
      const { rows } = await client.query(`select * from ${table}`);
      out[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  });
}

describe.skipIf(!TEST_DATABASE_URL)('SIGKILL under write load (PostgreSQL)', () => {
  let url: string;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    url = await createScratchDatabase();
  });
  afterAll(async () => {
    if (server) await stopServer(server, 'SIGKILL');
    await dropScratchDatabase(url);
  });

  it('keeps every acknowledged write, no partial command, an intact chain, and projections equal to a rebuild', async () => {
    server = await startServer({ DATABASE_URL: url });
    const token = await adminToken();
    const grants: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await send(server.base, token, 'POST', '/api/v1/grants', grantBody({ reference: `KILL-${i}` }));
      expect(r.status).toBe(201);
      grants.push(r.body.id);
    }

    // 8 clients: mostly drawdowns on random grants, every fifth request a new grant.
    const acks: Ack[] = [];
    let stop = false;
    let failures = 0;
    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const newGrant = i % 5 === 4;
        try {
          const r = newGrant
            ? await send(server!.base, token, 'POST', '/api/v1/grants', grantBody({ reference: `KILL-${c}-${i}` }))
            : await send(server!.base, token, 'POST', `/api/v1/grants/${grants[(c * 7 + i) % grants.length]}/drawdowns`, {
                drawnOn: '2017-01-31',
                amountCents: 100 + c,
              });
          if (r.status >= 200 && r.status < 300) {
            acks.push({ kind: newGrant ? 'grant' : 'drawdown', id: r.body.id, version: r.body.version, globalPosition: r.body.globalPosition });
          }
        } catch {
          failures += 1; // the connection died with the server: not acknowledged
          if (server!.child.exitCode !== null || server!.child.signalCode !== null) return;
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, 2000));
    const acksBeforeKill = acks.length;
    server.child.kill('SIGKILL');
    await server.exited;
    stop = true;
    await Promise.all(clients);
    expect(acksBeforeKill).toBeGreaterThan(50);
    expect(failures).toBeGreaterThan(0);

    server = await startServer({ DATABASE_URL: url });

    // Every acknowledged write is in the log, at the position and version it was acknowledged with.
    await withClient(url, async (db) => {
      const { rows } = await db.query<{ global_position: string; stream_id: string; stream_version: number; type: string }>(
        'select global_position, stream_id, stream_version, type from events where global_position = any($1::bigint[])',
        [acks.map((a) => a.globalPosition)],
      );
      const at = new Map(rows.map((r) => [Number(r.global_position), r]));
      for (const ack of acks) {
        expect(at.get(ack.globalPosition), `ack ${JSON.stringify(ack)}`).toMatchObject({
          stream_id: `grant-${ack.id}`,
          stream_version: ack.version,
          type: ack.kind === 'grant' ? 'GrantAwarded' : 'FundsDrawn',
        });
      }

      // No partial command: positions 1..head without a gap, the head row names the last event, every
      // stream's versions run 1..n and every grant stream starts with its award; each request's events
      // (metadata.requestId) are consecutive and complete (the commands here write one event each).
      const head = await db.query<{ n: string; max: string; head: string }>(
        'select count(*) as n, coalesce(max(global_position), 0) as max, (select position from event_log_head) as head from events',
      );
      expect(Number(head.rows[0]!.n)).toBe(Number(head.rows[0]!.max));
      expect(Number(head.rows[0]!.head)).toBe(Number(head.rows[0]!.max));
      const gaps = await db.query(
        `select stream_id from events group by stream_id
          having min(stream_version) <> 1 or max(stream_version) <> count(*)`,
      );
      expect(gaps.rows).toEqual([]);
      const headless = await db.query(
        `select stream_id from events where stream_id like 'grant-%' and stream_version = 1 and type <> 'GrantAwarded'`,
      );
      expect(headless.rows).toEqual([]);
      const split = await db.query(
        `select metadata->>'requestId' as r from events where metadata ? 'requestId' group by 1
          having count(*) <> 1 + max(global_position) - min(global_position)`,
      );
      expect(split.rows).toEqual([]);
    });

    const verify = await send(server.base, token, 'GET', '/api/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, firstBadPosition: null });
    const head = verify.body.checked as number;
    expect(head).toBeGreaterThanOrEqual(Math.max(...acks.map((a) => a.globalPosition)));

    // The projections catch up (read-your-writes on the head) …
    const caughtUp = await send(server.base, token, 'GET', `/api/v1/continuation-risk?minPosition=${head}`);
    expect(caughtUp.status).toBe(200);
    for (let i = 0; i < 120; i++) {
      const behind = await withClient(url, (db) => db.query('select name from projection_checkpoints where position < $1', [head]));
      if (behind.rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await stopServer(server);
    server = undefined;

    // … to exactly what a rebuild from position 0 gives.
    const live = await dumpReadModels(url);
    const database = await openDatabase({ databaseUrl: url, poolMax: 2 });
    try {
      const rebuilt = await rebuildProjections({ db: database.db, store: new PostgresEventStore(database.db) });
      expect(rebuilt.position).toBe(head);
    } finally {
      await database.close();
    }
    const fresh = await dumpReadModels(url);
    expect(Object.values(live).reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(acks.length);
    for (const table of Object.keys(fresh)) expect(live[table], table).toEqual(fresh[table]);
  });
});
