// The one reader of typed money and quantities (src-shared/number-input.ts), row by row.
import { describe, expect, it } from 'vitest';
import { readMoney, readQuantity, readTaxRate } from '../../src-shared/number-input';
import { calls } from '../../src-shared/contract';

const MONEY: [string, string | null][] = [
  ['20', '20.00'],
  ['100', '100.00'],
  ['0', '0.00'],
  ['200,50', '200.50'],
  ['200.50', '200.50'],
  ['5,50', '5.50'],
  ['5,5', '5.50'],
  ['5.5', '5.50'],
  ['12,', '12.00'],
  [',5', '0.50'],
  ['007', '7.00'],
  ['  15,50 ', '15.50'],
  ['S/ 1,234.50', '1234.50'],
  ['s/15', '15.00'],
  ['1,234.50', '1234.50'],
  ['1.234,50', '1234.50'],
  ['1.234,5', '1234.50'],
  ['12.345.678,90', '12345678.90'],
  ['1,234,567', '1234567.00'],
  ['1.234.567', '1234567.00'],
  ['999999999.99', '999999999.99'],
  // refused
  ['', null],
  ['1,234,5', null],
  ['12,34,56', null],
  ['1,500', null], // ambiguous: 1500 or 1.50
  ['1.500', null],
  ['1,23,4.50', null],
  ['1.234.50', null],
  ['1,234.5.0', null],
  ['1.234,567', null],
  ['12,345', null],
  ['0,500', null],
  ['5,555', null],
  ['1234,567', null],
  ['-5', null],
  ['5-', null],
  ['abc', null],
  ['1e3', null],
  ['.', null],
  ['1000000000', null],
  ['12 50', null],
];

const QUANTITY: [string, string | null][] = [
  ['3', '3'],
  ['0,250', '0.25'],
  ['0.250', '0.25'],
  ['1,5', '1.5'],
  ['1.5', '1.5'],
  ['1,234', '1.234'],
  ['2,', '2'],
  ['9999999.999', '9999999.999'],
  ['0', null],
  ['0,000', null],
  ['', null],
  ['1,2345', null],
  ['1.234,5', null],
  ['1,234,567', null],
  ['-1', null],
  ['abc', null],
  ['10000000', null],
];

describe('readMoney', () => {
  it.each(MONEY)('%j → %j', (input, expected) => {
    const r = readMoney(input);
    expect(r.value).toBe(expected);
    if (expected === null) expect(r.error).toMatch(/\S/);
    // Whatever it returns, the contract's money schema takes as is (the main process never re-reads commas).
    if (r.value !== null) expect(calls['cash.open'].input.safeParse({ openingFloat: r.value }).success).toBe(true);
  });

  it('says how to write an ambiguous amount, in Spanish', () => {
    expect(readMoney('1,234,5').error).toBe('«1,234,5» no se entiende como monto. Use la coma o el punto solo para los decimales, por ejemplo 20, 15,50 o 1234.50.');
    expect(readMoney('1,500').error).toBe('«1,500» puede ser 1500 o 1,50: escriba 1500 sin separador si son miles, o el monto con 2 decimales (1,50).');
  });
});

describe('readQuantity', () => {
  it.each(QUANTITY)('%j → %j', (input, expected) => {
    const r = readQuantity(input);
    expect(r.value).toBe(expected);
    if (expected === null) expect(r.error).toMatch(/\S/);
    if (r.value !== null) expect(calls['sales.checkout'].input.shape.lines.element.shape.quantity.safeParse(r.value).success).toBe(true);
  });
});

describe('readQuantity for a stock count', () => {
  it.each([['0', '0'], ['-3', '-3'], ['- 2,5', '-2.5'], ['-0', '0'], ['12,250', '12.25'], ['1,2345', null], ['--1', null]])('%j → %j', (input, expected) => {
    expect(readQuantity(input, { stock: true }).value).toBe(expected);
  });
});

describe('the contract never misreads a comma', () => {
  it.each(['200,50', '1,234.50', '1.234,50', '20.505'])('money %j is refused by the main process, not read as another amount', (raw) => {
    expect(calls['cash.open'].input.safeParse({ openingFloat: raw }).success).toBe(false);
  });
});

// Tax rates typed in Administración → Impuestos: the IGV as a fraction (SUNAT's 0.18), the ICBPER per bag in soles.
const RATES: ['igv' | 'icbper', string, string | null][] = [
  ['igv', '0,18', '0.18'],
  ['igv', '0.18', '0.18'],
  ['igv', ' 0,1 ', '0.1'],
  ['igv', '0,0875', '0.0875'],
  ['igv', '16', '16'], // read as typed; the main process refuses a rate that is not a fraction, with its message
  ['igv', '', null],
  ['igv', '18 %', null],
  ['igv', '0,18,0', null],
  ['igv', '0,12345', null],
  ['icbper', '0,50', '0.50'],
  ['icbper', '0.5', '0.50'],
  ['icbper', '1,500', null],
  ['icbper', '', null],
];

describe('readTaxRate', () => {
  it.each(RATES)('%s «%s» → %s', (tax, typed, expected) => {
    const r = readTaxRate(tax, typed);
    expect(r.value).toBe(expected);
    if (expected === null) expect(r.error).toMatch(/\S/);
  });
});
