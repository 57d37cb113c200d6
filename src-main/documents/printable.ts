// What a printed document shows, read from the STORED sale and document (never recomputed), so the paper matches
// the signed XML. Ticket and A4 layouts both draw from this one model.
import type { Db } from '../db/connection';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { amountToWords } from '../../src-shared/words';
import { formatNumber, PAYMENT_METHODS, type PaymentMethod } from '../../src-shared/documents';
import { formatDatePe, limaTime } from '../../src-shared/time';
import { IDENTITY_DOC_TYPES, type IdentityDocType } from '../../src-shared/identity';
import { getSetting } from '../db/settings';

export const DOCUMENT_TITLES: Record<string, string> = {
  '01': 'FACTURA ELECTRÓNICA',
  '03': 'BOLETA DE VENTA ELECTRÓNICA',
  '07': 'NOTA DE CRÉDITO ELECTRÓNICA',
  '08': 'NOTA DE DÉBITO ELECTRÓNICA',
};

export interface PrintableLine {
  quantity: string;
  unitCode: string;
  description: string;
  /** Price with taxes, per unit, as stored (up to 10 decimals). */
  unitPrice: string;
  amountCents: number;
}

export interface PrintableDocument {
  documentId: number;
  documentType: '01' | '03' | '07' | '08';
  title: string;
  number: string;
  fileName: string;
  /** dd/mm/aaaa and hh:mm in Lima. */
  date: string;
  time: string;
  issuedAt: string;
  store: { ruc: string; legalName: string; tradeName: string; address: string };
  customer: { docType: string; docLabel: string; docNumber: string; name: string; address: string | null };
  lines: PrintableLine[];
  totals: {
    gravadoCents: number; exoneradoCents: number; inafectoCents: number; gratuitoCents: number; discountCents: number;
    igvCents: number; icbperCents: number; totalCents: number;
  };
  igvRate: string;
  currency: string;
  amountInWords: string;
  payments: { method: string; amountCents: number; tenderedCents: number | null }[];
  changeCents: number;
  /** A factura on credit: "Forma de pago: Crédito", the net amount pending and each instalment with its due date. */
  credit?: { pendingCents: number; instalments: { number: number; amountCents: number; dueDate: string }[] };
  cashier: string | null;
  /** The QR text and the DigestValue of the signed XML; null while the document is unsigned (no certificate yet). */
  qr: string | null;
  hash: string | null;
  /** For notes: the document they modify and why. */
  reference?: { number: string; documentType: string; reason: string };
}

export class DocumentNotPrintableError extends Error {}

interface Row {
  id: number; sale_id: number | null; document_type: string; series: string; correlative: number; file_name: string;
  qr: string | null; digest_value: string | null;
  issued_at: string; issue_date: string; currency: string; igv_rate: string; customer_doc_type: string;
  customer_doc_number: string; customer_name: string; customer_address: string | null; gravado_cents: number;
  exonerado_cents: number; inafecto_cents: number; gratuito_cents: number; igv_cents: number; icbper_cents: number;
  discount_cents: number; total_cents: number; change_cents: number; cashier: string | null; credit_cents?: number;
}

// Every receipt printed after a sale: hand-written, prepared once per connection (db.prepare), because preparing costs
// more than running these three lookups.
function statements(db: Db) {
  return {
    document: db.prepare(
      `SELECT d.id, d.sale_id, d.document_type, d.series, d.correlative, d.file_name, d.qr, d.digest_value,
              s.issued_at, s.issue_date, s.currency, s.igv_rate, s.customer_doc_type, s.customer_doc_number, s.customer_name,
              s.customer_address, s.gravado_cents, s.exonerado_cents, s.inafecto_cents, s.gratuito_cents, s.igv_cents,
              s.icbper_cents, s.discount_cents, s.total_cents, s.change_cents, u.name AS cashier, s.credit_cents
       FROM documents d JOIN sales s ON s.id = d.sale_id LEFT JOIN users u ON u.id = s.user_id WHERE d.id = ?`,
    ),
    instalments: db.prepare('SELECT instalment_no, amount_cents, due_date FROM sale_instalments WHERE sale_id = ? ORDER BY instalment_no'),
    lines: db.prepare('SELECT quantity, unit_code, description, unit_price, total_cents FROM sale_lines WHERE sale_id = ? ORDER BY line_no'),
    payments: db.prepare('SELECT method, amount_cents, tendered_cents FROM payments WHERE sale_id = ? ORDER BY id'),
    // A note: its own number, date, amounts and lines; the customer and the reference are the sale's.
    note: db.prepare(
      `SELECT d.id, d.note_id, d.document_type, d.series, d.correlative, d.file_name, d.qr, d.digest_value,
              n.issued_at, n.issue_date, n.currency, n.igv_rate, s.customer_doc_type, s.customer_doc_number, s.customer_name,
              s.customer_address, n.gravado_cents, n.exonerado_cents, n.inafecto_cents, n.gratuito_cents, n.igv_cents,
              n.icbper_cents, n.discount_cents, n.total_cents, 0 AS change_cents, u.name AS cashier,
              s.number AS reference_number, s.document_type AS reference_type, n.reason, n.refund_method, n.refund_cents,
              n.charge_method, n.charge_cents, n.charge_tendered_cents
       FROM documents d JOIN notes n ON n.id = d.note_id JOIN sales s ON s.id = n.sale_id LEFT JOIN users u ON u.id = n.user_id
       WHERE d.id = ?`,
    ),
    noteLines: db.prepare('SELECT quantity, unit_code, description, unit_price, total_cents FROM note_lines WHERE note_id = ? ORDER BY line_no'),
  };
}

interface NoteRow extends Omit<Row, 'sale_id'> {
  note_id: number; reference_number: string; reference_type: string; reason: string; refund_method: PaymentMethod | null; refund_cents: number;
  charge_method: PaymentMethod | null; charge_cents: number; charge_tendered_cents: number | null;
}

type LineRow = { quantity: string; unit_code: string; description: string; unit_price: string; total_cents: number };
type PaymentRow = { method: PaymentMethod; amount_cents: number; tendered_cents: number | null };

/** The printable model of a sale's boleta or factura, or of a credit or debit note on one. */
export function printableDocument(db: Db, documentId: number): PrintableDocument {
  const st = statements(db);
  const r = st.document.get(documentId) as Row | undefined;
  if (r) {
    const p = printable(db, r, st.lines.all(r.sale_id) as LineRow[], st.payments.all(r.sale_id) as PaymentRow[]);
    if (!r.credit_cents) return p;
    const cuotas = st.instalments.all(r.sale_id) as { instalment_no: number; amount_cents: number; due_date: string }[];
    return {
      ...p,
      payments: p.payments.map((x) => ({ ...x, method: `A cuenta (${x.method.toLowerCase()})` })),
      credit: { pendingCents: r.credit_cents, instalments: cuotas.map((c) => ({ number: c.instalment_no, amountCents: c.amount_cents, dueDate: c.due_date })) },
    };
  }
  const n = st.note.get(documentId) as NoteRow | undefined;
  if (!n) throw new DocumentNotPrintableError(`El comprobante ${documentId} no existe o no proviene de una venta.`);
  // A credit note's "payment" is what went back to the customer (a refund, by the method it was made); a debit
  // note's is what the customer paid for it at the counter, with the change when more cash was handed over.
  const debit = n.document_type === '08';
  const money: PaymentRow[] = debit
    ? (n.charge_method && n.charge_cents > 0 ? [{ method: n.charge_method, amount_cents: n.charge_cents, tendered_cents: n.charge_tendered_cents }] : [])
    : (n.refund_method && n.refund_cents > 0 ? [{ method: n.refund_method, amount_cents: n.refund_cents, tendered_cents: null }] : []);
  const change = debit && n.charge_tendered_cents !== null ? Math.max(0, n.charge_tendered_cents - n.charge_cents) : 0;
  const p = printable(db, { ...n, sale_id: null, change_cents: change }, st.noteLines.all(n.note_id) as LineRow[], money);
  return {
    ...p,
    payments: p.payments.map((x) => ({ ...x, method: `${debit ? 'Pagado' : 'Devolución'} (${x.method.toLowerCase()})` })),
    reference: { number: n.reference_number, documentType: n.reference_type, reason: n.reason },
  };
}

function printable(db: Db, r: Row, lines: LineRow[], payments: PaymentRow[]): PrintableDocument {
  const store = getSetting(db, 'store');
  const docType = r.customer_doc_type as IdentityDocType;
  return {
    documentId: r.id,
    documentType: r.document_type as PrintableDocument['documentType'],
    title: DOCUMENT_TITLES[r.document_type] ?? 'COMPROBANTE ELECTRÓNICO',
    number: formatNumber(r.series, r.correlative),
    fileName: r.file_name,
    date: formatDatePe(r.issue_date),
    time: limaTime(new Date(r.issued_at)).slice(0, 5),
    issuedAt: r.issued_at,
    store: { ruc: store.ruc, legalName: store.legalName, tradeName: store.tradeName, address: store.address },
    customer: {
      docType, docLabel: docType === '-' ? '' : (IDENTITY_DOC_TYPES[docType] ?? 'Doc.'),
      docNumber: r.customer_doc_number, name: r.customer_name, address: r.customer_address,
    },
    lines: lines.map((l) => ({ quantity: l.quantity, unitCode: l.unit_code, description: l.description, unitPrice: l.unit_price, amountCents: l.total_cents })),
    totals: {
      gravadoCents: r.gravado_cents, exoneradoCents: r.exonerado_cents, inafectoCents: r.inafecto_cents,
      gratuitoCents: r.gratuito_cents, discountCents: r.discount_cents, igvCents: r.igv_cents, icbperCents: r.icbper_cents,
      totalCents: r.total_cents,
    },
    igvRate: r.igv_rate,
    currency: r.currency,
    amountInWords: amountToWords(Dec.fromCents(r.total_cents), r.currency === 'USD' ? 'USD' : 'PEN'),
    payments: payments.map((p) => ({ method: PAYMENT_METHODS[p.method] ?? p.method, amountCents: p.amount_cents, tenderedCents: p.tendered_cents })),
    changeCents: r.change_cents,
    cashier: r.cashier,
    qr: r.qr,
    hash: r.digest_value,
  };
}

// ---- formatting shared by the layouts ----

export const money = (cents: number): string => formatSoles(Dec.fromCents(cents));
/** 1,234.50 without the currency, for table columns. */
export const amount = (cents: number): string => formatSoles(Dec.fromCents(cents)).replace(/^(-?)S\/ /, '$1');

/** A quantity or unit price without trailing zeros beyond what it needs ("2", "0.250", "5.90"). */
export function plainNumber(value: string, minDecimals: number): string {
  const d = Dec.of(value);
  let s = d.toFixed(Math.max(d.scale, minDecimals));
  if (s.includes('.')) {
    const [i, f] = s.split('.');
    let frac = f.replace(/0+$/, '');
    if (frac.length < minDecimals) frac = frac.padEnd(minDecimals, '0');
    s = frac ? `${i}.${frac}` : i;
  }
  return s;
}

/** "IGV (18%)" from the stored rate "0.18". */
export function igvLabel(rate: string): string {
  return `IGV (${plainNumber(Dec.of(rate).times(100).toFixed(2), 0)}%)`;
}

export function representationText(title: string): string {
  return `Representación impresa de la ${title}. Consulte en www.sunat.gob.pe`;
}

/** The customer lines a layout prints (an anonymous boleta shows only the name). */
export function customerLines(p: PrintableDocument): string[] {
  const out = [`Cliente: ${p.customer.name}`];
  if (p.customer.docType !== '-' && p.customer.docNumber !== '-') out.push(`${p.customer.docLabel}: ${p.customer.docNumber}`);
  if (p.customer.address) out.push(`Dirección: ${p.customer.address}`);
  return out;
}

/** A factura on credit says so, with the net amount pending and each instalment (what SUNAT's XML states too). */
export function creditLines(p: PrintableDocument): string[] {
  if (!p.credit) return [];
  return [
    'Forma de pago: Crédito',
    `Monto neto pendiente de pago: ${money(p.credit.pendingCents)}`,
    ...p.credit.instalments.map((c) => `Cuota ${c.number}: ${money(c.amountCents)} vence ${formatDatePe(c.dueDate)}`),
  ];
}

/** The totals block, in SUNAT's order; zero lines that are not required are left out. */
export function totalsRows(p: PrintableDocument): [string, string][] {
  const t = p.totals;
  const rows: [string, string][] = [
    ['OP. GRAVADA', money(t.gravadoCents)],
    ['OP. EXONERADA', money(t.exoneradoCents)],
    ['OP. INAFECTA', money(t.inafectoCents)],
  ];
  if (t.gratuitoCents > 0) rows.push(['OP. GRATUITA', money(t.gratuitoCents)]);
  if (t.discountCents > 0) rows.push(['DESCUENTOS', money(t.discountCents)]);
  rows.push([igvLabel(p.igvRate), money(t.igvCents)]);
  rows.push(['ICBPER', money(t.icbperCents)]);
  return rows;
}
