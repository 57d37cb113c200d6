// F10: the cash drawer (the terminal's shared one, or the cashier's own). Informe X at any time, on screen or on the
// ticket printer (Alt+I), cash in/out with a reason, closing with the counted cash (Informe Z), and the history of the
// closings with their reprint (Alt+H). Supervisors and admins also see the drawers open on this terminal and close one
// left open (Alt+C, OpenDrawers) and open the drawer without a sale, with a reason (Alt+A, "Abrir cajón"). Reports
// print on the thermal printer when the terminal has one (issue 17), else as a PDF.
import { useEffect, useState, type FormEvent } from 'react';
import type { CashReport, CashSessionView } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { readMoney } from '../../src-shared/number-input';
import { formatDateTime, soles } from '../format';
import { ReportView } from '../components/ReportView';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ZHistoryDialog } from '../components/ZHistoryDialog';
import { OpenDrawers } from '../components/OpenDrawers';
import { finishReportPrint } from '../report-print';
import { OpenDrawerDialog } from '../components/OpenDrawerDialog';

interface Props {
  session: CashSessionView;
  /** Supervisors and admins: the list of the drawers open on this terminal, to close one left open. */
  manager: boolean;
  /** This user's drawer closed: the Z to show on the "Abrir caja" screen. */
  onClosed: (z: CashReport) => void;
}

export function CashScreen({ session, manager, onClosed }: Props) {
  const [report, setReport] = useState<CashReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [moveKind, setMoveKind] = useState<'in' | 'out'>('out');
  const [moveAmount, setMoveAmount] = useState('');
  const [moveReason, setMoveReason] = useState('');
  const [counted, setCounted] = useState('');
  const [confirmClose, setConfirmClose] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState(false);
  const [drawerDialog, setDrawerDialog] = useState(false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey || document.querySelector('[role="dialog"]')) return;
      const k = e.key.toLowerCase();
      if (k === 'i') {
        e.preventDefault();
        void printX();
      } else if (k === 'h') {
        e.preventDefault();
        setHistory(true);
      } else if (k === 'a' && manager) {
        e.preventDefault();
        setDrawerDialog(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined;
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      return await fn();
    } catch (e) {
      setError(errorMessage(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function xReport() {
    const r = await run(() => api.call('cash.xReport', {}));
    if (r) setReport(r);
  }

  async function printX() {
    const printed = await run(() => api.call('cash.xReportPrint', {}));
    if (!printed) return;
    const out = await finishReportPrint(printed, 'Informe X abierto para imprimir.');
    if (out.kind === 'failed') setError(out.message);
    else if (out.kind === 'done') setInfo(out.message);
  }

  /** A drawer closed from the list of open drawers: its Z prints at once on the thermal printer, when there is one. */
  async function autoPrintZ(z: CashReport, closedText: string) {
    try {
      const out = await finishReportPrint(await api.call('cash.zReportPrint', { sessionId: z.sessionId, auto: true }), '');
      if (out.kind === 'failed') setError(out.message);
      else if (out.kind === 'done') setInfo(`${closedText} ${out.message}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function move(e: FormEvent) {
    e.preventDefault();
    const { value: amount, error: amountError } = readMoney(moveAmount);
    if (amount === null || amount === '0.00') {
      setError(amountError ?? 'El monto del movimiento debe ser mayor que cero, por ejemplo 20 o 15,50.');
      return;
    }
    if (moveReason.trim().length < 3) {
      setError('Indique el motivo del movimiento (por ejemplo "Pago a proveedor").');
      return;
    }
    const ok = await run(() => api.call('cash.move', { kind: moveKind, amount, reason: moveReason.trim() }));
    if (ok) {
      setInfo(moveKind === 'in' ? `Ingreso de ${soles(amount)} registrado.` : `Salida de ${soles(amount)} registrada.`);
      setMoveAmount('');
      setMoveReason('');
      // An X report on screen must not keep showing the cash before this movement.
      if (report) {
        const fresh = await api.call('cash.xReport', {}).catch(() => null);
        setReport(fresh);
      }
    }
  }

  function askClose(e: FormEvent) {
    e.preventDefault();
    const { value: amount, error: countedError } = readMoney(counted);
    if (amount === null) {
      setError(counted.trim() === '' ? 'Cuente el efectivo del cajón y escriba el total en soles, por ejemplo 350,50.' : countedError);
      return;
    }
    setConfirmClose(amount);
  }

  async function close(amount: string) {
    setConfirmClose(null);
    const r = await run(() => api.call('cash.close', { counted: amount }));
    // The session is over: the Z report is shown on the "Abrir caja" screen that follows.
    if (r) onClosed(r);
  }

  return (
    <section className="panel cash-panel">
      <header className="panel-head">
        <h1>Caja</h1>
        <span className="muted">
          {session.own ? `Su caja (${session.userName})` : 'Caja compartida'} · abierta el {formatDateTime(session.openedAt)} por{' '}
          {session.userName} · Fondo inicial {soles(session.openingFloat)}
        </span>
      </header>
      {error && (
        <p className="alert" role="alert" data-testid="error-alert">
          {error}
        </p>
      )}
      {info && (
        <p className="notice" role="status" data-testid="cash-notice">
          {info}
        </p>
      )}
      <div className="cash-grid">
        <div className="cash-actions">
          <div className="card flat">
            <h2>Informe X</h2>
            <p className="muted">Resumen parcial del turno, sin cerrar la caja.</p>
            <button className="btn" onClick={xReport} disabled={busy} data-testid="x-report-button" autoFocus>
              Ver informe X
            </button>{' '}
            <button className="btn" onClick={() => void printX()} disabled={busy} data-testid="x-report-print">
              Imprimir informe X (Alt+I)
            </button>{' '}
            <button className="btn" onClick={() => setHistory(true)} data-testid="z-history-button">
              Historial de cierres (Alt+H)
            </button>
          </div>

          {manager && (
            <div className="card flat">
              <h2>Cajón</h2>
              <p className="muted">Abrir el cajón sin una venta (queda registrado con el motivo y se cuenta en el informe Z).</p>
              <button className="btn" onClick={() => setDrawerDialog(true)} disabled={busy} data-testid="open-drawer-button">
                Abrir cajón (Alt+A)
              </button>
            </div>
          )}

          <form className="card flat" onSubmit={move} noValidate>
            <h2>Ingreso o salida de efectivo</h2>
            <div className="segmented" role="radiogroup" aria-label="Tipo de movimiento">
              <button type="button" role="radio" aria-checked={moveKind === 'in'} className={moveKind === 'in' ? 'seg on' : 'seg'} onClick={() => setMoveKind('in')}>
                Ingreso
              </button>
              <button type="button" role="radio" aria-checked={moveKind === 'out'} className={moveKind === 'out' ? 'seg on' : 'seg'} onClick={() => setMoveKind('out')}>
                Salida
              </button>
            </div>
            <label className="field">
              <span>Monto (S/)</span>
              <input className="money-input" inputMode="decimal" value={moveAmount} onChange={(e) => setMoveAmount(e.target.value)} data-testid="move-amount" />
            </label>
            <label className="field">
              <span>Motivo</span>
              <input value={moveReason} maxLength={200} onChange={(e) => setMoveReason(e.target.value)} data-testid="move-reason" />
            </label>
            <button className="btn" type="submit" disabled={busy} data-testid="move-submit">
              Registrar movimiento
            </button>
          </form>

          <form className="card flat" onSubmit={askClose} noValidate>
            <h2>Cerrar caja</h2>
            <p className="muted">Cuente todo el efectivo del cajón (incluido el fondo inicial) y escriba el total.</p>
            <label className="field">
              <span>Efectivo contado (S/)</span>
              <input className="money-input" inputMode="decimal" value={counted} onChange={(e) => setCounted(e.target.value)} data-testid="close-counted" />
            </label>
            <button className="btn danger" type="submit" disabled={busy} data-testid="close-submit">
              Cerrar caja (informe Z)
            </button>
          </form>
          {manager && (
            <OpenDrawers
              onClosed={(z, mine) => {
                if (mine) onClosed(z);
                else {
                  setReport(z);
                  setError(null);
                  const closedText = `${z.cashier === null ? 'Caja compartida' : `Caja de ${z.cashier}`} cerrada: informe Z N° ${z.zNumber}.`;
                  setInfo(`${closedText} Reimprímalo desde el historial de cierres (Alt+H).`);
                  void autoPrintZ(z, closedText);
                  // The notice and the Z are at the top of the panel (it scrolls); the list may be far below.
                  window.setTimeout(() => document.querySelector('.cash-panel')?.scrollTo({ top: 0 }), 0);
                }
              }}
            />
          )}
        </div>
        <div className="cash-report">{report ? <ReportView report={report} /> : <p className="muted">Elija «Ver informe X» para ver el resumen del turno.</p>}</div>
      </div>
      {history && <ZHistoryDialog onClose={() => setHistory(false)} />}
      {drawerDialog && (
        <OpenDrawerDialog
          onCancel={() => setDrawerDialog(false)}
          onOpened={(printer) => {
            setDrawerDialog(false);
            setError(null);
            setInfo(`Cajón abierto (${printer}).`);
            // An X report on screen counts the openings: show it as it is now.
            if (report) void api.call('cash.xReport', {}).then(setReport, () => setReport(null));
          }}
        />
      )}
      {confirmClose !== null && (
        <ConfirmDialog
          title="¿Cerrar la caja?"
          message={`Efectivo contado: ${soles(confirmClose)}. Se emitirá el informe Z y no se podrá vender hasta abrir otra caja.`}
          confirmLabel="Sí, cerrar (Enter)"
          cancelLabel="No (Esc)"
          onCancel={() => setConfirmClose(null)}
          onConfirm={() => void close(confirmClose)}
        />
      )}
    </section>
  );
}
