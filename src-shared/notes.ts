// Credit and debit notes (SUNAT catalog 01: 07 and 08): their reasons (catalogs 09 and 10) and their series.
import type { SaleDocumentType } from './documents';

/** Catalog 09, "Códigos de tipo de nota de crédito electrónica" (SUNAT's own texts). */
export const CREDIT_NOTE_REASONS = {
  '01': 'Anulación de la operación',
  '02': 'Anulación por error en el RUC',
  '03': 'Corrección por error en la descripción',
  '04': 'Descuento global',
  '05': 'Descuento por ítem',
  '06': 'Devolución total',
  '07': 'Devolución por ítem',
  '08': 'Bonificación',
  '09': 'Disminución en el valor',
  '10': 'Otros conceptos',
  '11': 'Ajustes de operaciones de exportación',
  '12': 'Ajustes afectos al IVAP',
  '13': 'Ajustes – montos y/o fechas de pago',
} as const;
export type CreditNoteReason = keyof typeof CREDIT_NOTE_REASONS;

/** Catalog 10, "Códigos de tipo de nota de débito electrónica". */
export const DEBIT_NOTE_REASONS = {
  '01': 'Intereses por mora',
  '02': 'Aumento en el valor',
  '03': 'Penalidades / otros conceptos',
  '11': 'Ajustes de operaciones de exportación',
  '12': 'Ajustes afectos al IVAP',
} as const;
export type DebitNoteReason = keyof typeof DEBIT_NOTE_REASONS;

/**
 * The catalog 09 reasons of a return at the counter (goods come back, money goes back): 07 for some lines, 06 when
 * everything left comes back, 01 when the whole operation is undone. 01 and 06 must take back all that is left.
 */
export const RETURN_REASONS = ['07', '06', '01'] as const satisfies readonly CreditNoteReason[];
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const WHOLE_RETURN_REASONS: readonly ReturnReason[] = ['06', '01'];

export type NoteType = '07' | '08';

/**
 * The key of a note's series in the `series` table: a note's series depends on the document it corrects (a note on
 * a boleta must start with B, on a factura with F: SUNAT rule 2117 / 2116), so each pair has its own numbering.
 */
export function noteSeriesKey(type: NoteType, reference: SaleDocumentType): string {
  return `${type}-${reference}`;
}

/** The series a terminal starts with: BC01/FC01 for credit notes, BD01/FD01 for debit notes. */
export function defaultNoteSeries(type: NoteType, reference: SaleDocumentType): string {
  return `${reference === '03' ? 'B' : 'F'}${type === '07' ? 'C' : 'D'}01`;
}

/** A note's series is valid for the document it corrects: four characters, B… on a boleta, F… on a factura. */
export function isValidNoteSeries(reference: SaleDocumentType, series: string): boolean {
  return (reference === '03' ? /^B[A-Z0-9]{3}$/ : /^F[A-Z0-9]{3}$/).test(series);
}

/**
 * The catalog 10 reasons a store issues at the counter (a debit note charges more on a sale: interest for paying
 * late, an increase in the price agreed, a penalty); 11 and 12 are for exports and IVAP, not a shop's.
 */
export const COUNTER_DEBIT_REASONS = ['01', '02', '03'] as const satisfies readonly DebitNoteReason[];
export type CounterDebitReason = (typeof COUNTER_DEBIT_REASONS)[number];

/**
 * How a debit note's charge is taxed (catalog 07): gravado with IGV, or exonerado / inafecto (SUNAT's homologation
 * samples issue interest for late payment both gravado and inafecto: it follows what the store's accountant says).
 */
export const DEBIT_TAX_TREATMENTS = {
  '10': 'Gravado (con IGV)',
  '20': 'Exonerado',
  '30': 'Inafecto',
} as const;
export type DebitTaxTreatment = keyof typeof DEBIT_TAX_TREATMENTS;
export const DEBIT_TAX_CODES = ['10', '20', '30'] as const satisfies readonly DebitTaxTreatment[];

/** Who issues debit notes: the main process refuses anyone else with this, and the sale's detail says it on N. */
export const DEBIT_NOTE_MANAGERS_ONLY = 'Las notas de débito las emite un supervisor o un administrador: pídale que la emita.';
