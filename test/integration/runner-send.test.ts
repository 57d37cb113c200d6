import { afterEach, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import type { Runner, RunnerOptions } from '../../src-main/jobs/runner';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor, tcpProbe } from '../../src-main/jobs/network';
import { countByState, getJob, jobRuns, resumeSunat } from '../../src-main/jobs/store';
import type { App } from '../../src-main/app';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function ringUp(t: TestApp, n: number, opts: { facturaEvery?: number } = {}): { saleId: number; documentId: number; number: string }[] {
  const products = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 20`).all() as { id: number }[];
  const out = [];
  for (let i = 0; i < n; i++) {
    const factura = opts.facturaEvery ? i % opts.facturaEvery === 0 : false;
    out.push(t.app.sell(t.cashier, t.terminalId, {
      documentType: factura ? '01' : '03',
      customer: factura ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' } : null,
      lines: [{ productId: products[i % products.length].id, quantity: '1' }],
      payments: [{ method: 'cash', amount: '500.00' }],
    }));
  }
  return out;
}

async function setup(opts: { options?: RunnerOptions; faults?: Parameters<Simulator['setFaults']>[0] } = {}) {
  const t = demoApp();
  const sim = await startSimulator({ port: 0 });
  if (opts.faults) await sim.setFaults(opts.faults);
  const ref: { runner?: Runner } = {};
  const monitor = new NetworkMonitor({ probe: tcpProbe(sim.url, 500), onChange: (o) => ref.runner?.setOnline(o), minDelayMs: 50, maxDelayMs: 300, onlineIntervalMs: 1000 });
  const runner = (ref.runner = createRunner({ app: t.app, sunat: { url: sim.url, connectTimeoutMs: 1000, responseTimeoutMs: 3000 }, monitor, options: { pollMs: 50, heartbeatMs: 0, ...opts.options } }));
  cleanups.push(() => t.close(), () => sim.close(), () => runner.stop(), () => monitor.stop());
  return { t, sim, runner, monitor };
}

async function until(cond: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function docStatuses(app: App): Record<string, number> {
  const rows = app.db.raw.prepare('SELECT status, count(*) n FROM documents GROUP BY status').all() as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

describe('sunat.send through the runner', () => {
  it('sales rung up while SUNAT is unreachable are all accepted once it returns, without spending attempts', async () => {
    const { t, sim, runner, monitor } = await setup({ faults: { down: true } });
    // An offline day: 500 sales rung up with SUNAT unreachable.
    const N = 500;
    const sales = ringUp(t, N, { facturaEvery: 5 });
    monitor.start();
    runner.start();
    await until(() => countByState(t.app.db).waiting_network === N, 60_000, 'all jobs waiting for the network');
    expect(t.app.status().online).toBe(false);
    await sim.setFaults({ down: false });
    // How fast is the queue bench's figure (npm run bench -- queue); here: all of them, each on its first attempt.
    await until(() => (docStatuses(t.app).accepted ?? 0) === N, 60_000, 'all accepted');
    const jobs = t.app.db.raw.prepare(`SELECT state, attempts FROM jobs WHERE kind = 'sunat.send'`).all() as { state: string; attempts: number }[];
    expect(jobs.every((j) => j.state === 'succeeded' && j.attempts === 1)).toBe(true);
    const ledger = sim.ledger();
    expect(ledger.length).toBe(N);
    expect(ledger.every((e) => e.accepted === 1 && e.submissions === 1)).toBe(true);
    const doc = t.app.db.raw.prepare('SELECT cdr_zip, cdr_code, accepted_at FROM documents WHERE id = ?').get(sales[0].documentId) as { cdr_zip: Buffer; cdr_code: string; accepted_at: string };
    expect(doc.cdr_code).toBe('0000');
    expect(doc.cdr_zip.length).toBeGreaterThan(100);
    expect(t.app.status()).toMatchObject({ online: true, pending: 0, failing: 0, sunatPaused: null });
  }, 180_000);

  it('a sale committed while online is sent at once after kick(), and sale.updated is emitted after the commit', async () => {
    const { t, runner, monitor } = await setup();
    monitor.start();
    runner.start();
    const seen: { status: string; dbStatus: string }[] = [];
    t.app.events.on('sale.updated', (e) => {
      const row = t.app.db.raw.prepare('SELECT d.status FROM documents d WHERE d.sale_id = ?').get(e.saleId) as { status: string };
      seen.push({ status: e.sunatStatus, dbStatus: row.status });
    });
    const [s] = ringUp(t, 1);
    runner.kick();
    await until(() => seen.some((x) => x.status === 'accepted'), 10_000, 'accepted event');
    expect(seen.find((x) => x.status === 'accepted')!.dbStatus).toBe('accepted');
    const job = t.app.db.raw.prepare(`SELECT id FROM jobs WHERE json_extract(payload, '$.documentId') = ?`).get(s.documentId) as { id: number };
    const runs = jobRuns(t.app.db, job.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ attempt: 1, outcome: 'accepted' });
  }, 30_000);

  it('0109 (SUNAT busy) retries 3 times, spaced by the retry delay, then the document is in error and the job failed', async () => {
    const { t, sim, runner, monitor } = await setup({ faults: { faultCode: '0109' }, options: { retryDelayMs: 5 * 60_000, jitter: 0 } });
    const [s] = ringUp(t, 1);
    monitor.start();
    runner.start();
    const job = () => getJob(t.app.db, 1)!;
    await until(() => job().state === 'retrying' && job().attempts === 1, 10_000, 'first retry');
    expect(new Date(job().run_at).getTime() - t.clock.now().getTime()).toBe(5 * 60_000);
    t.clock.advance(5 * 60_000);
    await until(() => job().attempts === 2 && job().state === 'retrying', 10_000, 'second retry');
    t.clock.advance(5 * 60_000);
    await until(() => job().state === 'failed', 10_000, 'failed');
    expect(job().attempts).toBe(3);
    const d = t.app.db.raw.prepare('SELECT status, last_error FROM documents WHERE id = ?').get(s.documentId) as { status: string; last_error: string };
    expect(d.status).toBe('error');
    expect(d.last_error).toBeTruthy();
    expect(jobRuns(t.app.db, 1).map((r) => r.outcome)).toEqual(['retry', 'retry', 'failed']);
    expect(sim.ledger().filter((e) => e.accepted > 0)).toHaveLength(0);
  }, 30_000);

  it('0102 (wrong SOL credentials) pauses all sending until an admin resumes', async () => {
    const { t, sim, runner, monitor } = await setup({ faults: { faultCode: '0102' } });
    ringUp(t, 3);
    monitor.start();
    runner.start();
    await until(() => t.app.status().sunatPaused !== null, 10_000, 'paused');
    expect(t.app.status().sunatPaused).toMatch(/SOL/);
    await new Promise((r) => setTimeout(r, 300));
    const requestsWhilePaused = sim.stats().requests;
    const jobs = t.app.db.raw.prepare(`SELECT state, attempts FROM jobs`).all() as { state: string; attempts: number }[];
    expect(jobs.every((j) => j.state === 'queued' && j.attempts === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.stats().requests).toBe(requestsWhilePaused);
    await sim.setFaults({});
    resumeSunat(t.app.db);
    runner.kick();
    await until(() => (docStatuses(t.app).accepted ?? 0) === 3, 10_000, 'accepted after resume');
  }, 30_000);

  it('a rejection is final: the document is rejected, the job succeeded with the CDR code (and an unsigned sale is signed first)', async () => {
    const { t, runner, monitor } = await setup();
    t.app.signAtCheckout = false; // no signing at checkout: the runner signs
    const products = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).all() as { id: number }[];
    const s = t.app.sell(t.cashier, t.terminalId, { documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'X' }, lines: [{ productId: products[0].id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }] });
    // A factura to a DNI holder: SUNAT rejects it (2800) in a CDR.
    t.app.db.raw.prepare(`UPDATE sales SET customer_doc_type = '1', customer_doc_number = '12345678' WHERE id = ?`).run(s.saleId);
    monitor.start();
    runner.start();
    await until(() => !['queued', 'running', 'waiting_network'].includes(getJob(t.app.db, 1)!.state), 10_000, 'done');
    const job = getJob(t.app.db, 1)!;
    const d = t.app.db.raw.prepare('SELECT status, cdr_code, xml FROM documents WHERE id = ?').get(s.documentId) as { status: string; cdr_code: string; xml: string };
    expect(d.xml).toBeTruthy();
    expect(d.status).toBe('rejected');
    expect(d.cdr_code).toBe('2800');
    expect(job.state).toBe('succeeded');
    expect(JSON.parse(job.result!)).toMatchObject({ status: 'rejected', code: '2800' });
  }, 30_000);

  it('a connection cut after SUNAT processed the document is reconciled: accepted, exactly one acceptance in the ledger', async () => {
    const { t, sim, runner, monitor } = await setup({ faults: { resetAfterProcessing: true }, options: { retryDelayMs: 200, jitter: 0 } });
    const [s] = ringUp(t, 1);
    monitor.start();
    runner.start();
    await until(() => getJob(t.app.db, 1)!.state === 'retrying', 10_000, 'retrying');
    expect(JSON.parse(getJob(t.app.db, 1)!.payload)).toMatchObject({ reconcile: true });
    await sim.setFaults({});
    t.clock.advance(1000);
    await until(() => getJob(t.app.db, 1)!.state === 'succeeded', 10_000, 'succeeded');
    const d = t.app.db.raw.prepare('SELECT status, cdr_zip FROM documents WHERE id = ?').get(s.documentId) as { status: string; cdr_zip: Buffer };
    expect(d.status).toBe('accepted');
    expect(d.cdr_zip).toBeTruthy();
    const ledger = sim.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ accepted: 1, submissions: 1 });
    expect(JSON.parse(getJob(t.app.db, 1)!.result!)).toMatchObject({ reconciled: true });
  }, 30_000);
});
