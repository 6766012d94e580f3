// Read model "own funds" (the cost cliff): what each municipality pays from its own budget per
// budget year (Haushaltsjahr = calendar year) — its own share of each grant while funded, and the
// continued positions after. Stores grants and decisions; the per-year amounts are computed at
// query time, in exact integer arithmetic, rounded half up to whole cents per grant or position
// and year, then summed. A grant's own share is rounded cumulatively, so its years add up to it.
import type { Executor, Projection, ProjectedEvent, Scope } from './types.js';
import { TableBuffer, flushAll } from './batch.js';
import { foldFundingFacts, loadFundingRows } from './funding-fold.js';
import {
  costSpans,
  decisionsOf,
  loadFunding,
} from './position-funding.js';
import { amendmentsOf, continuationInYear, ownShareByYear, type StoredAmendment } from './own-funds-rules.js';
import { addDays, hundredths, num, streamEntityId, whereScope } from './support.js';

export const OWN_FUNDS_TABLES = ['own_funds_programmes', 'own_funds_grants', 'own_funds_positions'] as const;

/** One municipality × programme × budget year. Amounts in cents. */
export interface OwnFundsItem {
  municipality: string;
  programme: string;
  year: number;
  /**
   * The grants' own shares (Eigenanteil), each spread evenly over the days of its period; an
   * amendment that changes the own share or the period re-spreads only what is left, from the
   * budget year of its amendedOn on (the years before keep their split).
   */
  ownShareCents: number;
  /**
   * annualCostCents × fte × ownFundsSharePercent/100 × days covered in the year / days in the year;
   * covered from the later of effectiveFrom and the day after funding ends, through revokedOn.
   */
  continuationCents: number;
  totalCents: number;
}

/** One municipality × budget year, across all programmes. Amounts in cents. */
export interface OwnFundsTotalItem {
  municipality: string;
  year: number;
  ownShareCents: number;
  continuationCents: number;
  totalCents: number;
}

export interface OwnFundsQuery extends Scope {
  fromYear: number;
  toYear: number;
}

/** Applies `events` to the own-funds tables, in a few statements. */
export async function applyOwnFundsBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const programmes = new TableBuffer('own_funds_programmes', ['programme'], ['programme', 'ends_on']);
  const grants = new TableBuffer('own_funds_grants', ['grant_id'], [
    'grant_id', 'municipality', 'programme', 'period_start', 'period_end', 'own_share_cents',
    'period_end_amended_on', 'original_period_end', 'amendments',
  ]);
  const positions = new TableBuffer('own_funds_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'grant_id', 'fte_hundredths', 'annual_cost_cents', 'abolished_on',
    'decision', 'effective_from', 'own_funds_share_hundredths', 'decisions',
  ]);
  const buffers = { programmes, grants, positions };
  await loadFundingRows(trx, events, buffers);
  for (const event of events) {
    foldFundingFacts(event, buffers);
    const id = streamEntityId(event.streamId);
    switch (event.type) {
      case 'GrantAwarded': {
        const d = event.data;
        grants.insert({
          grant_id: d.grantId,
          municipality: d.municipality,
          programme: d.programme,
          period_start: d.periodStart,
          period_end: d.periodEnd,
          // The own share of the notice; amendments change it from their budget year on.
          own_share_cents: d.ownShareCents,
          period_end_amended_on: null,
          original_period_end: d.periodEnd,
          amendments: [],
        });
        break;
      }
      case 'GrantAmended': {
        const g = grants.get(id);
        if (!g) break;
        const d = event.data;
        const amendment: StoredAmendment = { amendedOn: d.amendedOn, periodEnd: d.periodEnd, ownShareCents: d.ownShareCents };
        // The period end in force is set by foldFundingFacts; the budget years need every amendment.
        grants.update(g, { amendments: [...amendmentsOf(g.amendments), amendment] });
        break;
      }
      case 'PositionEstablished': {
        const d = event.data;
        positions.insert({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grant_id: d.grantId,
          fte_hundredths: hundredths(d.fte),
          annual_cost_cents: d.annualCostCents,
          abolished_on: null,
          decision: null,
          effective_from: null,
          own_funds_share_hundredths: null,
          decisions: [],
        });
        break;
      }
      case 'ContinuationDecided': {
        const p = positions.get(id);
        if (p) {
          positions.update(p, {
            decision: event.data.decision,
            effective_from: event.data.effectiveFrom,
            own_funds_share_hundredths: hundredths(event.data.ownFundsSharePercent),
          });
        }
        break;
      }
      case 'ContinuationDecisionRevoked': {
        const p = positions.get(id);
        if (p) {
          positions.update(p, {
            decision: null,
            effective_from: null,
            own_funds_share_hundredths: null,
          });
        }
        break;
      }
      default:
        break;
    }
  }
  await flushAll(trx, programmes, grants, positions);
}

export const ownFundsProjection: Projection = { name: 'own-funds', tables: OWN_FUNDS_TABLES, applyBatch: applyOwnFundsBatch };

/** The own-funds view for the budget years fromYear..toYear, by municipality, programme and year. */
export async function queryOwnFunds(db: Executor, query: OwnFundsQuery): Promise<OwnFundsItem[]> {
  const grants = await whereScope(db.selectFrom('own_funds_grants').selectAll(), query).execute();
  const positions = await whereScope(db.selectFrom('own_funds_positions').selectAll(), query).execute();
  const { funding } = await loadFunding(db, 'own_funds', positions);
  const rows = new Map<string, OwnFundsItem>();
  const row = (municipality: string, programme: string, year: number): OwnFundsItem => {
    const key = `${municipality}|${programme}|${year}`;
    let item = rows.get(key);
    if (!item) {
      item = { municipality, programme, year, ownShareCents: 0, continuationCents: 0, totalCents: 0 };
      rows.set(key, item);
    }
    return item;
  };
  for (const g of grants) {
    const byYear = ownShareByYear(
      { periodStart: g.period_start, periodEnd: g.original_period_end ?? g.period_end, ownShareCents: num(g.own_share_cents) },
      amendmentsOf(g.amendments),
    );
    for (let year = query.fromYear; year <= query.toYear; year++) {
      row(g.municipality, g.programme, year).ownShareCents += byYear.get(year) ?? 0;
    }
  }
  for (const p of positions) {
    const spans = costSpans(funding.get(p.grant_id), decisionsOf(p.decisions), p.abolished_on, (id) => funding.get(id));
    for (let year = query.fromYear; year <= query.toYear; year++) {
      const item = row(p.municipality, p.programme, year);
      for (const span of spans) {
        item.continuationCents += continuationInYear(
          {
            annualCostCents: num(p.annual_cost_cents),
            fteHundredths: num(p.fte_hundredths),
            shareHundredths: span.shareHundredths,
            effectiveFrom: span.from,
            abolishedOn: p.abolished_on,
            until: span.to,
          },
          year,
        );
      }
    }
  }
  return [...rows.values()]
    .map((item) => ({ ...item, totalCents: item.ownShareCents + item.continuationCents }))
    .sort((a, b) => a.municipality.localeCompare(b.municipality) || a.programme.localeCompare(b.programme) || a.year - b.year);
}

/**
 * The own-funds cost per municipality and budget year across all programmes (the cost cliff a
 * council sees in its budget): the sums of queryOwnFunds's rows.
 */
export async function queryOwnFundsTotals(db: Executor, query: OwnFundsQuery): Promise<OwnFundsTotalItem[]> {
  const totals = new Map<string, OwnFundsTotalItem>();
  for (const item of await queryOwnFunds(db, query)) {
    const key = `${item.municipality}|${item.year}`;
    const total = totals.get(key) ?? { municipality: item.municipality, year: item.year, ownShareCents: 0, continuationCents: 0, totalCents: 0 };
    total.ownShareCents += item.ownShareCents;
    total.continuationCents += item.continuationCents;
    total.totalCents += item.totalCents;
    totals.set(key, total);
  }
  return [...totals.values()].sort((a, b) => a.municipality.localeCompare(b.municipality) || a.year - b.year);
}

/** A what-if: positions to continue from the day after their funding ends, at one own-funds share. */
export interface OwnFundsScenarioQuery extends OwnFundsQuery {
  positionIds: readonly string[];
  /** The share of the annual cost the municipality would pay, in percent (0–100). */
  sharePercent: number;
}

/**
 * The extra own funds per budget year (fromYear..toYear, in order) if each named position that
 * has no decision in force and is not abolished were continued from the day after its grant's
 * period ends at `sharePercent`, computed with continuationInYear like a recorded decision.
 * Positions outside the scope, decided or abolished add nothing. Reads only; records nothing.
 */
export async function queryOwnFundsScenario(db: Executor, query: OwnFundsScenarioQuery): Promise<{ year: number; extraCents: number }[]> {
  const years = Array.from({ length: query.toYear - query.fromYear + 1 }, (_, i) => query.fromYear + i);
  const extra = years.map((year) => ({ year, extraCents: 0 }));
  if (query.positionIds.length === 0) return extra;
  const positions = await whereScope(
    db
      .selectFrom('own_funds_positions as p')
      .innerJoin('own_funds_grants as g', 'g.grant_id', 'p.grant_id')
      .select(['p.position_id', 'p.fte_hundredths', 'p.annual_cost_cents', 'p.decision', 'p.abolished_on', 'g.period_end'])
      .where('p.position_id', 'in', [...query.positionIds]),
    query,
    'p',
  ).execute();
  const shareHundredths = hundredths(query.sharePercent);
  for (const p of positions) {
    if (p.decision !== null || p.abolished_on !== null) continue;
    for (const item of extra) {
      item.extraCents += continuationInYear(
        {
          annualCostCents: num(p.annual_cost_cents),
          fteHundredths: num(p.fte_hundredths),
          shareHundredths,
          effectiveFrom: addDays(p.period_end, 1),
          abolishedOn: null,
        },
        item.year,
      );
    }
  }
  return extra;
}
