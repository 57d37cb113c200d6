// The sales list: the day's sales with their SUNAT status.
import type { Db } from '../db/connection';
import type { SaleRow } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { sunatStatusText } from '../../src-shared/documents';

export function listSales(db: Db, opts: { date: string; terminalId?: string; userId?: number }): SaleRow[] {
  const where = ['s.issue_date = ?'];
  const args: unknown[] = [opts.date];
  if (opts.terminalId) { where.push('s.terminal_id = ?'); args.push(opts.terminalId); }
  if (opts.userId) { where.push('s.user_id = ?'); args.push(opts.userId); }
  const rows = db.raw
    .prepare(
      `SELECT s.id, s.number, s.document_type, s.series, s.correlative, s.issued_at, s.total_cents, s.customer_name,
              s.customer_doc_number, s.status, d.status AS sunat_status, d.simulated, u.name AS cashier
       FROM sales s JOIN users u ON u.id = s.user_id LEFT JOIN documents d ON d.sale_id = s.id
       WHERE ${where.join(' AND ')} ORDER BY s.id DESC`,
    )
    .all(...args) as {
      id: number; number: string; document_type: string; series: string; correlative: number; issued_at: string;
      total_cents: number; customer_name: string; customer_doc_number: string; status: string; sunat_status: string | null; simulated: number | null; cashier: string;
    }[];
  return rows.map((r) => ({
    id: r.id, number: r.number, documentType: r.document_type, series: r.series, correlative: r.correlative,
    issuedAt: r.issued_at, total: Dec.fromCents(r.total_cents).toFixed(2),
    customer: r.customer_doc_number === '-' ? r.customer_name : `${r.customer_name} (${r.customer_doc_number})`,
    status: r.status, sunatStatus: r.sunat_status ?? 'pending', cashier: r.cashier,
    sunatStatusText: sunatStatusText(r.sunat_status ?? 'pending', r.simulated === 1),
  }));
}

/**
 * Documents not yet accepted by SUNAT, for the status bar: pending, or failing (error/rejected). A pending document
 * whose sending job was cancelled (an older version allowed it) or purged will never be sent by itself: it counts
 * as failing, and the Queue screen retries it. Uses the status index, then the jobs' unique key.
 */
export function documentCounts(db: Db): { pending: number; failing: number } {
  const rows = db.raw
    .prepare(
      `SELECT d.status, (j.id IS NULL OR j.state = 'cancelled') AS orphan, count(*) AS n
       FROM documents d LEFT JOIN jobs j ON j.idempotency_key = d.file_name
       WHERE d.status IN ('pending', 'error', 'rejected') GROUP BY 1, 2`,
    )
    .all() as { status: string; orphan: number; n: number }[];
  let pending = 0;
  let failing = 0;
  for (const r of rows) {
    if (r.status === 'pending' && !r.orphan) pending += r.n;
    else failing += r.n;
  }
  return { pending, failing };
}
