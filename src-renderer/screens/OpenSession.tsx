// No open cash session on this terminal: count the opening float and open it (Enter).
import { useState, type FormEvent } from 'react';
import type { CashReport, CashSessionView, UserView } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { parseMoney } from '../cart';
import { ReportView } from '../components/ReportView';

interface Props {
  user: UserView;
  onOpened: (s: CashSessionView) => void;
  /** The Z report of the session just closed, shown until the next one opens. */
  lastReport?: CashReport | null;
}

export function OpenSession({ user, onOpened, lastReport }: Props) {
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const money = parseMoney(amount === '' ? '0' : amount);
    if (money === null) {
      setError('Escriba el fondo inicial en soles, por ejemplo 100 o 150.50, y presione Enter.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onOpened(await api.call('cash.open', { openingFloat: money }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className={lastReport ? 'center-screen with-report' : 'center-screen'}>
      {lastReport && (
        <div className="card report-card">
          <ReportView report={lastReport} />
          <button type="button" className="btn" onClick={() => window.print()} tabIndex={-1}>
            Imprimir informe
          </button>
        </div>
      )}
      <form className="card" onSubmit={submit} noValidate>
        <h1>Abrir caja</h1>
        <p className="muted">
          Hola, {user.name}. Cuente el efectivo del cajón e ingrese el fondo inicial para empezar a vender.
        </p>
        <label className="field">
          <span>Fondo inicial (S/)</span>
          <input
            data-testid="open-float"
            className="money-input"
            autoFocus
            inputMode="decimal"
            placeholder="0.00"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
        {error && (
          <p className="alert" role="alert" data-testid="error-alert">
            {error}
          </p>
        )}
        <button className="btn primary big" type="submit" data-testid="open-submit" disabled={busy}>
          {busy ? 'Abriendo…' : 'Abrir caja (Enter)'}
        </button>
      </form>
    </div>
  );
}
