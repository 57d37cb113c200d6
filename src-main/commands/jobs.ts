// CLI around the job queue (replaces `celery inspect`, AsyncResult, Flower's retry/cancel, and `celery worker+beat`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../db/connection';
import { databaseFile, resolveDataDir } from '../paths';
import type { Job, JobState } from '../db/schema';
import { createApp } from '../app';
import { audit } from '../db/audit';
import {
  ACTIVE_STATES, celeryState, countByState, getJob, jobRuns, listJobs, purgeFinished, resumeSunat, sunatPause,
} from '../jobs/store';
import { HEARTBEAT_FILE } from '../jobs/heartbeat';
import { lockHolder } from '../db/lock';
import { cancelJob, queueStats, retryJob } from '../jobs/monitor';
import { TIMEZONE } from '../db/settings-schedule';
import { command as run, parseArgs, UsageError, type Command } from './kit';

function withDb<T>(dataFlag: string | undefined, fn: (db: Db, dataDir: string) => T): T {
  const dataDir = resolveDataDir(dataFlag);
  const file = databaseFile(dataDir);
  if (!fs.existsSync(file)) throw new Error(`No hay base de datos en ${dataDir}`);
  const db = openDatabase(file);
  try {
    return fn(db, dataDir);
  } finally {
    db.close();
  }
}

function jobId(text: string | undefined): number {
  const id = Number(text);
  if (!text || !Number.isInteger(id) || id <= 0) throw new UsageError('indique el número de trabajo (ID)');
  return id;
}

function view(j: Job) {
  let payload: unknown = j.payload;
  let result: unknown = j.result;
  try {
    payload = JSON.parse(j.payload);
    result = j.result === null ? null : JSON.parse(j.result);
  } catch {
    // shown as stored
  }
  return {
    id: j.id, kind: j.kind, state: j.state, status: celeryState(j.state), priority: j.priority, attempts: j.attempts,
    maxAttempts: j.max_attempts, runAt: j.run_at, leaseUntil: j.lease_until, idempotencyKey: j.idempotency_key,
    lastError: j.last_error, result, payload, createdAt: j.created_at, updatedAt: j.updated_at, finishedAt: j.finished_at,
  };
}

const STATE_ES: Record<JobState, string> = {
  queued: 'en cola', running: 'ejecutándose', waiting_network: 'esperando conexión', retrying: 'reintentará',
  succeeded: 'terminado', failed: 'fallido', cancelled: 'cancelado',
};

function table(jobs: Job[]): string {
  if (jobs.length === 0) return '(ninguno)\n';
  return jobs
    .map((j) => `${String(j.id).padStart(6)}  ${j.kind.padEnd(20)} ${STATE_ES[j.state].padEnd(19)} intentos ${j.attempts}/${j.max_attempts}  ${j.idempotency_key ?? ''}${j.last_error ? `  — ${j.last_error}` : ''}`)
    .join('\n') + '\n';
}

function heartbeat(dataDir: string): Record<string, unknown> | null {
  const pid = lockHolder(dataDir);
  if (!pid) return null;
  try {
    const hb = JSON.parse(fs.readFileSync(path.join(dataDir, HEARTBEAT_FILE), 'utf8')) as Record<string, unknown>;
    return hb.pid === pid ? hb : { pid };
  } catch {
    return { pid };
  }
}

export const jobsInspect: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { json: 'flag' });
  const what = rest[0];
  if (!['active', 'scheduled', 'stats', 'failed'].includes(what)) throw new UsageError('uso: jobs inspect active|scheduled|stats|failed [--json] [--data DIR]');
  const json = opts.json === 'true';
  return withDb(opts.data, (db, dataDir) => {
    if (what === 'active' || what === 'failed') {
      const jobs = listJobs(db, what === 'active' ? ACTIVE_STATES : ['failed'], 1000);
      io.stdout(json ? `${JSON.stringify(jobs.map(view), null, 2)}\n` : table(jobs));
    } else if (what === 'scheduled') {
      const now = new Date();
      const periodic = queueStats(db, dataDir, now).scheduled.map((e) => ({ ...e, timezone: TIMEZONE }));
      const delayed = db.all(
        db.q.selectFrom('jobs').selectAll().where('state', 'in', ['queued', 'retrying', 'waiting_network'])
          .where('run_at', '>', now.toISOString()).orderBy('run_at').limit(1000),
      );
      if (json) io.stdout(`${JSON.stringify({ periodic, delayed: delayed.map(view) }, null, 2)}\n`);
      else {
        io.stdout('Tareas periódicas (hora de Lima):\n');
        for (const p of periodic) io.stdout(`  ${p.name.padEnd(15)} ${p.cron.padEnd(15)} última: ${p.lastRun ?? '—'}  próxima: ${p.nextRun ?? '—'}\n`);
        io.stdout('Trabajos programados para más tarde:\n');
        io.stdout(table(delayed));
      }
    } else {
      const counts = countByState(db);
      const worker = heartbeat(dataDir);
      const paused = sunatPause(db);
      if (json) io.stdout(`${JSON.stringify({ ...counts, sunatPaused: paused?.reason ?? null, worker }, null, 2)}\n`);
      else {
        for (const s of Object.keys(counts) as JobState[]) io.stdout(`${STATE_ES[s].padEnd(20)} ${counts[s]}\n`);
        io.stdout(paused ? `Envíos a SUNAT PAUSADOS: ${paused.reason}\n` : 'Envíos a SUNAT activos\n');
        io.stdout(worker ? `Proceso de envío activo: PID ${String(worker.pid)}${worker.uptimeS !== undefined ? `, ${String(worker.uptimeS)} s, ${Math.round(Number(worker.rssBytes) / 1048576)} MB` : ''}\n` : 'Ningún proceso de envío activo\n');
      }
    }
    return 0;
  });
});

export const jobsShow: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { json: 'flag' });
  const id = jobId(rest[0]);
  return withDb(opts.data, (db) => {
    const j = getJob(db, id);
    if (!j) {
      io.stderr(`No existe el trabajo ${id}\n`);
      return 1;
    }
    const v = { ...view(j), runs: jobRuns(db, id) };
    if (opts.json === 'true') io.stdout(`${JSON.stringify(v, null, 2)}\n`);
    else {
      io.stdout(`Trabajo ${j.id} (${j.kind}): ${v.status} — ${STATE_ES[j.state]}, intentos ${j.attempts}/${j.max_attempts}\n`);
      if (j.idempotency_key) io.stdout(`Clave: ${j.idempotency_key}\n`);
      if (v.status === 'SUCCESS') io.stdout(`Resultado: ${JSON.stringify(v.result)}\n`);
      if (j.last_error) io.stdout(`Error: ${j.last_error}\n`);
      for (const r of v.runs) io.stdout(`  intento ${r.attempt}: ${r.started_at} → ${r.finished_at ?? '…'} ${r.outcome ?? ''}${r.error ? ` (${r.error})` : ''}\n`);
    }
    return 0;
  });
});

function who(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'desconocido';
  }
}

/** retry and cancel: one audited change of one job, in one transaction. */
function auditedJobChange(action: 'retry' | 'cancel', change: (db: Db, now: Date, job: Job) => boolean, done: string, refused: string): Command {
  return run(async (argv, io) => {
    const { opts, rest } = parseArgs(argv, {});
    const id = jobId(rest[0]);
    return withDb(opts.data, (db) => {
      const now = new Date();
      const ok = db.tx(() => {
        const j = getJob(db, id);
        if (!j || !change(db, now, j)) return false;
        audit(db, now, null, `job.${action}`, 'job', id, { by: who(), via: 'cli', previousState: j.state });
        return true;
      });
      if (!ok) {
        io.stderr(`El trabajo ${id} ${refused}\n`);
        return 1;
      }
      io.stdout(`Trabajo ${id} ${done}\n`);
      return 0;
    });
  });
}

export const jobsRetry = auditedJobChange(
  'retry',
  retryJob,
  'en cola de nuevo (se verificará con SUNAT antes de reenviar).',
  'no existe, se está ejecutando o ya terminó bien: no se reintentó.',
);

export const jobsCancel = auditedJobChange(
  'cancel',
  cancelJob,
  'cancelado (queda registrado; el comprobante no se borra).',
  'no existe, se está ejecutando o ya terminó: no se canceló.',
);

export const jobsPurge: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { 'finished-before': 'value' });
  if (rest.length > 0) throw new UsageError(`argumento inesperado: ${rest[0]}`);
  const text = opts['finished-before'];
  if (!text || !/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(Date.parse(text))) throw new UsageError('uso: jobs purge --finished-before AAAA-MM-DD');
  // A bare date is midnight in Lima.
  const before = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00-05:00` : text);
  return withDb(opts.data, (db) => {
    const n = db.tx(() => {
      const removed = purgeFinished(db, before);
      audit(db, new Date(), null, 'job.purge', 'job', undefined, { by: who(), via: 'cli', finishedBefore: before.toISOString(), removed });
      return removed;
    });
    io.stdout(`Se borraron ${n} registros de trabajos terminados antes de ${before.toISOString()} (los comprobantes no se tocan).\n`);
    return 0;
  });
});

/** After fixing SOL credentials or the certificate: SUNAT sending starts again (a running worker notices within a second). */
export const jobsResume: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, {});
  if (rest.length > 0) throw new UsageError(`argumento inesperado: ${rest[0]}`);
  return withDb(opts.data, (db) => {
    const paused = sunatPause(db);
    if (!paused) {
      io.stdout('Los envíos a SUNAT no estaban pausados.\n');
      return 0;
    }
    db.tx(() => {
      resumeSunat(db);
      audit(db, new Date(), null, 'sunat.resume', 'settings', 'sunatPaused', { by: who(), via: 'cli', reason: paused.reason });
    });
    io.stdout('Envíos a SUNAT reanudados.\n');
    return 0;
  });
});

export const worker: Command = run(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { 'sunat-url': 'value' });
  if (rest.length > 0) throw new UsageError(`argumento inesperado: ${rest[0]}`);
  const url = opts['sunat-url'];
  if (url !== undefined && !URL.canParse(url)) throw new UsageError(`--sunat-url no válida: ${url}`);
  const app = createApp({ dataDir: resolveDataDir(opts.data) });
  const { startServices } = await import('../runtime');
  let services;
  try {
    services = await startServices(app, { sunatUrl: url });
  } catch (e) {
    await app.close();
    throw e;
  }
  io.stdout(`Proceso de envío iniciado (PID ${process.pid}) — destino: ${services.runtime.target}. Detenga con Ctrl+C o SIGTERM.\n`);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  io.stdout('Deteniendo: se esperan los envíos en curso…\n');
  await services.stop();
  await app.close();
  return 0;
});

export const commands: Record<string, Command> = {
  'jobs inspect': jobsInspect,
  'jobs show': jobsShow,
  'jobs retry': jobsRetry,
  'jobs cancel': jobsCancel,
  'jobs purge': jobsPurge,
  'jobs resume': jobsResume,
  worker,
};
