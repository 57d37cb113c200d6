import { afterEach, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import type { Runner } from '../../src-main/jobs/runner';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { enqueue } from '../../src-main/jobs/queue';
import { getJob, jobRuns } from '../../src-main/jobs/store';
import { buildSignedDocument } from '../../src-main/sunat/build';
import { getSetting } from '../../src-main/db/settings';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, step: () => void, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    step();
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sunat.summary', () => {
  it('a voiding communication is sent once, its ticket polled until the CDR, and the voided factura marked', async () => {
    const t: TestApp = demoApp();
    const sim: Simulator = await startSimulator({ port: 0, summaryDelayMs: 300, now: () => t.clock.now() });
    const runner: Runner = createRunner({
      app: t.app, sunat: { url: sim.url }, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
      options: { pollMs: 50, heartbeatMs: 0 },
    });
    cleanups.push(() => t.close(), () => sim.close(), () => runner.stop());
    const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
    const f = t.app.sell(t.cashier, t.terminalId, { documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' }, lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    runner.start();
    const status = (id: number) => (t.app.db.raw.prepare('SELECT status FROM documents WHERE id = ?').get(id) as { status: string }).status;
    await until(() => status(f.documentId) === 'accepted', () => {}, 10_000, 'factura accepted');

    const store = getSetting(t.app.db, 'store');
    const signed = buildSignedDocument(
      { kind: 'RA', issuer: { ruc: store.ruc, name: store.legalName, establishmentCode: store.establishmentCode }, referenceDate: '2026-11-27', issueDate: '2026-11-27', correlative: 1, lines: [{ documentType: '01', series: 'F001', number: 1, reason: 'ERROR EN EL RUC' }] },
      t.app.signer.certificate()!,
    );
    const now = t.clock.now().toISOString();
    const ra = t.app.db.tx(() => {
      const id = Number(t.app.db.raw.prepare(`INSERT INTO documents (sale_id, document_type, series, correlative, file_name, issue_date, status, xml, created_at, updated_at) VALUES (NULL, 'RA', 'RA-20261127', 1, ?, '2026-11-27', 'pending', ?, ?, ?)`).run(signed.fileName, signed.xml, now, now).lastInsertRowid);
      const jobId = enqueue(t.app.db, t.clock.now(), { kind: 'sunat.summary', idempotencyKey: signed.fileName, payload: { documentId: id, covers: [{ documentId: f.documentId, condition: '3' }] } });
      return { id, jobId };
    });
    runner.kick();
    await until(() => getJob(t.app.db, ra.jobId)!.state === 'succeeded', () => t.clock.advance(60_000), 15_000, 'summary accepted');
    const d = t.app.db.raw.prepare('SELECT status, ticket, cdr_zip FROM documents WHERE id = ?').get(ra.id) as { status: string; ticket: string; cdr_zip: Buffer };
    expect(d.status).toBe('accepted');
    expect(d.ticket).toBeTruthy();
    expect(d.cdr_zip).toBeTruthy();
    expect(status(f.documentId)).toBe('voided');
    const outcomes = jobRuns(t.app.db, ra.jobId).map((r) => r.outcome);
    expect(outcomes[0]).toBe('ticket');
    expect(outcomes[outcomes.length - 1]).toBe('accepted');
    expect(getJob(t.app.db, ra.jobId)!.attempts).toBe(1);
    const summaries = sim.ledger().filter((e) => e.id.includes('-RA-'));
    expect(summaries).toMatchObject([{ submissions: 1 }]);
  }, 30_000);
});
