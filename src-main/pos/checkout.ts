// Checkout (DESIGN §3.1): the main process recomputes every amount and, in ONE transaction, takes the next number of
// the terminal's series and writes the sale, lines, payments, stock moves, the document row and its sunat.send job.
import type Database from 'better-sqlite3';
import type { Db } from '../db/connection';
import type { Product, User } from '../db/schema';
import type { CheckoutInput } from '../../src-shared/contract';
import { isFree, TaxInputError, type TaxAffectation } from '../../src-shared/tax';
import { belowList, beyondLimit, computePricedSale, type PricedLine, type PricedSale } from '../../src-shared/sale-lines';
import { ANONYMOUS_CUSTOMER, identityDocError, isIdentified, rucError } from '../../src-shared/identity';
import { BOLETA_ANONYMOUS_LIMIT, documentFileName, formatNumber } from '../../src-shared/documents';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { limaDate } from '../../src-shared/time';
import { creditTermsError } from '../../src-shared/credit';
import { ruleError } from '../errors';
import { queueTicketPrint } from '../jobs/print-ticket';
import { discountLimit, percentLabel, type Approval } from './discounts';
import { audit } from '../db/audit';
import { currentSession, noDrawerError } from './cash';
import { getSetting, taxRatesOn } from '../db/settings';
import { PRIORITY } from '../jobs/queue';
import { assertClockAllows } from './clock-guard';

export interface CheckoutContext {
  db: Db;
  now: Date;
  terminalId: string;
  user: Pick<User, 'id' | 'role'>;
  /** A supervisor's approval for what is charged below the cashier's limit (pos/discounts.ts). */
  approval?: Approval;
}

export interface CommittedSale {
  /** The thermal printer its ticket goes to (the `print.ticket` job queued with it); null: none, the PDF path. */
  ticketPrinter: string | null;
  saleId: number;
  documentId: number;
  number: string;
  fileName: string;
  documentType: '01' | '03';
  total: Dec;
  paid: Dec;
  change: Dec;
  /** A sale on credit: what is left to pay later (0 when paid at the counter). */
  credit: Dec;
  negativeStock: boolean;
}

const DEFAULT_SERIES: Record<'01' | '03', string> = { '01': 'F001', '03': 'B001' };

interface Statements {
  product: Database.Statement;
  seriesGet: Database.Statement;
  seriesBump: Database.Statement;
  seriesInsert: Database.Statement;
  sale: Database.Statement;
  line: Database.Statement;
  payment: Database.Statement;
  stockGet: Database.Statement;
  stockSet: Database.Statement;
  stockMove: Database.Statement;
  document: Database.Statement;
  job: Database.Statement;
  customer: Database.Statement;
  customerFind: Database.Statement;
  approval: Database.Statement;
  exchangeNote: Database.Statement;
  exchangeUsed: Database.Statement;
  instalment: Database.Statement;
}
const statements = new WeakMap<Db, Statements>();

// The checkout is the hottest write path: its statements are prepared once per connection (db.prepare's cache) and
// kept together, so a sale looks up one WeakMap entry instead of fourteen SQL strings.
function prepared(db: Db): Statements {
  let s = statements.get(db);
  if (s) return s;
  s = {
    product: db.prepare('SELECT * FROM products WHERE id = ? AND active = 1'),
    seriesGet: db.prepare('SELECT series, next_number FROM series WHERE terminal_id = ? AND document_type = ?'),
    seriesBump: db.prepare('UPDATE series SET next_number = next_number + 1 WHERE terminal_id = ? AND document_type = ?'),
    seriesInsert: db.prepare('INSERT INTO series (terminal_id, document_type, series, next_number) VALUES (?, ?, ?, 1)'),
    // The sale's and the document's uid (migration 016) are set here, not by the trigger that fills a missing one:
    // no second write of the row on the hot path.
    sale: db.prepare(
      `INSERT INTO sales (terminal_id, session_id, user_id, customer_id, customer_doc_type, customer_doc_number,
        customer_name, customer_address, document_type, series, correlative, number, issued_at, issue_date, currency,
        igv_rate, gravado_cents, exonerado_cents, inafecto_cents, gratuito_cents, igv_cents, icbper_cents,
        discount_cents, total_cents, paid_cents, change_cents, negative_stock, exchange_note_id, credit_cents, uid)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'PEN',?,?,?,?,?,?,?,?,?,?,?,?,?,?, lower(hex(randomblob(16))))`,
    ),
    line: db.prepare(
      `INSERT INTO sale_lines (sale_id, line_no, product_id, description, unit_code, quantity, unit_price, unit_value,
        tax_affectation, discount_cents, value_cents, igv_cents, icbper_cents, bags, total_cents, list_price)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ),
    payment: db.prepare('INSERT INTO payments (sale_id, method, amount_cents, tendered_cents, reference) VALUES (?,?,?,?,?)'),
    stockGet: db.prepare('SELECT stock FROM products WHERE id = ?'),
    stockSet: db.prepare('UPDATE products SET stock = ? WHERE id = ?'),
    stockMove: db.prepare(
      `INSERT INTO stock_moves (product_id, sale_id, quantity, reason, stock_after, negative, created_at) VALUES (?,?,?,'sale',?,?,?)`,
    ),
    document: db.prepare(
      `INSERT INTO documents (sale_id, document_type, series, correlative, file_name, issue_date, status, created_at, updated_at, uid)
       VALUES (?,?,?,?,?,?,'pending',?,?, lower(hex(randomblob(16))))`,
    ),
    job: db.prepare(
      `INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, idempotency_key, created_at, updated_at)
       VALUES ('sunat.send', ?, ?, 3, ?, ?, ?, ?)`,
    ),
    customer: db.prepare('INSERT INTO customers (doc_type, doc_number, name, address, created_at) VALUES (?,?,?,?,?)'),
    customerFind: db.prepare('SELECT id, address FROM customers WHERE doc_type = ? AND doc_number = ?'),
    exchangeNote: db.prepare('SELECT number, document_type, terminal_id, refund_method, refund_cents FROM notes WHERE id = ?'),
    exchangeUsed: db.prepare('SELECT number FROM sales WHERE exchange_note_id = ?'),
    approval: db.prepare('INSERT INTO sale_approvals (sale_id, approver_id, cashier_id, percent, reason, created_at) VALUES (?,?,?,?,?,?)'),
    instalment: db.prepare('INSERT INTO sale_instalments (sale_id, instalment_no, amount_cents, due_date) VALUES (?,?,?,?)'),
  };
  statements.set(db, s);
  return s;
}

export function checkout(ctx: CheckoutContext, input: CheckoutInput): CommittedSale {
  const { db, now, terminalId } = ctx;
  const st = prepared(db);
  const store = getSetting(db, 'store');
  // The rates in force on the sale's date (IGV and ICBPER changes are settings with a start date).
  const rates = taxRatesOn(db, limaDate(now));

  // Everything below until the transaction only reads and validates: a refused sale records nothing.
  const pricedLines: PricedLine[] = [];
  const products: Product[] = [];
  for (const [i, l] of input.lines.entries()) {
    const p = st.product.get(l.productId) as Product | undefined;
    if (!p) throw ruleError(`Línea ${i + 1}: el producto no existe o está inactivo.`);
    products.push(p);
    // ICBPER: SUNAT wants the bags as their own line whose quantity is the bag count (rule 3236).
    if (l.bags && !p.is_bag) throw ruleError(`Línea ${i + 1}: las bolsas plásticas se venden como su propio producto (BOLSA PLÁSTICA).`);
    let unitPrice = p.price;
    let listPrice: string | null = null;
    if (l.unitPrice !== undefined && !Dec.of(l.unitPrice).eq(p.price)) {
      if (p.is_bag) throw ruleError(`Línea ${i + 1}: el precio de la bolsa no se cambia (lleva el ICBPER).`);
      if (isFree(p.tax_affectation as TaxAffectation)) throw ruleError(`Línea ${i + 1}: un producto gratuito no admite cambio de precio.`);
      if (!Dec.of(l.unitPrice).gt(0)) throw ruleError(`Línea ${i + 1}: el precio debe ser mayor que cero.`);
      unitPrice = Dec.of(l.unitPrice).toFixed(2);
      listPrice = p.price;
    }
    // The same lines → totals as the cart and the Cobrar dialog (src-shared/sale-lines.ts).
    pricedLines.push({ quantity: l.quantity, unitPrice, listPrice, taxAffectation: p.tax_affectation, isBag: p.is_bag === 1, discount: l.discount ?? null });
  }
  let sale;
  try {
    sale = computePricedSale(pricedLines, rates, input.globalDiscount);
  } catch (e) {
    if (e instanceof TaxInputError) throw ruleError(e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.');
    throw e;
  }
  const below = belowLimit(ctx, sale);
  const exchangeNoteId = input.exchangeNoteId === undefined ? null : exchangeNote(st, terminalId, input.exchangeNoteId);
  const total = sale.totals.payable;
  if (!total.gt(0)) throw ruleError('El total de la venta debe ser mayor que cero.');

  const issuedAt = now.toISOString();
  const issueDate = limaDate(now);
  const credit = creditPart(input, total, issueDate);
  const customer = resolveCustomer(st, input, total);

  // Payments (with the part on credit, if any): their sum must cover the total; only cash may exceed it (the change).
  if (input.payments.length === 0 && credit.isZero()) throw ruleError('Registre al menos un pago.');
  let paid = credit;
  let cashPaid = Dec.ZERO;
  for (const p of input.payments) {
    const amount = Dec.of(p.amount);
    if (!amount.gt(0)) throw ruleError('Cada pago debe ser mayor que cero.');
    if ((p.method === 'yape' || p.method === 'plin') && !p.reference?.trim()) {
      throw ruleError(`Ingrese el número de operación de ${p.method === 'yape' ? 'Yape' : 'Plin'}.`);
    }
    paid = paid.plus(amount);
    if (p.method === 'cash') cashPaid = cashPaid.plus(amount);
  }
  if (paid.lt(total)) {
    throw ruleError(credit.isZero()
      ? `Falta cobrar ${formatSoles(total.minus(paid))}: los pagos no cubren el total de ${formatSoles(total)}.`
      : `Falta cobrar ${formatSoles(total.minus(paid))}: el pago a cuenta y el crédito no cubren el total de ${formatSoles(total)}.`);
  }
  const change = paid.minus(total);
  if (change.gt(cashPaid)) {
    throw ruleError(credit.isZero()
      ? 'Solo el pago en efectivo puede exceder el total (vuelto). Ajuste los montos con tarjeta, Yape o Plin.'
      : `El pago a cuenta y el crédito (${formatSoles(credit)}) suman más que el total de ${formatSoles(total)}: ajuste el monto al crédito.`);
  }
  if (!credit.isZero() && cashPaid.gt(0) && change.gte(cashPaid)) {
    throw ruleError(`El crédito de ${formatSoles(credit)} ya cubre el total de ${formatSoles(total)}: quite el pago en efectivo o reduzca el monto al crédito.`);
  }
  const docType = input.documentType;

  const commit = () => {
    const session = currentSession(db, terminalId, ctx.user.id);
    if (!session) throw noDrawerError(db, 'sell');
    let series = st.seriesGet.get(terminalId, docType) as { series: string; next_number: number } | undefined;
    if (!series) {
      st.seriesInsert.run(terminalId, docType, DEFAULT_SERIES[docType]);
      series = { series: DEFAULT_SERIES[docType], next_number: 1 };
    }
    st.seriesBump.run(terminalId, docType);
    const correlative = series.next_number;
    const number = formatNumber(series.series, correlative);
    const fileName = documentFileName(store.ruc, docType, series.series, correlative);
    assertClockAllows(db, now, { ruc: store.ruc, documentType: docType, series: series.series, correlative });

    // Stock first, so the sale row can carry the "negative stock" flag; a sale is never blocked by stock.
    const newStock: { id: number; qty: string; after: Dec }[] = [];
    let negative = false;
    products.forEach((p, i) => {
      const row = st.stockGet.get(p.id) as { stock: string };
      const before = newStock.findLast((s) => s.id === p.id)?.after ?? Dec.of(row.stock);
      const after = before.minus(input.lines[i].quantity);
      if (after.isNegative()) negative = true;
      newStock.push({ id: p.id, qty: input.lines[i].quantity, after });
    });

    // A customer identified at the counter joins the customer list (deduplicated by document number).
    if (customer.id === null && customer.docType !== '-') {
      customer.id = Number(st.customer.run(customer.docType, customer.docNumber, customer.name, customer.address, issuedAt).lastInsertRowid);
    }
    const t = sale.totals;
    const saleId = Number(
      st.sale.run(
        terminalId, session.id, ctx.user.id, customer.id, customer.docType, customer.docNumber, customer.name,
        customer.address, docType, series.series, correlative, number, issuedAt, issueDate, rates.igv,
        t.gravado.toCents(), t.exonerado.toCents(), t.inafecto.toCents(), t.gratuito.toCents(), t.igv.toCents(),
        t.icbper.toCents(), t.discounts.toCents(), total.toCents(), paid.minus(change).minus(credit).toCents(), change.toCents(),
        negative ? 1 : 0, exchangeNoteId, credit.toCents(),
      ).lastInsertRowid,
    );
    if (!credit.isZero()) {
      input.credit!.instalments.forEach((c, i) => st.instalment.run(saleId, i + 1, Dec.of(c.amount).toCents(), c.dueDate));
      audit(db, now, ctx.user.id, 'sale.credit', 'sale', saleId, {
        number, customer: customer.docNumber, credit: credit.toFixed(2), instalments: input.credit!.instalments,
      });
    }
    sale.lines.forEach((l, i) => {
      const p = products[i];
      st.line.run(
        saleId, i + 1, p.id, p.name, p.unit_code, l.quantity.toString(), l.unitPrice.toString(), l.unitValue.toFixed(),
        l.taxAffectation, l.discountWithTax.toCents(), l.value.toCents(), l.igv.toCents(), l.icbper.toCents(), l.bags,
        l.total.toCents(), pricedLines[i].listPrice ?? null,
      );
    });
    if (below.recorded) recordBelowList(db, ctx, saleId, number, below, sale.globalDiscount, issuedAt);
    let changeLeft = change;
    for (const p of input.payments) {
      let applied = Dec.of(p.amount);
      let tendered: number | null = null;
      if (p.method === 'cash' && changeLeft.gt(0)) {
        const take = changeLeft.lt(applied) ? changeLeft : applied;
        tendered = applied.toCents();
        applied = applied.minus(take);
        changeLeft = changeLeft.minus(take);
      } else if (p.method === 'cash') {
        tendered = p.tendered ? Dec.of(p.tendered).toCents() : applied.toCents();
      }
      if (applied.gt(0)) st.payment.run(saleId, p.method, applied.toCents(), tendered, p.reference?.trim() || null);
    }
    for (const s of newStock) {
      st.stockSet.run(s.after.toString(), s.id);
      st.stockMove.run(s.id, saleId, Dec.of(s.qty).neg().toString(), s.after.toString(), s.after.isNegative() ? 1 : 0, issuedAt);
    }
    const documentId = Number(st.document.run(saleId, docType, series.series, correlative, fileName, issueDate, issuedAt, issuedAt).lastInsertRowid);
    st.job.run(JSON.stringify({ documentId, saleId }), PRIORITY.fresh, issuedAt, fileName, issuedAt, issuedAt);
    // The drawer opens with the ticket exactly when cash was paid (mixed cash and card too), never on card alone.
    const ticketPrinter = queueTicketPrint(db, now, { documentId, saleId, number, drawer: cashPaid.gt(0) });
    return { ticketPrinter, saleId, documentId, number, fileName, documentType: docType, total, paid: paid.minus(credit), change, credit, negativeStock: negative };
  };
  return db.tx(commit);
}

/** The credit note an exchange takes: refunded in cash on this terminal, and not taken by another sale yet. */
function exchangeNote(st: Statements, terminalId: string, noteId: number): number {
  const n = st.exchangeNote.get(noteId) as { number: string; document_type: string; terminal_id: string; refund_method: string | null; refund_cents: number } | undefined;
  if (!n || n.document_type !== '07') throw ruleError('El cambio no corresponde a una nota de crédito registrada.');
  if (n.terminal_id !== terminalId || n.refund_method !== 'cash' || n.refund_cents <= 0) {
    throw ruleError(`La nota ${n.number} no se devolvió en efectivo en esta caja: no puede pagar un cambio.`);
  }
  const used = st.exchangeUsed.get(noteId) as { number: string } | undefined;
  if (used) throw ruleError(`La nota ${n.number} ya pagó la venta ${used.number}: un cambio por nota.`);
  return noteId;
}

interface BelowList {
  /** How far below the catalog the furthest line is (percent); 0 when nothing is. */
  percent: Dec;
  /** A line needed the approval. */
  approved: boolean;
  /** Something to keep with the sale: a lowered or raised price, or an approval. */
  recorded: boolean;
  overrides: { line: number; listPrice: string; price: string }[];
}

/** Holds what the sale charges below the catalog against the seller's limit, or the approval that covers it. */
function belowLimit(ctx: CheckoutContext, sale: PricedSale): BelowList {
  const limit = discountLimit(ctx.db, ctx.user.role);
  const a = ctx.approval;
  const beyond = beyondLimit(sale, limit, a?.percent);
  const first = beyond.find((b) => !b.covered);
  if (first) {
    const label = `Línea ${first.line}: ${formatSoles(first.below)} bajo el precio de lista (${percentLabel(first.percent)})`;
    const allowed = (p: Dec) => `${percentLabel(p)}, ${formatSoles(first.list.times(p).div(100, 2))}`;
    if (!a) throw ruleError(`${label} supera su límite (${allowed(limit)}). Pida la autorización de un supervisor.`);
    throw ruleError(`${label} supera lo autorizado por ${a.approverName} (${allowed(a.percent)}). Pida una nueva autorización.`);
  }
  const overrides = sale.charged.flatMap((l, i) => (l.listPrice ? [{ line: i + 1, listPrice: l.listPrice, price: l.unitPrice }] : []));
  const approved = beyond.length > 0;
  const recorded = overrides.length > 0 || approved;
  // How far the furthest line is, for the record only (most sales have nothing to record).
  const percent = !recorded ? Dec.ZERO : sale.charged.reduce((max, l, i) => {
    const p = belowList(l, sale.lines[i]).percent;
    return p.gt(max) ? p : max;
  }, Dec.ZERO);
  return { percent, overrides, approved, recorded };
}

/** In the sale's transaction: the approval (who, for whom, how much, why) and every price changed at the counter. */
function recordBelowList(db: Db, ctx: CheckoutContext, saleId: number, number: string, b: BelowList, globalDiscount: Dec, at: string): void {
  const approved = b.approved ? ctx.approval : undefined;
  if (approved) {
    prepared(db).approval.run(saleId, approved.approverId, ctx.user.id, b.percent.toFixed(2), approved.reason, at);
  }
  audit(db, new Date(at), ctx.user.id, approved ? 'sale.discount_approved' : 'sale.price_override', 'sale', saleId, {
    number, percentBelowList: b.percent.toFixed(2), globalDiscount: globalDiscount.isZero() ? undefined : globalDiscount.toFixed(2),
    overrides: b.overrides.length ? b.overrides : undefined,
    approvedBy: approved ? { id: approved.approverId, name: approved.approverName, reason: approved.reason } : undefined,
  });
}

/**
 * The part of a sale left to pay later (SUNAT's "Monto neto pendiente de pago"): only on a factura, whose customer
 * has a RUC (resolveCustomer), with instalments that follow SUNAT's rules (src-shared/credit.ts); zero without credit.
 */
function creditPart(input: CheckoutInput, total: Dec, issueDate: string): Dec {
  if (!input.credit) return Dec.ZERO;
  if (input.documentType !== '01') {
    throw ruleError('La venta al crédito solo se emite con factura a una empresa: presione F6 para factura e ingrese el RUC del cliente (F4).');
  }
  if (!input.customer || input.customer.docType !== '6') {
    throw ruleError('La venta al crédito necesita un cliente identificado con RUC: ingréselo con F4.');
  }
  const err = creditTermsError(input.credit, total, issueDate);
  if (err) throw ruleError(err);
  return Dec.of(input.credit.amount);
}

interface ResolvedCustomer { id: number | null; docType: string; docNumber: string; name: string; address: string | null }

function resolveCustomer(st: Statements, input: CheckoutInput, total: Dec): ResolvedCustomer {
  const c = input.customer;
  if (input.documentType === '01') {
    if (!c || c.docType !== '6') throw ruleError('Para emitir factura, ingrese el RUC del cliente.');
    const err = rucError(c.docNumber);
    if (err) throw ruleError(err);
  }
  if (!c || c.docType === '-') {
    if (input.documentType === '03' && total.gt(BOLETA_ANONYMOUS_LIMIT)) {
      throw ruleError(`Una boleta mayor a ${formatSoles(BOLETA_ANONYMOUS_LIMIT)} debe identificar al cliente (DNI, RUC, CE o pasaporte).`);
    }
    return { id: null, ...ANONYMOUS_CUSTOMER, address: null };
  }
  const err = identityDocError(c.docType, c.docNumber);
  if (err) throw ruleError(err);
  if (input.documentType === '03' && total.gt(BOLETA_ANONYMOUS_LIMIT) && !isIdentified(c.docType)) {
    throw ruleError(`Una boleta mayor a ${formatSoles(BOLETA_ANONYMOUS_LIMIT)} debe identificar al cliente (DNI, RUC, CE o pasaporte).`);
  }
  const existing = st.customerFind.get(c.docType, c.docNumber.trim()) as
    | { id: number; address: string | null }
    | undefined;
  return {
    id: existing?.id ?? null, docType: c.docType, docNumber: c.docNumber.trim(), name: c.name.trim().toUpperCase(),
    address: c.address?.trim() || existing?.address || null,
  };
}
