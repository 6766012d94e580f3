// The Hono app factory: everything the server, the Worker and the tests serve. Dependencies are
// passed in, never imported, so tests build an app on a scratch database with app.request().
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Db } from '../db/index.js';
import type { EventStore } from '../eventstore/index.js';
import { silentLogger, type Logger } from '../log.js';
import { swaggerUI } from '@hono/swagger-ui';
import { accessLog, requestId } from './middleware.js';
import { readRoutes } from './read-routes.js';
import { writeRoutes } from './write-routes.js';
import { HttpProblem, ValidationProblem, problemResponse, zodFieldErrors } from './problem.js';
import type { AppEnv } from './request-context.js';

export interface AppDependencies {
  db: Db;
  store: EventStore;
  logger?: Logger;
  /** Largest accepted request body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
}

/** Builds the HTTP app over the given database and event store. */
export function createApp(deps: AppDependencies) {
  const logger = deps.logger ?? silentLogger;
  const app = new OpenAPIHono<AppEnv>({
    // zod failures of any route become one 400 problem with field errors.
    defaultHook: (result) => {
      if (!result.success) throw new ValidationProblem('Die Anfrage enthält ungültige Felder.', zodFieldErrors(result.error));
    },
  });

  app.use('*', requestId());
  app.use('*', accessLog({ logger }));
  app.use('*', secureHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? 64 * 1024,
      onError: () => {
        throw new HttpProblem(413, 'Anfrage zu groß', `Der Inhalt der Anfrage ist größer als ${Math.round((deps.maxBodyBytes ?? 65536) / 1024)} KiB.`);
      },
    }),
  );

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.route('/api/v1', writeRoutes({ store: deps.store }));
  app.route('/api/v1', readRoutes({ store: deps.store }));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'verstetigt',
      version: '1',
      description:
        'Geförderte Stellen in Thüringer Kommunen: Zuwendungen, Stellen, Besetzungen und Verstetigung. ' +
        'Beträge in ganzen Cent, Datumsangaben als JJJJ-MM-TT, Fehler als RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'verstetigt API' }));

  app.notFound((c) => problemResponse(c, new HttpProblem(404, 'Nicht gefunden', `Es gibt keine Ressource unter ${c.req.path}.`), c.get('requestId')));
  app.onError((error, c) => {
    const response = problemResponse(c, error, c.get('requestId'));
    if (response.status >= 500) {
      logger.error('request failed', {
        requestId: c.get('requestId'),
        path: c.req.path,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    return response;
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
