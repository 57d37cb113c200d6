// Resumen diario (RC, SummaryDocuments 1.1 on UBL 2.0): boletas and their notes, each with a condition code
// (1 add, 2 modify, 3 void). iziSales sends boletas one by one; the summary is for voids and late boletas.
import { Dec } from '../../../src-shared/decimal';
import type { Totals } from '../../../src-shared/tax';
import { documentNumber, type SummaryDocument } from '../model';
import {
  DEFAULT_SIGNATURE_ID, NS, TAX_SCHEMES, amount, batchDocument, customerIdentity, el, finishDocument, type Node,
} from './common';

function billingPayment(line: Node, value: Dec, instruction: string, cur: string): void {
  const bp = el(line, 'sac:BillingPayment');
  amount(bp, 'cbc:PaidAmount', value, cur);
  el(bp, 'cbc:InstructionID', instruction);
}

function lineTax(line: Node, scheme: { id: string; name: string; code: string; category: string }, value: Dec, cur: string): void {
  const total = el(line, 'cac:TaxTotal');
  amount(total, 'cbc:TaxAmount', value, cur);
  const sub = el(total, 'cac:TaxSubtotal');
  amount(sub, 'cbc:TaxAmount', value, cur);
  const cat = el(sub, 'cac:TaxCategory');
  const s = el(cat, 'cac:TaxScheme');
  el(s, 'cbc:ID', scheme.id);
  el(s, 'cbc:Name', scheme.name);
  el(s, 'cbc:TaxTypeCode', scheme.code);
}

/** Values by operation type (InstructionID: 01 gravado, 02 exonerado, 03 inafecto, 05 gratuito). */
function payments(line: Node, t: Totals, cur: string): void {
  if (!t.gravado.isZero()) billingPayment(line, t.gravado, '01', cur);
  if (!t.exonerado.isZero()) billingPayment(line, t.exonerado, '02', cur);
  if (!t.inafecto.isZero()) billingPayment(line, t.inafecto, '03', cur);
  if (!t.gratuito.isZero()) billingPayment(line, t.gratuito, '05', cur);
  // SUNAT wants at least one BillingPayment even for a zero boleta.
  if (t.gravado.isZero() && t.exonerado.isZero() && t.inafecto.isZero() && t.gratuito.isZero()) billingPayment(line, Dec.ZERO, '01', cur);
}

/** The document as a tree (ubl/tree.ts; the signer canonicalizes it without parsing its text). */
export function summaryTree(doc: SummaryDocument, signatureId = DEFAULT_SIGNATURE_ID): Node {
  const root = batchDocument(doc, NS.summary, 'SummaryDocuments', '1.1', signatureId);

  doc.lines.forEach((l, i) => {
    const cur = l.currency;
    const line = el(root, 'sac:SummaryDocumentsLine');
    el(line, 'cbc:LineID', String(i + 1));
    el(line, 'cbc:DocumentTypeCode', l.documentType);
    el(line, 'cbc:ID', documentNumber(l.series, l.number));
    const c = customerIdentity(l.customer);
    const customer = el(line, 'cac:AccountingCustomerParty');
    el(customer, 'cbc:CustomerAssignedAccountID', c.docNumber);
    el(customer, 'cbc:AdditionalAccountID', c.docType);
    if (l.reference) {
      const ref = el(el(line, 'cac:BillingReference'), 'cac:InvoiceDocumentReference');
      el(ref, 'cbc:ID', documentNumber(l.reference.series, l.reference.number));
      el(ref, 'cbc:DocumentTypeCode', l.reference.documentType);
    }
    el(el(line, 'cac:Status'), 'cbc:ConditionCode', l.condition);
    amount(line, 'sac:TotalAmount', l.totals.payable, cur);
    payments(line, l.totals, cur);
    lineTax(line, TAX_SCHEMES.igv, l.totals.igv, cur);
    if (!l.totals.icbper.isZero()) lineTax(line, TAX_SCHEMES.icbper, l.totals.icbper, cur);
  });
  return root;
}

export function buildSummaryXml(doc: SummaryDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(summaryTree(doc, signatureId));
}
