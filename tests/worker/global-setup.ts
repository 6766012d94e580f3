// Runs in Node before the Worker suite: creates a migrated scratch database next to
// TEST_DATABASE_URL for the Hyperdrive binding, and drops it afterwards; and opens a TCP port that
// accepts connections but never answers (a database server that hangs), for the "database down"
// bindings. Without TEST_DATABASE_URL it provides empty URLs and the suite is skipped with a
// printed reason.
import { createServer, type Server, type Socket } from 'node:net';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../../src/db/index.js';
import { TEST_DATABASE_URL, createScratchDatabase, dropScratchDatabase } from '../support/databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of the scratch database, with a password (Hyperdrive requires one); '' without PostgreSQL. */
    hyperdriveUrl: string;
    /** postgres://… of a port that accepts connections and never answers; '' without PostgreSQL. */
    silentUrl: string;
  }
}

/** Hyperdrive refuses a connection string without a password, even for a server that trusts. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password) parsed.password = 'postgres';
  return parsed.toString();
}

/** A server that takes connections and says nothing; a connection the client ends is ended in turn (no reset). */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!TEST_DATABASE_URL) {
    project.provide('hyperdriveUrl', '');
    project.provide('silentUrl', '');
    return undefined;
  }
  const url = await createScratchDatabase();
  const database = await openDatabase({ databaseUrl: url, migrate: false });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  const silent = await silentServer();
  project.provide('hyperdriveUrl', withPassword(url));
  project.provide('silentUrl', `postgres://postgres:postgres@127.0.0.1:${silent.port}/silent`);
  return async () => {
    for (const socket of silent.sockets) socket.end();
    await new Promise<void>((resolve) => silent.server.close(() => resolve()));
    await dropScratchDatabase(url);
  };
}
