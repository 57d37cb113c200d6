// Comunicación de baja (RA, VoidedDocuments 1.0 on UBL 2.0): voids facturas (and their notes) within 7 days.
import type { VoidedDocument } from '../model';
import { DEFAULT_SIGNATURE_ID, NS, batchDocument, el, finishDocument, type Node } from './common';

/** The document as a tree (ubl/tree.ts; the signer canonicalizes it without parsing its text). */
export function voidedTree(doc: VoidedDocument, signatureId = DEFAULT_SIGNATURE_ID): Node {
  const root = batchDocument(doc, NS.voided, 'VoidedDocuments', '1.0', signatureId);
  doc.lines.forEach((l, i) => {
    const line = el(root, 'sac:VoidedDocumentsLine');
    el(line, 'cbc:LineID', String(i + 1));
    el(line, 'cbc:DocumentTypeCode', l.documentType);
    el(line, 'sac:DocumentSerialID', l.series);
    // A numeric field (^\d{1,8}$): SUNAT matches it by value, so the plain correlative.
    el(line, 'sac:DocumentNumberID', String(l.number));
    el(line, 'sac:VoidReasonDescription', l.reason);
  });
  return root;
}

export function buildVoidedXml(doc: VoidedDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(voidedTree(doc, signatureId));
}
