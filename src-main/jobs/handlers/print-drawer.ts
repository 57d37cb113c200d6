// print.drawer (issue 17): the cash drawer's pulse after a paid-in / paid-out, queued in the move's own transaction
// (pos/cash.ts cashMove). A short timeout and two quick retries; the move is never blocked nor undone by the printer.
// A pulse that never got through ends failed with the printer's own words (the queue monitor shows them) and marks
// its opening, which the X and Z then do not count. A pulse is worth sending only while the cashier is still there:
// one that comes due much later (the PC was off) is dropped, not fired into an empty shop.
import { drawerPulseBytes } from '../../documents/escpos';
import { escposPrinter, printOnThermal } from '../../documents/escpos-printer';
import { PrinterError } from '../../documents/printer-transport';
import type { HandlerSpec, JobContext, JobOutcome } from '../runner';

/** Between two tries of a pulse. */
export const PULSE_RETRY_MS = 2_000;
/** A pulse older than this is not sent any more. */
export const PULSE_STALE_MS = 2 * 60_000;

export async function printDrawerHandler(ctx: JobContext): Promise<JobOutcome> {
  const { db } = ctx;
  const openingId = Number(ctx.payload.openingId);
  const markFailed = (error: string) => () => {
    db.run(db.q.updateTable('drawer_openings').set({ error }).where('id', '=', openingId));
  };
  const fail = (error: string): JobOutcome => ({ type: 'failed', error, apply: markFailed(error) });
  if (!Number.isInteger(openingId) || openingId <= 0) return { type: 'failed', error: 'Trabajo sin apertura de cajón.' };
  if (ctx.clock.now().getTime() - Date.parse(ctx.job.created_at) > PULSE_STALE_MS) {
    return fail('El cajón no se abrió: pasó demasiado tiempo desde el movimiento de caja.');
  }
  let printer;
  try {
    printer = escposPrinter(db);
  } catch (e) {
    return fail((e as Error).message);
  }
  // The printer was taken out of the settings since: nothing to open.
  if (!printer) return fail('El cajón no se abrió: ya no hay impresora térmica configurada.');
  try {
    await printOnThermal(printer, drawerPulseBytes(), 'pulse');
    return { type: 'succeeded', result: { printer: printer.label } };
  } catch (e) {
    const message = e instanceof PrinterError ? e.message : String((e as Error).message ?? e);
    if (ctx.isLastAttempt) return fail(message);
    return { type: 'retry', error: message, delayMs: PULSE_RETRY_MS };
  }
}

export const printDrawerSpec: HandlerSpec = { run: printDrawerHandler };
