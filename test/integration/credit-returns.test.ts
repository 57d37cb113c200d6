// Returns on facturas sold on credit (issue 15 item 9): the credit note lowers first what the customer still owes and
// only the rest goes back as money; the lowered instalments (from the last one backwards) are restated to SUNAT by a
// credit note of code 13 in the same transaction. Receivables, the X and the daily report follow; both notes pass
// SUNAT's own checks and the simulator; a refused return writes nothing; the void of a sale on credit; the CLI.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { refused } from '../helpers/api';
import type { CheckoutInput, ReturnInput } from '../../src-shared/contract';
import { collect, listReceivables } from '../../src-main/pos/receivables';
import { closeSession, xReport } from '../../src-main/pos/cash';
import { dailyReport } from '../../src-main/reports/daily';
import { voidSale } from '../../src-main/sunat/batches';
import { startSimulator } from '../../src-main/sunat/simulator';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor, tcpProbe } from '../../src-main/jobs/network';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src-main/db/migrations';
import { openDatabase } from '../../src-main/db/connection';
import Database from 'better-sqlite3';
import { checkStoredDocuments } from '../helpers/tools';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function app(): TestApp {
  const t = demoApp(); // 2026-11-27 in Lima, the cashier's drawer open
  cleanups.push(() => t.close());
  return t;
}

const CUSTOMER = { docType: '6' as const, docNumber: '20123456786', name: 'CLIENTE SAC' };
const all = (t: TestApp, sql: string, ...p: unknown[]) => t.app.db.raw.prepare(sql).all(...p);
const one = (t: TestApp, sql: string, ...p: unknown[]) => t.app.db.raw.prepare(sql).get(...p);
const TABLES = ['notes', 'note_lines', 'note_instalments', 'documents', 'jobs', 'stock_moves', 'cash_moves', 'audit_log'];
const counts = (t: TestApp) => TABLES.map((n) => (one(t, `SELECT count(*) n FROM ${n}`) as { n: number }).n);

/** Ten units at S/ 10.00 (S/ 100.00, IGV included) on credit: two instalments of S/ 50.00 (27/12 and 26/01). */
function creditSale(t: TestApp, over: Partial<CheckoutInput> = {}) {
  const p = one(t, `SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`) as { id: number };
  t.app.db.raw.prepare(`UPDATE products SET price = '10.00' WHERE id = ?`).run(p.id);
  return t.app.sell(t.cashier, t.terminalId, {
    documentType: '01', customer: CUSTOMER, lines: [{ productId: p.id, quantity: '10' }], payments: [],
    credit: { amount: '100.00', instalments: [{ amount: '50.00', dueDate: '2026-12-27' }, { amount: '50.00', dueDate: '2027-01-26' }] },
    ...over,
  });
}
const giveBack = (saleId: number, quantity: string, over: Partial<ReturnInput> = {}): ReturnInput =>
  ({ saleId, lines: [{ lineNo: 1, quantity }], reasonCode: '07', refund: 'cash', ...over });
const receivable = (t: TestApp, number: string) => listReceivables(t.app.db, '2026-11-27').flatMap((c) => c.documents).find((d) => d.number === number);
const noteRow = (t: TestApp, id: number) => one(t, 'SELECT number, reason_code, total_cents, debt_cents, refund_cents, refund_method FROM notes WHERE id = ?', id);
const restated = (t: TestApp, noteId: number) =>
  all(t, 'SELECT instalment_no, amount_cents, due_date FROM note_instalments WHERE note_id = ? ORDER BY instalment_no', noteId);

describe('a return on a factura sold on credit', () => {
  it('without collections: all of it comes off the debt (no drawer needed), the last instalment is lowered and restated by a code-13 note; both pass check-cpe', () => {
    const t = app();
    const s = creditSale(t);
    // Nothing goes back as money: a return that only lowers the debt needs no open drawer.
    closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, '100.00');
    const n = t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '3'));
    expect([n.number, n.total.toFixed(2), n.debt.toFixed(2), n.refund.toFixed(2)]).toEqual(['FC01-00000001', '30.00', '30.00', '0.00']);
    expect(noteRow(t, n.noteId)).toEqual({ number: 'FC01-00000001', reason_code: '07', total_cents: 3000, debt_cents: 3000, refund_cents: 0, refund_method: 'cash' });
    // The code-13 note: the next number of the same series, total zero, the instalments lowered from the last one.
    expect(n.adjustment?.number).toBe('FC01-00000002');
    expect(noteRow(t, n.adjustment!.noteId)).toEqual({ number: 'FC01-00000002', reason_code: '13', total_cents: 0, debt_cents: 0, refund_cents: 0, refund_method: null });
    expect(restated(t, n.adjustment!.noteId)).toEqual([
      { instalment_no: 1, amount_cents: 5000, due_date: '2026-12-27' }, { instalment_no: 2, amount_cents: 2000, due_date: '2027-01-26' },
    ]);
    expect(all(t, `SELECT action FROM audit_log WHERE entity = 'note' ORDER BY id`)).toEqual([{ action: 'sale.return' }, { action: 'sale.paymentTerms' }]);
    expect(one(t, `SELECT count(*) n FROM jobs WHERE kind = 'sunat.send' AND idempotency_key LIKE '%-07-FC01-%'`)).toEqual({ n: 2 });

    const r = receivable(t, s.number)!;
    expect([r.credit, r.collected, r.returned, r.pending]).toEqual(['100.00', '0.00', '30.00', '70.00']);
    expect(r.instalments.map((q) => [q.amount, q.pending])).toEqual([['50.00', '50.00'], ['20.00', '20.00']]);
    const day = dailyReport(t.app.db, '2026-11-27', t.clock.now());
    expect(day.creditNotes).toMatchObject({ count: 1, total: '30.00' });
    expect(day.byDocumentType['07']).toMatchObject({ sales: 2, total: '30.00' });
    expect(day.netBilled).toBe('70.00');

    const check = checkStoredDocuments(t.app.db, t.dir, [n.documentId, n.adjustment!.documentId]);
    expect(check.output).toMatch(/2 passed, 0 failed/);
    expect(check.xml[1]).toContain('<cbc:ResponseCode>13</cbc:ResponseCode>');
    expect(check.xml[1]).toContain('<cbc:PaymentMeansID>Credito</cbc:PaymentMeansID><cbc:Amount currencyID="PEN">70.00</cbc:Amount>');
    expect(check.xml[1]).toContain('<cbc:PaymentMeansID>Cuota002</cbc:PaymentMeansID><cbc:Amount currencyID="PEN">20.00</cbc:Amount><cbc:PaymentDueDate>2027-01-26</cbc:PaymentDueDate>');
    expect(check.xml[1]).toContain('<cbc:PayableAmount currencyID="PEN">0.00</cbc:PayableAmount>');
  }, 180_000);

  it('with collections: the debt first, the rest back in cash from the drawer (on the X); a covered sale leaves the list', () => {
    const t = app();
    const s = creditSale(t);
    collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: s.saleId, amount: '80.00', method: 'cash' });
    const before = xReport(t.app.db, t.terminalId, t.cashier.id);
    const n = t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '3'));
    expect([n.debt.toFixed(2), n.refund.toFixed(2), n.refundMethod]).toEqual(['20.00', '10.00', 'cash']);
    // The factura is now worth 70.00: its terms restated as 50.00 + 20.00, both paid by what was kept (80 − 10).
    expect(restated(t, n.adjustment!.noteId)).toEqual([
      { instalment_no: 1, amount_cents: 5000, due_date: '2026-12-27' }, { instalment_no: 2, amount_cents: 2000, due_date: '2027-01-26' },
    ]);
    expect(receivable(t, s.number)).toBeUndefined();
    const x = xReport(t.app.db, t.terminalId, t.cashier.id);
    expect([x.refundsCount, x.refundsTotal, x.refundsCash]).toEqual([1, '10.00', '10.00']);
    expect(Number(before.expectedCash) - Number(x.expectedCash)).toBeCloseTo(10, 2);
    refused(() => collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: s.saleId, amount: '0.01', method: 'card' }), /no tiene nada pendiente/);
  });

  it('a whole return (06): without collections all of it comes off the debt and no code-13 note is needed; with collections by Yape they go back by Yape', () => {
    const t = app();
    const a = creditSale(t);
    const na = t.app.returnSale(t.cashier, t.terminalId, giveBack(a.saleId, '10', { reasonCode: '06' }));
    expect([na.debt.toFixed(2), na.refund.toFixed(2), na.adjustment]).toEqual(['100.00', '0.00', null]);
    expect(receivable(t, a.number)).toBeUndefined();

    const b = creditSale(t);
    collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: b.saleId, amount: '40.00', method: 'yape', reference: '123456' });
    const nb = t.app.returnSale(t.cashier, t.terminalId, giveBack(b.saleId, '10', { reasonCode: '06', refund: 'original' }));
    expect([nb.debt.toFixed(2), nb.refund.toFixed(2), nb.refundMethod, nb.adjustment]).toEqual(['60.00', '40.00', 'yape', null]);
    expect(receivable(t, b.number)).toBeUndefined();
    expect(xReport(t.app.db, t.terminalId, t.cashier.id)).toMatchObject({ refundsCount: 1, refundsTotal: '40.00', refundsCash: '0.00' });
    expect(dailyReport(t.app.db, '2026-11-27', t.clock.now()).creditNotes).toMatchObject({ count: 2, total: '200.00' });
  });

  it('two partial returns lower the instalments from the last one backwards, into the first', () => {
    const t = app();
    const s = creditSale(t);
    t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '4'));
    const n = t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '3'));
    expect(n.adjustment?.number).toBe('FC01-00000004');
    expect(restated(t, n.adjustment!.noteId)).toEqual([{ instalment_no: 1, amount_cents: 3000, due_date: '2026-12-27' }]);
    expect(receivable(t, s.number)!.instalments.map((q) => [q.number, q.amount, q.dueDate])).toEqual([[1, '30.00', '2026-12-27']]);
  });

  it('a refusal writes nothing: more than was sold, or money to hand back with no open drawer', () => {
    const t = app();
    const s = creditSale(t);
    collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: s.saleId, amount: '90.00', method: 'card' });
    const before = counts(t);
    refused(() => t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '11')), /se vendió 10 y queda por devolver 10; no se puede devolver 11/);
    closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, '100.00');
    const closed = counts(t);
    // 30.00 back: 10.00 off the debt and 20.00 in cash, with no drawer to take it from.
    refused(() => t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '3')), /caja/i);
    expect(counts(t)).toEqual(closed);
    expect(closed.slice(0, 6)).toEqual(before.slice(0, 6));
  });
});

describe('voiding a factura sold on credit', () => {
  it('without collections it is voided and leaves the receivables; with collections the refusal says what to do', () => {
    const t = app();
    const a = creditSale(t);
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted' WHERE id = ?`).run(a.documentId);
    voidSale(t.app, t.supervisor.id, a.number, 'ERROR EN EL PEDIDO');
    expect(one(t, 'SELECT status FROM sales WHERE id = ?', a.saleId)).toEqual({ status: 'cancelled' });
    expect(receivable(t, a.number)).toBeUndefined();

    const b = creditSale(t);
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted' WHERE id = ?`).run(b.documentId);
    collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: b.saleId, amount: '10.00', method: 'card' });
    refused(() => voidSale(t.app, t.supervisor.id, b.number, 'ERROR EN EL PEDIDO'), /tiene cobros registrados por S\/ 10\.00: no se puede dar de baja\. Emita una nota de crédito/);
    expect(one(t, 'SELECT status FROM sales WHERE id = ?', b.saleId)).toEqual({ status: 'completed' });
  });
});

describe('the runner and the simulator', () => {
  it('send the factura, then the return note and the code-13 note; the simulator accepts all three', async () => {
    const t = app();
    const s = creditSale(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '3'));
    const sim = await startSimulator({ port: 0 });
    const ref: { runner?: ReturnType<typeof createRunner> } = {};
    const monitor = new NetworkMonitor({ probe: tcpProbe(sim.url, 500), onChange: (o) => ref.runner?.setOnline(o), minDelayMs: 50, maxDelayMs: 300, onlineIntervalMs: 1000 });
    const runner = (ref.runner = createRunner({ app: t.app, sunat: { url: sim.url, connectTimeoutMs: 1000, responseTimeoutMs: 3000 }, monitor, options: { pollMs: 50, heartbeatMs: 0 } }));
    cleanups.push(() => sim.close(), () => runner.stop(), () => monitor.stop());
    monitor.start();
    runner.start();
    const ids = [s.documentId, n.documentId, n.adjustment!.documentId];
    const statuses = () => ids.map((id) => (one(t, 'SELECT status, last_error FROM documents WHERE id = ?', id) as { status: string; last_error: string | null }));
    await expect.poll(() => statuses().map((d) => d.status), { timeout: 20_000 }).toEqual(['accepted', 'accepted', 'accepted']);
  });
});

describe('izisales receivables', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['bin/izisales.mjs', ...args], { encoding: 'utf8' });

  it('lists what is pending as JSON and collects by number; bad input exits 2 with one line, a refused rule 1; nothing is written', () => {
    const t = app();
    const s = creditSale(t);
    t.app.returnSale(t.cashier, t.terminalId, giveBack(s.saleId, '3'));
    const list = run('receivables', 'list', '--json', '--data', t.dir);
    expect(list.status).toBe(0);
    const customers = JSON.parse(list.stdout) as { docNumber: string; pending: string; documents: { number: string; returned: string }[] }[];
    expect(customers).toMatchObject([{ docNumber: CUSTOMER.docNumber, pending: '70.00', documents: [{ number: s.number, returned: '30.00' }] }]);

    const before = (one(t, 'SELECT count(*) n FROM collections') as { n: number }).n;
    const badAmount = run('receivables', 'collect', s.number, '--amount', '1,500', '--method', 'cash', '--user', t.cashier.username, '--data', t.dir);
    expect([badAmount.status, badAmount.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(badAmount.stderr).toMatch(/--amount 1,500/);
    const tooMuch = run('receivables', 'collect', s.number, '--amount', '70,01', '--method', 'card', '--user', t.cashier.username, '--data', t.dir);
    expect(tooMuch.status).toBe(1);
    expect(tooMuch.stderr).toMatch(/supera lo pendiente/);
    expect((one(t, 'SELECT count(*) n FROM collections') as { n: number }).n).toBe(before);

    const ok = run('receivables', 'collect', s.number.replace(/-0+/, '-'), '--amount', '20,50', '--method', 'cash', '--user', t.cashier.username, '--data', t.dir);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ number: s.number, amount: '20.50', method: 'cash', pending: '49.50' });
    expect(receivable(t, s.number)!.pending).toBe('49.50');
  });
});

describe('migration 015', () => {
  it('rebuilds notes keeping every note and what points at it', async () => {
    // Today's code writes a sale and a debit note; a database at version 14 gets the same rows (the columns it has),
    // as a till that sold before 015 would hold them; then it is opened by today's code, which migrates it.
    const t = app();
    const p = one(t, `SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`) as { id: number };
    const b = t.app.sell(t.cashier, t.terminalId, { documentType: '03', customer: null, lines: [{ productId: p.id, quantity: '2' }], payments: [{ method: 'cash', amount: '500.00' }] });
    const n = t.app.debitNote(t.supervisor, t.terminalId, { saleId: b.saleId, reasonCode: '01', amount: '5.00', taxAffectation: '10', payment: { method: 'card' } });
    const file = path.join(t.dir, 'v14.db');
    const later = MIGRATIONS.splice(MIGRATIONS.findIndex((m) => m.version > 14));
    try {
      openDatabase(file).close();
    } finally {
      MIGRATIONS.push(...later);
    }
    const old = new Database(file);
    old.pragma('foreign_keys = OFF');
    old.prepare('ATTACH DATABASE ? AS today').run(t.app.db.file);
    const tables = old.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'products_fts%'`).all() as { name: string }[];
    for (const { name } of tables) {
      const cols = (old.prepare(`SELECT name FROM pragma_table_info(?, 'main')`).all(name) as { name: string }[]).map((c) => c.name)
        .filter((c) => (old.prepare(`SELECT count(*) n FROM pragma_table_info(?, 'today') WHERE name = ?`).get(name, c) as { n: number }).n > 0);
      old.exec(`DELETE FROM main."${name}"; INSERT INTO main."${name}" (${cols.map((c) => `"${c}"`).join(',')}) SELECT ${cols.map((c) => `"${c}"`).join(',')} FROM today."${name}"`);
    }
    expect(old.pragma('user_version', { simple: true })).toBe(14);
    old.close();

    const db = openDatabase(file);
    cleanups.push(() => db.close());
    expect(db.raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.raw.prepare('SELECT id, total_cents, refund_cents, debt_cents FROM notes').all()).toEqual([{ id: n.noteId, total_cents: 500, refund_cents: 0, debt_cents: 0 }]);
    expect(db.raw.prepare('SELECT count(*) n FROM note_lines WHERE note_id = ?').get(n.noteId)).toEqual({ n: 1 });
    expect(db.raw.pragma('foreign_key_check')).toEqual([]);
    expect(db.raw.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name LIKE 'notes%' ORDER BY name`).all()).toEqual([
      { name: 'notes' }, { name: 'notes_issue_date' }, { name: 'notes_sale' }, { name: 'notes_session' }, { name: 'notes_uid' },
    ]);
  });
});
