// Every setting verstetigt reads, in one place, with its default. The README's settings table
// lists exactly these.
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  databaseConnectTimeoutMs: number;
  demoData: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  jwtSecret: string | undefined;
  oidcIssuer: string | undefined;
  oidcAudience: string | undefined;
  oidcJwksUrl: string | undefined;
  corsOrigins: string[];
  writeRateLimitPerMinute: number;
  riskHighMonths: number;
  riskMediumMonths: number;
  budgetWarningMonths: number;
  minPositionTimeoutMs: number;
  projectionBatchSize: number;
  /**
   * The Ed25519 key that signs digests and checkpoints (PEM file outside the database). With a
   * database server it must be named (undefined here; the server refuses to start): replicas share
   * one key. The embedded default keeps it beside its data folder.
   */
  signingKeyFile: string | undefined;
  /** A signed checkpoint is stored after this many new events … */
  checkpointEveryEvents: number;
  /** … or after this many minutes with new events, whichever comes first. */
  checkpointEveryMinutes: number;
  readRateLimitPerMinute: number;
  maxConcurrentExpensiveReads: number;
  /** Share of wall time (%) an as-of replay may keep the process and database busy while other requests are answered. */
  replayDutyPercent: number;
  /** Longest accepted token lifetime in hours (the first-start admin token: 30 days). */
  tokenMaxLifetimeHours: number;
  /** /ready answers 503 beyond this projection lag (events). */
  readyMaxProjectionLag: number;
  /** How long a shutdown waits for requests in flight before it gives up (ms). */
  shutdownTimeoutMs: number;
  /** Where the event log lives: PostgreSQL/PGlite (default) or KurrentDB (projections stay in PostgreSQL). */
  eventStore: 'postgres' | 'kurrentdb';
  kurrentdbUrl: string | undefined;
  /** The address people open, e.g. https://verstetigt.jena.de (sign-in links, OIDC redirect, Secure cookies). */
  publicUrl: string | undefined;
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  oidcClientId: string | undefined;
  oidcClientSecret: string | undefined;
  operatorName: string | undefined;
  legalImpressum: string | undefined;
  legalDatenschutz: string | undefined;
  legalBarrierefreiheit: string | undefined;
}

/** Thrown for a setting with a value that cannot be used; the message names the setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * What a server needs beyond loadConfig's checks: with DATABASE_URL (several replicas, a real
 * deployment) a shared token trust and a shared signing key must be configured, never made up per
 * process. Throws ConfigError naming the missing setting.
 */
export function assertServerConfig(config: Config): void {
  if (!config.databaseUrl) return;
  if (!config.jwtSecret && !config.oidcIssuer) {
    throw new ConfigError('with DATABASE_URL, set JWT_SECRET or OIDC_ISSUER/OIDC_AUDIENCE (no per-process secret is created)');
  }
  if (!config.signingKeyFile) {
    throw new ConfigError('with DATABASE_URL, set SIGNING_KEY_FILE (the Ed25519 key that signs log digests, shared by every replica)');
  }
}

/** Reads the settings from `env`; throws ConfigError for an unusable value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent, got ${JSON.stringify(env.LOG_LEVEL)}`);
  }
  if (env.DEMO_DATA !== undefined && !['', '0', '1'].includes(env.DEMO_DATA)) {
    throw new ConfigError(`DEMO_DATA must be 0 or 1, got ${JSON.stringify(env.DEMO_DATA)}`);
  }
  if (Boolean(env.OIDC_ISSUER) !== Boolean(env.OIDC_AUDIENCE)) {
    throw new ConfigError('OIDC_ISSUER and OIDC_AUDIENCE must be set together');
  }
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== '' && env.JWT_SECRET.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  }
  const dataDir = resolve(env.DATA_DIR || './data');
  const eventStore = (env.EVENT_STORE || 'postgres') as Config['eventStore'];
  if (eventStore !== 'postgres' && eventStore !== 'kurrentdb') {
    throw new ConfigError(`EVENT_STORE must be postgres or kurrentdb, got ${JSON.stringify(env.EVENT_STORE)}`);
  }
  if (eventStore === 'kurrentdb' && !env.KURRENTDB_URL) {
    throw new ConfigError('EVENT_STORE=kurrentdb needs KURRENTDB_URL (kurrentdb://host:2113?tls=…)');
  }
  if (env.SESSION_SECRET !== undefined && env.SESSION_SECRET !== '' && env.SESSION_SECRET.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long');
  }
  if (env.PUBLIC_URL && !/^https?:\/\/[^/\s]+\/?$/.test(env.PUBLIC_URL)) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) address without a path, got ${JSON.stringify(env.PUBLIC_URL)}`);
  }
  if (env.OIDC_CLIENT_ID && !env.OIDC_ISSUER) {
    throw new ConfigError('OIDC_CLIENT_ID needs OIDC_ISSUER');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    // The demo history belongs on the embedded default (a first look); on a server database only on request.
    demoData: env.DEMO_DATA === '1' || (env.DEMO_DATA !== '0' && !env.DATABASE_URL),
    logLevel,
    jwtSecret: env.JWT_SECRET || undefined,
    oidcIssuer: env.OIDC_ISSUER || undefined,
    oidcAudience: env.OIDC_AUDIENCE || undefined,
    oidcJwksUrl: env.OIDC_JWKS_URL || undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    writeRateLimitPerMinute: integer(env, 'WRITE_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    riskHighMonths: integer(env, 'RISK_HIGH_MONTHS', 6, 0, 120),
    riskMediumMonths: integer(env, 'RISK_MEDIUM_MONTHS', 12, 0, 240),
    budgetWarningMonths: integer(env, 'BUDGET_DEADLINE_WARNING_MONTHS', 3, 0, 24),
    minPositionTimeoutMs: integer(env, 'MIN_POSITION_TIMEOUT_MS', 5000, 0, 600_000),
    projectionBatchSize: integer(env, 'PROJECTION_BATCH_SIZE', 500, 1, 100_000),
    signingKeyFile: env.SIGNING_KEY_FILE ? resolve(env.SIGNING_KEY_FILE) : env.DATABASE_URL ? undefined : join(dataDir, 'signing-key.pem'),
    checkpointEveryEvents: integer(env, 'CHECKPOINT_EVERY_EVENTS', 1000, 1, 10_000),
    checkpointEveryMinutes: integer(env, 'CHECKPOINT_EVERY_MINUTES', 10, 1, 10_080),
    readRateLimitPerMinute: integer(env, 'READ_RATE_LIMIT_PER_MINUTE', 1200, 0, 1_000_000),
    maxConcurrentExpensiveReads: integer(env, 'EXPENSIVE_READS_MAX_CONCURRENT', 2, 1, 1000),
    replayDutyPercent: integer(env, 'REPLAY_DUTY_PERCENT', 10, 1, 100),
    tokenMaxLifetimeHours: integer(env, 'TOKEN_MAX_LIFETIME_HOURS', 12, 1, 24 * 366),
    readyMaxProjectionLag: integer(env, 'READY_MAX_PROJECTION_LAG', 10_000, 0, Number.MAX_SAFE_INTEGER),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    eventStore,
    kurrentdbUrl: env.KURRENTDB_URL || undefined,
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined,
    sessionSecret: env.SESSION_SECRET || undefined,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: integer(env, 'SESSION_MAX_HOURS', 10, 1, 7 * 24),
    oidcClientId: env.OIDC_CLIENT_ID || undefined,
    oidcClientSecret: env.OIDC_CLIENT_SECRET || undefined,
    operatorName: env.OPERATOR_NAME || undefined,
    legalImpressum: env.LEGAL_IMPRESSUM || undefined,
    legalDatenschutz: env.LEGAL_DATENSCHUTZ || undefined,
    legalBarrierefreiheit: env.LEGAL_BARRIEREFREIHEIT || undefined,
  };
}
