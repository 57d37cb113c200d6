// The job store's state changes (DESIGN §4): claim, complete, retry, wait for the network, cancel, query. Each one
// is a tiny synchronous transaction; callers notify (events, kicks) only after it returns, i.e. after the commit.
import type { Db } from '../db/connection';
import type { Job, JobState } from '../db/schema';

export const ACTIVE_STATES = ['queued', 'running', 'waiting_network', 'retrying'] as const;
export const FINISHED_STATES = ['succeeded', 'failed', 'cancelled'] as const;
export const ALL_STATES: JobState[] = [...ACTIVE_STATES, ...FINISHED_STATES];

export interface ClaimedJob extends Job {
  /** The job_runs row recording this attempt. */
  runId: number;
}

export interface ClaimOptions {
  kind: string;
  limit: number;
  leaseMs: number;
}

/**
 * The statements of a job's hot path, claim → run row → success, exported so the queue bench's raw loop
 * (test/bench/queue.ts) does exactly the same writes as the runner and measures only the runner's machinery.
 */
export const JOB_SQL = {
  // jobs_claim (migration 002) holds claimable jobs in this order, so each claim reads the first entry only. One job
  // per statement, taken in order: `id = (…LIMIT 1)` costs half of `id IN (…LIMIT n)`, which builds a list first.
  claimOne: `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ?
     WHERE id = (
       SELECT id FROM jobs
       WHERE kind = ? AND state IN ('queued', 'retrying', 'waiting_network') AND run_at <= ?
       ORDER BY priority DESC, run_at, id LIMIT 1)
     RETURNING *`,
  // A run's number is its place in the job's history (1, 2, 3…): `attempts` is the count against max_attempts, which a
  // network wait gives back, so it cannot number runs (two offline runs would both read "1").
  insertRun: 'INSERT INTO job_runs (job_id, attempt, started_at) VALUES (?, (SELECT count(*) + 1 FROM job_runs WHERE job_id = ?), ?)',
  succeeded: `UPDATE jobs SET state = 'succeeded', result = ?, last_error = NULL, lease_until = NULL, finished_at = ?, updated_at = ?,
     payload = json_remove(payload, '$.possiblySent', '$.reconcile')
     WHERE id = ?`,
  finishRun: 'UPDATE job_runs SET finished_at = ?, outcome = ?, error = ? WHERE id = ?',
} as const;

/**
 * One atomic UPDATE … RETURNING: the due jobs of a kind (priority, then run_at, then id) become `running`, with a
 * lease counted from now (the claim), not from when they became due. Every claim spends an attempt; a network wait
 * gives it back (see waitForNetwork), so `attempts` counts only tries that could reach SUNAT.
 */
export function claimDue(db: Db, now: Date, opts: ClaimOptions): ClaimedJob[] {
  if (opts.limit <= 0) return [];
  // A read first: most ticks find nothing due, and then no write transaction is taken at all.
  const any = db
    .prepare(`SELECT 1 FROM jobs WHERE kind = ? AND state IN ('queued', 'retrying', 'waiting_network') AND run_at <= ? LIMIT 1`)
    .get(opts.kind, now.toISOString());
  if (!any) return [];
  return db.tx(() => claimWithin(db, now, opts));
}

/**
 * The claim itself, inside the caller's write transaction: the runner records a finished job and claims the next
 * ones of its kind in one commit (one fsync per job instead of two under synchronous=FULL).
 */
export function claimWithin(db: Db, now: Date, opts: ClaimOptions): ClaimedJob[] {
  if (opts.limit <= 0) return [];
  const at = now.toISOString();
  const lease = new Date(now.getTime() + opts.leaseMs).toISOString();
  const claimOne = db.prepare(JOB_SQL.claimOne);
  const jobs: Job[] = [];
  while (jobs.length < opts.limit) {
    const j = claimOne.get(lease, at, opts.kind, at) as Job | undefined;
    if (!j) break;
    jobs.push(j);
  }
  const insertRun = db.prepare(JOB_SQL.insertRun);
  return jobs.map((j) => ({ ...j, runId: Number(insertRun.run(j.id, j.id, at).lastInsertRowid) }));
}

/** Extends the lease of jobs still running in this process. */
export function renewLeases(db: Db, now: Date, ids: number[], leaseMs: number): void {
  if (ids.length === 0) return;
  const lease = new Date(now.getTime() + leaseMs).toISOString();
  db.tx(() => {
    const s = db.prepare(`UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'running'`);
    for (const id of ids) s.run(lease, id);
  });
}

/**
 * Jobs left `running` by a process that died: queued again, flagged "possibly sent" so the handler asks SUNAT
 * before sending. `onlyExpired` keeps jobs whose lease is still valid (another holder may still be working on them).
 */
export function recoverOrphans(db: Db, now: Date, opts: { onlyExpired: boolean; exclude?: number[] }): number {
  const at = now.toISOString();
  const exclude = opts.exclude ?? [];
  return db.tx(() => {
    const rows = db
      .prepare(
        `SELECT id FROM jobs WHERE state = 'running' ${opts.onlyExpired ? 'AND (lease_until IS NULL OR lease_until < ?)' : ''}`,
      )
      .all(...(opts.onlyExpired ? [at] : [])) as { id: number }[];
    const requeueJob = db.prepare(
      `UPDATE jobs SET state = 'queued', run_at = ?, lease_until = NULL, updated_at = ?,
         payload = json_set(payload, '$.possiblySent', json('true'))
       WHERE id = ? AND state = 'running'`,
    );
    const interruptRun = db.prepare(`UPDATE job_runs SET finished_at = ?, outcome = 'interrupted', error = ? WHERE job_id = ? AND finished_at IS NULL`);
    let n = 0;
    for (const { id } of rows) {
      if (exclude.includes(id)) continue;
      requeueJob.run(at, at, id);
      interruptRun.run(at, 'El proceso se detuvo mientras el trabajo se ejecutaba; se verificará con SUNAT antes de reenviar.', id);
      n++;
    }
    return n;
  });
}

function finishRun(db: Db, runId: number, at: string, outcome: string, error: string | null): void {
  db.prepare(JOB_SQL.finishRun).run(at, outcome, error, runId);
}

export function markSucceeded(db: Db, now: Date, job: ClaimedJob, result: unknown, outcome = 'succeeded'): void {
  const at = now.toISOString();
  db.prepare(JOB_SQL.succeeded).run(JSON.stringify(result ?? null), at, at, job.id);
  finishRun(db, job.runId, at, outcome, null);
}

export function markFailed(db: Db, now: Date, job: ClaimedJob, error: string, result?: unknown): void {
  const at = now.toISOString();
  db
    .prepare(
      `UPDATE jobs SET state = 'failed', last_error = ?, result = ?, lease_until = NULL, finished_at = ?, updated_at = ? WHERE id = ?`,
    )
    .run(error, result === undefined ? null : JSON.stringify(result), at, at, job.id);
  finishRun(db, job.runId, at, 'failed', error);
}

/** Try again at `runAt`; `reconcile` makes the next attempt ask SUNAT first. Spends the attempt. */
export function markRetrying(db: Db, now: Date, job: ClaimedJob, error: string, runAt: Date, reconcile: boolean): void {
  const at = now.toISOString();
  db
    .prepare(
      `UPDATE jobs SET state = 'retrying', last_error = ?, run_at = ?, lease_until = NULL, updated_at = ?,
         payload = ${reconcile ? `json_set(payload, '$.reconcile', json('true'))` : 'payload'}
       WHERE id = ?`,
    )
    .run(error, runAt.toISOString(), at, job.id);
  finishRun(db, job.runId, at, 'retry', error);
}

/** Nothing reached SUNAT: wait for the network without spending the attempt. */
export function markWaitingNetwork(db: Db, now: Date, job: ClaimedJob, error: string, runAt: Date): void {
  const at = now.toISOString();
  db
    .prepare(
      `UPDATE jobs SET state = 'waiting_network', attempts = max(0, attempts - 1), last_error = ?, run_at = ?,
         lease_until = NULL, updated_at = ? WHERE id = ?`,
    )
    .run(error, runAt.toISOString(), at, job.id);
  finishRun(db, job.runId, at, 'waiting_network', error);
}

/** Put back without spending the attempt (queue paused, no certificate yet). */
export function markDeferred(db: Db, now: Date, job: ClaimedJob, error: string, runAt: Date, outcome = 'deferred'): void {
  const at = now.toISOString();
  db
    .prepare(
      `UPDATE jobs SET state = 'queued', attempts = max(0, attempts - 1), last_error = ?, run_at = ?, lease_until = NULL,
         updated_at = ? WHERE id = ?`,
    )
    .run(error, runAt.toISOString(), at, job.id);
  finishRun(db, job.runId, at, outcome, error);
}

/** Network is back: every job waiting for it is due now. Returns how many. */
export function releaseNetworkWaits(db: Db, now: Date): number {
  const at = now.toISOString();
  return db.tx(
    () => db.prepare(`UPDATE jobs SET run_at = ?, updated_at = ? WHERE state = 'waiting_network' AND run_at > ?`).run(at, at, at).changes,
  );
}

/** A new attempt of a finished (or waiting) job: attempts reset, due now, reconciled first. */
export function requeue(db: Db, now: Date, id: number, opts: { priority?: number } = {}): boolean {
  const at = now.toISOString();
  return db.tx(() => {
    const r = db
      .prepare(
        `UPDATE jobs SET state = 'queued', attempts = 0, run_at = ?, lease_until = NULL, finished_at = NULL, updated_at = ?,
           priority = coalesce(?, priority), payload = json_set(payload, '$.reconcile', json('true'))
         WHERE id = ? AND state IN ('failed', 'cancelled', 'retrying', 'waiting_network', 'queued')`,
      )
      .run(at, at, opts.priority ?? null, id);
    return r.changes === 1;
  });
}

/** Cancels a job that is not running nor finished. */
export function cancel(db: Db, now: Date, id: number): boolean {
  const at = now.toISOString();
  return (
    db
      .prepare(
        `UPDATE jobs SET state = 'cancelled', lease_until = NULL, finished_at = ?, updated_at = ?
         WHERE id = ? AND state IN ('queued', 'retrying', 'waiting_network', 'failed')`,
      )
      .run(at, at, id).changes === 1
  );
}

export function getJob(db: Db, id: number): Job | undefined {
  return db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Job | undefined;
}

export interface JobRun {
  id: number; job_id: number; attempt: number; started_at: string; finished_at: string | null; outcome: string | null; error: string | null;
}
export function jobRuns(db: Db, id: number): JobRun[] {
  return db.prepare('SELECT * FROM job_runs WHERE job_id = ? ORDER BY id').all(id) as JobRun[];
}

export function countByState(db: Db): Record<JobState, number> {
  const out = Object.fromEntries(ALL_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const r of db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as { state: JobState; n: number }[]) {
    out[r.state] = r.n;
  }
  return out;
}

export function listJobs(db: Db, states: readonly JobState[], limit = 200): Job[] {
  const marks = states.map(() => '?').join(',');
  return db
    .prepare(`SELECT * FROM jobs WHERE state IN (${marks}) ORDER BY priority DESC, run_at, id LIMIT ?`)
    .all(...states, limit) as Job[];
}

/** Earliest run_at among claimable jobs (for the runner's next wake-up). */
export function nextDueAt(db: Db, kinds: string[]): number | null {
  if (kinds.length === 0) return null;
  const marks = kinds.map(() => '?').join(',');
  const r = db
    .prepare(`SELECT min(run_at) AS t FROM jobs WHERE state IN ('queued', 'retrying', 'waiting_network') AND kind IN (${marks})`)
    .get(...kinds) as { t: string | null };
  return r.t ? Date.parse(r.t) : null;
}

/**
 * Deletes succeeded and cancelled job records (and their runs) finished before `before`. Failed jobs stay: their
 * document still needs them (retry_failed re-queues them). Documents are never touched.
 */
export function purgeFinished(db: Db, before: Date): number {
  const b = before.toISOString();
  return db.tx(() => {
    db
      .prepare(`DELETE FROM job_runs WHERE job_id IN (SELECT id FROM jobs WHERE state IN ('succeeded', 'cancelled') AND finished_at < ?)`)
      .run(b);
    return db.prepare(`DELETE FROM jobs WHERE state IN ('succeeded', 'cancelled') AND finished_at < ?`).run(b).changes;
  });
}

/** Celery's AsyncResult vocabulary, for people who knew the old system. */
export function celeryState(state: JobState): 'PENDING' | 'STARTED' | 'RETRY' | 'SUCCESS' | 'FAILURE' | 'REVOKED' {
  switch (state) {
    case 'queued': return 'PENDING';
    case 'running': return 'STARTED';
    case 'retrying':
    case 'waiting_network': return 'RETRY';
    case 'succeeded': return 'SUCCESS';
    case 'failed': return 'FAILURE';
    case 'cancelled': return 'REVOKED';
  }
}

// ---- The SUNAT pause (credentials / certificate faults stop all sending until an admin resumes) ----

export interface SunatPause {
  reason: string;
  code: string | null;
  at: string;
}

export function sunatPause(db: Db): SunatPause | null {
  const row = db.prepare(`SELECT value FROM settings WHERE key = 'sunatPaused'`).get() as { value: string } | undefined;
  if (!row) return null;
  const v = JSON.parse(row.value) as SunatPause | null;
  return v && typeof v.reason === 'string' ? v : null;
}

export function pauseSunat(db: Db, now: Date, reason: string, code: string | null): void {
  const value = JSON.stringify({ reason, code, at: now.toISOString() } satisfies SunatPause);
  db.prepare(`INSERT INTO settings (key, value) VALUES ('sunatPaused', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(value);
}

export function resumeSunat(db: Db): boolean {
  return db.prepare(`DELETE FROM settings WHERE key = 'sunatPaused'`).run().changes > 0;
}

/** Sets columns of a document after a send or a poll, stamping the attempt and update times. */
export function updateDocument(db: Db, documentId: number, at: Date, fields: Record<string, unknown>): void {
  const cols = Object.keys(fields);
  const now = at.toISOString();
  db
    .prepare(`UPDATE documents SET ${cols.map((c) => `${c} = ?`).join(', ')}, last_attempt_at = ?, updated_at = ? WHERE id = ?`)
    .run(...cols.map((c) => fields[c]), now, now, documentId);
}
