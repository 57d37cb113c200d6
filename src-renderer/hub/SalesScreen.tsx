// Ventas: the sales of every terminal, searched by dates, store, terminal, document number or customer (document
// number, or part of the name). Up to 200 rows, newest first.
import { useEffect, useState, type FormEvent } from 'react';
import type { HubSaleRow, StoreOverview } from '../../src-shared/hub-contract';
import { errorMessage } from '../api';
import { formatDateTime, soles, todayLima } from '../format';
import { ErrorAlert } from '../components/ErrorAlert';
import { hubCall } from './hub-api';

const SUNAT_LABELS: Record<string, string> = {
  pending: 'Pendiente de envío a SUNAT', accepted: 'Aceptado', observed: 'Aceptado con observaciones', rejected: 'Rechazado',
  error: 'Error de envío', voided: 'Anulado',
};

export function SalesScreen() {
  const [stores, setStores] = useState<StoreOverview[]>([]);
  const [filter, setFilter] = useState({ from: todayLima(), to: todayLima(), store: '', terminal: '', number: '', customer: '' });
  const [result, setResult] = useState<{ rows: HubSaleRow[]; more: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    hubCall('stores.overview', {}).then(setStores, (e) => setError(errorMessage(e)));
  }, []);

  const search = (e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    hubCall('sales.search', {
      from: filter.from, to: filter.to,
      storeId: filter.store ? Number(filter.store) : undefined,
      terminalId: filter.terminal || undefined,
      number: filter.number.trim() || undefined,
      customer: filter.customer.trim() || undefined,
    }).then(setResult, (err) => setError(errorMessage(err)));
  };

  const terminals = stores.filter((s) => !filter.store || String(s.id) === filter.store).flatMap((s) => s.terminals.map((t) => ({ ...t, store: s.name })));

  return (
    <div className="hub-sales">
      <form className="panel-head" onSubmit={search} noValidate>
        <label className="inline-field">Desde <input type="date" className="date-input" value={filter.from} onChange={(e) => setFilter({ ...filter, from: e.target.value })} data-testid="hub-sales-from" /></label>
        <label className="inline-field">Hasta <input type="date" className="date-input" value={filter.to} onChange={(e) => setFilter({ ...filter, to: e.target.value })} data-testid="hub-sales-to" /></label>
        <select value={filter.store} onChange={(e) => setFilter({ ...filter, store: e.target.value, terminal: '' })} data-testid="hub-sales-store">
          <option value="">Todas las tiendas</option>
          {stores.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
        <select value={filter.terminal} onChange={(e) => setFilter({ ...filter, terminal: e.target.value })} data-testid="hub-sales-terminal">
          <option value="">Todas las cajas</option>
          {terminals.map((t) => <option key={t.id} value={t.id}>{t.name} · {t.store}</option>)}
        </select>
        <input placeholder="Número (B001-12)" value={filter.number} onChange={(e) => setFilter({ ...filter, number: e.target.value })} data-testid="hub-sales-number" />
        <input placeholder="Cliente (DNI/RUC o nombre)" value={filter.customer} onChange={(e) => setFilter({ ...filter, customer: e.target.value })} data-testid="hub-sales-customer" />
        <button className="btn primary" type="submit" data-testid="hub-sales-search">Buscar</button>
      </form>
      <ErrorAlert message={error} />
      {result && (
        <>
          <table className="list-table" data-testid="hub-sales-list">
            <thead>
              <tr><th>Fecha y hora</th><th>Tienda</th><th>Caja</th><th>Comprobante</th><th>Cliente</th><th>Cajero</th><th className="num">Total</th><th>SUNAT</th></tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={`${r.ruc}-${r.number}`} className={r.status === 'cancelled' ? 'voided' : ''} data-testid="hub-sale-row">
                  <td>{formatDateTime(r.issuedAt)}</td>
                  <td>{r.storeName}</td>
                  <td>{r.terminalName}</td>
                  <td className="mono">{r.documentType === '01' ? 'Factura' : 'Boleta'} {r.number}</td>
                  <td>{r.customerDocNumber && r.customerDocNumber !== '-' ? `${r.customerDocNumber} ` : ''}{r.customerName}</td>
                  <td>{r.userName}</td>
                  <td className="num">{soles(r.total)}</td>
                  <td>{r.sunatStatus ? SUNAT_LABELS[r.sunatStatus] ?? r.sunatStatus : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.rows.length === 0 && <p className="muted" data-testid="hub-sales-none">No hay ventas con esos filtros.</p>}
          {result.more && <p className="muted">Se muestran las 200 más recientes: acote la búsqueda.</p>}
        </>
      )}
    </div>
  );
}
