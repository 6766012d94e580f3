// Structured JSON log lines on stderr. Never logs tokens or request bodies.
import type { Config } from './config.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A logger writing one JSON object per line at or above `level`. */
export function createLogger(level: Config['logLevel'] = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const threshold = LEVELS[level];
  const log = (lvl: Exclude<LogLevel, 'silent'>) =>
    function logLine(msg: string, fields: Record<string, unknown> = {}) {
      if (LEVELS[lvl] < threshold) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }, withErrorsDescribed)}\n`);
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** JSON.stringify replacer: an Error (which would print as `{}`) becomes its description. */
function withErrorsDescribed(_key: string, value: unknown): unknown {
  return value instanceof Error ? describeError(value) : value;
}

/**
 * An error as a log field: name, message, stack, a database error's code and the chain of causes
 * (five deep at most). Never request data: errors carry none.
 */
export function describeError(error: unknown, depth = 0): Record<string, unknown> | string {
  if (!(error instanceof Error)) return String(error);
  const fields: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  const { code } = error as { code?: unknown };
  if (typeof code === 'string') fields.code = code;
  if (error.cause !== undefined && depth < 5) fields.cause = describeError(error.cause, depth + 1);
  return fields;
}

/** A logger that writes nothing (tests). */
export const silentLogger: Logger = createLogger('silent');
