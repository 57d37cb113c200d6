// Dar de baja (void) a sale SUNAT accepted, within its window: a supervisor or admin gives the reason, the main
// process cancels the sale (the goods come back at once) and queues the batch — an RA for a factura, an RC with
// condition 3 for a boleta — and this dialog follows it until SUNAT confirms. What cannot be voided says why: not yet
// accepted, already voided, part of it returned, or past the window, where a credit note is the way (offered here).
import { useEffect, useState, type FormEvent } from 'react';
import type { SaleRow, VoidStatus } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

/** The sale to void: a row of Ventas del día, the sale's detail, or the sale the return dialog shows. */
export type VoidTarget = Pick<SaleRow, 'id' | 'number' | 'documentType' | 'customer' | 'sunatStatusText'>;

interface Props {
  row: VoidTarget;
  onClose: (changed: boolean) => void;
  /** Past the window the way is a credit note: opens the return with everything (or goes back to it). */
  onCreditNote: () => void;
}

const BATCH_STATUS: Record<string, string> = {
  pending: 'enviada a SUNAT, esperando su respuesta…',
  accepted: 'aceptada por SUNAT.',
  observed: 'aceptada por SUNAT con observaciones.',
  rejected: 'rechazada por SUNAT.',
  error: 'no se pudo enviar; se reintentará.',
};

export function VoidDialog({ row, onClose, onCreditNote }: Props) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [progress, setProgress] = useState<VoidStatus | null>(null);

  // Once sent, follow the batch until SUNAT says the document is voided (or refuses the batch).
  useEffect(() => {
    if (!sent) return;
    let stop = false;
    const look = () =>
      api.call('sales.voidStatus', { saleId: row.id }).then(
        (p) => {
          if (stop) return;
          setProgress(p);
          if (p.documentStatus !== 'voided' && p.batch?.status !== 'rejected') timer = window.setTimeout(look, 1000);
        },
        () => {
          if (!stop) timer = window.setTimeout(look, 2000);
        },
      );
    let timer = window.setTimeout(look, 300);
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [sent, row.id]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (reason.trim().length < 3) {
      setError('Indique el motivo de la baja (lo exige SUNAT).');
      return;
    }
    setBusy(true);
    api.call('sales.void', { saleId: row.id, reason }).then(
      (r) => {
        setBusy(false);
        setSent(r.batch);
      },
      (err) => {
        setBusy(false);
        setError(errorMessage(err));
      },
    );
  }

  if (sent) {
    const voided = progress?.documentStatus === 'voided';
    return (
      <Modal title="Baja de comprobante" onCancel={() => onClose(true)} testId="void-progress">
        <p>
          Venta <span className="strong mono">{row.number}</span> anulada en la caja; la mercadería volvió al stock.
        </p>
        <p data-testid="void-batch">
          Comunicación {sent}: {voided ? 'aceptada por SUNAT.' : BATCH_STATUS[progress?.batch?.status ?? 'pending'] ?? progress?.batch?.status}
        </p>
        {voided && (
          <p className="notice" role="status" data-testid="void-done">
            SUNAT confirmó la baja: {row.number} está dado de baja.
          </p>
        )}
        {progress?.batch?.lastError && !voided && <p className="muted">{progress.batch.lastError}</p>}
        <div className="dialog-actions">
          <button type="button" className="btn primary" autoFocus onClick={() => onClose(true)} data-testid="void-close">
            Cerrar (Enter)
          </button>
        </div>
      </Modal>
    );
  }

  const creditNoteInstead = error !== null && /nota de crédito/.test(error) && /días/.test(error);
  return (
    <Modal title={`Dar de baja ${row.number}`} onCancel={() => onClose(false)} testId="void-dialog">
      <form onSubmit={submit} noValidate>
        <p>
          {row.documentType === '01' ? 'Factura' : 'Boleta'} <span className="strong mono">{row.number}</span> · {row.customer} · {row.sunatStatusText}
        </p>
        <p className="muted">
          La venta se anula en la caja y la mercadería vuelve al stock; SUNAT recibe la baja en una{' '}
          {row.documentType === '01' ? 'comunicación de baja (RA)' : 'resumen diario (RC)'}.
        </p>
        <label className="field">
          <span>Motivo de la baja</span>
          <input
            data-testid="void-reason"
            autoFocus
            maxLength={100}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
          />
        </label>
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => onClose(false)}>
            Cancelar (Esc)
          </button>
          {creditNoteInstead && (
            <button type="button" className="btn" onClick={onCreditNote} data-testid="void-credit-note">
              Emitir nota de crédito
            </button>
          )}
          <button type="submit" className="btn primary danger" disabled={busy} data-testid="void-submit">
            Dar de baja (Enter)
          </button>
        </div>
      </form>
    </Modal>
  );
}
