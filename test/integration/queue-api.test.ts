// The queue monitor through the contract (Api.invoke) against a real demo app: counts, filters, history, audited
// retry/cancel/resume, managers only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { apiClient } from '../helpers/api';
import { demoApp, type TestApp } from '../helpers/app';
import { claimDue, getJob, markFailed, markRetrying, pauseSunat, sunatPause } from '../../src-main/jobs/store';
import { startJobs, type Jobs } from '../../src-main/jobs/start';
import { enqueue } from '../../src-main/jobs/queue';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { sunatMessage } from '../../src-main/sunat/error-texts';

let t: TestApp;
let api: Api;
const { login, call, refusal } = apiClient(() => api);
let jobs: Jobs | null = null;
beforeEach(() => {
  t = demoApp();
  api = new Api(t.app);
});
afterEach(async () => {
  await jobs?.stop();
  jobs = null;
  await t.close();
});


function ringUp(n: number): { documentId: number; number: string }[] {
  const products = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 5`).all() as { id: number }[];
  return Array.from({ length: n }, (_, i) =>
    t.app.sell(t.cashier, t.terminalId, {
      documentType: '03', lines: [{ productId: products[i % products.length].id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }],
    }),
  );
}

function auditRows(action: string): { user_id: number | null; entity_id: string | null; details: string | null }[] {
  return t.app.db.raw.prepare('SELECT user_id, entity_id, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as never;
}

/** Job 1 tried twice by a "runner": a retry, then failed with SUNAT code 0306 (its document in error). */
function failFirstJob(): void {
  const now = t.clock.now();
  const [first] = claimDue(t.app.db, now, { kind: 'sunat.send', limit: 1, leaseMs: 60_000 });
  markRetrying(t.app.db, now, first, 'SUNAT respondió HTTP 503', new Date(now.getTime() - 1000), false);
  const [again] = claimDue(t.app.db, now, { kind: 'sunat.send', limit: 1, leaseMs: 60_000 });
  expect(again.id).toBe(first.id);
  markFailed(t.app.db, now, again, '0306: No se puede leer (parsear) el archivo XML', { code: '0306', action: 'final_defect' });
  t.app.db.raw.prepare(`UPDATE documents SET status = 'error' WHERE id = 1`).run();
}

describe('queue.* calls through the contract', () => {
  it('queue.stats counts jobs per state and lists the periodic jobs with their next run', async () => {
    const sup = await login('supervisor', '2222');
    ringUp(3);
    const s = await call('queue.stats', {}, sup);
    expect(s.counts).toMatchObject({ queued: 3, running: 0, failed: 0, succeeded: 0 });
    expect(s.running).toEqual([]);
    expect(s.sunatPaused).toBeNull();
    expect(s.runner).toBeNull();
    expect(s.scheduled.map((x) => x.name).sort()).toEqual(['db.backup', 'files.archive', 'report.daily', 'retry_failed']);
    // 15:00 UTC is 10:00 in Lima: retry_failed (*/30) next fires at 10:30 Lima.
    expect(s.scheduled.find((x) => x.name === 'retry_failed')!.nextRun).toBe('2026-11-27T15:30:00.000Z');
    expect(s.scheduled.find((x) => x.name === 'report.daily')!.nextRun).toBe('2026-11-28T04:00:00.000Z');
  });

  it('queue.list filters by state and shows the document, the sale number and SUNAT’s message in Spanish', async () => {
    const admin = await login('admin', '1111');
    const sales = ringUp(3);
    failFirstJob();
    const failed = await call('queue.list', { state: 'failed' }, admin);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      id: 1, kind: 'sunat.send', state: 'failed', attempts: 2, maxAttempts: 3, sunatCode: '0306',
      documentNumber: 'B001-00000001', saleNumber: sales[0].number, documentStatus: 'error',
    });
    expect(failed[0].fileName).toMatch(/^\d{11}-03-B001-00000001$/);
    expect(failed[0].error).toContain(sunatMessage('0306'));
    expect((await call('queue.list', { state: 'queued' }, admin)).map((j) => j.id)).toEqual([2, 3]);
    expect(await call('queue.list', { state: 'succeeded' }, admin)).toEqual([]);
    expect((await call('queue.list', { state: 'active' }, admin)).map((j) => j.id)).toEqual([2, 3]);
    expect((await call('queue.list', {}, admin)).map((j) => j.id)).toEqual([2, 3, 1]);
    expect(await call('queue.list', { limit: 1 }, admin)).toHaveLength(1);
    expect((await refusal('queue.list', { state: 'bogus' }, admin)).code).toBe('invalid_input');
  });

  it('queue.show gives the job with every attempt', async () => {
    const sup = await login('supervisor', '2222');
    ringUp(1);
    failFirstJob();
    const d = await call('queue.show', { id: 1 }, sup);
    expect(d).toMatchObject({ id: 1, state: 'failed', idempotencyKey: d.fileName, result: { code: '0306' } });
    expect(d.runs.map((r) => [r.attempt, r.outcome])).toEqual([[1, 'retry'], [2, 'failed']]);
    expect(d.runs[0].error).toBe('SUNAT respondió HTTP 503');
    expect(d.runs.every((r) => r.finishedAt !== null)).toBe(true);
    expect((await refusal('queue.show', { id: 99 }, sup)).code).toBe('not_found');
  });

  it('queue.retry requeues a failed job, puts its document back to pending and audits who did it', async () => {
    const sup = await login('supervisor', '2222');
    ringUp(1);
    failFirstJob();
    const events: unknown[] = [];
    t.app.events.on('queue.updated', (e) => events.push(e));
    const r = await call('queue.retry', { id: 1 }, sup);
    expect(r).toMatchObject({ id: 1, state: 'queued', attempts: 0, documentStatus: 'pending' });
    expect(JSON.parse(getJob(t.app.db, 1)!.payload)).toMatchObject({ reconcile: true });
    expect(t.app.status().failing).toBe(0);
    expect(events).toEqual([{ action: 'retry', jobId: 1 }]);
    const [row] = auditRows('job.retry');
    expect(row).toMatchObject({ user_id: t.supervisor.id, entity_id: '1' });
    expect(JSON.parse(row.details!)).toMatchObject({ via: 'ui', previousState: 'failed' });
  });

  it('queue.cancel cancels a waiting job, audited with the user; a finished job is refused and nothing is audited', async () => {
    const admin = await login('admin', '1111');
    ringUp(1);
    // A job without a document (a sale's send cannot be cancelled: queue-cancel.test.ts).
    expect(enqueue(t.app.db, t.clock.now(), { kind: 'report.daily', payload: {} })).toBe(2);
    const c = await call('queue.cancel', { id: 2 }, admin);
    expect(c).toMatchObject({ id: 2, state: 'cancelled' });
    expect(c.finishedAt).not.toBeNull();
    const adminId = (t.app.db.raw.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id;
    expect(auditRows('job.cancel')).toEqual([expect.objectContaining({ user_id: adminId, entity_id: '2' })]);
    expect((await refusal('queue.cancel', { id: 2 }, admin)).code).toBe('rule');
    expect((await refusal('queue.cancel', { id: 42 }, admin)).code).toBe('not_found');
    expect(auditRows('job.cancel')).toHaveLength(1);
    // Cancelled is not deleted: it can be retried.
    expect(await call('queue.retry', { id: 2 }, admin)).toMatchObject({ state: 'queued' });
  });

  it('queue.resume clears the SUNAT pause once, audited', async () => {
    const sup = await login('supervisor', '2222');
    pauseSunat(t.app.db, t.clock.now(), 'SUNAT rechazó el usuario o la clave SOL (0102: …)', '0102');
    expect((await call('queue.stats', {}, sup)).sunatPaused).toMatchObject({ code: '0102' });
    expect(await call('queue.resume', {}, sup)).toEqual({ resumed: true });
    expect(sunatPause(t.app.db)).toBeNull();
    expect(await call('queue.resume', {}, sup)).toEqual({ resumed: false });
    expect(auditRows('sunat.resume')).toEqual([expect.objectContaining({ user_id: t.supervisor.id, entity_id: 'sunatPaused' })]);
  });

  it('a cashier is refused every queue call by the main process', async () => {
    const cashier = await login('cashier', '3333');
    ringUp(1);
    for (const [name, input] of [
      ['queue.stats', {}], ['queue.list', {}], ['queue.show', { id: 1 }], ['queue.retry', { id: 1 }], ['queue.cancel', { id: 1 }], ['queue.resume', {}],
    ] as const) {
      expect((await refusal(name, input, cashier)).code, name).toBe('forbidden');
    }
    expect(getJob(t.app.db, 1)!.state).toBe('queued');
    expect(auditRows('job.cancel')).toHaveLength(0);
  });

  it('with the runner started, a retry through the Api runs at once and stats show the runner', async () => {
    const sup = await login('supervisor', '2222');
    let fail = true;
    jobs = startJobs({
      app: t.app,
      monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
      handlers: { 'sunat.send': { run: async () => (fail ? { type: 'failed', error: 'falla de prueba' } : { type: 'succeeded' }) } },
      options: { pollMs: 20, heartbeatMs: 60_000 },
    });
    ringUp(1);
    await expect.poll(() => getJob(t.app.db, 1)!.state, { timeout: 5000 }).toBe('failed');
    const s = await call('queue.stats', {}, sup);
    expect(s.runner).toMatchObject({ pid: process.pid });
    expect(s.runner!.uptimeS).toBeGreaterThanOrEqual(0);
    fail = false;
    await call('queue.retry', { id: 1 }, sup);
    // Nothing else is due, so only the kick from 'queue.updated' makes the runner look.
    await expect.poll(() => getJob(t.app.db, 1)!.state, { timeout: 2000 }).toBe('succeeded');
  });
});
