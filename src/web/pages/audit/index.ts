// The auditor's pages under /pruefung: the event log with filters and paging, one record's
// stream, "Protokoll prüfen" (with the signed digests), "Ansicht wie bekannt am …" and the export download.
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/request-context.js';
import { asOfRoutes } from './as-of.js';
import { exportRoutes } from './export.js';
import { logRoutes } from './log.js';
import type { Page } from './shared.js';
import { verifyRoutes, type UploadForm } from './verify.js';

/** Registers the audit pages on `app`. */
export function AuditRoutes(app: Hono<AppEnv>, page: Page, upload: UploadForm): void {
  logRoutes(app, page);
  verifyRoutes(app, page, upload);
  exportRoutes(app, page);
  asOfRoutes(app, page);
}
