// What the app serves to anyone, before authentication: the assets under /static (from npm
// packages and src/web/assets) and the API documentation at /docs (Swagger UI from
// swagger-ui-dist). The documentation holds no data; its "Try it out" reads the API with the
// browser's session cookie (GET only, see session.ts) or a token entered under "Authorize".
import { Hono } from 'hono';
import type { AppEnv } from '../http/request-context.js';
import { serveStatic } from './static.js';

/** /static/* and /docs. */
export function publicWebRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/static/*', async (c) => (await serveStatic(c, c.req.path)) ?? c.text('Nicht gefunden', 404));
  app.get('/docs', (c) =>
    c.html(
      '<!doctype html>' +
        (
          <html lang="de">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>verstetigt – API-Dokumentation</title>
              <link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css" />
              <link rel="stylesheet" href="/static/app/docs.css" />
            </head>
            <body>
              <header class="vst-docs-header">
                <a href="/">verstetigt</a> · API-Dokumentation (OpenAPI: <a href="/openapi.json">/openapi.json</a>)
              </header>
              <main id="swagger-ui">
                <h1>verstetigt API</h1>
                <p>
                  Die Beschreibung der Schnittstelle steht unter <a href="/openapi.json">/openapi.json</a>. Für die Ansicht hier wird JavaScript benötigt.
                </p>
              </main>
              <script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
              <script src="/static/app/docs.js"></script>
            </body>
          </html>
        ).toString(),
    ),
  );
  return app;
}
