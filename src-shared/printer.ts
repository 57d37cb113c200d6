// The ESC/POS ticket printer of a terminal (issue 17): how its address is written and what the setting holds. Pure,
// shared by the admin screen (to check what is typed), the settings (to refuse a bad one) and the printing code.

export type PrinterTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'device'; path: string }
  | { kind: 'lp'; queue: string };

/** The printer's code page for text: PC850 (most Epson clones) or WPC1252. */
export type CodePage = 'pc850' | 'wpc1252';
export const CODE_PAGES: readonly CodePage[] = ['pc850', 'wpc1252'];

/**
 * The terminal's thermal printer (setting `escposPrinter`; null: the PDF goes to the system printer as before).
 * Paper width is the terminal's `paperWidth` (80 mm: 48 columns, 58 mm: 32).
 */
export interface EscposPrinterSetting {
  /** `tcp://HOST[:9100]`, a device path (`/dev/usb/lp0`, `COM3`) or `lp://QUEUE` (a CUPS raw queue). */
  uri: string;
  codePage: CodePage;
  /** 'native': the printer's own QR command; 'raster': the QR drawn as an image (printers without it). */
  qr: 'native' | 'raster';
  cut: 'full' | 'partial';
}

export const DEFAULT_ESCPOS_PRINTER: Omit<EscposPrinterSetting, 'uri'> = { codePage: 'pc850', qr: 'native', cut: 'partial' };

export const BAD_PRINTER_URI = (uri: string): string =>
  `No se reconoce la impresora «${uri}». Escriba tcp://IP:9100 (red), una ruta como /dev/usb/lp0 (USB o serie) o lp://COLA (CUPS).`;

/** `tcp://HOST[:PORT]` (9100 by default), `lp://QUEUE`, or a device path; null when it is none of them. */
export function printerTargetOf(uri: string): PrinterTarget | null {
  const s = uri.trim();
  const tcp = /^tcp:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?\/?$/i.exec(s);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) return null;
    return { kind: 'tcp', host: tcp[1].replace(/^\[|\]$/g, ''), port };
  }
  const lp = /^lp:\/\/([^\s/]+)\/?$/i.exec(s);
  if (lp) return { kind: 'lp', queue: lp[1] };
  if (/^(\/dev\/\S+|\/\S+|COM\d+|\\\\\.\\COM\d+)$/i.test(s)) return { kind: 'device', path: s };
  return null;
}

export function describeTarget(t: PrinterTarget): string {
  return t.kind === 'tcp' ? `${t.host}:${t.port}` : t.kind === 'device' ? t.path : `cola ${t.queue}`;
}

/** The store's logo as the ticket prints it: one bit per dot (1 = black), rows of ceil(width / 8) bytes, base64. */
export interface TicketLogo { width: number; height: number; bits: string }

/**
 * Where a document's automatic ticket (the `print.ticket` job) stands, as the sale screen shows it: printing (queued
 * or running), printed, or a problem — `retrying` (the runner tries again by itself) or `failed` — with the printer's
 * own sentence ("Impresora sin papel (…)").
 */
export type TicketPrintState = 'printing' | 'printed' | 'retrying' | 'failed';
export interface TicketPrintView {
  saleId: number | null;
  noteId: number | null;
  number: string;
  state: TicketPrintState;
  message: string | null;
  /** The printer as the screen names it ("192.168.1.50:9100"). */
  printer: string;
}

/** What "Imprimir prueba" (and `izisales print test`) answers. */
export interface PrinterTestView {
  ok: boolean;
  /** "Impresión de prueba enviada a 192.168.1.50:9100", or the printer's problem. */
  message: string;
  /** The printer's status (DLE EOT) when it answered: "lista", "sin papel", "papel por acabarse"…; null otherwise. */
  status: string | null;
}

/** Administración → Impresora: the setting, the paper width, and the logo's size (never its bits). */
export interface PrinterAdminView {
  escpos: EscposPrinterSetting | null;
  paperWidth: 80 | 58;
  logo: { width: number; height: number } | null;
}
