import { describe, expect, it } from 'vitest';
import { Dec, formatSoles } from '../../src-shared/decimal';

describe('Dec: exact decimals for money', () => {
  it.each([
    ['0.1', '0.2', '0.3'],
    ['1.005', '0', '1.005'],
    ['999999999.99', '0.01', '1000000000.00'],
    ['-3.50', '1.25', '-2.25'],
  ])('%s + %s = %s', (a, b, r) => {
    expect(Dec.of(a).plus(b).eq(r)).toBe(true);
  });

  it.each([
    // value, scale, expected (half-up, away from zero — binary floats get 1.005 wrong)
    ['1.005', 2, '1.01'],
    ['1.0049', 2, '1.00'],
    ['-1.005', 2, '-1.01'],
    ['2.5', 0, '3'],
    ['0.125', 2, '0.13'],
    ['4.8375', 2, '4.84'],
  ])('round(%s, %i) = %s', (v, s, r) => {
    expect(Dec.of(v).round(s).toFixed()).toBe(r);
  });

  it.each([
    ['3.50', '1.18', 10, '2.9661016949'],
    ['118', '1.18', 2, '100.00'],
    ['1', '3', 4, '0.3333'],
    ['2', '3', 4, '0.6667'],
    ['-2', '3', 4, '-0.6667'],
  ])('%s / %s to %i decimals = %s', (a, b, s, r) => {
    expect(Dec.of(a).div(b, s).toFixed()).toBe(r);
  });

  it('refuses what is not a plain decimal', () => {
    for (const bad of ['', 'abc', '1e3', '1,50', '1.2.3', '.5']) expect(() => Dec.of(bad)).toThrow();
    expect(() => Dec.of(0.1)).toThrow();
  });

  it('counts céntimos only for whole céntimos', () => {
    expect(Dec.of('12.50').toCents()).toBe(1250);
    expect(() => Dec.of('12.505').toCents()).toThrow();
  });

  it.each([
    ['1234.5', 'S/ 1,234.50'],
    ['0', 'S/ 0.00'],
    ['1000000', 'S/ 1,000,000.00'],
    ['-7.1', '-S/ 7.10'],
  ])('formats %s as %s', (v, r) => {
    expect(formatSoles(v)).toBe(r);
  });
});
