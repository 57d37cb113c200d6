// `izisales report daily`, `files archive`, `logs export`: the periodic jobs' work on demand, and the support bundle.
import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../app';
import { databaseFile, resolveDataDir } from '../paths';
import { formatSoles } from '../../src-shared/decimal';
import { formatDatePe, isIsoDate, limaDate } from '../../src-shared/time';
import { dailyReport, type DailyReport } from '../reports/daily';
import { renderReportPdf } from '../documents/report-pdf';
import { archiveFiles } from '../files/archive-write';
import { exportLogs } from '../logs/export';
import { command, noPositionals, parseArgs, UsageError, type Command } from './kit';

async function withExistingApp<T>(dataFlag: string | undefined, fn: (app: App) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(dataFlag);
  if (!fs.existsSync(databaseFile(dataDir))) throw new Error(`No hay base de datos en ${dataDir}`);
  const app = createApp({ dataDir });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function flags(argv: string[], known: Parameters<typeof parseArgs>[1]): Record<string, string> {
  const { opts, rest } = parseArgs(argv, known);
  noPositionals(rest);
  return opts;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function reportText(r: DailyReport): string {
  const lines = [
    `Reporte diario ${formatDatePe(r.date)} — ${r.store.name} (RUC ${r.store.ruc})`,
    `Comprobantes emitidos: ${r.issued}  aceptados ${r.accepted} · observados ${r.observed} · rechazados ${r.rejected} · con error ${r.error} · pendientes ${r.pending} · anulados ${r.voided}`,
    `Porcentaje de éxito: ${r.successRate === null ? '—' : `${r.successRate.toFixed(2)} %`}`,
    `Total facturado: ${formatSoles(r.totalBilled)} en ${r.salesCount} ventas (anuladas: ${r.cancelled.count}, ${formatSoles(r.cancelled.total)})`,
    `Notas de crédito: ${r.creditNotes.count} por ${formatSoles(r.creditNotes.total)}${(r.debitNotes?.count ?? 0) > 0 ? `; notas de débito: ${r.debitNotes.count} por ${formatSoles(r.debitNotes.total)}` : ''}; neto ${formatSoles(r.netBilled)}`,
    ...Object.values(r.byDocumentType).map((t) => `  ${t.label}: ${t.issued} emitidos, ${formatSoles(t.total)}`),
    'Por medio de pago:',
    ...Object.values(r.byPaymentMethod).map((m) => `  ${m.label}: ${formatSoles(m.total)} (${m.count})`),
    'Por cajero:',
    ...r.byCashier.map((c) => `  ${c.name}: ${formatSoles(c.total)} (${c.count})`),
    'Sesiones de caja:',
    ...r.cashSessions.map((s) => `  ${s.terminalId} ${s.cashier}: ${s.closedAt ? `diferencia ${s.difference === null ? '—' : formatSoles(s.difference)}` : 'abierta'}`),
    `No aceptados: ${r.notAcceptedCount}`,
    ...r.notAccepted.map((d) => `  ${d.number} ${d.status}${d.lastError ? ` — ${d.lastError}` : ''}`),
  ];
  return lines.join('\n') + '\n';
}

export const reportDaily: Command = command(async (argv, io) => {
  const o = flags(argv, { date: 'value', json: 'flag', pdf: 'value' });
  if (o.date !== undefined && !isIsoDate(o.date)) throw new UsageError(`--date no válida: ${o.date} (use AAAA-MM-DD)`);
  return withExistingApp(o.data, async (app) => {
    const r = dailyReport(app.db, o.date ?? limaDate(app.clock.now()), app.clock.now());
    if (o.pdf) {
      fs.mkdirSync(path.dirname(path.resolve(o.pdf)), { recursive: true });
      fs.writeFileSync(o.pdf, await renderReportPdf(r));
    }
    io.stdout(o.json ? JSON.stringify(r) + '\n' : reportText(r));
    if (o.pdf && !o.json) io.stdout(`PDF: ${path.resolve(o.pdf)}\n`);
    return 0;
  });
});

export const filesArchive: Command = command(async (argv, io) => {
  const o = flags(argv, { 'dry-run': 'flag', json: 'flag' });
  return withExistingApp(o.data, async (app) => {
    const r = archiveFiles(app, { dryRun: o['dry-run'] === 'true' });
    if (o.json) {
      io.stdout(JSON.stringify(r) + '\n');
      return 0;
    }
    const verb = r.dryRun ? 'se moverían' : 'movidos';
    if (r.months.length === 0) io.stdout(`Nada que archivar (meses hasta ${r.cutoffMonth ?? '—'}).\n`);
    for (const m of r.months) {
      io.stdout(`${m.month}: ${m.cdrsMoved} CDR y ${m.filesMoved} archivos ${verb} a ${m.archive} (${mb(m.bytesFreed)})\n`);
    }
    io.stdout(`PDF de ventas anuladas ${r.dryRun ? 'a eliminar' : 'eliminados'}: ${r.pdfsRemoved} (${mb(r.pdfBytesFreed)})\n`);
    io.stdout(`Espacio ${r.dryRun ? 'a liberar' : 'liberado'}: ${mb(r.bytesFreed)}${r.dryRun ? ' (simulación: no se cambió nada)' : ''}\n`);
    return 0;
  });
});

export const logsExport: Command = command(async (argv, io) => {
  const o = flags(argv, { out: 'value', days: 'value' });
  if (!o.out) throw new UsageError('--out ARCHIVO.zip es obligatorio');
  const days = o.days === undefined ? 7 : Number(o.days);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError(`--days no válido: ${o.days}`);
  return withExistingApp(o.data, async (app) => {
    const r = exportLogs(app, { out: o.out, days });
    io.stdout(`Exportado ${r.out} (${r.files.length} archivos, ${mb(r.bytes)}). No contiene contraseñas ni certificados.\n`);
    return 0;
  });
});

export const commands: Record<string, Command> = {
  'report daily': reportDaily,
  'files archive': filesArchive,
  'logs export': logsExport,
};
