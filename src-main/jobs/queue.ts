// The durable job store (DESIGN §4). enqueue runs inside the caller's transaction (the outbox pattern): a sale and
// its job commit together or not at all.
import type { Db } from '../db/connection';

export interface NewJob {
  kind: string;
  payload?: unknown;
  idempotencyKey?: string;
  /** Higher runs first: a fresh sale goes before a backlog. */
  priority?: number;
  runAt?: Date;
  maxAttempts?: number;
}

export const PRIORITY = { fresh: 10, normal: 0, backlog: -10 } as const;

/** Inserts the job, or returns the existing one with the same idempotency key. */
export function enqueue(db: Db, at: Date, job: NewJob): number {
  const now = at.toISOString();
  const r = db
    .prepare(
      `INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, idempotency_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    )
    .run(
      job.kind, JSON.stringify(job.payload ?? {}), job.priority ?? PRIORITY.normal, job.maxAttempts ?? 3,
      (job.runAt ?? at).toISOString(), job.idempotencyKey ?? null, now, now,
    );
  if (r.changes === 1) return Number(r.lastInsertRowid);
  const existing = db.first(db.q.selectFrom('jobs').select('id').where('idempotency_key', '=', job.idempotencyKey ?? ''));
  if (!existing) throw new Error('enqueue: conflicting job vanished');
  return existing.id;
}
