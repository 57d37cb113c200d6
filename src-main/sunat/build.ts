// Model + certificate in, signed XML + zip + hash + QR out. Pure and fast: the checkout calls it right after a
// sale commits, so the ticket can print the hash at once (DESIGN §3.2).
import type { Dec } from '../../src-shared/decimal';
import type { Totals } from '../../src-shared/tax';
import {
  documentId, paddedNumber, type AnyDocument, type SaleDocument, type SummaryDocument,
  type VoidedDocument,
} from './model';
import { zipDocument } from './package';
import { signBuiltXml, type SigningCertificate } from './signer';
import { DEFAULT_SIGNATURE_ID, customerIdentity, finishDocument, type Node } from './ubl/common';
import { creditNoteTree } from './ubl/credit-note';
import { debitNoteTree } from './ubl/debit-note';
import { invoiceTree } from './ubl/invoice';
import { summaryTree } from './ubl/summary';
import { voidedTree } from './ubl/voided';

export interface TotalsSummary {
  taxableAmount: string;
  igv: string;
  payableAmount: string;
  exonerated: string;
  unaffected: string;
  free: string;
  icbper: string;
}

export interface SignedBatch {
  /** Base name, RUC-TT-SERIE-NUMERO (or RUC-RC-YYYYMMDD-N). */
  fileName: string;
  xml: string;
  /** Built on first access. */
  readonly zip: Uint8Array;
  digestValue: string;
}

export interface SignedDocument extends SignedBatch {
  qr: string;
  totals: TotalsSummary;
}

function buildTree(model: AnyDocument, signatureId: string): Node {
  if ('kind' in model) return model.kind === 'RC' ? summaryTree(model, signatureId) : voidedTree(model, signatureId);
  switch (model.documentType) {
    case '01':
    case '03':
      return invoiceTree(model, signatureId);
    case '07':
      return creditNoteTree(model, signatureId);
    case '08':
      return debitNoteTree(model, signatureId);
  }
}

/** The unsigned UBL of any document kind. */
export function buildUnsignedXml(model: AnyDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(buildTree(model, signatureId));
}

const fixed = (d: Dec) => d.toFixed(2);

export function totalsSummary(t: Totals): TotalsSummary {
  return {
    taxableAmount: fixed(t.gravado),
    igv: fixed(t.igv),
    payableAmount: fixed(t.payable),
    exonerated: fixed(t.exonerado),
    unaffected: fixed(t.inafecto),
    free: fixed(t.gratuito),
    icbper: fixed(t.icbper),
  };
}

/** QR text printed on the ticket: RUC|TIPO|SERIE|NUMERO|IGV|TOTAL|FECHA|TIPODOC|NRODOC|HASH| */
export function qrText(model: SaleDocument, digestValue: string): string {
  const c = customerIdentity(model.customer);
  return [
    model.issuer.ruc, model.documentType, model.series, paddedNumber(model.number), fixed(model.totals.igv),
    fixed(model.totals.payable), model.issueDate, c.docType, c.docNumber, digestValue, '',
  ].join('|');
}

export function buildSignedDocument(model: SaleDocument, cert: SigningCertificate, signatureId?: string): SignedDocument;
export function buildSignedDocument(model: SummaryDocument | VoidedDocument, cert: SigningCertificate, signatureId?: string): SignedBatch;
export function buildSignedDocument(model: AnyDocument, cert: SigningCertificate, signatureId = DEFAULT_SIGNATURE_ID): SignedBatch | SignedDocument {
  const fileName = documentId(model);
  const tree = buildTree(model, signatureId);
  const { xml, digestValue } = signBuiltXml(finishDocument(tree), tree, cert, signatureId);
  // The zip is built when asked for: the checkout stores the XML only (the sender zips it), so it never pays for it.
  let zip: Uint8Array | undefined;
  const base = {
    fileName, xml, digestValue,
    get zip(): Uint8Array {
      return (zip ??= zipDocument(fileName, xml).zip);
    },
  };
  if ('kind' in model) return base;
  return Object.assign(base, { qr: qrText(model, digestValue), totals: totalsSummary(model.totals) });
}
