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
/** The methods a sale's money is counted by in reports: the payments, and 'credit' for what was left to pay later. */
export const SALE_METHOD_LABELS: Record<string, string> = { ...PAYMENT_METHODS, credit: 'Crédito (por cobrar)' };

export const SUNAT_STATUS_LABELS = {
  pending: 'Pendiente de envío a SUNAT',
  accepted: 'Aceptado por SUNAT',
  observed: 'Aceptado con observaciones',
  rejected: 'Rechazado por SUNAT',
  error: 'Error de envío',
  voided: 'Anulado',
} as const;
export type SunatStatus = keyof typeof SUNAT_STATUS_LABELS;

/**
 * A cashier prints the original of their own sale only this long after it.
 * The Api enforces it (pos/prints.ts decidePrint: later, or by anyone else, the print says "COPIA").
 */
export const ORIGINAL_PRINT_WINDOW_MS = 15 * 60_000;

/** An acceptance by iziSales' SUNAT simulator (demo mode): never to be read as SUNAT's. */
export const SIMULATED_STATUS_LABELS = {
  accepted: 'Aceptado por el simulador (sin validez)',
  observed: 'Aceptado con observaciones por el simulador (sin validez)',
} as const;

/** The text of a document's SUNAT status, saying "simulador" when the simulator gave the answer. */
export function sunatStatusText(status: string, simulated = false): string {
  if (simulated && (status === 'accepted' || status === 'observed')) return SIMULATED_STATUS_LABELS[status];
  return SUNAT_STATUS_LABELS[status as SunatStatus] ?? status;
}

/** Labels of every document kind a report lists: the sale documents and SUNAT's batches (RC, RA). */
export const DOCUMENT_KIND_LABELS: Record<string, string> = {
  ...DOCUMENT_TYPES,
  RC: 'Resumen diario (RC)',
  RA: 'Comunicación de baja (RA)',
};
