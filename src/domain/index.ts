// The public surface of the domain: the three deciders (as namespaces, since each exports
// initialState/evolve/decide), their state and command types, the rule error and formatting.
export * as programmeDecider from './programme.decider.js';
export * as grantDecider from './grant.decider.js';
export * as positionDecider from './position.decider.js';
export type { ProgrammeCommand, ProgrammeState, RegisteredProgramme } from './programme.decider.js';
export type { AwardedGrant, Amendment, Drawdown, GrantCommand, GrantState, ProofOfUse } from './grant.decider.js';
export type {
  ContinuationRecord,
  EstablishedPosition,
  PositionCommand,
  PositionState,
  Staffing,
} from './position.decider.js';
export { inPostOn, lastDayInPost, leavesWhenVacated, type StaffingPeriod } from './staffing-period.js';
export { RuleViolationError } from './errors.js';
export { formatDate, formatEuro, formatFte } from './format.js';
export type { Decider } from './decider.js';
