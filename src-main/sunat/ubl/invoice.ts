// Factura (01) and boleta (03): UBL 2.1 Invoice, CustomizationID 2.0, operation type 0101 (venta interna).
import { Dec } from '../../../src-shared/decimal';
import { documentNumber, type InvoiceDocument } from '../model';
import {
  DEFAULT_SIGNATURE_ID, NS, amount, customerParty, documentTaxTotal, el, finishDocument, legends, lineAllowance,
  lineItem, linePrice, linePricingReference, lineTaxTotal, monetaryTotal, paymentTerms, percentOf, quantity, signatureBlock, startDocument,
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
  if (doc.documentType === '01') paymentTerms(root, doc.credit, cur);
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

export function buildInvoiceXml(doc: InvoiceDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(invoiceTree(doc, signatureId));
}
