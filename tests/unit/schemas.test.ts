// Primitive, event and command schemas: what a clerk may send and what is refused.
import { describe, expect, it } from 'vitest';
import {
  ags,
  AmendGrantBody,
  AwardGrantBody,
  businessDate,
  DecideContinuationBody,
  EstablishPositionBody,
  fte,
  MUNICIPALITIES,
  moneyCents,
  municipalityByAgs,
  percent,
  personRef,
  PositionVacatedData,
  programmeCode,
  shortText,
  StaffPositionBody,
  uuid,
} from '../../schemas/index.js';
import { grantAwarded, positionEstablished } from './fixtures.js';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(true);
const no = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => expect(schema.safeParse(v).success, JSON.stringify(v)).toBe(false);

/** The paths and messages of the issues of a failed parse. */
function issues(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }, v: unknown) {
  const r = schema.safeParse(v);
  expect(r.success).toBe(false);
  return (r.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

const { grantId: _g, ...awardBody } = grantAwarded().data;
const { positionId: _p, ...establishBody } = positionEstablished().data;

describe('primitives', () => {
  it('businessDate: real calendar dates only, German message', () => {
    ok(businessDate, '2020-02-29');
    ok(businessDate, '2019-12-31');
    no(businessDate, '2019-02-29');
    no(businessDate, '2019-13-01');
    no(businessDate, '2019-1-01');
    no(businessDate, '2019-01-01T00:00:00Z');
    no(businessDate, 20190101);
    expect(issues(businessDate, '2019-02-29')[0]?.message).toBe('Kein gültiges Kalenderdatum (JJJJ-MM-TT)');
  });
  it('moneyCents: safe non-negative integers', () => {
    ok(moneyCents, 0);
    ok(moneyCents, Number.MAX_SAFE_INTEGER);
    no(moneyCents, -1);
    no(moneyCents, 1.5);
    no(moneyCents, 2 ** 53);
    no(moneyCents, '100');
    no(moneyCents, Number.NaN);
  });
  it('fte: 0 < x ≤ 1 with at most two decimals', () => {
    ok(fte, 0.5);
    ok(fte, 1);
    ok(fte, 0.01);
    ok(fte, 0.29);
    no(fte, 0);
    no(fte, 1.01);
    no(fte, 0.333);
    no(fte, -0.5);
  });
  it('percent: 0..100 with at most two decimals', () => {
    ok(percent, 0);
    ok(percent, 100);
    ok(percent, 62.5);
    no(percent, 100.01);
    no(percent, -1);
    no(percent, 33.333);
  });
  it('ags: 8 digits and a known municipality', () => {
    ok(ags, '16053000');
    ok(ags, '16056000');
    no(ags, '16099000');
    ok(ags, '09162000'); // München: every German Kreis is in the register
    no(ags, '16000000');
    no(ags, '1605300');
    no(ags, '1605300a');
  });
  it('the register holds the 23 Thuringian municipalities of 2019 (6 kreisfreie Städte, 17 Landkreise) among all of Germany', () => {
    const th = MUNICIPALITIES.filter((m) => m.land === 'TH');
    expect(th).toHaveLength(23);
    expect(th.filter((m) => m.kind === 'kreisfreie-stadt')).toHaveLength(6);
    expect(new Set(MUNICIPALITIES.map((m) => m.ags)).size).toBe(MUNICIPALITIES.length);
    expect(municipalityByAgs('16053000')?.name).toBe('Jena');
    expect(municipalityByAgs('16077000')).toEqual({ ags: '16077000', name: 'Altenburger Land', kind: 'landkreis', land: 'TH', validFrom: null, validTo: null });
    expect(municipalityByAgs('09162000')?.name).toBe('München');
    expect(municipalityByAgs('16000000')).toBeUndefined();
  });
  it('uuid: any RFC 9562 UUID, either case, read as lower case', () => {
    expect(uuid.parse('3F2504E0-4F89-41D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    ok(uuid, '01890a5d-ac96-774b-bcce-b302099a8057'); // v7
    no(uuid, 'not-a-uuid');
    no(uuid, '3f2504e0-4f89-41d3-9a0c-0305e82c330');
  });
  it('short text: trimmed, not empty, limited, no control characters', () => {
    const t = shortText(10);
    expect(t.parse('  E 13  ')).toBe('E 13');
    no(t, '   ');
    no(t, 'a'.repeat(11));
    no(t, 'E 1\u00003');
    no(t, 'Zeile\nZeile');
    no(t, 'x\u007f');
  });
  it('personRef: a pseudonym, never a name with spaces', () => {
    ok(personRef, 'P-0042');
    ok(personRef, 'jena:hr.4711_a');
    no(personRef, 'Max Mustermann');
    no(personRef, '');
    no(personRef, 'a'.repeat(65));
  });
  it('programmeCode: a code of a–z, 0–9 and - (registration is checked by the commands)', () => {
    ok(programmeCode, 'thilik');
    ok(programmeCode, 'bildungskommunen');
    no(programmeCode, 'Bildungskommunen');
    no(programmeCode, '-x');
    no(programmeCode, 'a');
    no(programmeCode, 'a'.repeat(65));
  });
});

describe('command bodies', () => {
  it('AwardGrant: financing type, rate and the two deadlines may be left out (the programme or the general defaults apply)', () => {
    const { spendWithin: _s, finalProofDueMonths: _f, financingType: _t, fundingRatePercent: _r, ...body } = awardBody;
    expect(AwardGrantBody.parse(body)).toEqual(body);
    ok(AwardGrantBody, awardBody);
  });
  it('strict objects refuse an unknown key (and an id in the body)', () => {
    no(AwardGrantBody, { ...awardBody, amountCent: 5 });
    no(AwardGrantBody, { ...awardBody, grantId: grantAwarded().data.grantId });
    no(EstablishPositionBody, { ...establishBody, positionId: positionEstablished().data.positionId });
    ok(EstablishPositionBody, establishBody);
  });
  it('a NUL byte in a text field is refused', () => {
    no(AwardGrantBody, { ...awardBody, reference: '01JL\u00001685' });
    no(EstablishPositionBody, { ...establishBody, title: 'Bildungs\u0000management' });
  });
  it('unknown AGS is refused with the field path', () => {
    expect(issues(AwardGrantBody, { ...awardBody, municipality: '16099000' }).map((i) => i.path)).toEqual(['municipality']);
  });
  it('AwardGrant: periodEnd before periodStart → issue on periodEnd; equal accepted', () => {
    expect(issues(AwardGrantBody, { ...awardBody, periodEnd: '2016-12-31' })).toEqual([
      { path: 'periodEnd', message: 'Das Ende des Bewilligungszeitraums liegt vor seinem Beginn.' },
    ]);
    ok(AwardGrantBody, { ...awardBody, periodEnd: awardBody.periodStart });
  });
  it('AwardGrant: spendWithin { days } or { months } (not both spellings at once)', () => {
    const { spendWithin: _s, ...body } = awardBody;
    ok(AwardGrantBody, { ...body, spendWithin: { months: 2 } });
    ok(AwardGrantBody, { ...body, spendWithin: { days: 42 } });
    ok(AwardGrantBody, { ...body, spendWithinDays: 60 });
    no(AwardGrantBody, { ...body, spendWithin: { months: 0 } });
    no(AwardGrantBody, { ...body, spendWithin: { months: 13 } });
    no(AwardGrantBody, { ...body, spendWithin: { weeks: 6 } });
    no(AwardGrantBody, { ...body, spendWithin: { days: 42, months: 2 } });
    no(AwardGrantBody, { ...body, spendWithin: { days: 42 }, spendWithinDays: 42 });
  });
  it('AwardGrant: spendWithinDays 1..366, finalProofDueMonths 1..60', () => {
    const { spendWithin: _s, ...body } = awardBody;
    no(AwardGrantBody, { ...body, spendWithinDays: 0 });
    no(AwardGrantBody, { ...body, spendWithinDays: 367 });
    ok(AwardGrantBody, { ...body, spendWithinDays: 61, finalProofDueMonths: 60 });
    no(AwardGrantBody, { ...awardBody, finalProofDueMonths: 61 });
  });
  it('AmendGrant: needs periodEnd or amountCents', () => {
    expect(issues(AmendGrantBody, { amendedOn: '2019-06-01', reason: 'x' }).map((i) => i.path)).toEqual(['periodEnd']);
    ok(AmendGrantBody, { amendedOn: '2019-06-01', reason: 'x', amountCents: 0 });
  });
  it('StaffPosition: endsOn before startsOn → issue on endsOn', () => {
    expect(issues(StaffPositionBody, { personRef: 'P-1', startsOn: '2017-02-02', endsOn: '2017-02-01', fte: 1 }).map((i) => i.path)).toEqual(['endsOn']);
    ok(StaffPositionBody, { personRef: 'P-1', startsOn: '2017-02-02', fte: 1 });
  });
  describe('DecideContinuation', () => {
    const base = { effectiveFrom: '2020-01-01', decidedBy: 'administration', decidedOn: '2019-09-01' };
    it('own-funds: share may be left out or 100', () => {
      ok(DecideContinuationBody, { ...base, decision: 'own-funds' });
      ok(DecideContinuationBody, { ...base, decision: 'own-funds', ownFundsSharePercent: 100 });
      expect(issues(DecideContinuationBody, { ...base, decision: 'own-funds', ownFundsSharePercent: 90 }).map((i) => i.path)).toEqual(['ownFundsSharePercent']);
    });
    it('partial: share required, 0 < x < 100', () => {
      expect(issues(DecideContinuationBody, { ...base, decision: 'partial' }).map((i) => i.path)).toEqual(['ownFundsSharePercent']);
      no(DecideContinuationBody, { ...base, decision: 'partial', ownFundsSharePercent: 0 });
      no(DecideContinuationBody, { ...base, decision: 'partial', ownFundsSharePercent: 100 });
      ok(DecideContinuationBody, { ...base, decision: 'partial', ownFundsSharePercent: 0.01 });
      ok(DecideContinuationBody, { ...base, decision: 'partial', ownFundsSharePercent: 99.99 });
    });
    it('follow-up-funding: names its grant or period, share optional, below 100; discontinue: optional, only 0', () => {
      const period = { followUpEndsOn: '2025-06-30' };
      ok(DecideContinuationBody, { ...base, decision: 'follow-up-funding', ...period });
      ok(DecideContinuationBody, { ...base, decision: 'follow-up-funding', followUpGrantId: '0b8f6c1e-6f5c-4b8e-9c1a-1f2d3e4a5b6c' });
      ok(DecideContinuationBody, { ...base, decision: 'follow-up-funding', ownFundsSharePercent: 40, ...period });
      no(DecideContinuationBody, { ...base, decision: 'follow-up-funding', ownFundsSharePercent: 100, ...period });
      // issue 14 item 4: a follow-up without a grant or period never ends.
      expect(issues(DecideContinuationBody, { ...base, decision: 'follow-up-funding' }).map((i) => i.path)).toEqual(['followUpGrantId']);
      expect(issues(DecideContinuationBody, { ...base, decision: 'own-funds', ...period }).map((i) => i.path)).toEqual(['followUpEndsOn']);
      ok(DecideContinuationBody, { ...base, decision: 'discontinue' });
      no(DecideContinuationBody, { ...base, decision: 'discontinue', ownFundsSharePercent: 5 });
    });
    it('council needs a resolution number', () => {
      expect(issues(DecideContinuationBody, { ...base, decidedBy: 'council', decision: 'own-funds' })).toEqual([
        { path: 'resolutionRef', message: 'Ein Kreistags- oder Stadtratsbeschluss braucht eine Beschlussnummer.' },
      ]);
      ok(DecideContinuationBody, { ...base, decidedBy: 'council', decision: 'own-funds', resolutionRef: 'KT-2019/117' });
    });
  });
});

describe('event data', () => {
  it('stores optional facts as explicit null and refuses them left out', () => {
    ok(PositionVacatedData, { vacatedOn: '2018-01-01', reason: 'x', personRef: null });
    no(PositionVacatedData, { vacatedOn: '2018-01-01', reason: 'x' });
  });
});

describe('isCalendarDate agrees with luxon', () => {
  it('on every day of 1899–2101 and on impossible days', async () => {
    const { DateTime } = await import('luxon');
    const { isCalendarDate } = await import('../../schemas/primitives.js');
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    let checked = 0;
    for (let year = 1899; year <= 2101; year++) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(isCalendarDate(text), text).toBe(DateTime.fromISO(text, { zone: 'utc' }).isValid);
          checked++;
        }
      }
    }
    expect(checked).toBe(203 * 14 * 33);
  });
});
