// Protokoll prüfen: the hash chain check in words; the signed digest of the current log and the
// public key to download; and "Gegen gespeicherten Stand prüfen": an uploaded digest (a file the
// auditor kept) checked against the log — intact, the first position that differs, or a digest
// this server did not sign. The same SignedLog as GET/POST /api/v1/audit/digest and /verify.
import type { Context, Hono } from 'hono';
import { DigestSignatureError, parseDigest, type LogDigest, type SignedVerifyReport } from '../../../eventstore/index.js';
import type { AppEnv } from '../../../http/request-context.js';
import { Alert } from '../../components.js';
import { formatInstant, formatInteger } from '../../format.js';
import { CSRF_FIELD } from '../../session.js';
import type { PageContext } from '../../page-context.js';
import { ErrorSummary, type FieldError, type Page } from './shared.js';

/** Reads a multipart form POST after checking its CSRF token; a refused form is a 403 page. */
export type UploadForm = (c: Context<AppEnv>) => Promise<{ fields: Record<string, string>; files: Record<string, File> } | Response>;

/** What an uploaded digest came to. */
type DigestOutcome =
  | { kind: 'report'; digest: LogDigest; report: SignedVerifyReport }
  | { kind: 'foreign' }
  | { kind: 'invalid'; error: FieldError };

/** A digest file is a few hundred bytes; anything far larger is not one. */
const MAX_DIGEST_BYTES = 64 * 1024;

const REASON_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/^event missing/, 'Ein Eintrag fehlt'],
  [/^chain link broken/, 'Die Kette ist unterbrochen: ein Eintrag wurde entfernt, eingefügt oder verschoben'],
  [/^event altered/, 'Ein Eintrag wurde verändert'],
  [/^event differs from the signed checkpoint/, 'Ein Eintrag weicht vom signierten Prüfpunkt ab'],
  [/^the log no longer holds the digest/, 'Das Protokoll enthält den gespeicherten Stand nicht mehr'],
];

/** The verify report's reason in German words (the report names it in English for the API). */
function reasonWords(reason: string | null): string {
  if (!reason) return '';
  const words = REASON_WORDS.find(([pattern]) => pattern.test(reason))?.[1] ?? 'Das Protokoll weicht ab';
  return /outside your scope/.test(reason) ? `${words} (an einer Stelle außerhalb Ihrer Kommunen)` : words;
}

function DigestResult({ outcome }: { outcome: DigestOutcome }) {
  if (outcome.kind === 'foreign') {
    return (
      <Alert kind="danger" title="Stand nicht anerkannt: die Signatur stammt nicht von diesem Protokoll" id="ergebnis">
        <p class="kern-body">
          Die Datei ist nicht mit dem Schlüssel dieses Servers signiert oder wurde nach dem Herunterladen verändert. Gegen sie lässt sich nichts prüfen.
        </p>
      </Alert>
    );
  }
  if (outcome.kind === 'invalid') return null;
  const { digest, report } = outcome;
  const stand = `Stand bis Position ${formatInteger(digest.position)}${digest.recordedAt ? ` vom ${formatInstant(digest.recordedAt)}` : ''}`;
  return report.ok ? (
    <Alert kind="success" title={`Protokoll unversehrt: ${stand} unverändert enthalten`} id="ergebnis">
      <p class="kern-body">
        {formatInteger(report.checked)} Ereignisse geprüft. Das Protokoll enthält genau den gespeicherten Stand und setzt ihn fort.
      </p>
    </Alert>
  ) : (
    <Alert kind="danger" title={`Protokoll weicht vom gespeicherten Stand ab${report.firstBadPosition !== null ? ` ab Position ${formatInteger(report.firstBadPosition)}` : ''}`} id="ergebnis">
      <p class="kern-body">
        {reasonWords(report.reason)}. {formatInteger(report.checked)} Ereignisse geprüft ({stand}). Bitte die Administration und die Rechnungsprüfung
        verständigen.
      </p>
    </Alert>
  );
}

/** The page: chain check, downloads, the upload form and, after an upload, its result. */
async function verifyPage(p: PageContext, outcome: DigestOutcome | undefined, status = 200) {
  const report = await p.deps.store.verify();
  const error = outcome?.kind === 'invalid' ? outcome.error : undefined;
  return p.render(
    'Protokoll prüfen',
    <>
      <h1 class="kern-heading-large">Protokoll prüfen</h1>
      <ErrorSummary errors={error ? [error] : []} />
      {outcome ? <DigestResult outcome={outcome} /> : null}
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
      <section class="vst-section" aria-labelledby="signierter-stand">
        <h2 class="kern-heading-medium" id="signierter-stand">
          Signierter Stand
        </h2>
        {p.deps.signedLog ? (
          <>
            <p class="kern-body">
              Der Server signiert den aktuellen Stand des Protokolls{p.session.municipalities === '*' ? '' : ' Ihrer Kommunen'} mit einem Schlüssel außerhalb
              der Datenbank. Bewahren Sie die Datei auf: Später lässt sich damit prüfen, dass das Protokoll diesen Stand unverändert enthält. Die Signatur
              prüft jeder mit dem öffentlichen Schlüssel nach (Ed25519).
            </p>
            <ul class="kern-list">
              <li>
                <a class="kern-link" href="/pruefung/stand.json" download>
                  Signierten Stand herunterladen (JSON)
                </a>
              </li>
              <li>
                <a class="kern-link" href="/pruefung/schluessel.pem" download>
                  Öffentlichen Schlüssel herunterladen (PEM)
                </a>
              </li>
            </ul>
          </>
        ) : (
          <p class="kern-body">Signierte Stände sind auf diesem Server nicht eingerichtet.</p>
        )}
      </section>
      {p.deps.signedLog ? (
        <section class="vst-section" aria-labelledby="gegen-stand">
          <h2 class="kern-heading-medium" id="gegen-stand">
            Gegen gespeicherten Stand prüfen
          </h2>
          <form method="post" action="/pruefung/pruefen" enctype="multipart/form-data" class="vst-upload">
            <input type="hidden" name={CSRF_FIELD} value={p.frame.csrfToken} />
            <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
              <label class="kern-label" for="digest">
                Datei mit dem gespeicherten Stand
              </label>
              <div class="kern-hint" id="digest-hinweis">
                Die früher hier heruntergeladene JSON-Datei
              </div>
              {error ? (
                <p class="kern-error" id="digest-fehler">
                  <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
                  <span class="kern-body">{error.message}</span>
                </p>
              ) : null}
              <input
                class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
                type="file"
                id="digest"
                name="digest"
                accept=".json,application/json"
                aria-describedby={error ? 'digest-hinweis digest-fehler' : 'digest-hinweis'}
              />
            </div>
            <button type="submit" class="kern-btn kern-btn--primary">
              <span class="kern-label">Gegen gespeicherten Stand prüfen</span>
            </button>
          </form>
        </section>
      ) : null}
    </>,
    { status },
  );
}

/** Checks an uploaded digest against the log, in the caller's scope. */
async function checkUpload(p: PageContext, file: File | undefined): Promise<DigestOutcome> {
  const signedLog = p.deps.signedLog!;
  const invalid = (message: string): DigestOutcome => ({ kind: 'invalid', error: { field: 'digest', message } });
  if (!file || file.size === 0) return invalid('Datei: bitte die Datei mit dem gespeicherten Stand auswählen.');
  if (file.size > MAX_DIGEST_BYTES) return invalid('Datei: zu groß für einen gespeicherten Stand.');
  let digest: LogDigest;
  try {
    digest = parseDigest(JSON.parse(await file.text()));
  } catch {
    return invalid('Datei: kein gespeicherter Stand von verstetigt (JSON mit Position, Hash, Schlüssel und Signatur).');
  }
  const caller = p.session.municipalities;
  // A scoped caller checks digests of its own municipalities only, as in POST /api/v1/audit/verify.
  if (caller !== '*' && (!digest.scope || !digest.scope.every((ags) => caller.includes(ags)))) {
    return invalid('Datei: prüfbar sind nur gespeicherte Stände Ihrer Kommunen.');
  }
  try {
    return { kind: 'report', digest, report: await signedLog.verify({ digest, scope: digest.scope ?? '*' }) };
  } catch (error) {
    if (error instanceof DigestSignatureError) return { kind: 'foreign' };
    throw error;
  }
}

/** Registers /pruefung/pruefen (GET and the upload POST), /pruefung/stand.json and /pruefung/schluessel.pem. */
export function verifyRoutes(app: Hono<AppEnv>, page: Page, upload: UploadForm): void {
  app.get(
    '/pruefung/pruefen',
    page(async (_c, p) => verifyPage(p, undefined)),
  );

  app.post(
    '/pruefung/pruefen',
    page(async (c, p) => {
      const form = await upload(c);
      if (form instanceof Response) return form;
      if (!p.deps.signedLog) return verifyPage(p, undefined, 404);
      const outcome = await checkUpload(p, form.files.digest);
      return verifyPage(p, outcome, outcome.kind === 'invalid' ? 400 : outcome.kind === 'foreign' ? 422 : 200);
    }),
  );

  app.get(
    '/pruefung/stand.json',
    page(async (c, p) => {
      if (!p.deps.signedLog) return verifyPage(p, undefined, 404);
      const digest = await p.deps.signedLog.digest(p.session.municipalities);
      return c.body(`${JSON.stringify(digest, null, 2)}\n`, 200, {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="verstetigt-stand-${digest.position}.json"`,
        'cache-control': 'no-store',
      });
    }),
  );

  app.get(
    '/pruefung/schluessel.pem',
    page(async (c, p) => {
      if (!p.deps.signedLog) return verifyPage(p, undefined, 404);
      const key = p.deps.signedLog.key;
      return c.body(key.publicKeyPem, 200, {
        'content-type': 'application/x-pem-file',
        'content-disposition': `attachment; filename="verstetigt-schluessel-${key.keyId.slice(0, 16)}.pem"`,
      });
    }),
  );
}
