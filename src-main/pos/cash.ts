// Cash sessions: open with a float, cash in/out with a reason, X report mid-shift, close with the count (Z report,
// kept as it was closed). A terminal has one shared drawer, or each cashier their own (setting cashDrawerMode).
import type { Db } from '../db/connection';
import type { CashSession, User } from '../db/schema';
import { ApiError, MANAGERS, type CashMoveView, type CashReport, type CashSessionView, type OpenDrawerView, type ZReportRow } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { getSetting } from '../db/settings';
import { forbidden, notFound, ruleError } from '../errors';
import { audit } from '../db/audit';
import { enqueue, PRIORITY } from '../jobs/queue';

export const cents = (v: string) => Dec.of(v).round(2).toCents();
export const soles = (c: number) => Dec.fromCents(c).toFixed(2);

// The caller's own open drawer first, else the terminal's shared one (ORDER BY: false sorts before true).
const SESSION_SQL = `SELECT * FROM cash_sessions WHERE terminal_id = ? AND closed_at IS NULL
  AND (cashier_id = ? OR cashier_id IS NULL) ORDER BY cashier_id IS NULL LIMIT 1`;

/**
 * THE drawer a user works with on a terminal — the sale, the cash refund, the cash move, the X and the Z all ask
 * here: the user's own open drawer ("Un cajón por cajero"), else the terminal's shared drawer. Both may be open only
 * around a change of the setting: a drawer already open stays in use until it is closed; the setting decides what
 * `openSession` opens. On the checkout's path: prepared SQL.
 */
export function currentSession(db: Db, terminalId: string, userId: number): CashSession | undefined {
  return db.prepare(SESSION_SQL).get(terminalId, userId) as CashSession | undefined;
}

export type DrawerAction = 'sell' | 'refund' | 'charge' | 'move' | 'report' | 'close';

const NO_SHARED_DRAWER: Record<DrawerAction, string> = {
  sell: 'No hay caja abierta. Abra la caja antes de vender.',
  refund: 'No hay caja abierta: abra la caja para devolver en efectivo.',
  charge: 'No hay caja abierta: abra la caja para cobrar la nota de débito.',
  move: 'No hay caja abierta. Abra la caja primero.',
  report: 'No hay caja abierta.',
  close: 'No hay caja abierta.',
};
const NO_OWN_DRAWER: Record<DrawerAction, string> = {
  sell: 'No tiene una caja abierta en esta terminal: abra su propia caja (con su fondo inicial) antes de vender.',
  refund: 'No tiene una caja abierta en esta terminal: abra su propia caja para devolver en efectivo.',
  charge: 'No tiene una caja abierta en esta terminal: abra su propia caja para cobrar la nota de débito.',
  move: 'No tiene una caja abierta en esta terminal: abra su propia caja primero.',
  report: 'No tiene una caja abierta en esta terminal.',
  close: 'No tiene una caja abierta en esta terminal: cada cajero cierra solo su propia caja.',
};

/** The refusal when the user has no drawer for `action`, worded for the store's mode. */
export function noDrawerError(db: Db, action: DrawerAction): ApiError {
  return ruleError((getSetting(db, 'cashDrawerMode') === 'perCashier' ? NO_OWN_DRAWER : NO_SHARED_DRAWER)[action]);
}

/** `currentSession`, or the refusal for `action`. */
export function requireSession(db: Db, terminalId: string, userId: number, action: DrawerAction): CashSession {
  const s = currentSession(db, terminalId, userId);
  if (!s) throw noDrawerError(db, action);
  return s;
}

function userName(db: Db, id: number | null): string | null {
  if (id === null) return null;
  return db.first(db.q.selectFrom('users').select('name').where('id', '=', id))?.name ?? '';
}

export function sessionView(db: Db, s: CashSession): CashSessionView {
  return {
    id: s.id, terminalId: s.terminal_id, userName: userName(db, s.user_id) ?? '', openedAt: s.opened_at,
    openingFloat: soles(s.opening_float_cents), closedAt: s.closed_at, zNumber: s.z_number, own: s.cashier_id !== null,
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
  const own = getSetting(db, 'cashDrawerMode') === 'perCashier';
  return db.tx(() => {
    const open = currentSession(db, terminalId, userId);
    if (open) throw ruleError(open.cashier_id === null ? 'La caja ya está abierta.' : 'Ya tiene su caja abierta en esta terminal.');
    const id = db.run(db.q.insertInto('cash_sessions').values({
      terminal_id: terminalId, user_id: userId, opened_at: at.toISOString(), opening_float_cents: cents(openingFloat),
      closed_at: null, closed_by: null, counted_cents: null, expected_cents: null, difference_cents: null, z_number: null,
      cashier_id: own ? userId : null, z_report: null,
    })).lastInsertRowid;
    audit(db, at, userId, 'cash.open', 'cash_session', id, {
      openingFloat, ...(opts.confirmed ? { confirmed: true } : {}), ...(own ? { ownDrawer: true } : {}),
    });
    return db.first(db.q.selectFrom('cash_sessions').selectAll().where('id', '=', id))!;
  });
}

/** The runner's job that sends the drawer's pulse (jobs/handlers/print-drawer.ts). */
export const DRAWER_PULSE_JOB = 'print.drawer';

/**
 * A paid-in or paid-out. With a thermal printer set, the drawer opens for it: the opening is recorded and a
 * `print.drawer` job queued in the move's own transaction — the move never waits for the printer, and a printer that
 * fails never undoes it (the job retries, then ends failed with the printer's words). `pulse`: a job was queued.
 */
export function cashMove(db: Db, at: Date, terminalId: string, userId: number, kind: 'in' | 'out', amount: string, reason: string): { pulse: boolean } {
  return db.tx(() => {
    const s = requireSession(db, terminalId, userId, 'move');
    const c = cents(amount);
    if (c <= 0) throw ruleError('El importe debe ser mayor que cero.');
    const moveId = Number(db.run(db.q.insertInto('cash_moves').values({ session_id: s.id, kind, amount_cents: c, reason, user_id: userId, created_at: at.toISOString() })).lastInsertRowid);
    audit(db, at, userId, `cash.${kind}`, 'cash_session', s.id, { amount, reason });
    if (!getSetting(db, 'escposPrinter')) return { pulse: false };
    const openingId = Number(db.run(db.q.insertInto('drawer_openings').values({
      session_id: s.id, terminal_id: terminalId, user_id: userId, at: at.toISOString(), kind: 'move', reason, move_id: moveId, error: null,
    })).lastInsertRowid);
    enqueue(db, at, { kind: DRAWER_PULSE_JOB, payload: { openingId }, priority: PRIORITY.fresh, maxAttempts: 3, idempotencyKey: `${DRAWER_PULSE_JOB}:${openingId}` });
    return { pulse: true };
  });
}

/** The drawer's openings counted in a session: by hand without a sale, and for paid-ins / paid-outs; failed pulses are not. */
export function drawerOpeningCounts(db: Db, sessionId: number): { noSale: number; moves: number } {
  const rows = db.all(
    db.q.selectFrom('drawer_openings').select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
      .where('session_id', '=', sessionId).where('error', 'is', null).groupBy('kind'),
  );
  return { noSale: rows.find((r) => r.kind === 'no_sale')?.n ?? 0, moves: rows.find((r) => r.kind === 'move')?.n ?? 0 };
}

/** The report of a session as it stands now (the X; and the Z at the moment it closes). */
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
  const moveRows = db.all(
    db.q.selectFrom('cash_moves as m').innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.kind', 'm.amount_cents', 'm.reason', 'm.created_at', 'u.name'])
      .where('m.session_id', '=', s.id).orderBy('m.id'),
  );
  const moves: CashMoveView[] = moveRows.map((m) => ({ kind: m.kind, amount: soles(m.amount_cents), reason: m.reason, at: m.created_at, userName: m.name }));
  // Money given back for returns in this session; what was refunded in cash left this drawer. A return on a sale on
  // credit that only lowered the debt gave no money back: not a refund of this drawer.
  const refunds = db.first(
    db.q.selectFrom('notes')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('refund_cents'), eb.lit(0)).as('t'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('refund_method', '=', 'cash').then(eb.ref('refund_cents')).else(0).end()), eb.lit(0)).as('cash'),
      ])
      .where('session_id', '=', s.id).where('document_type', '=', '07').where('refund_cents', '>', 0),
  )!;
  // Sales on credit: what was left to pay later is a "method" of its own, never cash. Their later collections in this
  // session: the cash ones are already paid-ins ("Cobro F001-…"); the line says how much came in for credit.
  const credit = db.first(
    db.q.selectFrom('sales').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('credit_cents'), eb.lit(0)).as('t'))
      .where('session_id', '=', s.id).where('status', '=', 'completed').where('credit_cents', '>', 0),
  )!;
  const collected = db.first(
    db.q.selectFrom('collections')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('t'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('method', '=', 'cash').then(eb.ref('amount_cents')).else(0).end()), eb.lit(0)).as('cash'),
      ])
      .where('session_id', '=', s.id),
  )!;
  const methods = byMethod.map((m) => ({ method: m.method as string, total: soles(m.t) }));
  if (credit.t > 0) methods.push({ method: 'credit', total: soles(credit.t) });
  // Debit notes charged in this session; what was paid in cash came into this drawer.
  const charges = db.first(
    db.q.selectFrom('notes')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('charge_cents'), eb.lit(0)).as('t'),
        eb.fn.coalesce(eb.fn.sum<number>(eb.case().when('charge_method', '=', 'cash').then(eb.ref('charge_cents')).else(0).end()), eb.lit(0)).as('cash'),
      ])
      .where('session_id', '=', s.id).where('document_type', '=', '08'),
  )!;
  const total = (k: 'in' | 'out') => moveRows.filter((m) => m.kind === k).reduce((a, m) => a + m.amount_cents, 0);
  const cashIn = total('in');
  const cashOut = total('out');
  const cashSales = byMethod.find((m) => m.method === 'cash')?.t ?? 0;
  const expected = s.opening_float_cents + cashSales + cashIn - cashOut - refunds.cash + charges.cash;
  return {
    kind, sessionId: s.id, zNumber: s.z_number, openedAt: s.opened_at, closedAt: s.closed_at,
    terminalId: s.terminal_id, cashier: userName(db, s.cashier_id), openedBy: userName(db, s.user_id) ?? '', closedBy: userName(db, s.closed_by),
    onBehalfOf: closedInsteadOf(s) === null ? null : userName(db, s.cashier_id),
    openingFloat: soles(s.opening_float_cents), salesCount: sales.n, salesTotal: soles(sales.t),
    byMethod: methods,
    cashIn: soles(cashIn), cashOut: soles(cashOut), moves,
    collections: { count: collected.n, total: soles(collected.t), cash: soles(collected.cash) },
    refundsCount: refunds.n, refundsTotal: soles(refunds.t), refundsCash: soles(refunds.cash),
    debitNotesCount: charges.n, debitNotesTotal: soles(charges.t), debitNotesCash: soles(charges.cash),
    drawerOpenings: drawerOpeningCounts(db, s.id),
    expectedCash: soles(expected),
    counted: s.counted_cents === null ? null : soles(s.counted_cents),
    difference: s.difference_cents === null ? null : soles(s.difference_cents),
  };
}

/** The X report of the user's drawer. */
export function xReport(db: Db, terminalId: string, userId: number): CashReport {
  return sessionReport(db, requireSession(db, terminalId, userId, 'report'), 'X');
}

/**
 * The cashier a closed drawer was closed for: a cashier's own drawer closed by someone else (only a manager can:
 * `closeDrawerOf`). Null for the shared drawer (whoever uses it closes it) and for a drawer closed by its cashier.
 */
function closedInsteadOf(s: Pick<CashSession, 'cashier_id' | 'closed_by'>): number | null {
  return s.cashier_id !== null && s.closed_by !== null && s.closed_by !== s.cashier_id ? s.cashier_id : null;
}

/** Closes `s` with the cash counted, inside the caller's transaction: the Z is numbered, stored as returned, audited. */
function closeOpenSession(db: Db, at: Date, s: CashSession, userId: number, counted: string): CashReport {
  const countedCents = cents(counted);
  const z = (db.first(db.q.selectFrom('cash_sessions').select((eb) => eb.fn.max('z_number').as('last')))?.last ?? 0) + 1;
  const closed: CashSession = { ...s, closed_at: at.toISOString(), closed_by: userId, counted_cents: countedCents, z_number: z };
  const report = sessionReport(db, closed, 'Z');
  const expected = cents(report.expectedCash);
  const kept: CashReport = { ...report, difference: soles(countedCents - expected) };
  db.run(db.q.updateTable('cash_sessions').set({
    closed_at: closed.closed_at, closed_by: userId, counted_cents: countedCents, expected_cents: expected,
    difference_cents: countedCents - expected, z_number: z, z_report: JSON.stringify(kept),
  }).where('id', '=', s.id));
  const onBehalfOf = closedInsteadOf(closed);
  audit(db, at, userId, 'cash.close', 'cash_session', s.id, { counted, expected: soles(expected), z, ...(onBehalfOf === null ? {} : { onBehalfOf }) });
  return kept;
}

/** Closes the user's drawer with the cash counted; the Z is numbered, stored as it is returned, and audited. */
export function closeSession(db: Db, at: Date, terminalId: string, userId: number, counted: string): CashReport {
  return db.tx(() => closeOpenSession(db, at, requireSession(db, terminalId, userId, 'close'), userId, counted));
}

export const CLOSE_OTHER_MANAGERS_ONLY = 'Solo un supervisor o un administrador puede cerrar la caja de otra persona. Pídale que la cierre con el efectivo contado.';

/** The drawers open on a terminal, oldest first, for a manager to close one left open (Caja → Cajas abiertas). */
export function openDrawers(db: Db, terminalId: string, user: Pick<User, 'id' | 'role'>): OpenDrawerView[] {
  if (!MANAGERS.includes(user.role)) throw forbidden(CLOSE_OTHER_MANAGERS_ONLY);
  const mine = currentSession(db, terminalId, user.id)?.id;
  const rows = db.all(
    db.q.selectFrom('cash_sessions as c').innerJoin('users as o', 'o.id', 'c.user_id').leftJoin('users as w', 'w.id', 'c.cashier_id')
      .select(['c.id', 'w.name as cashier', 'o.name as opened_by', 'c.opened_at', 'c.opening_float_cents'])
      .where('c.terminal_id', '=', terminalId).where('c.closed_at', 'is', null).orderBy('c.opened_at').orderBy('c.id'),
  );
  return rows.map((r) => ({
    sessionId: r.id, cashier: r.cashier, openedBy: r.opened_by, openedAt: r.opened_at, openingFloat: soles(r.opening_float_cents), mine: r.id === mine,
  }));
}

/**
 * A supervisor or an admin closes a drawer open on this terminal with the cash they counted — typically a cashier's
 * own drawer left open when the cashier went home ("Un cajón por cajero": nobody else could close it, and the store
 * had no Z). The same Z as the cashier's own close, kept and printable, saying it was closed instead of the cashier
 * (`onBehalfOf`, also in the audit's `cash.close`). The shared drawer may be closed the same way (whoever uses it
 * closes it anyway; this reaches it also from a manager with a drawer of their own). A cashier is refused.
 */
export function closeDrawerOf(db: Db, at: Date, terminalId: string, user: Pick<User, 'id' | 'role'>, sessionId: number, counted: string): CashReport {
  if (!MANAGERS.includes(user.role)) throw forbidden(CLOSE_OTHER_MANAGERS_ONLY);
  return db.tx(() => {
    const s = db.first(db.q.selectFrom('cash_sessions').selectAll().where('id', '=', sessionId));
    if (!s) throw notFound(`No existe la caja ${sessionId}.`);
    if (s.terminal_id !== terminalId) throw ruleError(`Esa caja es de la terminal ${s.terminal_id}: ciérrela desde esa terminal, donde está el efectivo.`);
    if (s.closed_at !== null) throw ruleError(`Esa caja ya se cerró (informe Z N° ${s.z_number}). Búsquela en el historial de cierres.`);
    return closeOpenSession(db, at, s, user.id, counted);
  });
}

/** A closed session's Z as it was at closing (sessions closed before the Z was kept: computed from their rows). */
export function keptZReport(db: Db, s: CashSession): CashReport {
  // A Z kept before debit notes existed (migration 014) has none.
  const none = { debitNotesCount: 0, debitNotesTotal: '0.00', debitNotesCash: '0.00' };
  // One kept before a manager could close a cashier's drawer says nothing of it; the row knows (and agrees otherwise).
  const onBehalfOf = closedInsteadOf(s) === null ? null : userName(db, s.cashier_id);
  return s.z_report ? { ...none, ...(JSON.parse(s.z_report) as CashReport), onBehalfOf } : sessionReport(db, s, 'Z');
}

const mayReadSession = (user: Pick<User, 'id' | 'role'>, s: Pick<CashSession, 'user_id' | 'closed_by' | 'cashier_id'>) =>
  MANAGERS.includes(user.role) || s.user_id === user.id || s.closed_by === user.id || s.cashier_id === user.id;

/** The Z history, newest first: a cashier sees the sessions they opened, closed or owned; managers all. */
export function zReports(db: Db, user: Pick<User, 'id' | 'role'>, limit = 100): ZReportRow[] {
  let q = db.q.selectFrom('cash_sessions as c')
    .innerJoin('users as o', 'o.id', 'c.user_id')
    .innerJoin('users as k', 'k.id', 'c.closed_by')
    .leftJoin('users as w', 'w.id', 'c.cashier_id')
    .select([
      'c.id', 'c.z_number', 'c.terminal_id', 'w.name as cashier', 'o.name as opened_by', 'k.name as closed_by', 'c.opened_at',
      'c.cashier_id', 'c.closed_by as closed_by_id',
      'c.closed_at', 'c.expected_cents', 'c.counted_cents', 'c.difference_cents',
    ])
    .where('c.z_number', 'is not', null);
  if (!MANAGERS.includes(user.role)) {
    q = q.where((eb) => eb.or([eb('c.user_id', '=', user.id), eb('c.closed_by', '=', user.id), eb('c.cashier_id', '=', user.id)]));
  }
  return db.all(q.orderBy('c.z_number', 'desc').limit(limit)).map((r) => ({
    sessionId: r.id, zNumber: r.z_number!, terminalId: r.terminal_id, cashier: r.cashier, openedBy: r.opened_by, closedBy: r.closed_by,
    onBehalfOf: closedInsteadOf({ cashier_id: r.cashier_id, closed_by: r.closed_by_id }) === null ? null : r.cashier,
    openedAt: r.opened_at, closedAt: r.closed_at!, expected: soles(r.expected_cents ?? 0), counted: soles(r.counted_cents ?? 0),
    difference: soles(r.difference_cents ?? 0),
  }));
}

/** A kept Z to print: who may (the session's cashier, whoever opened or closed it, a manager), audited. */
export function zReportToPrint(db: Db, at: Date, user: Pick<User, 'id' | 'role'>, sessionId: number, copy: boolean): CashReport {
  const s = db.first(db.q.selectFrom('cash_sessions').selectAll().where('id', '=', sessionId));
  if (!s) throw notFound(`No existe la sesión de caja ${sessionId}.`);
  if (!mayReadSession(user, s)) throw forbidden('Solo puede imprimir los informes Z de sus propias cajas. Pida ayuda a un supervisor.');
  if (s.z_number === null) throw ruleError('Esa caja sigue abierta: imprima el informe X o ciérrela para tener el informe Z.');
  const report = keptZReport(db, s);
  audit(db, at, user.id, copy ? 'cash.zReprint' : 'cash.zPrint', 'cash_session', s.id, { z: s.z_number });
  return report;
}
