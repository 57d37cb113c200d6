// What a printed report shows, once: the X/Z cash report and the daily summary as rows of label and value, in order.
// Two renderers draw from it — the PDF (cash-report-pdf.ts, report-pdf.ts) and the thermal printer's ESC/POS
// (report-escpos.ts) — as the ticket's PDF and ESC/POS both draw from printable.ts, so both papers say the same.
import type { CashReport } from '../../src-shared/contract';
import type { DailyReport } from '../../src-shared/reports';
import { CASH_MOVE_LABELS, closedByText, differenceText } from '../../src-shared/cash';
import { formatSoles } from '../../src-shared/decimal';
import { SALE_METHOD_LABELS } from '../../src-shared/documents';
import { formatDatePe, limaDate, limaTime } from '../../src-shared/time';

/** A label on the left, its value on the right; `bold` for the totals that matter. */
export interface ReportRow { label: string; value: string; bold?: boolean }

const row = (label: string, value: string, bold = false): ReportRow => (bold ? { label, value, bold } : { label, value });

export const when = (iso: string): string => `${formatDatePe(limaDate(new Date(iso)))} ${limaTime(new Date(iso)).slice(0, 5)}`;

export function cashReportTitle(r: CashReport): string {
  return r.kind === 'Z' ? `INFORME Z N° ${r.zNumber ?? '—'}` : 'INFORME X (PARCIAL)';
}

/** "Aperturas de cajón sin venta: N" — the Z's count of the drawer opened by hand (issue 17). */
export const NO_SALE_OPENINGS_LABEL = 'Aperturas de cajón sin venta';
export const MOVE_OPENINGS_LABEL = 'Aperturas por ingresos/salidas';

export interface PrintableCashReport {
  store: { tradeName: string; ruc: string };
  title: string;
  copy: boolean;
  /** Which drawer, who opened and who closed it. */
  header: ReportRow[];
  /** A manager's close for a cashier: "Cerrada por … en lugar de …". */
  note: string | null;
  /** When this paper was printed. */
  printed: ReportRow;
  body: ReportRow[];
  totals: ReportRow[];
  signature: boolean;
}

/** The X or Z as it prints; `at` is when it is printed (the X's moment, or a reprint's). */
export function printableCashReport(r: CashReport, store: { tradeName: string; ruc: string }, o: { at: Date; copy?: boolean }): PrintableCashReport {
  const header = [
    row('Caja', `${r.terminalId} · ${r.cashier === null ? 'cajón compartido' : `cajón de ${r.cashier}`}`),
    row('Apertura', `${when(r.openedAt)} · ${r.openedBy}`),
    ...(r.closedAt ? [row('Cierre', `${when(r.closedAt)} · ${r.closedBy ?? ''}`)] : []),
  ];
  const body: ReportRow[] = [
    row('Fondo inicial', formatSoles(r.openingFloat)),
    row(`Ventas (${r.salesCount})`, formatSoles(r.salesTotal)),
    ...r.byMethod.map((m) => row(`  ${SALE_METHOD_LABELS[m.method] ?? m.method}`, formatSoles(m.total))),
    row('Ingresos de efectivo', formatSoles(r.cashIn)),
    row('Salidas de efectivo', formatSoles(r.cashOut)),
    ...r.moves.map((m) => row(`  ${CASH_MOVE_LABELS[m.kind]}: ${m.reason}`, `${m.kind === 'out' ? '-' : ''}${formatSoles(m.amount)}`)),
  ];
  if (r.collections && r.collections.count > 0) {
    body.push(row(`Cobros de créditos (${r.collections.count})`, formatSoles(r.collections.total)));
    body.push(row('  En efectivo (en ingresos)', formatSoles(r.collections.cash)));
  }
  body.push(row(`Devoluciones (${r.refundsCount})`, formatSoles(r.refundsTotal)));
  body.push(row('  En efectivo (salió de la caja)', formatSoles(r.refundsCash)));
  if (r.debitNotesCount > 0) {
    body.push(row(`Notas de débito cobradas (${r.debitNotesCount})`, formatSoles(r.debitNotesTotal)));
    body.push(row('  En efectivo (entró a la caja)', formatSoles(r.debitNotesCash)));
  }
  // A Z kept before the drawer's openings were counted (migration 018) has no such figure: nothing is said then.
  if (r.drawerOpenings) {
    body.push(row(NO_SALE_OPENINGS_LABEL, String(r.drawerOpenings.noSale)));
    if (r.drawerOpenings.moves > 0) body.push(row(MOVE_OPENINGS_LABEL, String(r.drawerOpenings.moves)));
  }
  const totals = [row('Efectivo esperado', formatSoles(r.expectedCash), true)];
  if (r.counted !== null) {
    totals.push(row('Efectivo contado', formatSoles(r.counted), true));
    totals.push(row('Diferencia', differenceText(r.difference ?? '0'), true));
  }
  return {
    store: { tradeName: store.tradeName, ruc: store.ruc }, title: cashReportTitle(r), copy: !!o.copy, header,
    note: r.onBehalfOf ? closedByText(r.closedBy, r.onBehalfOf) : null,
    printed: row('Impreso', when(o.at.toISOString())), body, totals, signature: r.kind === 'Z',
  };
}

// ---- the daily report ----

const sol = (v: string | null): string => (v === null ? '—' : formatSoles(v));

export function dailyPeriod(r: Pick<DailyReport, 'from' | 'to'>): string {
  return r.from === r.to ? formatDatePe(r.from) : `${formatDatePe(r.from)} al ${formatDatePe(r.to)}`;
}

/** The summary of the day: the A4's "Resumen" table and the top of the roll. */
export function dailySummaryRows(r: DailyReport): ReportRow[] {
  return [
    row('Comprobantes emitidos', String(r.issued)),
    row('Aceptados', String(r.accepted)),
    row('Aceptados con observaciones', String(r.observed)),
    // A stored report from before issue 13 has no such field: nothing to say then.
    ...((r.acceptedBySimulator ?? 0) > 0 ? [row('De ellos, aceptados por el simulador (sin validez)', String(r.acceptedBySimulator))] : []),
    row('Rechazados', String(r.rejected)),
    row('Con error de envío', String(r.error)),
    row('Pendientes de envío', String(r.pending)),
    row('Anulados', String(r.voided)),
    row('Porcentaje de éxito', r.successRate === null ? '—' : `${r.successRate.toFixed(2)} %`),
    row('Ventas', String(r.salesCount)),
    row('Total facturado', sol(r.totalBilled), true),
    row('Notas de crédito (devoluciones)', `${r.creditNotes.count} (${sol(r.creditNotes.total)})`),
    // A stored report from before debit notes has no such field.
    ...((r.debitNotes?.count ?? 0) > 0 ? [row('Notas de débito (cargos)', `${r.debitNotes.count} (${sol(r.debitNotes.total)})`)] : []),
    row('Neto', sol(r.netBilled), true),
    ...(r.collections && r.collections.count > 0 ? [row('Cobros de ventas al crédito', `${r.collections.count} (${sol(r.collections.total)}; efectivo ${sol(r.collections.cash)})`)] : []),
    row('Ventas anuladas', `${r.cancelled.count} (${sol(r.cancelled.total)})`),
  ];
}

/** "Efectivo: 12 · S/ 340.00" rows, one per payment method. */
export function dailyMethodRows(r: DailyReport): ReportRow[] {
  return Object.values(r.byPaymentMethod).map((m) => row(`${m.label} (${m.count})`, sol(m.total)));
}

export function dailyCashierRows(r: DailyReport): ReportRow[] {
  return r.byCashier.map((c) => row(`${c.name} (${c.count})`, sol(c.total)));
}

/** One block per cash session: which drawer and its Z, then expected, counted and the difference. */
export function dailySessionBlocks(r: DailyReport): { title: string; rows: ReportRow[] }[] {
  return r.cashSessions.map((s) => ({
    title: `${s.terminalId} · ${s.cashier} · ${s.zNumber === null ? 'abierta' : `Z N° ${s.zNumber}`}`,
    rows: [
      row('  Apertura', when(s.openedAt)),
      row('  Cierre', s.closedAt ? when(s.closedAt) : '—'),
      row('  Esperado', sol(s.expected)),
      row('  Contado', sol(s.counted)),
      row('  Diferencia', s.difference === null ? '—' : differenceText(s.difference)),
    ],
  }));
}
