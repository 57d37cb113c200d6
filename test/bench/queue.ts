// Durable queue throughput: no-op jobs through the runner (claim UPDATE…RETURNING + job_runs + completion, each a
// synchronous=FULL commit) against a raw better-sqlite3 claim+complete loop doing the same writes one job at a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createApp } from '../../src-main/app';
import { createRunner } from '../../src-main/jobs/runner';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { databaseFile } from '../../src-main/paths';
import { round } from './stats';

const JOBS = 3000;

function fill(db: Database.Database, kind: string, n: number): void {
  const now = new Date().toISOString();
  const ins = db.prepare(`INSERT INTO jobs (kind, payload, run_at, created_at, updated_at) VALUES (?, '{}', ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) ins.run(kind, now, now, now);
  })();
}

async function runnerJobsPerSecond(dir: string, concurrency: number): Promise<number> {
  const app = createApp({ dataDir: dir });
  fill(app.db.raw, 'bench.noop', JOBS);
  const runner = createRunner({
    app, monitor: new NetworkMonitor({ probe: async () => false, onChange: () => {} }),
    handlers: { 'bench.noop': { concurrency, run: async () => ({ type: 'succeeded' }) } },
    options: { pollMs: 250, heartbeatMs: 0, lock: false },
  });
  const t0 = performance.now();
  runner.start();
  await runner.idle(120_000);
  const ms = performance.now() - t0;
  await runner.stop();
  const done = (app.db.raw.prepare(`SELECT count(*) n FROM jobs WHERE state = 'succeeded'`).get() as { n: number }).n;
  await app.close();
  if (done !== JOBS) throw new Error(`runner finished ${done} of ${JOBS}`);
  return (JOBS / ms) * 1000;
}

function rawJobsPerSecond(dir: string): number {
  // Same schema and pragmas as the app's database.
  createApp({ dataDir: dir }).db.close();
  const db = new Database(databaseFile(dir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  fill(db, 'raw.noop', JOBS);
  const claim = db.prepare(
    `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ?
     WHERE id = (SELECT id FROM jobs WHERE kind = 'raw.noop' AND state = 'queued' AND run_at <= ? ORDER BY priority DESC, run_at, id LIMIT 1)
     RETURNING id, attempts`,
  );
  const run = db.prepare('INSERT INTO job_runs (job_id, attempt, started_at) VALUES (?, ?, ?)');
  const done = db.prepare(`UPDATE jobs SET state = 'succeeded', finished_at = ?, updated_at = ? WHERE id = ?`);
  const finish = db.prepare(`UPDATE job_runs SET finished_at = ?, outcome = 'succeeded' WHERE id = ?`);
  const t0 = performance.now();
  for (;;) {
    const now = new Date().toISOString();
    const got = db.transaction(() => {
      const j = claim.get(now, now, now) as { id: number; attempts: number } | undefined;
      return j ? { ...j, runId: Number(run.run(j.id, j.attempts, now).lastInsertRowid) } : undefined;
    }).immediate();
    if (!got) break;
    db.transaction(() => {
      done.run(now, now, got.id);
      finish.run(now, got.runId);
    }).immediate();
  }
  const ms = performance.now() - t0;
  db.close();
  return (JOBS / ms) * 1000;
}

export async function benchQueue({ json }: { json: boolean }): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-bench-queue-'));
  try {
    const raw = rawJobsPerSecond(path.join(base, 'raw'));
    const runner1 = await runnerJobsPerSecond(path.join(base, 'runner1'), 1);
    const runner4 = await runnerJobsPerSecond(path.join(base, 'runner4'), 4);
    const result = {
      jobs: JOBS, synchronous: 'FULL',
      rawJobsPerS: round(raw, 0), runnerJobsPerS: round(runner1, 0), runner4JobsPerS: round(runner4, 0),
      ratio: round(runner1 / raw, 2), ratio4: round(runner4 / raw, 2),
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log(`queue: ${JOBS} no-op jobs, synchronous=FULL`);
      console.log(`  raw better-sqlite3 claim+complete loop: ${result.rawJobsPerS} jobs/s`);
      console.log(`  runner, concurrency 1:                  ${result.runnerJobsPerS} jobs/s (ratio ${result.ratio})`);
      console.log(`  runner, concurrency 4:                  ${result.runner4JobsPerS} jobs/s (ratio ${result.ratio4})`);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await benchQueue({ json: process.argv.includes('--json') });
}
