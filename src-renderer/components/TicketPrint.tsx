// A document's ticket on the thermal printer (issue 17), for every dialog that ends in a document: the sale, the
// return, the debit note. The runner prints it by itself (`print.ticket`); the dialog follows `print.updated` (and
// asks once: the event may have passed), shows "Imprimiendo…" until it printed (then nothing more), or the printer's
// problem with "Reimprimir", which tries again now (a ticket that printed is reprinted as a COPIA, pos/prints.ts).
import { useCallback, useEffect, useState } from 'react';
import type { TicketPrintView } from '../../src-shared/printer';
import { api, errorMessage } from '../api';

export type TicketOf = { saleId: number } | { noteId: number };

export interface TicketPrint {
  view: TicketPrintView | null;
  reprint(): void;
  reprinting: boolean;
  error: string | null;
}

/**
 * `printer`: the label the document's answer gave (null or absent: no thermal printer, nothing to follow); `of` null:
 * no document yet (a dialog before its answer).
 */
export function useTicketPrint(of: TicketOf | null, number: string, printer: string | null | undefined): TicketPrint {
  const saleId = of && 'saleId' in of ? of.saleId : null;
  const noteId = of && 'noteId' in of ? of.noteId : null;
  const [view, setView] = useState<TicketPrintView | null>(null);
  const [reprinting, setReprinting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const which = useCallback((): TicketOf => (saleId !== null ? { saleId } : { noteId: noteId! }), [saleId, noteId]);
  useEffect(() => {
    if (!printer || (saleId === null && noteId === null)) return;
    let live = true;
    setView({ saleId, noteId, number, state: 'printing', message: null, printer });
    const off = api.on('print.updated', (u) => {
      if (saleId !== null ? u.saleId === saleId && u.noteId === null : u.noteId === noteId) setView(u);
    });
    api.call('printer.ticketStatus', which()).then(
      (v) => {
        if (live && v && v.state !== 'printing') setView((prev) => (prev?.state === 'printing' ? v : prev));
      },
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [saleId, noteId, number, printer, which]);
  const reprint = useCallback(() => {
    if (reprinting || (saleId === null && noteId === null)) return;
    setReprinting(true);
    setError(null);
    api.call('printer.reprint', which()).then(
      (v) => {
        setReprinting(false);
        setView(v);
      },
      (e) => {
        setReprinting(false);
        setError(errorMessage(e));
      },
    );
  }, [reprinting, which, saleId, noteId]);
  return { view, reprint, reprinting, error };
}

/** What the printer is doing with the ticket, and its problem with "Reimprimir" (P). */
export function TicketPrintStatus({ ticket }: { ticket: TicketPrint }) {
  const { view } = ticket;
  return (
    <>
      {view?.state === 'printing' && (
        <p className="notice" data-testid="ticket-printing" role="status">Imprimiendo… ({view.printer})</p>
      )}
      {view && (view.state === 'retrying' || view.state === 'failed') && (
        <p className="alert" role="alert" data-testid="ticket-problem">
          {view.message}
          {view.state === 'retrying' ? ' Se vuelve a intentar solo.' : ''}{' '}
          <button type="button" className="btn small" onClick={ticket.reprint} disabled={ticket.reprinting} data-testid="ticket-reprint">
            Reimprimir (P)
          </button>
        </p>
      )}
      {ticket.error && (
        <p className="alert" role="alert" data-testid="print-error">
          {ticket.error}
        </p>
      )}
    </>
  );
}
