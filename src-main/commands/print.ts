// `izisales print ticket NUMBER [--printer URI]` and `izisales print test [--printer URI]` (issue 17): support's tools
// at the counter. A ticket printed from here is a reprint under pos/prints.ts's rules, by the store's first active admin
// as the operator at the machine: always a COPIA (the original is the cashier's, within 15 minutes), never the drawer,
// audited like every print (`via: 'cli'`). Exit 0 printed, 1 refused (no such number, no printer set), 2 bad
// arguments (an address that is not one), 3 the printer failed — with its sentence.
import { createApp, type App } from '../app';
import { resolveDataDir } from '../paths';
import { ApiError } from '../../src-shared/contract';
import { escposPrinter } from '../documents/escpos-printer';
import { parsePrinterUri, PrinterError } from '../documents/printer-transport';
import { localSetting } from '../db/settings';
import { printReprint, printTestTicket } from '../pos/thermal-prints';
import type { PrintWhich } from '../pos/prints';
import { command, noPositionals, parseArgs, UsageError, type Command } from './kit';

export const PRINTER_FAILED = 3;

async function withApp(dataFlag: string | undefined, fn: (app: App) => Promise<number>): Promise<number> {
  const app = createApp({ dataDir: resolveDataDir(dataFlag) });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** "B001-42", "b001-00000042": the sale or the note with that series and number. */
function documentByNumber(app: App, text: string): PrintWhich | null {
  const m = /^([A-Za-z0-9]{4})\s*-\s*(\d{1,8})$/.exec(text.trim());
  if (!m) throw new UsageError(`número no válido: ${text} (escriba SERIE-NÚMERO, p. ej. B001-00000042)`);
  const series = m[1].toUpperCase();
  const correlative = Number(m[2]);
  const db = app.db;
  const sale = db.first(db.q.selectFrom('sales').select('id').where('series', '=', series).where('correlative', '=', correlative));
  if (sale) return { saleId: sale.id };
  const note = db.first(db.q.selectFrom('notes').select('id').where('series', '=', series).where('correlative', '=', correlative));
  return note ? { noteId: note.id } : null;
}

/** The address from --printer, checked before anything is opened. */
function printerFlag(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  try {
    parsePrinterUri(uri);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return uri;
}

export const printTicket: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { printer: 'value' });
  if (rest.length !== 1) throw new UsageError('uso: izisales print ticket SERIE-NÚMERO [--printer URI]');
  const uri = printerFlag(opts.printer);
  return withApp(opts.data, async (app) => {
    const which = documentByNumber(app, rest[0]);
    if (!which) {
      io.stderr(`izisales: no existe el comprobante ${rest[0]} en este equipo.\n`);
      return 1;
    }
    const operator = app.db.first(app.db.q.selectFrom('users').select(['id', 'role']).where('role', '=', 'admin').where('active', '=', 1).orderBy('id').limit(1));
    if (!operator) {
      io.stderr('izisales: la tienda no tiene un administrador activo que registre la reimpresión.\n');
      return 1;
    }
    try {
      const r = await printReprint(app, operator, which, app.clock.now(), { uri, via: 'cli' });
      if (!r.printed) {
        io.stderr(`izisales: ${r.view.message}\n`);
        return PRINTER_FAILED;
      }
      io.stdout(`${r.view.number}${r.copy ? ' (COPIA)' : ''} impreso en ${r.view.printer}.\n`);
      return 0;
    } catch (e) {
      if (e instanceof ApiError) {
        io.stderr(`izisales: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  });
});

export const printTest: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { printer: 'value' });
  noPositionals(rest);
  const uri = printerFlag(opts.printer);
  return withApp(opts.data, async (app) => {
    let printer;
    try {
      printer = escposPrinter(app.db, uri);
    } catch (e) {
      if (e instanceof PrinterError) {
        io.stderr(`izisales: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    if (!printer) {
      io.stderr('izisales: esta caja no tiene impresora térmica: configúrela en Administración → Impresora o indique --printer tcp://IP:9100.\n');
      return 1;
    }
    const r = await printTestTicket(app.db, { ...printer.setting, paperWidth: localSetting(app.db, 'paperWidth') });
    if (!r.ok) {
      io.stderr(`izisales: ${r.message}\n`);
      return PRINTER_FAILED;
    }
    io.stdout(`${r.message}${r.status ? ` (estado: ${r.status})` : ''}.\n`);
    return 0;
  });
});

export const commands: Record<string, Command> = { 'print ticket': printTicket, 'print test': printTest };
