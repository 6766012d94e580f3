// What a Worker isolate keeps between requests: the settings (parsed as on the Node server), the
// logger, the token verifier (its OIDC key cache), the pages' session keys, the signing key and the
// buckets of the write rate limit. None of it holds an I/O object (those belong to one request).
import { createPrivateKey } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { SigningKeyError, signingKeyFrom, type SigningKey } from '../eventstore/index.js';
import { trustFromConfig, type RateLimitBucket, type TokenVerifier } from '../http/auth/index.js';
import { expensiveReads, type ExpensiveReads } from '../http/expensive-reads.js';
import { requestLoad, type RequestLoad } from '../http/request-load.js';
import { createLogger, type Logger } from '../log.js';
import { webFromConfig, type WebOptions } from '../web/index.js';

/** The bindings and variables of the Worker: every setting of the README as a string, plus Hyperdrive. */
export interface WorkerEnv {
  /** A Hyperdrive configuration in front of PostgreSQL; takes precedence over DATABASE_URL. */
  HYPERDRIVE?: { connectionString: string } | undefined;
  [setting: string]: unknown;
}

/** The settings and long-lived objects of one isolate, for one set of settings. */
export interface IsolateState {
  key: string;
  config: Config;
  logger: Logger;
  verifier: TokenVerifier;
  /** Signs log digests and checkpoints (the SIGNING_KEY secret). */
  signingKey: SigningKey;
  /** The pages; undefined when no secret can sign their cookies and links (OIDC only, no SESSION_SECRET). */
  web: WebOptions | undefined;
  rateLimitBuckets: Map<string, RateLimitBucket>;
  readRateLimitBuckets: Map<string, RateLimitBucket>;
  /** The bound on as-of replays, verifies and digests, per isolate (the app is built per request). */
  expensiveReads: ExpensiveReads;
  /** The requests this isolate is answering, which an as-of replay yields to. */
  requestLoad: RequestLoad;
}

let isolate: IsolateState | undefined;

/** The string variables of `env` (bindings are objects): what loadConfig reads on Node from process.env. */
export function settingsOf(env: WorkerEnv): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') settings[name] = value;
  return settings;
}

/** The Ed25519 key in SIGNING_KEY (PKCS#8 PEM); throws ConfigError naming the setting. */
export function signingKeyOf(settings: Record<string, string>): SigningKey {
  if (settings.SIGNING_KEY_FILE) {
    throw new ConfigError('SIGNING_KEY_FILE has no meaning on Workers (no files): put the PEM itself into the secret SIGNING_KEY');
  }
  const pem = settings.SIGNING_KEY;
  if (!pem) {
    throw new ConfigError('SIGNING_KEY (wrangler secret put SIGNING_KEY < signing-key.pem) must be set on Workers: the Ed25519 key that signs log digests');
  }
  try {
    return signingKeyFrom(createPrivateKey(pem));
  } catch (error) {
    const reason = error instanceof SigningKeyError ? error.message : 'not a readable PEM private key';
    throw new ConfigError(`SIGNING_KEY must hold an Ed25519 private key as PKCS#8 PEM: ${reason}`);
  }
}

/**
 * The state of this isolate for `env`, rebuilt when the settings change. Throws ConfigError for an
 * unusable or missing setting, as the Node server refuses to start.
 */
export async function isolateState(env: WorkerEnv): Promise<IsolateState> {
  const settings = settingsOf(env);
  const key = JSON.stringify(Object.entries(settings).sort(([a], [b]) => a.localeCompare(b)));
  if (isolate?.key === key) return isolate;
  const config = loadConfig(settings);
  if (config.eventStore !== 'postgres') {
    // The KurrentDB client speaks gRPC, which a Worker cannot; using PostgreSQL instead would split the log.
    throw new ConfigError('EVENT_STORE=kurrentdb is not available on Workers; the Worker keeps the log in PostgreSQL');
  }
  if (!config.jwtSecret && !config.oidcIssuer) {
    // The Node server's fallback (a secret created in DATA_DIR) has no place on Workers.
    throw new ConfigError('JWT_SECRET (wrangler secret put JWT_SECRET) or OIDC_ISSUER with OIDC_AUDIENCE must be set on Workers');
  }
  const signingKey = signingKeyOf(settings);
  const logger = createLogger(config.logLevel, (line) => console.log(line.trimEnd()));
  // With JWT_SECRET or OIDC set, the trust never touches DATA_DIR.
  const trust = await trustFromConfig(config);
  // The pages without sign-in through the identity provider (not offered on Workers, see the
  // README); their cookies are signed with SESSION_SECRET or a key derived from JWT_SECRET.
  const web = config.sessionSecret || trust.secret ? webFromConfig({ ...config, oidcClientId: undefined }, trust) : undefined;
  // Requests arriving together each build the state; the first one finished is kept, so they all
  // count against the same rate-limit buckets and the same bound on expensive reads.
  if (isolate?.key === key) return isolate;
  isolate = {
    key,
    config,
    logger,
    verifier: trust.verifier,
    signingKey,
    web,
    rateLimitBuckets: new Map(),
    readRateLimitBuckets: new Map(),
    expensiveReads: expensiveReads({ maxConcurrent: config.maxConcurrentExpensiveReads, shareInFlight: false }),
    requestLoad: requestLoad(),
  };
  return isolate;
}
