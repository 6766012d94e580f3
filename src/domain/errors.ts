// The one error the domain throws: a business rule refused a command. The domain does no lookups,
// so it has no "not found" error; a missing stream is a rule violation of the command sent to it.

/**
 * A command broke a business rule. `rule` is a stable kebab-case code (for clients and tests,
 * e.g. 'drawdown-exceeds-award'); `message` is a German sentence a finance clerk understands.
 */
export class RuleViolationError extends Error {
  override readonly name = 'RuleViolationError';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}
