// Tiendas y cajas: each store and its terminals — last contact, replication lag (now − the newest record received),
// upload backlog, SUNAT pending and errors — and, for admins, adding a store or a terminal (its one-time code shown
// once, here and nowhere else).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { StoreOverview, TerminalCodeView } from '../../src-shared/hub-contract';
import { errorMessage } from '../api';
import { formatDateTime } from '../format';
import { ErrorAlert } from '../components/ErrorAlert';
import { hubCall } from './hub-api';
import { useRun } from '../components/use-run';

const REFRESH_MS = 15_000;

/** "12 s", "5 min", "3 h", "2 d". */
export function formatLag(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

export function StoresScreen({ isAdmin }: { isAdmin: boolean }) {
  const [stores, setStores] = useState<StoreOverview[] | null>(null);
  const { error, setError, notice, setNotice, run } = useRun();
  const [code, setCode] = useState<TerminalCodeView | null>(null);
  const [store, setStore] = useState({ ruc: '', establishment: '0000', name: '', address: '' });
  const [terminal, setTerminal] = useState({ store: '', name: '' });

  const reload = useCallback(() => {
    hubCall('stores.overview', {}).then(setStores, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => {
    reload();
    const t = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(t);
  }, [reload]);

  const addStore = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const s = await hubCall('stores.add', { ...store, address: store.address || undefined });
      setNotice(`Tienda ${s.key} creada.`);
      setStore({ ruc: '', establishment: '0000', name: '', address: '' });
      setTerminal((t) => ({ ...t, store: s.key }));
      reload();
    });
  };

  const addTerminal = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setCode(null);
      const c = await hubCall('terminals.add', { store: chosenStore, name: terminal.name });
      setCode(c);
      setTerminal((t) => ({ ...t, name: '' }));
      reload();
    });
  };

  const storeKeys = (stores ?? []).map((s) => `${s.ruc}-${s.establishment}`);
  const chosenStore = terminal.store || storeKeys[0] || '';

  return (
    <div className="admin-section hub-stores">
      <ErrorAlert message={error} />
      {notice && <p className="notice" data-testid="hub-notice">{notice}</p>}
      {code && (
        <div className="card notice" data-testid="hub-terminal-code-box">
          <p>
            Código de registro de <strong>{code.name}</strong>{code.existing ? ' (nuevo código para una caja existente)' : ''}:
          </p>
          <p className="big-change mono" data-testid="hub-terminal-code">{code.code}</p>
          <p className="muted">
            Se muestra una sola vez; vence el {formatDateTime(code.expiresAt)}. En la caja: Administración → Central, o
            «izisales hub join URL CÓDIGO». <button className="btn small" onClick={() => setCode(null)}>Ya lo anoté</button>
          </p>
        </div>
      )}
      {stores === null ? (
        <p className="muted">Cargando…</p>
      ) : stores.length === 0 ? (
        <p className="muted" data-testid="hub-no-stores">Todavía no hay tiendas. {isAdmin ? 'Agregue la primera abajo.' : 'Pida a un administrador que las agregue.'}</p>
      ) : (
        stores.map((s) => (
          <section key={s.id} className="panel" data-testid="hub-store" data-store={`${s.ruc}-${s.establishment}`}>
            <h2>
              {s.name} <span className="muted mono">{s.ruc}-{s.establishment}</span>
            </h2>
            {s.address && <p className="muted">{s.address}</p>}
            {s.terminals.length === 0 ? (
              <p className="muted">Sin cajas todavía.</p>
            ) : (
              <table className="list-table">
                <thead>
                  <tr>
                    <th>Caja</th><th>Inscrita</th><th>Último contacto</th><th className="num">Retraso</th>
                    <th className="num">Por subir</th><th className="num">SUNAT pendientes</th><th className="num">SUNAT con error</th>
                  </tr>
                </thead>
                <tbody>
                  {s.terminals.map((t) => (
                    <tr key={t.id} data-testid="hub-terminal" data-name={t.name}>
                      <td className="strong">{t.name}</td>
                      <td>{t.enrolledAt ? formatDateTime(t.enrolledAt) : 'No (código pendiente)'}</td>
                      <td data-testid="hub-terminal-contact">{t.lastContact ? formatDateTime(t.lastContact) : 'Nunca'}</td>
                      <td className="num" data-testid="hub-terminal-lag">{formatLag(t.lagSeconds)}</td>
                      <td className="num" data-testid="hub-terminal-backlog">{t.backlog ?? '—'}</td>
                      <td className="num" data-testid="hub-terminal-pending">{t.sunatPending}</td>
                      <td className={t.sunatErrors > 0 ? 'num bad-text' : 'num'} data-testid="hub-terminal-errors">{t.sunatErrors}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))
      )}

      {isAdmin && (
        <div className="detail-columns">
          <form className="admin-form" onSubmit={addStore} noValidate>
            <h2>Agregar tienda</h2>
            <label className="field"><span>RUC</span><input value={store.ruc} onChange={(e) => setStore({ ...store, ruc: e.target.value })} inputMode="numeric" data-testid="hub-store-ruc" /></label>
            <label className="field"><span>Código de establecimiento (SUNAT)</span><input value={store.establishment} onChange={(e) => setStore({ ...store, establishment: e.target.value })} inputMode="numeric" data-testid="hub-store-establishment" /></label>
            <label className="field"><span>Nombre</span><input value={store.name} onChange={(e) => setStore({ ...store, name: e.target.value })} data-testid="hub-store-name" /></label>
            <label className="field"><span>Dirección</span><input value={store.address} onChange={(e) => setStore({ ...store, address: e.target.value })} data-testid="hub-store-address" /></label>
            <div className="dialog-actions">
              <button className="btn primary" type="submit" data-testid="hub-store-add">Agregar tienda</button>
            </div>
          </form>
          <form className="admin-form" onSubmit={addTerminal} noValidate>
            <h2>Agregar caja</h2>
            <label className="field">
              <span>Tienda</span>
              <select value={chosenStore} onChange={(e) => setTerminal({ ...terminal, store: e.target.value })} data-testid="hub-terminal-store">
                {(stores ?? []).map((s) => (
                  <option key={s.id} value={`${s.ruc}-${s.establishment}`}>{s.name} ({s.ruc}-{s.establishment})</option>
                ))}
              </select>
            </label>
            <label className="field"><span>Nombre de la caja</span><input value={terminal.name} placeholder="CAJA-01" onChange={(e) => setTerminal({ ...terminal, name: e.target.value })} data-testid="hub-terminal-name" /></label>
            <p className="muted small-text">Un nombre que ya existe recibe un código nuevo (una caja reinstalada).</p>
            <div className="dialog-actions">
              <button className="btn primary" type="submit" disabled={!chosenStore} data-testid="hub-terminal-add">
                Agregar caja y ver su código
              </button>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
