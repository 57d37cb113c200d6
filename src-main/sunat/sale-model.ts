// The SUNAT document model of a stored sale (db → model): what signing signs, rebuilt from the STORED sale and lines
// so the signed XML says what was sold, whoever signs it (the checkout, the signing thread, the runner).
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
  customer_address: string | null; total_cents: number; igv_cents: number;
}
interface LineRow {
  description: string; unit_code: string; quantity: string; unit_price: string; tax_affectation: string;
  discount_cents: number; bags: number; product_id: number | null; total_cents: number;
}

/** The SUNAT document model of a stored sale: amounts recomputed from the stored lines, checked against the sale. */
export function saleDocumentModel(db: Db, saleId: number): InvoiceDocument {
  // Read for every signing (checkout's signing thread, the runner): hand-written, prepared once per connection.
  const s = db.prepare('SELECT * FROM sales WHERE id = ?').get(saleId) as SaleRow | undefined;
  if (!s) throw new Error(`venta ${saleId} no existe`);
  const rows = db.prepare('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(saleId) as LineRow[];
  // IGV as stored with the sale; ICBPER as in force on the sale's date.
  const rates = { igv: s.igv_rate, icbper: taxRatesOn(db, s.issue_date).icbper };
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
  if (totals.payable.toCents() !== s.total_cents || totals.igv.toCents() !== s.igv_cents) {
    throw new Error(`la venta ${saleId} no cuadra con sus líneas (total ${s.total_cents} vs ${totals.payable.toCents()})`);
  }
  const store = getSetting(db, 'store');
  return {
    documentType: s.document_type,
    issuer: { ruc: store.ruc, name: store.legalName, tradeName: store.tradeName, address: store.address, ubigeo: store.ubigeo, establishmentCode: store.establishmentCode },
    series: s.series,
    number: s.correlative,
    issueDate: s.issue_date,
    issueTime: limaTime(new Date(s.issued_at)),
    currency: s.currency,
    customer: { docType: s.customer_doc_type, docNumber: s.customer_doc_number, name: s.customer_name, address: s.customer_address ?? undefined },
    lines,
    totals,
    rates,
  };
}
