// F9: the day's sales and their credit and debit notes with their SUNAT status. A cashier sees their own; supervisors and admins see
// the terminal's. ↑/↓ select a row, Enter opens the sale's detail (SaleDetailDialog), R prints it — the original for
// its cashier within 15 minutes, else a COPIA; the main process decides, audits and limits reprints (pos/prints.ts) —,
// D opens the return (Devolución) of a sale, B its void (managers); C opens the receivables
// (facturas on credit, "Registrar cobro").
import { useCallback, useEffect, useRef, useState } from 'react';
import { MANAGERS, type SaleRow, type UserView } from '../../src-shared/contract';
import { openPdf, printPdf, type PrintOutcome } from '../pdf';
import { ORIGINAL_PRINT_WINDOW_MS } from '../../src-shared/documents';
import { formatDatePe, isIsoDate } from '../../src-shared/time';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { api, errorMessage } from '../api';
import { formatTime, soles, todayLima } from '../format';
import { DateFilter } from '../components/DateFilter';
import { moveSelection } from '../list-keys';
import { ReturnDialog } from '../components/ReturnDialog';
import { VoidDialog, type VoidTarget } from '../components/VoidDialog';
import { SaleDetailDialog } from '../components/SaleDetailDialog';
import { DebitNoteDialog } from '../components/DebitNoteDialog';
import type { SaleDetail } from '../../src-shared/contract';

const rowKey = (r: SaleRow) => `${r.kind}-${r.id}`;
const DOCUMENT_LABELS: Record<string, string> = { '01': 'Factura', '03': 'Boleta', '07': 'Nota de crédito', '08': 'Nota de débito' };

/** The main process's rule (pos/prints.ts): the original for its own cashier within the window, else a COPIA. */
function printsOriginal(row: SaleRow, user: UserView, now: number): boolean {
  const at = Date.parse(row.issuedAt);
  return row.userId === user.id && Number.isFinite(at) && now - at <= ORIGINAL_PRINT_WINDOW_MS;
}

export function SalesList({ user, onReceivables }: { user: UserView; onReceivables: () => void }) {
  const [date, setDate] = useState(todayLima());
  const [dateText, setDateText] = useState(formatDatePe(todayLima()));
  const [dateError, setDateError] = useState<string | null>(null);

  function applyDate() {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(dateText.trim());
    const iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : '';
    if (!isIsoDate(iso)) {
      setDateError('Escriba la fecha como dd/mm/aaaa, por ejemplo 05/03/2025, y presione Enter.');
      return;
    }
    setDateError(null);
    setDateText(formatDatePe(iso));
    setDate(iso);
  }
  const [rows, setRows] = useState<SaleRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Printing and reports: the original of one's own recent sale, else a COPIA (the main process limits a cashier's).
  const manager = MANAGERS.includes(user.role);
  const [now, setNow] = useState(() => Date.now());
  const [selected, setSelected] = useState(0);
  const [reprinting, setReprinting] = useState<string | null>(null);
  const [returning, setReturning] = useState<number | null>(null);
  const [voiding, setVoiding] = useState<VoidTarget | null>(null);
  const [detail, setDetail] = useState<number | null>(null);
  const [debiting, setDebiting] = useState<SaleDetail | null>(null);
  // The detail the return or void was opened from: it opens again when they close.
  const [backToDetail, setBackToDetail] = useState<number | null>(null);
  const [printNotice, setPrintNotice] = useState<string | null>(null);
  const [printFailed, setPrintFailed] = useState<Extract<PrintOutcome, { kind: 'failed' }> | null>(null);
  const reprint = useCallback(
    (row: SaleRow) => {
      if (reprinting !== null) return;
      setReprinting(rowKey(row));
      setPrintNotice(null);
      setPrintFailed(null);
      api.call('documents.print', row.kind === 'note' ? { noteId: row.id } : { saleId: row.id }).then(
        async (pdf) => {
          const left = pdf.reprintsLeft === null ? '' : ` Le quedan ${pdf.reprintsLeft} reimpresiones.`;
          const what = `${pdf.copy ? `Reimpresión (COPIA) de ${row.number}` : `Ticket de ${row.number}`}`;
          const out = await printPdf(pdf);
          setReprinting(null);
          if (out.kind === 'failed') setPrintFailed(out);
          else setPrintNotice(`${out.kind === 'printed' ? `${what}: impreso en ${out.printer}.` : `${what} generado.`}${left}`);
        },
        (e) => {
          setReprinting(null);
          setError(errorMessage(e));
        },
      );
    },
    [reprinting],
  );
  // The keys read the rows and selection of the latest render through a ref: a listener re-registered by an effect
  // would still hold the previous rows for a moment after the new ones are on screen (R pressed right then did nothing).
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (e: KeyboardEvent) => {
    if (document.querySelector('[role="dialog"]')) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    if (moveSelection(e.key, rows?.length ?? 0, setSelected)) e.preventDefault();
    else if (e.key === 'Enter' && t?.tagName !== 'BUTTON' && rows?.[selected]) {
      // A note's row opens the sale it corrects.
      e.preventDefault();
      setDetail(rows[selected].saleId);
    } else if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey && !e.altKey && !e.metaKey && rows?.[selected]) {
      e.preventDefault();
      reprint(rows[selected]);
    } else if ((e.key === 'd' || e.key === 'D') && !e.ctrlKey && !e.altKey && !e.metaKey && rows?.[selected]?.kind === 'sale') {
      e.preventDefault();
      setReturning(rows[selected].id);
    } else if ((e.key === 'c' || e.key === 'C') && !e.ctrlKey && !e.altKey && !e.metaKey) {
      // Selling on credit: the facturas with something left to collect, and "Registrar cobro".
      e.preventDefault();
      onReceivables();
    } else if ((e.key === 'b' || e.key === 'B') && manager && !e.ctrlKey && !e.altKey && !e.metaKey && rows?.[selected]?.kind === 'sale') {
      e.preventDefault();
      setVoiding(rows[selected]);
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const load = useCallback(() => {
    if (!isIsoDate(date)) return;
    api.call('sales.list', { date }).then(
      (r) => {
        setRows(r);
        setNow(Date.now()); // a cashier's print offer ends with the Api's window
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  }, [date]);

  useEffect(() => {
    load();
    const off = api.on('sale.updated', (u) => {
      setRows((rs) => rs?.map((r) => (r.kind === 'sale' && r.id === u.saleId ? { ...r, sunatStatus: u.sunatStatus, sunatStatusText: u.sunatStatusText ?? r.sunatStatusText } : r)) ?? rs);
    });
    const timer = window.setInterval(load, 10_000);
    return () => {
      off();
      window.clearInterval(timer);
    };
  }, [load]);

  function reopenDetail() {
    if (backToDetail !== null) setDetail(backToDetail);
    setBackToDetail(null);
  }

  let total = Dec.ZERO;
  for (const r of rows ?? []) {
    try {
      // Credit notes take back what they credit, debit notes add what they charge: the day's net.
      if (r.status !== 'cancelled') total = r.documentType === '07' ? total.minus(r.total) : total.plus(r.total);
    } catch {
      // A malformed amount is shown as is and left out of the sum.
    }
  }

  return (
    <section className="panel sales-panel">
      <header className="panel-head">
        <h1>Ventas del {isIsoDate(date) ? formatDatePe(date) : 'día'}</h1>
        <DateFilter
          text={dateText}
          invalid={dateError !== null}
          testId="sales-date"
          onText={setDateText}
          onApply={applyDate}
          onRefresh={load}
        />
      </header>
      <p className="muted">
        {user.role === 'cashier' ? 'Sus ventas en esta caja.' : 'Todas las ventas de esta caja.'} <kbd>Esc</kbd> vuelve a la venta,{' '}
        <kbd>C</kbd> abre las cuentas por cobrar (facturas al crédito).
        {' '}
        {manager ? (
          <>
            <kbd>↑</kbd>/<kbd>↓</kbd> elige una venta, <kbd>Enter</kbd> abre su detalle, <kbd>R</kbd> la imprime (COPIA salvo su propia venta
            de hace menos de 15 minutos; queda registrada), <kbd>D</kbd> registra una devolución, <kbd>B</kbd> la da de baja ante SUNAT; en el detalle, <kbd>N</kbd> emite una nota de débito.
          </>
        ) : (
          <>
            <kbd>↑</kbd>/<kbd>↓</kbd> elige una venta, <kbd>Enter</kbd> abre su detalle, <kbd>R</kbd> imprime su ticket (el original hasta 15
            minutos después de la venta; luego, una COPIA), <kbd>D</kbd> registra una devolución.
          </>
        )}
      </p>
      {printNotice && (
        <p className="notice" role="status" data-testid="reprint-notice">
          {printNotice}
        </p>
      )}
      {printFailed && (
        <p className="alert" role="alert" data-testid="print-error">
          {printFailed.message}{' '}
          <button type="button" className="btn small" onClick={() => openPdf(printFailed.pdf)} data-testid="print-open-pdf">
            Abrir PDF
          </button>
        </p>
      )}
      {dateError && (
        <p className="alert" role="alert">
          {dateError}
        </p>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="error-alert">
          {error}
        </p>
      )}
      <table className="list-table" data-testid="sales-list" data-count={rows?.length ?? ''}>
        <thead>
          <tr>
            <th>Número</th>
            <th>Comprobante</th>
            <th>Hora</th>
            <th>Cliente</th>
            <th className="num">Total</th>
            <th>Estado SUNAT</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.map((r, i) => (
            <tr
              key={rowKey(r)}
              data-testid="sales-row"
              data-number={r.number}
              data-kind={r.kind}
              aria-selected={i === selected}
              className={[r.status === 'cancelled' ? 'voided' : '', i === selected ? 'selected' : ''].filter(Boolean).join(' ') || undefined}
              onClick={() => setSelected(i)}
            >
              <td className="strong mono">{r.number}</td>
              <td>
                {DOCUMENT_LABELS[r.documentType] ?? r.documentType}
                {r.reference && <span className="muted"> de {r.reference}</span>}
              </td>
              <td>{formatTime(r.issuedAt)}</td>
              <td>{r.customer || 'Clientes varios'}</td>
              <td className="num">{r.documentType === '07' ? `−${soles(r.total)}` : soles(r.total)}</td>
              <td>
                <span className={`status-tag s-${r.sunatStatus}`} data-testid="sales-status">{r.sunatStatusText}</span>
              </td>
              <td>
                <button
                  type="button"
                  className="btn"
                  data-testid="detail"
                  tabIndex={-1}
                  onClick={() => {
                    setSelected(i);
                    setDetail(r.saleId);
                  }}
                >
                  Detalle <kbd>Enter</kbd>
                </button>
                <button
                  type="button"
                  className="btn"
                  data-testid="reprint"
                  tabIndex={-1}
                  disabled={reprinting !== null}
                  onClick={() => {
                    setSelected(i);
                    reprint(r);
                  }}
                >
                  {reprinting === rowKey(r) ? 'Generando…' : printsOriginal(r, user, now) ? 'Imprimir ticket' : 'Reimprimir (COPIA)'} <kbd>R</kbd>
                </button>
                {r.kind === 'sale' && r.status !== 'cancelled' && (
                  <button
                    type="button"
                    className="btn"
                    data-testid="return"
                    tabIndex={-1}
                    onClick={() => {
                      setSelected(i);
                      setReturning(r.id);
                    }}
                  >
                    Devolución <kbd>D</kbd>
                  </button>
                )}
                {manager && r.kind === 'sale' && r.status !== 'cancelled' && (
                  <button
                    type="button"
                    className="btn"
                    data-testid="void"
                    tabIndex={-1}
                    onClick={() => {
                      setSelected(i);
                      setVoiding(r);
                    }}
                  >
                    Dar de baja <kbd>B</kbd>
                  </button>
                )}
              </td>
            </tr>
          ))}
          {rows && rows.length === 0 && (
            <tr className="empty">
              <td colSpan={7}>No hay ventas registradas en esta fecha.</td>
            </tr>
          )}
          {!rows && !error && (
            <tr className="empty">
              <td colSpan={7}>Cargando…</td>
            </tr>
          )}
        </tbody>
        {rows && rows.length > 0 && (
          <tfoot>
            <tr>
              <td colSpan={4}>{rows.length} comprobantes</td>
              <td className="num strong">{formatSoles(total)}</td>
              <td />
              <td />
            </tr>
          </tfoot>
        )}
      </table>
      {detail !== null && (
        <SaleDetailDialog
          saleId={detail}
          manager={manager}
          onClose={() => setDetail(null)}
          onReturn={(d) => {
            setDetail(null);
            setBackToDetail(d.saleId);
            setReturning(d.saleId);
          }}
          onDebitNote={(d) => {
            setDetail(null);
            setBackToDetail(d.saleId);
            setDebiting(d);
          }}
          onVoid={(d) => {
            setDetail(null);
            setBackToDetail(d.saleId);
            setVoiding({ id: d.saleId, number: d.number, documentType: d.documentType, customer: d.customer.name, sunatStatusText: d.document?.statusText ?? '' });
          }}
        />
      )}
      {voiding && (
        <VoidDialog
          row={voiding}
          onClose={(changed) => {
            setVoiding(null);
            if (changed) load();
            reopenDetail();
          }}
          onCreditNote={() => {
            setReturning(voiding.id);
            setVoiding(null);
          }}
        />
      )}
      {debiting && (
        <DebitNoteDialog
          sale={debiting}
          onClose={(done) => {
            setDebiting(null);
            if (done) load();
            reopenDetail();
          }}
        />
      )}
      {returning !== null && (
        <ReturnDialog
          saleId={returning}
          onClose={(changed) => {
            setReturning(null);
            if (changed) load();
            reopenDetail();
          }}
        />
      )}
    </section>
  );
}
