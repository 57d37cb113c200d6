// Cajas abiertas (Caja, F10; supervisors and admins): the drawers still open on this terminal — a cashier's own drawer
// left open when the cashier went home, the shared one — with cashier, opened at and float. Alt+C takes the keys to the
// list, ↑/↓ choose, Enter (or C) asks for the cash counted ("350,50"), then confirms; the Z that closes it is the same
// as the cashier's own and says who closed it instead of whom. Closing the drawer this manager works with ends theirs.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { CashReport, OpenDrawerView } from '../../src-shared/contract';
import { readMoney } from '../../src-shared/number-input';
import { api, errorMessage } from '../api';
import { formatDateTime, soles } from '../format';
import { moveSelection } from '../list-keys';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

const drawerName = (d: OpenDrawerView) => (d.cashier === null ? 'Caja compartida' : `Caja de ${d.cashier}`);

interface Props {
  /** A drawer closed: its Z, and whether it was the one this manager works with. */
  onClosed: (z: CashReport, mine: boolean) => void;
}

export function OpenDrawers({ onClosed }: Props) {
  const [drawers, setDrawers] = useState<OpenDrawerView[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // The drawer being closed: first the count is typed, then the close is confirmed.
  const [closing, setClosing] = useState<OpenDrawerView | null>(null);
  const [counted, setCounted] = useState('');
  const [countError, setCountError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    api.call('cash.openDrawers', {}).then(
      (d) => {
        setDrawers(d);
        setSelected((i) => Math.max(0, Math.min(i, d.length - 1)));
      },
      (e) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(load, [load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || document.querySelector('[role="dialog"]')) return;
      if (e.key.toLowerCase() === 'c') {
        e.preventDefault();
        list.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  function ask(d: OpenDrawerView | undefined) {
    if (!d || busy) return;
    setError(null);
    setCounted('');
    setCountError(null);
    setClosing(d);
  }

  function submitCount(e: FormEvent) {
    e.preventDefault();
    const { value, error: readError } = readMoney(counted);
    if (value === null) {
      setCountError(counted.trim() === '' ? 'Cuente el efectivo del cajón y escriba el total en soles, por ejemplo 350,50.' : readError);
      return;
    }
    setConfirm(value);
  }

  async function close(d: OpenDrawerView, amount: string) {
    setConfirm(null);
    setBusy(true);
    try {
      const z = await api.call('cash.closeDrawer', { sessionId: d.sessionId, counted: amount });
      setClosing(null);
      onClosed(z, d.mine);
      load();
      // The keys back on the list, for the next one; the screen shows the Z (its top: the notice).
      window.setTimeout(() => list.current?.focus({ preventScroll: true }), 0);
    } catch (e) {
      // Back to the count, with the reason (already closed, another terminal…).
      setCountError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card flat" data-testid="open-drawers">
      <h2>Cajas abiertas (Alt+C)</h2>
      <p className="muted">Cajas de esta terminal sin cerrar. Elija una con ↑/↓ y presione Enter para cerrarla con el efectivo contado.</p>
      <div
        ref={list}
        tabIndex={0}
        data-testid="open-drawers-list"
        onKeyDown={(e) => {
          if (moveSelection(e.key, drawers?.length ?? 0, setSelected)) e.preventDefault();
          else if (e.key === 'Enter' || e.key.toLowerCase() === 'c') {
            e.preventDefault();
            ask(drawers?.[selected]);
          }
        }}
      >
        {!drawers && !error && <p className="muted">Cargando…</p>}
        {drawers && drawers.length === 0 && <p className="muted">No hay cajas abiertas en esta terminal.</p>}
        {drawers && drawers.length > 0 && (
          <table className="list-table">
            <thead>
              <tr>
                <th>Caja</th>
                <th>Abierta</th>
                <th className="num">Fondo inicial</th>
              </tr>
            </thead>
            <tbody>
              {drawers.map((d, i) => (
                <tr
                  key={d.sessionId}
                  data-testid="open-drawer-row"
                  aria-selected={i === selected}
                  className={i === selected ? 'selected' : undefined}
                  onClick={() => setSelected(i)}
                  onDoubleClick={() => ask(d)}
                >
                  <td className="strong">
                    {drawerName(d)}
                    {d.mine ? ' (la que usted usa)' : ''}
                  </td>
                  <td>
                    {formatDateTime(d.openedAt)} por {d.openedBy}
                  </td>
                  <td className="num">{soles(d.openingFloat)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <ErrorAlert message={error} />
      <button type="button" className="btn danger" disabled={!drawers?.length || busy} onClick={() => ask(drawers?.[selected])} data-testid="open-drawer-close">
        Cerrar la caja elegida (Enter)
      </button>

      {closing && confirm === null && (
        <Modal
          title={`Cerrar: ${drawerName(closing)}`}
          onCancel={() => {
            setClosing(null);
            list.current?.focus();
          }}
          testId="close-drawer-dialog"
        >
          <form onSubmit={submitCount} noValidate>
            <p className="muted">
              Abierta el {formatDateTime(closing.openedAt)} por {closing.openedBy}, con {soles(closing.openingFloat)} de fondo. Cuente todo el efectivo de
              ese cajón (incluido el fondo inicial) y escriba el total.
            </p>
            <label className="field">
              <span>Efectivo contado (S/)</span>
              <input className="money-input" inputMode="decimal" autoFocus value={counted} onChange={(e) => setCounted(e.target.value)} data-testid="close-drawer-counted" />
            </label>
            <ErrorAlert message={countError} />
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={() => setClosing(null)}>
                Cancelar (Esc)
              </button>
              <button type="submit" className="btn danger" disabled={busy} data-testid="close-drawer-submit">
                {busy ? 'Cerrando…' : 'Cerrar caja (Enter)'}
              </button>
            </div>
          </form>
        </Modal>
      )}
      {closing && confirm !== null && (
        <ConfirmDialog
          title={closing.cashier === null ? '¿Cerrar la caja compartida?' : `¿Cerrar la caja de ${closing.cashier}?`}
          message={`Efectivo contado: ${soles(confirm)}. Se emitirá su informe Z${closing.cashier !== null && !closing.mine ? `, cerrado por usted en lugar de ${closing.cashier}` : ''}.`}
          confirmLabel="Sí, cerrar (Enter)"
          cancelLabel="No (Esc)"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void close(closing, confirm)}
        />
      )}
    </div>
  );
}
