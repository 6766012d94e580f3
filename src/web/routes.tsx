// The pages as a Hono sub-app, mounted at / before the API's bearer authentication: sign-in and
// sign-out, the dashboard and its downloads, record pages, the auditor's pages, legal pages.
// Each page asks the API's permission table (permissionFor) what it needs; a person without a
// session is sent to /anmelden, one without the permission gets a 403 page, a record of another
// municipality a 404 page. Errors become German HTML pages, never JSON.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { DEFAULT_RISK_THRESHOLDS, type RiskThresholds } from '../../projections/index.js';
import { MUNICIPALITIES, businessDate } from '../../schemas/index.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/index.js';
import type { EventStore, SignedLog } from '../eventstore/index.js';
import { allows, covers, permissionFor } from '../http/auth/index.js';
import { HttpProblem } from '../http/problem.js';
import type { AppEnv } from '../http/request-context.js';
import type { AsOfAnswer, AsOfRequest } from '../http/audit/index.js';
import { ownFundsSheet, riskSheet, spreadsheet } from '../http/views/index.js';
import { describeError, silentLogger, type Logger } from '../log.js';
import { Alert } from './components.js';
import { formatDate } from './format.js';
import { municipalityName } from './words.js';
import { Layout, type PageFrame } from './layout.js';
import { PageNotFound, localTarget, type PageContext } from './page-context.js';
import { AuditRoutes } from './pages/audit/index.js';
import { DashboardView, loadDashboard, type DashboardQuery } from './pages/dashboard/index.js';
import { LEGAL_PAGES, LegalView, type LegalPage } from './pages/legal.js';
import { GrantView, PositionView, loadGrantPage, loadPositionPage } from './pages/records/index.js';
import { ConfirmLinkView, SignInView, SignOutView } from './pages/sign-in.js';
import type { OidcSignIn } from './oidc.js';
import { CSRF_FIELD, type Session, type Sessions } from './session.js';
import { SignInLinkRejectedError, readSignInLink, redeemSignInLink } from './sign-in-links.js';

export interface WebDependencies {
  db: Db;
  store: EventStore;
  clock: Clock;
  thresholds?: RiskThresholds;
  logger?: Logger;
  /** Signs digests of the log and verifies against them (the auditor's page); undefined: not offered. */
  signedLog?: SignedLog | undefined;
  /** The API's as-of replay under the process's bound on expensive reads (the auditor's "wie bekannt am"). */
  replayAsOf: (request: AsOfRequest) => Promise<AsOfAnswer>;
  sessions: Sessions;
  /** The secret sign-in links are signed with (JWT_SECRET or DATA_DIR's); undefined: no link sign-in. */
  linkSecret: string | undefined;
  /** Sign-in through the municipality's identity provider, when configured. */
  oidc?: OidcSignIn | undefined;
  /** The operator named in the Kopfzeile (OPERATOR_NAME). */
  operatorName?: string | undefined;
  /** The texts of the legal pages (LEGAL_IMPRESSUM, …). */
  legal?: Partial<Record<LegalPage, string>>;
}

export { PageNotFound, localTarget, type PageContext };

const ERROR_TITLES: Record<number, string> = {
  400: 'Ungültige Anfrage',
  403: 'Keine Berechtigung',
  404: 'Seite nicht gefunden',
  500: 'Fehler auf dem Server',
  503: 'Vorübergehend nicht verfügbar',
};

/** The pages; mount with `app.route('/', webRoutes(deps))` before the API's authentication. */
export function webRoutes(input: WebDependencies): Hono<AppEnv> {
  const deps = { thresholds: DEFAULT_RISK_THRESHOLDS, logger: silentLogger, ...input };
  const { sessions } = deps;
  const app = new Hono<AppEnv>();

  async function frameOf(c: Context<AppEnv>, session: Session | undefined): Promise<PageFrame> {
    return { operatorName: deps.operatorName, session, csrfToken: await sessions.csrfToken(c), path: c.req.path };
  }

  async function htmlPage(c: Context<AppEnv>, frame: PageFrame, title: string, body: Child, status = 200, printLine?: string) {
    c.header('cache-control', 'no-store');
    return c.html(
      <Layout frame={frame} title={title} printLine={printLine}>
        {body}
      </Layout>,
      status as 200,
    );
  }

  async function errorPage(c: Context<AppEnv>, session: Session | undefined, status: number, detail: string) {
    const title = ERROR_TITLES[status] ?? 'Fehler';
    const frame = await frameOf(c, session);
    return htmlPage(
      c,
      frame,
      title,
      <>
        <h1 class="kern-heading-large">{title}</h1>
        <Alert kind={status >= 500 ? 'danger' : 'warning'} title={title}>
          <p class="kern-body">{detail}</p>
        </Alert>
        <p class="kern-body">
          <a class="kern-link" href="/">
            Zur Übersicht
          </a>
        </p>
      </>,
      status,
    );
  }

  /** Wraps a page: session, permission from the table, HTML errors. */
  function page(handler: (c: Context<AppEnv>, p: PageContext) => Response | Promise<Response>) {
    return async function pageHandler(c: Context<AppEnv>): Promise<Response> {
      let session: Session | undefined;
      try {
        session = await sessions.read(c);
        if (!session) {
          const next = `${c.req.path}${new URL(c.req.url).search}`;
          return c.redirect(`/anmelden?weiter=${encodeURIComponent(next)}`, 303);
        }
        const permission = permissionFor(c.req.method, c.req.path);
        if (permission && !allows(session.role, permission)) {
          return errorPage(c, session, 403, 'Ihre Rolle darf diese Seite nicht öffnen.');
        }
        const frame = await frameOf(c, session);
        const s = session;
        return await handler(c, {
          session: s,
          frame,
          deps,
          may: (p) => allows(s.role, p),
          render: (title, body, options = {}) => htmlPage(c, frame, title, body, options.status ?? 200, options.printLine),
        });
      } catch (error) {
        if (error instanceof HttpProblem && error.status < 500) return errorPage(c, session, error.status, error.message);
        deps.logger.error('page failed', { path: c.req.path, requestId: c.get('requestId'), error: describeError(error) });
        return errorPage(c, session, 500, `Die Seite konnte nicht erstellt werden. Bitte später erneut versuchen (Anfrage ${c.get('requestId') ?? ''}).`);
      }
    };
  }

  /**
   * Reads a form POST (urlencoded or multipart: fields and files) and checks its CSRF token; a
   * refused form gets a 403 page and changes nothing.
   */
  async function checkedForm(c: Context<AppEnv>): Promise<{ fields: Record<string, string>; files: Record<string, File> } | Response> {
    const body = await c.req.parseBody();
    const fields: Record<string, string> = {};
    const files: Record<string, File> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') fields[k] = v;
      else if (v instanceof File) files[k] = v;
    }
    if (!(await sessions.checkCsrf(c, fields[CSRF_FIELD]))) {
      return errorPage(c, await sessions.read(c, { renew: false }), 403, 'Das Formular ist abgelaufen oder kam nicht von dieser Seite. Bitte die Seite neu laden und erneut absenden.');
    }
    return { fields, files };
  }

  /** The fields of a form POST after checkedForm. */
  async function formOf(c: Context<AppEnv>): Promise<Record<string, string> | Response> {
    const form = await checkedForm(c);
    return form instanceof Response ? form : form.fields;
  }

  // ------------------------------------------------------------------ sign-in and sign-out

  app.get('/anmelden', async (c) => {
    const session = await sessions.read(c);
    const next = localTarget(c.req.query('weiter'));
    if (session) return c.redirect(next ?? '/', 303);
    const frame = await frameOf(c, undefined);
    const error = c.req.query('fehler');
    return htmlPage(c, frame, 'Anmelden', <SignInView oidc={Boolean(deps.oidc)} signedOut={c.req.query('abgemeldet') === '1'} next={next} error={error ? error.slice(0, 300) : undefined} />);
  });

  app.get('/anmelden/link', async (c) => {
    const token = c.req.query('token') ?? '';
    const frame = await frameOf(c, undefined);
    if (!deps.linkSecret) return errorPage(c, undefined, 404, 'Die Anmeldung mit Link ist auf diesem Server nicht eingerichtet.');
    try {
      const { principal } = await readSignInLink(deps.linkSecret, token, deps.clock.now().getTime());
      return htmlPage(c, frame, 'Anmeldung bestätigen', <ConfirmLinkView principal={principal} token={token} csrfToken={frame.csrfToken} next={localTarget(c.req.query('weiter'))} />);
    } catch (error) {
      if (!(error instanceof SignInLinkRejectedError)) throw error;
      return htmlPage(c, frame, 'Anmelden', <SignInView oidc={Boolean(deps.oidc)} signedOut={false} next={undefined} error={error.message} />, 400);
    }
  });

  app.post('/anmelden/link', async (c) => {
    const form = await formOf(c);
    if (form instanceof Response) return form;
    if (!deps.linkSecret) return errorPage(c, undefined, 404, 'Die Anmeldung mit Link ist auf diesem Server nicht eingerichtet.');
    try {
      const principal = await redeemSignInLink(deps.db, deps.linkSecret, form.token ?? '', deps.clock.now().getTime());
      await sessions.start(c, principal, 'link');
      deps.logger.info('signed in', { sub: principal.sub, role: principal.role, via: 'link', requestId: c.get('requestId') });
      return c.redirect(localTarget(form.weiter) ?? '/', 303);
    } catch (error) {
      if (!(error instanceof SignInLinkRejectedError)) throw error;
      const frame = await frameOf(c, undefined);
      return htmlPage(c, frame, 'Anmelden', <SignInView oidc={Boolean(deps.oidc)} signedOut={false} next={undefined} error={error.message} />, 400);
    }
  });

  if (deps.oidc) deps.oidc.mount(app, { sessions, logger: deps.logger, clock: deps.clock, errorPage: (c, status, detail) => errorPage(c, undefined, status, detail) });

  app.get('/abmelden', async (c) => {
    const session = await sessions.read(c);
    if (!session) return c.redirect('/anmelden', 303);
    const frame = await frameOf(c, session);
    return htmlPage(c, frame, 'Abmelden', <SignOutView csrfToken={frame.csrfToken} />);
  });

  app.post('/abmelden', async (c) => {
    const form = await formOf(c);
    if (form instanceof Response) return form;
    sessions.end(c);
    return c.redirect('/anmelden?abgemeldet=1', 303);
  });

  // ------------------------------------------------------------------ dashboard

  /** The dashboard's query from the request: municipality in scope, Stand date, scenario. */
  function dashboardQuery(c: Context<AppEnv>, p: PageContext) {
    const { session } = p;
    const today = deps.clock.today();
    let fieldError: { field: 'stand' | 'kommune'; message: string } | undefined;
    const standRaw = c.req.query('stand') ?? '';
    let asOf = today;
    if (standRaw !== '') {
      const parsed = businessDate.safeParse(standRaw);
      if (parsed.success) asOf = parsed.data;
      else fieldError = { field: 'stand', message: 'Stand: bitte ein gültiges Datum eingeben, z. B. 27.11.2026.' };
    }
    const kommune = c.req.query('kommune') || undefined;
    if (kommune !== undefined && !covers(session, kommune)) {
      throw new PageNotFound('Diese Kommune gibt es nicht oder sie gehört nicht zu Ihrem Zugang.');
    }
    const list = session.municipalities;
    const municipality = kommune ?? (list !== '*' && list.length === 1 ? list[0] : undefined);
    const share = Number(c.req.query('anteil') ?? '100');
    const query: DashboardQuery = {
      municipality,
      municipalities: list,
      asOf,
      scenarioIds: c.req.queries('stelle') ?? [],
      sharePercent: [0, 50, 100].includes(share) ? share : 100,
    };
    const viewQuery = new URLSearchParams({ ...(municipality && kommune ? { kommune: municipality } : {}), stand: asOf }).toString();
    return { query, fieldError, standRaw, viewQuery };
  }

  app.get(
    '/',
    page(async (c, p) => {
      const { query, fieldError, standRaw, viewQuery } = dashboardQuery(c, p);
      const data = await loadDashboard(deps, query);
      const list = p.session.municipalities;
      const switcher = list === '*' ? MUNICIPALITIES.map((m) => m.ags) : list.length > 1 ? [...list] : undefined;
      const scopeName = query.municipality ? municipalityName(query.municipality) : list === '*' ? 'alle Kommunen' : 'alle meine Kommunen';
      return p.render(
        'Übersicht',
        <DashboardView
          data={data}
          switcher={switcher}
          allLabel={list === '*' ? 'Alle Kommunen' : 'Alle meine Kommunen'}
          viewQuery={viewQuery}
          fieldError={fieldError}
          enteredStand={standRaw}
        />,
        { status: fieldError ? 400 : 200, printLine: `Stand: ${formatDate(query.asOf)} · ${scopeName}` },
      );
    }),
  );

  app.get(
    '/tabellen/:table',
    page(async (c, p) => {
      const table = c.req.param('table');
      const format = c.req.query('format') === 'xlsx' ? 'xlsx' : 'csv';
      const { query } = dashboardQuery(c, p);
      const data = await loadDashboard(deps, { ...query, scenarioIds: [] });
      if (table === 'handlungsbedarf') return spreadsheet(format, `handlungsbedarf-${query.asOf}`, [riskSheet(data.urgent)]);
      if (table === 'alle-stellen') return spreadsheet(format, `stellen-${query.asOf}`, [riskSheet(data.all)]);
      if (table === 'kostenklippe') return spreadsheet(format, `kostenklippe-${data.years[0]}-${data.years.at(-1)}`, [ownFundsSheet(data.ownFunds)]);
      throw new PageNotFound(`Es gibt keine Tabelle „${table}“.`);
    }),
  );

  // ------------------------------------------------------------------ records

  app.get(
    '/stellen/:id',
    page(async (c, p) => {
      const data = await loadPositionPage(p, c.req.param('id') ?? '');
      return p.render(data.state.title, <PositionView data={data} showHistory={p.may('read-records') || p.may('audit')} />);
    }),
  );

  app.get(
    '/zuwendungen/:id',
    page(async (c, p) => {
      const data = await loadGrantPage(p, c.req.param('id') ?? '');
      return p.render(`Zuwendung ${data.state.reference}`, <GrantView data={data} showHistory={p.may('read-records') || p.may('audit')} />);
    }),
  );

  // ------------------------------------------------------------------ audit

  AuditRoutes(app, page, checkedForm);

  // ------------------------------------------------------------------ legal pages (public)

  for (const key of Object.keys(LEGAL_PAGES) as LegalPage[]) {
    app.get(`/${key}`, async (c) => {
      const session = await sessions.read(c);
      return htmlPage(c, await frameOf(c, session), LEGAL_PAGES[key].title, <LegalView page={key} text={deps.legal?.[key]} />);
    });
  }

  return app;
}
