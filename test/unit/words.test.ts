import { describe, expect, it } from 'vitest';
import { amountToWords, integerToWords } from '../../src-shared/words';

describe('amount in words (legend 1000)', () => {
  it.each([
    ['0', 'CERO CON 00/100 SOLES'],
    ['0.05', 'CERO CON 05/100 SOLES'],
    ['1', 'UNO CON 00/100 SOLES'],
    ['15', 'QUINCE CON 00/100 SOLES'],
    ['16', 'DIECISEIS CON 00/100 SOLES'],
    ['21', 'VEINTIUNO CON 00/100 SOLES'],
    ['22.10', 'VEINTIDOS CON 10/100 SOLES'],
    ['31', 'TREINTA Y UNO CON 00/100 SOLES'],
    ['100', 'CIEN CON 00/100 SOLES'],
    ['101', 'CIENTO UNO CON 00/100 SOLES'],
    ['120.50', 'CIENTO VEINTE CON 50/100 SOLES'],
    ['500', 'QUINIENTOS CON 00/100 SOLES'],
    ['700.00', 'SETECIENTOS CON 00/100 SOLES'],
    ['700.01', 'SETECIENTOS CON 01/100 SOLES'],
    ['999.99', 'NOVECIENTOS NOVENTA Y NUEVE CON 99/100 SOLES'],
    ['1000', 'MIL CON 00/100 SOLES'],
    ['1001', 'MIL UNO CON 00/100 SOLES'],
    ['1858.59', 'MIL OCHOCIENTOS CINCUENTA Y OCHO CON 59/100 SOLES'],
    ['2000', 'DOS MIL CON 00/100 SOLES'],
    ['21000', 'VEINTIUN MIL CON 00/100 SOLES'],
    ['31500', 'TREINTA Y UN MIL QUINIENTOS CON 00/100 SOLES'],
    ['100000', 'CIEN MIL CON 00/100 SOLES'],
    ['101000', 'CIENTO UN MIL CON 00/100 SOLES'],
    ['1000000', 'UN MILLON CON 00/100 SOLES'],
    ['1000001', 'UN MILLON UNO CON 00/100 SOLES'],
    ['2500000.75', 'DOS MILLONES QUINIENTOS MIL CON 75/100 SOLES'],
    ['21000000', 'VEINTIUN MILLONES CON 00/100 SOLES'],
  ])('%s → %s', (amount, words) => {
    expect(amountToWords(amount)).toBe(words);
  });

  it('rounds to céntimos half-up before writing', () => {
    expect(amountToWords('10.005')).toBe('DIEZ CON 01/100 SOLES');
  });

  it('writes dollars when the currency is USD', () => {
    expect(amountToWords('1', 'USD')).toBe('UNO CON 00/100 DOLARES AMERICANOS');
  });

  it('reads thousands of millions', () => {
    expect(integerToWords(1_000_000_000n)).toBe('MIL MILLONES');
    expect(integerToWords(21_000_000_000n)).toBe('VEINTIUN MIL MILLONES');
  });
});
