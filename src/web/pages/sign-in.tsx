// Anmelden and Abmelden: the sign-in page (identity provider button, or how to get a link), the
// confirmation of a sign-in link (a button, so a mail scanner opening the link does not use it up),
// and sign-out.
import { Alert } from '../components.js';
import { roleWords } from '../layout.js';
import type { Principal } from '../../http/auth/index.js';
import { municipalityNames } from '../words.js';

/** /anmelden */
export function SignInView({ oidc, error, signedOut, next }: { oidc: boolean; error?: string | undefined; signedOut: boolean; next: string | undefined }) {
  return (
    <>
      <h1 class="kern-heading-large">Anmelden</h1>
      {signedOut ? <Alert kind="success" title="Sie sind abgemeldet." /> : null}
      {error ? (
        <Alert kind="danger" title="Anmeldung nicht möglich">
          <p class="kern-body">{error}</p>
        </Alert>
      ) : null}
      {oidc ? (
        <>
          <p class="kern-body">Melden Sie sich mit dem Dienstkonto Ihrer Verwaltung an.</p>
          <p>
            <a class="kern-btn kern-btn--primary" href={`/anmelden/oidc${next ? `?weiter=${encodeURIComponent(next)}` : ''}`}>
              <span class="kern-label">Mit Dienstkonto anmelden</span>
            </a>
          </p>
        </>
      ) : null}
      <h2 class="kern-heading-medium">Mit Anmeldelink</h2>
      <p class="kern-body">
        Die Administration gibt Ihnen einen persönlichen Anmeldelink. Er gilt einmal und nur kurze Zeit. Öffnen Sie ihn in diesem Browser und
        bestätigen Sie die Anmeldung.
      </p>
      <p class="kern-body kern-body--small">
        Für die Administration: <code>npm run cli -- login-link --role leadership --municipality 16053000</code> gibt einen neuen Link aus.
      </p>
    </>
  );
}

/** /anmelden/link?token=… — confirm before the link is used up. */
export function ConfirmLinkView({ principal, token, csrfToken, next }: { principal: Principal; token: string; csrfToken: string; next: string | undefined }) {
  return (
    <>
      <h1 class="kern-heading-large">Anmeldung bestätigen</h1>
      <p class="kern-body">
        Sie melden sich an als <strong>{roleWords(principal.role)}</strong> für {municipalityNames(principal.municipalities)}.
      </p>
      <form method="post" action="/anmelden/link">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="token" value={token} />
        {next ? <input type="hidden" name="weiter" value={next} /> : null}
        <button type="submit" class="kern-btn kern-btn--primary">
          <span class="kern-label">Anmelden</span>
        </button>
      </form>
    </>
  );
}

/** /abmelden (GET): a button, since signing out changes state. */
export function SignOutView({ csrfToken }: { csrfToken: string }) {
  return (
    <>
      <h1 class="kern-heading-large">Abmelden</h1>
      <form method="post" action="/abmelden">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="kern-btn kern-btn--primary">
          <span class="kern-label">Jetzt abmelden</span>
        </button>
      </form>
    </>
  );
}
