// Receivables (issue 15 item 9): the facturas sold on credit with something left to collect, by customer, instalment
// by instalment, and "Registrar cobro": a payment against one of them, never more than is pending. Cash goes into the
// collector's open drawer as a paid-in whose reason is the document's number, so the X and Z count it; every
// collection is audited. Nothing is updated: what is pending is the credit less the collections and less what credit
// notes took off the debt (notes.debt_cents, returns on the sale), computed.
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import type { CollectionInput, CollectionResult, CustomerReceivables, ReceivableView } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { PAYMENT_METHODS } from '../../src-shared/documents';
import { instalmentStates } from '../../src-shared/credit';
import { notFound, ruleError } from '../errors';
import { audit } from '../db/audit';
import { requireSession, currentSession } from './cash';

const soles = (c: number) => Dec.fromCents(c).toFixed(2);

/** Sales on credit (not cancelled) with their collections so far; `saleId` for one. */
function creditSales(db: Db, opts: { saleId?: number; query?: string }) {
  let q = db.q.selectFrom('sales as s')
    .select((eb) => [
      's.id', 's.number', 's.issue_date', 's.customer_id', 's.customer_doc_type', 's.customer_doc_number', 's.customer_name',
      's.total_cents', 's.credit_cents', 's.status',
      eb.fn.coalesce(
        eb.selectFrom('collections as c').select((e) => e.fn.sum<number>('c.amount_cents').as('t')).whereRef('c.sale_id', '=', 's.id'),
        eb.lit(0),
      ).as('collected'),
      eb.fn.coalesce(
        eb.selectFrom('notes as n').select((e) => e.fn.sum<number>('n.debt_cents').as('t')).whereRef('n.sale_id', '=', 's.id'),
        eb.lit(0),
      ).as('reduced'),
      eb.fn.coalesce(
        eb.selectFrom('notes as n').select((e) => e.fn.sum<number>('n.total_cents').as('t')).whereRef('n.sale_id', '=', 's.id').where('n.document_type', '=', '07'),
        eb.lit(0),
      ).as('credited'),
      eb.fn.coalesce(
        eb.selectFrom('notes as n').select((e) => e.fn.sum<number>('n.refund_cents').as('t')).whereRef('n.sale_id', '=', 's.id').where('n.document_type', '=', '07'),
        eb.lit(0),
      ).as('refunded'),
    ])
    .where('s.credit_cents', '>', 0);
  if (opts.saleId !== undefined) q = q.where('s.id', '=', opts.saleId);
  else q = q.where('s.status', '=', 'completed');
  const text = opts.query?.trim();
  if (text) {
    const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('s.customer_name', 'like', like), eb('s.customer_doc_number', 'like', like), eb('s.number', 'like', like)]));
  }
  return db.all(q.orderBy('s.issue_date').orderBy('s.id'));
}

/** Customers with facturas on credit still pending, the most overdue first, then by name. */
export function listReceivables(db: Db, today: string, query?: string): CustomerReceivables[] {
  const sales = creditSales(db, { query }).filter((s) => s.collected + s.reduced < s.credit_cents);
  if (sales.length === 0) return [];
  const ids = sales.map((s) => s.id);
  const cuotas = db.all(
    db.q.selectFrom('sale_instalments').select(['sale_id', 'amount_cents', 'due_date']).where('sale_id', 'in', ids).orderBy('sale_id').orderBy('instalment_no'),
  );
  const paid = db.all(
    db.q.selectFrom('collections as c').innerJoin('users as u', 'u.id', 'c.user_id')
      .select(['c.sale_id', 'c.created_at', 'c.method', 'c.amount_cents', 'u.name']).where('c.sale_id', 'in', ids).orderBy('c.id'),
  );
  const byCustomer = new Map<string, CustomerReceivables>();
  for (const s of sales) {
    const states = instalmentStates(
      cuotas.filter((c) => c.sale_id === s.id).map((c) => ({ amountCents: c.amount_cents, dueDate: c.due_date })), s.collected - s.refunded, today, s.credited,
    );
    const doc: ReceivableView = {
      saleId: s.id, number: s.number, issueDate: s.issue_date, total: soles(s.total_cents), credit: soles(s.credit_cents),
      collected: soles(s.collected), pending: soles(s.credit_cents - s.collected - s.reduced), returned: soles(s.reduced), overdue: states.some((c) => c.overdue),
      instalments: states.map((c) => ({
        number: c.number, amount: soles(c.amountCents), dueDate: c.dueDate, paid: soles(c.paidCents), pending: soles(c.pendingCents), overdue: c.overdue,
      })),
      collections: paid.filter((p) => p.sale_id === s.id).map((p) => ({ at: p.created_at, method: p.method, amount: soles(p.amount_cents), userName: p.name })),
    };
    const key = `${s.customer_doc_type}-${s.customer_doc_number}`;
    let c = byCustomer.get(key);
    if (!c) {
      c = { customerId: s.customer_id, docType: s.customer_doc_type, docNumber: s.customer_doc_number, name: s.customer_name, pending: '0.00', overdue: false, documents: [] };
      byCustomer.set(key, c);
    }
    c.documents.push(doc);
    c.pending = Dec.of(c.pending).plus(doc.pending).toFixed(2);
    c.overdue ||= doc.overdue;
  }
  return [...byCustomer.values()].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.name.localeCompare(b.name, 'es'));
}

/**
 * "Registrar cobro": `amount` received by `method` against a sale on credit, at most what is pending. Cash needs the
 * collector's open drawer and enters it as a paid-in "Cobro F001-…"; card, Yape and Plin are recorded with the
 * drawer open at the time, if any. One transaction, audited; a refusal writes nothing.
 */
export function collect(db: Db, at: Date, terminalId: string, user: Pick<User, 'id'>, input: CollectionInput): CollectionResult {
  const amount = Dec.of(input.amount);
  if (!amount.gt(0)) throw ruleError('El monto cobrado debe ser mayor que cero.');
  const reference = input.reference?.trim() || null;
  if ((input.method === 'yape' || input.method === 'plin') && !reference) {
    throw ruleError(`Ingrese el número de operación de ${PAYMENT_METHODS[input.method]}.`);
  }
  return db.tx(() => {
    const s = creditSales(db, { saleId: input.saleId })[0];
    if (!s) {
      const exists = db.first(db.q.selectFrom('sales').select('number').where('id', '=', input.saleId));
      if (!exists) throw notFound('La venta no existe.');
      throw ruleError(`${exists.number} no fue una venta al crédito: no tiene nada por cobrar.`);
    }
    if (s.status === 'cancelled') throw ruleError(`${s.number} está anulada: no tiene nada por cobrar.`);
    const pending = s.credit_cents - s.collected - s.reduced;
    if (pending <= 0) throw ruleError(`${s.number} no tiene nada pendiente: ya está pagada o sus devoluciones cubrieron la deuda.`);
    const cents = amount.toCents();
    if (cents > pending) {
      throw ruleError(`El cobro de ${formatSoles(amount)} supera lo pendiente de ${s.number} (${formatSoles(soles(pending))}). Cobre como máximo lo pendiente.`);
    }
    const now = at.toISOString();
    let sessionId: number | null = null;
    let cashMoveId: number | null = null;
    if (input.method === 'cash') {
      const session = requireSession(db, terminalId, user.id, 'move');
      sessionId = session.id;
      cashMoveId = Number(db.run(db.q.insertInto('cash_moves').values({
        session_id: session.id, kind: 'in', amount_cents: cents, reason: `Cobro ${s.number}`, user_id: user.id, created_at: now,
      })).lastInsertRowid);
    } else {
      sessionId = currentSession(db, terminalId, user.id)?.id ?? null;
    }
    const id = Number(db.run(db.q.insertInto('collections').values({
      sale_id: s.id, session_id: sessionId, user_id: user.id, method: input.method, amount_cents: cents, reference, cash_move_id: cashMoveId, created_at: now,
    })).lastInsertRowid);
    const left = soles(pending - cents);
    audit(db, at, user.id, 'receivable.collect', 'sale', s.id, {
      number: s.number, amount: amount.toFixed(2), method: input.method, ...(reference ? { reference } : {}), pending: left, collectionId: id,
    });
    return { collectionId: id, number: s.number, amount: amount.toFixed(2), method: input.method, pending: left };
  });
}
