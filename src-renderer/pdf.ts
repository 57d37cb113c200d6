// Printing and reports: opens a PDF that came through the contract ({ fileName, pdfBase64 }) in a new window, from
// which the browser's (or Electron's) viewer prints it. The shell's silent printing is a separate feature.
import type { PrintedPdf } from '../src-shared/contract';

export function pdfBlob(pdf: PrintedPdf): Blob {
  const bin = atob(pdf.pdfBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: 'application/pdf' });
}

/** Same path in the browser and in Electron (window.izisales present): Blob → object URL → window.open. */
export function openPdf(pdf: PrintedPdf): void {
  const url = URL.createObjectURL(pdfBlob(pdf));
  const win = window.open(url, '_blank');
  if (!win) {
    // Pop-up blocked: fall back to a download with the document's file name.
    const a = document.createElement('a');
    a.href = url;
    a.download = pdf.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  // The viewer has loaded it by then; the URL is not needed afterwards.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
