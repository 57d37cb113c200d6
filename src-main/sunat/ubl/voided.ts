// Comunicación de baja (RA, VoidedDocuments 1.0 on UBL 2.0): voids facturas (and their notes) within 7 days.
import { batchId, type VoidedDocument } from '../model';
import { DEFAULT_SIGNATURE_ID, NS, el, finishDocument, signatureBlock, startDocument, type Node } from './common';

/** The document as an xmlbuilder2 tree (the signer canonicalizes it without parsing its text). */
export function voidedTree(doc: VoidedDocument, signatureId = DEFAULT_SIGNATURE_ID): Node {
  const { doc: xml, root } = startDocument(NS.voided, 'VoidedDocuments', { 'xmlns:sac': NS.sac });
  el(root, 'cbc:UBLVersionID', '2.0');
  el(root, 'cbc:CustomizationID', '1.0');
  el(root, 'cbc:ID', batchId('RA', doc.issueDate, doc.correlative));
  el(root, 'cbc:ReferenceDate', doc.referenceDate);
  el(root, 'cbc:IssueDate', doc.issueDate);
  signatureBlock(root, doc.issuer, signatureId);
  const supplier = el(root, 'cac:AccountingSupplierParty');
  el(supplier, 'cbc:CustomerAssignedAccountID', doc.issuer.ruc);
  el(supplier, 'cbc:AdditionalAccountID', '6');
  el(el(el(supplier, 'cac:Party'), 'cac:PartyLegalEntity'), 'cbc:RegistrationName', doc.issuer.name);
  doc.lines.forEach((l, i) => {
    const line = el(root, 'sac:VoidedDocumentsLine');
    el(line, 'cbc:LineID', String(i + 1));
    el(line, 'cbc:DocumentTypeCode', l.documentType);
    el(line, 'sac:DocumentSerialID', l.series);
    // A numeric field (^\d{1,8}$): SUNAT matches it by value, so the plain correlative.
    el(line, 'sac:DocumentNumberID', String(l.number));
    el(line, 'sac:VoidReasonDescription', l.reason);
  });
  return xml;
}

export function buildVoidedXml(doc: VoidedDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(voidedTree(doc, signatureId));
}
