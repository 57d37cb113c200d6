// Devolución: some lines of a sale come back and the money goes back; a credit note (07) on the sale's boleta or
// factura says so to SUNAT. Opened on a sale of Ventas del día (D), or from the sale screen (Alt+D), where it first asks
// for the receipt's number or a scan of the ticket's QR. The main process checks everything again (quantities left,
// the reason, who may return it) and refuses with a message; nothing is recorded then. Everything left of an accepted
// factura still within SUNAT's voiding window can be voided instead (sales.returnable says so with sales.void's own
// checks): a manager is offered "Comunicar baja" first (the void dialog, here), the credit note as the alternative; a
// cashier is told a supervisor can void it.
import { useEffect, useState, type FormEvent } from 'react';
import type { ReturnableSale, ReturnResult } from '../../src-shared/contract';
import { CREDIT_NOTE_REASONS, RETURN_REASONS, type ReturnReason } from '../../src-shared/notes';
import { PAYMENT_METHODS } from '../../src-shared/documents';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { readQuantity } from '../../src-shared/number-input';
import { formatDatePe } from '../../src-shared/time';
import { api, errorMessage } from '../api';
import { printPdf } from '../pdf';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';
import { VoidDialog } from './VoidDialog';
import { TicketPrintStatus, useTicketPrint } from './TicketPrint';

interface Props {
  /** The sale chosen in the list; without it the dialog asks for the receipt first. */
  saleId?: number;
  /** `changed`: a credit note was issued or the sale voided (the list reloads). */
  onClose: (changed: boolean) => void;
  /**
   * An exchange (from the sale screen): after a cash refund, C keeps the money for a new sale instead — the sale
   * screen then rings up the new goods with the note's amount in the customer's favour.
   */
  onExchange?: (done: ReturnResult) => void;
}

const REFUND_TEXT = { cash: 'en efectivo', card: 'a la tarjeta', yape: 'por Yape', plin: 'por Plin' } as const;

export function ReturnDialog({ saleId, onClose, onExchange }: Props) {
  const [receipt, setReceipt] = useState('');
  const [sale, setSale] = useState<ReturnableSale | null>(null);
  const [quantities, setQuantities] = useState<Record<number, string>>({});
  const [reason, setReason] = useState<ReturnReason>('07');
  const [refund, setRefund] = useState<'cash' | 'original'>('cash');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReturnResult | null>(null);
  const ticket = useTicketPrint(done && { noteId: done.noteId }, done?.number ?? '', done?.ticketPrinter);
  const [printNote, setPrintNote] = useState<string | null>(null);
  const [voiding, setVoiding] = useState(false);

  function load(input: { saleId: number } | { receipt: string }) {
    setBusy(true);
    api.call('sales.returnable', input).then(
      (s) => {
        setBusy(false);
        setSale(s);
        setQuantities({});
        setError(null);
        setRefund(s.paidWith === 'cash' ? 'cash' : 'original');
      },
      (e) => {
        setBusy(false);
        setError(errorMessage(e));
      },
    );
  }
  useEffect(() => {
    if (saleId !== undefined) load({ saleId });
  }, [saleId]);

  // What comes back, as typed ("1", "0,5"); every line with something left may take part.
  const chosen = (sale?.lines ?? [])
    .map((l) => ({ line: l, typed: (quantities[l.lineNo] ?? '').trim() }))
    .filter((x) => x.typed !== '');
  const allBack = !!sale && sale.lines.every((l) => Dec.of(l.left).isZero() || chosen.some((c) => c.line.lineNo === l.lineNo && readQuantity(c.typed).value !== null && Dec.of(readQuantity(c.typed).value!).eq(l.left)));
  // Everything left of a factura SUNAT still lets void (no earlier notes, accepted, within the window): void instead.
  const voidInstead = !!sale && allBack && sale.documentType === '01' && sale.voidability.voidable;
  const voidOffered = voidInstead && sale.canVoid;
  // SUNAT's code follows what comes back: everything left → "Devolución total" (06) unless the cashier chose 01.
  useEffect(() => {
    setReason((r) => (allBack ? (r === '07' ? '06' : r) : '07'));
  }, [allBack]);

  function submit(e: FormEvent) {
    e.preventDefault();
    // Offered first, the void takes Enter; it still asks for the reason before anything happens.
    if (voidOffered) setVoiding(true);
    else issueNote();
  }

  function issueNote() {
    if (!sale || busy) return;
    if (chosen.length === 0) {
      setError('Escriba cuántas unidades vuelven en al menos una línea.');
      return;
    }
    const lines = [];
    for (const c of chosen) {
      const q = readQuantity(c.typed);
      if (q.value === null) {
        setError(`Línea ${c.line.lineNo} (${c.line.description}): ${q.error}`);
        return;
      }
      if (Dec.of(q.value).gt(c.line.left)) {
        setError(`Línea ${c.line.lineNo} (${c.line.description}): queda por devolver ${c.line.left}; no se puede devolver ${q.value}.`);
        return;
      }
      lines.push({ lineNo: c.line.lineNo, quantity: q.value });
    }
    setBusy(true);
    api.call('sales.return', { saleId: sale.saleId, lines, reasonCode: reason, refund }).then(
      (r) => {
        setBusy(false);
        setDone(r);
        setError(null);
      },
      (err) => {
        setBusy(false);
        setError(errorMessage(err));
      },
    );
  }

  function print() {
    if (!done) return;
    if (done.ticketPrinter) return ticket.reprint();
    api.call('documents.print', { noteId: done.noteId }).then(
      async (pdf) => {
        const out = await printPdf(pdf);
        setPrintNote(out.kind === 'printed' ? `Impreso en ${out.printer}.` : out.kind === 'failed' ? out.message : 'Nota generada.');
      },
      (e) => setError(errorMessage(e)),
    );
  }

  const canExchange = !!onExchange && done?.refundMethod === 'cash' && Dec.of(done.refund).gt(0);
  if (done) {
    return (
      <Modal title="Devolución registrada" onCancel={() => onClose(true)} testId="return-done">
        <div
          onKeyDown={(e) => {
            if (canExchange && (e.key === 'c' || e.key === 'C') && !e.altKey && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              onExchange!(done);
            }
          }}
        >
        <p className="strong" data-testid="return-note-number">Nota de crédito {done.number}</p>
        <p>Modifica {done.reference}.</p>
        {sale?.owed != null ? (
          <>
            {/* A sale on credit: the note lowers first what the customer owed; only the rest goes back as money. */}
            <p className="refund-amount" data-testid="return-debt">Se descuenta de la deuda: {formatSoles(done.debt)}</p>
            <p className="refund-amount" data-testid="return-refund">
              Se devuelve: {formatSoles(done.refund)}{Dec.of(done.refund).gt(0) ? ` ${REFUND_TEXT[done.refundMethod]}` : ''}
            </p>
            {done.adjustment && (
              <p className="muted" data-testid="return-adjustment">Cuotas reprogramadas ante SUNAT con la nota {done.adjustment}.</p>
            )}
          </>
        ) : (
          <p className="refund-amount" data-testid="return-refund">
            Devuelva {formatSoles(done.refund)} {REFUND_TEXT[done.refundMethod]}
          </p>
        )}
        <p className="muted" data-testid="return-status">{done.sunatStatusText}</p>
        <TicketPrintStatus ticket={ticket} />
        {printNote && <p className="notice" role="status">{printNote}</p>}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={print} data-testid="return-print">
            {done.ticketPrinter ? 'Reimprimir nota' : 'Imprimir nota'}
          </button>
          {canExchange && (
            <button type="button" className="btn" onClick={() => onExchange!(done)} data-testid="return-exchange">
              Cambio: vender lo nuevo con {formatSoles(done.refund)} a favor (C)
            </button>
          )}
          <button type="button" className="btn primary" autoFocus onClick={() => onClose(true)} data-testid="return-close">
            Listo (Enter)
          </button>
        </div>
        </div>
      </Modal>
    );
  }

  if (voiding && sale) {
    return (
      <VoidDialog
        row={{ id: sale.saleId, number: sale.number, documentType: sale.documentType, customer: sale.customer, sunatStatusText: sale.sunatStatusText }}
        onClose={(changed) => (changed ? onClose(true) : setVoiding(false))}
        onCreditNote={() => setVoiding(false)}
      />
    );
  }

  return (
    <Modal title="Devolución" onCancel={() => onClose(false)} wide testId="return-dialog">
      {!sale && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (receipt.trim()) load({ receipt });
            else setError('Escriba el número del comprobante (p. ej. B001-12) o escanee el QR del ticket.');
          }}
          noValidate
        >
          <label className="field">
            <span>Número del comprobante o QR del ticket</span>
            <input
              data-testid="return-receipt"
              autoFocus
              value={receipt}
              placeholder="B001-12"
              onChange={(e) => {
                setReceipt(e.target.value);
                setError(null);
              }}
            />
          </label>
          <ErrorAlert message={error} />
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => onClose(false)}>
              Cancelar (Esc)
            </button>
            <button type="submit" className="btn primary" disabled={busy} data-testid="return-find">
              Buscar (Enter)
            </button>
          </div>
        </form>
      )}
      {sale && (
        <form
          onSubmit={submit}
          noValidate
          onKeyDown={(e) => {
            // Alt+N: the credit note, the alternative to the void offered first.
            if (voidOffered && e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'n' || e.key === 'N')) {
              e.preventDefault();
              issueNote();
            }
          }}
        >
          <p>
            <span className="strong mono" data-testid="return-sale-number">{sale.number}</span> · {sale.customer} · total {formatSoles(sale.total)}
            {sale.notes.length > 0 && <> · ya devuelto en {sale.notes.map((n) => n.number).join(', ')}</>}
          </p>
          <table className="list-table" data-testid="return-lines">
            <thead>
              <tr>
                <th>#</th>
                <th>Producto</th>
                <th className="num">Vendido</th>
                <th className="num">Queda</th>
                <th className="num">Importe</th>
                <th className="num">Devolver</th>
              </tr>
            </thead>
            <tbody>
              {sale.lines.map((l, i) => (
                <tr key={l.lineNo} data-testid="return-line">
                  <td>{l.lineNo}</td>
                  <td>{l.description}</td>
                  <td className="num">{l.sold}</td>
                  <td className="num">{l.left}</td>
                  <td className="num">{formatSoles(l.amount)}</td>
                  <td className="num">
                    <input
                      className="money-input"
                      inputMode="decimal"
                      data-testid={`return-qty-${l.lineNo}`}
                      aria-label={`Devolver de ${l.description}`}
                      disabled={Dec.of(l.left).isZero()}
                      autoFocus={i === sale.lines.findIndex((x) => !Dec.of(x.left).isZero())}
                      value={quantities[l.lineNo] ?? ''}
                      onChange={(e) => {
                        setQuantities((q) => ({ ...q, [l.lineNo]: e.target.value }));
                        setError(null);
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="field">
            <span>Motivo (SUNAT, catálogo 09)</span>
            <select data-testid="return-reason" value={reason} onChange={(e) => setReason(e.target.value as ReturnReason)}>
              {RETURN_REASONS.filter((r) => allBack || r === '07').map((r) => (
                <option key={r} value={r}>
                  {r} · {CREDIT_NOTE_REASONS[r]}
                </option>
              ))}
            </select>
          </label>
          {sale.owed != null && (
            <p className="notice" data-testid="return-owed">
              Venta al crédito: el cliente aún debe {formatSoles(sale.owed)}. Lo que vuelve se descuenta primero de esa deuda; solo lo
              que la supere se devuelve en dinero.
            </p>
          )}
          <fieldset className="field">
            <legend>{sale.owed != null ? 'Si sobra, devolver el dinero' : 'Devolver el dinero'}</legend>
            <label>
              <input type="radio" name="refund" data-testid="refund-cash" checked={refund === 'cash'} onChange={() => setRefund('cash')} /> En efectivo (sale de la caja)
            </label>
            {sale.paidWith !== 'cash' && (
              <label>
                <input type="radio" name="refund" data-testid="refund-original" checked={refund === 'original'} onChange={() => setRefund('original')} /> Por el medio original ({PAYMENT_METHODS[sale.paidWith]})
              </label>
            )}
          </fieldset>
          {voidInstead && sale.voidability.until && (
            <div className="notice void-offer" role="status" data-testid="return-void-offer">
              {sale.canVoid ? (
                <>
                  <button type="submit" className="btn primary danger" disabled={busy} data-testid="return-void">
                    Comunicar baja (anular la factura) (Enter)
                  </button>
                  <p>
                    Vuelve toda la factura y SUNAT aún acepta su baja (hasta el {formatDatePe(sale.voidability.until)}): se anula sin nota de
                    crédito y la mercadería vuelve al stock.
                  </p>
                </>
              ) : (
                <p>
                  Vuelve toda la factura y SUNAT aún acepta su baja (hasta el {formatDatePe(sale.voidability.until)}): un supervisor puede
                  anularla en lugar de esta nota de crédito (Ventas del día, B).
                </p>
              )}
            </div>
          )}
          <ErrorAlert message={error} />
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => onClose(false)}>
              Cancelar (Esc)
            </button>
            {voidOffered ? (
              <button type="button" className="btn" disabled={busy} onClick={issueNote} data-testid="return-submit">
                O emitir nota de crédito (Alt+N)
              </button>
            ) : (
              <button type="submit" className="btn primary" disabled={busy} data-testid="return-submit">
                Emitir nota de crédito (Enter)
              </button>
            )}
          </div>
        </form>
      )}
    </Modal>
  );
}
