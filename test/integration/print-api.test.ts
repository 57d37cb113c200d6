// Printing and the daily report through the contract (Api.invoke) on a demo app: the original for the sale's own
// cashier, a supervisor's print a "COPIA", every print audited (DESIGN §6; the reprint rules in full:
// test/integration/sale-detail.test.ts), and reports.daily for managers only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { apiClient } from '../helpers/api';
import { demoApp, type TestApp } from '../helpers/app';
import { requireTools } from '../helpers/tools';
import { limaDate } from '../../src-shared/time';

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


function pdfText(base64: string): string {
  const buf = Buffer.from(base64, 'base64');
  expect(buf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  const file = path.join(t.dir, `p-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, buf);
  requireTools('pdftotext');
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function products(): number[] {
  return (t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 ORDER BY id LIMIT 3`).all() as { id: number }[]).map((p) => p.id);
}

function auditRows(action: string): { user_id: number | null; entity_id: string | null; details: string | null }[] {
  return t.app.db.raw.prepare('SELECT user_id, entity_id, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as never;
}

describe('documents.print', () => {
  it('prints the original for the sale’s cashier and a COPIA for a supervisor, auditing both', async () => {
    const cashier = await login('cashier', '3333');
    const sup = await login('supervisor', '2222');
    const [p] = products();
    const sale = await call('sales.checkout', { documentType: '03', lines: [{ productId: p, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] }, cashier);

    const original = await call('documents.print', { saleId: sale.saleId }, cashier);
    expect(original.fileName).toMatch(/\.pdf$/);
    const text = pdfText(original.pdfBase64);
    expect(text).toContain(sale.number);
    expect(text).not.toContain('COPIA');
    expect(original).toMatchObject({ copy: false, reprint: false, number: sale.number });

    const copy = await call('documents.print', { saleId: sale.saleId }, sup);
    const copyText = pdfText(copy.pdfBase64);
    expect(copyText).toContain('COPIA');
    expect(copyText).toContain(sale.number);
    expect(copy).toMatchObject({ copy: true, reprint: true, reprintsLeft: null });
    const rows = auditRows('document.print');
    expect(rows.map((r) => r.user_id)).toEqual([t.cashier.id, t.supervisor.id]);
    expect(JSON.parse(rows[1].details!)).toMatchObject({ saleId: sale.saleId, number: sale.number, copy: true, print: 2 });

    // A4 also works for a manager; an unknown sale is not_found.
    expect(pdfText((await call('documents.print', { saleId: sale.saleId, format: 'a4' }, sup)).pdfBase64)).toContain(sale.number);
    expect((await refusal('documents.print', { saleId: 9999 }, sup)).code).toBe('not_found');
  });

  it('a cashier cannot print another cashier’s sale; their own, long after the sale, prints as a COPIA', async () => {
    const cashier = await login('cashier', '3333');
    const [p] = products();
    // The supervisor's sale (same terminal).
    const other = t.app.sell(t.supervisor, t.terminalId, { documentType: '03', lines: [{ productId: p, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    expect((await refusal('documents.print', { saleId: other.saleId }, cashier)).code).toBe('forbidden');

    const own = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: p, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    expect((await refusal('documents.print', { saleId: own.saleId }, cashier)).code).toBe('accepted');
    t.clock.set(new Date(t.clock.now().getTime() + 60 * 60_000));
    // An hour away: the session itself ended (pos/sessions.ts); back with the PIN, the print is a COPIA.
    expect((await refusal('documents.print', { saleId: own.saleId }, cashier)).code).toBe('unauthorized');
    const later = await call('documents.print', { saleId: own.saleId }, await login('cashier', '3333'));
    expect(later.copy).toBe(true);
    expect(pdfText(later.pdfBase64)).toContain('COPIA');
  });
});

describe('reports.daily', () => {
  it('counts a small known day for a manager and refuses a cashier', async () => {
    const cashier = await login('cashier', '3333');
    const sup = await login('supervisor', '2222');
    const [a, b] = products();
    const price = (id: number) => (t.app.db.raw.prepare('SELECT price FROM products WHERE id = ?').get(id) as { price: string }).price;
    const s1 = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: a, quantity: '2' }], payments: [{ method: 'cash', amount: '500.00' }] });
    const s2 = t.app.sell(t.supervisor, t.terminalId, { documentType: '03', lines: [{ productId: b, quantity: '1' }], payments: [{ method: 'yape', amount: price(b), reference: '123456' }] });
    const date = limaDate(t.clock.now());

    const r = await call('reports.daily', { date }, sup);
    expect(r.issued).toBe(2);
    expect(r.pending).toBe(2);
    expect(r.accepted).toBe(0);
    expect(r.salesCount).toBe(2);
    expect(r.totalBilled).toBe(s1.total.plus(s2.total).toFixed(2));
    expect(r.byPaymentMethod.cash?.total).toBe(s1.total.toFixed(2));
    expect(r.byPaymentMethod.yape?.total).toBe(s2.total.toFixed(2));
    expect(r.byCashier.map((c) => c.count).sort()).toEqual([1, 1]);
    expect(r.byDocumentType['03']?.issued).toBe(2);
    expect(r.notAcceptedCount).toBe(2);

    expect((await refusal('reports.daily', { date }, cashier)).code).toBe('forbidden');
    expect((await refusal('reports.dailyPdf', { date }, cashier)).code).toBe('forbidden');
    expect((await refusal('reports.daily', { date: '2026-02-31' }, sup)).code).toBe('invalid_input');

    const pdf = await call('reports.dailyPdf', { date }, sup);
    expect(pdf.fileName).toBe(`reporte-diario-${date}.pdf`);
    expect(pdfText(pdf.pdfBase64)).toMatch(/Reporte diario/i);
  });
});

