// An X (mid-shift) or Z (closing, numbered) cash report as the cashier reads it on screen.
import type { CashReport } from '../../src-shared/contract';
import { SALE_METHOD_LABELS } from '../../src-shared/documents';
import { CASH_MOVE_LABELS, closedByText, differenceText } from '../../src-shared/cash';
import { formatDateTime, soles } from '../format';

export function ReportView({ report }: { report: CashReport }) {
  const title = report.kind === 'Z' ? `Informe Z N° ${report.zNumber ?? '—'}` : 'Informe X (parcial)';
  const diff = report.difference ?? '0';
  const zero = /^-?0+(\.0+)?$/.test(diff);
  const diffText = differenceText(diff);
  return (
    <div className="report" data-testid={report.kind === 'Z' ? 'z-report' : 'x-report'}>
      <h2>{title}</h2>
      <dl className="report-grid">
        <dt>Caja</dt>
        <dd>
          {report.terminalId} · {report.cashier === null ? 'cajón compartido' : `cajón de ${report.cashier}`}
        </dd>
        <dt>Apertura</dt>
        <dd>
          {formatDateTime(report.openedAt)} · {report.openedBy}
        </dd>
        {report.closedAt && (
          <>
            <dt>Cierre</dt>
            <dd data-testid="report-closed-by">
              {formatDateTime(report.closedAt)} · {closedByText(report.closedBy, report.onBehalfOf)}
            </dd>
          </>
        )}
        <dt>Fondo inicial</dt>
        <dd>{soles(report.openingFloat)}</dd>
        <dt>Ventas</dt>
        <dd>
          {report.salesCount} · {soles(report.salesTotal)}
        </dd>
        {report.byMethod.map((m) => (
          <FragmentRow key={m.method} label={`  ${SALE_METHOD_LABELS[m.method] ?? m.method}`} value={soles(m.total)} />
        ))}
        <dt>Ingresos de efectivo</dt>
        <dd data-testid={`${report.kind.toLowerCase()}-report-cash-in`}>{soles(report.cashIn)}</dd>
        <dt>Salidas de efectivo</dt>
        <dd data-testid={`${report.kind.toLowerCase()}-report-cash-out`}>{soles(report.cashOut)}</dd>
        {report.moves.map((m, i) => (
          <FragmentRow key={i} label={`  ${CASH_MOVE_LABELS[m.kind]}: ${m.reason}`} value={`${m.kind === 'out' ? '-' : ''}${soles(m.amount)}`} />
        ))}
        {report.collections && report.collections.count > 0 && (
          <>
            <dt>Cobros de créditos</dt>
            <dd data-testid={`${report.kind.toLowerCase()}-report-collections`}>
              {report.collections.count} · {soles(report.collections.total)}
            </dd>
            <FragmentRow label="  En efectivo (en ingresos)" value={soles(report.collections.cash)} />
          </>
        )}
        <dt>Devoluciones (notas de crédito)</dt>
        <dd data-testid={`${report.kind.toLowerCase()}-report-refunds`}>
          {report.refundsCount} · {soles(report.refundsTotal)}
        </dd>
        <FragmentRow label="  En efectivo (salió de la caja)" value={soles(report.refundsCash)} />
        {report.debitNotesCount > 0 && (
          <>
            <dt>Notas de débito cobradas</dt>
            <dd data-testid={`${report.kind.toLowerCase()}-report-debit-notes`}>
              {report.debitNotesCount} · {soles(report.debitNotesTotal)}
            </dd>
            <FragmentRow label="  En efectivo (entró a la caja)" value={soles(report.debitNotesCash)} />
          </>
        )}
        {report.drawerOpenings && (
          <>
            <dt>Aperturas de cajón sin venta</dt>
            <dd data-testid={`${report.kind.toLowerCase()}-report-no-sale-openings`}>{report.drawerOpenings.noSale}</dd>
            {report.drawerOpenings.moves > 0 && <FragmentRow label="Aperturas por ingresos/salidas" value={String(report.drawerOpenings.moves)} />}
          </>
        )}
        <dt>Efectivo esperado en caja</dt>
        <dd className="strong" data-testid={`${report.kind.toLowerCase()}-report-expected`}>{soles(report.expectedCash)}</dd>
        {report.counted !== null && (
          <>
            <dt>Efectivo contado</dt>
            <dd>{soles(report.counted)}</dd>
            <dt>Diferencia</dt>
            <dd className={zero ? 'strong' : 'strong bad-text'} data-testid="report-difference">
              {diffText}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}

function FragmentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="indent">{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
