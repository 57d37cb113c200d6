// The queue monitor's views (what Flower showed): jobs as the screen and the contract see them, built from the store's
// queries. SUNAT codes found in an error or a CDR are shown with SUNAT's own Spanish text.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import type { Job, JobState } from '../db/schema';
import type { QueueJob, QueueJobDetail, QueueStats } from '../../src-shared/contract';
import { formatNumber } from '../../src-shared/documents';
import { sunatMessage } from '../sunat/error-texts';
import { normaliseCode } from '../sunat/faults';
import { lockHolder } from '../db/lock';
import { HEARTBEAT_FILE } from './heartbeat';
import { lastRun, nextScheduledAfter, readSchedule } from '../db/settings-schedule';
import { ACTIVE_STATES, ALL_STATES, cancel, countByState, getJob, jobRuns, listJobs, requeue, sunatPause } from './store';
import { ruleError } from '../errors';

interface DocInfo {
  id: number; file_name: string; series: string; correlative: number; status: string; sale_number: string | null;
}

function parse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function documentsOf(db: Db, jobs: Job[]): Map<number, DocInfo> {
  const ids = [...new Set(jobs.map((j) => Number(parse(j.payload)?.documentId)).filter((n) => Number.isInteger(n) && n > 0))];
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT d.id, d.file_name, d.series, d.correlative, d.status, s.number AS sale_number
       FROM documents d LEFT JOIN sales s ON s.id = d.sale_id WHERE d.id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as DocInfo[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** The SUNAT code an outcome carries: a failed job's result, a rejection's CDR, or "0306: …" / "Client.0306" in the error. */
function sunatCodeOf(job: Job, result: Record<string, unknown> | null): string | null {
  const fromResult = result && (job.state === 'failed' || result.status === 'rejected') ? result.code : null;
  if (typeof fromResult === 'string' || typeof fromResult === 'number') return normaliseCode(fromResult);
  const m = job.last_error ? /^(?:(\d{4}):|(?:soap-env:)?(?:Client|Server)\.(\d{1,4})\b)/.exec(job.last_error) : null;
  return m ? normaliseCode(m[1] ?? m[2]) : null;
}

/** The error in Spanish: ours already is; a SUNAT code gets its catalog text unless the stored message has it. */
function errorText(job: Job, code: string | null): string | null {
  if (!code) return job.last_error;
  const text = sunatMessage(code);
  if (job.last_error?.includes(text)) return job.last_error;
  const rest = job.last_error?.replace(/^\d{4}:\s*/, '');
  return `${code}: ${text}${rest && rest !== text ? ` — ${rest}` : ''}`;
}

/** Outcomes of runs that gave their attempt back (store.ts markWaitingNetwork / markDeferred). */
const UNCOUNTED_OUTCOMES = new Set(['waiting_network', 'deferred', 'paused', 'no_certificate']);

function runCounts(db: Db, jobs: Job[]): Map<number, number> {
  if (jobs.length === 0) return new Map();
  const rows = db
    .prepare(`SELECT job_id, count(*) AS n FROM job_runs WHERE job_id IN (${jobs.map(() => '?').join(',')}) GROUP BY job_id`)
    .all(...jobs.map((j) => j.id)) as { job_id: number; n: number }[];
  return new Map(rows.map((r) => [r.job_id, r.n]));
}

function documentIdOf(job: Job): number | null {
  const id = Number(parse(job.payload)?.documentId);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * A job that carries an issued document (sunat.send, sunat.summary) cannot be cancelled: the number is spent and the
 * signed XML exists, so cancelling would leave a receipt SUNAT never hears of. The message says what can be done.
 */
export function cancelRefusal(job: Job, doc?: { series: string; correlative: number }): string | null {
  const documentId = documentIdOf(job);
  if (documentId === null) return null;
  const what = doc ? `El comprobante ${formatNumber(doc.series, doc.correlative)}` : `El comprobante ${documentId}`;
  return (
    `${what} ya fue emitido y firmado: su envío a SUNAT no se puede cancelar (quedaría sin informar). ` +
    'Puede dejarlo en cola (se envía solo cuando SUNAT responde) o reintentarlo; si la venta no debía hacerse, ' +
    'anúlelo por las vías de SUNAT: comunicación de baja o resumen diario (izisales document void SERIE-NUMERO), ' +
    'o una nota de crédito.'
  );
}

/** Cancels a job inside the caller's transaction; refuses (ApiError rule) one that carries an issued document. */
export function cancelJob(db: Db, now: Date, job: Job): boolean {
  const documentId = documentIdOf(job);
  const refusal = cancelRefusal(job, documentId === null ? undefined : documentsOf(db, [job]).get(documentId));
  if (refusal) throw ruleError(refusal);
  return cancel(db, now, job.id);
}

function toView(job: Job, doc: DocInfo | undefined, runCount: number): QueueJob {
  const result = parse(job.result);
  const code = sunatCodeOf(job, result);
  return {
    id: job.id, kind: job.kind, state: job.state, attempts: job.attempts, maxAttempts: job.max_attempts, priority: job.priority,
    fileName: doc?.file_name ?? null, documentNumber: doc ? formatNumber(doc.series, doc.correlative) : null,
    saleNumber: doc?.sale_number ?? null, documentStatus: doc?.status ?? null,
    sunatCode: code, error: job.state === 'succeeded' && !code ? null : errorText(job, code),
    runAt: job.run_at, updatedAt: job.updated_at, createdAt: job.created_at, finishedAt: job.finished_at,
    runCount, cancelRefusal: cancelRefusal(job, doc),
  };
}

export function jobViews(db: Db, jobs: Job[]): QueueJob[] {
  const docs = documentsOf(db, jobs);
  const runs = runCounts(db, jobs);
  return jobs.map((j) => toView(j, docs.get(Number(parse(j.payload)?.documentId)), runs.get(j.id) ?? 0));
}

/**
 * Active jobs in the order they will run (the store's order), then finished ones newest first: the history a
 * manager looks for is the latest, not the oldest of thousands.
 */
export function listQueue(db: Db, filter: JobState | 'active' | undefined, limit = 200): QueueJob[] {
  const states: readonly JobState[] = filter === undefined ? ALL_STATES : filter === 'active' ? ACTIVE_STATES : [filter];
  const active = states.filter((s) => (ACTIVE_STATES as readonly string[]).includes(s));
  const finished = states.filter((s) => !(ACTIVE_STATES as readonly string[]).includes(s));
  const jobs = active.length > 0 ? listJobs(db, active, limit) : [];
  if (finished.length > 0 && jobs.length < limit) {
    jobs.push(
      ...(db
        .prepare(`SELECT * FROM jobs WHERE state IN (${finished.map(() => '?').join(',')}) ORDER BY updated_at DESC, id DESC LIMIT ?`)
        .all(...finished, limit - jobs.length) as Job[]),
    );
  }
  return jobViews(db, jobs);
}

export function showJob(db: Db, id: number): QueueJobDetail | null {
  const job = getJob(db, id);
  if (!job) return null;
  return {
    ...jobViews(db, [job])[0], idempotencyKey: job.idempotency_key, result: parse(job.result) ?? job.result,
    // Numbered by their place in the history, also for runs recorded before the store numbered them so.
    runs: jobRuns(db, id).map((r, i) => ({
      id: r.id, attempt: i + 1, startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, error: r.error,
      counted: r.outcome === null || !UNCOUNTED_OUTCOMES.has(r.outcome),
    })),
  };
}

/** The runner holding the data directory's lock, with the uptime from its heartbeat file when it is that runner's. */
export function runnerInfo(dataDir: string, now: Date): QueueStats['runner'] {
  const pid = lockHolder(dataDir);
  if (!pid) return null;
  try {
    const hb = JSON.parse(fs.readFileSync(path.join(dataDir, HEARTBEAT_FILE), 'utf8')) as { pid?: number; startedAt?: string };
    if (hb.pid === pid && typeof hb.startedAt === 'string') {
      return { pid, startedAt: hb.startedAt, uptimeS: Math.max(0, Math.round((now.getTime() - Date.parse(hb.startedAt)) / 1000)) };
    }
  } catch {
    // no heartbeat yet (or disabled): the pid alone still says a runner is there
  }
  return { pid, startedAt: null, uptimeS: null };
}

export function queueStats(db: Db, dataDir: string, now: Date): QueueStats {
  const pause = sunatPause(db);
  return {
    counts: countByState(db),
    running: jobViews(db, listJobs(db, ['running'], 50)),
    sunatPaused: pause ? { reason: pause.reason, code: pause.code, at: pause.at } : null,
    scheduled: Object.entries(readSchedule(db)).map(([name, e]) => ({
      name, kind: e.kind, cron: e.cron,
      lastRun: lastRun(db, name)?.toISOString() ?? null, nextRun: nextScheduledAfter(e.cron, now)?.toISOString() ?? null,
    })),
    runner: runnerInfo(dataDir, now),
  };
}

/**
 * A new attempt of a job (requeued, reconciled first); a sunat.send job's document leaves `error` for `pending` so
 * the screens stop counting it as failing. Runs inside the caller's transaction (which also writes the audit row).
 */
export function retryJob(db: Db, now: Date, job: Job): boolean {
  if (!requeue(db, now, job.id)) return false;
  const documentId = Number(parse(job.payload)?.documentId);
  if (job.kind === 'sunat.send' && Number.isInteger(documentId) && documentId > 0) {
    db.prepare(`UPDATE documents SET status = 'pending', updated_at = ? WHERE id = ? AND status = 'error'`).run(now.toISOString(), documentId);
  }
  return true;
}
