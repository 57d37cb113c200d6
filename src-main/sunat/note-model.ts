// The SUNAT document model of a stored credit or debit note (db → model), as sale-model.ts does for a sale: rebuilt
// from the STORED note and its lines, amounts recomputed and checked against the note, the customer and the
// reference taken from the sale it corrects; a note of code 13 also carries the instalments it restates.
import type { Db } from '../db/connection';
import type { CreditPaymentTerms, InvoiceTypeCode, NoteDocument } from './model';
import { Dec } from '../../src-shared/decimal';
import { storedModelBase, type StoredLine } from './sale-model';

interface NoteRow {
  id: number; document_type: '07' | '08'; series: string; correlative: number; issued_at: string; issue_date: string;
  reason_code: string; reason: string; igv_rate: string; total_cents: number; igv_cents: number;
  sale_document_type: InvoiceTypeCode; sale_series: string; sale_correlative: number; customer_doc_type: string;
  customer_doc_number: string; customer_name: string; customer_address: string | null;
}

export function noteDocumentModel(db: Db, noteId: number): NoteDocument {
  const n = db.prepare(
    `SELECT n.id, n.document_type, n.series, n.correlative, n.issued_at, n.issue_date, n.reason_code, n.reason, n.igv_rate,
       n.total_cents, n.igv_cents, s.document_type AS sale_document_type, s.series AS sale_series,
       s.correlative AS sale_correlative, s.customer_doc_type, s.customer_doc_number, s.customer_name, s.customer_address
     FROM notes n JOIN sales s ON s.id = n.sale_id WHERE n.id = ?`,
  ).get(noteId) as NoteRow | undefined;
  if (!n) throw new Error(`nota ${noteId} no existe`);
  const credit = n.reason_code === '13' ? restatedTerms(db, noteId) : undefined;
  const rows = db.prepare('SELECT description, unit_code, quantity, unit_price, tax_affectation, discount_cents, bags, product_id FROM note_lines WHERE note_id = ? ORDER BY line_no').all(noteId) as StoredLine[];
  return {
    ...storedModelBase(db, n, rows, `la nota ${noteId}`),
    documentType: n.document_type,
    series: n.series,
    number: n.correlative,
    currency: 'PEN',
    reference: { documentType: n.sale_document_type, series: n.sale_series, number: n.sale_correlative, reasonCode: n.reason_code, reason: n.reason },
    ...(credit ? { credit } : {}),
  };
}

/** The instalments a code-13 note restates (note_instalments, migration 015): the net amount pending is their sum. */
function restatedTerms(db: Db, noteId: number): CreditPaymentTerms {
  const cuotas = db.prepare('SELECT amount_cents, due_date FROM note_instalments WHERE note_id = ? ORDER BY instalment_no').all(noteId) as { amount_cents: number; due_date: string }[];
  if (cuotas.length === 0) throw new Error(`la nota ${noteId} (código 13) no tiene cuotas`);
  return {
    pending: Dec.fromCents(cuotas.reduce((a, c) => a + c.amount_cents, 0)),
    instalments: cuotas.map((c) => ({ amount: Dec.fromCents(c.amount_cents), dueDate: c.due_date })),
  };
}
