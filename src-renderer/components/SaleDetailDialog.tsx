// Detalle de la venta (Ventas del día → Enter): the lines, payments and customer, the document and SUNAT's answer
// (the CDR's code and text), the credit and debit notes and the void issued on it, and a timeline of what happened to
// it. Keys: R prints it (the original for its cashier within 15 minutes, else a COPIA; the main process decides,
// audits, and refuses a cashier's reprint past the store's limit), A opens a factura's A4 PDF, D a return, N a debit
// note and B a void (managers), Esc closes. The rules live in the main process (pos/prints.ts, pos/sale-detail.ts); this only shows what it says.
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { SaleDetail } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { DEBIT_NOTE_MANAGERS_ONLY } from '../../src-shared/notes';
import { api, errorMessage } from '../api';
import { openPdf, printPdf } from '../pdf';
import { formatDateTime, soles } from '../format';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

interface Props {
  saleId: number;
  manager: boolean;
  onClose: () => void;
  onReturn: (detail: SaleDetail) => void;
  onVoid: (detail: SaleDetail) => void;
  /** N (managers): a debit note on the sale. */
  onDebitNote: (detail: SaleDetail) => void;
}

const plainKey = (e: KeyboardEvent, key: string) => e.key.toLowerCase() === key && !e.ctrlKey && !e.altKey && !e.metaKey;

/** Every line already came back through credit notes: a return has nothing left to take. */
function allReturned(d: SaleDetail): boolean {
  return d.lines.every((l) => Dec.of(l.returned).gte(l.quantity));
}

function printOffer(d: SaleDetail): string {
  const p = d.print;
  if (p.refusal) return p.refusal;
  if (!p.copy) return 'imprime el ticket original';
  const left = p.reprintsLeft === null ? '' : ` (le quedan ${p.reprintsLeft} de ${p.maxReprints} reimpresiones)`;
  return `reimprime el ticket como COPIA${left}`;
}

export function SaleDetailDialog({ saleId, manager, onClose, onReturn, onVoid, onDebitNote }: Props) {
  const [detail, setDetail] = useState<SaleDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.call('sales.detail', { saleId }).then(
      (d) => setDetail(d),
      (e) => setError(errorMessage(e)),
    );
  }, [saleId]);
  useEffect(load, [load]);

  function print(format: 'ticket' | 'a4') {
    if (!detail || busy) return;
    if (format === 'ticket' && detail.print.refusal) {
      setError(detail.print.refusal);
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    api.call('documents.print', { saleId: detail.saleId, ...(format === 'a4' ? { format } : {}) }).then(
      async (pdf) => {
        const what = `${format === 'a4' ? 'Factura A4' : pdf.copy ? 'COPIA' : 'Original'} de ${pdf.number}`;
        const left = pdf.reprintsLeft === null ? '' : ` Le quedan ${pdf.reprintsLeft} reimpresiones.`;
        if (format === 'a4') {
          openPdf(pdf);
          setNotice(`${what}: PDF abierto.${left}`);
        } else {
          const out = await printPdf(pdf);
          setNotice(`${what}: ${out.kind === 'printed' ? `impreso en ${out.printer}.` : out.kind === 'failed' ? out.message : 'generado.'}${left}`);
        }
        setBusy(false);
        load();
      },
      (e) => {
        setBusy(false);
        setError(errorMessage(e));
        load();
      },
    );
  }

  function onKey(e: KeyboardEvent) {
    if (!detail) return;
    const t = e.target as HTMLElement;
    if (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA') return;
    const open = detail.status !== 'cancelled';
    if (plainKey(e, 'r')) {
      e.preventDefault();
      print('ticket');
    } else if (plainKey(e, 'a') && detail.a4) {
      e.preventDefault();
      print('a4');
    } else if (plainKey(e, 'd') && open) {
      e.preventDefault();
      if (allReturned(detail)) setError(`Ya se devolvió todo lo vendido (${detail.notes.filter((n) => n.documentType === '07').map((n) => n.number).join(', ')}): no queda nada por devolver.`);
      else onReturn(detail);
    } else if (plainKey(e, 'n') && open) {
      e.preventDefault();
      if (manager) onDebitNote(detail);
      else setError(DEBIT_NOTE_MANAGERS_ONLY);
    } else if (plainKey(e, 'b') && manager && open) {
      e.preventDefault();
      onVoid(detail);
    }
  }

  const d = detail;
  const kind = d?.documentType === '01' ? 'Factura' : 'Boleta';
  return (
    <Modal title={d ? `${kind} ${d.number}` : 'Detalle de la venta'} onCancel={onClose} wide testId="sale-detail">
      <div className="sale-detail" onKeyDown={onKey}>
        {/* The focus starts here, not on a button: the Enter that opened the detail must not press one. */}
        <div className="sale-detail-body" tabIndex={0} data-autofocus data-testid="sale-detail-body">
          {!d && !error && <p className="muted">Cargando…</p>}
          {d && (
            <>
              <p>
                {formatDateTime(d.issuedAt)} · {d.cashier} · caja {d.terminalId} ·{' '}
                <span className={`status-tag s-${d.document?.status ?? 'pending'}`} data-testid="detail-status">
                  {d.document?.statusText ?? 'Sin comprobante'}
                </span>
                {d.status === 'cancelled' && <strong className="bad-text"> · ANULADA</strong>}
              </p>
              <p data-testid="detail-customer">
                Cliente: <span className="strong">{d.customer.name}</span>
                {d.customer.docType !== '-' && ` · ${d.customer.docLabel} ${d.customer.docNumber}`}
                {d.customer.address && ` · ${d.customer.address}`}
              </p>
              <table className="list-table" data-testid="detail-lines">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Descripción</th>
                    <th className="num">Cant.</th>
                    <th className="num">P. unit.</th>
                    <th className="num">Dscto.</th>
                    <th className="num">Total</th>
                    <th className="num">Devuelto</th>
                  </tr>
                </thead>
                <tbody>
                  {d.lines.map((l) => (
                    <tr key={l.lineNo} data-testid="detail-line">
                      <td>{l.lineNo}</td>
                      <td>{l.description}</td>
                      <td className="num">{l.quantity}</td>
                      <td className="num">{soles(l.unitPrice)}</td>
                      <td className="num">{l.discount === '0.00' ? '' : soles(l.discount)}</td>
                      <td className="num">{soles(l.total)}</td>
                      <td className="num">{l.returned === '0' ? '' : l.returned}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="detail-columns">
                <dl className="done-grid">
                  {d.totals.gravado !== '0.00' && (
                    <>
                      <dt>Op. gravada</dt>
                      <dd>{soles(d.totals.gravado)}</dd>
                    </>
                  )}
                  {d.totals.exonerado !== '0.00' && (
                    <>
                      <dt>Op. exonerada</dt>
                      <dd>{soles(d.totals.exonerado)}</dd>
                    </>
                  )}
                  <dt>IGV</dt>
                  <dd>{soles(d.totals.igv)}</dd>
                  {d.totals.icbper !== '0.00' && (
                    <>
                      <dt>ICBPER</dt>
                      <dd>{soles(d.totals.icbper)}</dd>
                    </>
                  )}
                  {d.totals.discount !== '0.00' && (
                    <>
                      <dt>Descuentos</dt>
                      <dd>{soles(d.totals.discount)}</dd>
                    </>
                  )}
                  <dt>Total</dt>
                  <dd className="strong" data-testid="detail-total">{soles(d.totals.total)}</dd>
                </dl>
                <div data-testid="detail-payments">
                  {d.payments.map((p, i) => (
                    <p key={i}>
                      {p.label} {soles(p.amount)}
                      {p.tendered && p.tendered !== p.amount && <span className="muted"> · recibido {soles(p.tendered)}</span>}
                      {p.reference && <span className="muted"> · ref. {p.reference}</span>}
                    </p>
                  ))}
                  {d.totals.change !== '0.00' && <p className="muted">Vuelto {soles(d.totals.change)}</p>}
                </div>
              </div>
              {d.document && (
                <div data-testid="detail-sunat">
                  <p>
                    SUNAT: {d.document.statusText}
                    {d.document.cdrText && (
                      <>
                        {' · '}
                        <span data-testid="detail-cdr">{d.document.cdrText}</span>
                      </>
                    )}
                  </p>
                  {d.document.cdrNotes.map((n) => (
                    <p key={n} className="muted">Observación: {n}</p>
                  ))}
                  {d.document.lastError && d.document.status !== 'accepted' && <p className="muted">{d.document.lastError}</p>}
                  <p className="muted mono">{d.document.fileName}</p>
                </div>
              )}
              {(d.notes.length > 0 || d.voiding) && (
                <div data-testid="detail-linked">
                  <p className="strong">Documentos relacionados</p>
                  {d.notes.map((n) => (
                    <p key={n.noteId} data-testid="detail-note" data-type={n.documentType}>
                      {n.documentType === '08' ? 'Nota de débito' : 'Nota de crédito'} <span className="mono">{n.number}</span> · {soles(n.total)} ·{' '}
                      {n.reason === n.reasonLabel ? n.reason : `${n.reasonLabel}: ${n.reason}`} · {n.settlement} ·{' '}
                      <span className={`status-tag s-${n.status}`}>{n.statusText}</span>
                      {n.cdrText && <span className="muted"> · {n.cdrText}</span>}
                    </p>
                  ))}
                  {d.voiding && (
                    <p data-testid="detail-void">
                      Baja {d.voiding.kind === 'RA' ? 'por comunicación de baja' : 'por resumen diario'} <span className="mono">{d.voiding.fileName}</span> ·{' '}
                      {d.voiding.statusText}
                      {d.voiding.reason && ` · motivo: ${d.voiding.reason}`}
                      {d.voiding.requestedBy && ` · pedida por ${d.voiding.requestedBy}`}
                    </p>
                  )}
                </div>
              )}
              <ol className="timeline" data-testid="detail-timeline">
                {d.timeline.map((e, i) => (
                  <li key={i} data-event={e.event}>
                    <span className="mono">{formatDateTime(e.at)}</span> {e.text}
                    {e.detail && <span className="muted"> · {e.detail}</span>}
                  </li>
                ))}
              </ol>
              <p className="muted" data-testid="detail-print-offer">
                <kbd>R</kbd> {printOffer(d)}.
              </p>
            </>
          )}
          {notice && (
            <p className="notice" role="status" data-testid="detail-notice">
              {notice}
            </p>
          )}
          <ErrorAlert message={error} />
        </div>
        <div className="dialog-actions">
          {d && (
            <>
              <button type="button" className="btn" disabled={busy} onClick={() => print('ticket')} data-testid="detail-print">
                {d.print.copy ? 'Reimprimir (COPIA)' : 'Imprimir ticket'} <kbd>R</kbd>
              </button>
              {d.a4 && (
                <button type="button" className="btn" disabled={busy} onClick={() => print('a4')} data-testid="detail-a4">
                  Factura A4 (PDF) <kbd>A</kbd>
                </button>
              )}
              {d.status !== 'cancelled' && !allReturned(d) && (
                <button type="button" className="btn" onClick={() => onReturn(d)} data-testid="detail-return">
                  Devolución <kbd>D</kbd>
                </button>
              )}
              {manager && d.status !== 'cancelled' && (
                <button type="button" className="btn" onClick={() => onDebitNote(d)} data-testid="detail-debit-button">
                  Nota de débito <kbd>N</kbd>
                </button>
              )}
              {manager && d.status !== 'cancelled' && (
                <button type="button" className="btn" onClick={() => onVoid(d)} data-testid="detail-void-button">
                  Dar de baja <kbd>B</kbd>
                </button>
              )}
            </>
          )}
          <button type="button" className="btn primary" onClick={onClose} data-testid="detail-close">
            Cerrar <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </Modal>
  );
}
