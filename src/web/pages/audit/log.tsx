// The event log with filters (record, type, period) and paging, and one record's stream with
// its hashes. A person limited to some municipalities sees their streams and the shared ones.
import type { Hono } from 'hono';
import { businessDate } from '../../../../schemas/index.js';
import { assertStreamId, type StoredEvent } from '../../../eventstore/index.js';
import type { AppEnv } from '../../../http/request-context.js';
import { PageNotFound } from '../../page-context.js';
import { EVENT_TYPE_WORDS } from '../../words.js';
import { EventTable } from './event-table.js';
import { ErrorSummary, Field, berlinInstant, inputClass, streamScopeOf, type FieldError, type Page } from './shared.js';

const PAGE_SIZE = 50;

/** Registers /pruefung (the log with filters and paging) and /pruefung/stream/{id}. */
export function logRoutes(app: Hono<AppEnv>, page: Page): void {
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
}
