// sunat.retry_failed (every 30 min, DESIGN §3.6): documents in `error` whose last attempt is over an hour old and
// whose sale is not cancelled get a new attempt of the same job (attempts reset, reconciled first), 50 per run.
// Demo receipts refused by SUNAT's modes (sunat/target.ts) are taken up again only in demo mode.
import type { Db } from '../../db/connection';
import type { JobContext, JobOutcome } from '../runner';
import { PRIORITY, enqueue } from '../queue';

export const RETRY_FAILED_LIMIT = 50;
export const RETRY_FAILED_MIN_AGE_MS = 60 * 60_000;

export interface RetryFailedResult {
  requeued: number;
  documents: string[];
}

/** The selection and the re-queue, in one transaction. */
export function retryFailedDocuments(db: Db, now: Date, limit = RETRY_FAILED_LIMIT, minAgeMs = RETRY_FAILED_MIN_AGE_MS): RetryFailedResult {
  const cutoff = new Date(now.getTime() - minAgeMs).toISOString();
  const at = now.toISOString();
  return db.tx(() => {
    const rows = db.raw
      .prepare(
        `SELECT d.id, d.sale_id, d.file_name FROM documents d LEFT JOIN sales s ON s.id = d.sale_id
         WHERE d.status = 'error' AND (d.last_attempt_at IS NULL OR d.last_attempt_at < ?)
           AND (s.id IS NULL OR s.status <> 'cancelled')
           AND (d.issued_mode IS NOT 'demo'
                OR coalesce((SELECT json_extract(value, '$') FROM settings WHERE key = 'sunatMode'), 'demo') = 'demo')
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.idempotency_key = d.file_name
                           AND j.state IN ('queued', 'running', 'retrying', 'waiting_network'))
         ORDER BY d.last_attempt_at, d.id LIMIT ?`,
      )
      .all(cutoff, limit) as { id: number; sale_id: number | null; file_name: string }[];
    for (const d of rows) {
      const r = db.raw
        .prepare(
          `UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, lease_until = NULL, finished_at = NULL, updated_at = ?,
             priority = ?, payload = json_set(payload, '$.reconcile', json('true'))
           WHERE idempotency_key = ?`,
        )
        .run(at, at, PRIORITY.backlog, d.file_name);
      if (r.changes === 0) {
        // Its job record was purged: a new one under the same key.
        enqueue(db, now, { kind: 'sunat.send', idempotencyKey: d.file_name, priority: PRIORITY.backlog, payload: { documentId: d.id, saleId: d.sale_id, reconcile: true } });
      }
      db.raw.prepare(`UPDATE documents SET status = 'pending', updated_at = ? WHERE id = ?`).run(at, d.id);
    }
    return { requeued: rows.length, documents: rows.map((r) => r.file_name) };
  });
}

export async function retryFailedHandler(ctx: JobContext): Promise<JobOutcome> {
  const r = retryFailedDocuments(ctx.db, ctx.clock.now());
  return { type: 'succeeded', result: r, after: () => ctx.statusChanged() };
}
