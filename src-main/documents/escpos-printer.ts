// The terminal's thermal printer as the printing code needs it: where the bytes go and how the ticket is laid out,
// read from the settings (`escposPrinter`, `paperWidth`). One reader for tickets, reports, the drawer and the CLI.
import type { Db } from '../db/connection';
import { getSetting, localSetting } from '../db/settings';
import { DEFAULT_ESCPOS_PRINTER, type EscposPrinterSetting } from '../../src-shared/printer';
import { columnsFor, type EscposOptions } from './escpos';
import { describeTarget, parsePrinterUri, sendToPrinter, type PrinterTarget, type SendResult } from './printer-transport';

export interface EscposPrinter {
  setting: EscposPrinterSetting;
  target: PrinterTarget;
  /** How the screen names it: "192.168.1.50:9100", "/dev/usb/lp0", "cola TM-T20". */
  label: string;
  /** Layout options for escposTicket / EscposWriter (no drawer, no copy: the caller adds them). */
  layout: Pick<EscposOptions, 'columns' | 'codePage' | 'qr' | 'cut'>;
}

/**
 * The configured thermal printer, or null when the terminal has none (the PDF path prints). `uri` (the CLI's
 * `--printer`) overrides the address and keeps the rest of the setting; a bad address throws a PrinterError.
 */
export function escposPrinter(db: Db, uri?: string): EscposPrinter | null {
  const stored = getSetting(db, 'escposPrinter');
  if (!stored && uri === undefined) return null;
  const setting: EscposPrinterSetting = { ...DEFAULT_ESCPOS_PRINTER, ...stored, ...(uri !== undefined ? { uri: uri.trim() } : {}) } as EscposPrinterSetting;
  const target = parsePrinterUri(setting.uri);
  return {
    setting,
    target,
    label: describeTarget(target),
    layout: { columns: columnsFor(localSetting(db, 'paperWidth')), codePage: setting.codePage, qr: setting.qr, cut: setting.cut },
  };
}

/**
 * How long a print may take before it is "no responde": a person is waiting at the counter (a report, "Imprimir
 * prueba", a reprint by hand; the runner's ticket job has its own, shorter, jobs/print-ticket.ts). A report asks the status
 * first (paper out or cover open refuse before a byte is sent); the drawer's pulse does not (an empty roll still
 * opens the drawer).
 */
export const THERMAL_TIMEOUTS = {
  report: { connectTimeoutMs: 3000, writeTimeoutMs: 8000, checkStatus: true, statusTimeoutMs: 800 },
  pulse: { connectTimeoutMs: 2000, writeTimeoutMs: 4000 },
} as const;

/** Sends `bytes` to the printer; rejects with its PrinterError (one Spanish sentence). */
export function printOnThermal(printer: EscposPrinter, bytes: Uint8Array, what: keyof typeof THERMAL_TIMEOUTS): Promise<SendResult> {
  return sendToPrinter(printer.target, bytes, THERMAL_TIMEOUTS[what]);
}
