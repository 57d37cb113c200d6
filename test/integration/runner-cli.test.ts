import { afterEach, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { commands } from '../../src-main/commands/jobs';
import { startJobs } from '../../src-main/jobs/start';
import { startSimulator } from '../../src-main/sunat/simulator';
import fs from 'node:fs';
import path from 'node:path';

async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const name = args[0] === 'jobs' ? `jobs ${args[1]}` : args[0];
  const rest = args.slice(args[0] === 'jobs' ? 2 : 1);
  const code = await commands[name](rest, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('jobs CLI', () => {
  it('inspects, shows (Celery states), cancels and retries with an audit trail, purges old finished records only', async () => {
    const t = demoApp();
    apps.push(t);
    const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
    for (let i = 0; i < 3; i++) t.app.sell(t.cashier, t.terminalId, { documentType: '03', customer: null, lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    const d = ['--data', t.dir];

    const stats = await cli(['jobs', 'inspect', 'stats', '--json', ...d]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.out)).toMatchObject({ queued: 3, running: 0, waiting_network: 0, retrying: 0, succeeded: 0, failed: 0, cancelled: 0, worker: null, sunatPaused: null });

    const active = await cli(['jobs', 'inspect', 'active', '--json', ...d]);
    expect(JSON.parse(active.out)).toHaveLength(3);
    const sched = await cli(['jobs', 'inspect', 'scheduled', '--json', ...d]);
    expect(JSON.parse(sched.out).periodic.map((x: { name: string }) => x.name).sort()).toEqual(['db.backup', 'files.archive', 'report.daily', 'retry_failed']);

    const show = await cli(['jobs', 'show', '1', '--json', ...d]);
    expect(JSON.parse(show.out)).toMatchObject({ id: 1, kind: 'sunat.send', status: 'PENDING' });

    // A sale's send cannot be cancelled (queue-cancel.test.ts); a job without a document can.
    expect((await cli(['jobs', 'cancel', '2', ...d])).code).toBe(1);
    t.app.db.raw.prepare(`UPDATE jobs SET kind = 'report.daily', payload = '{}' WHERE id = 2`).run();
    expect((await cli(['jobs', 'cancel', '2', ...d])).code).toBe(0);
    expect(JSON.parse((await cli(['jobs', 'show', '2', '--json', ...d])).out).status).toBe('REVOKED');
    expect((await cli(['jobs', 'cancel', '2', ...d])).code).toBe(1);
    expect((await cli(['jobs', 'retry', '2', ...d])).code).toBe(0);
    expect(JSON.parse((await cli(['jobs', 'show', '2', '--json', ...d])).out)).toMatchObject({ status: 'PENDING', payload: { reconcile: true } });
    const audits = t.app.db.raw.prepare(`SELECT action, entity_id FROM audit_log WHERE action LIKE 'job.%' ORDER BY id`).all();
    expect(audits).toEqual([{ action: 'job.cancel', entity_id: '2' }, { action: 'job.retry', entity_id: '2' }]);

    t.app.db.raw.prepare(`UPDATE jobs SET state = 'succeeded', finished_at = '2026-01-01T00:00:00Z' WHERE id = 3`).run();
    const purge = await cli(['jobs', 'purge', '--finished-before', '2026-06-01', ...d]);
    expect(purge.code).toBe(0);
    expect(purge.out).toMatch(/1 registros/);
    expect(t.app.db.raw.prepare('SELECT count(*) n FROM jobs').get()).toEqual({ n: 2 });
    expect(t.app.db.raw.prepare('SELECT count(*) n FROM documents').get()).toEqual({ n: 3 });

    expect((await cli(['jobs', 'inspect', 'nada', ...d])).code).toBe(2);
    expect((await cli(['jobs', 'show', '99', ...d])).code).toBe(1);
  });

  it('startJobs wires a sale to an immediate send; stats see the live worker; `jobs resume` from another process restarts paused sending', async () => {
    const t = demoApp();
    apps.push(t);
    const sim = await startSimulator({ port: 0 });
    const jobs = startJobs({ app: t.app, sunat: { url: sim.url }, options: { pollMs: 50, heartbeatMs: 100 } });
    try {
      const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
      const sell = () => t.app.sell(t.cashier, t.terminalId, { documentType: '03', customer: null, lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
      const status = (id: number) => (t.app.db.raw.prepare('SELECT status FROM documents WHERE id = ?').get(id) as { status: string }).status;
      const a = sell();
      await until(() => status(a.documentId) === 'accepted', 5000, 'first sale accepted');
      await until(() => fs.existsSync(path.join(t.dir, 'runner-status.json')), 2000, 'heartbeat');
      const stats = JSON.parse((await cli(['jobs', 'inspect', 'stats', '--json', '--data', t.dir])).out);
      expect(stats.worker).toMatchObject({ pid: process.pid });
      expect(typeof stats.worker.rssBytes).toBe('number');

      await sim.setFaults({ faultCode: '0103' });
      const b = sell();
      await until(() => t.app.status().sunatPaused !== null, 5000, 'paused');
      expect(JSON.parse((await cli(['jobs', 'inspect', 'stats', '--json', '--data', t.dir])).out).sunatPaused).toMatch(/SOL/);
      await sim.setFaults({});
      expect((await cli(['jobs', 'resume', '--data', t.dir])).code).toBe(0);
      await until(() => status(b.documentId) === 'accepted', 5000, 'accepted after resume');
    } finally {
      await jobs.stop();
      await sim.close();
    }
    expect(fs.existsSync(path.join(t.dir, 'runner.lock'))).toBe(false);
  });
});
