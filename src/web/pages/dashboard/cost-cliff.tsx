// The cost cliff: own funds per budget year, stacked by programme (SVG rendered on the server),
// with the same numbers in a table below it (caption, scoped headers, totals row) and downloads.
import { CostCliffFigure, cliffSummary } from '../../charts.js';
import { Downloads } from '../../components.js';
import { formatEuro } from '../../format.js';
import { programmeShortName } from '../../words.js';
import type { DashboardData } from './load.js';

/** The Kostenklippe section. */
export function CostCliffSection({ data, viewQuery }: { data: DashboardData; viewQuery: string }) {
  const { years } = data;
  const summary = cliffSummary(years, data.totals);
  const sumRow = (key: 'ownShareCents' | 'continuationCents' | 'total') =>
    data.cliff.reduce((s, r) => s + (key === 'total' ? r.ownShareCents + r.continuationCents : r[key]), 0);
  return (
    <section class="vst-section" aria-labelledby="kostenklippe">
      <h2 class="kern-heading-medium" id="kostenklippe">
        Kostenklippe: Eigenmittel je Haushaltsjahr
      </h2>
      <p class="kern-body">{summary}</p>
      <CostCliffFigure svg={data.cliffSvg} />
      {data.cliff.length === 0 ? (
        <p class="kern-body">Keine Eigenmittel in den Jahren {years[0]} bis {years.at(-1)}.</p>
      ) : (
        <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-labelledby="kostenklippe-titel">
          <table class="kern-table kern-table--small" data-testid="kostenklippe">
            <caption class="kern-title kern-title--small" id="kostenklippe-titel">
              Eigenmittel je Haushaltsjahr und Programm, {years[0]}–{years.at(-1)}
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Haushaltsjahr</th>
                <th scope="col" class="kern-table__header">Programm</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Eigenanteil während der Förderung</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Weiterführung aus Eigenmitteln</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Summe</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {data.cliff.map((r) => (
                <tr class="kern-table__row" data-year={r.year} data-programme={r.programme}>
                  <th scope="row" class="kern-table__cell">
                    {r.year}
                  </th>
                  <td class="kern-table__cell">{programmeShortName(r.programme)}</td>
                  <td class="kern-table__cell kern-table__cell--numeric" data-cents={r.ownShareCents}>
                    {formatEuro(r.ownShareCents)}
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric" data-cents={r.continuationCents}>
                    {formatEuro(r.continuationCents)}
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric" data-cents={r.ownShareCents + r.continuationCents}>
                    {formatEuro(r.ownShareCents + r.continuationCents)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr class="kern-table__row vst-sum">
                <th scope="row" colspan={2} class="kern-table__cell">
                  Summe {years[0]}–{years.at(-1)}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">{formatEuro(sumRow('ownShareCents'))}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{formatEuro(sumRow('continuationCents'))}</td>
                <td class="kern-table__cell kern-table__cell--numeric">{formatEuro(sumRow('total'))}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <Downloads href={`/tabellen/kostenklippe?${viewQuery}`} label="Kostenklippe" />
    </section>

  );
}
