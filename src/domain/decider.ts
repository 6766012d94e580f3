// The shape every decider of verstetigt has (Emmett / oskardudycz style).
import type { DomainEvent, EventType, VersionedEvent } from '../../schemas/index.js';

/**
 * A decider: `initialState()` is the state of an empty stream; `evolve` folds one upcast event
 * into the state; `decide` returns the events a command leads to or throws RuleViolationError.
 * All three are pure.
 */
export interface Decider<Command, State, Type extends EventType> {
  initialState(): State;
  evolve(state: State, event: DomainEvent<Type>): State;
  decide(command: Command, state: State): VersionedEvent<Type>[];
}
