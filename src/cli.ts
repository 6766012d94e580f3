// The command line: `npm run cli -- <command>`. Errors print one line and exit non-zero.
import { once } from 'node:events';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, migrateToLatest, openDatabase, type Database } from './db/index.js';
import { PostgresEventStore } from './eventstore/index.js';

const USAGE = `Aufruf: npm run cli -- <Befehl>

Befehle:
  migrate   wendet ausstehende Migrationen an
  verify    prüft die Hash-Kette des ganzen Ereignisprotokolls (Exit-Code 1 bei Manipulation)
  export    gibt das ganze Ereignisprotokoll als JSON Lines auf stdout aus
  help      zeigt diese Hilfe`;

/** A mistake of the caller: printed as one line, exit code 2. */
class UsageError extends Error {}

async function withDatabase<T>(fn: (database: Database) => Promise<T>, migrate = true): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 2,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    migrate,
  });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  async migrate() {
    const applied = await withDatabase((database) => migrateToLatest(database.db), false);
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'nothing to migrate\n');
    return 0;
  },

  async verify() {
    const report = await withDatabase((database) => new PostgresEventStore(database.db).verify());
    if (report.ok) {
      process.stdout.write(`${report.checked} events checked, chain intact\n`);
      return 0;
    }
    process.stdout.write(
      `${report.checked} events checked, chain broken at position ${report.firstBadPosition}\n`,
    );
    return 1;
  },

  async export() {
    await withDatabase(async (database) => {
      const store = new PostgresEventStore(database.db);
      // Batches of 1000 and the stream's back-pressure keep memory flat however long the log is.
      for await (const batch of store.iterateAll({ batchSize: 1000 })) {
        let chunk = '';
        for (const event of batch) chunk += `${JSON.stringify(event)}\n`;
        if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      }
    });
    return 0;
  },

  async help() {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...args] = argv;
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}" (try: npm run cli -- help)`);
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof UsageError || error instanceof ConfigError || error instanceof DatabaseUnavailableError;
    process.stderr.write(`verstetigt: ${known ? (error as Error).message : String((error as Error)?.message ?? error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
