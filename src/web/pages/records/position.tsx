// The position page (/stellen/{id}): facts, staffing history, decisions and revocations, own
// funds per budget year, and the Verlauf.
import { Alert, Facts, RiskBadge } from '../../components.js';
import { formatDate, formatDecimal, formatEuro } from '../../format.js';
import { DECIDED_BY_WORDS, DECISION_WORDS, POSITION_ROLE_WORDS, municipalityName, programmeName } from '../../words.js';
import { History } from './history.js';
import type { PositionPageData } from './load.js';

/** /stellen/{id} */
export function PositionView({ data, showHistory }: { data: PositionPageData; showHistory: boolean }) {
  const { state: s, risk } = data;
  return (
    <>
      <h1 class="kern-heading-large">{s.title}</h1>
      <p class="kern-body">
        {municipalityName(s.municipality)} · {programmeName(s.programme)}
      </p>
      {s.abolishedOn ? <Alert kind="info" title={`Gestrichen zum ${formatDate(s.abolishedOn)}`} /> : null}
      <Facts
        items={[
          ['Programm', programmeName(s.programme)],
          [
            'Zuwendung',
            <a class="kern-link" href={`/zuwendungen/${s.grantId}`}>
              Zur Zuwendung
            </a>,
          ],
          ['Funktion', POSITION_ROLE_WORDS[s.role] ?? s.role],
          ['Vollzeitäquivalente (VZÄ)', formatDecimal(s.fte)],
          ['Entgeltgruppe', s.payGrade],
          ['Jahreskosten einer Vollzeitstelle', formatEuro(s.annualCostCents)],
          ['Eingerichtet am', formatDate(s.establishedOn)],
          ['Förderung endet', risk?.fundingEndsOn ? formatDate(risk.fundingEndsOn) : 'unbekannt'],
          ['Haushaltsfrist', risk?.budgetDeadline ? formatDate(risk.budgetDeadline) : '–'],
          [
            'Entscheidung',
            s.continuation
              ? `${DECISION_WORDS[s.continuation.decision]} ab ${formatDate(s.continuation.effectiveFrom)}${s.continuation.resolutionRef ? ` (Beschluss ${s.continuation.resolutionRef})` : ' (ohne Ratsbeschluss)'}`
              : 'keine',
          ],
          [
            `Risiko am ${formatDate(data.asOf)}`,
            risk ? (
              <>
                <RiskBadge risk={risk.risk} /> {risk.reason}
              </>
            ) : (
              '–'
            ),
          ],
        ]}
      />

      <section class="vst-section" aria-labelledby="besetzung">
        <h2 class="kern-heading-medium" id="besetzung">
          Besetzung
        </h2>
        {s.staffings.length === 0 ? (
          <p class="kern-body">Die Stelle war noch nicht besetzt.</p>
        ) : (
          <table class="kern-table kern-table--small">
            <caption class="kern-title kern-title--small">Personen auf der Stelle (pseudonym)</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Person</th>
                <th scope="col" class="kern-table__header">Von</th>
                <th scope="col" class="kern-table__header">Vertrag bis</th>
                <th scope="col" class="kern-table__header">Ausgeschieden</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">VZÄ</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {s.staffings.map((st) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {st.personRef}
                  </th>
                  <td class="kern-table__cell">{formatDate(st.startsOn)}</td>
                  <td class="kern-table__cell">{st.endsOn ? formatDate(st.endsOn) : 'unbefristet'}</td>
                  <td class="kern-table__cell">{st.vacatedOn ? `${formatDate(st.vacatedOn)} (${st.vacatedReason ?? ''})` : '–'}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{formatDecimal(st.fte)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="vst-section" aria-labelledby="entscheidungen">
        <h2 class="kern-heading-medium" id="entscheidungen">
          Entscheidungen über die Weiterführung
        </h2>
        {s.decisionHistory.length === 0 ? (
          <p class="kern-body">Noch keine Entscheidung.</p>
        ) : (
          <table class="kern-table kern-table--small">
            <caption class="kern-title kern-title--small">Entscheidungen und Aufhebungen</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Entscheidung</th>
                <th scope="col" class="kern-table__header">Ab</th>
                <th scope="col" class="kern-table__header">Beschluss</th>
                <th scope="col" class="kern-table__header">Entschieden</th>
                <th scope="col" class="kern-table__header">Aufgehoben</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {s.decisionHistory.map((d) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {DECISION_WORDS[d.decision]}
                    {d.decision === 'partial' ? ` (${formatDecimal(d.ownFundsSharePercent)} %)` : ''}
                  </th>
                  <td class="kern-table__cell">{formatDate(d.effectiveFrom)}</td>
                  <td class="kern-table__cell">{d.resolutionRef ?? 'kein Ratsbeschluss'}</td>
                  <td class="kern-table__cell">
                    {formatDate(d.decidedOn)}, {DECIDED_BY_WORDS[d.decidedBy] ?? d.decidedBy}
                  </td>
                  <td class="kern-table__cell">{d.revokedOn ? `${formatDate(d.revokedOn)} (${d.revokeReason ?? ''})` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="vst-section" aria-labelledby="eigenmittel">
        <h2 class="kern-heading-medium" id="eigenmittel">
          Eigenmittel für diese Stelle
        </h2>
        <table class="kern-table kern-table--small">
          <caption class="kern-title kern-title--small">Weiterführung aus Eigenmitteln je Haushaltsjahr</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">Haushaltsjahr</th>
              <th scope="col" class="kern-table__header kern-table__header--numeric">Eigenmittel</th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {data.ownFundsByYear.map((r) => (
              <tr class="kern-table__row">
                <th scope="row" class="kern-table__cell">
                  {r.year}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">{formatEuro(r.cents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <History events={data.history} show={showHistory} />
    </>
  );
}
