// Given/when/then tests of the programme register: registration, changes, the end date, the seed
// facts, the upcaster of the seed's first shape, and the rules that tie grants and positions to
// their programme (term, funded roles, financing figures, municipality on the notice day).
import { describe, expect, it } from 'vitest';
import { PROGRAMMES, RegisterProgrammeBody, parseEvent } from '../../schemas/index.js';
import { grantDecider, positionDecider, programmeDecider, type GrantCommand, type ProgrammeCommand } from '../../src/domain/index.js';
import { grantAwarded, positionEstablished, seedProgramme } from './fixtures.js';
import { ev, given, out } from './given-when-then.js';

const NO_DEFAULTS = { financingType: null, fundingRatePercent: null, spendWithinDays: null, finalProofDueMonths: null };
const body = {
  code: 'bildungskommunen',
  name: 'Bildungskommunen',
  funderKind: 'bund' as const,
  funderName: 'BMBF (ESF Plus)',
  legalBasis: 'Förderrichtlinie „Bildungskommunen“ (ESF Plus)',
  startsOn: '2022-01-01',
  endsOn: '2028-12-31',
  fundedRoles: ['bildungsmanagement' as const, 'bildungsmonitoring' as const],
  grantDefaults: { financingType: 'anteil' as const, fundingRatePercent: 60 },
};
const registered = {
  ...body,
  guidelineDate: null,
  grantDefaults: { ...NO_DEFAULTS, financingType: 'anteil' as const, fundingRatePercent: 60 },
};
const register: ProgrammeCommand = { type: 'RegisterProgramme', data: body };
const setEnd = (endsOn: string): ProgrammeCommand => ({ type: 'SetProgrammeEndDate', data: { endsOn, reason: 'Änderung der Richtlinie' } });

describe('programme decider', () => {
  it('registers a programme with term, funded roles and grant defaults', () => {
    given(programmeDecider).when(register).then([out('ProgrammeRegistered', registered)]);
  });
  it('refuses registering it twice', () => {
    given(programmeDecider, [ev('ProgrammeRegistered', registered)]).when(register).thenThrows('programme-already-registered');
  });
  it('refuses an end date or a change on a programme that is not registered', () => {
    given(programmeDecider).when(setEnd('2021-12-31')).thenThrows('programme-not-registered');
    given(programmeDecider).when({ type: 'ChangeProgramme', data: { name: 'x', reason: 'r' } }).thenThrows('programme-not-registered');
  });
  it('sets the end date, accepting the start day and refusing the day before', () => {
    given(programmeDecider, [ev('ProgrammeRegistered', registered)])
      .when(setEnd('2022-01-01'))
      .then([out('ProgrammeEndDateSet', { endsOn: '2022-01-01', reason: 'Änderung der Richtlinie' })]);
    given(programmeDecider, [ev('ProgrammeRegistered', registered)]).when(setEnd('2021-12-31')).thenThrows('programme-end-before-start');
  });
  it('records a change of name, term, roles and defaults as an event and folds it', () => {
    const change: ProgrammeCommand = {
      type: 'ChangeProgramme',
      data: { name: 'Bildungskommunen (2. Aufruf)', endsOn: '2029-06-30', fundedRoles: ['bildungsmanagement'], grantDefaults: { fundingRatePercent: 50 }, reason: 'Zweiter Förderaufruf' },
    };
    const changes = {
      name: 'Bildungskommunen (2. Aufruf)',
      endsOn: '2029-06-30',
      fundedRoles: ['bildungsmanagement' as const],
      grantDefaults: { ...NO_DEFAULTS, fundingRatePercent: 50 },
    };
    given(programmeDecider, [ev('ProgrammeRegistered', registered)]).when(change).then([out('ProgrammeChanged', { changes, reason: 'Zweiter Förderaufruf' })]);
    const g = given(programmeDecider, [ev('ProgrammeRegistered', registered), ev('ProgrammeChanged', { changes, reason: 'Zweiter Förderaufruf' })]);
    expect(g.state).toMatchObject({ name: 'Bildungskommunen (2. Aufruf)', endsOn: '2029-06-30', fundedRoles: ['bildungsmanagement'], startsOn: '2022-01-01' });
  });
  it('refuses a change that puts the end before the start (31.12.2021 < 01.01.2022)', () => {
    given(programmeDecider, [ev('ProgrammeRegistered', registered)])
      .when({ type: 'ChangeProgramme', data: { endsOn: '2021-12-31', reason: 'Tippfehler' } })
      .thenThrows('programme-end-before-start');
  });
  it('every seed programme registers as a valid command', () => {
    for (const p of PROGRAMMES) {
      const data = RegisterProgrammeBody.parse({ ...p, fundedRoles: [...p.fundedRoles], grantDefaults: { ...p.grantDefaults } });
      const events = programmeDecider.decide({ type: 'RegisterProgramme', data }, programmeDecider.initialState());
      expect(events).toHaveLength(1);
      expect(events[0]!.data).toMatchObject({ code: p.code, fundedRoles: p.fundedRoles, endsOn: p.endsOn });
    }
    expect(PROGRAMMES.map((p) => p.code)).toEqual(['bildung-integriert', 'neuzugewanderte', 'thilik']);
    expect(PROGRAMMES.find((p) => p.code === 'bildung-integriert')?.endsOn).toBe('2021-06-30');
    expect(PROGRAMMES.find((p) => p.code === 'thilik')?.endsOn).toBeNull();
  });
  it('reads a ProgrammeRegistered of schemaVersion 1 (the first seed) as the register shape', () => {
    const v1 = { code: 'thilik', name: 'ThILIK', funder: 'Land Thüringen', legalBasis: 'Armutspräventionsrichtlinie', startsOn: '2016-05-01', endsOn: null };
    const read = parseEvent('ProgrammeRegistered', 1, v1);
    expect(read.schemaVersion).toBe(2);
    expect(read.data).toEqual({
      code: 'thilik', name: 'ThILIK', funderKind: 'land', funderName: 'Land Thüringen', legalBasis: 'Armutspräventionsrichtlinie',
      guidelineDate: null, startsOn: '2016-05-01', endsOn: null, fundedRoles: null, grantDefaults: NO_DEFAULTS,
    });
    expect(parseEvent('ProgrammeRegistered', 1, { ...v1, funder: 'BMBF' }).data).toMatchObject({ funderKind: 'bund' });
  });
});

describe('grants and positions against the programme register', () => {
  const bi = seedProgramme('bildung-integriert');
  const award = (over: Partial<ReturnType<typeof grantAwarded>['data']> = {}, programme = bi): GrantCommand => ({
    type: 'AwardGrant',
    data: { ...grantAwarded().data, ...over },
    programme,
  });
  it('refuses a grant of a programme that is not registered', () => {
    given(grantDecider).when(award({ programme: 'bildungskommunen' }, programmeDecider.initialState())).thenThrows('programme-not-registered');
  });
  it('grant within the term: ending on the programme end 30.06.2021 is allowed, 01.07.2021 refused', () => {
    expect(grantDecider.decide(award({ periodEnd: '2021-06-30' }), grantDecider.initialState())).toHaveLength(1);
    given(grantDecider).when(award({ periodEnd: '2021-07-01' })).thenThrows('grant-outside-programme-term');
  });
  it('grant within the term: starting on the programme start 27.01.2015 is allowed, the day before refused', () => {
    expect(grantDecider.decide(award({ awardedOn: '2015-01-20', periodStart: '2015-01-27' }), grantDecider.initialState())).toHaveLength(1);
    given(grantDecider).when(award({ awardedOn: '2015-01-20', periodStart: '2015-01-26' })).thenThrows('grant-outside-programme-term');
  });
  it('an amendment beyond the programme end is refused (30.06.2021 allowed, 01.07.2021 refused)', () => {
    const amend = (periodEnd: string): GrantCommand => ({ type: 'AmendGrant', data: { amendedOn: '2019-06-01', periodEnd, reason: 'Verlängerung' }, programme: bi });
    given(grantDecider, [grantAwarded()]).when(amend('2021-06-30')).then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: '2021-06-30', amountCents: null, ownShareCents: null, reason: 'Verlängerung' })]);
    given(grantDecider, [grantAwarded()]).when(amend('2021-07-01')).thenThrows('grant-outside-programme-term');
  });
  it('Anteilfinanzierung 80 %: 306.000 € × 20/80 = 76.500 € own share accepted; 1 % tolerance (765 €) at its edge; 0 € refused', () => {
    const anteil = { fundingRatePercent: 80, financingType: 'anteil' as const, amountCents: 30_600_000 };
    expect(grantDecider.decide(award({ ...anteil, ownShareCents: 7_650_000 }), grantDecider.initialState())).toHaveLength(1);
    expect(grantDecider.decide(award({ ...anteil, ownShareCents: 7_650_000 + 76_500 }), grantDecider.initialState())).toHaveLength(1);
    given(grantDecider).when(award({ ...anteil, ownShareCents: 7_650_000 + 76_501 })).thenThrows('financing-contradiction');
    given(grantDecider).when(award({ ...anteil, ownShareCents: 0 })).thenThrows('financing-contradiction');
  });
  it('Vollfinanzierung needs 100 % and no own share', () => {
    given(grantDecider).when(award({ financingType: 'voll', fundingRatePercent: 90, ownShareCents: 0 })).thenThrows('financing-contradiction');
    given(grantDecider).when(award({ financingType: 'voll', fundingRatePercent: 100, ownShareCents: 100 })).thenThrows('financing-contradiction');
  });
  it('Fehlbedarfsfinanzierung at 90 % with a negligible own share is refused (20.000 € × 10/90 = 2.222,22 €; below 22,22 € refused)', () => {
    const base = { financingType: 'fehlbedarf' as const, fundingRatePercent: 90, amountCents: 2_000_000 };
    given(grantDecider).when(award({ ...base, ownShareCents: 2_221 })).thenThrows('financing-contradiction');
    expect(grantDecider.decide(award({ ...base, ownShareCents: 2_222 }), grantDecider.initialState())).toHaveLength(1);
  });
  it("takes the programme's defaults for fields the notice leaves out", () => {
    const nz = seedProgramme('neuzugewanderte');
    const { financingType: _f, fundingRatePercent: _r, spendWithin: _s, finalProofDueMonths: _m, ...rest } = grantAwarded({ programme: 'neuzugewanderte' }).data;
    const [event] = grantDecider.decide({ type: 'AwardGrant', data: rest, programme: nz }, grantDecider.initialState());
    expect(event!.data).toMatchObject({ financingType: 'voll', fundingRatePercent: 100, spendWithin: { days: 42 }, finalProofDueMonths: 6 });
    given(grantDecider).when({ type: 'AwardGrant', data: rest, programme: seedProgramme('thilik') }).thenThrows('financing-type-missing');
  });
  it('refuses a grant to Eisenach after it joined the Wartburgkreis (30.06.2021 allowed, 01.07.2021 refused)', () => {
    const thilik = seedProgramme('thilik');
    const eisenach = { programme: 'thilik', municipality: '16056000', periodStart: '2021-07-01', periodEnd: '2021-12-31' };
    expect(grantDecider.decide(award({ ...eisenach, awardedOn: '2021-06-30' }, thilik), grantDecider.initialState())).toHaveLength(1);
    given(grantDecider).when(award({ ...eisenach, awardedOn: '2021-07-01' }, thilik)).thenThrows('municipality-not-existing');
  });
  it('refuses a position with a role the programme does not fund', () => {
    const grant = grantDecider.evolve(grantDecider.initialState(), grantAwarded());
    const establish = (role: 'bildungsmanagement' | 'integrationsmanagement') => ({
      type: 'EstablishPosition' as const,
      data: { ...positionEstablished({ role }).data },
      grant,
      programme: bi,
    });
    expect(positionDecider.decide(establish('bildungsmanagement'), positionDecider.initialState())).toHaveLength(1);
    given(positionDecider).when(establish('integrationsmanagement')).thenThrows('role-not-funded');
  });
});
