// The X (mid-shift) and Z (closing) cash reports on the ticket printer's roll, laid out like the sale's ticket: the
// store, the drawer and who opened and closed it, sales by method, each paid-in / paid-out with its reason, refunds,
// and the cash expected against the cash counted.
import type { Db } from '../db/connection';
import type { CashReport } from '../../src-shared/contract';
import { CASH_MOVE_LABELS, closedByText, differenceText } from '../../src-shared/cash';
import { formatSoles } from '../../src-shared/decimal';
import { SALE_METHOD_LABELS } from '../../src-shared/documents';
import { formatDatePe, limaDate, limaTime } from '../../src-shared/time';
import { getSetting, localSetting } from '../db/settings';
import { cropPageHeight, newPdf, pdfBuffer } from './pdf';
import { GEOMETRY, ticketPen } from './ticket';

const when = (iso: string): string => `${formatDatePe(limaDate(new Date(iso)))} ${limaTime(new Date(iso)).slice(0, 5)}`;

export function cashReportTitle(r: CashReport): string {
  return r.kind === 'Z' ? `INFORME Z N° ${r.zNumber ?? '—'}` : 'INFORME X (PARCIAL)';
}

/** The report as a ticket-width PDF; `at` is when it is printed (the X's moment, or a reprint's). */
export async function renderCashReportPdf(db: Db, r: CashReport, opts: { at: Date; copy?: boolean }): Promise<Buffer> {
  const g = GEOMETRY[localSetting(db, 'paperWidth')];
  const store = getSetting(db, 'store');
  const doc = await newPdf({ size: [g.width, 900 + 30 * (r.moves.length + r.byMethod.length + 2)], margin: g.margin, title: cashReportTitle(r), at: opts.at });
  const pen = ticketPen(doc, g);
  const { text, pair, rule } = pen;

  text(store.tradeName, { bold: true, size: g.big });
  text(`RUC ${store.ruc}`);
  rule();
  text(cashReportTitle(r), { bold: true, size: g.font + 1 });
  if (opts.copy) text('COPIA', { bold: true, size: g.big });
  pen.y += 2;
  pair('Caja', `${r.terminalId} · ${r.cashier === null ? 'cajón compartido' : `cajón de ${r.cashier}`}`);
  pair('Apertura', `${when(r.openedAt)} · ${r.openedBy}`);
  if (r.closedAt) pair('Cierre', `${when(r.closedAt)} · ${r.closedBy ?? ''}`);
  if (r.onBehalfOf) text(closedByText(r.closedBy, r.onBehalfOf));
  pair('Impreso', when(opts.at.toISOString()));
  rule();

  pair('Fondo inicial', formatSoles(r.openingFloat));
  pair(`Ventas (${r.salesCount})`, formatSoles(r.salesTotal));
  for (const m of r.byMethod) pair(`  ${SALE_METHOD_LABELS[m.method] ?? m.method}`, formatSoles(m.total));
  pair('Ingresos de efectivo', formatSoles(r.cashIn));
  pair('Salidas de efectivo', formatSoles(r.cashOut));
  for (const m of r.moves) pair(`  ${CASH_MOVE_LABELS[m.kind]}: ${m.reason}`, `${m.kind === 'out' ? '-' : ''}${formatSoles(m.amount)}`);
  if (r.collections && r.collections.count > 0) {
    pair(`Cobros de créditos (${r.collections.count})`, formatSoles(r.collections.total));
    pair('  En efectivo (en ingresos)', formatSoles(r.collections.cash));
  }
  pair(`Devoluciones (${r.refundsCount})`, formatSoles(r.refundsTotal));
  pair('  En efectivo (salió de la caja)', formatSoles(r.refundsCash));
  if (r.debitNotesCount > 0) {
    pair(`Notas de débito cobradas (${r.debitNotesCount})`, formatSoles(r.debitNotesTotal));
    pair('  En efectivo (entró a la caja)', formatSoles(r.debitNotesCash));
  }
  rule();

  pair('Efectivo esperado', formatSoles(r.expectedCash), true);
  if (r.counted !== null) {
    pair('Efectivo contado', formatSoles(r.counted), true);
    pair('Diferencia', differenceText(r.difference ?? '0'), true);
  }
  pen.y += 6;
  if (r.kind === 'Z') {
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
