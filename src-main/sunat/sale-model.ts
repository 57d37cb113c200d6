// The SUNAT document model of a stored sale (db → model): what signing signs, rebuilt from the STORED sale and lines
// so the signed XML says what was sold, whoever signs it (the checkout, the runner).
import type { Db } from '../db/connection';
import { computeLine, type TaxAffectation } from '../../src-shared/tax';
import { computeTotals } from '../../src-shared/tax';
import { Dec } from '../../src-shared/decimal';
import { limaTime } from '../../src-shared/time';
import { getSetting, taxRatesOn } from '../db/settings';
import type { InvoiceDocument } from './model';

interface SaleRow {
  id: number; document_type: '01' | '03'; series: string; correlative: number; issued_at: string; issue_date: string;
  currency: 'PEN'; igv_rate: string; customer_doc_type: string; customer_doc_number: string; customer_name: string;
  customer_address: string | null; total_cents: number; igv_cents: number; credit_cents: number;
}

/** What a stored sale line or note line holds that the model needs (sale_lines and note_lines share these columns). */
export interface StoredLine {
  description: string; unit_code: string; quantity: string; unit_price: string; tax_affectation: string;
  discount_cents: number; bags: number; product_id: number | null;
}
/** What a stored sale or note holds that the model needs. */
export interface StoredHeader {
  igv_rate: string; issue_date: string; issued_at: string; total_cents: number; igv_cents: number;
  customer_doc_type: string; customer_doc_number: string; customer_name: string; customer_address: string | null;
}

/**
 * The part of the model a sale and a note share: the lines' amounts recomputed from the stored lines (IGV as stored,
 * ICBPER as in force on the date), checked against the stored totals, the issuer, the time and the customer.
 */
export function storedModelBase(db: Db, h: StoredHeader, rows: StoredLine[], what: string) {
  const rates = { igv: h.igv_rate, icbper: taxRatesOn(db, h.issue_date).icbper };
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
  if (totals.payable.toCents() !== h.total_cents || totals.igv.toCents() !== h.igv_cents) {
    throw new Error(`${what} no cuadra con sus líneas (total ${h.total_cents} vs ${totals.payable.toCents()})`);
  }
  const store = getSetting(db, 'store');
  return {
    issuer: { ruc: store.ruc, name: store.legalName, tradeName: store.tradeName, address: store.address, ubigeo: store.ubigeo, establishmentCode: store.establishmentCode },
    issueDate: h.issue_date,
    issueTime: limaTime(new Date(h.issued_at)),
    customer: { docType: h.customer_doc_type, docNumber: h.customer_doc_number, name: h.customer_name, address: h.customer_address ?? undefined },
    lines,
    totals,
    rates,
  };
}

/** The SUNAT document model of a stored sale: amounts recomputed from the stored lines, checked against the sale. */
export function saleDocumentModel(db: Db, saleId: number): InvoiceDocument {
  // Read for every signing (the checkout's, the runner's): hand-written, prepared once per connection.
  const s = db.prepare('SELECT * FROM sales WHERE id = ?').get(saleId) as SaleRow | undefined;
  if (!s) throw new Error(`venta ${saleId} no existe`);
  const rows = db.prepare('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(saleId) as StoredLine[];
  const model: InvoiceDocument = {
    ...storedModelBase(db, s, rows, `la venta ${saleId}`),
    documentType: s.document_type,
    series: s.series,
    number: s.correlative,
    currency: s.currency,
  };
  if (s.credit_cents > 0) {
    const cuotas = db.prepare('SELECT amount_cents, due_date FROM sale_instalments WHERE sale_id = ? ORDER BY instalment_no').all(saleId) as { amount_cents: number; due_date: string }[];
    if (cuotas.reduce((a, c) => a + c.amount_cents, 0) !== s.credit_cents) throw new Error(`las cuotas de la venta ${saleId} no suman su crédito`);
    model.credit = { pending: Dec.fromCents(s.credit_cents), instalments: cuotas.map((c) => ({ amount: Dec.fromCents(c.amount_cents), dueDate: c.due_date })) };
  }
  return model;
}
