import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, type TestApp } from '../helpers/app';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { enqueue, PRIORITY } from '../../src-main/jobs/queue';
import { backoffDelay, type HandlerSpec, type Runner } from '../../src-main/jobs/runner';
import { createRunner } from '../../src-main/jobs/start';
import { HandlerRegistry } from '../../src-main/jobs/registry';
import { registerDefaultHandlers } from '../../src-main/jobs/handlers';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { claimDue, getJob, jobRuns, recoverOrphans } from '../../src-main/jobs/store';
import { acquireLock, LockHeldError, LOCK_FILE } from '../../src-main/db/lock';
import { retryFailedDocuments } from '../../src-main/jobs/handlers/retry-failed';
import { startSimulator } from '../../src-main/sunat/simulator';
import { createSunatClient, endpointsFor } from '../../src-main/sunat/client';
import { zipDocument } from '../../src-main/sunat/package';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function app(): TestApp {
  const t = demoApp();
  cleanups.push(() => t.close());
  return t;
}
const offlineMonitor = () => new NetworkMonitor({ probe: async () => false, onChange: () => {} });

function runnerWith(t: TestApp, handlers: Record<string, HandlerSpec>, options = {}): Runner {
  const r = createRunner({ app: t.app, monitor: offlineMonitor(), handlers, options: { pollMs: 50, heartbeatMs: 0, ...options } });
  cleanups.push(() => r.stop());
  return r;
}

async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function sellOne(t: TestApp) {
  const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
  return t.app.sell(t.cashier, t.terminalId, { documentType: '03', customer: null, lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
}

/** A separate process trying to take the runner lock of `dir` and keeping it `holdMs`: its pid if it got it, -1 if refused. */
function lockProcess(dir: string, holdMs: number): { p: ReturnType<typeof spawn>; outcome: Promise<number> } {
  const lockModule = path.resolve('src-main/db/lock.ts');
  const code = `import { acquireLock } from ${JSON.stringify(lockModule)};
    try { const l = acquireLock(${JSON.stringify(dir)}); console.log('held ' + process.pid); setTimeout(() => l.release(), ${holdMs}); }
    catch (e) { console.log(/Ya hay otro iziSales/.test(e.message) ? 'refused' : 'error ' + e.message); }`;
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => void p.kill('SIGKILL'));
  const outcome = new Promise<number>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(held (\d+)|refused|error .*)$/m.exec(out);
      if (!m) return;
      if (m[2]) resolve(Number(m[2]));
      else if (m[1] === 'refused') resolve(-1);
      else reject(new Error(m[1]));
    });
    p.once('exit', () => reject(new Error(`lock process exited: ${out}`)));
  });
  return { p, outcome };
}

describe('the queue store and runner', () => {
  it('a claim is one UPDATE: priority first, then run_at, lease counted from the claim, one job_runs row per attempt', () => {
    const t = app();
    const db = t.app.db;
    const at = new Date('2026-11-27T10:00:00Z'); // long before "now": the lease must not start from run_at
    db.tx(() => {
      enqueue(db, at, { kind: 'k', priority: PRIORITY.backlog });
      enqueue(db, at, { kind: 'k', priority: PRIORITY.fresh, runAt: new Date('2026-11-27T10:05:00Z') });
      enqueue(db, at, { kind: 'k', priority: PRIORITY.normal });
      enqueue(db, at, { kind: 'k', runAt: new Date('2099-01-01T00:00:00Z') });
    });
    const now = t.clock.now();
    const claimed = claimDue(db, now, { kind: 'k', limit: 10, leaseMs: 60_000 });
    expect(claimed.map((j) => j.id)).toEqual([2, 3, 1]);
    expect(claimed.every((j) => j.state === 'running' && j.attempts === 1)).toBe(true);
    expect(claimed[0].lease_until).toBe(new Date(now.getTime() + 60_000).toISOString());
    expect(claimDue(db, now, { kind: 'k', limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect(jobRuns(db, 2)).toMatchObject([{ attempt: 1, started_at: now.toISOString(), finished_at: null }]);
    // A crash leaves them running; the next start takes them up again flagged "possibly sent".
    expect(recoverOrphans(db, now, { onlyExpired: false })).toBe(3);
    expect(JSON.parse(getJob(db, 2)!.payload)).toMatchObject({ possiblySent: true });
    expect(jobRuns(db, 2)[0]).toMatchObject({ outcome: 'interrupted' });
  });

  it('per-kind concurrency is respected and a job enqueued by another process is picked up by the poll (no kick)', async () => {
    const t = app();
    let running = 0;
    let max = 0;
    const r = runnerWith(t, {
      'test.slow': {
        concurrency: 2,
        run: async () => {
          running++;
          max = Math.max(max, running);
          await new Promise((res) => setTimeout(res, 60));
          running--;
          return { type: 'succeeded' };
        },
      },
    }, { pollMs: 250 });
    r.start();
    // Another process (here: another connection) enqueues; nobody calls kick().
    const other = openDatabase(databaseFile(t.dir));
    cleanups.push(() => other.close());
    other.tx(() => {
      for (let i = 0; i < 8; i++) enqueue(other, t.clock.now(), { kind: 'test.slow' });
    });
    // The deadline only ends a hung test; how soon the poll sees the job is not a correctness matter.
    await until(() => getJob(t.app.db, 1)!.state !== 'queued', 10_000, 'first job picked up');
    await until(() => (t.app.db.raw.prepare(`SELECT count(*) n FROM jobs WHERE state = 'succeeded'`).get() as { n: number }).n === 8, 5000, 'all done');
    expect(max).toBe(2);
  });

  it('a busy kind costs one commit per job: the outcome and the next claim share a transaction, limits and order kept', async () => {
    const t = app();
    const db = t.app.db;
    let commits = 0;
    const tx = db.tx.bind(db);
    (db as { tx: typeof db.tx }).tx = (fn, o) => {
      if (!db.raw.inTransaction) commits++;
      return tx(fn, o);
    };
    let running = 0;
    let max = 0;
    const order: number[] = [];
    const r = runnerWith(t, {
      'test.fast': {
        concurrency: 2,
        run: async ({ job }) => {
          running++;
          max = Math.max(max, running);
          order.push(job.id);
          // A fresh sale arrives while the backlog drains: it must go before the rest of the backlog.
          if (job.id === 3) tx(() => enqueue(db, t.clock.now(), { kind: 'test.fast', priority: PRIORITY.fresh }));
          await Promise.resolve();
          running--;
          return { type: 'succeeded' };
        },
      },
    });
    tx(() => {
      for (let i = 0; i < 100; i++) enqueue(db, t.clock.now(), { kind: 'test.fast', priority: PRIORITY.backlog });
    });
    r.start();
    expect(await r.idle(10_000)).toBe(true);
    expect((db.raw.prepare(`SELECT count(*) n FROM jobs WHERE state = 'succeeded'`).get() as { n: number }).n).toBe(101);
    expect(max).toBeLessThanOrEqual(2);
    // Two claims and two completions per job would be 202 commits; grouped, about one per job.
    expect(commits).toBeLessThan(115);
    expect(order.indexOf(101)).toBeLessThan(order.indexOf(10));
  });

  it('outcomes of a kind that reconciles commit without an fsync; every other outcome, and any batch holding one, is durable', async () => {
    const t = app();
    const db = t.app.db;
    // What `PRAGMA synchronous` was inside the commit that recorded each outcome: 2 = FULL (fsync), 1 = NORMAL.
    const seen: [string, number][] = [];
    const outcome = (kind: string) => async () => ({
      type: 'succeeded' as const,
      apply: () => void seen.push([kind, db.raw.pragma('synchronous', { simple: true }) as number]),
    });
    const r = runnerWith(t, {
      'test.reconciled': { run: outcome('test.reconciled'), reconciles: true },
      'test.plain': { run: outcome('test.plain') },
    });
    const add = (kind: string) => db.tx(() => enqueue(db, t.clock.now(), { kind }));
    r.start();
    add('test.reconciled');
    r.kick();
    expect(await r.idle(10_000)).toBe(true);
    add('test.plain');
    r.kick();
    expect(await r.idle(10_000)).toBe(true);
    expect(seen).toEqual([['test.reconciled', 1], ['test.plain', 2]]);
    // Whatever ran, the connection is back at FULL for the next sale.
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2);
    // Of the app's kinds only sunat.send reconciles (it asks SUNAT before sending again); a summary's ticket must not
    // be lost (a resent summary is a new one), nor a backup's or a report's record.
    const registry = registerDefaultHandlers(new HandlerRegistry(), { sendConcurrency: 4, secrets: t.app.secrets });
    expect(registry.kinds().filter((k) => registry.get(k)!.reconciles)).toEqual(['sunat.send']);
  });

  it('a long job keeps its lease renewed while it runs', async () => {
    const t = app();
    let release!: () => void;
    const r = runnerWith(t, { 'test.long': { run: () => new Promise((res) => (release = () => res({ type: 'succeeded' }))) } }, { leaseMs: 300 });
    enqueue(t.app.db, t.clock.now(), { kind: 'test.long' });
    r.start();
    await until(() => getJob(t.app.db, 1)!.state === 'running', 2000, 'running');
    t.clock.advance(10 * 60_000);
    // Wait for the renewal itself, not a fixed 250 ms that a busy machine may not give the runner.
    await until(() => Date.parse(getJob(t.app.db, 1)!.lease_until!) > t.clock.now().getTime(), 10_000, 'lease renewed');
    release();
    await until(() => getJob(t.app.db, 1)!.state === 'succeeded', 2000, 'succeeded');
  });

  it('backoff is exponential with a bounded jitter and a cap', () => {
    const o = { retryDelayMs: 1000, backoffFactor: 2, maxBackoffMs: 10_000, jitter: 0.2 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, o, () => 0))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(2, o, () => 1)).toBe(2400);
    // SUNAT's policy: 5 minutes apart.
    expect(backoffDelay(3, { retryDelayMs: 300_000, backoffFactor: 1, maxBackoffMs: 3_600_000, jitter: 0 })).toBe(300_000);
  });

  it('a handler that throws is retried with backoff, then ends failed and visible', async () => {
    const t = app();
    const r = runnerWith(t, { 'test.bad': { run: async () => { throw new Error('boom'); } } }, { retryDelayMs: 1000, backoffFactor: 2, jitter: 0 });
    enqueue(t.app.db, t.clock.now(), { kind: 'test.bad', maxAttempts: 3 });
    r.start();
    await until(() => getJob(t.app.db, 1)!.attempts === 1 && getJob(t.app.db, 1)!.state === 'retrying', 2000, 'retry 1');
    expect(Date.parse(getJob(t.app.db, 1)!.run_at) - t.clock.now().getTime()).toBe(1000);
    t.clock.advance(1000);
    await until(() => getJob(t.app.db, 1)!.attempts === 2 && getJob(t.app.db, 1)!.state === 'retrying', 2000, 'retry 2');
    expect(Date.parse(getJob(t.app.db, 1)!.run_at) - t.clock.now().getTime()).toBe(2000);
    t.clock.advance(2000);
    await until(() => getJob(t.app.db, 1)!.state === 'failed', 2000, 'failed');
    expect(getJob(t.app.db, 1)!.last_error).toBe('boom');
  });

  it('retry_failed takes error documents last tried over an hour ago, not cancelled, 50 per run', () => {
    const t = app();
    const db = t.app.db;
    const now = t.clock.now();
    const sales = Array.from({ length: 56 }, () => sellOne(t));
    const setDoc = (i: number, status: string, minutesAgo: number) => {
      db.raw.prepare('UPDATE documents SET status = ?, last_attempt_at = ? WHERE id = ?').run(status, new Date(now.getTime() - minutesAgo * 60_000).toISOString(), sales[i].documentId);
      db.raw.prepare(`UPDATE jobs SET state = 'failed', attempts = 3, finished_at = ? WHERE json_extract(payload, '$.documentId') = ?`).run(now.toISOString(), sales[i].documentId);
    };
    setDoc(0, 'error', 30); // too recent
    setDoc(1, 'error', 90);
    db.raw.prepare(`UPDATE sales SET status = 'cancelled' WHERE id = ?`).run(sales[1].saleId); // cancelled: skipped
    setDoc(2, 'accepted', 600);
    for (let i = 3; i < 56; i++) setDoc(i, 'error', 61 + i); // 53 eligible
    const r = retryFailedDocuments(db, now);
    expect(r.requeued).toBe(50);
    const job = db.raw.prepare(`SELECT * FROM jobs WHERE json_extract(payload, '$.documentId') = ?`).get(sales[55].documentId) as { state: string; attempts: number; payload: string };
    expect(job).toMatchObject({ state: 'queued', attempts: 0 });
    expect(JSON.parse(job.payload)).toMatchObject({ reconcile: true });
    const stillError = (db.raw.prepare(`SELECT count(*) n FROM documents WHERE status = 'error'`).get() as { n: number }).n;
    expect(stillError).toBe(5); // 0 (recent), 1 (cancelled), and the 3 most recent of the 53
    expect(retryFailedDocuments(db, now).requeued).toBe(3);
  });

  it('one runner per data directory: a second refuses in Spanish; a dead holder is taken over at once', async () => {
    const t = app();
    const r1 = runnerWith(t, {});
    r1.start();
    const t2 = createRunner({ app: t.app, monitor: offlineMonitor(), options: { heartbeatMs: 0 } });
    expect(() => t2.start()).toThrow(LockHeldError);
    expect(() => t2.start()).toThrow(/Ya hay otro iziSales/);
    await r1.stop();
    expect(fs.existsSync(path.join(t.dir, LOCK_FILE))).toBe(false);
    // Another process holds it; killed with SIGKILL (no release), its lock is free at once, whatever runner.lock says.
    const holder = lockProcess(t.dir, 30_000);
    const holderPid = await holder.outcome;
    expect(holderPid).toBeGreaterThan(0);
    expect(() => acquireLock(t.dir)).toThrow(new RegExp(`proceso ${holderPid}`));
    holder.p.kill('SIGKILL');
    await new Promise((res) => holder.p.once('exit', res));
    expect(fs.readFileSync(path.join(t.dir, LOCK_FILE), 'utf8').trim()).toBe(String(holderPid)); // left behind
    const lock = acquireLock(t.dir);
    expect(fs.readFileSync(path.join(t.dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('six processes starting at once on a directory whose holder was killed: exactly one gets the lock', async () => {
    const t = app();
    const first = lockProcess(t.dir, 30_000);
    expect(await first.outcome).toBeGreaterThan(0);
    first.p.kill('SIGKILL');
    await new Promise((res) => first.p.once('exit', res));
    // The winner holds the lock until the test ends it: however slowly a loaded machine starts the six, none may
    // find it free because the winner already let go.
    const racers = Array.from({ length: 6 }, () => lockProcess(t.dir, 120_000));
    const outcomes = await Promise.all(racers.map((r) => r.outcome));
    expect(outcomes.filter((o) => o > 0)).toHaveLength(1);
    expect(outcomes.filter((o) => o === -1)).toHaveLength(5);
    for (const r of racers) r.p.kill('SIGKILL');
    await Promise.all(racers.map((r) => new Promise((res) => (r.p.exitCode !== null || r.p.signalCode !== null ? res(null) : r.p.once('exit', res)))));
  });

  it('a resend answered "already registered" (1033) is resolved with getStatusCdr: accepted once', async () => {
    const t = app();
    const sim = await startSimulator({ port: 0 });
    cleanups.push(() => sim.close());
    const s = sellOne(t);
    const doc = t.app.db.raw.prepare('SELECT file_name, xml FROM documents WHERE id = ?').get(s.documentId) as { file_name: string; xml: string };
    // An earlier send whose answer was lost (and whose job was re-queued without the reconcile flag).
    const client = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: doc.file_name.slice(0, 11), solUser: 'MODDATOS', solPassword: 'moddatos' });
    const z = zipDocument(doc.file_name, doc.xml);
    expect((await client.sendBill(z.zipName, z.zip)).kind).toBe('accepted');
    client.close();
    const r = createRunner({ app: t.app, sunat: { url: sim.url }, monitor: offlineMonitor(), options: { pollMs: 50, heartbeatMs: 0 } });
    cleanups.push(() => r.stop());
    r.start();
    await until(() => getJob(t.app.db, 1)!.state === 'succeeded', 5000, 'succeeded');
    expect(JSON.parse(getJob(t.app.db, 1)!.result!)).toMatchObject({ status: 'accepted', reconciled: true });
    const d = t.app.db.raw.prepare('SELECT status, cdr_zip FROM documents WHERE id = ?').get(s.documentId) as { status: string; cdr_zip: Buffer | null };
    expect(d.status).toBe('accepted');
    expect(d.cdr_zip).toBeTruthy();
    expect(sim.ledger()).toMatchObject([{ accepted: 1, submissions: 2 }]);
  });
});
