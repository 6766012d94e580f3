// Übersicht (/): the Landrat's question — which posts do we lose, and what does keeping them
// cost? Cards, the Handlungsbedarf table, the cost cliff (chart and table), the what-if panel and
// the timeline, from the data loadDashboard reads.
import { Timeline } from '../../charts.js';
import { Alert } from '../../components.js';
import { formatDate } from '../../format.js';
import { municipalityName } from '../../words.js';
import { CostCliffSection } from './cost-cliff.js';
import type { DashboardData } from './load.js';
import { AllPositionsSection, UrgentSection } from './risk-tables.js';
import { ScopeForm, type DashboardFieldError } from './scope-form.js';
import { SummaryCards } from './summary-cards.js';
import { WhatIfSection } from './what-if.js';

export interface DashboardViewProps {
  data: DashboardData;
  /** The municipalities offered in the switcher (AGS), or none when the person sees only one. */
  switcher: string[] | undefined;
  /** "Alle Kommunen" or "Alle meine Kommunen" for the empty choice. */
  allLabel: string;
  /** The query string of the current view (kommune, stand) for download links. */
  viewQuery: string;
  /** An invalid input the person gave: shown beside the field and in a summary. */
  fieldError: DashboardFieldError | undefined;
  enteredStand: string;
}

/** The dashboard's main content (inside the Layout). */
export function DashboardView({ data, switcher, allLabel, viewQuery, fieldError, enteredStand }: DashboardViewProps) {
  const { query, years } = data;
  const scope = query.municipality ? municipalityName(query.municipality) : allLabel;
  return (
    <>
      <h1 class="kern-heading-large">Übersicht: {scope}</h1>
      {fieldError ? (
        <Alert kind="danger" title="Bitte die Eingabe prüfen" id="fehler">
          <ul class="kern-list">
            <li>
              <a class="kern-link" href={`#${fieldError.field}`}>
                {fieldError.message}
              </a>
            </li>
          </ul>
        </Alert>
      ) : null}
      <p class="kern-body">
        <strong>Stand: {formatDate(query.asOf)}</strong>
      </p>
      {/* The answer first: the summary before the choice of municipality and Stand. */}
      <SummaryCards data={data} />

      <ScopeForm query={query} switcher={switcher} allLabel={allLabel} fieldError={fieldError} enteredStand={enteredStand} />

      <UrgentSection data={data} viewQuery={viewQuery} />

      <AllPositionsSection data={data} viewQuery={viewQuery} />

      <CostCliffSection data={data} viewQuery={viewQuery} />

      <WhatIfSection data={data} />

      <section class="vst-section" aria-labelledby="zeitleiste">
        <h2 class="kern-heading-medium" id="zeitleiste">
          Zeitleiste
        </h2>
        {data.timeline.length === 0 ? (
          <p class="kern-body">Keine Stelle im Zeitraum.</p>
        ) : (
          <Timeline rows={data.timeline} fromYear={years[0]!} toYear={years.at(-1)!} today={query.asOf} />
        )}
      </section>
    </>
  );
}
