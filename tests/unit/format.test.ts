// German formatting used in rule messages.
import { describe, expect, it } from 'vitest';
import { formatDate, formatEuro, formatFte } from '../../src/domain/index.js';

describe('format', () => {
  it('formats cents as German euros', () => {
    expect(formatEuro(1_200_000)).toBe('12.000,00 €');
    expect(formatEuro(0)).toBe('0,00 €');
    expect(formatEuro(5)).toBe('0,05 €');
    expect(formatEuro(123_456_789_01)).toBe('123.456.789,01 €');
    expect(formatEuro(-150)).toBe('-1,50 €');
  });
  it('formats dates and VZÄ', () => {
    expect(formatDate('2019-12-31')).toBe('31.12.2019');
    expect(formatFte(0.5)).toBe('0,5');
    expect(formatFte(1)).toBe('1');
  });
});
