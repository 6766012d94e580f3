// The auditor's pages under /pruefung: the event log with filters and paging, one record's
// stream, "Protokoll prüfen" (the hash chain check in words), "Ansicht wie bekannt am …" (a view
// replayed as the system knew it at an instant, with the same projection code as the API's
// /audit/as-of) and the export download. A person limited to some municipalities sees their
// streams and the shared ones, as in the API.
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { DateTime } from 'luxon';
import {
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryStaffing,
  replayAsOf,
} from '../../../projections/index.js';
import { businessDate } from '../../../schemas/index.js';
import { BUSINESS_ZONE } from '../../clock.js';
import { PostgresEventStore, assertStreamId, type ReadAllOptions, type StoredEvent } from '../../eventstore/index.js';
import type { AppEnv } from '../../http/request-context.js';
import { endDatesSheet, financeSheets, ownFundsSheet, riskSheet, staffingSheet } from '../../http/views/index.js';
import type { Sheet } from '../../http/export-formats.js';
import { Alert, SheetTable } from '../components.js';
import { formatDate, formatInstant, formatInteger } from '../format.js';
import { PageNotFound, type PageContext } from '../page-context.js';
import { EVENT_TYPE_WORDS, actorWords, eventInWords, eventTypeWords } from '../words.js';

type Page = (handler: (c: Context<AppEnv>, p: PageContext) => Response | Promise<Response>) => (c: Context<AppEnv>) => Promise<Response>;

const PAGE_SIZE = 50;

const VIEWS = {
  'continuation-risk': 'Verstetigungsrisiko',
  'own-funds': 'Eigenmittel (Kostenklippe)',
  'end-dates': 'Förderenden',
  staffing: 'Stellenbesetzung',
  finance: 'Zuwendungen',
} as const;
type ViewName = keyof typeof VIEWS;

function streamScopeOf(p: PageContext): ReadAllOptions['streamScope'] {
  const list = p.session.municipalities;
  return list === '*' ? undefined : { field: 'municipality', values: list };
}

/** The UTC instant at which a Berlin calendar day (plus a time) begins. */
function berlinInstant(date: string, time = '00:00'): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: BUSINESS_ZONE }).toUTC().toISO()!;
}

interface FieldError {
  field: string;
  message: string;
}

function ErrorSummary({ errors }: { errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <Alert kind="danger" title="Bitte die Eingaben prüfen" id="fehler">
      <ul class="kern-list">
        {errors.map((e) => (
          <li>
            <a class="kern-link" href={`#${e.field}`}>
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** A labelled input with hint and error text tied by aria-describedby (KERN's form pattern). */
function Field(props: { id: string; label: string; hint?: string; error?: FieldError | undefined; children: (describedBy: string | undefined) => Child }) {
  const ids = [props.hint ? `${props.id}-hinweis` : null, props.error ? `${props.id}-fehler` : null].filter(Boolean).join(' ');
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hinweis`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p class="kern-error" id={`${props.id}-fehler`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
          <span class="kern-body">{props.error.message}</span>
        </p>
      ) : null}
      {props.children(ids || undefined)}
    </div>
  );
}

const inputClass = (error: FieldError | undefined) => `kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`;

function EventTable({ events, caption }: { events: StoredEvent[]; caption: string }) {
  return (
    <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-label={caption}>
      <table class="kern-table kern-table--small" data-testid="protokoll">
        <caption class="kern-title kern-title--small">{caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header kern-table__header--numeric">Position</th>
            <th scope="col" class="kern-table__header">Erfasst am</th>
            <th scope="col" class="kern-table__header">Datensatz</th>
            <th scope="col" class="kern-table__header">Art</th>
            <th scope="col" class="kern-table__header">Inhalt</th>
            <th scope="col" class="kern-table__header">Von wem</th>
            <th scope="col" class="kern-table__header">Anfrage</th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {events.map((e) => (
            <tr class="kern-table__row">
              <th scope="row" class="kern-table__cell kern-table__cell--numeric">
                {e.globalPosition}
              </th>
              <td class="kern-table__cell">{formatInstant(e.recordedAt)}</td>
              <td class="kern-table__cell">
                <a class="kern-link" href={`/pruefung/stream/${encodeURIComponent(e.streamId)}`}>
                  {e.streamId}
                </a>{' '}
                (Version {e.streamVersion})
              </td>
              <td class="kern-table__cell">{eventTypeWords(e.type)}</td>
              <td class="kern-table__cell">{eventInWords(e)}</td>
              <td class="kern-table__cell">{actorWords(e)}</td>
              <td class="kern-table__cell">{String(e.metadata.requestId ?? '–')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Registers the audit pages on `app`. */
export function AuditRoutes(app: Hono<AppEnv>, page: Page): void {
  app.get(
    '/pruefung',
    page(async (c, p) => {
      const q = { datensatz: c.req.query('datensatz') ?? '', typ: c.req.query('typ') ?? '', von: c.req.query('von') ?? '', bis: c.req.query('bis') ?? '', ab: c.req.query('ab') ?? '' };
      const errors: FieldError[] = [];
      if (q.datensatz !== '') {
        try {
          assertStreamId(q.datensatz);
        } catch {
          errors.push({ field: 'datensatz', message: 'Datensatz: eine Kennung wie grant-… oder position-… eingeben.' });
        }
      }
      if (q.typ !== '' && !(q.typ in EVENT_TYPE_WORDS)) errors.push({ field: 'typ', message: 'Art: bitte aus der Liste wählen.' });
      for (const [field, label] of [['von', 'Von'], ['bis', 'Bis']] as const) {
        if (q[field] !== '' && !businessDate.safeParse(q[field]).success) errors.push({ field, message: `${label}: bitte ein gültiges Datum eingeben.` });
      }
      const after = /^\d{1,15}$/.test(q.ab) ? Number(q.ab) : 0;
      let events: StoredEvent[] = [];
      let next: number | null = null;
      if (errors.length === 0) {
        const scope = streamScopeOf(p);
        const from = q.von ? berlinInstant(q.von) : undefined;
        const upTo = q.bis ? new Date(new Date(berlinInstant(q.bis)).getTime() + 86_400_000 - 1).toISOString() : undefined;
        const matches = (e: StoredEvent) => (!q.typ || e.type === q.typ) && (!from || e.recordedAt >= from) && (!upTo || e.recordedAt <= upTo) && e.globalPosition > after;
        if (q.datensatz) {
          const stream = await p.deps.store.readStream(q.datensatz);
          const first = stream[0];
          const visible = !scope || !first || first.data.municipality === undefined || scope.values.includes(String(first.data.municipality));
          events = visible ? stream.filter(matches) : [];
        } else {
          // The log is read in batches until a page is full: filters by type and period scan it.
          outer: for await (const batch of p.deps.store.iterateAll({ after, batchSize: 500, ...(scope ? { streamScope: scope } : {}), ...(upTo ? { recordedUpTo: upTo } : {}) })) {
            for (const e of batch) {
              if (!matches(e)) continue;
              events.push(e);
              if (events.length > PAGE_SIZE) break outer;
            }
          }
        }
        if (events.length > PAGE_SIZE) {
          events = events.slice(0, PAGE_SIZE);
          next = events.at(-1)!.globalPosition;
        }
      }
      const nextQuery = next !== null ? new URLSearchParams({ ...q, ab: String(next) }).toString() : undefined;
      return p.render(
        'Protokoll',
        <>
          <h1 class="kern-heading-large">Protokoll</h1>
          <ErrorSummary errors={errors} />
          <form method="get" action="/pruefung" class="vst-filters" aria-label="Protokoll filtern">
            <Field id="datensatz" label="Datensatz" hint="z. B. grant-… oder position-…" error={errors.find((e) => e.field === 'datensatz')}>
              {(d) => <input class={inputClass(errors.find((e) => e.field === 'datensatz'))} id="datensatz" name="datensatz" value={q.datensatz} aria-describedby={d} />}
            </Field>
            <Field id="typ" label="Art" error={errors.find((e) => e.field === 'typ')}>
              {(d) => (
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="typ" name="typ" aria-describedby={d}>
                    <option value="">alle Arten</option>
                    {Object.entries(EVENT_TYPE_WORDS).map(([type, words]) => (
                      <option value={type} selected={q.typ === type}>
                        {words}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </Field>
            <Field id="von" label="Erfasst von" error={errors.find((e) => e.field === 'von')}>
              {(d) => <input class={inputClass(errors.find((e) => e.field === 'von'))} type="date" id="von" name="von" value={q.von} aria-describedby={d} />}
            </Field>
            <Field id="bis" label="Erfasst bis" error={errors.find((e) => e.field === 'bis')}>
              {(d) => <input class={inputClass(errors.find((e) => e.field === 'bis'))} type="date" id="bis" name="bis" value={q.bis} aria-describedby={d} />}
            </Field>
            <button type="submit" class="kern-btn kern-btn--secondary">
              <span class="kern-label">Filtern</span>
            </button>
          </form>
          {errors.length > 0 ? null : events.length === 0 ? (
            <p class="kern-body">Keine Einträge zu diesen Filtern.</p>
          ) : (
            <EventTable events={events} caption={`Einträge ab Position ${events[0]!.globalPosition}`} />
          )}
          {nextQuery ? (
            <p class="kern-body">
              <a class="kern-link" href={`/pruefung?${nextQuery}`}>
                Weitere Einträge
              </a>
            </p>
          ) : null}
        </>,
        { status: errors.length > 0 ? 400 : 200 },
      );
    }),
  );

  app.get(
    '/pruefung/stream/:streamId',
    page(async (c, p) => {
      const streamId = c.req.param('streamId');
      try {
        assertStreamId(streamId);
      } catch {
        throw new PageNotFound(`Der Datensatz ${streamId} ist nicht erfasst.`);
      }
      const events = await p.deps.store.readStream(streamId);
      const scope = streamScopeOf(p);
      const first = events[0];
      if (!first || (scope && first.data.municipality !== undefined && !scope.values.includes(String(first.data.municipality)))) {
        throw new PageNotFound(`Der Datensatz ${streamId} ist nicht erfasst.`);
      }
      return p.render(
        `Datensatz ${streamId}`,
        <>
          <h1 class="kern-heading-large">Datensatz {streamId}</h1>
          <p class="kern-body">
            {events.length} Einträge, Version {events.at(-1)!.streamVersion}.
          </p>
          <EventTable events={events} caption="Alle Einträge des Datensatzes" />
          <h2 class="kern-heading-medium">Hashes</h2>
          <ul class="kern-list">
            {events.map((e) => (
              <li>
                Version {e.streamVersion}: <code>{e.hash}</code>
              </li>
            ))}
          </ul>
        </>,
      );
    }),
  );

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

  app.get(
    '/pruefung/wie-bekannt',
    page(async (c, p) => {
      const q = { datum: c.req.query('datum') ?? '', uhrzeit: c.req.query('uhrzeit') ?? '12:00', ansicht: c.req.query('ansicht') ?? 'continuation-risk', stand: c.req.query('stand') ?? '' };
      const submitted = c.req.query('datum') !== undefined;
      const errors: FieldError[] = [];
      if (submitted) {
        if (!businessDate.safeParse(q.datum).success) errors.push({ field: 'datum', message: 'Bekannt am: bitte ein gültiges Datum eingeben.' });
        if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(q.uhrzeit)) errors.push({ field: 'uhrzeit', message: 'Uhrzeit: bitte als SS:MM eingeben, z. B. 12:00.' });
        if (!(q.ansicht in VIEWS)) errors.push({ field: 'ansicht', message: 'Ansicht: bitte aus der Liste wählen.' });
        if (q.stand !== '' && !businessDate.safeParse(q.stand).success) errors.push({ field: 'stand', message: 'Stichtag: bitte ein gültiges Datum eingeben.' });
      }
      let result: { sheet: Sheet<any>; knownAt: string; asOf: string } | undefined;
      if (submitted && errors.length === 0) {
        const knownAt = berlinInstant(q.datum, q.uhrzeit);
        const asOf = q.stand || q.datum;
        const view = q.ansicht as ViewName;
        const scope = { municipalities: p.session.municipalities };
        const year = Number(asOf.slice(0, 4));
        const sheet = await replayAsOf<Sheet<any>>({
          db: p.deps.db,
          store: p.deps.store,
          readerFor: (trx) => new PostgresEventStore(trx),
          knownAt,
          run: async (trx) => {
            switch (view) {
              case 'staffing':
                return staffingSheet(await queryStaffing(trx, { asOf, ...scope }));
              case 'end-dates':
                return endDatesSheet(await queryEndDates(trx, { asOf, ...scope }));
              case 'continuation-risk':
                return riskSheet(await queryContinuationRisk(trx, { asOf, ...scope, thresholds: p.deps.thresholds }));
              case 'own-funds':
                return ownFundsSheet(await queryOwnFunds(trx, { fromYear: year, toYear: year + 4, ...scope }));
              case 'finance':
                return financeSheets(await queryGrantFinance(trx, { asOf, ...scope }))[0];
            }
          },
        });
        result = { sheet, knownAt, asOf };
      }
      const err = (f: string) => errors.find((e) => e.field === f);
      return p.render(
        'Ansicht wie bekannt am …',
        <>
          <h1 class="kern-heading-large">Ansicht wie bekannt am …</h1>
          <p class="kern-body">
            Zeigt eine Auswertung so, wie verstetigt sie zu einem früheren Zeitpunkt gezeigt hat: nur was bis dahin erfasst war, gerechnet für einen
            Stichtag.
          </p>
          <ErrorSummary errors={errors} />
          <form method="get" action="/pruefung/wie-bekannt" class="vst-filters">
            <Field id="datum" label="Bekannt am" hint="Datum des Zeitpunkts" error={err('datum')}>
              {(d) => <input class={inputClass(err('datum'))} type="date" id="datum" name="datum" value={q.datum} aria-describedby={d} required />}
            </Field>
            <Field id="uhrzeit" label="Uhrzeit" hint="deutsche Zeit, SS:MM" error={err('uhrzeit')}>
              {(d) => <input class={inputClass(err('uhrzeit'))} type="time" id="uhrzeit" name="uhrzeit" value={q.uhrzeit} aria-describedby={d} />}
            </Field>
            <Field id="ansicht" label="Ansicht" error={err('ansicht')}>
              {(d) => (
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="ansicht" name="ansicht" aria-describedby={d}>
                    {Object.entries(VIEWS).map(([value, label]) => (
                      <option value={value} selected={q.ansicht === value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </Field>
            <Field id="stand" label="Stichtag" hint="leer: der Tag des Zeitpunkts" error={err('stand')}>
              {(d) => <input class={inputClass(err('stand'))} type="date" id="stand" name="stand" value={q.stand} aria-describedby={d} />}
            </Field>
            <button type="submit" class="kern-btn kern-btn--primary">
              <span class="kern-label">Anzeigen</span>
            </button>
          </form>
          {result ? (
            <>
              <Alert kind="info" title={`So angezeigt am ${formatInstant(result.knownAt)}`}>
                <p class="kern-body">
                  {VIEWS[q.ansicht as ViewName]}, Stichtag {formatDate(result.asOf)}. Später erfasste Einträge sind nicht berücksichtigt.
                </p>
              </Alert>
              <SheetTable sheet={result.sheet} caption={`${VIEWS[q.ansicht as ViewName]} wie bekannt am ${formatInstant(result.knownAt)}`} empty="Zu diesem Zeitpunkt war dazu noch nichts erfasst." />
            </>
          ) : null}
        </>,
        { status: errors.length > 0 ? 400 : 200 },
      );
    }),
  );
}
