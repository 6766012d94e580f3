// Record pages: a position (/stellen/{id}) and a grant (/zuwendungen/{id}). Facts from the
// record's stream (the same fold as GET /api/v1/positions/{id}) and from the views (risk, finance,
// deadlines), and the Verlauf: every event in German words, recorded by whom, when. A record of
// a municipality the person may not see is "not found", like in the API.
import { z } from 'zod';
import {
  continuationInYear,
  queryContinuationRisk,
  queryGrantFinance,
  type ContinuationRiskItem,
  type GrantFinanceItem,
} from '../../../projections/index.js';
import { hundredths } from '../../../projections/support.js';
import { loadGrant, loadPosition } from '../../commands/index.js';
import type { AwardedGrant } from '../../domain/grant.decider.js';
import type { EstablishedPosition } from '../../domain/position.decider.js';
import type { StoredEvent } from '../../eventstore/index.js';
import { covers } from '../../http/auth/index.js';
import { Alert, Facts, RiskBadge } from '../components.js';
import { formatDate, formatDecimal, formatEuro, formatInstant } from '../format.js';
import { PageNotFound, type PageContext } from '../page-context.js';
import {
  DECIDED_BY_WORDS,
  DECISION_WORDS,
  FINANCING_WORDS,
  POSITION_ROLE_WORDS,
  actorWords,
  eventInWords,
  municipalityName,
  programmeName,
} from '../words.js';

const uuid = z.uuid();

function recordId(id: string, what: string): string {
  const parsed = uuid.safeParse(id.toLowerCase());
  if (!parsed.success) throw new PageNotFound(`${what} ${id} ist nicht erfasst.`);
  return parsed.data;
}

export interface PositionPageData {
  state: EstablishedPosition;
  risk: ContinuationRiskItem | undefined;
  ownFundsByYear: { year: number; cents: number }[];
  history: StoredEvent[];
  asOf: string;
}

/** Loads a position page; PageNotFound for an unknown id or another municipality's position. */
export async function loadPositionPage(p: PageContext, rawId: string): Promise<PositionPageData> {
  const id = recordId(rawId, 'Stelle');
  const { state } = await loadPosition({ store: p.deps.store }, id);
  if (!state.exists || !covers(p.session, state.municipality)) throw new PageNotFound(`Stelle ${id} ist nicht erfasst.`);
  const asOf = p.deps.clock.today();
  const risks = await queryContinuationRisk(p.deps.db, { asOf, municipality: state.municipality, thresholds: p.deps.thresholds });
  const year = Number(asOf.slice(0, 4));
  const c = state.continuation;
  const ownFundsByYear = Array.from({ length: 8 }, (_, i) => year - 2 + i).map((y) => ({
    year: y,
    cents:
      c && c.decision !== 'discontinue'
        ? continuationInYear(
            {
              annualCostCents: state.annualCostCents,
              fteHundredths: hundredths(state.fte),
              shareHundredths: hundredths(c.ownFundsSharePercent),
              effectiveFrom: c.effectiveFrom,
              abolishedOn: state.abolishedOn,
            },
            y,
          )
        : 0,
  }));
  return { state, risk: risks.find((r) => r.positionId === id), ownFundsByYear, history: await p.deps.store.readStream(`position-${id}`), asOf };
}

export interface GrantPageData {
  state: AwardedGrant;
  finance: GrantFinanceItem | undefined;
  positions: ContinuationRiskItem[];
  history: StoredEvent[];
  asOf: string;
}

/** Loads a grant page; PageNotFound for an unknown id or another municipality's grant. */
export async function loadGrantPage(p: PageContext, rawId: string): Promise<GrantPageData> {
  const id = recordId(rawId, 'Zuwendung');
  const { state } = await loadGrant({ store: p.deps.store }, id);
  if (!state.exists || !covers(p.session, state.municipality)) throw new PageNotFound(`Zuwendung ${id} ist nicht erfasst.`);
  const asOf = p.deps.clock.today();
  const finance = (await queryGrantFinance(p.deps.db, { asOf, municipality: state.municipality })).find((g) => g.grantId === id);
  const positions = (await queryContinuationRisk(p.deps.db, { asOf, municipality: state.municipality, thresholds: p.deps.thresholds })).filter(
    (r) => r.grantId === id,
  );
  return { state, finance, positions, history: await p.deps.store.readStream(`grant-${id}`), asOf };
}

/** The Verlauf of a record: what, recorded by whom, when. */
function History({ events, show }: { events: StoredEvent[]; show: boolean }) {
  return (
    <section class="vst-section" aria-labelledby="verlauf">
      <h2 class="kern-heading-medium" id="verlauf">
        Verlauf
      </h2>
      {!show ? (
        <p class="kern-body">Den Verlauf mit den einzelnen Einträgen sehen Kämmerei, Prüfung und Administration.</p>
      ) : (
        <div class="kern-table-responsive vst-table-wrap" tabindex={0} role="region" aria-labelledby="verlauf-titel">
          <table class="kern-table kern-table--small" data-testid="verlauf">
            <caption class="kern-title kern-title--small" id="verlauf-titel">
              Alle Einträge, ältester zuerst
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">Erfasst am</th>
                <th scope="col" class="kern-table__header">Was</th>
                <th scope="col" class="kern-table__header">Von wem</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {events.map((e) => (
                <tr class="kern-table__row">
                  <td class="kern-table__cell">{formatInstant(e.recordedAt)}</td>
                  <td class="kern-table__cell">{eventInWords(e)}</td>
                  <td class="kern-table__cell">{actorWords(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

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
