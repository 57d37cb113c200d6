import { describe, expect, it } from 'vitest';
import { identityDocError, isValidRuc, rucCheckDigit } from '../../src-shared/identity';
import { documentFileName, formatNumber, isValidSeries } from '../../src-shared/documents';
import { limaDate, limaDayRange } from '../../src-shared/time';

describe('RUC check digit (módulo 11, weights 5432765432)', () => {
  it.each([
    ['20100070970', true], // SAGA FALABELLA (public RUC)
    ['20131312955', true], // SUNAT itself
    ['20601234565', true],
    ['10456789124', true],
    ['20123456786', true],
    ['20123456789', false], // wrong check digit
    ['30123456786', false], // prefix 30 does not exist
    ['2012345678', false], // 10 digits
    ['2012345678A', false],
  ])('%s is valid: %s', (ruc, ok) => {
    expect(isValidRuc(ruc)).toBe(ok);
  });

  it('maps remainders 10 and 11 to 0 and 1', () => {
    // Sum for 1000000000 = 5 → 11 - 5 = 6; for digits giving sum % 11 == 1 → 10 → 0, == 0 → 11 → 1.
    expect(rucCheckDigit('1000000000')).toBe(6);
    expect(rucCheckDigit('2000000000')).toBe(1); // 10 % 11 = 10 → 1
    expect(rucCheckDigit('1100000000')).toBe(2); // 9 % 11 = 9 → 2
  });
});

describe('identity documents by catalog 06', () => {
  it.each([
    ['1', '45678912', null],
    ['1', '4567891', 'El DNI debe tener 8 dígitos.'],
    ['6', '20123456789', 'El RUC no es válido (dígito verificador incorrecto).'],
    ['4', '001234567', null],
    ['4', '12', 'El carné de extranjería debe tener de 8 a 12 caracteres alfanuméricos.'],
    ['7', 'AB123456', null],
    ['-', '-', null],
    ['Z', '1', 'Tipo de documento de identidad desconocido: Z.'],
  ])('type %s number %s → %s', (t, n, err) => {
    expect(identityDocError(t, n)).toBe(err);
  });
});

describe('numbering', () => {
  it.each([
    ['B001', 1, 'B001-00000001'],
    ['F001', 15, 'F001-00000015'],
    ['B002', 99_999_999, 'B002-99999999'],
  ])('%s %i → %s', (s, n, r) => {
    expect(formatNumber(s, n)).toBe(r);
  });
  it('refuses correlatives out of range', () => {
    for (const n of [0, -1, 1.5, 100_000_000]) expect(() => formatNumber('B001', n)).toThrow();
  });
  it('names files RUC-TT-SERIE-NUMERO', () => {
    expect(documentFileName('20601234565', '03', 'B001', 15)).toBe('20601234565-03-B001-00000015');
  });
  it('knows boleta and factura series', () => {
    expect(isValidSeries('03', 'B001')).toBe(true);
    expect(isValidSeries('03', 'F001')).toBe(false);
    expect(isValidSeries('01', 'F0A1')).toBe(true);
  });
  it('dates sales in Lima time (UTC-5)', () => {
    expect(limaDate(new Date('2026-11-28T04:59:59Z'))).toBe('2026-11-27');
    expect(limaDate(new Date('2026-11-28T05:00:00Z'))).toBe('2026-11-28');
    expect(limaDayRange('2026-11-28')).toEqual({ start: '2026-11-28T05:00:00.000Z', end: '2026-11-29T05:00:00.000Z' });
  });
});
