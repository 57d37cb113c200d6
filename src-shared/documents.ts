// SUNAT document kinds and numbering (catalog 01).
export const DOCUMENT_TYPES = {
  '01': 'Factura',
  '03': 'Boleta de venta',
  '07': 'Nota de crédito',
  '08': 'Nota de débito',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
export type SaleDocumentType = '01' | '03';

/** Above this total a boleta must identify its customer (SUNAT). */
export const BOLETA_ANONYMOUS_LIMIT = '700.00';

/** The correlative padded to 8 digits (00000015), as SUNAT writes it in IDs, file names and the QR. */
export function padCorrelative(correlative: number): string {
  if (!Number.isInteger(correlative) || correlative < 1 || correlative > 99_999_999) {
    throw new Error(`correlativo fuera de rango: ${correlative}`);
  }
  return String(correlative).padStart(8, '0');
}

/** B001-00000015: series and the padded correlative. */
export function formatNumber(series: string, correlative: number): string {
  return `${series}-${padCorrelative(correlative)}`;
}

/** RUC-TT-SERIE-NUMERO, the name of the XML and zip files and the job's idempotency key. */
export function documentFileName(ruc: string, type: string, series: string, correlative: number): string {
  return `${ruc}-${type}-${formatNumber(series, correlative)}`;
}

export function isValidSeries(type: SaleDocumentType, series: string): boolean {
  return (type === '03' ? /^B[A-Z0-9]{3}$/ : /^F[A-Z0-9]{3}$/).test(series);
}

export const PAYMENT_METHODS = { cash: 'Efectivo', card: 'Tarjeta', yape: 'Yape', plin: 'Plin' } as const;
export type PaymentMethod = keyof typeof PAYMENT_METHODS;

export const SUNAT_STATUS_LABELS = {
  pending: 'Pendiente de envío a SUNAT',
  accepted: 'Aceptado por SUNAT',
  observed: 'Aceptado con observaciones',
  rejected: 'Rechazado por SUNAT',
  error: 'Error de envío',
  voided: 'Anulado',
} as const;
export type SunatStatus = keyof typeof SUNAT_STATUS_LABELS;
