// Words of the cash reports shared by the screen (ReportView, the Z history) and the printed X/Z.
import { Dec, formatSoles } from './decimal';

/** "S/ 0.00 (cuadra)", "Sobrante S/ 48.00", "Faltante S/ 1.50": counted − expected as the cashier reads it. */
export function differenceText(difference: string): string {
  const d = Dec.of(difference);
  if (d.isZero()) return `${formatSoles('0')} (cuadra)`;
  return d.isNegative() ? `Faltante ${formatSoles(d.neg())}` : `Sobrante ${formatSoles(d)}`;
}

export const CASH_MOVE_LABELS = { in: 'Ingreso', out: 'Salida' } as const;

/** Who closed a drawer: "Supervisora Demo", or "Cerrada por Supervisora Demo en lugar de Cajero Demo" (a manager's close). */
export function closedByText(closedBy: string | null, onBehalfOf: string | null | undefined): string {
  return onBehalfOf ? `Cerrada por ${closedBy ?? ''} en lugar de ${onBehalfOf}` : (closedBy ?? '');
}
