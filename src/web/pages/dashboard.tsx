// Übersicht (/): the Landrat's question — which posts do we lose, and what does keeping them
// cost? Cards, the Handlungsbedarf table, the cost cliff (chart and table), the what-if panel and
// the timeline, all from the projections' query functions; the what-if is computed, never recorded.
import {
  fundingEndsWithin,
  queryContinuationRisk,
  queryEndDates,
  queryGrantFinance,
  queryOwnFunds,
  queryOwnFundsScenario,
  type ContinuationRiskItem,
  type OwnFundsItem,
  type RiskThresholds,
} from '../../../projections/index.js';
import { addDays, daysBetween } from '../../../projections/support.js';
import type { Db } from '../../db/index.js';
import { inSnapshot } from '../../http/views/index.js';
import { CostCliffFigure, Timeline, cliffSummary, costCliffSvg, totalsByYear, type CliffRow, type TimelineRow } from '../charts.js';
import { Alert, Downloads, RiskBadge } from '../components.js';
import { formatDate, formatEuro, spanInWords } from '../format.js';
import { DECISION_WORDS, RISK_ORDER, municipalityName, programmeShortName } from '../words.js';

/** What the dashboard shows: a municipality (or all the person may see), a Stand date, a scenario. */
export interface DashboardQuery {
  municipality: string | undefined;
  municipalities: readonly string[] | '*';
  asOf: string;
  scenarioIds: string[];
  sharePercent: number;
}

export interface DashboardData {
  query: DashboardQuery;
  urgent: ContinuationRiskItem[];
  /** Every position in scope, most urgent first. */
  all: ContinuationRiskItem[];
  years: number[];
  programmes: string[];
  cliff: CliffRow[];
  /** The own-funds view items as GET /api/v1/own-funds returns them for the same years. */
  ownFunds: OwnFundsItem[];
  totals: number[];
  scenarioTotals: number[] | undefined;
  timeline: TimelineRow[];
  nextDeadline: { date: string; days: number } | undefined;
  /** Own funds next budget year if every open decision went "continue" (100 %). */
  nextYearIfAllContinue: number;
  /** The cost cliff chart as SVG (echarts, rendered on the server). */
  cliffSvg: string;
}

/** The window of the Handlungsbedarf table: funding ends within 24 months of the Stand. */
export const URGENT_MONTHS = 24;

/** The positions the Handlungsbedarf table lists, most urgent first. */
export function urgentPositions(items: readonly ContinuationRiskItem[], asOf: string): ContinuationRiskItem[] {
  return items
    .filter((r) => {
      if (r.fundingEndsOn === null || !fundingEndsWithin(r.fundingEndsOn, asOf, URGENT_MONTHS)) return false;
      // Funding that ended before the Stand still matters while the position exists without a decision.
      return r.fundingEndsOn >= asOf || r.risk === 'high' || (r.abolishedOn !== null && r.abolishedOn >= asOf);
    })
    .sort(byUrgency);
}

/** Most urgent first: by risk level, then the sooner funding end. */
function byUrgency(a: ContinuationRiskItem, b: ContinuationRiskItem): number {
  return RISK_ORDER[a.risk] - RISK_ORDER[b.risk] || (a.fundingEndsOn ?? '').localeCompare(b.fundingEndsOn ?? '') || a.positionId.localeCompare(b.positionId);
}

/** Reads everything the dashboard shows, in one snapshot of the read models. */
export async function loadDashboard(deps: { db: Db; thresholds: RiskThresholds }, query: DashboardQuery): Promise<DashboardData> {
  const scope = { municipality: query.municipality, municipalities: query.municipalities };
  const year = Number(query.asOf.slice(0, 4));
  const fromYear = year - 2;
  const toYear = year + 5;
  const years = Array.from({ length: toYear - fromYear + 1 }, (_, i) => fromYear + i);
  const data = await inSnapshot(deps.db, async (trx) => {
    const risk = await queryContinuationRisk(trx, { asOf: query.asOf, thresholds: deps.thresholds, ...scope });
    const urgent = urgentPositions(risk, query.asOf);
    const endDates = new Map((await queryEndDates(trx, { asOf: query.asOf, ...scope })).map((e) => [e.positionId, e]));
    const grants = new Map((await queryGrantFinance(trx, { asOf: query.asOf, ...scope })).map((g) => [g.grantId, g]));
    const ownFunds = await queryOwnFunds(trx, { fromYear, toYear, ...scope });
    const open = urgent.filter((r) => r.decision === null && r.abolishedOn === null);
    const openIds = new Set(open.map((r) => r.positionId));
    const scenarioIds = query.scenarioIds.filter((id) => openIds.has(id));
    const scenario =
      scenarioIds.length > 0
        ? await queryOwnFundsScenario(trx, { fromYear, toYear, ...scope, positionIds: scenarioIds, sharePercent: query.sharePercent })
        : undefined;
    const allContinue = await queryOwnFundsScenario(trx, {
      fromYear: year + 1,
      toYear: year + 1,
      ...scope,
      positionIds: risk.filter((r) => r.decision === null && r.abolishedOn === null).map((r) => r.positionId),
      sharePercent: 100,
    });

    const cliffMap = new Map<string, CliffRow>();
    for (const item of ownFunds) {
      const key = `${item.year}|${item.programme}`;
      const row = cliffMap.get(key) ?? { year: item.year, programme: item.programme, ownShareCents: 0, continuationCents: 0 };
      row.ownShareCents += item.ownShareCents;
      row.continuationCents += item.continuationCents;
      cliffMap.set(key, row);
    }
    const cliff = [...cliffMap.values()]
      .filter((r) => r.ownShareCents !== 0 || r.continuationCents !== 0)
      .sort((a, b) => a.year - b.year || a.programme.localeCompare(b.programme));
    const programmes = [...new Set(cliff.map((r) => r.programme))].sort();
    const totals = totalsByYear(cliff, years);
    const scenarioTotals = scenario ? totals.map((t, i) => t + scenario[i]!.extraCents) : undefined;

    const timeline: TimelineRow[] = urgent.map((r) => {
      const e = endDates.get(r.positionId);
      const continuing = r.decision && r.decision.decision !== 'discontinue' ? r.decision : null;
      return {
        label: r.title,
        fundedFrom: grants.get(r.grantId)?.periodStart ?? null,
        fundedUntil: r.fundingEndsOn,
        contractUntil: e?.contractEndsOn ?? null,
        inPost: (e?.personsInPost ?? 0) > 0,
        continuationFrom: continuing?.effectiveFrom ?? null,
        continuationUntil: r.abolishedOn ? addDays(r.abolishedOn, -1) : null,
        budgetDeadline: r.budgetDeadline,
      };
    });
    const deadlines = open.map((r) => r.budgetDeadline).filter((d): d is string => d !== null && d >= query.asOf).sort();
    const nextDeadline = deadlines[0] ? { date: deadlines[0], days: daysBetween(query.asOf, deadlines[0]) } : undefined;
    const nextYearOwn = totals[years.indexOf(year + 1)] ?? 0;
    return {
      query: { ...query, scenarioIds },
      urgent,
      all: [...risk].sort(byUrgency),
      years,
      programmes,
      cliff,
      ownFunds,
      totals,
      scenarioTotals,
      timeline,
      nextDeadline,
      nextYearIfAllContinue: nextYearOwn + (allContinue[0]?.extraCents ?? 0),
    };
  });
  const cliffSvg = await costCliffSvg({ years, programmes: data.programmes, rows: data.cliff, scenarioTotals: data.scenarioTotals, summary: cliffSummary(years, data.totals) });
  return { ...data, cliffSvg };
}

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

export interface DashboardViewProps {
  data: DashboardData;
  /** The municipalities offered in the switcher (AGS), or none when the person sees only one. */
  switcher: string[] | undefined;
  /** "Alle Kommunen" or "Alle meine Kommunen" for the empty choice. */
  allLabel: string;
  /** The query string of the current view (kommune, stand) for download links. */
  viewQuery: string;
  /** An invalid input the person gave: shown beside the field and in a summary. */
  fieldError: { field: 'stand' | 'kommune'; message: string } | undefined;
  enteredStand: string;
}

/** The dashboard's main content (inside the Layout). */
export function DashboardView({ data, switcher, allLabel, viewQuery, fieldError, enteredStand }: DashboardViewProps) {
  const { query, urgent, years } = data;
  const high = urgent.filter((r) => r.risk === 'high').length;
  const scope = query.municipality ? municipalityName(query.municipality) : allLabel;
  const summary = cliffSummary(years, data.totals);
  const nextYear = Number(query.asOf.slice(0, 4)) + 1;
  const open = urgent.filter((r) => r.decision === null && r.abolishedOn === null);
  const sumRow = (key: 'ownShareCents' | 'continuationCents' | 'total') =>
    data.cliff.reduce((s, r) => s + (key === 'total' ? r.ownShareCents + r.continuationCents : r[key]), 0);
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
      <form method="get" action="/" class="vst-filters vst-no-print" aria-label="Kommune und Stand wählen">
        {switcher ? (
          <div class={`kern-form-input${fieldError?.field === 'kommune' ? ' kern-form-input--error' : ''}`}>
            <label class="kern-label" for="kommune">
              Kommune
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="kommune" name="kommune">
                <option value="" selected={!query.municipality}>
                  {allLabel}
                </option>
                {switcher.map((agsCode) => (
                  <option value={agsCode} selected={query.municipality === agsCode}>
                    {municipalityName(agsCode)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ) : null}
        <div class={`kern-form-input${fieldError?.field === 'stand' ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="stand">
            Stand
          </label>
          <div class="kern-hint" id="stand-hinweis">
            Tag, für den Fristen und Risiken berechnet werden
          </div>
          {fieldError?.field === 'stand' ? (
            <p class="kern-error" id="stand-fehler" role="alert">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true"></span>
              <span class="kern-body">{fieldError.message}</span>
            </p>
          ) : null}
          <input
            class={`kern-form-input__input${fieldError?.field === 'stand' ? ' kern-form-input__input--error' : ''}`}
            type="date"
            id="stand"
            name="stand"
            value={fieldError?.field === 'stand' ? enteredStand : query.asOf}
            aria-describedby={fieldError?.field === 'stand' ? 'stand-hinweis stand-fehler' : 'stand-hinweis'}
          />
        </div>
        <button type="submit" class="kern-btn kern-btn--secondary">
          <span class="kern-label">Anzeigen</span>
        </button>
      </form>
      <p class="kern-body">
        <strong>Stand: {formatDate(query.asOf)}</strong>
      </p>

      <div class="vst-cards">
        <div class="kern-card">
          <div class="kern-card__container">
            <div class="kern-card__body">
              <h2 class="kern-title">Stellen mit hohem Risiko</h2>
              <p class="vst-card-number" data-testid="hohes-risiko">
                {high}
              </p>
              <p class="kern-body">
                <a class="kern-link" href="#handlungsbedarf">
                  Zur Liste Handlungsbedarf
                </a>
              </p>
            </div>
          </div>
        </div>
        <div class="kern-card">
          <div class="kern-card__container">
            <div class="kern-card__body">
              <h2 class="kern-title">Nächste Haushaltsfrist</h2>
              {data.nextDeadline ? (
                <p class="kern-body kern-body--large">
                  Haushaltsfrist {formatDate(data.nextDeadline.date)} — {data.nextDeadline.days === 0 ? 'heute' : `noch ${data.nextDeadline.days} ${data.nextDeadline.days === 1 ? 'Tag' : 'Tage'}`}
                </p>
              ) : (
                <p class="kern-body">Keine offene Entscheidung mit einer kommenden Haushaltsfrist.</p>
              )}
            </div>
          </div>
        </div>
        <div class="kern-card">
          <div class="kern-card__container">
            <div class="kern-card__body">
              <h2 class="kern-title">Eigenmittel {nextYear}, wenn alles weitergeführt wird</h2>
              <p class="vst-card-number">{formatEuro(data.nextYearIfAllContinue)}</p>
              <p class="kern-body kern-body--small">Alle offenen Entscheidungen als Weiterführung aus Eigenmitteln zu 100 %.</p>
            </div>
          </div>
        </div>
      </div>

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

      <section class="vst-section" aria-labelledby="alle-stellen">
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

      <section class="vst-section" aria-labelledby="was-waere-wenn">
        <h2 class="kern-heading-medium" id="was-waere-wenn">
          Was wäre, wenn …
        </h2>
        <p class="kern-body">
          Stellen ohne Entscheidung ankreuzen und einen Eigenmittelanteil wählen: die Kostenklippe zeigt dann zusätzlich die Summe mit Szenario. Nichts
          wird gespeichert; der Link zur Seite hält das Szenario fest.
        </p>
        {open.length === 0 ? (
          <p class="kern-body">Keine Stelle ohne Entscheidung im Zeitraum.</p>
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
