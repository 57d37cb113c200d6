// The X (mid-shift) and Z (closing) cash reports on the ticket printer's roll, laid out like the sale's ticket: the
// store, the drawer and who opened and closed it, sales by method, each paid-in / paid-out with its reason, refunds,
// and the cash expected against the cash counted.
import type { Db } from '../db/connection';
import type { CashReport } from '../../src-shared/contract';
import { limaDate, limaTime } from '../../src-shared/time';
import { getSetting, localSetting } from '../db/settings';
import { cropPageHeight, newPdf, pdfBuffer } from './pdf';
import { printableCashReport } from './report-model';
import { GEOMETRY, ticketPen } from './ticket';

export { cashReportTitle } from './report-model';

/** The report as a ticket-width PDF; `at` is when it is printed (the X's moment, or a reprint's). */
export async function renderCashReportPdf(db: Db, r: CashReport, opts: { at: Date; copy?: boolean }): Promise<Buffer> {
  const g = GEOMETRY[localSetting(db, 'paperWidth')];
  const p = printableCashReport(r, getSetting(db, 'store'), opts);
  const doc = await newPdf({ size: [g.width, 900 + 30 * (p.body.length + 2)], margin: g.margin, title: p.title, at: opts.at });
  const pen = ticketPen(doc, g);
  const { text, pair, rule } = pen;

  text(p.store.tradeName, { bold: true, size: g.big });
  text(`RUC ${p.store.ruc}`);
  rule();
  text(p.title, { bold: true, size: g.font + 1 });
  if (p.copy) text('COPIA', { bold: true, size: g.big });
  pen.y += 2;
  for (const h of p.header) pair(h.label, h.value);
  if (p.note) text(p.note);
  pair(p.printed.label, p.printed.value);
  rule();

  for (const b of p.body) pair(b.label, b.value, b.bold);
  rule();

  for (const t of p.totals) pair(t.label, t.value, t.bold);
  pen.y += 6;
  if (p.signature) {
    text('Firma del cajero: ____________________', { align: 'left' });
    pen.y += 4;
  }
  cropPageHeight(doc, pen.y + g.margin);
  return pdfBuffer(doc);
}

/** "informe-z-3.pdf", "informe-z-3-COPIA.pdf", "informe-x-CAJA-01-20261127-1542.pdf". */
export function cashReportFileName(r: CashReport, at: Date, copy = false): string {
  if (r.kind === 'Z') return `informe-z-${r.zNumber ?? r.sessionId}${copy ? '-COPIA' : ''}.pdf`;
  return `informe-x-${r.terminalId}-${limaDate(at).replaceAll('-', '')}-${limaTime(at).slice(0, 5).replace(':', '')}.pdf`;
}
