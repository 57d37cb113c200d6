import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { demoApp, type TestApp } from '../helpers/app';
import { verifyXml } from '../../src-main/sunat/signer';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

function sell(app: TestApp, factura = false) {
  const p = app.app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 ORDER BY id LIMIT 1`).get() as { id: number };
  return app.app.sell(app.cashier, app.terminalId, {
    documentType: factura ? '01' : '03', customer: factura ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' } : null,
    lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }],
  });
}
const doc = (app: TestApp, id: number) =>
  app.app.db.raw.prepare('SELECT status, xml, digest_value, qr FROM documents WHERE id = ?').get(id) as { status: string; xml: string | null; digest_value: string | null; qr: string | null };

describe('signing on its own thread', () => {
  it('a sale commits at once and its document is signed right after, off the POS thread, once', async () => {
    t = demoApp();
    t.app.signer.certificate(); // the demo certificate exists before the first sale, as after setup
    expect(t.app.signer.startWorker()).toBe(true);
    const sales = Array.from({ length: 40 }, (_, i) => sell(t!, i % 5 === 0));
    // Committed: every sale and its job are there whatever the signing thread is doing.
    expect(t.app.db.raw.prepare('SELECT count(*) n FROM sales').get()).toEqual({ n: 40 });
    // Nothing was signed on this thread: the replies are stored only once this thread is free again.
    expect(sales.every((s) => doc(t!, s.documentId).xml === null)).toBe(true);
    await Promise.all(sales.map((s) => t!.app.signer.whenSigned(s.documentId)));
    expect(t.app.signer.hasWorker).toBe(true); // the thread did it, no fallback
    for (const s of sales) {
      const d = doc(t, s.documentId);
      expect(d.status).toBe('pending');
      expect(verifyXml(d.xml!).valid).toBe(true);
      expect(d.qr).toContain(`|${d.digest_value}|`);
      expect(d.xml).toContain(s.number.split('-')[0]);
    }
    // Signing again (the runner before sending) changes nothing.
    const before = doc(t, sales[0].documentId).xml;
    expect(t.app.signer.signDocument(sales[0].documentId, t.clock.now())).toBe(true);
    expect(doc(t, sales[0].documentId).xml).toBe(before);
  });

  it('a signing thread that dies leaves no sale unsigned: what it had is signed inline', async () => {
    t = demoApp();
    t.app.signer.certificate();
    expect(t.app.signer.startWorker()).toBe(true);
    const sales = Array.from({ length: 20 }, () => sell(t!));
    expect(doc(t, sales[19].documentId).xml).toBeNull();
    // The thread crashes with work in flight.
    await (t.app.signer as unknown as { worker: Worker }).worker.terminate();
    await Promise.all(sales.map((s) => t!.app.signer.whenSigned(s.documentId)));
    expect(t.app.signer.hasWorker).toBe(false);
    for (const s of sales) expect(verifyXml(doc(t, s.documentId).xml!).valid).toBe(true);
    // And the next sale is signed inline, in its own transaction.
    const next = sell(t);
    expect(doc(t, next.documentId).xml).toContain('<ds:SignatureValue>');
  });
});

describe('the shell\'s bundled signing thread', () => {
  it('bundled as bin/electron-prepare.mjs does, it signs from the stored sale on plain Node', async () => {
    const { build } = await import('esbuild');
    const path = await import('node:path');
    const { createRequire } = await import('node:module');
    const { Worker } = await import('node:worker_threads');
    const { bundleOptions, SHELL_EXTERNAL } = createRequire(import.meta.url)(path.resolve('bin/bundle.cjs'));
    const outfile = path.resolve('node_modules/.cache/izisales-test/sign-worker.cjs');
    await build({ ...bundleOptions({ external: SHELL_EXTERNAL }), entryPoints: ['src-main/sunat/sign-worker.ts'], outfile });
    t = demoApp();
    const cert = t.app.signer.certificate()!;
    t.app.signAtCheckout = false;
    const s = sell(t, true);
    const w = new Worker(outfile, { workerData: { dbFile: t.app.db.file } });
    try {
      const reply = await new Promise<{ ok: boolean; xml?: string; error?: string }>((resolve, reject) => {
        w.on('message', (m: { ready?: true; ok?: boolean }) => m.ready || resolve(m as { ok: boolean }));
        w.on('error', reject);
        w.postMessage({ type: 'certificate', certPem: cert.certPem, privateKeyPem: cert.privateKeyPem });
        w.postMessage({ type: 'sign', documentId: s.documentId });
      });
      expect(reply.error).toBeUndefined();
      expect(verifyXml(reply.xml!).valid).toBe(true);
      // The same bytes the POS thread would have produced from the same stored sale.
      t.app.signer.signDocument(s.documentId, t.clock.now());
      expect(reply.xml).toBe(doc(t, s.documentId).xml);
    } finally {
      await w.terminate();
    }
  });
});
