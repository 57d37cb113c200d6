// Debit notes at the counter (issue 15): a supervisor or an admin charges more on a sale already issued — interest for
// paying late, an increase in the price agreed, a penalty (SUNAT catalog 10: 01, 02, 03) — with a debit note (08) on
// its boleta or factura. Built like the return (pos/returns.ts): everything read and checked first (a refused note
// records nothing), then ONE transaction takes the next number of the note's series (BD01 on a boleta, FD01 on a
// factura, per terminal, gap-free), writes the note and its one line, the document row, the sunat.send job and the
// audit entry. It is signed right after the commit (app.ts) and sent by the runner once the document it modifies is
// accepted (SUNAT refuses a note on a number it does not hold: 2209).
//
// The money (decision): a debit note is a charge, and at a shop counter the customer pays it there and then, as a
// sale is paid — in cash into the drawer of whoever charges it (its session), or by card, Yape or Plin. So it needs an
// open drawer whatever the method, and the X and Z count it on its own line. Leaving it owed (a receivable) belongs to
// credit sales and their "registrar cobro" (issue 15 item 9), not here.
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import type { DebitNoteInput } from '../../src-shared/contract';
import { MANAGERS } from '../../src-shared/contract';
import { computeLine, computeTotals } from '../../src-shared/tax';
import { Dec } from '../../src-shared/decimal';
import { documentFileName, formatNumber, type PaymentMethod, type SaleDocumentType } from '../../src-shared/documents';
import { DEBIT_NOTE_MANAGERS_ONLY, DEBIT_NOTE_REASONS, defaultNoteSeries, noteSeriesKey } from '../../src-shared/notes';
import { limaDate } from '../../src-shared/time';
import { forbidden, notFound, ruleError } from '../errors';
import { audit } from '../db/audit';
import { getSetting, taxRatesOn } from '../db/settings';
import { currentSession, noDrawerError } from './cash';
import { enqueue, PRIORITY } from '../jobs/queue';
import { queueTicketPrint } from '../jobs/print-ticket';
import { assertClockAllows } from './clock-guard';

export interface DebitNoteContext {
  db: Db;
  now: Date;
  terminalId: string;
  user: Pick<User, 'id' | 'role'>;
}

export interface CommittedDebitNote {
  noteId: number;
  documentId: number;
  number: string;
  fileName: string;
  /** The number of the document it modifies (B001-00000012). */
  reference: string;
  total: Dec;
  chargeMethod: PaymentMethod;
  /** The cash to hand back when more was tendered than the note's total. */
  change: Dec;
  /** The thermal printer its ticket was queued for (jobs/print-ticket.ts), or null: the PDF path. */
  ticketPrinter: string | null;
}

/** A debit note's service line: SUNAT's unit for services (catalog 03, "ZZ"). */
const SERVICE_UNIT = 'ZZ';

/** SUNAT's "sustento" admits no line breaks or tabs (2135): one line of text. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function issueDebitNote(ctx: DebitNoteContext, input: DebitNoteInput): CommittedDebitNote {
  const { db, now, terminalId, user } = ctx;
  if (!MANAGERS.includes(user.role)) throw forbidden(DEBIT_NOTE_MANAGERS_ONLY);
  const sale = db.first(
    db.q.selectFrom('sales').select(['id', 'number', 'document_type', 'status', 'igv_rate', 'issue_date']).where('id', '=', input.saleId),
  );
  if (!sale) throw notFound('La venta no existe.');
  if (sale.status === 'cancelled') throw ruleError(`La venta ${sale.number} está anulada: no admite notas de débito.`);
  const saleDoc = db.first(
    db.q.selectFrom('documents').select(['id', 'status']).where('sale_id', '=', sale.id).where('document_type', 'in', ['01', '03']).orderBy('id').limit(1),
  );
  if (!saleDoc) throw ruleError(`La venta ${sale.number} no tiene comprobante.`);
  if (saleDoc.status === 'rejected') throw ruleError(`SUNAT rechazó el comprobante ${sale.number}: una nota de débito no puede modificarlo.`);
  if (saleDoc.status === 'voided') throw ruleError(`El comprobante ${sale.number} está dado de baja: no admite notas de débito.`);

  const description = oneLine(input.description ?? '') || DEBIT_NOTE_REASONS[input.reasonCode];
  if (description.length < 3) throw ruleError('Describa el cargo con al menos 3 letras (p. ej. «Intereses por 10 días de atraso»).');
  const amount = Dec.of(input.amount);
  if (!amount.gt(0)) throw ruleError('El importe de la nota de débito debe ser mayor que cero.');
  // The note's taxes as the sale's: its IGV rate (like a credit note), ICBPER of its date (a charge has no bags).
  const rates = { igv: sale.igv_rate, icbper: taxRatesOn(db, sale.issue_date).icbper };
  const line = computeLine({ quantity: '1', unitPrice: amount.toFixed(2), taxAffectation: input.taxAffectation, bags: 0, discount: null }, rates);
  const totals = computeTotals([line]);
  const total = totals.payable;

  // Paid now at the counter: into the drawer of whoever charges it (their own, or the terminal's shared one).
  const session = currentSession(db, terminalId, user.id);
  if (!session) throw noDrawerError(db, 'charge');
  const method = input.payment.method;
  let tendered: Dec | null = null;
  if (input.payment.tendered !== undefined) {
    if (method !== 'cash') throw ruleError('Solo el efectivo admite un monto recibido mayor (con vuelto).');
    tendered = Dec.of(input.payment.tendered);
    if (tendered.lt(total)) throw ruleError(`Recibió ${tendered.toFixed(2)} y la nota de débito es de ${total.toFixed(2)}: falta ${total.minus(tendered).toFixed(2)}.`);
  }
  const reference = method === 'cash' ? null : input.payment.reference?.trim() || null;
  const store = getSetting(db, 'store');
  const issuedAt = now.toISOString();
  const issueDate = limaDate(now);
  const docType = sale.document_type as SaleDocumentType;
  const key = noteSeriesKey('08', docType);

  return db.tx(() => {
    let series = db.first(db.q.selectFrom('series').select(['series', 'next_number']).where('terminal_id', '=', terminalId).where('document_type', '=', key));
    if (!series) {
      const name = defaultNoteSeries('08', docType);
      db.run(db.q.insertInto('series').values({ terminal_id: terminalId, document_type: key, series: name, next_number: 1 }));
      series = { series: name, next_number: 1 };
    }
    db.run(db.q.updateTable('series').set((eb) => ({ next_number: eb('next_number', '+', 1) })).where('terminal_id', '=', terminalId).where('document_type', '=', key));
    const correlative = series.next_number;
    const number = formatNumber(series.series, correlative);
    const fileName = documentFileName(store.ruc, '08', series.series, correlative);
    assertClockAllows(db, now, { ruc: store.ruc, documentType: '08', series: series.series, correlative });
    const t = totals;
    const noteId = Number(db.run(db.q.insertInto('notes').values({
      sale_id: sale.id, terminal_id: terminalId, session_id: session.id, user_id: user.id, document_type: '08', series: series.series,
      correlative, number, reason_code: input.reasonCode, reason: description, issued_at: issuedAt, issue_date: issueDate,
      currency: 'PEN', igv_rate: rates.igv, gravado_cents: t.gravado.toCents(), exonerado_cents: t.exonerado.toCents(),
      inafecto_cents: t.inafecto.toCents(), gratuito_cents: t.gratuito.toCents(), igv_cents: t.igv.toCents(), icbper_cents: 0,
      discount_cents: 0, total_cents: total.toCents(), refund_method: null, refund_cents: 0, charge_method: method,
      charge_cents: total.toCents(), charge_tendered_cents: tendered?.toCents() ?? null, charge_reference: reference,
    })).lastInsertRowid);
    db.run(db.q.insertInto('note_lines').values({
      note_id: noteId, line_no: 1, sale_line_id: null, product_id: null, description, unit_code: SERVICE_UNIT, quantity: '1',
      unit_price: amount.toFixed(2), unit_value: line.unitValue.toFixed(), tax_affectation: input.taxAffectation, discount_cents: 0,
      value_cents: line.value.toCents(), igv_cents: line.igv.toCents(), icbper_cents: 0, bags: 0, total_cents: line.total.toCents(),
    }));
    const documentId = Number(db.run(db.q.insertInto('documents').values({
      sale_id: null, note_id: noteId, document_type: '08', series: series.series, correlative, file_name: fileName, issue_date: issueDate,
      status: 'pending', created_at: issuedAt, updated_at: issuedAt,
    })).lastInsertRowid);
    enqueue(db, now, { kind: 'sunat.send', payload: { documentId, noteId }, idempotencyKey: fileName, priority: PRIORITY.fresh });
    // Charged in cash: the money goes into the drawer, which opens with the ticket (like a cash sale).
    const ticketPrinter = queueTicketPrint(db, now, { documentId, noteId, number, drawer: method === 'cash' });
    audit(db, now, user.id, 'sale.debitNote', 'note', noteId, {
      number, reference: sale.number, reasonCode: input.reasonCode, description, total: total.toFixed(2),
      taxAffectation: input.taxAffectation, charge: method,
    });
    return {
      noteId, documentId, number, fileName, reference: sale.number, total, chargeMethod: method,
      change: tendered ? tendered.minus(total) : Dec.ZERO.round(2), ticketPrinter,
    };
  });
}
