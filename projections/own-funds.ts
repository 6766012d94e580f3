// Read model "own funds" (the cost cliff): what each municipality pays from its own budget per
// budget year (Haushaltsjahr = calendar year) — its own share of each grant while funded, and the
// continued positions after. Stores grants and decisions; the per-year amounts are computed at
// query time, in exact integer arithmetic, rounded half up to whole cents per grant or position
// and year, then summed. A grant's own share is rounded cumulatively, so its years add up to it.
import type { Executor, Projection, ProjectedEvent, Scope } from './types.js';
import { TableBuffer, flushAll, grantAndDecisionKeys } from './batch.js';
import {
  addDays,
  daysBetween,
  daysInYear,
  daysInYearOverlap,
  divideRoundHalfUp,
  hundredths,
  num,
  streamEntityId,
  whereScope,
} from './support.js';

export const OWN_FUNDS_TABLES = ['own_funds_grants', 'own_funds_positions'] as const;

/** One municipality × programme × budget year. Amounts in cents. */
export interface OwnFundsItem {
  municipality: string;
  programme: string;
  year: number;
  /** The grants' own shares (Eigenanteil), each spread evenly over the days of its period. */
  ownShareCents: number;
  /** annualCostCents × fte × ownFundsSharePercent/100 × days covered in the year / days in the year. */
  continuationCents: number;
  totalCents: number;
}

export interface OwnFundsQuery extends Scope {
  fromYear: number;
  toYear: number;
}

/** Applies one event to the own-funds tables. */
export async function applyOwnFunds(event: ProjectedEvent, trx: Executor): Promise<void> {
  const id = streamEntityId(event.streamId);
  switch (event.type) {
    case 'GrantAwarded': {
      const d = event.data;
      await trx
        .insertInto('own_funds_grants')
        .values({
          grant_id: d.grantId,
          municipality: d.municipality,
          programme: d.programme,
          period_start: d.periodStart,
          period_end: d.periodEnd,
          own_share_cents: d.ownShareCents,
        })
        .execute();
      return;
    }
    case 'GrantAmended':
      // An extension spreads the same own share over the longer period.
      if (event.data.periodEnd !== null) {
        await trx.updateTable('own_funds_grants').set({ period_end: event.data.periodEnd }).where('grant_id', '=', id).execute();
      }
      return;
    case 'PositionEstablished': {
      const d = event.data;
      await trx
        .insertInto('own_funds_positions')
        .values({
          position_id: d.positionId,
          municipality: d.municipality,
          programme: d.programme,
          grant_id: d.grantId,
          fte_hundredths: hundredths(d.fte),
          annual_cost_cents: d.annualCostCents,
        })
        .execute();
      return;
    }
    case 'ContinuationDecided':
      await trx
        .updateTable('own_funds_positions')
        .set({
          decision: event.data.decision,
          effective_from: event.data.effectiveFrom,
          own_funds_share_hundredths: hundredths(event.data.ownFundsSharePercent),
        })
        .where('position_id', '=', id)
        .execute();
      return;
    case 'ContinuationDecisionRevoked':
      await trx
        .updateTable('own_funds_positions')
        .set({ decision: null, effective_from: null, own_funds_share_hundredths: null })
        .where('position_id', '=', id)
        .execute();
      return;
    case 'PositionAbolished':
      await trx.updateTable('own_funds_positions').set({ abolished_on: event.data.abolishedOn }).where('position_id', '=', id).execute();
      return;
    default:
      return;
  }
}

/** Applies `events` to the own-funds tables with the result of applyOwnFunds on each, in a few statements. */
export async function applyOwnFundsBatch(events: readonly ProjectedEvent[], trx: Executor): Promise<void> {
  const grants = new TableBuffer('own_funds_grants', ['grant_id'], ['grant_id', 'municipality', 'programme', 'period_start', 'period_end', 'own_share_cents']);
  const positions = new TableBuffer('own_funds_positions', ['position_id'], [
    'position_id', 'municipality', 'programme', 'grant_id', 'fte_hundredths', 'annual_cost_cents', 'abolished_on',
    'decision', 'effective_from', 'own_funds_share_hundredths',
  ]);
  const { grantIds, positionIds } = grantAndDecisionKeys(events);
  await grants.load(trx, 'grant_id', grantIds);
  await positions.load(trx, 'position_id', positionIds);
  for (const event of events) {
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
          own_share_cents: d.ownShareCents,
        });
        break;
      }
      case 'GrantAmended': {
        const g = event.data.periodEnd === null ? undefined : grants.get(id);
        if (g) grants.update(g, { period_end: event.data.periodEnd });
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
        if (p) positions.update(p, { decision: null, effective_from: null, own_funds_share_hundredths: null });
        break;
      }
      case 'PositionAbolished': {
        const p = positions.get(id);
        if (p) positions.update(p, { abolished_on: event.data.abolishedOn });
        break;
      }
      default:
        break;
    }
  }
  await flushAll(trx, grants, positions);
}

export const ownFundsProjection: Projection = { name: 'own-funds', tables: OWN_FUNDS_TABLES, apply: applyOwnFunds, applyBatch: applyOwnFundsBatch };

/**
 * A grant's own share falling into `year`: ownShareCents spread evenly over the days of the
 * period, rounded cumulatively so the years add up to ownShareCents exactly:
 * round(S × days through the year's end / total) − round(S × days before the year / total),
 * rounding half up in exact integer arithmetic. (Rounding each year on its own would turn 1 cent
 * over 31 Dec and 1 Jan into 1 cent in each year.)
 */
export function ownShareInYear(ownShareCents: number, periodStart: string, periodEnd: string, year: number): number {
  const days = daysInYearOverlap(periodStart, periodEnd, year);
  if (days === 0 || ownShareCents === 0) return 0;
  const total = BigInt(daysBetween(periodStart, periodEnd) + 1);
  // Days of the period before 1 January of `year` (0 when the period starts in it).
  const before = BigInt(Math.max(0, daysBetween(periodStart, `${year}-01-01`)));
  const share = BigInt(ownShareCents);
  return divideRoundHalfUp(share * (before + BigInt(days)), total) - divideRoundHalfUp(share * before, total);
}

/**
 * A continued position's own-funds cost in `year`: annualCostCents × fte × share/100 × days
 * covered / days in the year, covered = from effectiveFrom to the year's end (or to the day before
 * abolishedOn). fte and share come as whole hundredths, so the product is exact.
 */
export function continuationInYear(
  p: { annualCostCents: number; fteHundredths: number; shareHundredths: number; effectiveFrom: string; abolishedOn: string | null },
  year: number,
): number {
  if (p.shareHundredths === 0) return 0;
  const lastDay = p.abolishedOn === null ? `${year}-12-31` : addDays(p.abolishedOn, -1);
  const days = daysInYearOverlap(p.effectiveFrom, lastDay, year);
  if (days === 0) return 0;
  const numerator = BigInt(p.annualCostCents) * BigInt(p.fteHundredths) * BigInt(p.shareHundredths) * BigInt(days);
  // fte = h/100, percent/100 = h/10000.
  return divideRoundHalfUp(numerator, 1_000_000n * BigInt(daysInYear(year)));
}

/** The own-funds view for the budget years fromYear..toYear, by municipality, programme and year. */
export async function queryOwnFunds(db: Executor, query: OwnFundsQuery): Promise<OwnFundsItem[]> {
  const grants = await whereScope(db.selectFrom('own_funds_grants').selectAll(), query).execute();
  const positions = await whereScope(db.selectFrom('own_funds_positions').selectAll(), query).execute();
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
    for (let year = query.fromYear; year <= query.toYear; year++) {
      row(g.municipality, g.programme, year).ownShareCents += ownShareInYear(num(g.own_share_cents), g.period_start, g.period_end, year);
    }
  }
  for (const p of positions) {
    for (let year = query.fromYear; year <= query.toYear; year++) {
      const item = row(p.municipality, p.programme, year);
      if (p.decision === null || p.decision === 'discontinue') continue;
      item.continuationCents += continuationInYear(
        {
          annualCostCents: num(p.annual_cost_cents),
          fteHundredths: num(p.fte_hundredths),
          shareHundredths: num(p.own_funds_share_hundredths),
          effectiveFrom: p.effective_from,
          abolishedOn: p.abolished_on,
        },
        year,
      );
    }
  }
  return [...rows.values()]
    .map((item) => ({ ...item, totalCents: item.ownShareCents + item.continuationCents }))
    .sort((a, b) => a.municipality.localeCompare(b.municipality) || a.programme.localeCompare(b.programme) || a.year - b.year);
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
