// The frame of every page: Kopfzeile, header with product, role and municipality, the navigation
// the role may use, <main> with one <h1>, the footer with the legal pages. German, KERN UX, every
// asset from this server (/static/…), a print line with the Stand date and municipality.
import type { Child } from 'hono/jsx';
import { allows, type Permission, type Role } from '../http/auth/index.js';
import type { Session } from './session.js';
import { municipalityNames } from './words.js';

export interface PageFrame {
  /** The operator named in the Kopfzeile (OPERATOR_NAME); undefined: no claim of an authority. */
  operatorName: string | undefined;
  session: Session | undefined;
  csrfToken: string;
  /** The path of the page, for aria-current in the navigation. */
  path: string;
}

export interface LayoutProps {
  frame: PageFrame;
  title: string;
  /** Printed on every page: "Stand: 27.11.2026 · Jena". */
  printLine?: string;
  children?: Child;
}

const ROLE_WORDS: Record<Role, string> = {
  admin: 'Administration',
  finance: 'Kämmerei',
  leadership: 'Leitung',
  auditor: 'Prüfung',
};

/** The role in German words. */
export const roleWords = (role: Role) => ROLE_WORDS[role];

const NAVIGATION: ReadonlyArray<{ href: string; label: string; permission: Permission }> = [
  { href: '/', label: 'Übersicht', permission: 'read-views' },
  { href: '/pruefung', label: 'Protokoll', permission: 'audit' },
  { href: '/pruefung/pruefen', label: 'Protokoll prüfen', permission: 'audit' },
  { href: '/pruefung/wie-bekannt', label: 'Ansicht wie bekannt am …', permission: 'audit' },
  { href: '/pruefung/export', label: 'Export', permission: 'audit' },
  { href: '/docs', label: 'API-Dokumentation', permission: 'reference' },
];

function Flag() {
  return (
    <span class="kern-kopfzeile__flagge" aria-hidden="true">
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 5 3" width="20" height="12" focusable="false">
        <rect width="5" height="1" y="0" fill="#000" />
        <rect width="5" height="1" y="1" fill="#d00" />
        <rect width="5" height="1" y="2" fill="#ffce00" />
      </svg>
    </span>
  );
}

/** The page frame. */
export function Layout({ frame, title, printLine, children }: LayoutProps) {
  const { session } = frame;
  const matches = (href: string) => (href === '/' ? frame.path === '/' : frame.path === href || frame.path.startsWith(`${href}/`));
  const items = session ? NAVIGATION.filter((n) => allows(session.role, n.permission)) : [];
  // One current item: the longest match (/pruefung/pruefen is "Protokoll prüfen", not "Protokoll").
  const currentHref = items
    .map((n) => n.href)
    .filter(matches)
    .sort((a, b) => b.length - a.length)[0];
  const current = (href: string) => href === currentHref;
  return (
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – verstetigt`}</title>
        <link rel="stylesheet" href="/static/kern/fonts/fira-sans.css" />
        <link rel="stylesheet" href="/static/kern/kern.min.css" />
        <link rel="stylesheet" href="/static/app/verstetigt.css" />
      </head>
      <body>
        <a class="vst-skip-link" href="#inhalt">
          Zum Inhalt springen
        </a>
        <div class="kern-kopfzeile vst-no-print">
          <div class="kern-container">
            <div class="kern-kopfzeile__content">
              {frame.operatorName ? <Flag /> : null}
              <span class="kern-kopfzeile__label">{frame.operatorName ?? 'verstetigt – keine amtliche Installation'}</span>
            </div>
          </div>
        </div>
        <header class="vst-header">
          <div class="kern-container vst-header__inner">
            <p class="vst-product">
              <a href="/" class="vst-product__link">
                verstetigt
              </a>
              <span class="vst-product__claim">Geförderte Stellen und ihre Weiterführung</span>
            </p>
            {session ? (
              <div class="vst-user vst-no-print">
                <p class="kern-body kern-body--small">
                  Angemeldet als <strong>{roleWords(session.role)}</strong>
                  {' · '}
                  {municipalityNames(session.municipalities)}
                </p>
                <form method="post" action="/abmelden" class="vst-inline-form">
                  <input type="hidden" name="_csrf" value={frame.csrfToken} />
                  <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">
                    <span class="kern-label">Abmelden</span>
                  </button>
                </form>
              </div>
            ) : null}
          </div>
          {items.length > 0 ? (
            <nav class="vst-nav vst-no-print" aria-label="Hauptnavigation">
              <div class="kern-container">
                <ul class="kern-list kern-list--horizontal vst-nav__list">
                  {items.map((n) => (
                    <li>
                      <a class="kern-link" href={n.href} aria-current={current(n.href) ? 'page' : undefined}>
                        {n.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            </nav>
          ) : null}
        </header>
        {printLine ? <p class="vst-print-line">{printLine}</p> : null}
        <main id="inhalt" class="kern-container vst-main" tabindex={-1}>
          {children}
        </main>
        <footer class="vst-footer vst-no-print">
          <div class="kern-container">
            <ul class="kern-list kern-list--horizontal vst-footer__list">
              <li>
                <a class="kern-link" href="/impressum">
                  Impressum
                </a>
              </li>
              <li>
                <a class="kern-link" href="/datenschutz">
                  Datenschutz
                </a>
              </li>
              <li>
                <a class="kern-link" href="/barrierefreiheit">
                  Barrierefreiheit
                </a>
              </li>
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}
