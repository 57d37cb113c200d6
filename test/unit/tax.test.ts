import { describe, expect, it } from 'vitest';
import { computeLine, computeSale, type LineInput } from '../../src-shared/tax';

const f = (d: { toFixed(s?: number): string }) => d.toFixed(2);

describe('a line: catalog prices include IGV, unit values keep 10 decimals, the line is rounded to 2', () => {
  // [case, input, unitValue, value, igv, total]
  const cases: [string, LineInput, string, string, string, string][] = [
    ['gravado, one unit at S/ 118.00', { quantity: '1', unitPrice: '118.00', taxAffectation: '10' }, '100.0000000000', '100.00', '18.00', '118.00'],
    ['gravado with an amount discount (2 x 3.50 - 0.50)', { quantity: '2', unitPrice: '3.50', taxAffectation: '10', discount: { kind: 'amount', value: '0.50' } }, '2.9661016949', '5.51', '0.99', '6.50'],
    ['gravado with 10% off (5 x 20.00)', { quantity: '5', unitPrice: '20.00', taxAffectation: '10', discount: { kind: 'percent', value: '10' } }, '16.9491525424', '76.27', '13.73', '90.00'],
    ['gravado by weight (0.375 kg x 12.90)', { quantity: '0.375', unitPrice: '12.90', taxAffectation: '10' }, '10.9322033898', '4.10', '0.74', '4.84'],
    ['exonerado (3 x 1.00)', { quantity: '3', unitPrice: '1.00', taxAffectation: '20' }, '1.0000000000', '3.00', '0.00', '3.00'],
    ['inafecto (2 x 2.50)', { quantity: '2', unitPrice: '2.50', taxAffectation: '30' }, '2.5000000000', '5.00', '0.00', '5.00'],
    ['free gravado transfer (13): IGV computed, nothing charged', { quantity: '1', unitPrice: '11.80', taxAffectation: '13' }, '10.0000000000', '10.00', '1.80', '0.00'],
    ['free inafecto transfer (31)', { quantity: '2', unitPrice: '4.00', taxAffectation: '31' }, '4.0000000000', '8.00', '0.00', '0.00'],
    ['ICBPER: 2 bags at S/ 0.50 on top of the line', { quantity: '1', unitPrice: '5.90', taxAffectation: '10', bags: 2 }, '5.0000000000', '5.00', '0.90', '6.90'],
  ];
  it.each(cases)('%s', (_name, input, unitValue, value, igv, total) => {
    const l = computeLine(input);
    expect(l.unitValue.toFixed()).toBe(unitValue);
    expect(f(l.value)).toBe(value);
    expect(f(l.igv)).toBe(igv);
    expect(f(l.total)).toBe(total);
  });

  it('the IGV of a gravado line stays within SUNAT tolerance of value x 18%', () => {
    for (let cents = 1; cents < 3000; cents += 7) {
      const l = computeLine({ quantity: '1', unitPrice: (cents / 100).toFixed(2), taxAffectation: '10' });
      expect(l.igv.minus(l.value.times('0.18')).abs().lte('0.01')).toBe(true);
    }
  });

  it.each([
    [{ quantity: '0', unitPrice: '1', taxAffectation: '10' }, /cantidad/],
    [{ quantity: '1', unitPrice: '-1', taxAffectation: '10' }, /precio/],
    [{ quantity: '1', unitPrice: '5', taxAffectation: '10', discount: { kind: 'amount', value: '6' } }, /descuento/],
    [{ quantity: '1', unitPrice: '5', taxAffectation: '10', discount: { kind: 'percent', value: '101' } }, /descuento/],
    [{ quantity: '1', unitPrice: '5', taxAffectation: '13', discount: { kind: 'amount', value: '1' } }, /gratuita/],
    [{ quantity: '1', unitPrice: '5', taxAffectation: '99' }, /afectación/],
  ] as [LineInput, RegExp][])('refuses a bad line %#', (input, msg) => {
    expect(() => computeLine(input)).toThrow(msg);
  });
});

describe('totals are sums of the rounded lines', () => {
  it('three lines of S/ 1.00 give 2.55 + 0.45, not 3.00 / 1.18', () => {
    const { totals } = computeSale([1, 2, 3].map(() => ({ quantity: '1', unitPrice: '1.00', taxAffectation: '10' as const })));
    expect(f(totals.gravado)).toBe('2.55');
    expect(f(totals.igv)).toBe('0.45');
    expect(f(totals.payable)).toBe('3.00');
  });

  it('a mixed sale splits gravada, exonerada, inafecta, gratuita, IGV and ICBPER', () => {
    const { totals } = computeSale([
      { quantity: '2', unitPrice: '3.50', taxAffectation: '10', discount: { kind: 'amount', value: '0.50' } },
      { quantity: '1', unitPrice: '118', taxAffectation: '10' },
      { quantity: '3', unitPrice: '1', taxAffectation: '20', bags: 2 },
      { quantity: '2', unitPrice: '2.50', taxAffectation: '30' },
      { quantity: '1', unitPrice: '11.80', taxAffectation: '13' },
    ]);
    expect({
      gravado: f(totals.gravado), exonerado: f(totals.exonerado), inafecto: f(totals.inafecto), gratuito: f(totals.gratuito),
      igv: f(totals.igv), igvGratuito: f(totals.igvGratuito), icbper: f(totals.icbper), discounts: f(totals.discounts),
      lineExtension: f(totals.lineExtension), payable: f(totals.payable),
    }).toEqual({
      gravado: '105.51', exonerado: '3.00', inafecto: '5.00', gratuito: '10.00', igv: '18.99', igvGratuito: '1.80',
      icbper: '1.00', discounts: '0.50', lineExtension: '113.51', payable: '133.50',
    });
    expect(totals.hasFree).toBe(true);
  });

  it('an IGV rate other than 18% is honoured', () => {
    const l = computeLine({ quantity: '1', unitPrice: '110.00', taxAffectation: '10' }, { igv: '0.10', icbper: '0.50' });
    expect([f(l.value), f(l.igv)]).toEqual(['100.00', '10.00']);
  });
});
