// A tiny given/when/then for deciders: given(decider, events).when(command).then(events) or
// .thenThrows(rule). `then` also checks that every decided event validates with its current
// schema and folds with evolve, so deciders cannot emit what the store would later refuse to read.
import { expect } from 'vitest';
import { parseEvent, type DomainEvent, type EventType, type VersionedEvent } from '../../schemas/index.js';
import { RuleViolationError, type Decider } from '../../src/domain/index.js';

export interface When<T extends EventType> {
  /** Asserts the decided events (type, schemaVersion and data) and returns them. */
  then(expected: VersionedEvent<T>[]): VersionedEvent<T>[];
  /** Asserts that decide throws RuleViolationError with this rule code and returns the error. */
  thenThrows(rule: string): RuleViolationError;
}

export interface Given<C, S, T extends EventType> {
  /** The state folded from the given events. */
  readonly state: S;
  when(command: C): When<T>;
}

/** Folds `events` with the decider and prepares a command against the result. */
export function given<C, S, T extends EventType>(decider: Decider<C, S, T>, events: DomainEvent<T>[] = []): Given<C, S, T> {
  const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
  return {
    state,
    when(command: C): When<T> {
      return {
        then(expected) {
          const actual = decider.decide(command, state);
          expect(actual).toEqual(expected);
          for (const e of actual) {
            expect(parseEvent(e.type, e.schemaVersion, e.data as Record<string, unknown>)).toEqual(e);
          }
          actual.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as DomainEvent<T>), state);
          return actual;
        },
        thenThrows(rule) {
          let caught: unknown;
          try {
            decider.decide(command, state);
          } catch (error) {
            caught = error;
          }
          expect(caught, `expected rule ${rule} to be violated`).toBeInstanceOf(RuleViolationError);
          const error = caught as RuleViolationError;
          expect(error.rule).toBe(rule);
          expect(error.message.length).toBeGreaterThan(10);
          return error;
        },
      };
    },
  };
}

/** Shorthand for a stored, upcast event. */
export function ev<K extends EventType>(type: K, data: DomainEvent<K>['data']): DomainEvent<K> {
  return { type, data } as DomainEvent<K>;
}

/** Shorthand for a decided event with its current schemaVersion. */
export { versioned as out } from '../../schemas/index.js';
