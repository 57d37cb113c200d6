// The thermal printer at the counter (issue 17): "Imprimir prueba", the logo, where a ticket's automatic print stands,
// and "Reimprimir" — a ticket that did not print is tried again (its `print.ticket` job, still the original); one that
// printed is reprinted under pos/prints.ts's rules (COPIA, maxReprints, audited), never opening the drawer.
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import { MANAGERS } from '../../src-shared/contract';
import { printerTargetOf, BAD_PRINTER_URI, type EscposPrinterSetting, type PrinterAdminView, type PrinterTestView, type TicketPrintView } from '../../src-shared/printer';
import { audit, printCount } from '../db/audit';
import { getSetting, localSetting, setSetting } from '../db/settings';
import { forbidden, ruleError } from '../errors';
import { getJob, requeue } from '../jobs/store';
import { printJobKey, ticketBytes, ticketView, type PrintTicketPayload } from '../jobs/print-ticket';
import { columnsFor, EscposWriter, type Columns } from '../documents/escpos';
import { escposPrinter, printOnThermal, THERMAL_TIMEOUTS, type EscposPrinter } from '../documents/escpos-printer';
import { loadQrEncoder } from '../documents/qr';
import { decodePng, LogoError, logoImage, toLogo } from '../documents/logo';
import { describeTarget, PrinterError, sendToPrinter, type PrinterStatus } from '../documents/printer-transport';
import { decidePrint, printTarget, type PrintWhich } from './prints';


export function printerAdminView(db: Db): PrinterAdminView {
  const logo = getSetting(db, 'ticketLogo');
  return { escpos: getSetting(db, 'escposPrinter'), paperWidth: localSetting(db, 'paperWidth'), logo: logo ? { width: logo.width, height: logo.height } : null };
}

/** The printer's problem as its status word, when the printer itself said it (DLE EOT). */
const STATUS_OF_PROBLEM: Partial<Record<PrinterError['problem'], string>> = { 'paper-out': 'sin papel', 'cover-open': 'tapa abierta', offline: 'fuera de línea' };

/** The test ticket: the store, every Spanish character the tickets need, the columns ruler, a sample QR, the cut. */
export function testTicketBytes(db: Db, columns: Columns, setting: Omit<EscposPrinterSetting, 'uri'>, label: string): Uint8Array {
  const store = getSetting(db, 'store');
  const logo = getSetting(db, 'ticketLogo');
  const w = new EscposWriter(columns, setting.codePage);
  if (logo) w.image(logoImage(logo, columns === 32 ? 384 : 512)).line('');
  w.text(store.tradeName, { bold: true, align: 'center', double: 'height' });
  w.text(store.address, { align: 'center' });
  w.rule();
  w.text('PRUEBA DE IMPRESIÓN', { bold: true, align: 'center' });
  w.text('ñ Ñ á é í ó ú ü ¿ ¡ ° — Señal: 25 °C, ¿Año? ¡Sí!');
  w.line('1234567890'.repeat(Math.ceil(columns / 10)).slice(0, columns));
  w.text(`${columns} columnas · ${setting.codePage === 'pc850' ? 'PC850' : 'WPC1252'} · QR ${setting.qr === 'native' ? 'de la impresora' : 'como imagen'}`);
  w.text(`Impresora: ${label}`);
  w.qr(`${store.ruc}|03|B001|00000000|0.00|0.00|PRUEBA|-|-|iziSales|`, setting.qr, columns === 48 ? 6 : 5);
  w.text('Si lee bien los acentos y el QR, la impresora está lista.', { align: 'center' });
  return w.finish({ cut: setting.cut }).bytes();
}

/** "Imprimir prueba" to an address typed (saved or not): what happened, with the printer's status when it answered. */
export async function printTestTicket(db: Db, input: EscposPrinterSetting & { paperWidth: 80 | 58 }): Promise<PrinterTestView> {
  const target = printerTargetOf(input.uri);
  if (!target) throw ruleError(BAD_PRINTER_URI(input.uri));
  const label = describeTarget(target);
  if (input.qr === 'raster') await loadQrEncoder();
  const bytes = testTicketBytes(db, columnsFor(input.paperWidth), input, label);
  try {
    const sent = await sendToPrinter(target, bytes, THERMAL_TIMEOUTS.report);
    return { ok: true, message: `Impresión de prueba enviada a ${label}`, status: statusWord(sent.status) };
  } catch (e) {
    if (!(e instanceof PrinterError)) throw e;
    return { ok: false, message: e.message, status: STATUS_OF_PROBLEM[e.problem] ?? null };
  }
}

const statusWord = (s: PrinterStatus | null): string | null => (s?.answered ? s.label : null);

/** The logo on top of the tickets (a PNG), or none; audited with its size and digest, never the image itself. */
export function setTicketLogo(db: Db, now: Date, userId: number, png: Uint8Array | null): PrinterAdminView {
  if (png === null) {
    db.tx(() => {
      setSetting(db, 'ticketLogo', null);
      audit(db, now, userId, 'printer.logo', 'setting', 'ticketLogo', { removed: true });
    });
    return printerAdminView(db);
  }
  let logo;
  try {
    logo = toLogo(decodePng(png));
  } catch (e) {
    if (e instanceof LogoError) throw ruleError(e.message);
    throw e;
  }
  db.tx(() => {
    setSetting(db, 'ticketLogo', logo);
    audit(db, now, userId, 'printer.logo', 'setting', 'ticketLogo', {
      width: logo.width, height: logo.height, bytes: png.length, sha256: crypto.createHash('sha256').update(png).digest('hex'),
    });
  });
  return printerAdminView(db);
}

/** The `print.ticket` job of the document, if the terminal had a thermal printer when it was issued. */
function printJob(db: Db, documentId: number) {
  const row = db.first(db.q.selectFrom('jobs').select('id').where('idempotency_key', '=', printJobKey(documentId)));
  return row ? getJob(db, row.id) ?? null : null;
}

/** A cashier follows only their own sales' tickets, as they list them. */
function visibleTarget(db: Db, user: Pick<User, 'id' | 'role'>, which: PrintWhich) {
  const target = printTarget(db, which);
  if (!MANAGERS.includes(user.role) && target.userId !== user.id) throw forbidden('Solo puede imprimir sus propias ventas. Pida ayuda a un supervisor.');
  return target;
}

/** Where the automatic ticket stands (null: no job, the terminal prints the PDF). */
export function ticketPrintStatus(db: Db, user: Pick<User, 'id' | 'role'>, which: PrintWhich): TicketPrintView | null {
  const target = visibleTarget(db, user, which);
  const job = printJob(db, target.documentId);
  if (!job) return null;
  const p = JSON.parse(job.payload) as PrintTicketPayload;
  const printer = (() => {
    try {
      return escposPrinter(db)?.label ?? '';
    } catch {
      return '';
    }
  })();
  switch (job.state) {
    case 'succeeded': return ticketView(p, 'printed', null, printer);
    case 'failed': case 'cancelled': return ticketView(p, 'failed', job.last_error, printer);
    case 'retrying': case 'waiting_network': return ticketView(p, 'retrying', job.last_error, printer);
    default: return ticketView(p, job.last_error ? 'retrying' : 'printing', job.last_error, printer);
  }
}

export interface ThermalDeps {
  db: Db;
  signer: { signDocument(documentId: number, now: Date): boolean };
}

/**
 * "Reimprimir" on the sale screen. A ticket whose job did not print it is tried again now (the runner prints the
 * original, with the drawer if it was a cash sale); `requeued` tells the caller to wake the runner. A ticket already
 * printed is reprinted here and now (printReprint).
 */
export async function reprintTicket(deps: ThermalDeps, user: Pick<User, 'id' | 'role'>, which: PrintWhich, now: Date): Promise<{ view: TicketPrintView; requeued: boolean }> {
  const { db } = deps;
  const target = visibleTarget(db, user, which);
  const job = printJob(db, target.documentId);
  if (job && job.state !== 'succeeded') {
    if (job.state === 'running') return { view: ticketPrintStatus(db, user, which)!, requeued: false };
    requeue(db, now, job.id);
    audit(db, now, user.id, 'job.retry', 'job', job.id, { via: 'reprint', previousState: job.state, number: target.number });
    const p = JSON.parse(job.payload) as PrintTicketPayload;
    return { view: ticketView(p, 'printing', null, escposPrinter(db)?.label ?? ''), requeued: true };
  }
  const r = await printReprint(deps, user, which, now);
  return { view: r.view, requeued: false };
}

/**
 * A reprint on the thermal printer under pos/prints.ts's rules: refused before anything is sent when the user may not
 * print it; COPIA unless it is the issuer's within 15 minutes; never the drawer; audited after the printer took it
 * (the limit checked again with the audit entry). A printer that fails leaves a view with its sentence, not an error.
 * `uri`: the CLI's --printer.
 */
export async function printReprint(
  deps: ThermalDeps, user: Pick<User, 'id' | 'role'>, which: PrintWhich, now: Date, o: { uri?: string; via?: string } = {},
): Promise<{ view: TicketPrintView; copy: boolean; printed: boolean }> {
  const { db } = deps;
  const target = visibleTarget(db, user, which);
  let printer: EscposPrinter | null;
  try {
    printer = escposPrinter(db, o.uri);
  } catch (e) {
    throw ruleError((e as Error).message);
  }
  if (!printer) throw ruleError('Esta caja no tiene impresora térmica: configúrela en Administración → Impresora o indique --printer.');
  const max = getSetting(db, 'maxReprints');
  const planned = decidePrint(target, user, printCount(db, target.documentId), max, now);
  if (planned.refusal) throw forbidden(planned.refusal);
  try {
    deps.signer.signDocument(target.documentId, now);
  } catch {
    // printed without the QR rather than not at all
  }
  if (printer.layout.qr === 'raster') await loadQrEncoder();
  const bytes = ticketBytes(db, printer, target.documentId, { copy: planned.copy, drawer: false });
  const p: PrintTicketPayload = { documentId: target.documentId, number: target.number, drawer: false, ...which };
  try {
    await printOnThermal(printer, bytes, 'report');
  } catch (e) {
    if (!(e instanceof PrinterError)) throw e;
    return { view: ticketView(p, 'failed', e.message, printer.label), copy: planned.copy, printed: false };
  }
  const done = db.tx(() => {
    const d = decidePrint(target, user, printCount(db, target.documentId), getSetting(db, 'maxReprints'), now, planned.copy);
    audit(db, now, user.id, 'document.print', 'document', target.documentId, {
      ...which, number: target.number, copy: d.copy, format: 'escpos', print: d.printsBefore + 1, printer: printer.label,
      drawer: false, via: o.via ?? 'reprint', ...(d.reprint && d.printsBefore - 1 >= max ? { beyondLimit: max } : {}),
    });
    return d;
  });
  return { view: ticketView(p, 'printed', null, printer.label), copy: done.copy, printed: true };
}
