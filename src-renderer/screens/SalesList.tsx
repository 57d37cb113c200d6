// F9: the day's sales and credit notes with their SUNAT status. A cashier sees their own and may print the original
// ticket for 15 minutes after it (what the Api allows); supervisors and admins see the terminal's and may reprint a
// document ("COPIA", audited): ↑/↓ select a row, R prints it, D opens the return (Devolución) of a sale; C opens the
// receivables (facturas on credit, "Registrar cobro").
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
import { VoidDialog } from '../components/VoidDialog';

const rowKey = (r: SaleRow) => `${r.kind}-${r.id}`;

/** The Api's rule (printDocument): a cashier prints the original of their own sale within the window. */
function originalPrintable(row: SaleRow, now: number): boolean {
  const at = Date.parse(row.issuedAt);
  return Number.isFinite(at) && now - at <= ORIGINAL_PRINT_WINDOW_MS;
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
  // Printing and reports: reprints (COPIA) for managers; a cashier's own recent sale prints as the original.
  const manager = MANAGERS.includes(user.role);
  const [now, setNow] = useState(() => Date.now());
  const printableRow = useCallback((row: SaleRow) => manager || originalPrintable(row, now), [manager, now]);
  const [selected, setSelected] = useState(0);
  const [reprinting, setReprinting] = useState<string | null>(null);
  const [returning, setReturning] = useState<number | null>(null);
  const [voiding, setVoiding] = useState<SaleRow | null>(null);
  const [printNotice, setPrintNotice] = useState<string | null>(null);
  const [printFailed, setPrintFailed] = useState<Extract<PrintOutcome, { kind: 'failed' }> | null>(null);
  const reprint = useCallback(
    (row: SaleRow) => {
      if (reprinting !== null || !printableRow(row)) return;
      setReprinting(rowKey(row));
      setPrintNotice(null);
      setPrintFailed(null);
      const what = manager ? `Reimpresión (COPIA) de ${row.number}` : `Ticket de ${row.number}`;
      api.call('documents.print', row.kind === 'note' ? { noteId: row.id, copy: manager } : { saleId: row.id, copy: manager }).then(
        async (pdf) => {
          const out = await printPdf(pdf);
          setReprinting(null);
          if (out.kind === 'failed') setPrintFailed(out);
          else setPrintNotice(out.kind === 'printed' ? `${what}: impreso en ${out.printer}.` : `${what} generado.`);
        },
        (e) => {
          setReprinting(null);
          setError(errorMessage(e));
        },
      );
    },
    [manager, printableRow, reprinting],
  );
  // The keys read the rows and selection of the latest render through a ref: a listener re-registered by an effect
  // would still hold the previous rows for a moment after the new ones are on screen (R pressed right then did nothing).
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (e: KeyboardEvent) => {
    if (document.querySelector('[role="dialog"]')) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    if (moveSelection(e.key, rows?.length ?? 0, setSelected)) e.preventDefault();
    else if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey && !e.altKey && !e.metaKey && rows?.[selected]) {
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

  let total = Dec.ZERO;
  for (const r of rows ?? []) {
    try {
      // Notes take back what they credit: the day's net.
      if (r.status !== 'cancelled') total = r.kind === 'note' ? total.minus(r.total) : total.plus(r.total);
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
            <kbd>↑</kbd>/<kbd>↓</kbd> elige una venta, <kbd>R</kbd> la reimprime (COPIA, queda registrada), <kbd>D</kbd> registra una devolución,
            <kbd>B</kbd> la da de baja ante SUNAT.
          </>
        ) : (
          <>
            <kbd>↑</kbd>/<kbd>↓</kbd> elige una venta, <kbd>R</kbd> imprime su ticket (hasta 15 minutos después de la venta; luego, pida una
            reimpresión a un supervisor), <kbd>D</kbd> registra una devolución.
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
                {r.documentType === '01' ? 'Factura' : r.documentType === '03' ? 'Boleta' : r.documentType === '07' ? 'Nota de crédito' : r.documentType}
                {r.reference && <span className="muted"> de {r.reference}</span>}
              </td>
              <td>{formatTime(r.issuedAt)}</td>
              <td>{r.customer || 'Clientes varios'}</td>
              <td className="num">{r.kind === 'note' ? `−${soles(r.total)}` : soles(r.total)}</td>
              <td>
                <span className={`status-tag s-${r.sunatStatus}`} data-testid="sales-status">{r.sunatStatusText}</span>
              </td>
              <td>
                {printableRow(r) && (
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
                    {reprinting === rowKey(r) ? 'Generando…' : manager ? 'Reimprimir (COPIA)' : 'Imprimir ticket'} <kbd>R</kbd>
                  </button>
                )}
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
      {voiding && (
        <VoidDialog
          row={voiding}
          onClose={(changed) => {
            setVoiding(null);
            if (changed) load();
          }}
          onCreditNote={() => {
            setReturning(voiding.id);
            setVoiding(null);
          }}
        />
      )}
      {returning !== null && (
        <ReturnDialog
          saleId={returning}
          onClose={(done) => {
            setReturning(null);
            if (done) load();
          }}
        />
      )}
    </section>
  );
}
