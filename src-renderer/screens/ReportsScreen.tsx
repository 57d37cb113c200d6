// F12 (managers): the daily report of one Lima day — documents issued and their SUNAT outcome, money by payment
// method, document type and cashier, the cash sessions and their differences, what SUNAT has not accepted yet —
// and its A4 PDF. The main process refuses these calls to a cashier whatever the UI shows.
import { useCallback, useEffect, useState } from 'react';
import type { DailyReportView } from '../../src-shared/contract';
import { PAYMENT_METHODS, SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { formatDatePe } from '../../src-shared/time';
import { api, errorMessage } from '../api';
import { formatDateTime, soles } from '../format';
import { openPdf } from '../pdf';
import { thermalText } from '../report-print';
import { DateFilter } from '../components/DateFilter';
import { useTypedDay } from '../use-typed-day';

function statusLabel(s: string): string {
  return SUNAT_STATUS_LABELS[s as keyof typeof SUNAT_STATUS_LABELS] ?? s;
}

function differenceText(diff: string | null): string {
  if (diff === null) return '—';
  if (/^-?0+(\.0+)?$/.test(diff)) return `${soles('0')} (cuadra)`;
  return diff.startsWith('-') ? `Faltante ${soles(diff.slice(1))}` : `Sobrante ${soles(diff)}`;
}

export function ReportsScreen() {
  const { date, dateText, setDateText, dateError, dateRef, applyDate } = useTypedDay();
  const [report, setReport] = useState<DailyReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printing, setPrinting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api.call('reports.daily', { date }).then(
      (r) => setReport(r),
      (e) => setError(errorMessage(e)),
    );
  }, [date]);

  useEffect(() => {
    setReport(null);
    load();
  }, [load]);

  const printPdf = useCallback(() => {
    if (printing) return;
    setPrinting(true);
    setError(null);
    setNotice(null);
    // On the thermal printer when the terminal has one (a roll's summary, issue 17); else the A4 PDF opens.
    api.call('reports.dailyPrint', { date }).then(
      (printed) => {
        setPrinting(false);
        if (printed.kind === 'thermal') setNotice(thermalText(printed.printer));
        else if (printed.kind === 'pdf') openPdf({ fileName: printed.fileName, pdfBase64: printed.pdfBase64 });
      },
      (e) => {
        setPrinting(false);
        setError(errorMessage(e));
      },
    );
  }, [date, printing]);

  // Ctrl+P prints the report's PDF (the browser's own print dialog would print the screen instead).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('[role="dialog"]')) return;
      if ((e.key === 'p' || e.key === 'P') && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        printPdf();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [printPdf]);

  const r = report;
  return (
    <section className="panel reports-panel" data-testid="reports-screen">
      <header className="panel-head">
        <h1>Reporte del {formatDatePe(date)}</h1>
        <DateFilter
          text={dateText}
          invalid={dateError !== null}
          testId="report-date"
          inputRef={dateRef}
          onText={setDateText}
          onApply={() => applyDate(load)}
          onRefresh={load}
        />
        <button className="btn primary" onClick={printPdf} disabled={printing || !r} data-testid="report-pdf">
          {printing ? 'Imprimiendo…' : 'Imprimir'} <kbd>Ctrl+P</kbd>
        </button>
      </header>
      <p className="muted">
        Escriba la fecha y presione <kbd>Enter</kbd>. <kbd>Ctrl+P</kbd> imprime el reporte (en la impresora térmica si hay una; si no, en PDF). <kbd>Esc</kbd> vuelve a la venta.
      </p>
      {dateError && (
        <p className="alert" role="alert">
          {dateError}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="report-print-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="error-alert">
          {error}
        </p>
      )}
      {!r && !error && <p className="muted">Cargando…</p>}
      {r && (
        <div data-testid="report" data-date={r.date}>
          <dl className="kpis">
            <div className="kpi">
              <dt>Emitidos</dt>
              <dd data-testid="report-issued">{r.issued}</dd>
            </div>
            <div className="kpi">
              <dt>Aceptados</dt>
              <dd data-testid="report-accepted">{r.accepted}</dd>
            </div>
            <div className="kpi">
              <dt>Observados</dt>
              <dd>{r.observed}</dd>
            </div>
            {r.acceptedBySimulator > 0 && (
              <div className="kpi">
                <dt>Aceptados por el simulador (sin validez)</dt>
                <dd data-testid="report-simulated">{r.acceptedBySimulator}</dd>
              </div>
            )}
            <div className="kpi">
              <dt>Rechazados</dt>
              <dd>{r.rejected}</dd>
            </div>
            <div className="kpi">
              <dt>Con error</dt>
              <dd>{r.error}</dd>
            </div>
            <div className="kpi">
              <dt>Pendientes</dt>
              <dd data-testid="report-pending">{r.pending}</dd>
            </div>
            <div className="kpi">
              <dt>Éxito SUNAT</dt>
              <dd data-testid="report-success">{r.successRate === null ? '—' : `${r.successRate.toFixed(2)} %`}</dd>
            </div>
            <div className="kpi">
              <dt>Total facturado ({r.salesCount} ventas)</dt>
              <dd data-testid="report-total">{soles(r.totalBilled)}</dd>
            </div>
            <div className="kpi">
              <dt>Devoluciones ({r.creditNotes.count} notas de crédito)</dt>
              <dd data-testid="report-credit-notes">{soles(r.creditNotes.total)}</dd>
            </div>
            {(r.debitNotes?.count ?? 0) > 0 && (
              <div className="kpi">
                <dt>Cargos ({r.debitNotes.count} notas de débito)</dt>
                <dd data-testid="report-debit-notes">{soles(r.debitNotes.total)}</dd>
              </div>
            )}
            <div className="kpi">
              <dt>Neto</dt>
              <dd data-testid="report-net">{soles(r.netBilled)}</dd>
            </div>
          </dl>

          <h2>Por medio de pago</h2>
          <table className="list-table" data-testid="report-methods">
            <thead>
              <tr>
                <th>Medio</th>
                <th className="num">Pagos</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(r.byPaymentMethod).map(([m, v]) => (
                <tr key={m}>
                  <td>{v.label || PAYMENT_METHODS[m as keyof typeof PAYMENT_METHODS] || m}</td>
                  <td className="num">{v.count}</td>
                  <td className="num">{soles(v.total)}</td>
                </tr>
              ))}
              {Object.keys(r.byPaymentMethod).length === 0 && <Empty cols={3} />}
            </tbody>
          </table>

          <h2>Por tipo de comprobante</h2>
          <table className="list-table">
            <thead>
              <tr>
                <th>Comprobante</th>
                <th className="num">Emitidos</th>
                <th className="num">Ventas</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(r.byDocumentType).map(([t, v]) => (
                <tr key={t}>
                  <td>{v.label}</td>
                  <td className="num">{v.issued}</td>
                  <td className="num">{v.sales}</td>
                  <td className="num">{soles(v.total)}</td>
                </tr>
              ))}
              {Object.keys(r.byDocumentType).length === 0 && <Empty cols={4} />}
            </tbody>
          </table>

          <h2>Por cajero</h2>
          <table className="list-table">
            <thead>
              <tr>
                <th>Cajero</th>
                <th className="num">Ventas</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {r.byCashier.map((c) => (
                <tr key={c.userId}>
                  <td>{c.name}</td>
                  <td className="num">{c.count}</td>
                  <td className="num">{soles(c.total)}</td>
                </tr>
              ))}
              {r.byCashier.length === 0 && <Empty cols={3} />}
            </tbody>
          </table>

          <h2>Sesiones de caja</h2>
          <table className="list-table">
            <thead>
              <tr>
                <th>Caja</th>
                <th>Cajero</th>
                <th>Apertura</th>
                <th>Cierre</th>
                <th className="num">Esperado</th>
                <th className="num">Contado</th>
                <th className="num">Diferencia</th>
              </tr>
            </thead>
            <tbody>
              {r.cashSessions.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.terminalId}
                    {s.zNumber !== null ? ` · Z N° ${s.zNumber}` : ''}
                  </td>
                  <td>{s.cashier}</td>
                  <td>{formatDateTime(s.openedAt)}</td>
                  <td>{s.closedAt ? formatDateTime(s.closedAt) : 'Abierta'}</td>
                  <td className="num">{soles(s.expected)}</td>
                  <td className="num">{soles(s.counted)}</td>
                  <td className="num">{differenceText(s.difference)}</td>
                </tr>
              ))}
              {r.cashSessions.length === 0 && <Empty cols={7} />}
            </tbody>
          </table>

          <h2>
            Comprobantes no aceptados ({r.notAcceptedCount}
            {r.notAcceptedCount > r.notAccepted.length ? `, se muestran ${r.notAccepted.length}` : ''})
          </h2>
          <table className="list-table" data-testid="report-not-accepted">
            <thead>
              <tr>
                <th>Número</th>
                <th>Estado</th>
                <th>Último error</th>
              </tr>
            </thead>
            <tbody>
              {r.notAccepted.map((d) => (
                <tr key={d.documentId}>
                  <td className="mono">{d.number}</td>
                  <td>
                    <span className={`status-tag s-${d.status}`}>{statusLabel(d.status)}</span>
                  </td>
                  <td>{d.cdrCode ? `${d.cdrCode}: ${d.cdrDescription ?? ''}` : (d.lastError ?? '—')}</td>
                </tr>
              ))}
              {r.notAccepted.length === 0 && <Empty cols={3} />}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Empty({ cols }: { cols: number }) {
  return (
    <tr className="empty">
      <td colSpan={cols}>Sin registros.</td>
    </tr>
  );
}
