// Was wäre, wenn: tick positions without a decision and a share, see the own funds with the
// scenario. A GET form, so a scenario is a link; nothing is recorded.
import { formatDate, formatEuro } from '../../format.js';
import { municipalityName } from '../../words.js';
import type { DashboardData } from './load.js';

/** The what-if section: the form and, once submitted, the table with and without the scenario. */
export function WhatIfSection({ data }: { data: DashboardData }) {
  const { query, urgent, years } = data;
  const open = urgent.filter((r) => r.decision === null && r.abolishedOn === null);
  return (
    <section class={`vst-section${data.scenarioTotals ? '' : ' vst-no-print'}`} aria-labelledby="was-waere-wenn">
      <h2 class="kern-heading-medium" id="was-waere-wenn">
        Was wäre, wenn …
      </h2>
      <p class="kern-body vst-no-print">
        Stellen ohne Entscheidung ankreuzen und einen Eigenmittelanteil wählen: die Kostenklippe zeigt dann zusätzlich die Summe mit Szenario. Nichts
        wird gespeichert; der Link zur Seite hält das Szenario fest.
      </p>
      {open.length === 0 ? (
        <p class="kern-body vst-no-print">Keine Stelle ohne Entscheidung im Zeitraum.</p>
      ) : (
        <form method="get" action="/#kostenklippe" class="vst-no-print">
          {query.municipality ? <input type="hidden" name="kommune" value={query.municipality} /> : null}
          <input type="hidden" name="stand" value={query.asOf} />
          <fieldset class="kern-fieldset">
            <legend class="kern-label">Stellen, die weitergeführt würden</legend>
            <div class="kern-fieldset__body vst-checks">
              {open.map((r) => (
                <div class="kern-form-check">
                  <input
                    class="kern-form-check__checkbox"
                    type="checkbox"
                    id={`stelle-${r.positionId}`}
                    name="stelle"
                    value={r.positionId}
                    checked={query.scenarioIds.includes(r.positionId)}
                  />
                  <label class="kern-label" for={`stelle-${r.positionId}`}>
                    {r.title} ({municipalityName(r.municipality)}, Förderende {formatDate(r.fundingEndsOn)})
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <fieldset class="kern-fieldset">
            <legend class="kern-label">Eigenmittelanteil der Weiterführung</legend>
            <div class="kern-fieldset__body kern-fieldset__body--horizontal">
              {[0, 50, 100].map((share) => (
                <div class="kern-form-check">
                  <input class="kern-form-check__radio" type="radio" id={`anteil-${share}`} name="anteil" value={String(share)} checked={query.sharePercent === share} />
                  <label class="kern-label" for={`anteil-${share}`}>
                    {share} %
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <button type="submit" class="kern-btn kern-btn--primary">
            <span class="kern-label">Szenario berechnen</span>
          </button>
        </form>
      )}
      {data.scenarioTotals ? (
        <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-labelledby="szenario-titel">
          <table class="kern-table kern-table--small" data-testid="szenario">
            <caption class="kern-title kern-title--small" id="szenario-titel">
              Szenario: {query.scenarioIds.length} {query.scenarioIds.length === 1 ? 'Stelle' : 'Stellen'} zu {query.sharePercent} % aus Eigenmitteln
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Haushaltsjahr</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Eigenmittel ohne Szenario</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Eigenmittel mit Szenario</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {years.map((y, i) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {y}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">{formatEuro(data.totals[i]!)}</td>
                  <td class="kern-table__cell kern-table__cell--numeric" data-cents={data.scenarioTotals![i]}>
                    {formatEuro(data.scenarioTotals![i]!)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>

  );
}
