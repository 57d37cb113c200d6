// Administración → Copia de seguridad → Restaurar: the copies of the data folder's backups/, newest first. Restoring
// replaces every piece of data of this terminal, so it asks first; the main process checks the copy before touching
// anything, keeps the replaced file, restarts and ends every session (the screen goes back to the login).
import { useCallback, useEffect, useState } from 'react';
import type { BackupView } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { formatDateTime } from '../format';
import { ConfirmDialog } from './ConfirmDialog';

const KIND_LABELS: Record<BackupView['kind'], string> = { daily: 'Diaria', manual: 'Manual', other: 'Otra' };

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function RestorePanel() {
  const [list, setList] = useState<BackupView[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<BackupView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api.call('db.backups', {}).then(
      (l) => {
        setList(l);
        setSelected((s) => (l.some((b) => b.name === s && b.quick.ok) ? s : (l.find((b) => b.quick.ok)?.name ?? null)));
      },
      (e) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(load, [load]);

  async function restore(b: BackupView) {
    setConfirming(null);
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('db.restore', { file: b.name });
      const kept = r.replacedFile ? ` Los datos que reemplazó se guardaron en ${r.replacedFile}.` : '';
      // Every session ended in the main process: back to the login, with what happened.
      api.endSession(`Se restauró la copia del ${formatDateTime(r.takenAt)}.${kept} Ingrese de nuevo con su usuario y PIN.`);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  const chosen = list?.find((b) => b.name === selected) ?? null;
  return (
    <div className="restore-panel" data-testid="restore-panel">
      <h2>Restaurar una copia</h2>
      <p>
        Restaurar reemplaza todos los datos de esta caja por los de la copia elegida: las ventas registradas después de esa copia dejarán de
        verse. El archivo actual no se borra: queda guardado junto a la base de datos. Todos los usuarios tendrán que ingresar de nuevo.
      </p>
      {list === null && !error && <p className="muted">Cargando copias…</p>}
      {list?.length === 0 && <p className="muted">Todavía no hay copias en la carpeta de copias de seguridad.</p>}
      {list && list.length > 0 && (
        <table className="list-table restore-table">
          <thead>
            <tr>
              <th />
              <th>Fecha de la copia</th>
              <th>Tipo</th>
              <th className="num">Tamaño</th>
              <th>Última venta</th>
              <th>Estado</th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr
                key={b.name}
                className={b.name === selected ? 'selected' : b.quick.ok ? '' : 'muted'}
                onClick={() => b.quick.ok && setSelected(b.name)}
                data-testid="restore-row"
              >
                <td>
                  <input
                    type="radio"
                    name="restore-backup"
                    aria-label={`Copia del ${formatDateTime(b.takenAt)}`}
                    checked={b.name === selected}
                    disabled={!b.quick.ok || busy}
                    onChange={() => setSelected(b.name)}
                  />
                </td>
                <td title={b.name}>{formatDateTime(b.takenAt)}</td>
                <td>{KIND_LABELS[b.kind]}</td>
                <td className="num">{size(b.size)}</td>
                <td>{b.quick.lastSaleAt ? formatDateTime(b.quick.lastSaleAt) : '—'}</td>
                <td>{b.quick.ok ? 'Lista' : <span className="alert small">{b.quick.problem ?? 'No se puede usar.'}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="restore-error">
          {error}
        </p>
      )}
      <div className="dialog-actions restore-actions">
        <button type="button" className="btn" onClick={load} disabled={busy}>
          Actualizar lista
        </button>
        <button type="button" className="btn danger" onClick={() => chosen && setConfirming(chosen)} disabled={!chosen || busy} data-testid="restore-start">
          {busy ? 'Restaurando…' : 'Restaurar…'}
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Restaurar copia"
          message={`Se reemplazarán todos los datos de esta caja por la copia del ${formatDateTime(confirming.takenAt)}. Las ventas registradas después de esa copia dejarán de verse (el archivo actual se guarda aparte). Se cerrará la sesión de todos los usuarios. ¿Restaurar?`}
          confirmLabel="Restaurar"
          cancelLabel="Cancelar"
          onConfirm={() => void restore(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
    </div>
  );
}
