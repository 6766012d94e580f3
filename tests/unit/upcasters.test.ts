// The upcaster registry: stored old shapes are read as the current one.
import { describe, expect, it } from 'vitest';
import { EventSchemaError, GrantAwardedDataV1, parseEvent, SCHEMA_VERSIONS, upcast } from '../../schemas/index.js';
import { grantAwarded } from './fixtures.js';

const { spendWithinDays: _s, finalProofDueMonths: _f, ...v1 } = grantAwarded().data;

describe('upcasting', () => {
  it('the stored v1 shape is a valid v1 GrantAwarded', () => {
    expect(GrantAwardedDataV1.parse(v1)).toEqual(v1);
  });
  it('reads a stored v1 GrantAwarded as v2 with 42 days and 6 months, and it validates', () => {
    expect(SCHEMA_VERSIONS.GrantAwarded).toBe(2);
    expect(upcast('GrantAwarded', 1, v1)).toEqual({ schemaVersion: 2, data: { ...v1, spendWithinDays: 42, finalProofDueMonths: 6 } });
    const event = parseEvent('GrantAwarded', 1, v1);
    expect(event).toEqual({ type: 'GrantAwarded', schemaVersion: 2, data: { ...v1, spendWithinDays: 42, finalProofDueMonths: 6 } });
  });
  it('leaves current versions alone', () => {
    const data = grantAwarded({ spendWithinDays: 60, finalProofDueMonths: 12 }).data;
    expect(parseEvent('GrantAwarded', 2, data).data).toEqual(data);
    expect(parseEvent('FundsDrawn', 1, { drawnOn: '2017-03-01', amountCents: 5 }).data).toEqual({ drawnOn: '2017-03-01', amountCents: 5 });
  });
  it('throws a clear error for an unknown type, a newer version and an invalid version', () => {
    expect(() => parseEvent('GrantExploded', 1, {})).toThrow(/Unknown event type "GrantExploded"/);
    expect(() => parseEvent('GrantAwarded', 3, v1)).toThrow(/newer than the newest known version 2/);
    expect(() => upcast('GrantAwarded', 0, v1)).toThrow(EventSchemaError);
  });
  it('throws EventSchemaError when the upcast data does not validate', () => {
    expect(() => parseEvent('GrantAwarded', 1, { ...v1, amountCents: -1 })).toThrow(EventSchemaError);
    expect(() => parseEvent('FundsDrawn', 1, { drawnOn: '2017-03-01', amountCents: 5, extra: 1 })).toThrow(/does not match/);
  });
});
