// Given/when/then tests of every rule of the grant decider, refusal and allowed boundary.
import { describe, expect, it } from 'vitest';
import { grantDecider, type GrantCommand } from '../../src/domain/index.js';
import { EISENACH, GRANT_ID, grantAwarded, seedProgramme } from './fixtures.js';
import { ev, given, out } from './given-when-then.js';

const award = {
  type: 'AwardGrant',
  data: { ...grantAwarded().data },
  programme: seedProgramme('bildung-integriert'),
} satisfies GrantCommand;
const drawn = (drawnOn: string, amountCents: number) => ev('FundsDrawn', { drawnOn, amountCents });
const draw = (drawnOn: string, amountCents: number): GrantCommand => ({ type: 'DrawFunds', data: { drawnOn, amountCents } });
const amend = (data: { periodEnd?: string; amountCents?: number }): GrantCommand => ({
  type: 'AmendGrant',
  data: { amendedOn: '2019-06-01', reason: 'Verlängerung', ...data },
});

describe('grant decider', () => {
  describe('AwardGrant', () => {
    it('creates the grant on an empty stream', () => {
      given(grantDecider).when(award).then([out('GrantAwarded', grantAwarded().data)]);
    });
    it('refuses a second award on an existing stream', () => {
      given(grantDecider, [grantAwarded()]).when(award).thenThrows('grant-already-exists');
    });
    it('refuses a period that ends before it starts', () => {
      given(grantDecider)
        .when({ ...award, data: { ...award.data, periodStart: '2017-01-01', periodEnd: '2016-12-31' } })
        .thenThrows('period-end-before-start');
    });
    it('accepts a one-day period (end = start)', () => {
      const data = { ...grantAwarded().data, periodStart: '2017-01-01', periodEnd: '2017-01-01' };
      given(grantDecider).when({ type: 'AwardGrant', data, programme: seedProgramme('bildung-integriert') }).then([out('GrantAwarded', data)]);
    });
  });

  describe('a stream without GrantAwarded takes only AwardGrant', () => {
    const others: GrantCommand[] = [
      draw('2017-02-01', 1),
      amend({ amountCents: 1 }),
      { type: 'SubmitProofOfUse', data: { submittedOn: '2018-04-30', kind: 'interim' } },
      { type: 'CloseGrant', data: { closedOn: '2020-01-01' } },
    ];
    for (const command of others)
      it(`refuses ${command.type}`, () => {
        given(grantDecider).when(command).thenThrows('grant-not-found');
      });
  });

  describe('DrawFunds', () => {
    it('accepts a drawdown of exactly the remaining amount', () => {
      given(grantDecider, [grantAwarded(), drawn('2017-03-01', 1_200_000)])
        .when(draw('2017-06-01', 800_000))
        .then([out('FundsDrawn', { drawnOn: '2017-06-01', amountCents: 800_000 })]);
    });
    it('refuses a drawdown one cent above the remaining amount, naming the amounts in euros', () => {
      const error = given(grantDecider, [grantAwarded(), drawn('2017-03-01', 1_200_000)])
        .when(draw('2017-06-01', 800_001))
        .thenThrows('drawdown-exceeds-award');
      expect(error.message).toBe(
        'Der Mittelabruf von 8.000,01 € übersteigt den noch verfügbaren Bewilligungsbetrag von 8.000,00 €.',
      );
    });
    it('measures the remaining amount after an amendment', () => {
      const events = [grantAwarded(), drawn('2017-03-01', 1_200_000), ev('GrantAmended', { amendedOn: '2017-04-01', periodEnd: null, amountCents: 2_500_000, ownShareCents: null, reason: 'Aufstockung' })];
      given(grantDecider, events).when(draw('2017-06-01', 1_300_000)).then([out('FundsDrawn', { drawnOn: '2017-06-01', amountCents: 1_300_000 })]);
      given(grantDecider, events).when(draw('2017-06-01', 1_300_001)).thenThrows('drawdown-exceeds-award');
    });
    it('accepts a drawdown on periodStart and on periodEnd', () => {
      given(grantDecider, [grantAwarded()]).when(draw('2017-01-01', 100)).then([out('FundsDrawn', { drawnOn: '2017-01-01', amountCents: 100 })]);
      given(grantDecider, [grantAwarded()]).when(draw('2019-12-31', 100)).then([out('FundsDrawn', { drawnOn: '2019-12-31', amountCents: 100 })]);
    });
    it('refuses a drawdown the day before periodStart and the day after periodEnd', () => {
      given(grantDecider, [grantAwarded()]).when(draw('2016-12-31', 100)).thenThrows('drawdown-outside-period');
      given(grantDecider, [grantAwarded()]).when(draw('2020-01-01', 100)).thenThrows('drawdown-outside-period');
    });
    it('uses the amended period end', () => {
      const events = [grantAwarded(), ev('GrantAmended', { amendedOn: '2019-06-01', periodEnd: '2021-06-30', amountCents: null, ownShareCents: null, reason: 'Verlängerung' })];
      given(grantDecider, events).when(draw('2021-06-30', 100)).then([out('FundsDrawn', { drawnOn: '2021-06-30', amountCents: 100 })]);
      given(grantDecider, events).when(draw('2021-07-01', 100)).thenThrows('drawdown-outside-period');
    });
    it('refuses a drawdown of zero (second line behind the schema)', () => {
      given(grantDecider, [grantAwarded()]).when(draw('2017-02-01', 0)).thenThrows('drawdown-amount-not-positive');
    });
  });

  describe('AmendGrant', () => {
    const withDrawdown = [grantAwarded(), drawn('2019-03-15', 500_000)];
    it('accepts a cost-neutral extension', () => {
      given(grantDecider, withDrawdown)
        .when(amend({ periodEnd: '2021-06-30' }))
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: '2021-06-30', amountCents: null, ownShareCents: null, reason: 'Verlängerung' })]);
    });
    it('refuses an amendment that changes nothing', () => {
      given(grantDecider, withDrawdown).when(amend({})).thenThrows('amendment-empty');
    });
    it('refuses a period end before the last drawdown, accepts it on that day', () => {
      given(grantDecider, withDrawdown).when(amend({ periodEnd: '2019-03-14' })).thenThrows('amendment-period-before-last-drawdown');
      given(grantDecider, withDrawdown)
        .when(amend({ periodEnd: '2019-03-15' }))
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: '2019-03-15', amountCents: null, ownShareCents: null, reason: 'Verlängerung' })]);
    });
    it('refuses a period end before periodStart, accepts it on periodStart', () => {
      given(grantDecider, [grantAwarded()]).when(amend({ periodEnd: '2016-12-31' })).thenThrows('amendment-period-before-start');
      given(grantDecider, [grantAwarded()])
        .when(amend({ periodEnd: '2017-01-01' }))
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: '2017-01-01', amountCents: null, ownShareCents: null, reason: 'Verlängerung' })]);
    });
    it('refuses an amount below what was drawn, accepts exactly what was drawn', () => {
      given(grantDecider, withDrawdown).when(amend({ amountCents: 499_999 })).thenThrows('amendment-amount-below-drawn');
      given(grantDecider, withDrawdown)
        .when(amend({ amountCents: 500_000 }))
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: null, amountCents: 500_000, ownShareCents: 0, reason: 'Verlängerung' })]);
    });
  });

  describe('a closed grant takes nothing but proof of use', () => {
    const closed = [grantAwarded(), drawn('2017-03-01', 100), ev('GrantClosed', { closedOn: '2020-01-15' })];
    it('accepts the final proof of use', () => {
      given(grantDecider, closed)
        .when({ type: 'SubmitProofOfUse', data: { submittedOn: '2020-06-30', kind: 'final' } })
        .then([out('ProofOfUseSubmitted', { submittedOn: '2020-06-30', kind: 'final', spentCents: null })]);
    });
    it('refuses drawdowns, amendments and a second closing', () => {
      given(grantDecider, closed).when(draw('2019-12-01', 1)).thenThrows('grant-closed');
      given(grantDecider, closed).when(amend({ periodEnd: '2021-06-30' })).thenThrows('grant-closed');
      given(grantDecider, closed).when({ type: 'CloseGrant', data: { closedOn: '2020-02-01' } }).thenThrows('grant-closed');
    });
    it('closes an open grant', () => {
      given(grantDecider, [grantAwarded()])
        .when({ type: 'CloseGrant', data: { closedOn: '2020-01-15' } })
        .then([out('GrantClosed', { closedOn: '2020-01-15' })]);
    });
  });

  describe('state: the readable snapshot of GET /grants/{id}', () => {
    it('starts as { exists: false }', () => {
      expect(grantDecider.initialState()).toEqual({ exists: false });
    });
    it('shows amounts, lists and status after a history', () => {
      const { state } = given(grantDecider, [
        grantAwarded(),
        drawn('2017-03-01', 1_200_000),
        ev('GrantAmended', { amendedOn: '2019-06-01', periodEnd: '2021-06-30', amountCents: 3_000_000, ownShareCents: null, reason: 'Verlängerung' }),
        ev('ProofOfUseSubmitted', { submittedOn: '2018-04-30', kind: 'interim', spentCents: null }),
        ev('GrantClosed', { closedOn: '2021-07-15' }),
      ]);
      expect(state).toMatchObject({
        exists: true,
        grantId: GRANT_ID,
        municipality: EISENACH,
        periodStart: '2017-01-01',
        periodEnd: '2021-06-30',
        originalPeriodEnd: '2019-12-31',
        amountCents: 3_000_000,
        originalAmountCents: 2_000_000,
        drawnCents: 1_200_000,
        remainingCents: 1_800_000,
        drawdowns: [{ drawnOn: '2017-03-01', amountCents: 1_200_000 }],
        proofs: [{ submittedOn: '2018-04-30', kind: 'interim' }],
        closedOn: '2021-07-15',
        status: 'closed',
      });
      expect(state.exists && state.amendments).toHaveLength(1);
    });
  });

  describe('issue 14: drawdowns before the notice, own share of amendments, amendments out of order', () => {
    // A notice dated 01.02.2017 for a period from 01.01.2017.
    const lateNotice = grantAwarded({ awardedOn: '2017-02-01' });
    it('refuses a drawdown dated the day before the notice (31.01.2017) and accepts one on its day (01.02.2017)', () => {
      const error = given(grantDecider, [lateNotice]).when(draw('2017-01-31', 100)).thenThrows('drawdown-before-award');
      expect(error.message).toBe('Der Mittelabruf am 31.01.2017 liegt vor dem Zuwendungsbescheid vom 01.02.2017.');
      given(grantDecider, [lateNotice]).when(draw('2017-02-01', 100)).then([out('FundsDrawn', { drawnOn: '2017-02-01', amountCents: 100 })]);
    });
    it('derives the own share of more money under Anteilfinanzierung at 60 %: 120,000 € × 40/60 = 80,000.00 €', () => {
      const anteil = grantAwarded({ financingType: 'anteil', fundingRatePercent: 60, amountCents: 10_000_000, ownShareCents: 6_666_667 });
      given(grantDecider, [anteil])
        .when(amend({ amountCents: 12_000_000 }))
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: null, amountCents: 12_000_000, ownShareCents: 8_000_000, reason: 'Verlängerung' })]);
      // An own share named by the notice wins; a Festbetrag derives nothing.
      given(grantDecider, [anteil])
        .when({ type: 'AmendGrant', data: { amendedOn: '2019-06-01', amountCents: 12_000_000, ownShareCents: 7_000_000, reason: 'x' } })
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: null, amountCents: 12_000_000, ownShareCents: 7_000_000, reason: 'x' })]);
      given(grantDecider, [grantAwarded({ financingType: 'festbetrag' })])
        .when(amend({ amountCents: 3_000_000 }))
        .then([out('GrantAmended', { amendedOn: '2019-06-01', periodEnd: null, amountCents: 3_000_000, ownShareCents: null, reason: 'Verlängerung' })]);
    });
    it('folds amendments by amendedOn: an older notice recorded later leaves the newer end and amount in force', () => {
      const { state } = given(grantDecider, [
        grantAwarded(),
        ev('GrantAmended', { amendedOn: '2020-05-01', periodEnd: '2021-06-30', amountCents: 3_000_000, ownShareCents: null, reason: 'zweite' }),
        ev('GrantAmended', { amendedOn: '2019-10-02', periodEnd: '2020-12-31', amountCents: 2_500_000, ownShareCents: 10_000, reason: 'erste, nachgetragen' }),
      ]);
      expect(state).toMatchObject({ periodEnd: '2021-06-30', amountCents: 3_000_000, ownShareCents: 10_000, remainingCents: 3_000_000 });
    });
    it('checks a late-recorded older notice against the terms in force: it cannot cut below the last drawdown because it changes nothing', () => {
      const events = [
        grantAwarded(),
        ev('GrantAmended', { amendedOn: '2020-05-01', periodEnd: '2021-06-30', amountCents: null, ownShareCents: null, reason: 'zweite' }),
        drawn('2021-03-01', 100),
      ];
      given(grantDecider, events)
        .when({ type: 'AmendGrant', data: { amendedOn: '2019-10-02', periodEnd: '2020-12-31', reason: 'erste, nachgetragen' } })
        .then([out('GrantAmended', { amendedOn: '2019-10-02', periodEnd: '2020-12-31', amountCents: null, ownShareCents: null, reason: 'erste, nachgetragen' })]);
    });
    it('takes a spending window in months and keeps spendWithinDays for the days spelling', () => {
      const months = given(grantDecider).when({ ...award, data: { ...award.data, spendWithin: { months: 2 } } } as GrantCommand);
      const [event] = months.then([out('GrantAwarded', { ...grantAwarded().data, spendWithin: { months: 2 } })]);
      expect(grantDecider.evolve(grantDecider.initialState(), event as never)).toMatchObject({ spendWithin: { months: 2 }, spendWithinDays: null });
    });
  });
});
