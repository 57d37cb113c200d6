// The document model of a stored document row, whatever it comes from: a sale's boleta or factura (sale-model.ts)
// or a credit/debit note (note-model.ts). What the signer signs.
import type { Db } from '../db/connection';
import type { SaleDocument } from './model';
import { noteDocumentModel } from './note-model';
import { saleDocumentModel } from './sale-model';

export interface StoredDocumentRef { id: number; sale_id: number | null; note_id: number | null }

export function storedDocumentModel(db: Db, doc: StoredDocumentRef): SaleDocument {
  if (doc.note_id !== null) return noteDocumentModel(db, doc.note_id);
  if (doc.sale_id !== null) return saleDocumentModel(db, doc.sale_id);
  throw new Error(`documento ${doc.id} no proviene de una venta ni de una nota`);
}

/** The row's origin, read on the caller's connection. */
export function storedDocumentRef(db: Db, documentId: number): (StoredDocumentRef & { xml: string | null }) | undefined {
  return db.prepare('SELECT id, sale_id, note_id, xml FROM documents WHERE id = ?').get(documentId) as (StoredDocumentRef & { xml: string | null }) | undefined;
}
