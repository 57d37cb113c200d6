// Debit notes at the counter (issue 15 item 2), through the contract as the sale's detail calls it, on a real SQLite
// file: a supervisor charges interest on a cashier's boleta (BD01, paid in cash into the drawer: the X, the Z's
// expected cash and the day's net count it), refusals record nothing (a cashier, a voided or rejected document, no
// drawer, bad amounts), a factura gets an FD01 inafecto note, both pass SUNAT's own rules (check-cpe), the list and
// `izisales sales list --json` show them with documentType 08 and the reference, and the runner sends a note to the
// simulator only once the boleta it modifies is accepted.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { startSimulator } from '../../src-main/sunat/simulator';
import { voidSale } from '../../src-main/sunat/batches';
import { closeSession, xReport } from '../../src-main/pos/cash';
import { dailyReport } from '../../src-main/reports/daily';
import { printableDocument } from '../../src-main/documents/printable';
import { limaDate } from '../../src-shared/time';
import { apiClient } from '../helpers/api';
import { demoApp, type TestApp } from '../helpers/app';
import { checkStoredDocuments, requireCheckCpe } from '../helpers/tools';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let api: Api;
const { login, call, refusal } = apiClient(() => api);

function store(): TestApp {
  const t = demoApp();
  api = new Api(t.app);
  cleanups.push(() => t.close());
  return t;
}

const TABLES = ['notes', 'note_lines', 'documents', 'jobs', 'audit_log', 'series'];
const counts = (t: TestApp) => TABLES.map((x) => (t.app.db.raw.prepare(`SELECT count(*) n FROM ${x}`).get() as { n: number }).n);
const row = (t: TestApp, sql: string, ...args: unknown[]) => t.app.db.raw.prepare(sql).get(...args) as Record<string, unknown>;

/** A cashier's sale of one product paid in cash (a boleta), or a factura to a business paid by card. */
function sale(t: TestApp, documentType: '01' | '03' = '03') {
  const p = t.app.db.raw.prepare(`SELECT id, price FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`).get() as { id: number; price: string };
  return t.app.sell(t.cashier, t.terminalId, {
    documentType,
    customer: documentType === '01' ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC', address: 'AV. LOS PINOS 1' } : null,
    lines: [{ productId: p.id, quantity: '1' }],
    payments: [documentType === '01' ? { method: 'card', amount: p.price, reference: 'OP-1' } : { method: 'cash', amount: '200.00' }],
  });
}

const interest = (saleId: number, extra: Record<string, unknown> = {}) => ({
  saleId, reasonCode: '01', amount: '15.50', taxAffectation: '10', payment: { method: 'cash', tendered: '20.00' }, ...extra,
});

describe('a debit note from the sale detail', () => {
  it('a supervisor charges interest on a boleta: BD01, signed, queued, audited, paid in cash into the drawer', async () => {
    const t = store();
    const s = sale(t);
    const sup = await login('supervisor', '2222');
    const xBefore = xReport(t.app.db, t.terminalId, t.supervisor.id);
    const r = await call('sales.debitNote', interest(s.saleId, { description: 'Intereses por 10 días de atraso' }), sup);
    expect(r).toMatchObject({ number: 'BD01-00000001', reference: s.number, total: '15.50', chargeMethod: 'cash', change: '4.50', signed: true });
    expect(r.qr).toContain('|08|BD01|00000001|');

    // 15.50 with IGV: 13.14 of value and 2.36 of IGV, on one service line that points at no sale line.
    const note = row(t, 'SELECT * FROM notes WHERE id = ?', r.noteId);
    expect(note).toMatchObject({
      sale_id: s.saleId, document_type: '08', series: 'BD01', reason_code: '01', reason: 'Intereses por 10 días de atraso', user_id: t.supervisor.id,
      gravado_cents: 1314, igv_cents: 236, total_cents: 1550, refund_method: null, refund_cents: 0,
      charge_method: 'cash', charge_cents: 1550, charge_tendered_cents: 2000,
    });
    expect(row(t, 'SELECT * FROM note_lines WHERE note_id = ?', r.noteId)).toMatchObject({
      line_no: 1, sale_line_id: null, product_id: null, unit_code: 'ZZ', quantity: '1', unit_price: '15.50', tax_affectation: '10', total_cents: 1550,
    });
    const doc = row(t, 'SELECT * FROM documents WHERE id = ?', r.documentId);
    expect(doc).toMatchObject({ document_type: '08', series: 'BD01', correlative: 1, note_id: r.noteId, sale_id: null, status: 'pending' });
    expect(doc.xml).toMatch(/<DebitNote /);
    expect(doc.xml).toMatch(/<cbc:ResponseCode>01<\/cbc:ResponseCode>/);
    expect(doc.xml).toContain(`<cbc:ID>${s.number}</cbc:ID>`);
    expect(doc.digest_value).toBe(r.digestValue);
    expect(row(t, 'SELECT kind, state FROM jobs WHERE idempotency_key = ?', doc.file_name)).toEqual({ kind: 'sunat.send', state: 'queued' });
    const audited = row(t, `SELECT user_id, action, details FROM audit_log WHERE entity = 'note' AND entity_id = ?`, String(r.noteId));
    expect(audited).toMatchObject({ user_id: t.supervisor.id, action: 'sale.debitNote' });
    expect(JSON.parse(audited.details as string)).toMatchObject({ number: 'BD01-00000001', reference: s.number, reasonCode: '01', total: '15.50', charge: 'cash' });

    // The drawer: the charge on its own line and in the expected cash; the day's net adds it.
    const x = xReport(t.app.db, t.terminalId, t.supervisor.id);
    expect(x).toMatchObject({ debitNotesCount: 1, debitNotesTotal: '15.50', debitNotesCash: '15.50', salesTotal: xBefore.salesTotal });
    expect(Number(x.expectedCash)).toBeCloseTo(Number(xBefore.expectedCash) + 15.5, 2);
    const day = dailyReport(t.app.db, limaDate(t.clock.now()));
    expect(day.debitNotes).toEqual({ count: 1, total: '15.50' });
    expect(Number(day.netBilled)).toBeCloseTo(Number(s.total.toFixed(2)) + 15.5, 2);
    expect(day.byDocumentType['08']).toMatchObject({ issued: 1, sales: 1, total: '15.50' });
    const z = closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, x.expectedCash);
    expect(z).toMatchObject({ debitNotesCount: 1, debitNotesCash: '15.50', difference: '0.00' });

    // The ticket: the note's title, the boleta it modifies and why, what was paid and the change.
    const p = printableDocument(t.app.db, r.documentId);
    expect(p).toMatchObject({ title: 'NOTA DE DÉBITO ELECTRÓNICA', number: 'BD01-00000001', changeCents: 450 });
    expect(p.reference).toEqual({ number: s.number, documentType: '03', reason: 'Intereses por 10 días de atraso' });
    expect(p.payments).toEqual([{ method: 'Pagado (efectivo)', amountCents: 1550, tenderedCents: 2000 }]);

    // The sale's detail lists it among the linked documents and in its timeline.
    const d = await call('sales.detail', { saleId: s.saleId }, sup);
    expect(d.notes).toEqual([expect.objectContaining({
      noteId: r.noteId, documentType: '08', number: 'BD01-00000001', reasonCode: '01', reasonLabel: 'Intereses por mora', total: '15.50',
      settlement: 'Cobrado S/ 15.50 en efectivo', status: 'pending',
    })]);
    expect(d.timeline.map((e) => e.text)).toContain('Nota de débito BD01-00000001 emitida');
    // Nothing came back: the lines show no return.
    expect(d.lines.every((l) => l.returned === '0')).toBe(true);
  });

  it('refusals record nothing: a cashier, bad amounts, short cash, a voided or rejected document, no open drawer', async () => {
    const t = store();
    const s = sale(t);
    const sup = await login('supervisor', '2222');
    const cashier = await login('cashier', '3333');
    const before = counts(t);
    expect(await refusal('sales.debitNote', interest(s.saleId), cashier)).toEqual({ code: 'forbidden', message: expect.stringMatching(/supervisor/) });
    expect(() => t.app.debitNote(t.cashier, t.terminalId, interest(s.saleId) as never)).toThrow(/Las notas de débito las emite un supervisor o un administrador/);
    expect(await refusal('sales.debitNote', interest(s.saleId, { amount: '15,50' }), sup)).toMatchObject({ code: 'invalid_input' });
    expect(await refusal('sales.debitNote', interest(s.saleId, { amount: '0.00' }), sup)).toMatchObject({ code: 'rule', message: 'El importe de la nota de débito debe ser mayor que cero.' });
    expect(await refusal('sales.debitNote', interest(s.saleId, { reasonCode: '07' }), sup)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/catálogo 10/) });
    expect(await refusal('sales.debitNote', interest(s.saleId, { payment: { method: 'cash', tendered: '10.00' } }), sup)).toMatchObject({
      code: 'rule', message: 'Recibió 10.00 y la nota de débito es de 15.50: falta 5.50.',
    });
    expect(await refusal('sales.debitNote', interest(999_999), sup)).toMatchObject({ code: 'not_found' });
    t.app.db.raw.prepare(`UPDATE documents SET status = 'rejected' WHERE id = ?`).run(s.documentId);
    expect(await refusal('sales.debitNote', interest(s.saleId), sup)).toMatchObject({ code: 'rule', message: expect.stringMatching(/SUNAT rechazó el comprobante/) });
    t.app.db.raw.prepare(`UPDATE documents SET status = 'voided' WHERE id = ?`).run(s.documentId);
    expect(await refusal('sales.debitNote', interest(s.saleId), sup)).toMatchObject({ code: 'rule', message: expect.stringMatching(/dado de baja/) });
    t.app.db.raw.prepare(`UPDATE documents SET status = 'pending' WHERE id = ?`).run(s.documentId);
    t.app.db.raw.prepare(`UPDATE cash_sessions SET closed_at = ?`).run(t.clock.now().toISOString());
    expect(await refusal('sales.debitNote', interest(s.saleId, { payment: { method: 'card' } }), sup)).toMatchObject({
      code: 'rule', message: 'No hay caja abierta: abra la caja para cobrar la nota de débito.',
    });
    expect(counts(t)).toEqual(before);
  });

  it('a factura gets an FD01 note (inafecto, by card); both notes pass SUNAT-independent checks; a sale with one cannot be voided', async () => {
    requireCheckCpe();
    const t = store();
    const b = sale(t);
    const f = sale(t, '01');
    const sup = await login('supervisor', '2222');
    const nb = await call('sales.debitNote', interest(b.saleId), sup);
    const nf = await call('sales.debitNote', {
      saleId: f.saleId, reasonCode: '03', description: 'Penalidad por devolución tardía del envase', amount: '1234.5', taxAffectation: '30',
      payment: { method: 'card', reference: 'OP-99' },
    }, sup);
    expect(nf).toMatchObject({ number: 'FD01-00000001', reference: f.number, total: '1234.50', chargeMethod: 'card', change: '0.00' });
    expect(row(t, 'SELECT inafecto_cents, igv_cents, charge_reference FROM notes WHERE id = ?', nf.noteId)).toEqual({ inafecto_cents: 123450, igv_cents: 0, charge_reference: 'OP-99' });
    // A card charge is not cash: the drawer's expected cash moves only by the boleta's note.
    expect(xReport(t.app.db, t.terminalId, t.supervisor.id)).toMatchObject({ debitNotesCount: 2, debitNotesTotal: '1250.00', debitNotesCash: '15.50' });

    const r = checkStoredDocuments(t.app.db, t.dir, [nb.documentId, nf.documentId]);
    expect(r.output).toMatch(/2 passed, 0 failed/);
    expect(r.status).toBe(0);

    expect(() => voidSale(t.app, t.supervisor.id, b.number, 'error')).toThrow(/tiene notas de débito \(BD01-00000001\): no se puede dar de baja/);

    // The sales list, the screen's and the command line's: the notes with their type and the document they modify.
    const list = await call('sales.list', {}, sup);
    expect(list.filter((x) => x.documentType === '08').map((x) => [x.number, x.reference, x.total])).toEqual([
      ['FD01-00000001', f.number, '1234.50'],
      ['BD01-00000001', b.number, '15.50'],
    ]);
    const cli = spawnSync(process.execPath, ['bin/izisales.mjs', 'sales', 'list', '--json', '--date', limaDate(t.clock.now()), '--data', t.dir], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    const rows = JSON.parse(cli.stdout.trim().split('\n').pop()!) as { number: string; documentType: string; reference: string | null; total: string }[];
    expect(rows.filter((x) => x.documentType === '08')).toEqual([
      expect.objectContaining({ number: 'BD01-00000001', documentType: '08', reference: b.number, total: '15.50' }),
      expect.objectContaining({ number: 'FD01-00000001', documentType: '08', reference: f.number, total: '1234.50' }),
    ]);
  }, 120_000);

  it('the runner sends it once the boleta it modifies is accepted, and the simulator accepts it', async () => {
    const t = store();
    const s = sale(t);
    const sup = await login('supervisor', '2222');
    const n = await call('sales.debitNote', interest(s.saleId, { reasonCode: '02', description: 'Aumento en el valor pactado' }), sup);
    const sim = await startSimulator({ port: 0 });
    const runner = createRunner({
      app: t.app, sunat: { url: sim.url }, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
      options: { pollMs: 50, heartbeatMs: 0 },
    });
    cleanups.push(() => sim.close(), () => runner.stop());
    const status = (id: number) => (row(t, 'SELECT status FROM documents WHERE id = ?', id) as { status: string }).status;
    // The boleta's job held back first: the note waits for it and says so, without reaching SUNAT.
    const saleDoc = row(t, 'SELECT file_name FROM documents WHERE id = ?', s.documentId) as { file_name: string };
    t.app.db.raw.prepare(`UPDATE jobs SET run_at = '2999-01-01T00:00:00.000Z' WHERE idempotency_key = ?`).run(saleDoc.file_name);
    runner.start();
    const lastError = () => row(t, 'SELECT last_error FROM documents WHERE id = ?', n.documentId).last_error;
    const until = async (cond: () => boolean) => {
      const end = Date.now() + 15_000;
      while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    };
    await until(() => lastError() !== null);
    expect(lastError()).toBe(`Espera que SUNAT acepte ${s.number}, el comprobante que modifica.`);
    expect(sim.ledger().some((e) => /-08-BD01-/.test(e.id))).toBe(false);
    // The boleta goes; its acceptance wakes the note, which is accepted in turn.
    t.app.db.raw.prepare(`UPDATE jobs SET run_at = ? WHERE idempotency_key = ?`).run(t.clock.now().toISOString(), saleDoc.file_name);
    runner.kick();
    await until(() => status(n.documentId) === 'accepted');
    expect(status(s.documentId)).toBe('accepted');
    expect(status(n.documentId)).toBe('accepted');
    expect(sim.ledger().map((e) => e.id)).toEqual(expect.arrayContaining([expect.stringMatching(/-08-BD01-1$/)]));
    const d = await call('sales.detail', { saleId: s.saleId }, sup);
    expect(d.notes[0].cdrText).toBe(`0 — La Nota de Debito numero ${n.number}, ha sido aceptada`);
  });
});
