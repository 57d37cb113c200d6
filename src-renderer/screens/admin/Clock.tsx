// Administración → Reloj (issue 17): the PC's clock against SUNAT's, "Comprobar ahora" after fixing the PC's date and
// time, and an admin's confirmation when the PC is right and must issue in spite of the measured offset.
import { useCallback, useEffect, useState } from 'react';
import type { ClockView } from '../../../src-shared/contract';
import { offsetText } from '../../../src-shared/clock-trust';
import { formatDatePe, limaDate, limaTime } from '../../../src-shared/time';
import { api, errorMessage } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';

const limaText = (iso: string) => {
  const d = new Date(iso);
  return `${formatDatePe(limaDate(d))} ${limaTime(d)}`;
};

export function ClockSection({ isAdmin, onChanged }: { isAdmin: boolean; onChanged: () => void }) {
  const [view, setView] = useState<ClockView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = useCallback(async (call: 'clock.status' | 'clock.check' | 'clock.confirm') => {
    setBusy(true);
    setError(null);
    try {
      setView(await api.call(call, {}));
      if (call !== 'clock.status') onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }, [onChanged]);
  useEffect(() => void run('clock.status'), [run]);

  const o = view?.observation;
  return (
    <div className="admin-section" data-testid="clock-section">
      <h2>Reloj de esta PC</h2>
      <p className="muted">
        La fecha y hora de la PC fechan cada comprobante. Se comparan con la hora de SUNAT en cada respuesta; si difieren en
        más de un día no se emiten comprobantes hasta corregir la hora de la PC o confirmarla.
      </p>
      {view && (
        <dl className="facts">
          <dt>Hora de la PC</dt><dd data-testid="clock-pc">{limaText(view.pcTime)}</dd>
          <dt>Hora de SUNAT</dt>
          <dd data-testid="clock-trusted">{view.trustedTime && o ? `${limaText(view.trustedTime)} (${o.source}, medida el ${limaText(o.observedAt)})` : 'aún no medida'}</dd>
          <dt>Diferencia</dt>
          <dd data-testid="clock-offset">{o ? (Math.abs(o.offsetMs) < 60_000 ? 'menos de 1 min' : `${offsetText(o.offsetMs)} ${o.offsetMs > 0 ? '(la PC está atrasada)' : '(la PC está adelantada)'}`) : '—'}</dd>
          {view.confirmation && (<><dt>Confirmada</dt><dd>por {view.confirmation.by} el {limaText(view.confirmation.at)}</dd></>)}
        </dl>
      )}
      {view?.message && <p className={view.level === 'block' ? 'alert bad' : 'alert warn'} role="alert" data-testid="clock-message">{view.message}</p>}
      <ErrorAlert message={error} />
      <div className="actions">
        {view?.canMeasure && (
          <button className="btn" disabled={busy} onClick={() => void run('clock.check')} data-testid="clock-check">Comprobar ahora</button>
        )}
        {isAdmin && view?.level === 'block' && o && (
          <button className="btn danger" disabled={busy} onClick={() => void run('clock.confirm')} data-testid="clock-confirm">
            Confirmar la hora de esta PC
          </button>
        )}
      </div>
    </div>
  );
}
