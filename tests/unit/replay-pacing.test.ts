import { describe, expect, it } from 'vitest';
import { pauseAfterBatch } from '../../projections/as-of.js';

describe('as-of replay pacing (REPLAY_DUTY_PERCENT)', () => {
  it('at 50 % pauses as long as the batch took, so busy time is half the wall time', () => {
    expect(pauseAfterBatch(120, 50)).toBe(120);
  });

  it('at 25 % pauses three times the batch time; at 100 % not at all', () => {
    expect(pauseAfterBatch(40, 25)).toBe(120);
    expect(pauseAfterBatch(40, 100)).toBe(0);
  });

  it('a clock that went backwards gives no pause, not a negative one', () => {
    expect(pauseAfterBatch(-5, 50)).toBe(0);
  });

  it('refuses a share outside (0, 100]', () => {
    expect(() => pauseAfterBatch(10, 0)).toThrow(RangeError);
    expect(() => pauseAfterBatch(10, 101)).toThrow(RangeError);
  });
});
