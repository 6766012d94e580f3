// The dashboard's position tables: Handlungsbedarf (funding ends within 24 months, most urgent
// first) and all positions (folded away), each row with risk level in words, reason, decision
// and budget deadline, linked to the position's page.
import type { ContinuationRiskItem } from '../../../../projections/index.js';
import { Downloads, RiskBadge } from '../../components.js';
import { formatDate, spanInWords } from '../../format.js';
import { DECISION_WORDS, municipalityName, programmeShortName } from '../../words.js';
import { URGENT_MONTHS, type DashboardData } from './load.js';

function decisionCell(r: ContinuationRiskItem) {
  if (!r.decision) return 'keine';
  const ref = r.decision.resolutionRef ? `Beschluss ${r.decision.resolutionRef}` : 'ohne Ratsbeschluss';
  return `${DECISION_WORDS[r.decision.decision]} ab ${formatDate(r.decision.effectiveFrom)} (${ref})`;
}

/** Positions with risk level, reason, decision and deadline; each row links to the position. */
function RiskTable({ items, caption, id, showMunicipality }: { items: ContinuationRiskItem[]; caption: string; id: string; showMunicipality: boolean }) {
  return (
    <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-labelledby={`${id}-titel`}>
      <table class="kern-table kern-table--small" data-testid={id}>
        <caption class="kern-title kern-title--small" id={`${id}-titel`}>
          {caption}
        </caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header">Stelle</th>
            <th scope="col" class="kern-table__header">Förderung endet</th>
            <th scope="col" class="kern-table__header">Entscheidung</th>
            <th scope="col" class="kern-table__header">Haushaltsfrist</th>
            <th scope="col" class="kern-table__header">Risiko</th>
            <th scope="col" class="kern-table__header">Begründung</th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {items.map((r) => (
            <tr class="kern-table__row" data-position={r.positionId}>
              <th scope="row" class="kern-table__cell">
                <a class="kern-link" href={`/stellen/${r.positionId}`}>
                  {r.title}
                </a>
                <br />
                <span class="kern-body--small">
                  {programmeShortName(r.programme)}
                  {showMunicipality ? ` · ${municipalityName(r.municipality)}` : ''}
                </span>
              </th>
              <td class="kern-table__cell">
                {formatDate(r.fundingEndsOn)}
                {r.daysRemaining !== null ? (
                  <>
                    <br />
                    <span class="kern-body--small">{spanInWords(r.daysRemaining)}</span>
                  </>
                ) : null}
              </td>
              <td class="kern-table__cell">{decisionCell(r)}</td>
              <td class="kern-table__cell">{formatDate(r.budgetDeadline)}</td>
              <td class="kern-table__cell">
                <RiskBadge risk={r.risk} />
              </td>
              <td class="kern-table__cell">{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Handlungsbedarf section: the positions whose funding ends soon, with downloads. */
export function UrgentSection({ data, viewQuery }: { data: DashboardData; viewQuery: string }) {
  const { query, urgent } = data;
  return (
    <section class="vst-section" aria-labelledby="handlungsbedarf">
      <h2 class="kern-heading-medium" id="handlungsbedarf" tabindex={-1}>
        Handlungsbedarf
      </h2>
      <p class="kern-body">Stellen, deren Förderung in den nächsten {URGENT_MONTHS} Monaten endet, die dringendsten zuerst.</p>
      {urgent.length === 0 ? (
        <p class="kern-body">Keine Stelle, deren Förderung in den nächsten {URGENT_MONTHS} Monaten endet. Zuwendungen und Stellen erfasst die Kämmerei.</p>
      ) : (
        <RiskTable items={urgent} caption={`Handlungsbedarf, Stand ${formatDate(query.asOf)}`} id="handlungsbedarf-tabelle" showMunicipality={!query.municipality} />
      )}
      <Downloads href={`/tabellen/handlungsbedarf?${viewQuery}`} label="Handlungsbedarf" />
    </section>

  );
}

/** Every position in scope, folded away behind a summary, with downloads. */
export function AllPositionsSection({ data, viewQuery }: { data: DashboardData; viewQuery: string }) {
  const { query } = data;
  return (
    <section class="vst-section vst-no-print" aria-labelledby="alle-stellen">
      <h2 class="kern-heading-medium" id="alle-stellen">
        Alle Stellen
      </h2>
      {data.all.length === 0 ? (
        <p class="kern-body">Noch keine Stelle erfasst. Zuwendungen und Stellen erfasst die Kämmerei.</p>
      ) : (
        <details class="vst-details">
          <summary class="kern-body">
            Alle {data.all.length} Stellen mit Risiko und Begründung anzeigen
          </summary>
          <RiskTable items={data.all} caption={`Alle Stellen, Stand ${formatDate(query.asOf)}`} id="alle-stellen-tabelle" showMunicipality={!query.municipality} />
        </details>
      )}
      <Downloads href={`/tabellen/alle-stellen?${viewQuery}`} label="Alle Stellen" />
    </section>

  );
}
