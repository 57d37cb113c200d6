// The X/Z cash reports and the daily summary as ESC/POS bytes for the thermal printer (issue 17): the same rows as
// their PDFs (report-model.ts), written with the ticket's EscposWriter — the printer's code page, 48 or 32 columns,
// a cut. A report never opens the drawer. Pure: where the bytes go is printer-transport.ts.
import type { DailyReport } from '../../src-shared/reports';
import { EscposWriter, type EscposOptions } from './escpos';
import { dailyCashierRows, dailyMethodRows, dailyPeriod, dailySessionBlocks, dailySummaryRows, when, type PrintableCashReport, type ReportRow } from './report-model';

export type ReportLayout = Pick<EscposOptions, 'columns' | 'codePage' | 'cut' | 'feed'>;

const writer = (o: ReportLayout) => new EscposWriter(o.columns ?? 48, o.codePage ?? 'pc850');
const rows = (w: EscposWriter, list: ReportRow[]) => {
  for (const r of list) w.pair(r.label, r.value, r.bold);
};

export function escposCashReport(p: PrintableCashReport, o: ReportLayout = {}): Uint8Array {
  const w = writer(o);
  w.text(p.store.tradeName, { bold: true, align: 'center', double: 'height' });
  w.text(`RUC ${p.store.ruc}`, { align: 'center' });
  w.rule();
  w.text(p.title, { bold: true, align: 'center', double: 'height' });
  if (p.copy) w.text('COPIA', { bold: true, align: 'center', double: 'both' });
  rows(w, p.header);
  if (p.note) w.text(p.note);
  rows(w, [p.printed]);
  w.rule();
  rows(w, p.body);
  w.rule();
  rows(w, p.totals);
  if (p.signature) {
    w.line('');
    w.line('');
    w.line(`Firma del cajero: ${'_'.repeat(Math.max(4, w.columns - 18))}`);
  }
  return w.finish({ feed: o.feed, cut: o.cut }).bytes();
}

export function escposDailyReport(r: DailyReport, o: ReportLayout = {}): Uint8Array {
  const w = writer(o);
  w.text(r.store.name, { bold: true, align: 'center', double: 'height' });
  w.text(`RUC ${r.store.ruc}`, { align: 'center' });
  w.rule();
  w.text('REPORTE DIARIO', { bold: true, align: 'center', double: 'height' });
  w.text(dailyPeriod(r), { bold: true, align: 'center' });
  w.pair('Generado', when(r.generatedAt));
  w.rule();
  rows(w, dailySummaryRows(r));
  const section = (title: string, list: ReportRow[]) => {
    if (list.length === 0) return;
    w.rule();
    w.text(title, { bold: true });
    rows(w, list);
  };
  section('Por medio de pago', dailyMethodRows(r));
  section('Por cajero', dailyCashierRows(r));
  const sessions = dailySessionBlocks(r);
  if (sessions.length > 0) {
    w.rule();
    w.text('Sesiones de caja', { bold: true });
    for (const s of sessions) {
      w.text(s.title);
      rows(w, s.rows);
    }
  }
  w.rule();
  w.pair('Comprobantes no aceptados', String(r.notAcceptedCount), r.notAcceptedCount > 0);
  return w.finish({ feed: o.feed, cut: o.cut }).bytes();
}
