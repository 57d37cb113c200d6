// sunat.retry_failed (every 30 min, DESIGN §3.6): documents in `error` whose last attempt is over an hour old and
// whose sale is not cancelled get a new attempt of the same job (attempts reset, reconciled first), 50 per run —
// except what SUNAT takes only in a daily summary (`by_summary`, 1079): `document summary` informs those.
// Demo receipts refused by SUNAT's modes (sunat/target.ts) are taken up again only in demo mode.
import { sql } from 'kysely';
import type { Db } from '../../db/connection';
import { getSetting } from '../../db/settings';
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
    const demoMode = getSetting(db, 'sunatMode') === 'demo';
    const rows = db.all(
      db.q.selectFrom('documents as d').leftJoin('sales as s', 's.id', 'd.sale_id')
        .select(['d.id', 'd.sale_id', 'd.file_name'])
        .where('d.status', '=', 'error')
        // SUNAT takes these only in a daily summary (1079): sending them alone again cannot help.
        .where('d.by_summary', '=', 0)
        .where((eb) => eb.or([eb('d.last_attempt_at', 'is', null), eb('d.last_attempt_at', '<', cutoff)]))
        .where((eb) => eb.or([eb('s.id', 'is', null), eb('s.status', '<>', 'cancelled')]))
        .$if(!demoMode, (qb) => qb.where('d.issued_mode', 'is not', 'demo'))
        .where(({ not, exists, selectFrom }) => not(exists(
          selectFrom('jobs as j').select(sql.lit(1).as('one')).whereRef('j.idempotency_key', '=', 'd.file_name')
            .where('j.state', 'in', ['queued', 'running', 'retrying', 'waiting_network']),
        )))
        .orderBy('d.last_attempt_at').orderBy('d.id').limit(limit),
    );
    for (const d of rows) {
      const r = db.run(
        db.q.updateTable('jobs').set({
          state: 'queued', attempts: 0, run_at: at, lease_until: null, finished_at: null, updated_at: at,
          priority: PRIORITY.backlog, payload: sql`json_set(payload, '$.reconcile', json('true'))`,
        }).where('idempotency_key', '=', d.file_name),
      );
      if (r.changes === 0) {
        // Its job record was purged: a new one under the same key.
        enqueue(db, now, { kind: 'sunat.send', idempotencyKey: d.file_name, priority: PRIORITY.backlog, payload: { documentId: d.id, saleId: d.sale_id, reconcile: true } });
      }
      db.run(db.q.updateTable('documents').set({ status: 'pending', updated_at: at }).where('id', '=', d.id));
    }
    return { requeued: rows.length, documents: rows.map((r) => r.file_name) };
  });
}

export async function retryFailedHandler(ctx: JobContext): Promise<JobOutcome> {
  const r = retryFailedDocuments(ctx.db, ctx.clock.now());
  return { type: 'succeeded', result: r, after: () => ctx.statusChanged() };
}
