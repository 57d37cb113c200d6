// Printing a document that came through the contract ({ fileName, pdfBase64 }). In the Electron shell it prints
// silently on the configured printer (the preload's `print`); in a browser it opens the PDF, whose viewer prints it.
// Never throws: the sale is already committed, printing can only end in a message and an "Abrir PDF".
import type { PrintedPdf } from '../src-shared/contract';

export function pdfBlob(pdf: PrintedPdf): Blob {
  const bin = atob(pdf.pdfBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

/** Opens the PDF: the system's viewer in the shell; a new tab in a browser, or a download if pop-ups are blocked. */
export function openPdf(pdf: PrintedPdf): void {
  const shell = typeof window !== 'undefined' ? window.izisales : undefined;
  if (shell?.openPdf) {
    void shell.openPdf({ pdfBase64: pdf.pdfBase64, fileName: pdf.fileName }).catch(() => showBlob(pdfBlob(pdf), pdf.fileName, false));
    return;
  }
  openPdfBlob(pdfBlob(pdf), pdf.fileName);
}

/** A PDF already in the page (e.g. fetched from the hub): a new tab, or a download if pop-ups are blocked. */
export function openPdfBlob(blob: Blob, fileName: string): void {
  showBlob(blob, fileName, true);
}

/** In a new tab (`tab`) or, when that is not wanted or pop-ups are blocked, as a download. */
function showBlob(blob: Blob, fileName: string, tab: boolean): void {
  const url = URL.createObjectURL(blob);
  if (!tab || !window.open(url, '_blank')) download(url, fileName);
  // The viewer has loaded it by then; the URL is not needed afterwards.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function download(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export type PrintOutcome =
  | { kind: 'printed'; printer: string }
  | { kind: 'failed'; message: string; pdf: PrintedPdf }
  | { kind: 'opened' };

/** Whether this window can print silently (the Electron shell). */
export function canPrintSilently(): boolean {
  return typeof window !== 'undefined' && typeof window.izisales?.print === 'function';
}

/** The shell prints on the configured printer; a browser opens the PDF. */
export async function printPdf(pdf: PrintedPdf): Promise<PrintOutcome> {
  const print = typeof window !== 'undefined' ? window.izisales?.print : undefined;
  if (!print) {
    openPdf(pdf);
    return { kind: 'opened' };
  }
  try {
    const r = await print({ pdfBase64: pdf.pdfBase64, fileName: pdf.fileName });
    return r.ok ? { kind: 'printed', printer: r.printer } : { kind: 'failed', message: r.message, pdf };
  } catch {
    return { kind: 'failed', message: 'No se pudo imprimir. Use "Abrir PDF" para imprimir desde el visor.', pdf };
  }
}

/** "Impreso en <impresora>" — what the screens say after a silent print. */
export function printedText(printer: string): string {
  return `Impreso en ${printer}.`;
}
