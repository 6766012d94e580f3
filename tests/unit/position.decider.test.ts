// Given/when/then tests of every rule of the position decider, refusal and allowed boundary.
import { describe, expect, it } from 'vitest';
import { grantDecider, inPostOn, lastDayInPost, leavesWhenVacated, positionDecider, type GrantState, type PositionCommand } from '../../src/domain/index.js';
import { EISENACH, GRANT_ID, grantAwarded, JENA, POSITION_ID, positionEstablished, seedProgramme } from './fixtures.js';
import { ev, given, out } from './given-when-then.js';

const grant: GrantState = grantDecider.evolve(grantDecider.initialState(), grantAwarded());
const establish = (grantState: GrantState | null, over: Partial<ReturnType<typeof positionEstablished>['data']> = {}): PositionCommand => ({
  type: 'EstablishPosition',
  data: { ...positionEstablished(over).data },
  grant: grantState,
  programme: seedProgramme('bildung-integriert'),
});
const staffed = (personRef: string, startsOn: string, endsOn: string | null, fte: number) =>
  ev('PositionStaffed', { personRef, startsOn, endsOn, fte, contractSignedOn: null });
const staff = (personRef: string, startsOn: string, endsOn: string | undefined, fte: number): PositionCommand => ({
  type: 'StaffPosition',
  data: endsOn === undefined ? { personRef, startsOn, fte } : { personRef, startsOn, endsOn, fte },
});
const vacated = (vacatedOn: string, personRef: string | null = null) =>
  ev('PositionVacated', { vacatedOn, reason: 'Kündigung', personRef });
const decided = ev('ContinuationDecided', {
  decision: 'own-funds',
  effectiveFrom: '2020-01-01',
  ownFundsSharePercent: 100,
  decidedBy: 'council',
  resolutionRef: 'SR-2019/117',
  decidedOn: '2019-09-25',
  followUpGrantId: null,
  followUpEndsOn: null,
});
const decideOwnFunds: PositionCommand = {
  type: 'DecideContinuation',
  data: { decision: 'own-funds', effectiveFrom: '2020-01-01', decidedBy: 'council', resolutionRef: 'SR-2019/117', decidedOn: '2019-09-25' },
};

describe('position decider', () => {
  describe('EstablishPosition', () => {
    it('establishes a position against an existing grant of the same municipality and programme', () => {
      given(positionDecider).when(establish(grant)).then([out('PositionEstablished', positionEstablished().data)]);
    });
    it('refuses a second establishment on an existing stream', () => {
      given(positionDecider, [positionEstablished()]).when(establish(grant)).thenThrows('position-already-exists');
    });
    it('refuses a grant that was not found (null or not existing)', () => {
      given(positionDecider).when(establish(null)).thenThrows('grant-not-found');
      given(positionDecider).when(establish({ exists: false })).thenThrows('grant-not-found');
    });
    it('refuses a grant of another municipality', () => {
      given(positionDecider).when(establish(grant, { municipality: JENA })).thenThrows('grant-municipality-mismatch');
    });
    it('refuses a grant of another programme', () => {
      given(positionDecider).when(establish(grant, { programme: 'thilik' })).thenThrows('grant-programme-mismatch');
    });
  });

  describe('a stream without PositionEstablished takes only EstablishPosition', () => {
    const others: PositionCommand[] = [
      staff('P-0001', '2017-01-01', undefined, 1),
      { type: 'VacatePosition', data: { vacatedOn: '2018-01-01', reason: 'x' } },
      decideOwnFunds,
      { type: 'RevokeContinuationDecision', data: { revokedOn: '2019-10-01', reason: 'Fehler' } },
      { type: 'AbolishPosition', data: { abolishedOn: '2021-07-01' } },
    ];
    for (const command of others)
      it(`refuses ${command.type}`, () => {
        given(positionDecider).when(command).thenThrows('position-not-found');
      });
  });

  describe('StaffPosition', () => {
    it('accepts a staffing starting on the day the position is established, refuses the day before', () => {
      given(positionDecider, [positionEstablished()])
        .when(staff('P-0042', '2017-01-01', '2019-12-31', 1))
        .then([out('PositionStaffed', { personRef: 'P-0042', startsOn: '2017-01-01', endsOn: '2019-12-31', fte: 1, contractSignedOn: null })]);
      given(positionDecider, [positionEstablished()]).when(staff('P-0042', '2016-12-31', undefined, 1)).thenThrows('staffing-before-establishment');
    });
    it('refuses an end before the start, accepts a one-day staffing', () => {
      given(positionDecider, [positionEstablished()]).when(staff('P-0042', '2017-02-02', '2017-02-01', 1)).thenThrows('staffing-end-before-start');
      given(positionDecider, [positionEstablished()])
        .when(staff('P-0042', '2017-02-01', '2017-02-01', 1))
        .then([out('PositionStaffed', { personRef: 'P-0042', startsOn: '2017-02-01', endsOn: '2017-02-01', fte: 1, contractSignedOn: null })]);
    });
    it('stores an open-ended staffing with endsOn null', () => {
      given(positionDecider, [positionEstablished()])
        .when(staff('P-0042', '2017-02-01', undefined, 0.5))
        .then([out('PositionStaffed', { personRef: 'P-0042', startsOn: '2017-02-01', endsOn: null, fte: 0.5, contractSignedOn: null })]);
    });
    it('accepts two 0.5 persons on a 1.0 position and refuses a third', () => {
      const two = [positionEstablished(), staffed('P-0001', '2017-01-01', null, 0.5)];
      given(positionDecider, two)
        .when(staff('P-0002', '2017-03-01', '2019-12-31', 0.5))
        .then([out('PositionStaffed', { personRef: 'P-0002', startsOn: '2017-03-01', endsOn: '2019-12-31', fte: 0.5, contractSignedOn: null })]);
      given(positionDecider, [...two, staffed('P-0002', '2017-03-01', '2019-12-31', 0.5)])
        .when(staff('P-0003', '2018-01-01', '2018-06-30', 0.5))
        .thenThrows('staffing-exceeds-fte');
    });
    it('refuses a single staffing above the position fte, counting with exact hundredths', () => {
      given(positionDecider, [positionEstablished({ fte: 0.5 })]).when(staff('P-0001', '2017-01-01', undefined, 0.51)).thenThrows('staffing-exceeds-fte');
      given(positionDecider, [positionEstablished(), staffed('P-0001', '2017-01-01', null, 0.33)])
        .when(staff('P-0002', '2017-01-01', undefined, 0.67))
        .then([out('PositionStaffed', { personRef: 'P-0002', startsOn: '2017-01-01', endsOn: null, fte: 0.67, contractSignedOn: null })]);
    });
    it('accepts sequential non-overlapping staffings (next starts the day after the last ends)', () => {
      given(positionDecider, [positionEstablished(), staffed('P-0001', '2017-01-01', '2018-06-30', 1)])
        .when(staff('P-0002', '2018-07-01', undefined, 1))
        .then([out('PositionStaffed', { personRef: 'P-0002', startsOn: '2018-07-01', endsOn: null, fte: 1, contractSignedOn: null })]);
      given(positionDecider, [positionEstablished(), staffed('P-0001', '2017-01-01', '2018-06-30', 1)])
        .when(staff('P-0002', '2018-06-30', undefined, 1))
        .thenThrows('staffing-exceeds-fte');
    });
    it('ends a staffing at vacatedOn when vacated earlier', () => {
      const events = [positionEstablished(), staffed('P-0001', '2017-01-01', '2019-12-31', 1), vacated('2018-03-31')];
      given(positionDecider, events)
        .when(staff('P-0002', '2018-04-01', '2019-12-31', 1))
        .then([out('PositionStaffed', { personRef: 'P-0002', startsOn: '2018-04-01', endsOn: '2019-12-31', fte: 1, contractSignedOn: null })]);
      given(positionDecider, events).when(staff('P-0002', '2018-03-31', '2019-12-31', 1)).thenThrows('staffing-exceeds-fte');
    });
    it('counts the busiest day, not every overlapping staffing: two sequential halves leave room for a third half', () => {
      given(positionDecider, [positionEstablished(), staffed('P-0001', '2017-01-01', '2017-06-30', 0.5), staffed('P-0002', '2017-07-01', '2017-12-31', 0.5)])
        .when(staff('P-0003', '2017-01-01', '2017-12-31', 0.5))
        .then([out('PositionStaffed', { personRef: 'P-0003', startsOn: '2017-01-01', endsOn: '2017-12-31', fte: 0.5, contractSignedOn: null })]);
    });
    it('refuses an open-ended staffing that runs into a later one', () => {
      given(positionDecider, [positionEstablished(), staffed('P-0001', '2019-01-01', '2019-12-31', 1)])
        .when(staff('P-0002', '2017-01-01', undefined, 0.5))
        .thenThrows('staffing-exceeds-fte');
    });
  });

  describe('VacatePosition', () => {
    const inPost = [positionEstablished(), staffed('P-0001', '2017-01-01', '2019-12-31', 0.5), staffed('P-0002', '2017-01-01', '2018-12-31', 0.5)];
    it('accepts vacating on the last contract day', () => {
      given(positionDecider, inPost)
        .when({ type: 'VacatePosition', data: { vacatedOn: '2019-12-31', reason: 'Vertragsende' } })
        .then([out('PositionVacated', { vacatedOn: '2019-12-31', reason: 'Vertragsende', personRef: null })]);
    });
    it('refuses vacating when nobody is in post on that day', () => {
      given(positionDecider, inPost).when({ type: 'VacatePosition', data: { vacatedOn: '2020-01-01', reason: 'x' } }).thenThrows('nobody-in-post');
      given(positionDecider, [positionEstablished()]).when({ type: 'VacatePosition', data: { vacatedOn: '2018-01-01', reason: 'x' } }).thenThrows('nobody-in-post');
    });
    it('refuses vacating a named person who is not in post that day', () => {
      given(positionDecider, inPost)
        .when({ type: 'VacatePosition', data: { vacatedOn: '2019-06-30', reason: 'x', personRef: 'P-0002' } })
        .thenThrows('nobody-in-post');
    });
    it('with personRef ends only that person, without it everyone in post', () => {
      const one = given(positionDecider, [...inPost, vacated('2018-06-30', 'P-0001')]).state;
      expect(one.exists && one.staffings.map((s) => s.vacatedOn)).toEqual(['2018-06-30', null]);
      const all = given(positionDecider, [...inPost, vacated('2018-06-30')]).state;
      expect(all.exists && all.staffings.map((s) => s.vacatedOn)).toEqual(['2018-06-30', '2018-06-30']);
    });
  });

  describe('DecideContinuation and its revocation', () => {
    it('decides when no decision is in force, applying the own-funds default of 100 %', () => {
      given(positionDecider, [positionEstablished()]).when(decideOwnFunds).then([out('ContinuationDecided', decided.data)]);
    });
    it('refuses a second decision while one is in force', () => {
      given(positionDecider, [positionEstablished(), decided]).when(decideOwnFunds).thenThrows('continuation-already-decided');
    });
    it('accepts a new decision after revoking the old one', () => {
      given(positionDecider, [positionEstablished(), decided, ev('ContinuationDecisionRevoked', { revokedOn: '2019-10-01', reason: 'Haushalt' })])
        .when(decideOwnFunds)
        .then([out('ContinuationDecided', decided.data)]);
    });
    it('refuses revoking when no decision is in force, accepts it when one is', () => {
      const revoke: PositionCommand = { type: 'RevokeContinuationDecision', data: { revokedOn: '2019-10-01', reason: 'Haushalt' } };
      given(positionDecider, [positionEstablished()]).when(revoke).thenThrows('no-continuation-decision');
      given(positionDecider, [positionEstablished(), decided]).when(revoke).then([out('ContinuationDecisionRevoked', revoke.data)]);
    });
    it('refuses a council decision without resolution number (second line behind the schema)', () => {
      const data = { ...decideOwnFunds.data } as Extract<PositionCommand, { type: 'DecideContinuation' }>['data'];
      delete data.resolutionRef;
      given(positionDecider, [positionEstablished()]).when({ type: 'DecideContinuation', data }).thenThrows('resolution-ref-required');
    });
    it('accepts an administration decision without resolution number', () => {
      given(positionDecider, [positionEstablished()])
        .when({ type: 'DecideContinuation', data: { decision: 'discontinue', effectiveFrom: '2020-01-01', decidedBy: 'administration', decidedOn: '2019-09-01' } })
        .then([out('ContinuationDecided', { decision: 'discontinue', effectiveFrom: '2020-01-01', ownFundsSharePercent: 0, decidedBy: 'administration', resolutionRef: null, decidedOn: '2019-09-01', followUpGrantId: null, followUpEndsOn: null })]);
    });
    it('checks the own-funds share per decision (second line behind the schema)', () => {
      const base = { effectiveFrom: '2020-01-01', decidedBy: 'administration' as const, decidedOn: '2019-09-01' };
      const d = (decision: 'own-funds' | 'partial' | 'follow-up-funding' | 'discontinue', ownFundsSharePercent?: number): PositionCommand => ({
        type: 'DecideContinuation',
        data: ownFundsSharePercent === undefined ? { ...base, decision } : { ...base, decision, ownFundsSharePercent },
      });
      const g = given(positionDecider, [positionEstablished()]);
      g.when(d('own-funds', 50)).thenThrows('own-funds-share-invalid');
      g.when(d('partial')).thenThrows('own-funds-share-invalid');
      g.when(d('partial', 100)).thenThrows('own-funds-share-invalid');
      g.when(d('partial', 0)).thenThrows('own-funds-share-invalid');
      g.when(d('follow-up-funding', 100)).thenThrows('own-funds-share-invalid');
      g.when(d('discontinue', 10)).thenThrows('own-funds-share-invalid');
      g.when(d('partial', 50)).then([out('ContinuationDecided', { ...base, decision: 'partial', ownFundsSharePercent: 50, resolutionRef: null, followUpGrantId: null, followUpEndsOn: null })]);
      const followUp = (share?: number): PositionCommand => {
        const c = d('follow-up-funding', share) as Extract<PositionCommand, { type: 'DecideContinuation' }>;
        return { ...c, data: { ...c.data, followUpEndsOn: '2023-12-31' } };
      };
      const named = { resolutionRef: null, followUpGrantId: null, followUpEndsOn: '2023-12-31' };
      g.when(followUp()).then([out('ContinuationDecided', { ...base, decision: 'follow-up-funding', ownFundsSharePercent: 0, ...named })]);
      g.when(followUp(40)).then([out('ContinuationDecided', { ...base, decision: 'follow-up-funding', ownFundsSharePercent: 40, ...named })]);
      // issue 14 item 4: follow-up funding names its grant or its period.
      g.when(d('follow-up-funding')).thenThrows('follow-up-unnamed');
    });
  });

  describe('an abolished position takes nothing', () => {
    const abolished = [positionEstablished(), ev('PositionAbolished', { abolishedOn: '2021-07-01', reason: 'kw-Vermerk', contractOutcome: null })];
    const commands: PositionCommand[] = [
      staff('P-0001', '2021-08-01', undefined, 1),
      { type: 'VacatePosition', data: { vacatedOn: '2021-08-01', reason: 'x' } },
      decideOwnFunds,
      { type: 'RevokeContinuationDecision', data: { revokedOn: '2021-08-01', reason: 'x' } },
      { type: 'AbolishPosition', data: { abolishedOn: '2021-08-01' } },
    ];
    for (const command of commands)
      it(`refuses ${command.type}`, () => {
        given(positionDecider, abolished).when(command).thenThrows('position-abolished');
      });
    it('abolishes an open position', () => {
      given(positionDecider, [positionEstablished()])
        .when({ type: 'AbolishPosition', data: { abolishedOn: '2021-07-01' } })
        .then([out('PositionAbolished', { abolishedOn: '2021-07-01', reason: null, contractOutcome: null })]);
    });
  });

  describe('state: the readable snapshot of GET /positions/{id}', () => {
    it('starts as { exists: false }', () => {
      expect(positionDecider.initialState()).toEqual({ exists: false });
    });
    it('shows staffings, the decision in force and the decision history', () => {
      const { state } = given(positionDecider, [
        positionEstablished(),
        staffed('P-0042', '2017-01-01', '2019-12-31', 1),
        decided,
        ev('ContinuationDecisionRevoked', { revokedOn: '2019-10-01', reason: 'Haushalt' }),
        { ...decided, data: { ...decided.data, decision: 'partial', ownFundsSharePercent: 50 } },
      ]);
      expect(state).toMatchObject({
        exists: true,
        positionId: POSITION_ID,
        municipality: EISENACH,
        grantId: GRANT_ID,
        payGrade: 'E 13',
        staffings: [{ personRef: 'P-0042', startsOn: '2017-01-01', endsOn: '2019-12-31', fte: 1, vacatedOn: null }],
        continuation: { decision: 'partial', ownFundsSharePercent: 50, revokedOn: null },
        decisionHistory: [
          { decision: 'own-funds', revokedOn: '2019-10-01', revokeReason: 'Haushalt' },
          { decision: 'partial', revokedOn: null },
        ],
        abolishedOn: null,
        status: 'open',
      });
    });
  });

  describe('issue 14: follow-up funding, abolition of a staffed position', () => {
    const followUp = ev('ContinuationDecided', {
      decision: 'follow-up-funding',
      effectiveFrom: '2020-01-01',
      ownFundsSharePercent: 0,
      decidedBy: 'council',
      resolutionRef: 'KT 1/2019',
      decidedOn: '2019-09-25',
      followUpGrantId: null,
      followUpEndsOn: '2023-12-31',
    });
    const after = (effectiveFrom: string): PositionCommand => ({
      type: 'DecideContinuation',
      data: { decision: 'own-funds', effectiveFrom, decidedBy: 'administration', decidedOn: '2023-06-01' },
    });
    it('after follow-up funding that names its end, a decision for later is taken without revoking it; one from the same day is not', () => {
      given(positionDecider, [positionEstablished(), followUp])
        .when(after('2024-01-01'))
        .then([out('ContinuationDecided', { decision: 'own-funds', effectiveFrom: '2024-01-01', ownFundsSharePercent: 100, decidedBy: 'administration', resolutionRef: null, decidedOn: '2023-06-01', followUpGrantId: null, followUpEndsOn: null })]);
      given(positionDecider, [positionEstablished(), followUp]).when(after('2020-01-01')).thenThrows('continuation-already-decided');
    });
    it('revoking the later decision puts the follow-up funding back in force', () => {
      const later = ev('ContinuationDecided', { ...decided.data, effectiveFrom: '2024-01-01', decidedOn: '2023-06-01' });
      const { state } = given(positionDecider, [positionEstablished(), followUp, later, ev('ContinuationDecisionRevoked', { revokedOn: '2023-07-01', reason: 'x' })]);
      expect(state).toMatchObject({ continuation: { decision: 'follow-up-funding', followUpEndsOn: '2023-12-31' } });
    });
    it('refuses a follow-up grant that is not recorded, is the position\'s own grant, or a follow-up period ending before it starts', () => {
      const g = given(positionDecider, [positionEstablished()]);
      const base = { decision: 'follow-up-funding' as const, effectiveFrom: '2020-01-01', decidedBy: 'administration' as const, decidedOn: '2019-09-01' };
      g.when({ type: 'DecideContinuation', data: { ...base, followUpGrantId: GRANT_ID }, followUpGrant: null }).thenThrows('follow-up-grant-not-found');
      g.when({ type: 'DecideContinuation', data: { ...base, followUpGrantId: GRANT_ID }, followUpGrant: grant }).thenThrows('follow-up-grant-is-current');
      g.when({ type: 'DecideContinuation', data: { ...base, followUpEndsOn: '2019-12-31' } }).thenThrows('follow-up-ends-before-start');
    });
    it('refuses to abolish a position someone is in post on that day unless the contract outcome is given; accepts it once the staffing ended the day before', () => {
      const staffedToEnd = [positionEstablished(), staffed('P-0042', '2017-01-01', '2021-06-30', 1)];
      const error = given(positionDecider, staffedToEnd)
        .when({ type: 'AbolishPosition', data: { abolishedOn: '2021-06-30' } })
        .thenThrows('abolish-staffed-position');
      expect(error.message).toMatch(/noch besetzt \(P-0042\)/);
      given(positionDecider, staffedToEnd)
        .when({ type: 'AbolishPosition', data: { abolishedOn: '2021-06-30', contractOutcome: 'Umsetzung in das Jugendamt' } })
        .then([out('PositionAbolished', { abolishedOn: '2021-06-30', reason: null, contractOutcome: 'Umsetzung in das Jugendamt' })]);
      given(positionDecider, staffedToEnd)
        .when({ type: 'AbolishPosition', data: { abolishedOn: '2021-07-01' } })
        .then([out('PositionAbolished', { abolishedOn: '2021-07-01', reason: null, contractOutcome: null })]);
    });
  });
});

describe('staffing period: the one rule for "in post on a day" (decider and read models)', () => {
  const period = (startsOn: string, endsOn: string | null, vacatedOn: string | null) => ({ startsOn, endsOn, vacatedOn });

  it('the last day in post is the earlier of contract end and vacancy; null while open-ended', () => {
    expect(lastDayInPost(period('2018-01-01', null, null))).toBeNull();
    expect(lastDayInPost(period('2018-01-01', '2019-12-31', null))).toBe('2019-12-31');
    expect(lastDayInPost(period('2018-01-01', null, '2018-06-30'))).toBe('2018-06-30');
    expect(lastDayInPost(period('2018-01-01', '2019-12-31', '2018-06-30'))).toBe('2018-06-30');
    expect(lastDayInPost(period('2018-01-01', '2018-03-31', '2018-06-30'))).toBe('2018-03-31');
  });

  it('in post from the first through the last day, both inclusive', () => {
    const p = period('2018-01-01', '2019-12-31', '2018-06-30');
    expect(inPostOn(p, '2017-12-31')).toBe(false);
    expect(inPostOn(p, '2018-01-01')).toBe(true);
    expect(inPostOn(p, '2018-06-30')).toBe(true);
    expect(inPostOn(p, '2018-07-01')).toBe(false);
    expect(inPostOn(period('2018-01-01', null, null), '2099-12-31')).toBe(true);
  });

  it('vacating ends everyone in post that day, or only the person named', () => {
    const a = { ...period('2018-01-01', null, null), personRef: 'A' };
    expect(leavesWhenVacated(a, '2018-05-31', null)).toBe(true);
    expect(leavesWhenVacated(a, '2018-05-31', undefined)).toBe(true);
    expect(leavesWhenVacated(a, '2018-05-31', 'A')).toBe(true);
    expect(leavesWhenVacated(a, '2018-05-31', 'B')).toBe(false);
    expect(leavesWhenVacated(a, '2017-12-31', null)).toBe(false);
  });
});
