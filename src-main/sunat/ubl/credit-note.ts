// Nota de crédito (07): UBL 2.1 CreditNote; the reason is a catalog 09 code in DiscrepancyResponse.
import type { NoteDocument } from '../model';
import { DEFAULT_SIGNATURE_ID, NS, finishDocument, noteBody, startDocument, type Node } from './common';

/** The document as a tree (ubl/tree.ts; the signer canonicalizes it without parsing its text). */
export function creditNoteTree(doc: NoteDocument, signatureId = DEFAULT_SIGNATURE_ID): Node {
  if (doc.documentType !== '07') throw new Error(`buildCreditNoteXml needs a 07 document, not ${doc.documentType}`);
  const root = startDocument(NS.creditNote, 'CreditNote');
  noteBody(root, doc, signatureId, { monetaryTotal: 'cac:LegalMonetaryTotal', line: 'cac:CreditNoteLine', quantity: 'cbc:CreditedQuantity' });
  return root;
}

export function buildCreditNoteXml(doc: NoteDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(creditNoteTree(doc, signatureId));
}
