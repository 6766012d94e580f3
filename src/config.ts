// Every setting verstetigt reads, in one place, with its default. The README's settings table
// lists exactly these.
import { resolve } from 'node:path';

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
  minPositionTimeoutMs: number;
  projectionBatchSize: number;
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

/** Reads the settings from `env`; throws ConfigError for an unusable value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, info, warn, error, silent, got ${JSON.stringify(env.LOG_LEVEL)}`);
  }
  if (Boolean(env.OIDC_ISSUER) !== Boolean(env.OIDC_AUDIENCE)) {
    throw new ConfigError('OIDC_ISSUER and OIDC_AUDIENCE must be set together');
  }
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET !== '' && env.JWT_SECRET.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long');
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
    dataDir: resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    demoData: env.DEMO_DATA !== '0',
    logLevel,
    jwtSecret: env.JWT_SECRET || undefined,
    oidcIssuer: env.OIDC_ISSUER || undefined,
    oidcAudience: env.OIDC_AUDIENCE || undefined,
    oidcJwksUrl: env.OIDC_JWKS_URL || undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    writeRateLimitPerMinute: integer(env, 'WRITE_RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    riskHighMonths: integer(env, 'RISK_HIGH_MONTHS', 6, 0, 120),
    riskMediumMonths: integer(env, 'RISK_MEDIUM_MONTHS', 12, 0, 240),
    minPositionTimeoutMs: integer(env, 'MIN_POSITION_TIMEOUT_MS', 5000, 0, 600_000),
    projectionBatchSize: integer(env, 'PROJECTION_BATCH_SIZE', 500, 1, 100_000),
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
