// The `print.ticket` job (issue 17): a sale's (or a note's) ticket on the terminal's thermal printer. Queued in the
// sale's own transaction when the terminal has a thermal printer (queueTicketPrint, called by pos/checkout.ts,
// pos/returns.ts, pos/debit-notes.ts), so a committed sale always has its print recorded; run by the runner with short
// timeouts and a few quick retries, so a printer out of paper or unplugged never holds the checkout: the sale is
// already committed and the screen hears what happened (`print.updated`).
import type { Db } from '../db/connection';
import { getSetting } from '../db/settings';
import { audit, printCount } from '../db/audit';
import { ORIGINAL_PRINT_WINDOW_MS } from '../../src-shared/documents';
import type { TicketPrintState, TicketPrintView } from '../../src-shared/printer';
import { enqueue, PRIORITY } from './queue';
import { escposPrinter, type EscposPrinter } from '../documents/escpos-printer';
import { escposTicket } from '../documents/escpos';
import { printableDocument } from '../documents/printable';
import { logoImage } from '../documents/logo';
import { loadQrEncoder } from '../documents/qr';
import { PrinterError, sendToPrinter, type SendOptions } from '../documents/printer-transport';
import type { HandlerSpec, JobContext, JobOutcome } from './runner';

export const PRINT_TICKET = 'print.ticket';

export interface PrintTicketPayload {
  documentId: number;
  saleId?: number;
  noteId?: number;
  number: string;
  /** Open the drawer with the ticket: a sale with a cash payment, a refund or a debit note paid in cash. */
  drawer: boolean;
}

/** How long a print may hold its slot: a printer that does not answer is given up quickly and tried again. */
export const PRINT_TIMEOUTS: Required<Pick<SendOptions, 'connectTimeoutMs' | 'writeTimeoutMs' | 'statusTimeoutMs'>> = {
  connectTimeoutMs: 2_000, writeTimeoutMs: 5_000, statusTimeoutMs: 500,
};
export const PRINT_ATTEMPTS = 3;
export const PRINT_RETRY_MS = 3_000;

/** The idempotency key of a document's automatic ticket: one per document. */
export const printJobKey = (documentId: number): string => `print.ticket:${documentId}`;

/**
 * Inside the caller's transaction: the ticket's job, when this terminal has a thermal printer (else the screen prints
 * the PDF, as before). Returns the printer's label for the screen, or null.
 */
export function queueTicketPrint(db: Db, at: Date, p: PrintTicketPayload): string | null {
  let printer: EscposPrinter | null;
  try {
    printer = escposPrinter(db);
  } catch {
    return null; // a stored address that no longer parses: the PDF path, never a refused sale
  }
  if (!printer) return null;
  enqueue(db, at, { kind: PRINT_TICKET, payload: p, idempotencyKey: printJobKey(p.documentId), priority: PRIORITY.fresh, maxAttempts: PRINT_ATTEMPTS });
  return printer.label;
}

/** Who issued the document and when: the job prints the original on their behalf (pos/prints.ts's 15-minute rule). */
function issuer(db: Db, documentId: number): { userId: number; issuedAt: string } | undefined {
  return db.prepare(
    `SELECT coalesce(s.user_id, n.user_id) AS userId, coalesce(s.issued_at, n.issued_at) AS issuedAt
     FROM documents d LEFT JOIN sales s ON s.id = d.sale_id LEFT JOIN notes n ON n.id = d.note_id WHERE d.id = ?`,
  ).get(documentId) as { userId: number; issuedAt: string } | undefined;
}

export function ticketView(p: PrintTicketPayload, state: TicketPrintState, message: string | null, printer: string): TicketPrintView {
  return { saleId: p.saleId ?? null, noteId: p.noteId ?? null, number: p.number, state, message, printer };
}

export interface PrintTicketOptions {
  timeouts?: Partial<typeof PRINT_TIMEOUTS>;
  retryDelayMs?: number;
}

/** The ticket's bytes as the terminal's printer takes them: its layout, the logo, COPIA and the drawer as asked. */
export function ticketBytes(db: Db, printer: EscposPrinter, documentId: number, o: { copy: boolean; drawer: boolean }): Uint8Array {
  const logo = getSetting(db, 'ticketLogo');
  return escposTicket(printableDocument(db, documentId), {
    ...printer.layout, copy: o.copy, drawer: o.drawer, logo: logo ? logoImage(logo, printer.layout.columns === 32 ? 384 : 512) : null,
  });
}

async function printTicket(ctx: JobContext, o: PrintTicketOptions): Promise<JobOutcome> {
  const { db, clock, events } = ctx;
  const p = ctx.payload as unknown as PrintTicketPayload;
  let printer: EscposPrinter | null;
  try {
    printer = escposPrinter(db);
  } catch (e) {
    const message = (e as Error).message;
    return { type: 'failed', error: message, after: () => events.emit('print.updated', ticketView(p, 'failed', message, '')) };
  }
  if (!printer) {
    const message = 'Esta caja ya no tiene impresora térmica: imprima el ticket desde Ventas del día.';
    return { type: 'failed', error: message, after: () => events.emit('print.updated', ticketView(p, 'failed', message, '')) };
  }
  // The ticket carries the hash and QR of the signed XML: signed at checkout, or here when it could not be then.
  try {
    ctx.signer.signDocument(p.documentId, clock.now());
  } catch {
    // printed without the QR rather than not at all; the document stays pending, visibly, in the queue
  }
  const who = issuer(db, p.documentId);
  if (!who) return { type: 'failed', error: `No existe el comprobante ${p.number}.` };
  const now = clock.now();
  // The runner prints the original for whoever issued it; a print tried again past the 15 minutes is a COPIA, and a
  // COPIA never opens the drawer.
  const copy = !(now.getTime() - Date.parse(who.issuedAt) <= ORIGINAL_PRINT_WINDOW_MS);
  const drawer = p.drawer && !copy;
  if (printer.layout.qr === 'raster') await loadQrEncoder();
  const bytes = ticketBytes(db, printer, p.documentId, { copy, drawer });
  const label = printer.label;
  try {
    await sendToPrinter(printer.target, bytes, { ...PRINT_TIMEOUTS, ...o.timeouts, checkStatus: true });
  } catch (e) {
    const message = e instanceof PrinterError ? e.message : `No se pudo imprimir el ticket ${p.number}: ${(e as Error).message}`;
    const last = ctx.isLastAttempt || (e instanceof PrinterError && e.problem === 'bad-uri');
    const after = () => events.emit('print.updated', ticketView(p, last ? 'failed' : 'retrying', message, label));
    return last ? { type: 'failed', error: message, after } : { type: 'retry', error: message, delayMs: o.retryDelayMs ?? PRINT_RETRY_MS, after };
  }
  return {
    type: 'succeeded',
    result: { printer: label, bytes: bytes.length, copy, drawer },
    // Audited as every print is (pos/prints.ts): the document, original or COPIA, which print it was.
    apply: () => audit(db, now, who.userId, 'document.print', 'document', p.documentId, {
      ...(p.saleId ? { saleId: p.saleId } : { noteId: p.noteId }), number: p.number, copy, format: 'escpos',
      print: printCount(db, p.documentId) + 1, printer: label, drawer, via: PRINT_TICKET,
    }),
    after: () => events.emit('print.updated', ticketView(p, 'printed', null, label)),
  };
}

/**
 * Its own lane: a kind of its own with its own slot (never behind sunat.send's), registered first so every look at
 * the queue claims it first, fresh priority, never paused with SUNAT, and a durable outcome (the audit of the print).
 * One at a time: tickets come out in the order they were sold.
 */
export function printTicketSpec(o: PrintTicketOptions = {}): HandlerSpec {
  return { run: (ctx) => printTicket(ctx, o), concurrency: 1 };
}
