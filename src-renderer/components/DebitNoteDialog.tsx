// Nota de débito: a supervisor or an admin charges more on a sale already issued — interest for paying late, an
// increase in the price agreed, a penalty (SUNAT catalog 10) — from the sale's detail (N). The customer pays it now at
// the counter, like a sale: in cash into the drawer (with change), or by card, Yape or Plin. The amount is typed as the
// cashier writes it ("15,50"); the main process checks everything again (pos/debit-notes.ts) and refuses with a
// message, recording nothing then. Once issued, P prints the note's ticket and Enter goes back to the detail.
import { useState, type FormEvent } from 'react';
import type { DebitNoteResult, SaleDetail } from '../../src-shared/contract';
import { COUNTER_DEBIT_REASONS, DEBIT_NOTE_REASONS, DEBIT_TAX_CODES, DEBIT_TAX_TREATMENTS, type CounterDebitReason, type DebitTaxTreatment } from '../../src-shared/notes';
import { PAYMENT_METHODS, type PaymentMethod } from '../../src-shared/documents';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { readMoney } from '../../src-shared/number-input';
import { api, errorMessage } from '../api';
import { printedText, printPdf } from '../pdf';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';
import { TicketPrintStatus, useTicketPrint } from './TicketPrint';

interface Props {
  sale: SaleDetail;
  onClose: (done: DebitNoteResult | null) => void;
}

const CHARGE_TEXT: Record<PaymentMethod, string> = { cash: 'en efectivo', card: 'con tarjeta', yape: 'por Yape', plin: 'por Plin' };
const METHODS = Object.keys(PAYMENT_METHODS) as PaymentMethod[];

export function DebitNoteDialog({ sale, onClose }: Props) {
  const [reason, setReason] = useState<CounterDebitReason | ''>('');
  const [amount, setAmount] = useState('');
  const [tax, setTax] = useState<DebitTaxTreatment>('10');
  const [description, setDescription] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [tendered, setTendered] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<DebitNoteResult | null>(null);
  const [printNote, setPrintNote] = useState<string | null>(null);
  const ticket = useTicketPrint(done && { noteId: done.noteId }, done?.number ?? '', done?.ticketPrinter);

  const kind = sale.documentType === '01' ? 'factura' : 'boleta';
  const typed = readMoney(amount);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (reason === '') {
      setError('Elija el motivo de la nota de débito (intereses por mora, aumento en el valor o penalidades).');
      return;
    }
    const a = readMoney(amount);
    if (a.value === null) {
      setError(`Importe: ${a.error}`);
      return;
    }
    if (!Dec.of(a.value).gt(0)) {
      setError('El importe de la nota de débito debe ser mayor que cero.');
      return;
    }
    let given: string | undefined;
    if (method === 'cash' && tendered.trim() !== '') {
      const t = readMoney(tendered);
      if (t.value === null) {
        setError(`Recibido: ${t.error}`);
        return;
      }
      given = t.value;
    }
    setBusy(true);
    setError(null);
    api.call('sales.debitNote', {
      saleId: sale.saleId, reasonCode: reason, amount: a.value, taxAffectation: tax,
      ...(description.trim() ? { description } : {}),
      payment: { method, ...(given ? { tendered: given } : {}), ...(method !== 'cash' && reference.trim() ? { reference } : {}) },
    }).then(
      (r) => {
        setBusy(false);
        setDone(r);
      },
      (err) => {
        setBusy(false);
        setError(errorMessage(err));
      },
    );
  }

  function print() {
    if (!done || busy) return;
    if (done.ticketPrinter) return ticket.reprint();
    setBusy(true);
    api.call('documents.print', { noteId: done.noteId }).then(
      async (pdf) => {
        const out = await printPdf(pdf);
        setBusy(false);
        setPrintNote(out.kind === 'printed' ? printedText(out.printer) : out.kind === 'failed' ? out.message : 'Nota generada.');
      },
      (e) => {
        setBusy(false);
        setError(errorMessage(e));
      },
    );
  }

  if (done) {
    return (
      <Modal title="Nota de débito emitida" onCancel={() => onClose(done)} testId="debit-done">
        <div
          onKeyDown={(e) => {
            if ((e.key === 'p' || e.key === 'P') && !e.ctrlKey && !e.altKey && !e.metaKey) {
              e.preventDefault();
              print();
            }
          }}
        >
          <p className="strong" data-testid="debit-number">Nota de débito {done.number}</p>
          <p>Modifica {done.reference}.</p>
          <p className="refund-amount" data-testid="debit-charge">
            Cobre {formatSoles(done.total)} {CHARGE_TEXT[done.chargeMethod]}
          </p>
          {done.change !== '0.00' && <p className="change big-change" data-testid="debit-change">Vuelto {formatSoles(done.change)}</p>}
          <p className="muted" data-testid="debit-status">{done.sunatStatusText}</p>
          <TicketPrintStatus ticket={ticket} />
          {printNote && <p className="notice" role="status" data-testid="debit-printed">{printNote}</p>}
          <ErrorAlert message={error} />
          <div className="dialog-actions">
            <button type="button" className="btn" disabled={busy} onClick={print} data-testid="debit-print">
              {done.ticketPrinter ? 'Reimprimir nota' : 'Imprimir nota'} <kbd>P</kbd>
            </button>
            <button type="button" className="btn primary" autoFocus onClick={() => onClose(done)} data-testid="debit-close">
              Listo (Enter)
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={`Nota de débito sobre ${sale.number}`} onCancel={() => onClose(null)} testId="debit-dialog">
      <form onSubmit={submit} noValidate>
        <p className="muted">
          Un cargo adicional sobre la {kind} <span className="mono">{sale.number}</span> ({sale.customer.name}, {formatSoles(sale.totals.total)}). El
          cliente lo paga ahora, como una venta.
        </p>
        <label className="field">
          <span>Motivo (SUNAT, catálogo 10)</span>
          <select
            data-testid="debit-reason"
            data-autofocus
            value={reason}
            onChange={(e) => {
              setReason(e.target.value as CounterDebitReason | '');
              setError(null);
            }}
          >
            <option value="">Elija el motivo…</option>
            {COUNTER_DEBIT_REASONS.map((r) => (
              <option key={r} value={r}>
                {DEBIT_NOTE_REASONS[r]} ({r})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Importe a cobrar (S/){tax === '10' ? ', IGV incluido' : ''}</span>
          <input
            className="money-input"
            inputMode="decimal"
            data-testid="debit-amount"
            placeholder="0,00"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              setError(null);
            }}
          />
        </label>
        <label className="field">
          <span>Afectación</span>
          <select data-testid="debit-tax" value={tax} onChange={(e) => setTax(e.target.value as DebitTaxTreatment)}>
            {DEBIT_TAX_CODES.map((c) => (
              <option key={c} value={c}>
                {DEBIT_TAX_TREATMENTS[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Descripción (opcional)</span>
          <input
            data-testid="debit-description"
            maxLength={200}
            placeholder={reason ? DEBIT_NOTE_REASONS[reason] : 'p. ej. Intereses por 10 días de atraso'}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Forma de pago</span>
          <select data-testid="debit-method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {PAYMENT_METHODS[m]}
              </option>
            ))}
          </select>
        </label>
        {method === 'cash' ? (
          <label className="field">
            <span>Recibido (opcional, para el vuelto)</span>
            <input className="money-input" inputMode="decimal" data-testid="debit-tendered" value={tendered} onChange={(e) => setTendered(e.target.value)} />
          </label>
        ) : (
          <label className="field">
            <span>Referencia (opcional)</span>
            <input data-testid="debit-reference" maxLength={60} value={reference} onChange={(e) => setReference(e.target.value)} />
          </label>
        )}
        {typed.value !== null && Dec.of(typed.value).gt(0) && (
          <p data-testid="debit-preview">
            El cliente paga <span className="strong">{formatSoles(typed.value)}</span> {CHARGE_TEXT[method]}.
          </p>
        )}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => onClose(null)}>
            Cancelar (Esc)
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="debit-submit">
            Emitir nota de débito (Enter)
          </button>
        </div>
      </form>
    </Modal>
  );
}
