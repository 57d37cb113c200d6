// Silent printing in the shell, everything that needs no Electron: which printer, the page size, the spooler's
// command line and the Spanish messages when it fails. The PDF goes to the OS spooler where there is one we can trust
// (CUPS `lp` on Linux and macOS: it takes PDF natively); on Windows the shell prints it with Electron's
// webContents.print on a hidden window (see docs/ARCHITECTURE.md, "Printing", for why).
import { execFile } from 'node:child_process';

export type PaperWidth = 80 | 58;
export type PrintMethod = 'lp' | 'electron';

/** Points (1/72 in) per micron: Electron's custom page sizes are in microns, PDF sizes in points. */
const MICRONS_PER_POINT = 25_400 / 72;
/** Electron refuses custom page sizes under 353 microns a side. */
const MIN_MICRONS = 353;
const A4 = { width: 210_000, height: 297_000 };

export interface PdfPageSize {
  widthPt: number;
  heightPt: number;
}

/**
 * The first page's size from its MediaBox. pdfkit writes page dictionaries uncompressed (only content streams are
 * deflated), and the ticket's page is cropped to its content by raising the MediaBox's lower edge.
 */
export function pdfPageSize(pdf: Uint8Array): PdfPageSize | null {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) return null;
  const m = /\/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]/.exec(text);
  if (!m) return null;
  const [x1, y1, x2, y2] = m.slice(1).map(Number);
  const widthPt = Math.abs(x2 - x1);
  const heightPt = Math.abs(y2 - y1);
  return widthPt > 0 && heightPt > 0 ? { widthPt, heightPt } : null;
}

export type DocumentLayout = 'ticket' | 'a4';

/** A page as wide as a roll (80 or 58 mm, give or take a millimetre) is a ticket; anything wider is A4. */
export function layoutOf(size: PdfPageSize): DocumentLayout {
  return size.widthPt * MICRONS_PER_POINT <= 81_000 ? 'ticket' : 'a4';
}

/** The page in microns: a ticket is the roll's width by the PDF's own (cropped) height; A4 is A4. */
export function pageMicrons(layout: DocumentLayout, paperWidth: PaperWidth, size: PdfPageSize): { width: number; height: number } {
  if (layout === 'a4') return { ...A4 };
  return {
    width: paperWidth * 1000,
    height: Math.max(MIN_MICRONS, Math.ceil(size.heightPt * MICRONS_PER_POINT)),
  };
}

/** CUPS' name for the page: a custom size in millimetres for a roll (`Custom.80x143.5mm`), `A4` for A4. */
export function cupsMedia(layout: DocumentLayout, microns: { width: number; height: number }): string {
  if (layout === 'a4') return 'A4';
  const mm = (n: number) => String(Math.round(n / 100) / 10);
  return `Custom.${mm(microns.width)}x${mm(microns.height)}mm`;
}

export interface SpoolCommand {
  file: string;
  args: string[];
}

/**
 * `lp` for one PDF: `-d` only when a printer is named (else CUPS' default destination), the page as media, printed
 * at its own size (never shrunk to fit), and `--` before the file so no name is read as an option.
 */
export function lpCommand(opts: { printer: string | null; media: string; title: string; file: string }): SpoolCommand {
  const args: string[] = [];
  if (opts.printer) args.push('-d', opts.printer);
  args.push('-t', opts.title, '-n', '1', '-o', `media=${opts.media}`, '-o', 'print-scaling=none', '--', opts.file);
  return { file: 'lp', args };
}

/** What Electron's webContents.print takes for the same page (Windows). */
export interface ElectronPrintOptions {
  silent: true;
  printBackground: true;
  deviceName?: string;
  pageSize: { width: number; height: number };
  margins: { marginType: 'none' };
  copies: 1;
}

export interface PrintPlan {
  method: PrintMethod;
  layout: DocumentLayout;
  /** The system name of the printer; null for the system's default printer. */
  printer: string | null;
  /** How the screens name it: "Impreso en <label>". */
  printerLabel: string;
  pageMicrons: { width: number; height: number };
  /** For `lp`. */
  command?: SpoolCommand;
  /** For Electron's print. */
  electron?: ElectronPrintOptions;
}

export class PrintError extends Error {}

export const DEFAULT_PRINTER_LABEL = 'la impresora predeterminada';

/**
 * The whole decision for one document. Tickets go to the configured ticket printer (the system default when none is
 * set); A4 documents (notes, an A4 copy) go to the system's default printer, never to a receipt roll.
 */
export function planPrint(input: {
  platform: NodeJS.Platform;
  printerName: string;
  paperWidth: PaperWidth;
  pdf: Uint8Array;
  title: string;
  /** Where the PDF was written for the spooler. */
  file: string;
}): PrintPlan {
  const size = pdfPageSize(input.pdf);
  if (!size) throw new PrintError('El documento a imprimir no es un PDF válido. Use "Abrir PDF" e imprímalo desde el visor.');
  const layout = layoutOf(size);
  const named = input.printerName.trim();
  const printer = layout === 'ticket' && named !== '' ? named : null;
  const microns = pageMicrons(layout, input.paperWidth, size);
  const base = { layout, printer, printerLabel: printer ?? DEFAULT_PRINTER_LABEL, pageMicrons: microns };
  if (input.platform === 'win32') {
    return {
      ...base,
      method: 'electron',
      electron: {
        silent: true, printBackground: true, ...(printer ? { deviceName: printer } : {}), pageSize: microns,
        margins: { marginType: 'none' }, copies: 1,
      },
    };
  }
  return { ...base, method: 'lp', command: lpCommand({ printer, media: cupsMedia(layout, microns), title: input.title, file: input.file }) };
}

/** A failed `lp` (or its absence) in words the cashier can act on. */
export function spoolerErrorMessage(failure: { code?: string | number | null; stderr?: string; timedOut?: boolean }, printer: string | null): string {
  const named = printer ? `«${printer}»` : null;
  const stderr = (failure.stderr ?? '').toLowerCase();
  if (failure.code === 'ENOENT') {
    return 'No se encontró el sistema de impresión (CUPS, comando "lp") en este equipo. Instálelo o use "Abrir PDF" para imprimir desde el visor.';
  }
  if (failure.timedOut) return `La impresora ${named ?? 'predeterminada'} no respondió a tiempo. Revise que esté encendida y use "Abrir PDF" si hace falta.`;
  if (/does not exist|no existe|not found|unknown printer|no such/.test(stderr)) {
    return `La impresora ${named ?? 'predeterminada'} no existe en este equipo. Revise el nombre en Administración → Tienda y SUNAT (Impresora) o use "Abrir PDF".`;
  }
  if (/no default destination|no hay destino predeterminado|no default/.test(stderr)) {
    return 'Este equipo no tiene una impresora predeterminada. Indique la impresora de tickets en Administración → Tienda y SUNAT o use "Abrir PDF".';
  }
  if (/not accepting|disabled|paused|rejecting/.test(stderr)) {
    return `La impresora ${named ?? 'predeterminada'} no está aceptando trabajos (pausada o deshabilitada). Reactívela o use "Abrir PDF".`;
  }
  if (/scheduler is not running|unable to connect|connection refused|bad file descriptor/.test(stderr)) {
    return 'El servicio de impresión (CUPS) no está funcionando. Reinicie el equipo o el servicio de impresión, o use "Abrir PDF".';
  }
  return `No se pudo imprimir en ${named ?? DEFAULT_PRINTER_LABEL}. Revise la impresora o use "Abrir PDF".`;
}

/** Electron's print callback reasons ("Invalid printer settings", "Print job canceled", "Print job failed"). */
export function electronPrintErrorMessage(reason: string, printer: string | null): string {
  const named = printer ? `«${printer}»` : 'predeterminada';
  if (/invalid printer settings|invalid deviceName|printer not found|no printers/i.test(reason)) {
    return `La impresora ${named} no existe en este equipo o no acepta ese tamaño de papel. Revise el nombre en Administración → Tienda y SUNAT (Impresora) o use "Abrir PDF".`;
  }
  if (/cancel/i.test(reason)) return 'Se canceló la impresión. Vuelva a imprimir o use "Abrir PDF".';
  if (/timed? ?out|no respondió/i.test(reason)) return `La impresora ${named} no respondió a tiempo. Revise que esté encendida y use "Abrir PDF" si hace falta.`;
  return `No se pudo imprimir en la impresora ${named}. Revise la impresora o use "Abrir PDF".`;
}

/**
 * The system name of the configured printer among the installed ones (Electron's getPrintersAsync on Windows), by its
 * system name or its friendly name, ignoring case; null when it is not installed. Electron wants the system name.
 */
export function findPrinter(printers: readonly { name: string; displayName?: string }[], wanted: string): string | null {
  const w = wanted.trim().toLowerCase();
  const hit = printers.find((p) => p.name.toLowerCase() === w) ?? printers.find((p) => (p.displayName ?? '').toLowerCase() === w);
  return hit ? hit.name : null;
}

/** The message when the configured printer is not installed (checked before printing where the platform lets us). */
export function missingPrinterMessage(printer: string): string {
  return `La impresora «${printer}» no existe en este equipo. Revise el nombre en Administración → Tienda y SUNAT (Impresora) o use "Abrir PDF".`;
}

export type PrintOutcome = { ok: true; printer: string } | { ok: false; message: string };

/** Hands the PDF to `lp` (a real process, no shell: arguments are never parsed by one). Never throws. */
export function spool(plan: PrintPlan, opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<PrintOutcome> {
  const cmd = plan.command;
  if (!cmd) return Promise.resolve({ ok: false, message: spoolerErrorMessage({}, plan.printer) });
  return new Promise((resolve) => {
    execFile(cmd.file, cmd.args, { timeout: opts.timeoutMs ?? 15_000, env: opts.env ?? process.env, windowsHide: true }, (err, _stdout, stderr) => {
      if (!err) return resolve({ ok: true, printer: plan.printerLabel });
      const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
      resolve({ ok: false, message: spoolerErrorMessage({ code: e.code, stderr: String(stderr ?? ''), timedOut: e.killed === true && !!e.signal }, plan.printer) });
    });
  });
}
