// The read models verstetigt runs, in one list (the runner, rebuild, status and as-of use it).
import { continuationRiskProjection } from './continuation-risk.js';
import { endDatesProjection } from './end-dates.js';
import { grantFinanceProjection } from './grant-finance.js';
import { ownFundsProjection } from './own-funds.js';
import { staffingProjection } from './staffing.js';
import type { Projection } from './types.js';

/** Every read model, by checkpoint name: staffing, end-dates, continuation-risk, own-funds, grant-finance. */
export const allProjections: readonly Projection[] = Object.freeze([
  staffingProjection,
  endDatesProjection,
  continuationRiskProjection,
  ownFundsProjection,
  grantFinanceProjection,
]);

/** The projections named in `names` (all when absent); throws for an unknown name, listing the known ones. */
export function selectProjections(names?: readonly string[], from: readonly Projection[] = allProjections): Projection[] {
  if (!names || names.length === 0) return [...from];
  return names.map((name) => {
    const found = from.find((p) => p.name === name);
    if (!found) throw new Error(`unknown projection "${name}"; known: ${from.map((p) => p.name).join(', ')}`);
    return found;
  });
}
