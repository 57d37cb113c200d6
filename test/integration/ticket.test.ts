import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, type TestApp } from '../helpers/app';
import { requireTools } from '../helpers/tools';
import { renderTicket } from '../../src-main/documents/ticket';
import { renderA4 } from '../../src-main/documents/a4';
import { renderDocumentPdf } from '../../src-main/documents/render';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ at: '2026-11-27T15:42:00Z' });
});
afterEach(() => t.close());

function pdfText(pdf: Buffer): string {
  const file = path.join(t.dir, `t-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, pdf);
  requireTools('pdftotext');
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function pdfPageSize(pdf: Buffer): string {
  const file = path.join(t.dir, 'size.pdf');
  fs.writeFileSync(file, pdf);
  requireTools('pdfinfo');
  return /Page size:\s+(.*)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1];
}

function decodeQr(pdf: Buffer): string {
  const file = path.join(t.dir, 'qr.pdf');
  fs.writeFileSync(file, pdf);
  requireTools('pdftoppm', 'zbarimg');
  execFileSync('pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', file, path.join(t.dir, 'qr')]);
  const png = fs.readdirSync(t.dir).find((f) => f.startsWith('qr') && f.endsWith('.png'))!;
  return execFileSync('zbarimg', ['-q', '--raw', path.join(t.dir, png)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

const productIds = (where: string, n: number) =>
  (t.app.db.raw.prepare(`SELECT id FROM products WHERE ${where} ORDER BY id LIMIT ${n}`).all() as { id: number }[]).map((p) => p.id);

function sellBoleta() {
  const ids = [...productIds(`is_bag = 0 AND tax_affectation = '10'`, 2), ...productIds('is_bag = 1', 1)];
  return t.app.sell(t.cashier, t.terminalId, {
    documentType: '03', lines: ids.map((id, i) => ({ productId: id, quantity: String(i + 1) })),
    payments: [{ method: 'cash', amount: '200.00' }],
  });
}

const sale = (id: number) => t.app.db.raw.prepare('SELECT * FROM sales WHERE id = ?').get(id) as Record<string, number | string>;
const soles = (c: number) => `S/ ${(c / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;

describe('the ticket PDF', () => {
  it('prints the store, the document, the lines, the tax summary, words, payments, the hash and a QR that decodes to the stored text', async () => {
    const r = sellBoleta();
    const doc = t.app.db.raw.prepare('SELECT qr, digest_value FROM documents WHERE id = ?').get(r.documentId) as { qr: string; digest_value: string };
    expect(doc.qr).toBeTruthy();
    const pdf = await renderTicket(t.app.db, r.documentId);
    const text = pdfText(pdf);
    const s = sale(r.saleId);
    for (const needle of [
      'Bodega Demo', 'BODEGA DEMO IZISALES S.A.C.', 'RUC 20601234565', 'AV. JOSE LARCO 123, MIRAFLORES, LIMA',
      'BOLETA DE VENTA ELECTRÓNICA', 'B001-00000001', '27/11/2026', '10:42', 'CLIENTES VARIOS',
      `OP. GRAVADA`, soles(s.gravado_cents as number), 'OP. EXONERADA', 'OP. INAFECTA', 'IGV (18%)', soles(s.igv_cents as number),
      'ICBPER', soles(s.icbper_cents as number), 'TOTAL', soles(s.total_cents as number), 'Efectivo', soles(20000), 'Vuelto',
      soles(s.change_cents as number), `Hash: ${doc.digest_value}`, 'Representación impresa de la BOLETA DE VENTA',
      'Consulte en www.sunat.gob.pe',
    ]) expect(text).toContain(needle);
    expect(text.replace(/\s+/g, ' ')).toMatch(/SON: [A-Z ]+ CON \d\d\/100 SOLES/);
    const lines = t.app.db.raw.prepare('SELECT description, total_cents FROM sale_lines WHERE sale_id = ?').all(r.saleId) as { description: string; total_cents: number }[];
    for (const l of lines) {
      expect(text).toContain(l.description.split(' ')[0]);
      expect(text).toContain((l.total_cents / 100).toFixed(2));
    }
    expect(s.icbper_cents).toBeGreaterThan(0);
    expect(text).not.toMatch(/pendiente|COPIA/i);
    expect(decodeQr(pdf)).toBe(doc.qr);
    expect(pdfPageSize(pdf)).toMatch(/^226\.77\d* x \d+/);
  });

  it('prints COPIA on a reprint and fits the 58 mm roll when the setting says so', async () => {
    const r = sellBoleta();
    t.app.db.raw.prepare(`INSERT INTO settings (key, value) VALUES ('paperWidth', '58')`).run();
    const pdf = await renderDocumentPdf(t.app, r.documentId, { copy: true });
    expect(pdfText(pdf)).toContain('COPIA');
    expect(pdfPageSize(pdf)).toMatch(/^164\.4\d* x \d+/);
    const doc = t.app.db.raw.prepare('SELECT qr FROM documents WHERE id = ?').get(r.documentId) as { qr: string };
    expect(decodeQr(pdf)).toBe(doc.qr);
  });

  it('prints a factura on A4 with the customer RUC, and carries no secret', async () => {
    const ids = productIds(`is_bag = 0`, 3);
    const r = t.app.sell(t.cashier, t.terminalId, {
      documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'Distribuidora Los Andes S.A.C.', address: 'Jr. Junín 456, Lima' },
      lines: ids.map((id) => ({ productId: id, quantity: '3' })), payments: [{ method: 'cash', amount: '900.00' }],
    });
    const pdf = await renderA4(t.app.db, r.documentId);
    const text = pdfText(pdf);
    for (const needle of ['FACTURA ELECTRÓNICA', 'F001-00000001', 'R.U.C. 20601234565', 'RUC: 20123456786', 'DISTRIBUIDORA LOS ANDES S.A.C.', 'Junín 456', 'IMPORTE TOTAL', soles(sale(r.saleId).total_cents as number), 'Representación impresa de la FACTURA ELECTRÓNICA']) {
      expect(text).toContain(needle);
    }
    expect(pdfPageSize(pdf)).toMatch(/^595\.\d+ x 841\.\d+/);
    const doc = t.app.db.raw.prepare('SELECT qr FROM documents WHERE id = ?').get(r.documentId) as { qr: string };
    expect(decodeQr(pdf)).toBe(doc.qr);
    const raw = pdf.toString('latin1');
    expect(raw).not.toContain('PRIVATE KEY');
    expect(raw).not.toContain('<ds:Signature');
  });
});
