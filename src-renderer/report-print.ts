// A report's "Imprimir" as the screens finish it (issue 17): the main process printed it on the thermal printer, or
// sent its PDF, which goes to the system printer as before (pdf.ts). One sentence to show either way.
import type { PrintedReport } from '../src-shared/contract';
import { printedText, printPdf } from './pdf';

export type ReportPrintResult = { kind: 'done'; message: string } | { kind: 'failed'; message: string } | { kind: 'none' };

export function thermalText(printer: string): string {
  return `Impreso en la impresora térmica (${printer}).`;
}

/** `openedText`: what to say when a browser opened the PDF instead of printing it. */
export async function finishReportPrint(r: PrintedReport, openedText: string): Promise<ReportPrintResult> {
  if (r.kind === 'none') return { kind: 'none' };
  if (r.kind === 'thermal') return { kind: 'done', message: thermalText(r.printer) };
  const out = await printPdf({ fileName: r.fileName, pdfBase64: r.pdfBase64 });
  if (out.kind === 'failed') return { kind: 'failed', message: out.message };
  return { kind: 'done', message: out.kind === 'printed' ? printedText(out.printer) : openedText };
}
