// The public surface of projections/: the runner, the five read models (tables, fold, queries),
// rebuild and status, the progress reporter and the as-of replay.
export type { AsOfQuery, Executor, Projection, ProjectedEvent, ProjectionLogger, Scope } from './types.js';
export {
  applyBatch,
  applyEvents,
  applyToAll,
  createProjectionRunner,
  ensureCheckpoints,
  readCheckpoints,
  type ProjectionRunner,
  type ProjectionRunnerOptions,
} from './runner.js';
export { allProjections, selectProjections } from './registry.js';
export { STAFFING_TABLES, positionExistsOn, queryStaffing, staffingProjection, type StaffingItem } from './staffing.js';
export { END_DATES_TABLES, endDatesProjection, queryEndDates, type EndDateItem } from './end-dates.js';
export { CONTINUATION_RISK_TABLES, continuationRiskProjection, queryContinuationRisk, type ContinuationRiskItem } from './continuation-risk.js';
export {
  DEFAULT_RISK_THRESHOLDS,
  assessRisk,
  budgetDeadline,
  fundingEndsWithin,
  type DecisionInForce,
  type RiskFacts,
  type RiskLevel,
  type RiskThresholds,
} from './continuation-risk-rules.js';
export {
  OWN_FUNDS_TABLES,
  ownFundsProjection,
  queryOwnFunds,
  queryOwnFundsScenario,
  queryOwnFundsTotals,
  type OwnFundsItem,
  type OwnFundsQuery,
  type OwnFundsScenarioQuery,
  type OwnFundsTotalItem,
} from './own-funds.js';
export { continuationInYear, ownShareByYear, ownShareInYear } from './own-funds-rules.js';
export {
  costSpans,
  decisionsKnownOn,
  grantFundingEnd,
  positionFunding,
  type CostSpan,
  type DecisionFact,
  type GrantFunding,
  type PositionFunding,
} from './position-funding.js';
export {
  GRANT_FINANCE_TABLES,
  finalProofDueOn,
  grantFinanceProjection,
  interimProofsDueOn,
  queryGrantFinance,
  type AmendmentItem,
  type DrawdownItem,
  type GrantFinanceItem,
  type ProofOfUseStatus,
} from './grant-finance.js';
export { projectionStatus, rebuildProjections, type ProjectionStatus, type RebuildOptions, type RebuildResult } from './rebuild.js';
export { createProgressReporter, formatDuration, type ProgressReporter, type ProgressStream } from './progress.js';
export { replayAsOf, type ReplayAsOfOptions } from './as-of.js';
export { ROWS_BY_STREAM, applyWithCorrections, correctedStream, countPositionsOnGrant, isCorrection } from './corrections.js';
export { readOncePerBatch, readStreamFromLog, streamReaderOf, toProjectedEvent, type StreamReader } from './stream-reader.js';
