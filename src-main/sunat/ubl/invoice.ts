// Factura (01) and boleta (03): UBL 2.1 Invoice, CustomizationID 2.0, operation type 0101 (venta interna).
import { Dec } from '../../../src-shared/decimal';
import { documentNumber, type InvoiceDocument } from '../model';
import { instalmentId } from '../../../src-shared/credit';
import {
  DEFAULT_SIGNATURE_ID, NS, amount, customerParty, documentTaxTotal, el, finishDocument, legends, lineAllowance,
  lineItem, linePrice, linePricingReference, lineTaxTotal, monetaryTotal, percentOf, quantity, signatureBlock, startDocument,
  supplierParty, type Node,
} from './common';

export const OPERATION_TYPE_INTERNAL_SALE = '0101';

/** The document as a tree (ubl/tree.ts; the signer canonicalizes it without parsing its text). */
export function invoiceTree(doc: InvoiceDocument, signatureId = DEFAULT_SIGNATURE_ID): Node {
  const root = startDocument(NS.invoice, 'Invoice');
  const cur = doc.currency;
  el(root, 'cbc:UBLVersionID', '2.1');
  el(root, 'cbc:CustomizationID', '2.0');
  el(root, 'cbc:ID', documentNumber(doc.series, doc.number));
  el(root, 'cbc:IssueDate', doc.issueDate);
  el(root, 'cbc:IssueTime', doc.issueTime);
  el(root, 'cbc:InvoiceTypeCode', doc.documentType, { listID: OPERATION_TYPE_INTERNAL_SALE });
  legends(root, doc.totals, cur);
  el(root, 'cbc:DocumentCurrencyCode', cur);
  signatureBlock(root, doc.issuer, signatureId);
  supplierParty(root, doc.issuer);
  customerParty(root, doc.customer);
  if (doc.documentType === '01') paymentTerms(root, doc, cur);
  documentTaxTotal(root, doc.totals, cur);
  monetaryTotal(root, 'cac:LegalMonetaryTotal', doc.totals, cur);

  const igvPercent = percentOf(doc.rates.igv);
  const icbperRate = Dec.of(doc.rates.icbper);
  doc.lines.forEach((line, i) => {
    const l = line.amounts;
    const node = el(root, 'cac:InvoiceLine');
    el(node, 'cbc:ID', String(i + 1));
    el(node, 'cbc:InvoicedQuantity', quantity(l.quantity), { unitCode: line.unitCode });
    amount(node, 'cbc:LineExtensionAmount', l.value, cur);
    linePricingReference(node, l, cur);
    lineAllowance(node, l, cur);
    lineTaxTotal(node, l, cur, igvPercent, icbperRate);
    lineItem(node, line.description, line.code);
    linePrice(node, l, cur);
  });
  return root;
}

/**
 * SUNAT requires the payment form on facturas (3244; it is not on boletas): "Contado", or "Credito" with the net
 * amount pending and one "CuotaNNN" block per instalment, each with its amount and due date (rules 3249–3267, 3319).
 */
function paymentTerms(root: Node, doc: InvoiceDocument, cur: string): void {
  const terms = el(root, 'cac:PaymentTerms');
  el(terms, 'cbc:ID', 'FormaPago');
  if (!doc.credit) {
    el(terms, 'cbc:PaymentMeansID', 'Contado');
    return;
  }
  el(terms, 'cbc:PaymentMeansID', 'Credito');
  amount(terms, 'cbc:Amount', doc.credit.pending, cur);
  doc.credit.instalments.forEach((c, i) => {
    const cuota = el(root, 'cac:PaymentTerms');
    el(cuota, 'cbc:ID', 'FormaPago');
    el(cuota, 'cbc:PaymentMeansID', instalmentId(i + 1));
    amount(cuota, 'cbc:Amount', c.amount, cur);
    el(cuota, 'cbc:PaymentDueDate', c.dueDate);
  });
}

export function buildInvoiceXml(doc: InvoiceDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(invoiceTree(doc, signatureId));
}
