// Cash sessions: open with a float, cash in/out with a reason, X report mid-shift, close with the count (Z report).
import type { Db } from '../db/connection';
import type { CashSession } from '../db/schema';
import { ApiError, type CashReport, type CashSessionView } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { getSetting } from '../db/settings';
import { ruleError } from '../errors';
import { audit } from '../db/audit';

export const cents = (v: string) => Dec.of(v).round(2).toCents();
export const soles = (c: number) => Dec.fromCents(c).toFixed(2);

export function currentSession(db: Db, terminalId: string): CashSession | undefined {
  return db.first(db.q.selectFrom('cash_sessions').selectAll().where('terminal_id', '=', terminalId).where('closed_at', 'is', null));
}

export function sessionView(db: Db, s: CashSession): CashSessionView {
  const user = db.first(db.q.selectFrom('users').select('name').where('id', '=', s.user_id));
  return {
    id: s.id, terminalId: s.terminal_id, userName: user?.name ?? '', openedAt: s.opened_at,
    openingFloat: soles(s.opening_float_cents), closedAt: s.closed_at, zNumber: s.z_number,
  };
}

/** The message and issue path of a float that needs the cashier's confirmation (the screen asks, then resends). */
export const CONFIRM_FLOAT_PATH = 'confirmed';

export function openSession(db: Db, at: Date, terminalId: string, userId: number, openingFloat: string, opts: { confirmed?: boolean } = {}): CashSession {
  // A mistyped float ("200,50" read as 20050) would skew every cash count of the shift: above the limit, ask first.
  const limit = getSetting(db, 'openingFloatConfirmAbove');
  if (Dec.of(openingFloat).gt(limit) && !opts.confirmed) {
    const message = `El fondo inicial de ${formatSoles(openingFloat)} es mayor que ${formatSoles(limit)}. Revise el monto; si es correcto, confírmelo.`;
    throw new ApiError('rule', message, [{ path: CONFIRM_FLOAT_PATH, message }]);
  }
  return db.tx(() => {
    if (currentSession(db, terminalId)) throw ruleError('La caja ya está abierta.');
    const id = db.run(db.q.insertInto('cash_sessions').values({
      terminal_id: terminalId, user_id: userId, opened_at: at.toISOString(), opening_float_cents: cents(openingFloat),
      closed_at: null, closed_by: null, counted_cents: null, expected_cents: null, difference_cents: null, z_number: null,
    })).lastInsertRowid;
    audit(db, at, userId, 'cash.open', 'cash_session', id, opts.confirmed ? { openingFloat, confirmed: true } : { openingFloat });
    return db.first(db.q.selectFrom('cash_sessions').selectAll().where('id', '=', id))!;
  });
}

export function cashMove(db: Db, at: Date, terminalId: string, userId: number, kind: 'in' | 'out', amount: string, reason: string): void {
  db.tx(() => {
    const s = currentSession(db, terminalId);
    if (!s) throw ruleError('No hay caja abierta. Abra la caja primero.');
    const c = cents(amount);
    if (c <= 0) throw ruleError('El importe debe ser mayor que cero.');
    db.run(db.q.insertInto('cash_moves').values({ session_id: s.id, kind, amount_cents: c, reason, user_id: userId, created_at: at.toISOString() }));
    audit(db, at, userId, `cash.${kind}`, 'cash_session', s.id, { amount, reason });
  });
}

export function sessionReport(db: Db, s: CashSession, kind: 'X' | 'Z'): CashReport {
  const sales = db.first(
    db.q.selectFrom('sales')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('total_cents'), eb.lit(0)).as('t')])
      .where('session_id', '=', s.id).where('status', '=', 'completed'),
  )!;
  const byMethod = db.all(
    db.q.selectFrom('payments as p').innerJoin('sales as s', 's.id', 'p.sale_id')
      .select((eb) => ['p.method', eb.fn.sum<number>('p.amount_cents').as('t')])
      .where('s.session_id', '=', s.id).where('s.status', '=', 'completed')
      .groupBy('p.method').orderBy('p.method'),
  );
  const moves = db.all(
    db.q.selectFrom('cash_moves')
      .select((eb) => ['kind', eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('t')])
      .where('session_id', '=', s.id).groupBy('kind'),
  );
  // Money given back for returns in this session; what was refunded in cash left this drawer.
  const refunds = db.first(
    db.q.selectFrom('notes')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('refund_cents'), eb.lit(0)).as('t'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('refund_method', '=', 'cash').then(eb.ref('refund_cents')).else(0).end()), eb.lit(0)).as('cash'),
      ])
      .where('session_id', '=', s.id).where('document_type', '=', '07'),
  )!;
  const cashIn = moves.find((m) => m.kind === 'in')?.t ?? 0;
  const cashOut = moves.find((m) => m.kind === 'out')?.t ?? 0;
  const cashSales = byMethod.find((m) => m.method === 'cash')?.t ?? 0;
  const expected = s.opening_float_cents + cashSales + cashIn - cashOut - refunds.cash;
  return {
    kind, sessionId: s.id, zNumber: s.z_number, openedAt: s.opened_at, closedAt: s.closed_at,
    openingFloat: soles(s.opening_float_cents), salesCount: sales.n, salesTotal: soles(sales.t),
    byMethod: byMethod.map((m) => ({ method: m.method, total: soles(m.t) })),
    cashIn: soles(cashIn), cashOut: soles(cashOut), refundsCount: refunds.n, refundsTotal: soles(refunds.t), refundsCash: soles(refunds.cash),
    expectedCash: soles(expected),
    counted: s.counted_cents === null ? null : soles(s.counted_cents),
    difference: s.difference_cents === null ? null : soles(s.difference_cents),
  };
}

export function xReport(db: Db, terminalId: string): CashReport {
  const s = currentSession(db, terminalId);
  if (!s) throw ruleError('No hay caja abierta.');
  return sessionReport(db, s, 'X');
}

export function closeSession(db: Db, at: Date, terminalId: string, userId: number, counted: string): CashReport {
  return db.tx(() => {
    const s = currentSession(db, terminalId);
    if (!s) throw ruleError('No hay caja abierta.');
    const expected = cents(sessionReport(db, s, 'Z').expectedCash);
    const countedCents = cents(counted);
    const z = (db.first(db.q.selectFrom('cash_sessions').select((eb) => eb.fn.max('z_number').as('last')))?.last ?? 0) + 1;
    db.run(db.q.updateTable('cash_sessions').set({
      closed_at: at.toISOString(), closed_by: userId, counted_cents: countedCents, expected_cents: expected,
      difference_cents: countedCents - expected, z_number: z,
    }).where('id', '=', s.id));
    audit(db, at, userId, 'cash.close', 'cash_session', s.id, { counted, expected: soles(expected), z });
    const closed = db.first(db.q.selectFrom('cash_sessions').selectAll().where('id', '=', s.id))!;
    return sessionReport(db, closed, 'Z');
  });
}
