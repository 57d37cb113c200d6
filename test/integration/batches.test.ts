import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, count, type TestApp } from '../helpers/app';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import type { Runner } from '../../src-main/jobs/runner';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { getJob } from '../../src-main/jobs/store';
import { createDailySummary, voidSale } from '../../src-main/sunat/batches';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { dailyReport } from '../../src-main/reports/daily';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, step: () => void = () => {}, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    step();
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function store(): Promise<{ t: TestApp; sim: Simulator; runner: Runner; product: number }> {
  const t = demoApp();
  const sim = await startSimulator({ port: 0, summaryDelayMs: 200, now: () => t.clock.now() });
  const runner = createRunner({
    app: t.app, sunat: { url: sim.url }, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
    options: { pollMs: 50, heartbeatMs: 0 },
  });
  cleanups.push(() => t.close(), () => sim.close(), () => runner.stop());
  const product = (t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number }).id;
  return { t, sim, runner, product };
}

const docStatus = (t: TestApp, id: number) => (t.app.db.raw.prepare('SELECT status FROM documents WHERE id = ?').get(id) as { status: string }).status;
const stock = (t: TestApp, id: number) => (t.app.db.raw.prepare('SELECT stock FROM products WHERE id = ?').get(id) as { stock: string }).stock;

describe('voiding and daily summaries over the stored documents', () => {
  it('a factura accepted by SUNAT is voided by an RA: the sale is cancelled, stock returns, the factura ends voided', async () => {
    const { t, runner, product } = await store();
    const before = stock(t, product);
    const f = t.app.sell(t.cashier, t.terminalId, { documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' }, lines: [{ productId: product, quantity: '2' }], payments: [{ method: 'cash', amount: '500' }] });
    runner.start();
    await until(() => docStatus(t, f.documentId) === 'accepted');
    const r = voidSale(t.app, t.supervisor.id, f.number, 'error en el precio');
    expect(r.fileName).toMatch(/^20601234565-RA-\d{8}-1$/);
    expect(stock(t, product)).toBe(before);
    expect((t.app.db.raw.prepare('SELECT status FROM sales WHERE id = ?').get(f.saleId) as { status: string }).status).toBe('cancelled');
    runner.kick();
    await until(() => getJob(t.app.db, r.jobId)!.state === 'succeeded', () => t.clock.advance(60_000));
    expect(docStatus(t, r.documentId)).toBe('accepted');
    expect(docStatus(t, f.documentId)).toBe('voided');
    expect(() => voidSale(t.app, null, f.number, 'otra vez')).toThrow(/ya está anulada/);
    // The day's report names the batch in words, never a raw "RA" row.
    const day = (t.app.db.raw.prepare('SELECT issue_date FROM documents WHERE id = ?').get(r.documentId) as { issue_date: string }).issue_date;
    expect(dailyReport(t.app.db, day).byDocumentType.RA).toMatchObject({ label: 'Comunicación de baja (RA)', issued: 1, accepted: 1 });
  });

  it('a boleta is voided by an RC with condition 3', async () => {
    const { t, runner, product } = await store();
    const b = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '1' }], payments: [{ method: 'cash', amount: '500' }] });
    runner.start();
    await until(() => docStatus(t, b.documentId) === 'accepted');
    const r = voidSale(t.app, null, b.number, 'devolucion');
    expect(r.fileName).toMatch(/-RC-\d{8}-1$/);
    const xml = (t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(r.documentId) as { xml: string }).xml;
    expect(xml).toContain('<cbc:ConditionCode>3</cbc:ConditionCode>');
    runner.kick();
    await until(() => docStatus(t, b.documentId) === 'voided', () => t.clock.advance(60_000));
    const day = (t.app.db.raw.prepare('SELECT issue_date FROM documents WHERE id = ?').get(r.documentId) as { issue_date: string }).issue_date;
    expect(dailyReport(t.app.db, day).byDocumentType.RC).toMatchObject({ label: 'Resumen diario (RC)', issued: 1 });
  });

  it.each([
    ['an unknown number', 'B001-00009999', /No existe la venta/],
    ['a boleta SUNAT has not accepted yet', 'B001-00000001', /aún no aceptó/],
  ])('refuses to void %s and records nothing', async (_n, number, msg) => {
    const t = demoApp();
    cleanups.push(() => t.close());
    const product = (t.app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 LIMIT 1`).get() as { id: number }).id;
    t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '1' }], payments: [{ method: 'cash', amount: '500' }] });
    const docs = count(t.app, 'documents');
    const jobs = count(t.app, 'jobs');
    expect(() => voidSale(t.app, null, number, 'motivo')).toThrow(msg);
    expect([count(t.app, 'documents'), count(t.app, 'jobs')]).toEqual([docs, jobs]);
  });

  it('refuses to void a sale part of which came back with a credit note (the goods and the money would go back twice)', async () => {
    const { t, runner, product } = await store();
    const f = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '2' }], payments: [{ method: 'cash', amount: '500' }] });
    runner.start();
    await until(() => docStatus(t, f.documentId) === 'accepted');
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: f.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const before = [count(t.app, 'documents'), count(t.app, 'jobs'), stock(t, product)];
    expect(() => voidSale(t.app, t.supervisor.id, f.number, 'error')).toThrow(new RegExp(`tiene devoluciones \\(${n.number}\\)`));
    expect([count(t.app, 'documents'), count(t.app, 'jobs'), stock(t, product)]).toEqual(before);
  });

  it('refuses a void after the 7-day deadline: a credit note is the way', async () => {
    const { t, runner, product } = await store();
    const f = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '1' }], payments: [{ method: 'cash', amount: '500' }] });
    runner.start();
    await until(() => docStatus(t, f.documentId) === 'accepted');
    t.clock.advance(8 * 86_400_000);
    expect(() => voidSale(t.app, null, f.number, 'tarde')).toThrow(/nota de crédito/);
  });

  it('boletas SUNAT would not take one by one go in the daily summary once, and their individual sends stop', async () => {
    const { t, runner, product } = await store();
    const b = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '3' }], payments: [{ method: 'cash', amount: '500' }] });
    const date = (t.app.db.raw.prepare('SELECT issue_date FROM documents WHERE id = ?').get(b.documentId) as { issue_date: string }).issue_date;
    expect(() => createDailySummary(t.app, null, date)).toThrow(/No hay boletas/);
    // As after a 1079 (late) answer or exhausted retries.
    t.app.db.raw.prepare(`UPDATE documents SET status = 'error', last_error = '1079' WHERE id = ?`).run(b.documentId);
    const r = createDailySummary(t.app, null, date);
    expect(r.covers).toEqual([{ documentId: b.documentId, number: b.number, condition: '1' }]);
    const send = t.app.db.raw.prepare(`SELECT state FROM jobs WHERE kind = 'sunat.send' AND idempotency_key = ?`).get(`20601234565-03-${b.number}`) as { state: string };
    expect(send.state).toBe('cancelled');
    expect(() => createDailySummary(t.app, null, date)).toThrow(/No hay boletas/); // already in a queued summary: never twice
    runner.start();
    await until(() => getJob(t.app.db, r.jobId)!.state === 'succeeded', () => t.clock.advance(60_000));
    expect(docStatus(t, b.documentId)).toBe('accepted');
  });
});

describe('izisales cert import', () => {
  it('imports a .pfx with its password from the environment, shows it, and never prints the password', () => {
    const t = demoApp({ openSession: false });
    cleanups.push(() => t.close());
    const cert = createDemoCertificate('20601234565', 'BODEGA DEMO IZISALES S.A.C.');
    const file = path.join(t.dir, 'empresa.pfx');
    fs.writeFileSync(file, cert.pfx);
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['bin/izisales.mjs', ...args, '--data', t.dir], { encoding: 'utf8', env: { ...process.env, ...env } });
    void t.app.close();
    const wrong = run(['cert', 'import', file, '--password-env', 'PFX_PASS'], { PFX_PASS: 'incorrecta' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/contraseña/);
    const pem = path.join(t.dir, 'cert.pem');
    fs.writeFileSync(pem, cert.certPem);
    expect(run(['cert', 'import', pem, '--password-env', 'PFX_PASS'], { PFX_PASS: cert.password }).stderr).toMatch(/PEM/);
    const ok = run(['cert', 'import', file, '--password-env', 'PFX_PASS'], { PFX_PASS: cert.password });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ruc: '20601234565', warnings: [] });
    expect(ok.stdout + ok.stderr).not.toContain(cert.password);
    expect(JSON.parse(run(['cert', 'show']).stdout).serialNumber).toBe(cert.serialNumber);
    expect(run(['cert', 'import', file]).status).toBe(2);
  });
});
