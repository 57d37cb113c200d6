// The daily report on A4, in Spanish: summary, SUNAT outcome, money by type / method / cashier, cash sessions and
// the documents that still need attention with their last error.
import { formatSoles } from '../../src-shared/decimal';
import { SUNAT_STATUS_LABELS, type SunatStatus } from '../../src-shared/documents';
import { formatDatePe, limaDate, limaTime } from '../../src-shared/time';
import type { DailyReport } from '../../src-shared/reports';
import { newPdf, pdfBuffer } from './pdf';
import { dailyPeriod, dailySummaryRows } from './report-model';

const MARGIN = 40;
const W = 595.28 - 2 * MARGIN;
const BOTTOM = 841.89 - MARGIN;

const when = (iso: string | null): string => (iso ? `${formatDatePe(limaDate(new Date(iso)))} ${limaTime(new Date(iso)).slice(0, 5)}` : '—');
const sol = (v: string | null): string => (v === null ? '—' : formatSoles(v));

export async function renderReportPdf(r: DailyReport): Promise<Buffer> {
  const period = dailyPeriod(r);
  const doc = await newPdf({ size: 'A4', margin: MARGIN, title: `Reporte diario ${period}`, at: new Date(r.generatedAt) });
  let y = MARGIN;

  const ensure = (h: number) => {
    if (y + h > BOTTOM) {
      doc.addPage();
      y = MARGIN;
    }
  };
  const heading = (s: string) => {
    ensure(40);
    y += 8;
    doc.font('Helvetica-Bold').fontSize(11).text(s, MARGIN, y, { width: W });
    y = doc.y + 3;
  };
  /** A table: column widths as fractions of the page width; the first row is the header. */
  const table = (widths: number[], rows: string[][], align: ('left' | 'right')[]) => {
    rows.forEach((cells, i) => {
      ensure(14);
      doc.font(i === 0 ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
      let x = MARGIN;
      let bottom = y;
      cells.forEach((c, k) => {
        const w = widths[k] * W;
        doc.text(c, x + 2, y, { width: w - 4, align: align[k] ?? 'left' });
        bottom = Math.max(bottom, doc.y);
        x += w;
      });
      y = bottom + 2;
      if (i === 0) {
        doc.moveTo(MARGIN, y).lineTo(MARGIN + W, y).lineWidth(0.5).stroke();
        y += 3;
      }
    });
  };

  doc.font('Helvetica-Bold').fontSize(15).text(`Reporte diario de comprobantes — ${period}`, MARGIN, y, { width: W });
  // The hub's report of a store or the chain says what it covers and its tills (r.scope); a till's own, its store.
  const who = r.scope ? r.scope.title : `${r.store.name} — RUC ${r.store.ruc}`;
  doc.font('Helvetica').fontSize(9).text(`${who}   ·   Generado: ${when(r.generatedAt)}`, MARGIN, doc.y + 2, { width: W });
  if (r.scope && r.scope.terminals.length > 0) doc.text(`Cajas: ${r.scope.terminals.join(', ')}`, MARGIN, doc.y + 1, { width: W });
  y = doc.y + 6;

  heading('Resumen');
  table([0.5, 0.5], [['Concepto', 'Valor'], ...dailySummaryRows(r).map((row) => [row.label, row.value])], ['left', 'right']);

  heading('Por tipo de comprobante');
  table([0.26, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.14], [
    ['Tipo', 'Emitidos', 'Aceptados', 'Observ.', 'Rechaz.', 'Error', 'Pend.', 'Total'],
    ...Object.values(r.byDocumentType).map((t) => [t.label, String(t.issued), String(t.accepted), String(t.observed), String(t.rejected), String(t.error), String(t.pending), sol(t.total)]),
  ], ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']);

  heading('Por medio de pago');
  table([0.5, 0.2, 0.3], [
    ['Medio de pago', 'Pagos', 'Total'],
    ...Object.values(r.byPaymentMethod).map((m) => [m.label, String(m.count), sol(m.total)]),
  ], ['left', 'right', 'right']);

  heading('Por cajero');
  table([0.5, 0.2, 0.3], [['Cajero', 'Ventas', 'Total'], ...r.byCashier.map((c) => [c.name, String(c.count), sol(c.total)])], ['left', 'right', 'right']);

  heading(r.scope ? 'Sesiones de caja (Caja: el nombre de la caja en la central)' : 'Sesiones de caja');
  table([0.1, 0.14, 0.16, 0.14, 0.14, 0.08, 0.12, 0.12], [
    ['Caja', 'Cajero', 'Apertura', 'Cierre', 'Esperado', 'Z', 'Contado', 'Diferencia'],
    ...r.cashSessions.map((s) => [s.terminalId, s.cashier, when(s.openedAt), when(s.closedAt), sol(s.expected), s.zNumber === null ? '—' : String(s.zNumber), sol(s.counted), sol(s.difference)]),
  ], ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right']);

  heading(`Comprobantes no aceptados (${r.notAcceptedCount})`);
  if (r.notAccepted.length === 0) {
    doc.font('Helvetica').fontSize(9).text('Ninguno.', MARGIN, y, { width: W });
    y = doc.y;
  } else {
    table([0.18, 0.12, 0.2, 0.5], [
      ['Número', 'Fecha', 'Estado', 'Último error'],
      ...r.notAccepted.map((d) => [d.number, formatDatePe(d.issueDate), SUNAT_STATUS_LABELS[d.status as SunatStatus] ?? d.status, [d.cdrCode, d.cdrDescription ?? d.lastError].filter(Boolean).join(' — ') || '—']),
    ], ['left', 'left', 'left', 'left']);
    if (r.notAccepted.length < r.notAcceptedCount) {
      ensure(14);
      doc.font('Helvetica').fontSize(8.5).text(`… y ${r.notAcceptedCount - r.notAccepted.length} más (vea el reporte JSON o la cola de envíos).`, MARGIN, y, { width: W });
    }
  }
  return pdfBuffer(doc);
}

