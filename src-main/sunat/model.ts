// The document model the UBL builders take: everything already validated and every amount already computed
// (src-shared/tax.ts), so a builder only lays the numbers out as XML.
import type { LineAmounts, TaxRates, Totals } from '../../src-shared/tax';
import type { Dec } from '../../src-shared/decimal';
import { documentFileName, formatNumber, padCorrelative } from '../../src-shared/documents';

/** SUNAT catalog 01 codes this product issues. */
export type InvoiceTypeCode = '01' | '03';
export type NoteTypeCode = '07' | '08';
export type DocumentTypeCode = InvoiceTypeCode | NoteTypeCode;

export interface Issuer {
  ruc: string;
  /** Razón social. */
  name: string;
  tradeName?: string;
  address?: string;
  /** INEI ubigeo (6 digits) of the fiscal address. */
  ubigeo?: string;
  /** Código de establecimiento anexo (catalog "AddressTypeCode"), "0000" for the fiscal address. */
  establishmentCode: string;
  district?: string;
  province?: string;
  department?: string;
}

export interface Customer {
  /** Catalog 06; '-' or '0' for an anonymous boleta customer. */
  docType: string;
  docNumber: string;
  name: string;
  address?: string;
}

export interface DocumentLine {
  description: string;
  unitCode: string;
  /** Seller's product code (cac:SellersItemIdentification), optional. */
  code?: string;
  amounts: LineAmounts;
}

export interface DocumentReference {
  documentType: InvoiceTypeCode;
  series: string;
  number: number;
  /** Catalog 09 for credit notes, catalog 10 for debit notes. */
  reasonCode: string;
  reason: string;
}

interface DocumentBase {
  issuer: Issuer;
  series: string;
  number: number;
  /** YYYY-MM-DD (America/Lima). */
  issueDate: string;
  /** HH:MM:SS. */
  issueTime: string;
  currency: 'PEN' | 'USD';
  customer: Customer;
  lines: DocumentLine[];
  totals: Totals;
  /** The rates the amounts were computed with (IGV percent and ICBPER per bag are written in the XML). */
  rates: TaxRates;
}

/** A factura on credit (SUNAT's FormaPago "Credito"): the net amount pending and its instalments (Cuota001…). */
export interface CreditPaymentTerms {
  /** "Monto neto pendiente de pago": the total less what was paid at the counter. */
  pending: Dec;
  instalments: { amount: Dec; dueDate: string }[];
}

export interface InvoiceDocument extends DocumentBase {
  documentType: InvoiceTypeCode;
  /** Absent: paid at the counter (a factura says "Contado"). */
  credit?: CreditPaymentTerms;
}

export interface NoteDocument extends DocumentBase {
  documentType: NoteTypeCode;
  reference: DocumentReference;
  /** A credit note of catalog 09 code 13 (total zero): the factura's payment terms as they stand now, restated. */
  credit?: CreditPaymentTerms;
}

export type SaleDocument = InvoiceDocument | NoteDocument;

/** Summary condition (catalog 19): 1 add, 2 modify, 3 void. */
export type SummaryCondition = '1' | '2' | '3';

export interface SummaryLine {
  /** 03 boleta, 07/08 a note on a boleta. */
  documentType: '03' | '07' | '08';
  series: string;
  number: number;
  condition: SummaryCondition;
  currency: 'PEN' | 'USD';
  customer: Customer;
  /** For notes: the boleta they modify. */
  reference?: { documentType: '03'; series: string; number: number };
  totals: Totals;
}

export interface SummaryDocument {
  kind: 'RC';
  issuer: Issuer;
  /** Date of the boletas it summarises (ReferenceDate). */
  referenceDate: string;
  /** Date the summary is generated (IssueDate); also names the file. */
  issueDate: string;
  /** Correlative of the day, 1.. */
  correlative: number;
  lines: SummaryLine[];
}

export interface VoidedLine {
  documentType: '01' | '07' | '08';
  series: string;
  number: number;
  reason: string;
}

export interface VoidedDocument {
  kind: 'RA';
  issuer: Issuer;
  referenceDate: string;
  issueDate: string;
  correlative: number;
  lines: VoidedLine[];
}

export type AnyDocument = SaleDocument | SummaryDocument | VoidedDocument;

/** Correlative as written everywhere (cbc:ID, file name, QR): zero-padded to 8, e.g. 00000015. */
export const paddedNumber = padCorrelative;

/**
 * "B001-00000015": the document's cbc:ID. SUNAT compares it as text with the number in the file name, and the
 * file name carries the padded number, so the ID carries it too.
 */
export const documentNumber = formatNumber;

/** SUNAT file base name: RUC-TT-SERIE-NNNNNNNN, the same name the checkout gives the document and its job. */
export const documentFileBase = documentFileName;

/** RC-YYYYMMDD-N / RA-YYYYMMDD-N: the summary's cbc:ID. */
export function batchId(kind: 'RC' | 'RA', issueDate: string, correlative: number): string {
  return `${kind}-${issueDate.replaceAll('-', '')}-${correlative}`;
}

/** File base name for any document kind. */
export function documentId(doc: AnyDocument): string {
  if ('kind' in doc) return `${doc.issuer.ruc}-${batchId(doc.kind, doc.issueDate, doc.correlative)}`;
  return documentFileBase(doc.issuer.ruc, doc.documentType, doc.series, doc.number);
}

export function isNote(doc: SaleDocument): doc is NoteDocument {
  return doc.documentType === '07' || doc.documentType === '08';
}
