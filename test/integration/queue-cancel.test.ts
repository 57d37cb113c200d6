// Issue 13 §7 and §9: a job that carries an issued document cannot be cancelled into nothing (Api and CLI), a document
// orphaned by an old cancel is counted as failing and can be retried, and a job's runs are numbered as they happened.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { commands } from '../../src-main/commands/jobs';
import { enqueue } from '../../src-main/jobs/queue';
import { claimDue, getJob, markWaitingNetwork } from '../../src-main/jobs/store';
import { apiClient } from '../helpers/api';
import { demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
let api: Api;
const { login, call, refusal } = apiClient(() => api);
beforeEach(() => {
  t = demoApp();
  api = new Api(t.app);
});
afterEach(async () => {
  await t.close();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await commands[`jobs ${args[0]}`](args.slice(1), { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

function sellOne(): { documentId: number; number: string } {
  const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
  return t.app.sell(t.cashier, t.terminalId, {
    documentType: '03', lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }],
  });
}
const jobAudits = () => t.app.db.raw.prepare(`SELECT action, entity_id FROM audit_log WHERE action LIKE 'job.%' ORDER BY id`).all();

describe('cancelling a job that carries an issued document', () => {
  it('queue.cancel refuses a boleta’s send in Spanish, says what to do instead, and changes nothing', async () => {
    const admin = await login('admin', '1111');
    const sale = sellOne();
    const view = (await call('queue.list', {}, admin))[0];
    expect(view.cancelRefusal).toContain(sale.number);
    const r = await refusal('queue.cancel', { id: 1 }, admin);
    expect(r.code).toBe('rule');
    expect(r.message).toContain(`El comprobante ${sale.number} ya fue emitido`);
    expect(r.message).toMatch(/no se puede cancelar/);
    expect(r.message).toMatch(/reintent/);
    expect(r.message).toMatch(/comunicación de baja o resumen diario \(izisales document void/);
    expect(getJob(t.app.db, 1)!.state).toBe('queued');
    expect(jobAudits()).toEqual([]);
    expect(t.app.status()).toMatchObject({ pending: 1, failing: 0 });
  });

  it('`izisales jobs cancel` refuses it too with the same message; a backup job can still be cancelled', async () => {
    sellOne();
    const backupJob = enqueue(t.app.db, t.clock.now(), { kind: 'db.backup', payload: { schedule: 'db.backup' } });
    const d = ['--data', t.dir];
    const no = await cli(['cancel', '1', ...d]);
    expect(no.code).toBe(1);
    expect(no.err).toMatch(/ya fue emitido y firmado: su envío a SUNAT no se puede cancelar/);
    expect(getJob(t.app.db, 1)!.state).toBe('queued');
    const yes = await cli(['cancel', String(backupJob), ...d]);
    expect(yes.code).toBe(0);
    expect(getJob(t.app.db, backupJob)!.state).toBe('cancelled');
    expect(jobAudits()).toEqual([{ action: 'job.cancel', entity_id: String(backupJob) }]);
  });

  it('a document orphaned by an old cancel counts as failing in the status bar and the Queue screen retries it', async () => {
    const admin = await login('admin', '1111');
    sellOne();
    sellOne();
    // What an older version left behind: the send of the first sale cancelled, its boleta still pending.
    t.app.db.raw.prepare(`UPDATE jobs SET state = 'cancelled', finished_at = updated_at WHERE id = 1`).run();
    expect(t.app.status()).toMatchObject({ pending: 1, failing: 1 });
    const [orphan] = await call('queue.list', { state: 'cancelled' }, admin);
    expect(orphan).toMatchObject({ id: 1, documentStatus: 'pending' });
    expect(await call('queue.retry', { id: 1 }, admin)).toMatchObject({ state: 'queued' });
    expect(t.app.status()).toMatchObject({ pending: 2, failing: 0 });
    // One whose job record was purged counts as failing as well.
    t.app.db.raw.prepare(`DELETE FROM jobs WHERE id = 2`).run();
    expect(t.app.status()).toMatchObject({ pending: 1, failing: 1 });
  });
});

describe('a job’s attempts and its history agree', () => {
  it('two runs without network are runs 1 and 2, neither counted against the limit', async () => {
    const admin = await login('admin', '1111');
    sellOne();
    for (let i = 0; i < 2; i++) {
      const now = t.clock.now();
      const [job] = claimDue(t.app.db, now, { kind: 'sunat.send', limit: 1, leaseMs: 60_000 });
      markWaitingNetwork(t.app.db, now, job, 'Sin conexión con SUNAT', now);
    }
    expect(t.app.db.raw.prepare('SELECT attempt FROM job_runs WHERE job_id = 1 ORDER BY id').all()).toEqual([{ attempt: 1 }, { attempt: 2 }]);
    const d = await call('queue.show', { id: 1 }, admin);
    expect(d).toMatchObject({ attempts: 0, maxAttempts: 3, runCount: 2 });
    expect(d.runs.map((r) => [r.attempt, r.counted])).toEqual([[1, false], [2, false]]);
    expect((await call('queue.list', {}, admin))[0].runCount).toBe(2);
  });
});
