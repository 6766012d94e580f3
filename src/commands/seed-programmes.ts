// At first start the three programmes of the seed are registered with the facts of DOMAIN.md, through
// the same command handler as every other write. Safe to run on every start and from several
// processes at once: an existing programme is left as it is.
import { PROGRAMMES, type ProgrammeFacts, type RegisterProgrammeBody } from '../../schemas/index.js';
import { RuleViolationError } from '../domain/index.js';
import { ConcurrencyError } from '../eventstore/index.js';
import { registerProgramme, loadProgramme } from './commands.js';
import type { CommandContext } from './handle-command.js';

/** The actor recorded for what the system does by itself. */
export const SYSTEM_ACTOR = { sub: 'system', role: 'admin' } as const;

/** The registration of seed programme `facts`, as the write API takes it. */
export function seedRegistration(facts: ProgrammeFacts) {
  return {
    code: facts.code,
    name: facts.name,
    funderKind: facts.funderKind,
    funderName: facts.funderName,
    legalBasis: facts.legalBasis,
    guidelineDate: facts.guidelineDate,
    startsOn: facts.startsOn,
    endsOn: facts.endsOn,
    fundedRoles: [...facts.fundedRoles],
    grantDefaults: { ...facts.grantDefaults },
  } satisfies RegisterProgrammeBody;
}

/** Registers every seed programme that is not registered yet; returns the codes it registered. */
export async function seedProgrammes(ctx: CommandContext): Promise<string[]> {
  const registered: string[] = [];
  for (const facts of PROGRAMMES) {
    const { state } = await loadProgramme(ctx, facts.code);
    if (state.exists) continue;
    try {
      await registerProgramme({ ...ctx, actor: ctx.actor ?? SYSTEM_ACTOR, idempotencyKey: `seed:programme:${facts.code}` }, seedRegistration(facts));
      registered.push(facts.code);
    } catch (error) {
      // Another process registered it first: the append conflicts, or the retry decides on the
      // fresh state and finds the programme registered.
      const registeredMeanwhile =
        error instanceof ConcurrencyError || (error instanceof RuleViolationError && error.rule === 'programme-already-registered');
      if (!registeredMeanwhile) throw error;
    }
  }
  return registered;
}
