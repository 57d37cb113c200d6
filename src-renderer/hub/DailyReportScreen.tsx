// Reporte diario: for a date, per store and chain-wide, the documents issued and the amount billed — the same numbers
// as `izisales hub report daily` (both read hub/reports.ts), which add up to the terminals' own daily reports.
import { useCallback, useEffect, useState } from 'react';
import type { HubDailyReportView } from '../../src-shared/hub-contract';
import { errorMessage } from '../api';
import { formatDateTime, soles, todayLima } from '../format';
import { ErrorAlert } from '../components/ErrorAlert';
import { hubCall } from './hub-api';

export function DailyReportScreen() {
  const [date, setDate] = useState(todayLima());
  const [report, setReport] = useState<HubDailyReportView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    hubCall('reports.daily', { date }).then(setReport, (e) => {
      setReport(null);
      setError(errorMessage(e));
    });
  }, [date]);
  useEffect(() => load(), [load]);

  return (
    <div className="report hub-report">
      <div className="panel-head">
        <label className="inline-field">
          Fecha <input type="date" className="date-input" value={date} onChange={(e) => setDate(e.target.value)} data-testid="hub-report-date" />
        </label>
        <button className="btn" onClick={load} data-testid="hub-report-load">Actualizar</button>
      </div>
      <ErrorAlert message={error} />
      {report && (
        <>
          <div className="kpis">
            <div className="kpi"><span className="muted">Comprobantes emitidos</span><strong data-testid="hub-report-issued">{report.issued}</strong></div>
            <div className="kpi"><span className="muted">Total facturado (toda la cadena)</span><strong data-testid="hub-report-total">{soles(report.totalBilled)}</strong></div>
          </div>
          {report.stores.map((s) => (
            <section key={`${s.ruc}-${s.establishment}`} className="panel" data-testid="hub-report-store" data-store={`${s.ruc}-${s.establishment}`}>
              <h2>
                Tienda {s.ruc}-{s.establishment}: {s.issued} comprobantes, <span data-testid="hub-report-store-total">{soles(s.totalBilled)}</span>
              </h2>
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
          ))}
        </>
      )}
    </div>
  );
}
