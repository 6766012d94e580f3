// The lists a clerk pages through: grants and positions with their key facts and a status on
// `asOf`, filtered by scope, status and the day funding ends, in pages ordered by that day (soonest
// first) and then by id. They read the tables of the grant-finance and end-dates read models; no
// table of their own. Paging is by key (the last row's funding end and id), not by offset, so a
// record recorded between two pages neither repeats nor pushes a row off a page.
import { sql } from 'kysely';
import type { Executor, Scope } from './types.js';
import { fromHundredths, num, whereScope } from './support.js';

/** A grant's status on asOf: closed on or before asOf, else ended when its period is over, else running. */
export type GrantListStatus = 'running' | 'ended' | 'closed';
/** A position's status on asOf: abolished with effect on or before asOf, else open. */
export type PositionListStatus = 'open' | 'abolished';

/** Where a page starts: after the row with this funding end and id (the previous page's last). */
export interface ListKey {
  endsOn: string;
  id: string;
}

/** A list query: scope, asOf, optional status and funding-end filters, page size and start. */
export interface ListQuery<S extends string> extends Scope {
  asOf: string;
  status?: S | undefined;
  /** Only records whose funding ends strictly before this date. */
  endsBefore?: string | undefined;
  /** Only records whose funding ends strictly after this date. */
  endsAfter?: string | undefined;
  /** Rows per page (1 or more). */
  limit: number;
  /** Start after this key; absent for the first page. */
  after?: ListKey | undefined;
}

/** One page: the rows and the key to pass as `after` for the next page (null on the last page). */
export interface ListPage<T> {
  items: T[];
  next: ListKey | null;
}

/** One grant in the list. */
export interface GrantListItem {
  id: string;
  municipality: string;
  programme: string;
  reference: string;
  awardedOn: string;
  periodStart: string;
  /** The last funded day after amendments. */
  periodEnd: string;
  financingType: string;
  fundingRatePercent: number;
  awardedCents: number;
  /** The drawdowns with drawnOn ≤ asOf. */
  drawnCents: number;
  closedOn: string | null;
  status: GrantListStatus;
}

/** One position in the list. */
export interface PositionListItem {
  id: string;
  municipality: string;
  programme: string;
  grantId: string;
  title: string;
  role: string;
  fte: number;
  establishedOn: string;
  abolishedOn: string | null;
  /** The grant's period end in force (after amendments); null when the grant is not in the read model. */
  fundingEndsOn: string | null;
  status: PositionListStatus;
}

// A position whose grant is missing sorts last; no business date is later than this.
const NO_END = '9999-12-31';

/** The grants in scope for `query`, one page, soonest period end first. */
export async function listGrants(db: Executor, query: ListQuery<GrantListStatus>): Promise<ListPage<GrantListItem>> {
  const { asOf } = query;
  let q = whereScope(
    db
      .selectFrom('grant_finance_grants as g')
      .select([
        'g.grant_id',
        'g.municipality',
        'g.programme',
        'g.reference',
        'g.awarded_on',
        'g.period_start',
        'g.period_end',
        'g.financing_type',
        'g.funding_rate_hundredths',
        'g.awarded_cents',
        'g.closed_on',
        sql<string>`(select coalesce(sum(d.amount_cents), 0) from grant_finance_drawdowns d where d.grant_id = g.grant_id and d.drawn_on <= ${asOf})`.as(
          'drawn_cents',
        ),
      ]),
    query,
    'g',
  );
  const closed = sql<boolean>`(g.closed_on is not null and g.closed_on <= ${asOf})`;
  if (query.status === 'closed') q = q.where(closed);
  else if (query.status === 'ended') q = q.where(sql<boolean>`not ${closed}`).where('g.period_end', '<', asOf);
  else if (query.status === 'running') q = q.where(sql<boolean>`not ${closed}`).where('g.period_end', '>=', asOf);
  if (query.endsBefore !== undefined) q = q.where('g.period_end', '<', query.endsBefore);
  if (query.endsAfter !== undefined) q = q.where('g.period_end', '>', query.endsAfter);
  if (query.after) q = q.where(sql<boolean>`(g.period_end, g.grant_id) > (${query.after.endsOn}, ${query.after.id})`);
  const rows = await q.orderBy('g.period_end').orderBy('g.grant_id').limit(query.limit + 1).execute();
  const items = rows.slice(0, query.limit).map((g: any): GrantListItem => {
    const closedNow = g.closed_on !== null && g.closed_on <= asOf;
    return {
      id: g.grant_id,
      municipality: g.municipality,
      programme: g.programme,
      reference: g.reference,
      awardedOn: g.awarded_on,
      periodStart: g.period_start,
      periodEnd: g.period_end,
      financingType: g.financing_type,
      fundingRatePercent: fromHundredths(g.funding_rate_hundredths),
      awardedCents: num(g.awarded_cents),
      drawnCents: num(g.drawn_cents),
      closedOn: g.closed_on,
      status: closedNow ? 'closed' : g.period_end < asOf ? 'ended' : 'running',
    };
  });
  const last = items.at(-1);
  return { items, next: rows.length > query.limit && last ? { endsOn: last.periodEnd, id: last.id } : null };
}

/** The positions in scope for `query`, one page, soonest funding end first. */
export async function listPositions(db: Executor, query: ListQuery<PositionListStatus>): Promise<ListPage<PositionListItem>> {
  const { asOf } = query;
  const endsOn = sql<string>`coalesce(g.period_end, ${NO_END})`;
  let q = whereScope(
    db
      .selectFrom('end_dates_positions as p')
      .leftJoin('end_dates_grants as g', 'g.grant_id', 'p.grant_id')
      .select([
        'p.position_id',
        'p.municipality',
        'p.programme',
        'p.grant_id',
        'p.title',
        'p.role',
        'p.fte_hundredths',
        'p.established_on',
        'p.abolished_on',
        'g.period_end',
      ]),
    query,
    'p',
  );
  const abolished = sql<boolean>`(p.abolished_on is not null and p.abolished_on <= ${asOf})`;
  if (query.status === 'abolished') q = q.where(abolished);
  else if (query.status === 'open') q = q.where(sql<boolean>`not ${abolished}`);
  // A position without a known funding end matches neither funding-end filter.
  if (query.endsBefore !== undefined) q = q.where('g.period_end', '<', query.endsBefore);
  if (query.endsAfter !== undefined) q = q.where('g.period_end', '>', query.endsAfter);
  if (query.after) q = q.where(sql<boolean>`(${endsOn}, p.position_id) > (${query.after.endsOn}, ${query.after.id})`);
  const rows = await q.orderBy(endsOn).orderBy('p.position_id').limit(query.limit + 1).execute();
  const items = rows.slice(0, query.limit).map(
    (p: any): PositionListItem => ({
      id: p.position_id,
      municipality: p.municipality,
      programme: p.programme,
      grantId: p.grant_id,
      title: p.title,
      role: p.role,
      fte: fromHundredths(p.fte_hundredths),
      establishedOn: p.established_on,
      abolishedOn: p.abolished_on,
      fundingEndsOn: p.period_end ?? null,
      // positionExistsOn (staffing.ts): a position counts no longer from its abolition day.
      status: p.abolished_on !== null && p.abolished_on <= asOf ? 'abolished' : 'open',
    }),
  );
  const last = items.at(-1);
  return { items, next: rows.length > query.limit && last ? { endsOn: last.fundingEndsOn ?? NO_END, id: last.id } : null };
}
