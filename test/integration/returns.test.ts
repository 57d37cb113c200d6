// Returns at the counter → credit notes (issue 15): what is written, what is refused (and then nothing is written),
// the note signed and checked by SUNAT's own rules (check-cpe), and sent through the runner to the simulator only
// after the document it corrects was accepted.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, type TestApp } from '../helpers/app';
import { refused } from '../helpers/api';
import { computePricedSale } from '../../src-shared/sale-lines';
import { taxRatesOn } from '../../src-main/db/settings';
import { limaDate } from '../../src-shared/time';
import { startSimulator } from '../../src-main/sunat/simulator';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor, tcpProbe } from '../../src-main/jobs/network';
import type { Runner } from '../../src-main/jobs/runner';
import { checkStoredDocuments, requireCheckCpe } from '../helpers/tools';
import { unzipEntries } from '../../src-main/sunat/package';
import { xReport } from '../../src-main/pos/cash';
import { dailyReport } from '../../src-main/reports/daily';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function app(): TestApp {
  const t = demoApp();
  cleanups.push(() => t.close());
  return t;
}

const products = (t: TestApp) =>
  t.app.db.raw.prepare(`SELECT id, price, stock FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 3`).all() as { id: number; price: string; stock: string }[];
const stockOf = (t: TestApp, id: number) => (t.app.db.raw.prepare('SELECT stock FROM products WHERE id = ?').get(id) as { stock: string }).stock;
const rows = (t: TestApp, table: string) => (t.app.db.raw.prepare(`SELECT count(*) n FROM ${table}`).get() as { n: number }).n;

/** A sale of three lines (2 units with a 0.50 discount, 1 unit, a plastic bag), paid in cash or exactly by card. */
function sale(t: TestApp, opts: { documentType?: '01' | '03'; method?: 'cash' | 'card' } = {}) {
  const [a, b] = products(t);
  const bag = t.app.db.raw.prepare('SELECT id, price FROM products WHERE is_bag = 1 AND active = 1 LIMIT 1').get() as { id: number; price: string };
  const discount = { kind: 'amount' as const, value: '0.50' };
  const total = computePricedSale([
    { quantity: '2', unitPrice: a.price, taxAffectation: '10', isBag: false, discount },
    { quantity: '1', unitPrice: b.price, taxAffectation: '10', isBag: false, discount: null },
    { quantity: '1', unitPrice: bag.price, taxAffectation: '10', isBag: true, discount: null },
  ], taxRatesOn(t.app.db, limaDate(t.clock.now()))).totals.payable.toFixed(2);
  return t.app.sell(t.cashier, t.terminalId, {
    documentType: opts.documentType ?? '03',
    customer: opts.documentType === '01' ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' } : null,
    lines: [{ productId: a.id, quantity: '2', discount }, { productId: b.id, quantity: '1' }, { productId: bag.id, quantity: '1' }],
    payments: [opts.method === 'card' ? { method: 'card', amount: total } : { method: 'cash', amount: '500.00' }],
  });
}

describe('a return at the counter', () => {
  it('part of a boleta paid in cash: a BC01 credit note of what came back, stock returned, signed, refunded in cash', () => {
    const t = app();
    const s = sale(t);
    const [a] = products(t);
    const before = stockOf(t, a.id);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    expect(n.number).toBe('BC01-00000001');
    expect(n.reference).toBe(s.number);
    expect(n.refundMethod).toBe('cash');
    expect(Number(stockOf(t, a.id))).toBe(Number(before) + 1);
    const note = t.app.db.raw.prepare('SELECT * FROM notes WHERE id = ?').get(n.noteId) as Record<string, unknown>;
    // One of two units at the shelf price, with half of the line's 0.50 discount.
    const unit = Number(a.price);
    expect(note.total_cents).toBe(Math.round((unit - 0.25) * 100));
    expect(note).toMatchObject({ document_type: '07', reason_code: '07', reason: 'Devolución por ítem', refund_method: 'cash', refund_cents: note.total_cents });
    const doc = t.app.db.raw.prepare('SELECT * FROM documents WHERE id = ?').get(n.documentId) as Record<string, unknown>;
    expect(doc).toMatchObject({ document_type: '07', series: 'BC01', correlative: 1, note_id: n.noteId, sale_id: null, status: 'pending' });
    expect(doc.xml).toMatch(/<cbc:ResponseCode>07<\/cbc:ResponseCode>/);
    expect(doc.xml).toContain(`<cbc:ID>${s.number}</cbc:ID>`);
    expect(doc.digest_value).toBeTruthy();
    const job = t.app.db.raw.prepare(`SELECT kind, state FROM jobs WHERE idempotency_key = ?`).get(doc.file_name) as { kind: string; state: string };
    expect(job).toEqual({ kind: 'sunat.send', state: 'queued' });
    expect(t.app.db.raw.prepare(`SELECT action FROM audit_log WHERE entity = 'note' AND entity_id = ?`).get(String(n.noteId))).toEqual({ action: 'sale.return' });

    // The drawer and the reports: the refund on its own line, out of the expected cash and the day's net.
    const x = xReport(t.app.db, t.terminalId, t.cashier.id);
    const refund = (note.total_cents as number) / 100;
    expect(x).toMatchObject({ refundsCount: 1, refundsTotal: refund.toFixed(2), refundsCash: refund.toFixed(2) });
    const saleTotal = Number(s.total.toFixed(2));
    expect(Number(x.expectedCash)).toBeCloseTo(100 + saleTotal - refund, 2);
    const day = dailyReport(t.app.db, limaDate(t.clock.now()));
    expect(day.creditNotes).toEqual({ count: 1, total: refund.toFixed(2) });
    expect(Number(day.netBilled)).toBeCloseTo(saleTotal - refund, 2);
    expect(day.byDocumentType['07']).toMatchObject({ issued: 1, sales: 1, total: refund.toFixed(2) });
  });

  it('never more than was sold minus what was already returned; a refused return writes nothing', () => {
    const t = app();
    const s = sale(t);
    t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const counts = ['notes', 'note_lines', 'documents', 'jobs', 'stock_moves', 'audit_log', 'series'].map((x) => rows(t, x));
    const again = (q: string) => () => t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: q }], reasonCode: '07', refund: 'cash' });
    refused(again('2'), /se vendió 2 y queda por devolver 1; no se puede devolver 2/);
    refused(() => t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 9, quantity: '1' }], reasonCode: '07', refund: 'cash' }), /no tiene línea 9/);
    refused(() => t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '1' }, { lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'cash' }), /figura dos veces/);
    refused(() => t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '06', refund: 'cash' }), /devuelve toda la venta/);
    refused(() => t.app.returnSale(t.cashier, t.terminalId, { saleId: 999999, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' }), /no existe/);
    expect(['notes', 'note_lines', 'documents', 'jobs', 'stock_moves', 'audit_log', 'series'].map((x) => rows(t, x))).toEqual(counts);
    // The last unit, then nothing is left of the line.
    const last = again('1')();
    expect(last.number).toBe('BC01-00000002');
    refused(again('1'), /ya se devolvió todo/);
  });

  it('the rest of the sale with 06, the discount credited exactly once in all; a factura gets an FC01 note', () => {
    const t = app();
    const s = sale(t);
    const first = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const rest = t.app.returnSale(t.cashier, t.terminalId, {
      saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }, { lineNo: 2, quantity: '1' }, { lineNo: 3, quantity: '1' }], reasonCode: '06', refund: 'original',
    });
    const saleTotal = (t.app.db.raw.prepare('SELECT total_cents, discount_cents FROM sales WHERE id = ?').get(s.saleId) as { total_cents: number; discount_cents: number });
    const credited = t.app.db.raw.prepare('SELECT sum(total_cents) t, sum(discount_cents) d FROM notes WHERE sale_id = ?').get(s.saleId) as { t: number; d: number };
    expect(credited.t).toBe(first.total.toCents() + rest.total.toCents());
    expect(Math.abs(credited.t - saleTotal.total_cents)).toBeLessThanOrEqual(1);
    const lineDiscounts = t.app.db.raw.prepare(`SELECT sum(nl.discount_cents) d FROM note_lines nl JOIN notes n ON n.id = nl.note_id WHERE n.sale_id = ?`).get(s.saleId) as { d: number };
    expect(lineDiscounts.d).toBe(50);
    expect(t.app.db.raw.prepare(`SELECT reason FROM notes WHERE id = ?`).get(rest.noteId)).toEqual({ reason: 'Devolución total' });

    const f = sale(t, { documentType: '01', method: 'card' });
    const nf = t.app.returnSale(t.supervisor, t.terminalId, { saleId: f.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'original' });
    expect(nf.number).toBe('FC01-00000001');
    expect(nf.refundMethod).toBe('card');
  });

  it("a cashier cannot return another cashier's sale; cash back needs an open drawer", () => {
    const t = app();
    const s = sale(t);
    const other = t.app.db.raw.prepare(`INSERT INTO users (username, name, role, pin_hash, created_at) VALUES ('otra', 'OTRA CAJERA', 'cashier', 'x', ?)`).run(new Date().toISOString());
    const otherUser = { id: Number(other.lastInsertRowid), role: 'cashier' as const };
    refused(() => t.app.returnSale(otherUser, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' }), /es de otro cajero/);
    t.app.db.raw.prepare(`UPDATE cash_sessions SET closed_at = ?`).run(new Date().toISOString());
    refused(() => t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' }), /No hay caja abierta/);
  });

  it('an exchange: the new sale takes a cash refund once; a refund by card cannot pay one', () => {
    const t = app();
    const [, b] = products(t);
    const s = sale(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const next = (extra: object) => t.app.sell(t.cashier, t.terminalId, {
      documentType: '03', lines: [{ productId: b.id, quantity: '2' }],
      payments: [{ method: 'cash', amount: n.total.toFixed(2), reference: `Cambio ${n.number}` }, { method: 'cash', amount: '50.00' }], ...extra,
    });
    const x = next({ exchangeNoteId: n.noteId });
    expect(t.app.db.raw.prepare('SELECT exchange_note_id FROM sales WHERE id = ?').get(x.saleId)).toEqual({ exchange_note_id: n.noteId });
    const before = rows(t, 'sales');
    refused(() => next({ exchangeNoteId: n.noteId }), new RegExp(`La nota ${n.number} ya pagó la venta ${x.number}`));
    const card = sale(t, { method: 'card' });
    const nc = t.app.returnSale(t.cashier, t.terminalId, { saleId: card.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'original' });
    refused(() => next({ exchangeNoteId: nc.noteId }), /no se devolvió en efectivo en esta caja/);
    refused(() => next({ exchangeNoteId: 999_999 }), /no corresponde a una nota de crédito registrada/);
    expect(rows(t, 'sales')).toBe(before + 1); // the card sale only
  });

  it('the notes pass SUNAT-independent checks: UBL schema, SUNAT rules for credit notes, the signature', () => {
    requireCheckCpe();
    const t = app();
    const b = sale(t);
    const f = sale(t, { documentType: '01' });
    const nb = t.app.returnSale(t.cashier, t.terminalId, { saleId: b.saleId, lines: [{ lineNo: 1, quantity: '1' }, { lineNo: 3, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const nf = t.app.returnSale(t.cashier, t.terminalId, { saleId: f.saleId, lines: [{ lineNo: 1, quantity: '2' }, { lineNo: 2, quantity: '1' }, { lineNo: 3, quantity: '1' }], reasonCode: '06', refund: 'cash' });
    const r = checkStoredDocuments(t.app.db, t.dir, [nb.documentId, nf.documentId]);
    expect(r.output).toMatch(/2 passed, 0 failed/);
    expect(r.status).toBe(0);
  }, 120_000);
});

describe('izisales sales return', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['bin/izisales.mjs', ...args], { encoding: 'utf8' });

  it('returns lines of a sale by its number, the quantity typed with a comma; prints the signed credit note', () => {
    const t = app();
    const s = sale(t);
    const r = run('sales', 'return', s.number.replace(/-0+/, '-'), '--line', '1:1,0', '--line', '3:1', '--reason', '07', '--refund', 'cash', '--data', t.dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { number: string; reference: string; total: string; refundMethod: string; digestValue: string; qr: string };
    expect(out).toMatchObject({ number: 'BC01-00000001', reference: s.number, refundMethod: 'cash' });
    const note = t.app.db.raw.prepare(`SELECT n.total_cents, d.digest_value, d.qr FROM notes n JOIN documents d ON d.note_id = n.id`).get() as { total_cents: number; digest_value: string; qr: string };
    expect(out.total).toBe((note.total_cents / 100).toFixed(2));
    expect(out.digestValue).toBe(note.digest_value);
    expect(out.qr).toBe(note.qr);
    expect(out.qr).toContain('|07|BC01|00000001|');
  });

  it('refuses bad input with one line and records nothing', () => {
    const t = app();
    const s = sale(t);
    const before = rows(t, 'notes');
    const over = run('sales', 'return', s.number, '--line', '1:5', '--reason', '07', '--data', t.dir);
    expect(over.status).toBe(1);
    expect(over.stderr).toMatch(/se vendió 2 y queda por devolver 2; no se puede devolver 5/);
    const noReason = run('sales', 'return', s.number, '--line', '1:1', '--data', t.dir);
    expect(noReason.status).toBe(2);
    expect(noReason.stderr).toMatch(/--reason es obligatorio/);
    const unknown = run('sales', 'return', 'B001-999', '--line', '1:1', '--reason', '07', '--data', t.dir);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/No existe la venta B001-999/);
    expect(rows(t, 'notes')).toBe(before);
  });
});

describe('a credit note through the runner and the simulator', () => {
  async function running(t: TestApp): Promise<{ runner: Runner; sim: Awaited<ReturnType<typeof startSimulator>> }> {
    const sim = await startSimulator({ port: 0 });
    const ref: { runner?: Runner } = {};
    const monitor = new NetworkMonitor({ probe: tcpProbe(sim.url, 500), onChange: (o) => ref.runner?.setOnline(o), minDelayMs: 50, maxDelayMs: 300, onlineIntervalMs: 1000 });
    const runner = (ref.runner = createRunner({ app: t.app, sunat: { url: sim.url, connectTimeoutMs: 1000, responseTimeoutMs: 3000 }, monitor, options: { pollMs: 50, heartbeatMs: 0 } }));
    cleanups.push(() => sim.close(), () => runner.stop(), () => monitor.stop());
    monitor.start();
    return { runner, sim };
  }

  it('is sent after the boleta it corrects is accepted, and accepted', async () => {
    const t = app();
    const s = sale(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const { runner, sim } = await running(t);
    runner.start();
    const status = (id: number) => (t.app.db.raw.prepare('SELECT status FROM documents WHERE id = ?').get(id) as { status: string }).status;
    // Claimed together, the note finds the boleta not yet accepted and waits; the boleta's acceptance wakes it at once.
    const end = Date.now() + 10_000;
    while (status(n.documentId) === 'pending' && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(status(s.documentId)).toBe('accepted');
    expect(status(n.documentId)).toBe('accepted');
    expect(sim.ledger().map((e) => e.id)).toEqual(expect.arrayContaining([expect.stringMatching(/-07-BC01-1$/)]));

    // What support exports by the number on the paper: the signed XML as stored, its zip, SUNAT's CDR, the ticket.
    const out = path.join(t.dir, 'export');
    const r = spawnSync(process.execPath, ['bin/izisales.mjs', 'document', 'export', 'BC01-1', '--out', out, '--data', t.dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = t.app.db.raw.prepare('SELECT file_name, xml, cdr_zip FROM documents WHERE id = ?').get(n.documentId) as { file_name: string; xml: string; cdr_zip: Buffer };
    expect(fs.readdirSync(out).sort()).toEqual([`${doc.file_name}.pdf`, `${doc.file_name}.xml`, `${doc.file_name}.zip`, `R-${doc.file_name}.zip`].sort());
    expect(fs.readFileSync(path.join(out, `${doc.file_name}.xml`), 'utf8')).toBe(doc.xml);
    expect(Buffer.compare(fs.readFileSync(path.join(out, `R-${doc.file_name}.zip`)), doc.cdr_zip)).toBe(0);
    expect(unzipEntries(fs.readFileSync(path.join(out, `${doc.file_name}.zip`)))[`${doc.file_name}.xml`]).toEqual(new Uint8Array(Buffer.from(doc.xml)));
    expect(fs.readFileSync(path.join(out, `${doc.file_name}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(JSON.parse(r.stdout)).toMatchObject({ number: 'BC01-00000001' });
  });

  it('waits while the document it corrects is not accepted yet, saying so', async () => {
    const t = app();
    const s = sale(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    // The boleta's own job is held back (cancelled here only to keep it from going first; a sale's job normally can't be).
    const saleDoc = t.app.db.raw.prepare('SELECT file_name FROM documents WHERE id = ?').get(s.documentId) as { file_name: string };
    t.app.db.raw.prepare(`UPDATE jobs SET run_at = '2999-01-01T00:00:00.000Z' WHERE idempotency_key = ?`).run(saleDoc.file_name);
    const { runner } = await running(t);
    runner.start();
    const noteDoc = () => t.app.db.raw.prepare('SELECT status, last_error FROM documents WHERE id = ?').get(n.documentId) as { status: string; last_error: string | null };
    const end = Date.now() + 20_000;
    while (!noteDoc().last_error && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(noteDoc()).toEqual({ status: 'pending', last_error: `Espera que SUNAT acepte ${s.number}, el comprobante que modifica.` });
  });
});
