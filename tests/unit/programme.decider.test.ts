// Given/when/then tests of the programme decider and the seed facts.
import { describe, expect, it } from 'vitest';
import { PROGRAMMES, RegisterProgrammeBody } from '../../schemas/index.js';
import { programmeDecider, type ProgrammeCommand } from '../../src/domain/index.js';
import { ev, given, out } from './given-when-then.js';

const facts = {
  code: 'thilik' as const,
  name: 'ThILIK',
  funder: 'Land Thüringen' as const,
  legalBasis: 'Armutspräventionsrichtlinie',
  startsOn: '2016-05-01',
  endsOn: null,
};
const register: ProgrammeCommand = { type: 'RegisterProgramme', data: facts };
const setEnd = (endsOn: string): ProgrammeCommand => ({ type: 'SetProgrammeEndDate', data: { endsOn, reason: 'Änderung der Richtlinie' } });

describe('programme decider', () => {
  it('registers a programme on an empty stream', () => {
    given(programmeDecider).when(register).then([out('ProgrammeRegistered', facts)]);
  });
  it('refuses registering it twice', () => {
    given(programmeDecider, [ev('ProgrammeRegistered', facts)]).when(register).thenThrows('programme-already-registered');
  });
  it('refuses an end date on a programme that is not registered', () => {
    given(programmeDecider).when(setEnd('2021-12-31')).thenThrows('programme-not-registered');
  });
  it('sets the end date, accepting the start day and refusing the day before', () => {
    given(programmeDecider, [ev('ProgrammeRegistered', facts)])
      .when(setEnd('2016-05-01'))
      .then([out('ProgrammeEndDateSet', { endsOn: '2016-05-01', reason: 'Änderung der Richtlinie' })]);
    given(programmeDecider, [ev('ProgrammeRegistered', facts)]).when(setEnd('2016-04-30')).thenThrows('programme-end-before-start');
  });
  it('stores a missing reason as null and shows the change in the state', () => {
    const g = given(programmeDecider, [ev('ProgrammeRegistered', facts), ev('ProgrammeEndDateSet', { endsOn: '2021-12-31', reason: null })]);
    expect(g.state).toMatchObject({ exists: true, endsOn: '2021-12-31', endDateChanges: [{ endsOn: '2021-12-31', reason: null }] });
    given(programmeDecider, [ev('ProgrammeRegistered', facts)])
      .when({ type: 'SetProgrammeEndDate', data: { endsOn: '2022-12-31' } })
      .then([out('ProgrammeEndDateSet', { endsOn: '2022-12-31', reason: null })]);
  });
  it('refuses a registration whose end lies before its start (second line behind the schema)', () => {
    given(programmeDecider).when({ type: 'RegisterProgramme', data: { ...facts, endsOn: '2016-04-30' } }).thenThrows('programme-end-before-start');
  });
  it('every seed programme registers as a valid command', () => {
    for (const p of PROGRAMMES) {
      const { guidelineDate: _g, ...body } = p;
      const data = RegisterProgrammeBody.parse(body);
      given(programmeDecider).when({ type: 'RegisterProgramme', data }).then([out('ProgrammeRegistered', data)]);
    }
    expect(PROGRAMMES.map((p) => p.code)).toEqual(['bildung-integriert', 'neuzugewanderte', 'thilik']);
    expect(PROGRAMMES.find((p) => p.code === 'bildung-integriert')?.endsOn).toBe('2021-06-30');
    expect(PROGRAMMES.find((p) => p.code === 'thilik')?.endsOn).toBeNull();
  });
});
