import { describe, expect, it } from 'vitest';
import { igvLabel, plainNumber, representationText, amount, money } from '../../src-main/documents/printable';
import { archiveCutoffMonth } from '../../src-main/files/archive-write';

describe('printed figures', () => {
  it('writes money as Peru does and quantities without needless zeros', () => {
    expect(money(123450)).toBe('S/ 1,234.50');
    expect(money(5)).toBe('S/ 0.05');
    expect(amount(123450)).toBe('1,234.50');
    expect(plainNumber('2.000', 0)).toBe('2');
    expect(plainNumber('0.250', 0)).toBe('0.25');
    expect(plainNumber('5.9', 2)).toBe('5.90');
    expect(plainNumber('3.4500000000', 2)).toBe('3.45');
    expect(igvLabel('0.18')).toBe('IGV (18%)');
    expect(igvLabel('0.105')).toBe('IGV (10.5%)');
    expect(representationText('FACTURA ELECTRÓNICA')).toBe('Representación impresa de la FACTURA ELECTRÓNICA. Consulte en www.sunat.gob.pe');
  });

  it('archives a month only once all of it is older than the retention', () => {
    expect(archiveCutoffMonth('2026-11-30', 6)).toBe('2026-04');
    expect(archiveCutoffMonth('2026-12-31', 6)).toBe('2026-06');
    expect(archiveCutoffMonth('2027-01-01', 6)).toBe('2026-06');
    expect(archiveCutoffMonth('2026-07-01', 12)).toBe('2025-06');
  });
});
