// "Abrir cajón" (issue 17): a supervisor or an admin opens the cash drawer without a sale. ↑/↓ choose the reason (or
// "Otro", then type it), Enter opens, Esc cancels. The main process records and audits it, then sends the pulse; a
// printer that does not take it is said in its own words (and the opening is not counted).
import { useRef, useState, type FormEvent } from 'react';
import { DRAWER_REASONS } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { moveSelection } from '../list-keys';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

const OTHER = 'Otro';
const CHOICES = [...DRAWER_REASONS, OTHER];

export function OpenDrawerDialog({ onCancel, onOpened }: { onCancel: () => void; onOpened: (printer: string) => void }) {
  const [selected, setSelected] = useState(0);
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choice = CHOICES[selected];
  const form = useRef<HTMLFormElement>(null);
  const otherInput = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const reason = choice === OTHER ? other.trim() : choice;
    if (choice === OTHER && reason.length < 3) {
      setError('Escriba el motivo para abrir el cajón (por ejemplo "Cambio para un cliente").');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('cash.openDrawer', { reason: choice === OTHER ? `Otro: ${reason}` : reason });
      onOpened(r.printer);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Abrir cajón sin venta" onCancel={onCancel} testId="open-drawer-dialog">
      <form ref={form} onSubmit={submit} noValidate>
        <p className="muted">Elija el motivo (↑/↓) y presione Enter. Queda registrado a su nombre.</p>
        <div
          role="radiogroup"
          aria-label="Motivo"
          tabIndex={0}
          data-autofocus
          data-testid="drawer-reasons"
          className="segmented vertical"
          onKeyDown={(e) => {
            if (moveSelection(e.key, CHOICES.length, setSelected)) e.preventDefault();
            else if (e.key === 'Enter') {
              e.preventDefault();
              if (choice === OTHER && other.trim() === '') otherInput.current?.focus();
              else form.current?.requestSubmit();
            }
          }}
        >
          {CHOICES.map((c, i) => (
            <button
              key={c}
              type="button"
              role="radio"
              tabIndex={-1}
              aria-checked={i === selected}
              className={i === selected ? 'seg on' : 'seg'}
              onClick={() => setSelected(i)}
              data-testid="drawer-reason"
            >
              {c === OTHER ? 'Otro…' : c}
            </button>
          ))}
        </div>
        {choice === OTHER && (
          <label className="field">
            <span>Motivo</span>
            <input ref={otherInput} value={other} maxLength={190} onChange={(e) => setOther(e.target.value)} data-testid="drawer-reason-other" />
          </label>
        )}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancelar (Esc)
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="open-drawer-confirm">
            {busy ? 'Abriendo…' : 'Abrir cajón (Enter)'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
