// What a page handler gets besides the request, and the page's "not found": shared by the routes
// and the page files without an import cycle between them.
import type { Child } from 'hono/jsx';
import type { RiskThresholds } from '../../projections/index.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import type { EventStore, SignedLog } from '../eventstore/index.js';
import type { AsOfAnswer, AsOfRequest } from '../http/audit/index.js';
import type { Permission } from '../http/auth/index.js';
import { HttpProblem } from '../http/problem.js';
import type { PageFrame } from './layout.js';
import type { Session } from './session.js';

/** Everything a page handler gets besides the request. */
export interface PageContext {
  session: Session;
  frame: PageFrame;
  deps: {
    db: Db;
    store: EventStore;
    clock: Clock;
    thresholds: RiskThresholds;
    signedLog?: SignedLog | undefined;
    replayAsOf: (request: AsOfRequest) => Promise<AsOfAnswer>;
  };
  /** Renders `body` inside the Layout with `status`. */
  render(title: string, body: Child, options?: { status?: number; printLine?: string }): Response | Promise<Response>;
  /** True when the session's role holds `permission`. */
  may(permission: Permission): boolean;
}

/** A 404 for a page: the record is unknown or belongs to another municipality (not revealed which). */
export class PageNotFound extends HttpProblem {
  constructor(detail: string) {
    super(404, 'Nicht gefunden', detail);
  }
}

/** A safe local redirect target (a path on this server), else undefined. */
export function localTarget(value: string | undefined | null): string | undefined {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  return value.length > 2000 ? undefined : value;
}
