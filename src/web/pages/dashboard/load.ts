// The dashboard's data: everything the Übersicht shows, read in one snapshot of the read models
// through the projections' query functions; the what-if scenario is computed, never recorded.
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
} from '../../../../projections/index.js';
import { addDays, daysBetween } from '../../../../projections/support.js';
import type { Db } from '../../../db/index.js';
import { inSnapshot } from '../../../http/views/index.js';
import { cliffSummary, costCliffSvg, totalsByYear, type CliffRow, type TimelineRow } from '../../charts.js';
import { RISK_ORDER } from '../../words.js';

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

