// Shared test data: an Eisenach "Bildung integriert" grant (Förderkennzeichen 01JL1685) and a
// position funded by it.
import { PROGRAMMES, type DomainEvent } from '../../schemas/index.js';
import { seedRegistration } from '../../src/commands/index.js';
import { programmeDecider, type ProgrammeState } from '../../src/domain/index.js';
import { ev } from './given-when-then.js';

export const GRANT_ID = '0b8f6c1e-6f5c-4b8e-9c1a-1f2d3e4a5b6c';
export const POSITION_ID = '7d3e2a10-5b4c-4f6e-8a9b-0c1d2e3f4a5b';
export const EISENACH = '16056000';
export const JENA = '16053000';

export const grantAwarded = (over: Partial<DomainEvent<'GrantAwarded'>['data']> = {}) =>
  ev('GrantAwarded', {
    grantId: GRANT_ID,
    municipality: EISENACH,
    programme: 'bildung-integriert',
    reference: '01JL1685',
    awardedOn: '2016-12-15',
    periodStart: '2017-01-01',
    periodEnd: '2019-12-31',
    amountCents: 2_000_000,
    fundingRatePercent: 100,
    financingType: 'anteil',
    ownShareCents: 0,
    spendWithin: { days: 42 },
    finalProofDueMonths: 6,
    earlyStartApprovedOn: null,
    ...over,
  });

export const positionEstablished = (over: Partial<DomainEvent<'PositionEstablished'>['data']> = {}) =>
  ev('PositionEstablished', {
    positionId: POSITION_ID,
    municipality: EISENACH,
    programme: 'bildung-integriert',
    grantId: GRANT_ID,
    title: 'Bildungsmanagement',
    role: 'bildungsmanagement',
    fte: 1,
    payGrade: 'E 13',
    annualCostCents: 8_600_000,
    establishedOn: '2017-01-01',
    ...over,
  });

/** The registered state of a seed programme (from the seed facts), as a handler passes it to a decider. */
export function seedProgramme(code: string): ProgrammeState {
  const facts = PROGRAMMES.find((p) => p.code === code);
  if (!facts) throw new Error(`no seed programme ${code}`);
  return programmeDecider.evolve(
    programmeDecider.initialState(),
    ev('ProgrammeRegistered', {
      ...seedRegistration(facts),
      grantDefaults: { financingType: null, fundingRatePercent: null, spendWithinDays: null, finalProofDueMonths: null, ...facts.grantDefaults },
    }),
  );
}
