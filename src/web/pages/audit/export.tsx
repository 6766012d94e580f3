// The export of the log: a download of every event the person may read, as JSON Lines.
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/request-context.js';
import type { Page } from './shared.js';

/** Registers /pruefung/export. */
export function exportRoutes(app: Hono<AppEnv>, page: Page): void {
  app.get(
    '/pruefung/export',
    page(async (_c, p) =>
      p.render(
        'Export',
        <>
          <h1 class="kern-heading-large">Export des Protokolls</h1>
          <p class="kern-body">
            Alle Einträge {p.session.municipalities === '*' ? '' : 'Ihrer Kommunen '}mit Metadaten und Hashes, ein JSON-Objekt je Zeile (JSON Lines). Mit den
            Hashes lässt sich die Kette außerhalb von verstetigt nachrechnen.
          </p>
          <p>
            <a class="kern-btn kern-btn--primary" href="/api/v1/audit/export" download>
              <span class="kern-label">Protokoll herunterladen</span>
            </a>
          </p>
        </>,
      ),
    ),
  );
}
