// F5 with an empty cart: the sales set aside on this terminal (they survive a restart). ↑/↓ choose, Enter recalls one
// — it leaves the list — and Esc closes.
import { useEffect, useState } from 'react';
import type { ParkedCartRow, RecalledCart } from '../../src-shared/contract';
import { formatSoles } from '../../src-shared/decimal';
import { api, errorMessage } from '../api';
import { formatTime } from '../format';
import { moveSelection } from '../list-keys';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

export function ParkedDialog({ onRecall, onCancel }: { onRecall: (cart: RecalledCart) => void; onCancel: () => void }) {
  const [rows, setRows] = useState<ParkedCartRow[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.call('cart.parked', {}).then(setRows, (e) => setError(errorMessage(e)));
  }, []);

  function recall(row: ParkedCartRow | undefined) {
    if (!row || busy) return;
    setBusy(true);
    api.call('cart.recall', { id: row.id }).then(onRecall, (e) => {
      setBusy(false);
      setError(errorMessage(e));
      api.call('cart.parked', {}).then(setRows, () => undefined);
    });
  }

  return (
    <Modal title="Ventas en espera" onCancel={onCancel} wide testId="parked-dialog">
      <div
        tabIndex={0}
        data-autofocus
        className="parked-list"
        data-testid="parked-list"
        onKeyDown={(e) => {
          if (moveSelection(e.key, rows?.length ?? 0, setSelected)) e.preventDefault();
          else if (e.key === 'Enter') {
            e.preventDefault();
            recall(rows?.[selected]);
          }
        }}
      >
        {rows && rows.length === 0 && <p className="muted">No hay ventas en espera en esta caja.</p>}
        {!rows && !error && <p className="muted">Cargando…</p>}
        <ul className="plain-list">
          {rows?.map((r, i) => (
            <li key={r.id} data-testid="parked-row" aria-selected={i === selected} className={i === selected ? 'selected' : undefined} onClick={() => setSelected(i)} onDoubleClick={() => recall(r)}>
              <span className="strong">{r.label}</span> · {r.items} · {formatSoles(r.total)}{' '}
              <span className="muted">
                ({r.userName}, {formatTime(r.createdAt)})
              </span>
            </li>
          ))}
        </ul>
      </div>
      <ErrorAlert message={error} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cerrar (Esc)
        </button>
        <button type="button" className="btn primary" disabled={!rows?.length || busy} onClick={() => recall(rows?.[selected])} data-testid="parked-recall">
          Retomar (Enter)
        </button>
      </div>
    </Modal>
  );
}
