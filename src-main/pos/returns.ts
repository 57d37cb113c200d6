// Returns at the counter (issue 15): some lines of one sale come back, the money goes back, and a credit note (07)
// on the sale's boleta or factura says so to SUNAT. Like the checkout, everything is read and checked first (a
// refused return records nothing), then ONE transaction takes the next number of the note's series, writes the
// note and its lines, puts the goods back in stock, writes the document row and its sunat.send job, and audits it.
// The note is signed right after the commit (app.ts), and sent by the runner once the document it corrects is
// accepted (SUNAT refuses a note on a document it does not hold: 2119).
// On a factura sold on credit the note lowers first what the customer still owes (notes.debt_cents) and only the rest
// goes back as money; the lowered instalments go to SUNAT in a second credit note, code 13, in the same transaction.
import type Database from 'better-sqlite3';
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import { MANAGERS, type ReturnableSale, type ReturnInput } from '../../src-shared/contract';
import { computeLine, computeTotals, type LineAmounts, type TaxAffectation } from '../../src-shared/tax';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { documentFileName, formatNumber, sunatStatusText, type SaleDocumentType } from '../../src-shared/documents';
import { CREDIT_NOTE_REASONS, WHOLE_RETURN_REASONS, defaultNoteSeries, noteSeriesKey } from '../../src-shared/notes';
import { loweredInstalments } from '../../src-shared/credit';
import type { PaymentMethod } from '../../src-shared/documents';
import { limaDate } from '../../src-shared/time';
import { notFound, ruleError } from '../errors';
import { audit } from '../db/audit';
import { getSetting, taxRatesOn } from '../db/settings';
import { currentSession, noDrawerError } from './cash';
import { PRIORITY } from '../jobs/queue';
import { saleVoidability } from '../sunat/batches';
import { assertClockAllows } from './clock-guard';
import { queueTicketPrint } from '../jobs/print-ticket';

export interface ReturnContext {
  db: Db;
  now: Date;
  terminalId: string;
  user: Pick<User, 'id' | 'role'>;
}

export interface CommittedNote {
  noteId: number;
  documentId: number;
  number: string;
  fileName: string;
  /** The number of the document it corrects (B001-00000012). */
  reference: string;
  total: Dec;
  refundMethod: PaymentMethod;
  /** What went back as money (the total, unless part of it was taken off a debt). */
  refund: Dec;
  /** On a sale on credit: what the note took off what the customer owed. */
  debt: Dec;
  /** The thermal printer its ticket was queued for (jobs/print-ticket.ts), or null: the PDF path. */
  ticketPrinter: string | null;
  /** The note of code 13 that restates the lowered instalments to SUNAT, when one was issued. */
  adjustment: { noteId: number; documentId: number; number: string } | null;
}

interface SaleRow {
  id: number; user_id: number; document_type: SaleDocumentType; number: string; status: string; igv_rate: string;
  issue_date: string; total_cents: number; credit_cents: number;
}
interface SaleLineRow {
  id: number; line_no: number; product_id: number | null; description: string; unit_code: string; quantity: string;
  unit_price: string; tax_affectation: string; discount_cents: number; bags: number; total_cents: number;
}

interface Statements {
  sale: Database.Statement;
  saleDocument: Database.Statement;
  lines: Database.Statement;
  returned: Database.Statement;
  payments: Database.Statement;
  collectedBy: Database.Statement;
  reduced: Database.Statement;
  instalments: Database.Statement;
  adjustment: Database.Statement;
  adjustmentLine: Database.Statement;
  adjustmentInstalment: Database.Statement;
  seriesGet: Database.Statement;
  seriesBump: Database.Statement;
  seriesInsert: Database.Statement;
  note: Database.Statement;
  noteLine: Database.Statement;
  stockGet: Database.Statement;
  stockSet: Database.Statement;
  stockMove: Database.Statement;
  document: Database.Statement;
  job: Database.Statement;
}
const statements = new WeakMap<Db, Statements>();

function prepared(db: Db): Statements {
  let s = statements.get(db);
  if (s) return s;
  s = {
    sale: db.prepare('SELECT id, user_id, document_type, number, status, igv_rate, issue_date, total_cents, credit_cents FROM sales WHERE id = ?'),
    saleDocument: db.prepare(`SELECT id, status, simulated FROM documents WHERE sale_id = ? AND document_type IN ('01', '03') ORDER BY id LIMIT 1`),
    lines: db.prepare(
      `SELECT id, line_no, product_id, description, unit_code, quantity, unit_price, tax_affectation, discount_cents, bags, total_cents
       FROM sale_lines WHERE sale_id = ? ORDER BY line_no`,
    ),
    returned: db.prepare(
      `SELECT nl.sale_line_id, nl.quantity, nl.discount_cents FROM note_lines nl JOIN notes n ON n.id = nl.note_id
       WHERE n.sale_id = ? AND n.document_type = '07'`,
    ),
    payments: db.prepare('SELECT method, amount_cents FROM payments WHERE sale_id = ? ORDER BY amount_cents DESC, id'),
    collectedBy: db.prepare('SELECT method, sum(amount_cents) AS amount_cents FROM collections WHERE sale_id = ? GROUP BY method ORDER BY 2 DESC, min(id)'),
    reduced: db.prepare(`SELECT coalesce(sum(debt_cents), 0) AS debt, coalesce(sum(total_cents), 0) AS credited FROM notes WHERE sale_id = ? AND document_type = '07'`),
    instalments: db.prepare('SELECT amount_cents, due_date FROM sale_instalments WHERE sale_id = ? ORDER BY instalment_no'),
    adjustment: db.prepare(
      `INSERT INTO notes (sale_id, terminal_id, session_id, user_id, document_type, series, correlative, number,
        reason_code, reason, issued_at, issue_date, currency, igv_rate, gravado_cents, exonerado_cents, inafecto_cents,
        gratuito_cents, igv_cents, icbper_cents, discount_cents, total_cents, refund_method, refund_cents)
       VALUES (?,?,NULL,?,'07',?,?,?,'13',?,?,?,'PEN',?,0,0,0,0,0,0,0,0,NULL,0)`,
    ),
    adjustmentLine: db.prepare(
      `INSERT INTO note_lines (note_id, line_no, sale_line_id, product_id, description, unit_code, quantity, unit_price,
        unit_value, tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, bags, total_cents)
       VALUES (?,1,NULL,NULL,?,'ZZ','1','0','0','10',0,0,0,0,0,0)`,
    ),
    adjustmentInstalment: db.prepare('INSERT INTO note_instalments (note_id, instalment_no, amount_cents, due_date) VALUES (?,?,?,?)'),
    seriesGet: db.prepare('SELECT series, next_number FROM series WHERE terminal_id = ? AND document_type = ?'),
    seriesBump: db.prepare('UPDATE series SET next_number = next_number + 1 WHERE terminal_id = ? AND document_type = ?'),
    seriesInsert: db.prepare('INSERT INTO series (terminal_id, document_type, series, next_number) VALUES (?, ?, ?, 1)'),
    note: db.prepare(
      `INSERT INTO notes (sale_id, terminal_id, session_id, user_id, document_type, series, correlative, number,
        reason_code, reason, issued_at, issue_date, currency, igv_rate, gravado_cents, exonerado_cents, inafecto_cents,
        gratuito_cents, igv_cents, icbper_cents, discount_cents, total_cents, refund_method, refund_cents, debt_cents)
       VALUES (?,?,?,?,'07',?,?,?,?,?,?,?,'PEN',?,?,?,?,?,?,?,?,?,?,?,?)`,
    ),
    noteLine: db.prepare(
      `INSERT INTO note_lines (note_id, line_no, sale_line_id, product_id, description, unit_code, quantity, unit_price,
        unit_value, tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, bags, total_cents)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ),
    stockGet: db.prepare('SELECT stock FROM products WHERE id = ?'),
    stockSet: db.prepare('UPDATE products SET stock = ? WHERE id = ?'),
    stockMove: db.prepare(
      `INSERT INTO stock_moves (product_id, sale_id, note_id, quantity, reason, stock_after, negative, created_at)
       VALUES (?,?,?,?,'return',?,?,?)`,
    ),
    document: db.prepare(
      `INSERT INTO documents (sale_id, note_id, document_type, series, correlative, file_name, issue_date, status, created_at, updated_at)
       VALUES (NULL,?,'07',?,?,?,?,'pending',?,?)`,
    ),
    job: db.prepare(
      `INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, idempotency_key, created_at, updated_at)
       VALUES ('sunat.send', ?, ?, 3, ?, ?, ?, ?)`,
    ),
  };
  statements.set(db, s);
  return s;
}

/** What is left to return of a sale line: its quantity less what earlier credit notes took back. */
interface LineLeft { line: SaleLineRow; quantity: Dec; discountCents: number }

function linesLeft(st: Statements, saleId: number): Map<number, LineLeft> {
  const lines = st.lines.all(saleId) as SaleLineRow[];
  const left = new Map<number, LineLeft>(lines.map((l) => [l.line_no, { line: l, quantity: Dec.of(l.quantity), discountCents: l.discount_cents }]));
  const byId = new Map(lines.map((l) => [l.id, l.line_no]));
  for (const r of st.returned.all(saleId) as { sale_line_id: number | null; quantity: string; discount_cents: number }[]) {
    const e = r.sale_line_id === null ? undefined : left.get(byId.get(r.sale_line_id)!);
    if (!e) continue;
    e.quantity = e.quantity.minus(r.quantity);
    e.discountCents -= r.discount_cents;
  }
  return left;
}

export function returnSale(ctx: ReturnContext, input: ReturnInput): CommittedNote {
  const { db, now, terminalId, user } = ctx;
  const st = prepared(db);
  const sale = st.sale.get(input.saleId) as SaleRow | undefined;
  if (!sale) throw notFound('La venta no existe.');
  if (user.role === 'cashier' && sale.user_id !== user.id) throw ruleError(`La venta ${sale.number} es de otro cajero: la devolución la hace un supervisor.`);
  if (sale.status === 'cancelled') throw ruleError(`La venta ${sale.number} está anulada: no admite devoluciones.`);
  const saleDoc = st.saleDocument.get(sale.id) as { id: number; status: string } | undefined;
  if (!saleDoc) throw ruleError(`La venta ${sale.number} no tiene comprobante.`);
  if (saleDoc.status === 'rejected') throw ruleError(`SUNAT rechazó el comprobante ${sale.number}: una nota de crédito no puede modificarlo.`);
  if (saleDoc.status === 'voided') throw ruleError(`El comprobante ${sale.number} está dado de baja: no admite devoluciones.`);

  // Lines and quantities: each sale line once, never more than is left of it.
  const left = linesLeft(st, sale.id);
  const rates = { igv: sale.igv_rate, icbper: taxRatesOn(db, sale.issue_date).icbper };
  const seen = new Set<number>();
  const taken: { left: LineLeft; quantity: Dec; discountCents: number; amounts: LineAmounts }[] = [];
  for (const l of input.lines) {
    const e = left.get(l.lineNo);
    if (!e) throw ruleError(`La venta ${sale.number} no tiene línea ${l.lineNo}.`);
    if (seen.has(l.lineNo)) throw ruleError(`La línea ${l.lineNo} figura dos veces en la devolución.`);
    seen.add(l.lineNo);
    const q = Dec.of(l.quantity);
    if (!q.gt(0)) throw ruleError(`Línea ${l.lineNo}: la cantidad a devolver debe ser mayor que cero.`);
    if (q.gt(e.quantity)) {
      const what = e.quantity.isZero() ? 'ya se devolvió todo' : `queda por devolver ${e.quantity.toString()}`;
      throw ruleError(`Línea ${l.lineNo} (${e.line.description}): se vendió ${Dec.of(e.line.quantity).toString()} y ${what}; no se puede devolver ${q.toString()}.`);
    }
    if (e.line.bags > 0 && !q.round(0).eq(q)) throw ruleError(`Línea ${l.lineNo}: las bolsas se devuelven por unidad.`);
    // The line's discount goes back in proportion; the return that takes the last units takes what is left of it,
    // so the notes of a line never credit more discount than it had.
    const discountCents = q.eq(e.quantity) ? e.discountCents : Dec.fromCents(e.line.discount_cents).times(q).div(e.line.quantity, 2).toCents();
    const amounts = computeLine({
      quantity: q.toString(), unitPrice: e.line.unit_price, taxAffectation: e.line.tax_affectation as TaxAffectation,
      bags: e.line.bags > 0 ? Number(q.toString()) : 0,
      discount: discountCents > 0 ? { kind: 'amount', value: Dec.fromCents(discountCents).toFixed(2) } : null,
    }, rates);
    taken.push({ left: e, quantity: q, discountCents, amounts });
  }
  const everything = [...left.values()].every((e) => e.quantity.isZero() || taken.some((t) => t.left === e && t.quantity.eq(e.quantity)));
  if (WHOLE_RETURN_REASONS.includes(input.reasonCode) && !everything) {
    throw ruleError(`El motivo "${CREDIT_NOTE_REASONS[input.reasonCode]}" devuelve toda la venta: incluya todo lo que queda por devolver, o use "Devolución por ítem".`);
  }
  if (input.reasonCode === '07' && everything && taken.length === left.size && [...left.values()].every((e) => Dec.of(e.line.quantity).eq(e.quantity))) {
    // Everything, untouched so far: SUNAT's code for that is 06.
    throw ruleError('Se devuelve toda la venta: use el motivo "Devolución total" (06).');
  }
  const totals = computeTotals(taken.map((t) => t.amounts));
  const total = totals.payable;
  if (!total.gt(0)) throw ruleError('La devolución no tiene importe: las líneas elegidas son gratuitas.');

  // On a sale on credit the note lowers first what the customer still owes; only what exceeds the debt goes back.
  const debt = sale.credit_cents > 0 ? debtState(st, sale) : null;
  const debtCents = debt ? Math.min(total.toCents(), debt.pendingCents) : 0;
  const refundCents = total.toCents() - debtCents;
  // Money back: in cash from this terminal's open drawer, or the way the sale was paid (its largest payment, or on a
  // sale on credit the largest of its payments and collections).
  const refundMethod: PaymentMethod = input.refund === 'cash' ? 'cash' : paidWith(st, sale.id);
  // The drawer of whoever gives the money back (their own, or the terminal's shared one).
  const session = currentSession(db, terminalId, user.id);
  if (refundMethod === 'cash' && refundCents > 0 && !session) throw noDrawerError(db, 'refund');
  const reason = input.reason?.trim() || CREDIT_NOTE_REASONS[input.reasonCode];
  const store = getSetting(db, 'store');
  const issuedAt = now.toISOString();
  const issueDate = limaDate(now);
  const key = noteSeriesKey('07', sale.document_type);

  return db.tx(() => {
    let series = st.seriesGet.get(terminalId, key) as { series: string; next_number: number } | undefined;
    if (!series) {
      const name = defaultNoteSeries('07', sale.document_type);
      st.seriesInsert.run(terminalId, key, name);
      series = { series: name, next_number: 1 };
    }
    st.seriesBump.run(terminalId, key);
    const correlative = series.next_number;
    const number = formatNumber(series.series, correlative);
    const fileName = documentFileName(store.ruc, '07', series.series, correlative);
    assertClockAllows(db, now, { ruc: store.ruc, documentType: '07', series: series.series, correlative });
    const t = totals;
    const noteId = Number(
      st.note.run(
        sale.id, terminalId, session?.id ?? null, user.id, series.series, correlative, number, input.reasonCode, reason,
        issuedAt, issueDate, rates.igv, t.gravado.toCents(), t.exonerado.toCents(), t.inafecto.toCents(),
        t.gratuito.toCents(), t.igv.toCents(), t.icbper.toCents(), t.discounts.toCents(), total.toCents(), refundMethod,
        refundCents, debtCents,
      ).lastInsertRowid,
    );
    taken.forEach((x, i) => {
      const l = x.amounts;
      const s = x.left.line;
      st.noteLine.run(
        noteId, i + 1, s.id, s.product_id, s.description, s.unit_code, x.quantity.toString(), s.unit_price,
        l.unitValue.toFixed(), s.tax_affectation, x.discountCents, l.value.toCents(), l.igv.toCents(), l.icbper.toCents(),
        l.bags, l.total.toCents(),
      );
      if (s.product_id !== null) {
        const after = Dec.of((st.stockGet.get(s.product_id) as { stock: string }).stock).plus(x.quantity);
        st.stockSet.run(after.toString(), s.product_id);
        st.stockMove.run(s.product_id, sale.id, noteId, x.quantity.toString(), after.toString(), after.isNegative() ? 1 : 0, issuedAt);
      }
    });
    const documentId = Number(st.document.run(noteId, series.series, correlative, fileName, issueDate, issuedAt, issuedAt).lastInsertRowid);
    st.job.run(JSON.stringify({ documentId, noteId }), PRIORITY.fresh, issuedAt, fileName, issuedAt, issuedAt);
    // The drawer opens when the money goes back in cash from it.
    const ticketPrinter = queueTicketPrint(db, now, { documentId, noteId, number, drawer: refundMethod === 'cash' && refundCents > 0 });
    audit(db, now, user.id, 'sale.return', 'note', noteId, {
      number, reference: sale.number, reasonCode: input.reasonCode, total: total.toFixed(2), refund: refundMethod,
      refundAmount: Dec.fromCents(refundCents).toFixed(2), ...(debt ? { debtAmount: Dec.fromCents(debtCents).toFixed(2) } : {}),
      lines: taken.map((x) => ({ lineNo: x.left.line.line_no, quantity: x.quantity.toString() })),
    });
    // The factura stated its instalments to SUNAT; a note that lowers what is left of its credit has them restated by
    // a note of code 13 (total zero, SUNAT 3315), the next number of the same series: the instalments less everything
    // the credit notes took back, from the last one. None when the notes cover the whole credit (nothing to state:
    // SUNAT takes no instalment of zero, 3253) — the credit notes cancel it.
    const lowers = debt !== null && debt.creditedCents < sale.credit_cents;
    const lowered = lowers ? loweredInstalments(debt.instalments, debt.creditedCents + total.toCents()) : [];
    let adjustment: CommittedNote['adjustment'] = null;
    if (lowered.length > 0) {
      const c = correlative + 1;
      st.seriesBump.run(terminalId, key);
      const adjNumber = formatNumber(series.series, c);
      const adjFile = documentFileName(store.ruc, '07', series.series, c);
      const adjId = Number(st.adjustment.run(
        sale.id, terminalId, user.id, series.series, c, adjNumber, `${CREDIT_NOTE_REASONS['13']} (devolución ${number})`,
        issuedAt, issueDate, rates.igv,
      ).lastInsertRowid);
      st.adjustmentLine.run(adjId, `Ajuste de cuotas por la nota de crédito ${number}`);
      lowered.forEach((q, i) => st.adjustmentInstalment.run(adjId, i + 1, q.amountCents, q.dueDate));
      const adjDoc = Number(st.document.run(adjId, series.series, c, adjFile, issueDate, issuedAt, issuedAt).lastInsertRowid);
      st.job.run(JSON.stringify({ documentId: adjDoc, noteId: adjId }), PRIORITY.fresh, issuedAt, adjFile, issuedAt, issuedAt);
      queueTicketPrint(db, now, { documentId: adjDoc, noteId: adjId, number: adjNumber, drawer: false });
      audit(db, now, user.id, 'sale.paymentTerms', 'note', adjId, {
        number: adjNumber, reference: sale.number, returnNote: number,
        pending: Dec.fromCents(lowered.reduce((a, q) => a + q.amountCents, 0)).toFixed(2),
        instalments: lowered.map((q) => ({ amount: Dec.fromCents(q.amountCents).toFixed(2), dueDate: q.dueDate })),
      });
      adjustment = { noteId: adjId, documentId: adjDoc, number: adjNumber };
    }
    return {
      noteId, documentId, number, fileName, reference: sale.number, total, refundMethod,
      refund: Dec.fromCents(refundCents), debt: Dec.fromCents(debtCents), adjustment, ticketPrinter,
    };
  });
}

/**
 * A sale on credit now: what the customer still owes (the credit less collections and what earlier notes took off the
 * debt), what earlier credit notes credited in all, and the instalments its factura stated.
 */
interface DebtState { pendingCents: number; creditedCents: number; instalments: { amountCents: number; dueDate: string }[] }

function debtState(st: Statements, sale: SaleRow): DebtState {
  const collected = (st.collectedBy.all(sale.id) as { amount_cents: number }[]).reduce((a, c) => a + c.amount_cents, 0);
  const notes = st.reduced.get(sale.id) as { debt: number; credited: number };
  const instalments = (st.instalments.all(sale.id) as { amount_cents: number; due_date: string }[]).map((c) => ({ amountCents: c.amount_cents, dueDate: c.due_date }));
  return { pendingCents: Math.max(0, sale.credit_cents - collected - notes.debt), creditedCents: notes.credited, instalments };
}

/** How the customer paid: the largest of the sale's payments and (on credit) its collections; cash when none. */
function paidWith(st: Statements, saleId: number): PaymentMethod {
  const all = [...st.payments.all(saleId), ...st.collectedBy.all(saleId)] as { method: PaymentMethod; amount_cents: number }[];
  return all.reduce<{ method: PaymentMethod; amount_cents: number } | null>((best, p) => (!best || p.amount_cents > best.amount_cents ? p : best), null)?.method ?? 'cash';
}

/** "S/ 12.50 en efectivo": what the cashier hands back. */
export function refundText(total: Dec, method: PaymentMethod): string {
  const how = { cash: 'en efectivo', card: 'a la tarjeta', yape: 'por Yape', plin: 'por Plin' }[method];
  return `${formatSoles(total)} ${how}`;
}

/**
 * The sale a receipt names: its number as printed or typed ("B001-00000012", "b001-12") or the ticket's QR text
 * (RUC|TIPO|SERIE|NUMERO|…, SUNAT's layout). Null when the text names no sale of this store.
 */
export function findSaleByReceipt(db: Db, text: string): number | null {
  const t = text.trim();
  const qr = t.split('|');
  let series: string | undefined;
  let correlative: number | undefined;
  if (qr.length >= 4 && /^\d{11}$/.test(qr[0].trim())) {
    if (qr[0].trim() !== getSetting(db, 'store').ruc) return null;
    series = qr[2].trim().toUpperCase();
    correlative = Number(qr[3].trim());
  } else {
    const m = /^([A-Za-z0-9]{4})\s*-\s*(\d{1,8})$/.exec(t);
    if (!m) return null;
    series = m[1].toUpperCase();
    correlative = Number(m[2]);
  }
  if (!Number.isInteger(correlative) || correlative < 1) return null;
  const row = db.first(db.q.selectFrom('sales').select('id').where('series', '=', series).where('correlative', '=', correlative));
  return row?.id ?? null;
}

/** What the return dialog shows of a sale; the same visibility as the return itself (a cashier: own sales). */
/** The sale as the return dialog shows it, with whether a manager could void it instead today (`today`, a Lima date). */
export function returnableSale(db: Db, user: Pick<User, 'id' | 'role'>, saleId: number, today: string): ReturnableSale {
  const st = prepared(db);
  const sale = db.first(db.q.selectFrom('sales').selectAll().where('id', '=', saleId));
  if (!sale) throw notFound('La venta no existe.');
  if (user.role === 'cashier' && sale.user_id !== user.id) throw ruleError(`La venta ${sale.number} es de otro cajero: la devolución la hace un supervisor.`);
  const left = linesLeft(st, sale.id);
  const doc = st.saleDocument.get(sale.id) as { id: number; status: string; simulated: number } | undefined;
  const notes = db.all(db.q.selectFrom('notes').select(['number', 'total_cents']).where('sale_id', '=', sale.id).where('document_type', '=', '07')
    .where('reason_code', '<>', '13').orderBy('id'));
  return {
    saleId: sale.id, number: sale.number, documentType: sale.document_type as '01' | '03', issuedAt: sale.issued_at,
    customer: sale.customer_doc_number === '-' ? sale.customer_name : `${sale.customer_name} (${sale.customer_doc_number})`,
    total: Dec.fromCents(sale.total_cents).toFixed(2), paidWith: paidWith(st, sale.id), sunatStatus: doc?.status ?? 'pending',
    sunatStatusText: sunatStatusText(doc?.status ?? 'pending', doc?.simulated === 1),
    lines: [...left.values()].map((e) => ({
      lineNo: e.line.line_no, description: e.line.description, unitCode: e.line.unit_code, sold: Dec.of(e.line.quantity).toString(),
      left: e.quantity.toString(), unitPrice: e.line.unit_price, amount: Dec.fromCents(e.line.total_cents).toFixed(2), bag: e.line.bags > 0,
    })),
    notes: notes.map((n) => ({ number: n.number, total: Dec.fromCents(n.total_cents).toFixed(2) })),
    // What a return takes off first: the debt left on a sale on credit (null: paid at the counter).
    owed: sale.credit_cents > 0 ? Dec.fromCents(debtState(st, sale as SaleRow).pendingCents).toFixed(2) : null,
    voidability: saleVoidability(db, sale.id, today), canVoid: MANAGERS.includes(user.role),
  };
}
