// The command line: `npm run cli -- <command>`. Errors print one line and exit non-zero.
import { once } from 'node:events';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError, migrateToLatest, openDatabase, type Database } from './db/index.js';
import { allProjections, createProgressReporter, projectionStatus, rebuildProjections } from '../projections/index.js';
import { PostgresEventStore } from './eventstore/index.js';
import { ROLES, mintToken, parseTtl, readLocalSecret, type Role } from './http/auth/index.js';
import { municipalityByAgs } from '../schemas/index.js';
import { mintSignInLink } from './web/sign-in-links.js';

const USAGE = `Aufruf: npm run cli -- <Befehl>

Befehle:
  migrate   wendet ausstehende Migrationen an
  verify    prüft die Hash-Kette des ganzen Ereignisprotokolls (Exit-Code 1 bei Manipulation)
  export    gibt das ganze Ereignisprotokoll als JSON Lines auf stdout aus
  rebuild [name …]
            baut Lesemodelle ab Position 0 neu auf und tauscht sie in einem Schritt aus
            (Namen: ${allProjections.map((p) => p.name).join(', ')}; ohne Namen: alle)
  status    zeigt je Lesemodell Checkpoint und Rückstand
  token --role <admin|finance|leadership|auditor> --municipality <AGS|*> [--municipality …] [--sub <id>] [--ttl 8h]
            gibt ein mit JWT_SECRET (oder dem Schlüssel in DATA_DIR) signiertes Token aus
  login-link --role <admin|finance|leadership|auditor> --municipality <AGS|*> [--municipality …] [--sub <id>] [--ttl 15m] [--base URL]
            gibt einen Anmeldelink für die Seiten aus (einmal verwendbar; Standard-Basis PUBLIC_URL
            oder http://localhost:PORT); die letzte Zeile ist der Link
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

  async rebuild(args) {
    const known = new Set(allProjections.map((p) => p.name));
    for (const name of args) if (!known.has(name)) throw new UsageError(`unknown read model "${name}" (known: ${[...known].join(', ')})`);
    const progress = createProgressReporter({ stream: process.stderr, label: 'rebuild' });
    const result = await withDatabase((database) =>
      rebuildProjections({
        db: database.db,
        store: new PostgresEventStore(database.db),
        ...(args.length > 0 ? { names: args } : {}),
        onProgress: progress.update,
      }),
    );
    progress.finish();
    process.stdout.write(`rebuilt ${result.names.join(', ')}: ${result.events} events up to position ${result.position}\n`);
    return 0;
  },

  async status() {
    const rows = await withDatabase((database) => projectionStatus({ db: database.db, store: new PostgresEventStore(database.db) }));
    const width = Math.max(...rows.map((r) => r.name.length), 4);
    process.stdout.write(`${'name'.padEnd(width)}  position      head       lag\n`);
    for (const r of rows) {
      process.stdout.write(`${r.name.padEnd(width)}  ${String(r.position).padStart(8)}  ${String(r.head).padStart(8)}  ${String(r.lag).padStart(8)}\n`);
    }
    return 0;
  },

  async token(args) {
    const options = parseFlags(args, { role: 'single', municipality: 'multi', sub: 'single', ttl: 'single' });
    const role = options.role?.[0];
    if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const list = options.municipality ?? [];
    if (list.length === 0) throw new UsageError('--municipality <AGS> (or *) is required');
    for (const ags of list) if (ags !== '*' && !municipalityByAgs(ags)) throw new UsageError(`unknown municipality (AGS) ${ags}`);
    let ttlSeconds: number;
    try {
      ttlSeconds = parseTtl(options.ttl?.[0] ?? '8h');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const config = loadConfig();
    const secret = config.jwtSecret ?? readLocalSecret(config.dataDir);
    if (!secret) throw new UsageError('no signing secret: set JWT_SECRET, or start the server once so it creates one in DATA_DIR');
    const token = await mintToken(secret, {
      sub: options.sub?.[0] ?? `${role}-${list.join('+')}`,
      role: role as Role,
      municipalities: list.includes('*') ? '*' : list,
      ttlSeconds,
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },

  async 'login-link'(args) {
    const options = parseFlags(args, { role: 'single', municipality: 'multi', sub: 'single', ttl: 'single', base: 'single' });
    const role = options.role?.[0];
    if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const list = options.municipality ?? [];
    if (list.length === 0) throw new UsageError('--municipality <AGS> (or *) is required');
    for (const ags of list) if (ags !== '*' && !municipalityByAgs(ags)) throw new UsageError(`unknown municipality (AGS) ${ags}`);
    let ttlSeconds: number;
    try {
      ttlSeconds = parseTtl(options.ttl?.[0] ?? '15m');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const base = options.base?.[0];
    if (base !== undefined && !/^https?:\/\/[^\s]+$/.test(base)) throw new UsageError(`--base must be an http(s) address, got ${JSON.stringify(base)}`);
    const config = loadConfig();
    // Only the secret is needed, never the database: this works while the server holds the embedded one.
    const secret = config.jwtSecret ?? readLocalSecret(config.dataDir);
    if (!secret) throw new UsageError('no signing secret: set JWT_SECRET, or start the server once so it creates one in DATA_DIR');
    const link = await mintSignInLink(secret, {
      role: role as Role,
      municipalities: list.includes('*') ? '*' : list,
      ...(options.sub?.[0] ? { sub: options.sub[0] } : {}),
      ttlSeconds,
      baseUrl: base ?? config.publicUrl ?? `http://localhost:${config.port}`,
    });
    process.stderr.write(`Anmeldelink (gültig ${Math.round(ttlSeconds / 60)} Minuten, einmal verwendbar):\n`);
    process.stdout.write(`${link}\n`);
    return 0;
  },

  async help() {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  },
};

/** Parses `--flag value` pairs; unknown flags and missing values are usage errors. */
function parseFlags(args: string[], spec: Record<string, 'single' | 'multi'>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    const name = flag.startsWith('--') ? flag.slice(2) : '';
    if (!(name in spec)) throw new UsageError(`unknown option ${flag}`);
    const value = args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (spec[name] === 'single' && out[name]) throw new UsageError(`${flag} given twice`);
    (out[name] ??= []).push(value);
  }
  return out;
}

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
