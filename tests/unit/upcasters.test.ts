// The upcaster registry: stored old shapes are read as the current one.
import { describe, expect, it } from 'vitest';
import { EventSchemaError, GrantAwardedDataV1, parseEvent, SCHEMA_VERSIONS, upcast } from '../../schemas/index.js';
import { grantAwarded } from './fixtures.js';

const { spendWithin: _s, finalProofDueMonths: _f, earlyStartApprovedOn: _e, ...v1 } = grantAwarded().data;

describe('upcasting', () => {
  it('the stored v1 shape is a valid v1 GrantAwarded', () => {
    expect(GrantAwardedDataV1.parse(v1)).toEqual(v1);
  });
  it('reads a stored v1 GrantAwarded as v3 with 42 days, 6 months and no early start, and it validates', () => {
    expect(SCHEMA_VERSIONS.GrantAwarded).toBe(3);
    const v3 = { ...v1, spendWithin: { days: 42 }, finalProofDueMonths: 6, earlyStartApprovedOn: null };
    expect(upcast('GrantAwarded', 1, v1)).toEqual({ schemaVersion: 3, data: v3 });
    const event = parseEvent('GrantAwarded', 1, v1);
    expect(event).toEqual({ type: 'GrantAwarded', schemaVersion: 3, data: v3 });
  });
  it('reads a stored v2 GrantAwarded (spendWithinDays) as v3 with the window in days', () => {
    const v2 = { ...v1, spendWithinDays: 60, finalProofDueMonths: 12 };
    expect(parseEvent('GrantAwarded', 2, v2).data).toEqual({ ...v1, spendWithin: { days: 60 }, finalProofDueMonths: 12, earlyStartApprovedOn: null });
  });
  it('reads v1 amendments, proofs, staffings, decisions and abolitions with the new fields as null', () => {
    expect(parseEvent('GrantAmended', 1, { amendedOn: '2019-06-01', periodEnd: '2021-06-30', amountCents: null, reason: 'x' }).data).toMatchObject({ ownShareCents: null });
    expect(parseEvent('ProofOfUseSubmitted', 1, { submittedOn: '2018-04-30', kind: 'interim' }).data).toMatchObject({ spentCents: null });
    expect(parseEvent('PositionStaffed', 1, { personRef: 'P-1', startsOn: '2017-01-01', endsOn: null, fte: 1 }).data).toMatchObject({ contractSignedOn: null });
    const decided = { decision: 'follow-up-funding', effectiveFrom: '2021-07-01', ownFundsSharePercent: 0, decidedBy: 'administration', resolutionRef: null, decidedOn: '2021-03-01' };
    expect(parseEvent('ContinuationDecided', 1, decided).data).toEqual({ ...decided, followUpGrantId: null, followUpEndsOn: null });
    expect(parseEvent('PositionAbolished', 1, { abolishedOn: '2021-07-01', reason: null }).data).toMatchObject({ contractOutcome: null });
  });
  it('leaves current versions alone', () => {
    const data = grantAwarded({ spendWithin: { months: 2 }, finalProofDueMonths: 12 }).data;
    expect(parseEvent('GrantAwarded', 3, data).data).toEqual(data);
    expect(parseEvent('FundsDrawn', 1, { drawnOn: '2017-03-01', amountCents: 5 }).data).toEqual({ drawnOn: '2017-03-01', amountCents: 5 });
  });
  it('throws a clear error for an unknown type, a newer version and an invalid version', () => {
    expect(() => parseEvent('GrantExploded', 1, {})).toThrow(/Unknown event type "GrantExploded"/);
    expect(() => parseEvent('GrantAwarded', 4, v1)).toThrow(/newer than the newest known version 3/);
    expect(() => upcast('GrantAwarded', 0, v1)).toThrow(EventSchemaError);
  });
  it('throws EventSchemaError when the upcast data does not validate', () => {
    expect(() => parseEvent('GrantAwarded', 1, { ...v1, amountCents: -1 })).toThrow(EventSchemaError);
    expect(() => parseEvent('FundsDrawn', 1, { drawnOn: '2017-03-01', amountCents: 5, extra: 1 })).toThrow(/does not match/);
  });
});
