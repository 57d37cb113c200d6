// "Abrir cajón" without a sale (issue 17): a supervisor or an admin opens the cash drawer for a reason (change for
// a large note, a payment entered wrong…). Recorded in the drawer session it belongs to and audited before the pulse
// is sent, so an opening is never lost; a pulse that does not get through is marked on its row (then the drawer did
// not open, and the X and Z do not count it) and the refusal says why in the printer's own words.
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import { MANAGERS } from '../../src-shared/contract';
import { audit } from '../db/audit';
import { forbidden, ruleError } from '../errors';
import { drawerPulseBytes } from '../documents/escpos';
import { escposPrinter, printOnThermal, type EscposPrinter } from '../documents/escpos-printer';
import { PrinterError } from '../documents/printer-transport';
import { currentSession } from './cash';

export const OPEN_DRAWER_MANAGERS_ONLY = 'Solo un supervisor o un administrador puede abrir el cajón sin una venta. Pídale que lo abra.';
export const NO_THERMAL_PRINTER = 'No hay impresora térmica configurada: el cajón se abre desde ella. Configúrela en Administración → Impresora.';

/** The terminal's thermal printer, or a refusal saying what to do (none set; an address that is not one). */
export function requireThermal(db: Db): EscposPrinter {
  let printer: EscposPrinter | null;
  try {
    printer = escposPrinter(db);
  } catch (e) {
    throw ruleError(e instanceof PrinterError ? e.message : String(e));
  }
  if (!printer) throw ruleError(NO_THERMAL_PRINTER);
  return printer;
}

/**
 * Opens the drawer: the caller's own drawer session on this terminal, else the one opened last on it (a supervisor
 * called to a cashier's till). Resolves with the printer's name once the pulse got through.
 */
export async function openDrawerNoSale(db: Db, at: Date, terminalId: string, user: Pick<User, 'id' | 'role'>, reason: string): Promise<{ printer: string }> {
  if (!MANAGERS.includes(user.role)) throw forbidden(OPEN_DRAWER_MANAGERS_ONLY);
  const why = reason.trim();
  if (why.length < 3) throw ruleError('Indique el motivo para abrir el cajón.');
  const printer = requireThermal(db);
  const openingId = db.tx(() => {
    const session = currentSession(db, terminalId, user.id)
      ?? db.first(db.q.selectFrom('cash_sessions').selectAll().where('terminal_id', '=', terminalId).where('closed_at', 'is', null).orderBy('opened_at', 'desc').orderBy('id', 'desc'));
    if (!session) throw ruleError('No hay caja abierta en esta terminal: abra la caja antes de abrir el cajón.');
    const id = Number(db.run(db.q.insertInto('drawer_openings').values({
      session_id: session.id, terminal_id: terminalId, user_id: user.id, at: at.toISOString(), kind: 'no_sale', reason: why, move_id: null, error: null,
    })).lastInsertRowid);
    audit(db, at, user.id, 'cash.drawerOpen', 'cash_session', session.id, { reason: why, openingId: id, printer: printer.label });
    return id;
  });
  try {
    await printOnThermal(printer, drawerPulseBytes(), 'pulse');
  } catch (e) {
    const message = e instanceof PrinterError ? e.message : `No se pudo enviar la orden a la impresora (${printer.label}).`;
    db.run(db.q.updateTable('drawer_openings').set({ error: message }).where('id', '=', openingId));
    throw ruleError(`El cajón no se abrió: ${message}`);
  }
  return { printer: printer.label };
}
