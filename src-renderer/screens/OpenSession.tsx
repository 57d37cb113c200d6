// No drawer open for this user on this terminal: count the opening float and open it (Enter). Right after a close the
// Z report is shown and offered on the ticket printer (Alt+P) — printed at once when the terminal has a thermal printer
// (issue 17); the history of the closings is one key away (Alt+H).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, type CashReport, type CashSessionView, type UserView } from '../../src-shared/contract';
import { formatSoles } from '../../src-shared/decimal';
import { readMoney } from '../../src-shared/number-input';
import { api, errorMessage } from '../api';
import { ReportView } from '../components/ReportView';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ZHistoryDialog } from '../components/ZHistoryDialog';
import { finishReportPrint } from '../report-print';

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
  // The main process asks for confirmation of an implausible float (above the store's limit): the question it sent.
  const [confirm, setConfirm] = useState<{ float: string; question: string } | null>(null);
  const [history, setHistory] = useState(false);
  const floatInput = useRef<HTMLInputElement>(null);
  const [printNote, setPrintNote] = useState<string | null>(null);

  function printZ(auto = false) {
    if (!lastReport) return;
    setPrintNote(null);
    api.call('cash.zReportPrint', { sessionId: lastReport.sessionId, ...(auto ? { auto } : {}) }).then(
      async (printed) => {
        const out = await finishReportPrint(printed, 'Informe Z abierto para imprimir.');
        if (out.kind === 'failed') setError(out.message);
        else if (out.kind === 'done') setPrintNote(out.message);
      },
      (e) => setError(errorMessage(e)),
    );
  }

  // Right after a close, the Z goes to the thermal printer by itself (nothing happens without one: Alt+P prints it).
  const autoPrinted = useRef<number | null>(null);
  useEffect(() => {
    if (!lastReport || lastReport.kind !== 'Z' || autoPrinted.current === lastReport.sessionId) return;
    autoPrinted.current = lastReport.sessionId;
    printZ(true);
  }, [lastReport?.sessionId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || document.querySelector('[role="dialog"]')) return;
      const k = e.key.toLowerCase();
      if (k === 'p' && lastReport) {
        e.preventDefault();
        printZ();
      } else if (k === 'h') {
        e.preventDefault();
        setHistory(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  async function open(float: string, confirmed: boolean) {
    setBusy(true);
    setError(null);
    try {
      onOpened(await api.call('cash.open', { openingFloat: float, ...(confirmed ? { confirmed } : {}) }));
    } catch (err) {
      const question = err instanceof ApiError && err.code === 'rule' ? err.issues?.find((i) => i.path === 'confirmed')?.message : undefined;
      if (question && !confirmed) setConfirm({ float, question });
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const read = readMoney(amount.trim() === '' ? '0' : amount);
    if (read.value === null) {
      setError(`${read.error} Luego presione Enter.`);
      return;
    }
    void open(read.value, false);
  }

  return (
    <div className={lastReport ? 'center-screen with-report' : 'center-screen'}>
      {lastReport && (
        <div className="card report-card">
          <ReportView report={lastReport} />
          {printNote && (
            <p className="notice" role="status" data-testid="z-print-notice">
              {printNote}
            </p>
          )}
          <button type="button" className="btn" onClick={() => printZ()} tabIndex={-1} data-testid="z-print">
            Imprimir informe Z (Alt+P)
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
            ref={floatInput}
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
        <button type="button" className="btn" onClick={() => setHistory(true)} tabIndex={-1} data-testid="z-history-button">
          Historial de cierres (Alt+H)
        </button>
      </form>
      {history && (
        <ZHistoryDialog
          onClose={() => {
            setHistory(false);
            floatInput.current?.focus();
          }}
        />
      )}
      {confirm && (
        <ConfirmDialog
          title="¿Confirmar el fondo inicial?"
          message={confirm.question}
          confirmLabel={`Sí, abrir con ${formatSoles(confirm.float)} (Enter)`}
          cancelLabel="No, corregir (Esc)"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const float = confirm.float;
            setConfirm(null);
            void open(float, true);
          }}
        />
      )}
    </div>
  );
}
