import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, type TestApp } from '../helpers/app';
import { verifyXml } from '../../src-main/sunat/signer';
import { readStoredCertificate } from '../../src-main/sunat/certificate-store';
import { requireCheckCpe } from '../helpers/tools';

let t: TestApp;
beforeEach(() => {
  t = demoApp();
});
afterEach(() => t.close());

describe('signing right after the sale commits', () => {
  it('stores the signed XML, its hash and the QR text with the document, offline, and keeps it immutable', () => {
    const products = t.app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 ORDER BY id LIMIT 3`).all() as { id: number }[];
    const r = t.app.sell(t.cashier, t.terminalId, {
      documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'Distribuidora Los Andes S.A.C.' },
      lines: products.map((p) => ({ productId: p.id, quantity: '2' })), payments: [{ method: 'cash', amount: '500' }],
    });
    const doc = t.app.db.first(t.app.db.q.selectFrom('documents').selectAll().where('id', '=', r.documentId))!;
    expect(doc.xml).toContain('<ds:SignatureValue>');
    expect(doc.digest_value).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const igv = (t.app.db.raw.prepare('SELECT igv_cents, total_cents FROM sales WHERE id = ?').get(r.saleId) as { igv_cents: number; total_cents: number });
    expect(doc.qr).toBe(`20601234565|01|F001|00000001|${(igv.igv_cents / 100).toFixed(2)}|${(igv.total_cents / 100).toFixed(2)}|${doc.issue_date}|6|20123456786|${doc.digest_value}|`);
    expect(verifyXml(doc.xml!).valid).toBe(true);
    // Signing again changes nothing: what was printed is what SUNAT receives.
    t.app.signer.signDocument(r.documentId, t.clock.now());
    expect(t.app.db.first(t.app.db.q.selectFrom('documents').select('xml').where('id', '=', r.documentId))!.xml).toBe(doc.xml);
    // And SUNAT's own checker agrees (required: fails naming the tool to install when it is missing).
    const file = path.join(t.dir, `${doc.file_name}.xml`);
    fs.writeFileSync(file, doc.xml!);
    const check = spawnSync(requireCheckCpe(), [file], { encoding: 'utf8' });
    expect(check.stdout, check.stderr).toContain('1 passed, 0 failed');
  });

  it('a signing failure right after the sale keeps the sale, unsigned and pending, and the next number follows', () => {
    const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE is_bag = 0 ORDER BY id LIMIT 1`).get() as { id: number };
    const sale = () => t.app.sell(t.cashier, t.terminalId, { documentType: '03', customer: null, lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] });
    const doc = (id: number) => t.app.db.raw.prepare('SELECT status, xml, digest_value FROM documents WHERE id = ?').get(id) as { status: string; xml: string | null; digest_value: string | null };
    const first = sale();
    expect(doc(first.documentId).xml).toContain('<ds:SignatureValue>');
    // A damaged stored certificate makes signing throw.
    t.app.db.raw.prepare(`UPDATE settings SET value = '{"pfx":"AA==","password":"AA=="}' WHERE key = 'certificate'`).run();
    t.app.signer.reset();
    const second = sale();
    expect(doc(second.documentId)).toEqual({ status: 'pending', xml: null, digest_value: null });
    expect(t.app.db.raw.prepare('SELECT count(*) n FROM jobs WHERE kind = \'sunat.send\'').get()).toEqual({ n: 2 });
    expect(second.number).toBe(first.number.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(n.length, '0')));
  });

  it('keeps the demo certificate encrypted at rest, never in clear in the database', () => {
    t.app.signer.certificate();
    const row = t.app.db.raw.prepare(`SELECT value FROM settings WHERE key = 'certificate'`).get() as { value: string };
    expect(row.value).not.toContain('PRIVATE KEY');
    const loaded = readStoredCertificate(t.app.db, t.app.secrets)!;
    expect(loaded.ruc).toBe('20601234565');
    expect(fs.statSync(path.join(t.dir, 'secret.key')).mode & 0o077).toBe(0);
  });
});
