// The SUNAT document model of a stored credit or debit note (db → model), as sale-model.ts does for a sale: rebuilt
// from the STORED note and its lines, amounts recomputed and checked against the note, the customer and the
// reference taken from the sale it corrects.
import type { Db } from '../db/connection';
import { computeLine, computeTotals, type TaxAffectation } from '../../src-shared/tax';
import { Dec } from '../../src-shared/decimal';
import { limaTime } from '../../src-shared/time';
import { getSetting, taxRatesOn } from '../db/settings';
import type { InvoiceTypeCode, NoteDocument } from './model';

interface NoteRow {
  id: number; document_type: '07' | '08'; series: string; correlative: number; issued_at: string; issue_date: string;
  reason_code: string; reason: string; igv_rate: string; total_cents: number; igv_cents: number;
  sale_document_type: InvoiceTypeCode; sale_series: string; sale_correlative: number; customer_doc_type: string;
  customer_doc_number: string; customer_name: string; customer_address: string | null;
}
interface LineRow {
  description: string; unit_code: string; quantity: string; unit_price: string; tax_affectation: string;
  discount_cents: number; bags: number; product_id: number | null;
}

export function noteDocumentModel(db: Db, noteId: number): NoteDocument {
  const n = db.prepare(
    `SELECT n.id, n.document_type, n.series, n.correlative, n.issued_at, n.issue_date, n.reason_code, n.reason, n.igv_rate,
       n.total_cents, n.igv_cents, s.document_type AS sale_document_type, s.series AS sale_series,
       s.correlative AS sale_correlative, s.customer_doc_type, s.customer_doc_number, s.customer_name, s.customer_address
     FROM notes n JOIN sales s ON s.id = n.sale_id WHERE n.id = ?`,
  ).get(noteId) as NoteRow | undefined;
  if (!n) throw new Error(`nota ${noteId} no existe`);
  const rows = db.prepare('SELECT description, unit_code, quantity, unit_price, tax_affectation, discount_cents, bags, product_id FROM note_lines WHERE note_id = ? ORDER BY line_no').all(noteId) as LineRow[];
  const rates = { igv: n.igv_rate, icbper: taxRatesOn(db, n.issue_date).icbper };
  const lines = rows.map((l) => ({
    description: l.description,
    unitCode: l.unit_code,
    code: l.product_id === null ? undefined : String(l.product_id),
    amounts: computeLine({
      quantity: l.quantity, unitPrice: l.unit_price, taxAffectation: l.tax_affectation as TaxAffectation, bags: l.bags,
      discount: l.discount_cents > 0 ? { kind: 'amount', value: Dec.fromCents(l.discount_cents).toFixed(2) } : null,
    }, rates),
  }));
  const totals = computeTotals(lines.map((l) => l.amounts));
  if (totals.payable.toCents() !== n.total_cents || totals.igv.toCents() !== n.igv_cents) {
    throw new Error(`la nota ${noteId} no cuadra con sus líneas (total ${n.total_cents} vs ${totals.payable.toCents()})`);
  }
  const store = getSetting(db, 'store');
  return {
    documentType: n.document_type,
    issuer: { ruc: store.ruc, name: store.legalName, tradeName: store.tradeName, address: store.address, ubigeo: store.ubigeo, establishmentCode: store.establishmentCode },
    series: n.series,
    number: n.correlative,
    issueDate: n.issue_date,
    issueTime: limaTime(new Date(n.issued_at)),
    currency: 'PEN',
    customer: { docType: n.customer_doc_type, docNumber: n.customer_doc_number, name: n.customer_name, address: n.customer_address ?? undefined },
    lines,
    totals,
    rates,
    reference: { documentType: n.sale_document_type, series: n.sale_series, number: n.sale_correlative, reasonCode: n.reason_code, reason: n.reason },
  };
}
