// The shell's security settings (DESIGN §6), kept free of `electron` imports so tests can read them on plain Node.
import path from 'node:path';

/** What every window of the shell has: isolated, sandboxed, no Node, web security on. */
const LOCKED_DOWN = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
} as const;

export function windowWebPreferences(preloadFile: string) {
  return {
    ...LOCKED_DOWN,
    spellcheck: false,
    preload: path.resolve(preloadFile),
  } as const;
}

/** Only the app's own bundled page may be shown; everything else is refused. */
export function isAllowedUrl(url: string, rendererIndex: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'file:' && path.resolve(decodeURIComponent(u.pathname)) === path.resolve(rendererIndex);
  } catch {
    return false;
  }
}

/** Every option of the main window; the web preferences above are never loosened here. */
export function mainWindowOptions(preloadFile: string, bounds: { x?: number; y?: number; width: number; height: number }) {
  return {
    ...bounds,
    minWidth: 800,
    minHeight: 600,
    title: 'iziSales',
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    webPreferences: windowWebPreferences(preloadFile),
  };
}

// The preload (sandboxed, no Node modules) repeats these names: keep both in step.
export const IPC_CALL = 'izisales:call';
export const IPC_EVENT = 'izisales:event';
/** main → renderer: a question (e.g. 'paymentOpen') with an id; renderer → main: the answer with that id. */
export const IPC_ASK = 'izisales:ask';
export const IPC_ANSWER = 'izisales:answer';
/** renderer → main: print a PDF silently on the configured printer; open a PDF in the system's viewer. */
export const IPC_PRINT = 'izisales:print';
export const IPC_OPEN_PDF = 'izisales:open-pdf';

/** The largest PDF the renderer may hand over for printing or opening (a ticket is a few KB, a long A4 far less). */
export const MAX_PRINT_BYTES = 10 * 1024 * 1024;

/**
 * The hidden window that prints a PDF on Windows: no preload, no Node, sandboxed, in its own in-memory session (the
 * app's CSP hook must not reach Chromium's PDF viewer), with the PDF viewer plugin on — it renders the page to print.
 */
export function printWindowOptions() {
  return {
    show: false,
    width: 400,
    height: 800,
    webPreferences: {
      ...LOCKED_DOWN,
      plugins: true,
      partition: 'izisales-print',
    },
  } as const;
}

/** The bytes of a PDF sent by the renderer, or null if they are not one (checked before anything is written). */
export function pdfFromRenderer(pdfBase64: unknown): Buffer | null {
  if (typeof pdfBase64 !== 'string' || pdfBase64.length === 0 || pdfBase64.length > (MAX_PRINT_BYTES * 4) / 3 + 4) return null;
  const bytes = Buffer.from(pdfBase64, 'base64');
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? bytes : null;
}

/** A safe temporary file name for a PDF: the renderer's name reduced to letters, digits, dash and dot. */
export function printFileName(fileName: unknown): string {
  const base = typeof fileName === 'string' ? fileName.replace(/\.pdf$/i, '').replace(/[^\w.-]+/g, '_').replace(/^\.+/, '').slice(0, 80) : '';
  return `${base || 'documento'}.pdf`;
}
