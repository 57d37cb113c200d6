// Historial de cierres: the kept Z reports, newest first (a cashier sees their own drawers; managers every one) with
// who closed, when, the cash counted against the cash expected and the difference. ↑/↓ choose, Enter reprints the
// chosen Z ("COPIA", audited) on the thermal printer when there is one, else as a PDF; Esc closes.
import { useEffect, useState } from 'react';
import type { ZReportRow } from '../../src-shared/contract';
import { closedByText, differenceText } from '../../src-shared/cash';
import { api, errorMessage } from '../api';
import { formatDateTime, soles } from '../format';
import { moveSelection } from '../list-keys';
import { finishReportPrint } from '../report-print';
import { ErrorAlert } from './ErrorAlert';
import { Modal } from './Modal';

export function ZHistoryDialog({ onClose }: { onClose: () => void }) {
  const [rows, setRows] = useState<ZReportRow[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.call('cash.zReports', {}).then(setRows, (e) => setError(errorMessage(e)));
  }, []);

  function reprint(row: ZReportRow | undefined) {
    if (!row || busy) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    api.call('cash.zReportPrint', { sessionId: row.sessionId, copy: true }).then(
      async (printed) => {
        const out = await finishReportPrint(printed, `Informe Z N° ${row.zNumber} abierto para imprimir.`);
        setBusy(false);
        if (out.kind === 'failed') setError(out.message);
        else if (out.kind === 'done') setNotice(out.message);
      },
      (e) => {
        setBusy(false);
        setError(errorMessage(e));
      },
    );
  }

  return (
    <Modal title="Historial de cierres (informes Z)" onCancel={onClose} wide testId="z-history">
      <div
        tabIndex={0}
        data-autofocus
        data-testid="z-history-list"
        onKeyDown={(e) => {
          if (moveSelection(e.key, rows?.length ?? 0, setSelected)) e.preventDefault();
          else if (e.key === 'Enter') {
            e.preventDefault();
            reprint(rows?.[selected]);
          }
        }}
      >
        {rows && rows.length === 0 && <p className="muted">Todavía no hay cierres de caja.</p>}
        {!rows && !error && <p className="muted">Cargando…</p>}
        {rows && rows.length > 0 && (
          <table className="list-table z-history-table">
            <thead>
              <tr>
                <th>Z</th>
                <th>Caja</th>
                <th>Cerró</th>
                <th>Cierre</th>
                <th className="num">Esperado</th>
                <th className="num">Contado</th>
                <th className="num">Diferencia</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr
                  key={r.sessionId}
                  data-testid="z-history-row"
                  aria-selected={i === selected}
                  className={i === selected ? 'selected' : undefined}
                  onClick={() => setSelected(i)}
                  onDoubleClick={() => reprint(r)}
                >
                  <td className="strong">N° {r.zNumber}</td>
                  <td>
                    {r.terminalId} · {r.cashier === null ? 'compartida' : r.cashier}
                  </td>
                  <td data-testid="z-history-closed-by">{closedByText(r.closedBy, r.onBehalfOf)}</td>
                  <td title={`Apertura: ${formatDateTime(r.openedAt)} por ${r.openedBy}`}>{formatDateTime(r.closedAt)}</td>
                  <td className="num">{soles(r.expected)}</td>
                  <td className="num">{soles(r.counted)}</td>
                  <td className={/^0(\.0+)?$/.test(r.difference) ? 'num' : 'num bad-text'} data-testid="z-history-difference">
                    {differenceText(r.difference)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {notice && (
        <p className="notice" role="status" data-testid="z-history-notice">
          {notice}
        </p>
      )}
      <ErrorAlert message={error} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cerrar (Esc)
        </button>
        <button type="button" className="btn primary" disabled={!rows?.length || busy} onClick={() => reprint(rows?.[selected])} data-testid="z-history-reprint">
          {busy ? 'Imprimiendo…' : 'Reimprimir Z (Enter)'}
        </button>
      </div>
    </Modal>
  );
}
