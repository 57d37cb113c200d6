// A global discount spread over the lines (src-shared/sale-lines.ts): to the cent, never on bags or free lines, and
// the sale's total is exactly what was charged before minus the discount. The limit figure (belowListPercent) counts
// a line's own discount, its share and a lowered price together.
import { describe, expect, it } from 'vitest';
import { belowList, computePricedSale, withinLimit, type PricedLine } from '../../src-shared/sale-lines';
import type { Discount } from '../../src-shared/tax';

const RATES = { igv: '0.18', icbper: '0.50' };
const L = (unitPrice: string, quantity = '1', extra: Partial<PricedLine> = {}): PricedLine => ({ quantity, unitPrice, taxAffectation: '10', isBag: false, discount: null, ...extra });
const pct = (value: string): Discount => ({ kind: 'percent', value });
const amt = (value: string): Discount => ({ kind: 'amount', value });

// [case, lines, global discount, each line's discount afterwards (soles, IGV included), payable]
const CASES: [string, PricedLine[], Discount, string[], string][] = [
  ['in proportion', [L('10.00'), L('20.00')], amt('3.00'), ['1.00', '2.00'], '27.00'],
  ['the odd cent to the largest remainder', [L('1.00'), L('1.00'), L('1.00')], amt('1.00'), ['0.34', '0.33', '0.33'], '2.00'],
  ['percent of what the lines charge', [L('33.33')], pct('10'), ['3.33'], '30.00'],
  ['on top of a line discount', [L('10.00', '1', { discount: amt('1.00') }), L('9.00')], pct('10'), ['1.90', '0.90'], '16.20'],
  ['never on the bag (ICBPER) nor on a free line', [L('5.00'), L('0.10', '2', { isBag: true }), L('11.80', '1', { taxAffectation: '13' })], amt('1.00'), ['1.00', '0.00', '0.00'], '5.20'],
  ['exonerated and taxed lines alike', [L('10.00', '1', { taxAffectation: '20' }), L('10.00')], pct('50'), ['5.00', '5.00'], '10.00'],
  ['all of it', [L('2.50'), L('2.50')], pct('100'), ['2.50', '2.50'], '0.00'],
];

describe('global discount spread over the lines', () => {
  it.each(CASES)('%s', (_name, lines, g, discounts, payable) => {
    const input = JSON.stringify(lines);
    const before = computePricedSale(lines, RATES);
    const s = computePricedSale(lines, RATES, g);
    expect(JSON.stringify(lines)).toBe(input);
    expect(s.lines.map((l) => l.discountWithTax.toFixed(2))).toEqual(discounts);
    expect(s.totals.payable.toFixed(2)).toBe(payable);
    expect(before.totals.payable.minus(s.globalDiscount).toFixed(2)).toBe(payable);
    // Every line still adds up: value + IGV + ICBPER = its total; the input is left as it was.
    for (const l of s.lines.filter((x) => !x.free)) expect(l.value.plus(l.igv).plus(l.icbper).toFixed(2)).toBe(l.total.toFixed(2));
  });

  it.each([
    ['more than the lines charge', [L('5.00'), L('0.10', '1', { isBag: true })], amt('5.01'), /no puede ser mayor que 5\.00/],
    ['above 100%', [L('5.00')], pct('100.01'), /no puede pasar de 100%/],
  ] as [string, PricedLine[], Discount, RegExp][])('refused: %s', (_n, lines, g, message) => {
    expect(() => computePricedSale(lines, RATES, g)).toThrow(message);
  });
});

describe('how far below the catalog a line is charged', () => {
  const below = (lines: PricedLine[], g?: Discount) => {
    const s = computePricedSale(lines, RATES, g);
    return s.charged.map((l, i) => belowList(l, s.lines[i]).percent.toFixed(2));
  };
  it.each([
    ['a line discount', [L('10.00', '1', { discount: pct('8') })], undefined, ['8.00']],
    ['a line discount and the global share add up', [L('10.00', '1', { discount: pct('8') }), L('10.00')], pct('5'), ['12.60', '5.00']],
    ['a lowered price', [L('7.50', '2', { listPrice: '10.00' })], undefined, ['25.00']],
    ['a raised price is not below', [L('12.00', '1', { listPrice: '10.00' })], undefined, ['0.00']],
    ['bags and free lines never count', [L('0.10', '3', { isBag: true }), L('5.00', '1', { taxAffectation: '13' })], undefined, ['0.00', '0.00']],
  ] as [string, PricedLine[], Discount | undefined, string[]][])('%s', (_n, lines, g, expected) => {
    expect(below(lines, g)).toEqual(expected);
  });

  it('limits are held in cents, as the discount is: 10% of 9.99 (1.00) is within 10%, 1.01 is not', () => {
    const one = (d: Discount) => {
      const s = computePricedSale([L('9.99', '1', { discount: d })], RATES);
      return belowList(s.charged[0], s.lines[0]);
    };
    expect(one(pct('10')).percent.toFixed(2)).toBe('10.01');
    expect(withinLimit(one(pct('10')), '10')).toBe(true);
    expect(withinLimit(one(amt('1.01')), '10')).toBe(false);
    expect(withinLimit(one(amt('1.01')), '10.11')).toBe(true);
  });
});
