// The grant page (/zuwendungen/{id}): facts, money (awarded, drawn, available), drawdowns with
// their spending window, proofs of use, amendments, positions on the grant, and the Verlauf.
import { Facts, RiskBadge } from '../../components.js';
import { formatDate, formatDecimal, formatEuro } from '../../format.js';
import { FINANCING_WORDS, eventInWords, municipalityName, programmeName } from '../../words.js';
import { History } from './history.js';
import type { GrantPageData } from './load.js';

const PROOF_STATUS_WORDS: Record<string, string> = {
  offen: 'offen',
  'zwischennachweis-eingereicht': 'Zwischennachweis eingereicht',
  'zwischennachweis-überfällig': 'Zwischennachweis überfällig',
  'verwendungsnachweis-eingereicht': 'Verwendungsnachweis eingereicht',
  'verwendungsnachweis-überfällig': 'Verwendungsnachweis überfällig',
};

/** /zuwendungen/{id} */
export function GrantView({ data, showHistory }: { data: GrantPageData; showHistory: boolean }) {
  const { state: g, finance: f } = data;
  return (
    <>
      <h1 class="kern-heading-large">Zuwendung {g.reference}</h1>
      <p class="kern-body">
        {municipalityName(g.municipality)} · {programmeName(g.programme)}
      </p>
      <Facts
        items={[
          ['Förderkennzeichen', g.reference],
          ['Programm', programmeName(g.programme)],
          ['Bewilligt am', formatDate(g.awardedOn)],
          ['Bewilligungszeitraum', `${formatDate(g.periodStart)} bis ${formatDate(g.periodEnd)}${g.periodEnd !== g.originalPeriodEnd ? ` (ursprünglich bis ${formatDate(g.originalPeriodEnd)})` : ''}`],
          ['Finanzierungsart', FINANCING_WORDS[g.financingType] ?? g.financingType],
          ['Fördersatz', `${formatDecimal(g.fundingRatePercent)} %`],
          ['Eigenanteil', formatEuro(g.ownShareCents)],
          ['Status', g.status === 'closed' ? `abgeschlossen am ${formatDate(g.closedOn)}` : 'offen'],
        ]}
      />
      <section class="vst-section" aria-labelledby="geld">
        <h2 class="kern-heading-medium" id="geld">
          Mittel
        </h2>
        <Facts
          items={[
            ['Bewilligt', formatEuro(g.amountCents)],
            ['Abgerufen', formatEuro(g.drawnCents)],
            ['Verfügbar', formatEuro(g.remainingCents)],
          ]}
        />
        <label class="kern-label" for="abruf-fortschritt">
          Abgerufen: {g.amountCents > 0 ? Math.round((g.drawnCents / g.amountCents) * 100) : 0} % der bewilligten Mittel
        </label>
        <progress class="kern-progress" id="abruf-fortschritt" max={g.amountCents} value={g.drawnCents}>
          {g.amountCents > 0 ? Math.round((g.drawnCents / g.amountCents) * 100) : 0} %
        </progress>
      </section>
      <section class="vst-section" aria-labelledby="abrufe">
        <h2 class="kern-heading-medium" id="abrufe">
          Mittelabrufe
        </h2>
        {!f || f.drawdowns.length === 0 ? (
          <p class="kern-body">Noch kein Mittelabruf erfasst.</p>
        ) : (
          <table class="kern-table kern-table--small">
            <caption class="kern-title kern-title--small">Mittelabrufe und Verwendungsfristen</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Abgerufen am</th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">Betrag</th>
                <th scope="col" class="kern-table__header">Zu verwenden bis</th>
                <th scope="col" class="kern-table__header">Frist</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {f.drawdowns.map((d) => (
                <tr class="kern-table__row">
                  <th scope="row" class="kern-table__cell">
                    {formatDate(d.drawnOn)}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">{formatEuro(d.amountCents)}</td>
                  <td class="kern-table__cell">{formatDate(d.spendBy)}</td>
                  <td class="kern-table__cell">
                    {d.beyondWindow ? (
                      <span class="kern-badge kern-badge--warning">
                        <span class="kern-label">über die Frist gehalten</span>
                      </span>
                    ) : (
                      'eingehalten'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="vst-section" aria-labelledby="nachweise">
        <h2 class="kern-heading-medium" id="nachweise">
          Verwendungsnachweise
        </h2>
        {f ? (
          <Facts
            items={[
              ['Status', PROOF_STATUS_WORDS[f.proofOfUseStatus] ?? f.proofOfUseStatus],
              ['Zwischennachweise fällig', f.interimProofsDueOn.length > 0 ? f.interimProofsDueOn.map(formatDate).join(', ') : 'keine'],
              ['Verwendungsnachweis fällig', formatDate(f.finalProofDueOn)],
              ['Nächster Nachweis fällig', f.nextProofDueOn ? formatDate(f.nextProofDueOn) : 'keiner'],
              ['Eingereicht', f.proofs.length > 0 ? f.proofs.map((pr) => `${pr.kind === 'final' ? 'Verwendungsnachweis' : 'Zwischennachweis'} am ${formatDate(pr.submittedOn)}`).join('; ') : 'noch keiner'],
            ]}
          />
        ) : (
          <p class="kern-body">Die Auswertung ist noch nicht aktualisiert.</p>
        )}
      </section>
      <section class="vst-section" aria-labelledby="aenderungen">
        <h2 class="kern-heading-medium" id="aenderungen">
          Änderungsbescheide
        </h2>
        {g.amendments.length === 0 ? (
          <p class="kern-body">Keine Änderungsbescheide.</p>
        ) : (
          <ul class="kern-list">
            {g.amendments.map((a) => (
              <li>{eventInWords({ type: 'GrantAmended', data: a as unknown as Record<string, unknown> })}</li>
            ))}
          </ul>
        )}
      </section>
      <section class="vst-section" aria-labelledby="stellen">
        <h2 class="kern-heading-medium" id="stellen">
          Stellen aus dieser Zuwendung
        </h2>
        {data.positions.length === 0 ? (
          <p class="kern-body">Keine Stelle aus dieser Zuwendung.</p>
        ) : (
          <ul class="kern-list">
            {data.positions.map((r) => (
              <li>
                <a class="kern-link" href={`/stellen/${r.positionId}`}>
                  {r.title}
                </a>{' '}
                <RiskBadge risk={r.risk} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <History events={data.history} show={showHistory} />
    </>
  );
}
