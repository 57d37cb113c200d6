// The sales list: the day's sales with their SUNAT status.
import type { Db } from '../db/connection';
import type { SaleRow } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { sunatStatusText } from '../../src-shared/documents';

/** The day's sales and the credit notes issued that day, newest first (a cashier's own when `userId` is given). */
export function listSales(db: Db, opts: { date: string; terminalId?: string; userId?: number }): SaleRow[] {
  const sales = db.all(
    db.q.selectFrom('sales as s').innerJoin('users as u', 'u.id', 's.user_id').leftJoin('documents as d', 'd.sale_id', 's.id')
      .select([
        's.id', 's.number', 's.document_type', 's.series', 's.correlative', 's.issued_at', 's.total_cents', 's.customer_name',
        's.customer_doc_number', 's.status', 'd.status as sunat_status', 'd.simulated', 'u.name as cashier', 's.user_id',
      ])
      .where('s.issue_date', '=', opts.date)
      .$if(!!opts.terminalId, (qb) => qb.where('s.terminal_id', '=', opts.terminalId!))
      .$if(!!opts.userId, (qb) => qb.where('s.user_id', '=', opts.userId!))
      .orderBy('s.id', 'desc'),
  );
  const notes = db.all(
    db.q.selectFrom('notes as n').innerJoin('sales as s', 's.id', 'n.sale_id').innerJoin('users as u', 'u.id', 'n.user_id')
      .leftJoin('documents as d', 'd.note_id', 'n.id')
      .select([
        'n.id', 'n.number', 'n.document_type', 'n.series', 'n.correlative', 'n.issued_at', 'n.total_cents', 's.customer_name',
        's.customer_doc_number', 'd.status as sunat_status', 'd.simulated', 'u.name as cashier', 's.number as reference', 's.id as sale_id',
        'n.user_id',
      ])
      .where('n.issue_date', '=', opts.date)
      .$if(!!opts.terminalId, (qb) => qb.where('n.terminal_id', '=', opts.terminalId!))
      .$if(!!opts.userId, (qb) => qb.where('n.user_id', '=', opts.userId!))
      .orderBy('n.id', 'desc'),
  );
  const customer = (r: { customer_name: string; customer_doc_number: string }) =>
    r.customer_doc_number === '-' ? r.customer_name : `${r.customer_name} (${r.customer_doc_number})`;
  const rows: SaleRow[] = [
    ...sales.map((r) => ({
      kind: 'sale' as const, id: r.id, saleId: r.id, reference: null, number: r.number, documentType: r.document_type,
      series: r.series, correlative: r.correlative, issuedAt: r.issued_at, total: Dec.fromCents(r.total_cents).toFixed(2),
      customer: customer(r), status: r.status, sunatStatus: r.sunat_status ?? 'pending', cashier: r.cashier, userId: r.user_id,
      sunatStatusText: sunatStatusText(r.sunat_status ?? 'pending', r.simulated === 1),
    })),
    ...notes.map((r) => ({
      kind: 'note' as const, id: r.id, saleId: r.sale_id, reference: r.reference, number: r.number, documentType: r.document_type,
      series: r.series, correlative: r.correlative, issuedAt: r.issued_at, total: Dec.fromCents(r.total_cents).toFixed(2),
      customer: customer(r), status: 'completed', sunatStatus: r.sunat_status ?? 'pending', cashier: r.cashier, userId: r.user_id,
      sunatStatusText: sunatStatusText(r.sunat_status ?? 'pending', r.simulated === 1),
    })),
  ];
  // Newest first; a note and a sale of the same instant keep the sale first below it.
  return rows.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || (a.kind === b.kind ? b.id - a.id : a.kind === 'note' ? -1 : 1));
}

/**
 * Documents not yet accepted by SUNAT, for the status bar: pending, or failing (error/rejected). A pending document
 * whose sending job was cancelled (an older version allowed it) or purged will never be sent by itself: it counts
 * as failing, and the Queue screen retries it. Computed often during a drain, so it reads indexes only (migration
 * 004): documents_status(status, file_name), the jobs' unique key for "has a job", jobs_cancelled_key for the rest.
 */
export function documentCounts(db: Db): { pending: number; failing: number } {
  // One pass, no grouping (a GROUP BY would sort every pending row in a temporary tree).
  const r = db.prepare(
    `SELECT count(*) AS total, coalesce(sum(d.status = 'pending' AND NOT (
         NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = d.file_name)
         OR EXISTS (SELECT 1 FROM jobs j INDEXED BY jobs_cancelled_key WHERE j.idempotency_key = d.file_name AND j.state = 'cancelled')
       )), 0) AS pending
     FROM documents d
     WHERE d.status IN ('pending', 'error', 'rejected')`,
  ).get() as { total: number; pending: number };
  return { pending: r.pending, failing: r.total - r.pending };
}
