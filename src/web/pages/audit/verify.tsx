// Protokoll prüfen: the hash chain check in words.
import type { Hono } from 'hono';
import type { AppEnv } from '../../../http/request-context.js';
import { Alert } from '../../components.js';
import { formatInteger } from '../../format.js';
import type { Page } from './shared.js';

/** Registers /pruefung/pruefen. */
export function verifyRoutes(app: Hono<AppEnv>, page: Page): void {
  app.get(
    '/pruefung/pruefen',
    page(async (_c, p) => {
      const report = await p.deps.store.verify();
      return p.render(
        'Protokoll prüfen',
        <>
          <h1 class="kern-heading-large">Protokoll prüfen</h1>
          <p class="kern-body">Jeder Eintrag trägt den Hash seines Vorgängers. Die Prüfung rechnet jeden Hash neu nach und folgt der Kette.</p>
          {report.ok ? (
            <Alert kind="success" title={`Kette unversehrt: ${formatInteger(report.checked)} Ereignisse geprüft`}>
              <p class="kern-body">Kein Eintrag wurde verändert, entfernt oder eingeschoben.</p>
            </Alert>
          ) : (
            <Alert kind="danger" title={`Kette beschädigt ab Position ${report.firstBadPosition}`}>
              <p class="kern-body">
                {formatInteger(report.checked)} Ereignisse geprüft. Der Eintrag an Position {report.firstBadPosition} fehlt, wurde verändert oder steht
                an falscher Stelle. Bitte die Administration und die Rechnungsprüfung verständigen.
              </p>
            </Alert>
          )}
        </>,
      );
    }),
  );
}
