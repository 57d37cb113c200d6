// The sale is committed: its number is final and the document waits for SUNAT. Enter starts the next sale; P prints the
// ticket (the original; every print counts toward the reprint limit, pos/prints.ts). The SUNAT line follows
// `sale.updated` while the dialog is open, so an accepted boleta never reads "Pendiente".
// With a thermal printer the runner prints the ticket by itself (issue 17): "Imprimiendo…" until it printed (then
// nothing more), or the printer's problem with "Reimprimir" (P), which tries again.
import { useEffect, useRef, useState } from 'react';
import type { CheckoutResult } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { openPdf, printedText, printPdf, type PrintOutcome } from '../pdf';
import { SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { soles } from '../format';
import { formatDatePe } from '../../src-shared/time';
import { Modal } from './Modal';
import { TicketPrintStatus, useTicketPrint } from './TicketPrint';

/** The document's SUNAT status while the dialog is open, and whether SUNAT is reachable now (null: not known yet). */
function useLiveStatus(result: CheckoutResult): { sunatStatus: string; sunatStatusText: string | undefined; online: boolean | null } {
  const [sunatStatus, setSunatStatus] = useState(result.sunatStatus);
  const [sunatStatusText, setSunatStatusText] = useState<string | undefined>(result.sunatStatusText);
  const sunatStatusRef = useRef(sunatStatus);
  sunatStatusRef.current = sunatStatus;
  const [online, setOnline] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    setSunatStatus(result.sunatStatus);
    setSunatStatusText(result.sunatStatusText);
    const offSale = api.on('sale.updated', (u) => {
      if (u.saleId !== result.saleId) return;
      setSunatStatus(u.sunatStatus);
      setSunatStatusText(u.sunatStatusText);
    });
    const offStatus = api.on('status', (s) => setOnline(s.online));
    // SUNAT may have answered before this dialog listened: read the sale's status once (only ever moving on from pending).
    api.call('sales.list', {}).then(
      (rows) => {
        const row = rows.find((r) => r.id === result.saleId);
        if (live && row && row.sunatStatus !== 'pending' && sunatStatusRef.current === 'pending') {
          setSunatStatus(row.sunatStatus);
          setSunatStatusText(row.sunatStatusText);
        }
      },
      () => undefined,
    );
    api.call('app.status', {}).then(
      (s) => {
        if (live) setOnline((prev) => prev ?? s.online);
      },
      () => undefined,
    );
    return () => {
      live = false;
      offSale();
      offStatus();
    };
  }, [result.saleId, result.sunatStatus, result.sunatStatusText]);
  return { sunatStatus, sunatStatusText, online };
}

export function SaleDone({ result, onNewSale }: { result: CheckoutResult; onNewSale: () => void }) {
  const live = useLiveStatus(result);
  const ticket = useTicketPrint({ saleId: result.saleId }, result.number, result.ticketPrinter);
  const status = live.sunatStatusText ?? SUNAT_STATUS_LABELS[live.sunatStatus as keyof typeof SUNAT_STATUS_LABELS] ?? live.sunatStatus;
  const waitingNetwork = live.sunatStatus === 'pending' && live.online === false;
  const hasChange = !Dec0(result.change);
  const [printing, setPrinting] = useState(false);
  const [printError, setPrintError] = useState<string | null>(null);
  const [printed, setPrinted] = useState<PrintOutcome | null>(null);
  const print = () => {
    if (result.ticketPrinter) return ticket.reprint();
    if (printing) return;
    setPrinting(true);
    setPrintError(null);
    setPrinted(null);
    api.call('documents.print', { saleId: result.saleId }).then(
      async (pdf) => {
        // Shell: silent print on the configured printer; browser: the PDF opens. Never blocks the next sale.
        setPrinted(await printPdf(pdf));
        setPrinting(false);
      },
      (e) => {
        setPrinting(false);
        setPrintError(errorMessage(e));
      },
    );
  };
  return (
    <Modal title="Venta registrada" onCancel={onNewSale} testId="sale-done">
      <div
        className="done"
        onKeyDown={(e) => {
          if ((e.key === 'p' || e.key === 'P') && !e.ctrlKey && !e.altKey && !e.metaKey) {
            e.preventDefault();
            print();
          }
        }}
      >
        <p className="muted">{result.documentType === '01' ? 'Factura electrónica' : 'Boleta de venta electrónica'}</p>
        <p className="sale-number" data-testid="sale-number">
          {result.number}
        </p>
        <dl className="done-grid">
          <dt>Total</dt>
          <dd data-testid="sale-total">{soles(result.total)}</dd>
          <dt>Pagado</dt>
          <dd>{soles(result.paid)}</dd>
          <dt>Vuelto</dt>
          <dd className={hasChange ? 'change big-change' : 'change'} data-testid="sale-change">
            {soles(result.change)}
          </dd>
          {result.credit && (
            <>
              <dt>Al crédito</dt>
              <dd data-testid="sale-credit">
                {soles(result.credit.amount)} en {result.credit.instalments.length} {result.credit.instalments.length === 1 ? 'cuota' : 'cuotas'}
              </dd>
            </>
          )}
        </dl>
        {result.credit && (
          <ul className="plain-list" data-testid="sale-instalments">
            {result.credit.instalments.map((c, i) => (
              <li key={i} data-testid="sale-instalment">
                Cuota {i + 1}: {soles(c.amount)} · vence {formatDatePe(c.dueDate)}
              </li>
            ))}
          </ul>
        )}
        <p className="notice" data-testid="sale-sunat-status" data-status={live.sunatStatus} role="status">
          {status}
          {waitingNetwork ? ' · Sin conexión: se enviará solo cuando vuelva la conexión.' : ''}
          {result.signed ? '' : ' · Firma pendiente (falta el certificado digital): la venta está guardada.'}
        </p>
        {result.negativeStock && (
          <p className="notice warn">Algún producto quedó con stock negativo: avise al encargado para revisar el inventario.</p>
        )}
        <TicketPrintStatus ticket={ticket} />
        {printError && (
          <p className="alert" role="alert" data-testid="print-error">
            {printError}
          </p>
        )}
        {printed?.kind === 'printed' && (
          <p className="notice" data-testid="print-done">
            {printedText(printed.printer)}
          </p>
        )}
        {printed?.kind === 'failed' && (
          <p className="alert" role="alert" data-testid="print-error">
            {printed.message}{' '}
            <button type="button" className="btn small" onClick={() => openPdf(printed.pdf)} data-testid="print-open-pdf">
              Abrir PDF
            </button>
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn big" data-testid="print-ticket" onClick={print} disabled={printing || ticket.reprinting}>
            {printing || ticket.reprinting ? 'Imprimiendo…' : result.ticketPrinter ? 'Reimprimir ticket (P)' : 'Imprimir ticket (P)'}
          </button>
          <button type="button" className="btn primary big" data-testid="new-sale" autoFocus data-autofocus onClick={onNewSale}>
            Nueva venta (Enter)
          </button>
        </div>
      </div>
    </Modal>
  );
}

function Dec0(v: string): boolean {
  return /^0+(\.0+)?$/.test(v.trim());
}
