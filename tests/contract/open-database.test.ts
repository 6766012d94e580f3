// openDatabase on PostgreSQL: a pooled connection the server drops is logged with its cause, and
// the pool goes on serving (the error is neither swallowed nor fatal).
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.js';
import { createLogger } from '../../src/log.js';
import { TEST_DATABASE_URL, createScratchDatabase, dropScratchDatabase } from '../support/databases.js';

describe.skipIf(!TEST_DATABASE_URL)('openDatabase on PostgreSQL', () => {
  let url: string;
  let database: Database;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    url = await createScratchDatabase();
    database = await openDatabase({ databaseUrl: url, poolMax: 2, logger: createLogger('error', (line) => lines.push(JSON.parse(line))) });
  });
  afterAll(async () => {
    await database?.close();
    if (url) await dropScratchDatabase(url);
  });

  it('logs an idle connection terminated by the server, with the error and its stack, and keeps serving', async () => {
    const { pid } = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThan(0);
    const line = lines[0]!;
    expect(line.level).toBe('error');
    expect(line.msg).toMatch(/PostgreSQL connection failed/);
    const error = line.error as Record<string, unknown>;
    expect(error.message).toMatch(/terminat/);
    expect(String(error.stack)).toContain('\n');
    expect(error.code).toBe('57P01');
    const again = (await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows[0]!;
    expect(again.one).toBe(1);
  });
});
