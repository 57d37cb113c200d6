// F9: the day's sales with their SUNAT status. A cashier sees their own; supervisors and admins see the terminal's.
import { useCallback, useEffect, useState } from 'react';
import type { SaleRow, UserView } from '../../src-shared/contract';
import { SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { formatDatePe, isIsoDate } from '../../src-shared/time';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { api, errorMessage } from '../api';
import { formatTime, soles, todayLima } from '../format';

function statusLabel(s: string): string {
  return SUNAT_STATUS_LABELS[s as keyof typeof SUNAT_STATUS_LABELS] ?? s;
}

export function SalesList({ user }: { user: UserView }) {
  const [date, setDate] = useState(todayLima());
  const [dateText, setDateText] = useState(formatDatePe(todayLima()));
  const [dateError, setDateError] = useState<string | null>(null);

  function applyDate() {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(dateText.trim());
    const iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : '';
    if (!isIsoDate(iso)) {
      setDateError('Escriba la fecha como dd/mm/aaaa, por ejemplo 05/03/2025, y presione Enter.');
      return;
    }
    setDateError(null);
    setDateText(formatDatePe(iso));
    setDate(iso);
  }
  const [rows, setRows] = useState<SaleRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    if (!isIsoDate(date)) return;
    api.call('sales.list', { date }).then(
      (r) => {
        setRows(r);
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [date]);

  useEffect(() => {
    load();
    const off = api.on('sale.updated', (u) => {
      setRows((rs) => rs?.map((r) => (r.id === u.saleId ? { ...r, sunatStatus: u.sunatStatus } : r)) ?? rs);
    });
    const timer = window.setInterval(load, 10_000);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [load]);

  let total = Dec.ZERO;
  for (const r of rows ?? []) {
    try {
      if (r.status !== 'voided') total = total.plus(r.total);
    } catch {
      // A malformed amount is shown as is and left out of the sum.
    }
  }

  return (
    <section className="panel sales-panel">
      <header className="panel-head">
        <h1>Ventas del {isIsoDate(date) ? formatDatePe(date) : 'día'}</h1>
        <form
          className="inline-field"
          onSubmit={(e) => {
            e.preventDefault();
            applyDate();
          }}
        >
          <label className="inline-field">
            <span>Fecha (dd/mm/aaaa)</span>
            <input
              className="date-input"
              inputMode="numeric"
              value={dateText}
              onChange={(e) => setDateText(e.target.value)}
              data-testid="sales-date"
              aria-invalid={dateError !== null}
            />
          </label>
          <button className="btn" type="submit">
            Ver
          </button>
        </form>
        <button className="btn" onClick={load}>
          Actualizar
        </button>
      </header>
      <p className="muted">
        {user.role === 'cashier' ? 'Sus ventas en esta caja.' : 'Todas las ventas de esta caja.'} <kbd>Esc</kbd> vuelve a la venta.
      </p>
      {dateError && (
        <p className="alert" role="alert">
          {dateError}
        </p>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="error-alert">
          {error}
        </p>
      )}
      <table className="list-table" data-testid="sales-list" data-count={rows?.length ?? ''}>
        <thead>
          <tr>
            <th>Número</th>
            <th>Comprobante</th>
            <th>Hora</th>
            <th>Cliente</th>
            <th className="num">Total</th>
            <th>Estado SUNAT</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((r) => (
            <tr key={r.id} data-testid="sales-row" data-number={r.number} className={r.status === 'voided' ? 'voided' : undefined}>
              <td className="strong mono">{r.number}</td>
              <td>{r.documentType === '01' ? 'Factura' : r.documentType === '03' ? 'Boleta' : r.documentType}</td>
              <td>{formatTime(r.issuedAt)}</td>
              <td>{r.customer || 'Clientes varios'}</td>
              <td className="num">{soles(r.total)}</td>
              <td>
                <span className={`status-tag s-${r.sunatStatus}`}>{statusLabel(r.sunatStatus)}</span>
              </td>
            </tr>
          ))}
          {rows && rows.length === 0 && (
            <tr className="empty">
              <td colSpan={6}>No hay ventas registradas en esta fecha.</td>
            </tr>
          )}
          {!rows && !error && (
            <tr className="empty">
              <td colSpan={6}>Cargando…</td>
            </tr>
          )}
        </tbody>
        {rows && rows.length > 0 && (
          <tfoot>
            <tr>
              <td colSpan={4}>{rows.length} comprobantes</td>
              <td className="num strong">{formatSoles(total)}</td>
              <td />
            </tr>
          </tfoot>
        )}
      </table>
    </section>
  );
}
