// Ansicht wie bekannt am …: a view replayed as the system knew it at an instant, with the same
// projection code as the API's /audit/as-of.
import type { Hono } from 'hono';
import { businessDate } from '../../../../schemas/index.js';
import type { Sheet } from '../../../http/export-formats.js';
import type { AppEnv } from '../../../http/request-context.js';
import { Alert, SheetTable } from '../../components.js';
import { formatDate, formatInstant } from '../../format.js';
import { ErrorSummary, Field, berlinInstant, inputClass, type FieldError, type Page } from './shared.js';

const VIEWS = {
  'continuation-risk': 'Verstetigungsrisiko',
  'own-funds': 'Eigenmittel (Kostenklippe)',
  'end-dates': 'Förderenden',
  staffing: 'Stellenbesetzung',
  finance: 'Zuwendungen',
} as const;
type ViewName = keyof typeof VIEWS;

/** Registers /pruefung/wie-bekannt. */
export function asOfRoutes(app: Hono<AppEnv>, page: Page): void {
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
        const year = Number(asOf.slice(0, 4));
        const { sheets } = await p.deps.replayAsOf({ view, knownAt, asOf, municipalities: p.session.municipalities, fromYear: year, toYear: year + 4 });
        const sheet = sheets[0]!;
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
