// Reporte diario: for a date, per store and chain-wide, what the tills' own daily reports say added up — sales,
// billed, credit notes, net, money by payment method, and each till's line — the same numbers as
// `izisales hub report daily` (both read hub/reports.ts). "Imprimir" gives the store's (or the chain's) A4 PDF, laid
// out as the till's own report. The date is typed dd/mm/aaaa and applied with Enter, as on the till's Reportes.
import { Fragment, useCallback, useEffect, useState } from 'react';
import type { HubDailyReportView, HubDayFigures } from '../../src-shared/hub-contract';
import { formatDatePe } from '../../src-shared/time';
import { errorMessage } from '../api';
import { formatDateTime, soles } from '../format';
import { openPdfBlob } from '../pdf';
import { ErrorAlert } from '../components/ErrorAlert';
import { DateFilter } from '../components/DateFilter';
import { useTypedDay } from '../use-typed-day';
import { hubCall, hubReportPdf } from './hub-api';

/** Ventas, total facturado, notas de crédito, neto and the money by payment method of a store or the chain. */
function Figures({ f, totalBilled, testId }: { f: HubDayFigures; totalBilled: string; testId: string }) {
  return (
    <dl className="report-grid hub-figures" data-testid={testId}>
      <dt>Ventas</dt><dd data-testid={`${testId}-sales`}>{f.salesCount}</dd>
      <dt>Total facturado</dt><dd data-testid={`${testId}-total`}>{soles(totalBilled)}</dd>
      <dt>Notas de crédito (devoluciones)</dt><dd>{f.creditNotes.count} ({soles(f.creditNotes.total)})</dd>
      {f.debitNotes.count > 0 && (<><dt>Notas de débito</dt><dd>{f.debitNotes.count} ({soles(f.debitNotes.total)})</dd></>)}
      <dt>Neto</dt><dd data-testid={`${testId}-net`}>{soles(f.netBilled)}</dd>
      {f.cancelled.count > 0 && (<><dt>Ventas anuladas</dt><dd>{f.cancelled.count} ({soles(f.cancelled.total)})</dd></>)}
      {Object.keys(f.byPaymentMethod).length > 0 && (<><dt>Por medio de pago</dt><dd /></>)}
      {Object.entries(f.byPaymentMethod).map(([method, m]) => (
        <Fragment key={method}>
          <dt className="indent">{m.label} ({m.count})</dt>
          <dd data-testid={`${testId}-method-${method}`}>{soles(m.total)}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

export function DailyReportScreen() {
  const { date, dateText, setDateText, dateError, dateRef, applyDate } = useTypedDay();
  const [report, setReport] = useState<HubDailyReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The store being printed ("chain" for the whole chain), while its PDF comes. */
  const [printing, setPrinting] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    hubCall('reports.daily', { date }).then(setReport, (e) => {
      setReport(null);
      setError(errorMessage(e));
    });
  }, [date]);
  useEffect(() => load(), [load]);
  const print = useCallback((store: string | null) => {
    if (printing) return;
    setPrinting(store ?? 'chain');
    setError(null);
    hubReportPdf(date, store).then(
      (pdf) => {
        setPrinting(null);
        openPdfBlob(pdf.blob, pdf.fileName);
      },
      (e) => {
        setPrinting(null);
        setError(errorMessage(e));
      },
    );
  }, [date, printing]);

  // Ctrl+P prints: the one store's report, or the chain's when there are several.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!report || !((e.key === 'p' || e.key === 'P') && (e.ctrlKey || e.metaKey))) return;
      e.preventDefault();
      print(report.stores.length === 1 ? `${report.stores[0].ruc}-${report.stores[0].establishment}` : null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [print, report]);

  return (
    <div className="report hub-report">
      <div className="panel-head">
        <DateFilter text={dateText} invalid={dateError !== null} testId="hub-report-date" inputRef={dateRef} onText={setDateText} onApply={() => applyDate(load)} onRefresh={load} />
        <button className="btn primary" onClick={() => print(null)} disabled={!report || printing !== null} data-testid="hub-report-print-chain">
          {printing === 'chain' ? 'Preparando…' : 'Imprimir toda la cadena'}
        </button>
      </div>
      <p className="muted">
        Reporte del {formatDatePe(date)}. Escriba la fecha y presione <kbd>Enter</kbd>; <kbd>Tab</kbd> lleva a cada <strong>Imprimir</strong>.{' '}
        <kbd>Ctrl+P</kbd> imprime el de la tienda (o el de toda la cadena si hay varias).
      </p>
      {dateError && <p className="alert" role="alert" data-testid="hub-report-date-error">{dateError}</p>}
      <ErrorAlert message={error} />
      {report && (
        <>
          <div className="kpis">
            <div className="kpi"><span className="muted">Comprobantes emitidos</span><strong data-testid="hub-report-issued">{report.issued}</strong></div>
            <div className="kpi"><span className="muted">Total facturado (toda la cadena)</span><strong data-testid="hub-report-total">{soles(report.totalBilled)}</strong></div>
            <div className="kpi"><span className="muted">Neto (toda la cadena)</span><strong data-testid="hub-report-net">{soles(report.netBilled)}</strong></div>
          </div>
          {report.stores.map((s) => {
            const key = `${s.ruc}-${s.establishment}`;
            return (
              <section key={key} className="panel" data-testid="hub-report-store" data-store={key}>
                <div className="panel-head">
                  <h2>
                    Tienda {s.name} ({key}): {s.issued} comprobantes, <span data-testid="hub-report-store-total">{soles(s.totalBilled)}</span>
                  </h2>
                  <button className="btn" onClick={() => print(key)} disabled={printing !== null} data-testid="hub-report-print" data-store={key}>
                    {printing === key ? 'Preparando…' : 'Imprimir'}
                  </button>
                </div>
                <Figures f={s} totalBilled={s.totalBilled} testId="hub-report-store-figures" />
                <table className="list-table">
                  <thead><tr><th>Caja</th><th className="num">Comprobantes</th><th className="num">Facturado</th><th>Último contacto</th></tr></thead>
                  <tbody>
                    {s.terminals.map((t) => (
                      <tr key={t.name} data-testid="hub-report-terminal">
                        <td>{t.name}</td><td className="num">{t.issued}</td><td className="num">{soles(t.totalBilled)}</td>
                        <td>{t.lastContact ? formatDateTime(t.lastContact) : 'Nunca'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}
