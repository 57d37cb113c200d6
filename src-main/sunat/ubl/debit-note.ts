// Nota de débito (08): UBL 2.1 DebitNote; the reason is a catalog 10 code, the total is RequestedMonetaryTotal.
import type { NoteDocument } from '../model';
import { DEFAULT_SIGNATURE_ID, NS, finishDocument, noteBody, startDocument, type Node } from './common';

/** The document as a tree (ubl/tree.ts; the signer canonicalizes it without parsing its text). */
export function debitNoteTree(doc: NoteDocument, signatureId = DEFAULT_SIGNATURE_ID): Node {
  if (doc.documentType !== '08') throw new Error(`buildDebitNoteXml needs an 08 document, not ${doc.documentType}`);
  const root = startDocument(NS.debitNote, 'DebitNote');
  noteBody(root, doc, signatureId, { monetaryTotal: 'cac:RequestedMonetaryTotal', line: 'cac:DebitNoteLine', quantity: 'cbc:DebitedQuantity' });
  return root;
}

export function buildDebitNoteXml(doc: NoteDocument, signatureId = DEFAULT_SIGNATURE_ID): string {
  return finishDocument(debitNoteTree(doc, signatureId));
}
