// The command line: `npm run cli -- <command>`. Errors print one line and exit non-zero.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError, DatabaseUnavailableError, claimDataDir, migrateToLatest, openDatabase, type Database } from './db/index.js';
import { allProjections, createProgressReporter, projectionStatus, rebuildProjections, streamReaderOf } from '../projections/index.js';
import { DigestSignatureError, SignedLog, SigningKeyError, loadSigningKey, parseDigest, type EventStore, type LogDigest } from './eventstore/index.js';
import { selectEventStore } from './eventstore/select-event-store.js';
import { ROLES, mintToken, parseTtl, readLocalSecret, type Role } from './http/auth/index.js';
import { createLogger } from './log.js';
import { municipalityByAgs } from '../schemas/index.js';
import { mintSignInLink } from './web/sign-in-links.js';

const USAGE = `Aufruf: npm run cli -- <Befehl>

Befehle:
  migrate   wendet ausstehende Migrationen an
  verify [--digest DATEI]
            prüft die Hash-Kette des ganzen Ereignisprotokolls (Exit-Code 1 bei Manipulation);
            mit --digest zusätzlich, dass das Protokoll genau den Stand dieses Digests enthält
            (GET /api/v1/audit/digest) und fortsetzt
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

/** What to do instead when the running server holds the embedded database, per command. */
const WHILE_SERVER_RUNS: Record<string, string> = {
  verify: 'beenden Sie ihn oder nutzen Sie GET /api/v1/audit/verify',
  export: 'beenden Sie ihn oder nutzen Sie GET /api/v1/audit/export',
  status: 'beenden Sie ihn zuerst (der Server hält seine Lesemodelle selbst aktuell)',
  rebuild: 'beenden Sie ihn zuerst',
  migrate: 'beenden Sie ihn zuerst (der Server migriert beim Start selbst)',
};

/**
 * Opens the database for `command`. On the embedded default it first claims DATA_DIR: PGlite must
 * not be opened by two processes, so while the server (or another command) holds it this fails
 * with one line saying what to do instead.
 */
async function withDatabase<T>(command: string, fn: (database: Database, store: EventStore) => Promise<T>, migrate = true): Promise<T> {
  const config = loadConfig();
  let release = () => {};
  if (!config.databaseUrl) {
    try {
      release = claimDataDir(config.dataDir, { holder: command });
    } catch (error) {
      if (error instanceof DataDirInUseError && error.holder.holder === 'server') {
        throw new DataDirInUseError(error.dataDir, error.holder, WHILE_SERVER_RUNS[command] ?? 'beenden Sie ihn zuerst');
      }
      if (error instanceof DataDirInUseError) throw new DataDirInUseError(error.dataDir, error.holder, 'warten Sie, bis er fertig ist');
      throw error;
    }
  }
  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolMax: 2,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      migrate,
      logger: createLogger(config.logLevel),
    });
    try {
      // The event log where EVENT_STORE says (PostgreSQL by default); read models in `database`.
      const selected = await selectEventStore(config, database.db);
      try {
        return await fn(database, selected.store);
      } finally {
        await selected.close();
      }
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  async migrate() {
    const applied = await withDatabase('migrate', (database) => migrateToLatest(database.db), false);
    process.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'nothing to migrate\n');
    return 0;
  },

  async verify(args) {
    const options = parseFlags(args, { digest: 'single' });
    if (options.digest) return verifyDigest(options.digest[0]!);
    const report = await withDatabase('verify', (_database, store) => store.verify());
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
    await withDatabase('export', async (_database, store) => {
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
    const result = await withDatabase('rebuild', (database, store) =>
      rebuildProjections({
        db: database.db,
        store,
        ...(args.length > 0 ? { names: args } : {}),
        onProgress: progress.update,
        // Corrections read their stream through the store when the log is in KurrentDB.
        readStream: loadConfig().eventStore === 'kurrentdb' ? streamReaderOf(store) : undefined,
      }),
    );
    progress.finish();
    process.stdout.write(`rebuilt ${result.names.join(', ')}: ${result.events} events up to position ${result.position}\n`);
    return 0;
  },

  async status() {
    const rows = await withDatabase('status', (database, store) => projectionStatus({ db: database.db, store }));
    const width = Math.max(...rows.map((r) => r.name.length), 4);
    process.stdout.write(`${'name'.padEnd(width)}  position      head       lag\n`);
    for (const r of rows) {
      process.stdout.write(`${r.name.padEnd(width)}  ${String(r.position).padStart(8)}  ${String(r.head).padStart(8)}  ${String(r.lag).padStart(8)}\n`);
    }
    return 0;
  },

  async token(args) {
    const { role, municipalities, sub, ttlSeconds } = parseAccessFlags(args, { defaultTtl: '8h' });
    const config = loadConfig();
    if (ttlSeconds > config.tokenMaxLifetimeHours * 3600) {
      throw new UsageError(`--ttl is longer than TOKEN_MAX_LIFETIME_HOURS (${config.tokenMaxLifetimeHours} h); the server would refuse the token`);
    }
    const secret = config.jwtSecret ?? readLocalSecret(config.dataDir);
    if (!secret) throw new UsageError('no signing secret: set JWT_SECRET, or start the server once so it creates one in DATA_DIR');
    const token = await mintToken(secret, {
      sub: sub ?? `${role}-${municipalities.join('+')}`,
      role,
      municipalities: municipalities.includes('*') ? '*' : municipalities,
      ttlSeconds,
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },

  async 'login-link'(args) {
    const { role, municipalities, sub, ttlSeconds, base } = parseAccessFlags(args, { defaultTtl: '15m', base: true });
    if (base !== undefined && !/^https?:\/\/[^\s]+$/.test(base)) throw new UsageError(`--base must be an http(s) address, got ${JSON.stringify(base)}`);
    const config = loadConfig();
    // Only the secret is needed, never the database: this works while the server holds the embedded one.
    const secret = config.jwtSecret ?? readLocalSecret(config.dataDir);
    if (!secret) throw new UsageError('no signing secret: set JWT_SECRET, or start the server once so it creates one in DATA_DIR');
    const link = await mintSignInLink(secret, {
      role,
      municipalities: municipalities.includes('*') ? '*' : municipalities,
      ...(sub ? { sub } : {}),
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

/** `verify --digest FILE`: the log must hold exactly the digest's prefix and extend it. */
async function verifyDigest(file: string): Promise<number> {
  let digest: LogDigest;
  try {
    digest = parseDigest(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0];
    throw new UsageError(`--digest ${file} is not a digest: ${reason}`);
  }
  const config = loadConfig();
  if (!config.signingKeyFile) throw new UsageError('SIGNING_KEY_FILE must be set with DATABASE_URL');
  const { key } = loadSigningKey(config.signingKeyFile);
  const report = await withDatabase('verify', (database) => new SignedLog(database.db, key).verify({ digest, scope: digest.scope ?? '*' }));
  if (report.ok) {
    process.stdout.write(`${report.checked} events checked; the log holds the digest's ${digest.scope ? `${digest.count} events of ${digest.scope.join(', ')} up to position ${digest.position}` : `first ${digest.position} events`} and extends it\n`);
    return 0;
  }
  process.stdout.write(`${report.checked} events checked, the log does not extend the digest: first bad position ${report.firstBadPosition} (${report.reason})\n`);
  return 1;
}

/** The access a `token` or a `login-link` grants, as given on the command line. */
interface AccessFlags {
  role: Role;
  /** AGS codes, or ['*'] (with or beside others) for all municipalities. */
  municipalities: string[];
  sub: string | undefined;
  ttlSeconds: number;
  /** `login-link` only. */
  base: string | undefined;
}

/**
 * Parses `--role`, `--municipality` (repeatable), `--sub`, `--ttl` (default `defaultTtl`) and, with
 * `base: true`, `--base`; an unknown role or municipality, none given, or a bad ttl is a usage error.
 */
function parseAccessFlags(args: string[], { defaultTtl, base = false }: { defaultTtl: string; base?: boolean }): AccessFlags {
  const options = parseFlags(args, { role: 'single', municipality: 'multi', sub: 'single', ttl: 'single', ...(base ? { base: 'single' as const } : {}) });
  const role = options.role?.[0];
  if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const municipalities = options.municipality ?? [];
  if (municipalities.length === 0) throw new UsageError('--municipality <AGS> (or *) is required');
  for (const ags of municipalities) if (ags !== '*' && !municipalityByAgs(ags)) throw new UsageError(`unknown municipality (AGS) ${ags}`);
  let ttlSeconds: number;
  try {
    ttlSeconds = parseTtl(options.ttl?.[0] ?? defaultTtl);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  return { role: role as Role, municipalities, sub: options.sub?.[0], ttlSeconds, base: options.base?.[0] };
}

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
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof DatabaseUnavailableError ||
      error instanceof SigningKeyError ||
      error instanceof DigestSignatureError;
    process.stderr.write(`verstetigt: ${known ? (error as Error).message : String((error as Error)?.message ?? error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
