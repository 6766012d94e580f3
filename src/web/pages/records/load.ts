// The record pages' data: a position or a grant folded from its stream (the same fold as
// GET /api/v1/positions/{id} and /grants/{id}), the views' facts (risk, finance, deadlines) and
// the stream's events for the Verlauf. A record of a municipality the person may not see is
// "not found", like in the API.
import { z } from 'zod';
import {
  continuationInYear,
  queryContinuationRisk,
  queryGrantFinance,
  type ContinuationRiskItem,
  type GrantFinanceItem,
} from '../../../../projections/index.js';
import { hundredths } from '../../../../projections/support.js';
import { loadGrant, loadPosition } from '../../../commands/index.js';
import type { AwardedGrant } from '../../../domain/grant.decider.js';
import type { EstablishedPosition } from '../../../domain/position.decider.js';
import type { StoredEvent } from '../../../eventstore/index.js';
import { covers } from '../../../http/auth/index.js';
import { PageNotFound, type PageContext } from '../../page-context.js';

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
