// Credit and debit notes on boletas go the way SUNAT takes them (issue 15 items 1 and 2): alone with sendBill, or —
// when SUNAT refuses the note alone with 1079, "Solo puede enviar el comprobante en un resumen diario" — in the daily
// summary (RC) of its date, followed by the summary's ticket until SUNAT accepts it. Also what the return dialog asks before offering the
// void of a whole factura instead of a credit note: sales.void's own checks.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, type TestApp } from '../helpers/app';
import { startSimulator, type Simulator, type SimulatorFaults } from '../../src-main/sunat/simulator';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import type { Runner } from '../../src-main/jobs/runner';
import { jobRuns } from '../../src-main/jobs/store';
import { dueForSummary, voidSale } from '../../src-main/sunat/batches';
import { returnableSale } from '../../src-main/pos/returns';
import { retryFailedDocuments } from '../../src-main/jobs/handlers/retry-failed';
import { limaDate } from '../../src-shared/time';
import { CHECK_CPE, CHECK_CPE_ENV, checkStoredDocuments, requireCheckCpe } from '../helpers/tools';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until(cond: () => boolean, step: () => void, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    step();
    await new Promise((r) => setTimeout(r, 50));
  }
}

function app(): TestApp {
  const t = demoApp();
  cleanups.push(() => t.close());
  return t;
}

async function running(t: TestApp, faults: SimulatorFaults = {}): Promise<{ runner: Runner; sim: Simulator }> {
  // The simulator's reception date is the store's (summaries are judged by it); its tickets wait 200 ms of real time.
  const sim = await startSimulator({ port: 0, summaryDelayMs: 200, now: () => t.clock.now(), faults });
  const runner = createRunner({
    app: t.app, sunat: { url: sim.url }, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
    options: { pollMs: 50, heartbeatMs: 0 },
  });
  cleanups.push(() => sim.close(), () => runner.stop());
  return { runner, sim };
}

const products = (t: TestApp) => t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 2`).all() as { id: number }[];

function boleta(t: TestApp) {
  const [a, b] = products(t);
  return t.app.sell(t.cashier, t.terminalId, {
    documentType: '03', customer: null, lines: [{ productId: a.id, quantity: '2' }, { productId: b.id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }],
  });
}

function factura(t: TestApp) {
  const [a] = products(t);
  return t.app.sell(t.cashier, t.terminalId, {
    documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' }, lines: [{ productId: a.id, quantity: '2' }], payments: [{ method: 'cash', amount: '500.00' }],
  });
}

interface DocRow { id: number; status: string; by_summary: number; last_error: string | null; file_name: string; xml: string; issue_date: string; document_type: string }
const doc = (t: TestApp, id: number) => t.app.db.raw.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocRow;

describe('a credit note on a boleta that SUNAT refuses alone', () => {
  it('goes in the daily summary of its date (07, reference to the boleta, condition 1), whose ticket ends it accepted; the RC passes check-cpe', async () => {
    requireCheckCpe();
    const t = app();
    const s = boleta(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const { runner, sim } = await running(t, { boletaNotesInSummary: true });
    runner.start();
    await until(() => doc(t, n.documentId).status === 'accepted', () => t.clock.advance(10_000), 'the note accepted');

    // The boleta went alone and was accepted with its own CDR; the note was refused alone once, with 1079.
    expect(doc(t, s.documentId).status).toBe('accepted');
    const noteJob = t.app.db.raw.prepare(`SELECT id, state FROM jobs WHERE kind = 'sunat.send' AND idempotency_key = ?`).get(doc(t, n.documentId).file_name) as { id: number; state: string };
    expect(noteJob.state).toBe('succeeded');
    // (It may first have waited for the boleta's acceptance, claimed with it.)
    expect(jobRuns(t.app.db, noteJob.id).map((r) => r.outcome).filter((o) => o !== 'waits_for_reference')).toEqual(['send_in_summary']);
    const ledger = sim.ledger();
    const noteEntry = ledger.find((e) => /-07-BC01-1$/.test(e.id))!;
    expect(noteEntry).toMatchObject({ submissions: 1, accepted: 1, status: 'accepted' });
    expect(noteEntry.reportedBy).toMatch(/^20601234565-RC-\d{8}-1$/);

    // The summary: one line, the note, with its reference, condition 1 and its total; accepted by its ticket.
    const rc = t.app.db.raw.prepare(`SELECT * FROM documents WHERE document_type = 'RC'`).all() as DocRow[];
    expect(rc).toHaveLength(1);
    expect(rc[0].status).toBe('accepted');
    const xml = rc[0].xml;
    expect(xml.match(/<sac:SummaryDocumentsLine>/g)).toHaveLength(1);
    expect(xml).toContain('<cbc:DocumentTypeCode>07</cbc:DocumentTypeCode><cbc:ID>BC01-00000001</cbc:ID>');
    expect(xml).toContain(`<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${s.number}</cbc:ID><cbc:DocumentTypeCode>03</cbc:DocumentTypeCode>`);
    expect(xml).toContain('<cbc:ConditionCode>1</cbc:ConditionCode>');
    expect(xml).toContain(`<sac:TotalAmount currencyID="PEN">${n.total.toFixed(2)}</sac:TotalAmount>`);

    const note = doc(t, n.documentId);
    expect(note).toMatchObject({ status: 'accepted', by_summary: 1, last_error: null });
    // A daily summary is never sent twice, and nothing is left for another.
    expect(ledger.filter((e) => e.id.includes('-RC-'))).toMatchObject([{ submissions: 1, status: 'accepted' }]);
    expect(dueForSummary(t.app.db, note.issue_date, { withErrors: true })).toEqual([]);

    const out = fs.mkdtempSync(path.join(t.dir, 'cpe-'));
    const file = path.join(out, `${rc[0].file_name}.xml`);
    fs.writeFileSync(file, xml);
    const r = spawnSync(CHECK_CPE, [file], { encoding: 'utf8', env: CHECK_CPE_ENV });
    expect(r.stdout + r.stderr).toMatch(/1 passed, 0 failed/);
    expect(r.status).toBe(0);
  }, 60_000);

  it('while it waits for its summary it stays pending, saying so, and the periodic retry never sends it alone again', async () => {
    const t = app();
    const s = boleta(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const { runner } = await running(t, { boletaNotesInSummary: true });
    // The store's clock stands still, so the summary's ticket is not asked for yet: the note waits in it.
    runner.start();
    await until(() => doc(t, n.documentId).by_summary === 1, () => {}, 'the note routed to the summary');
    expect(doc(t, n.documentId).status).toBe('pending');
    expect(doc(t, n.documentId).last_error).toBe('1079: Solo puede enviar el comprobante en un resumen diario. Se informará en el resumen diario.');
    await runner.stop();
    // As if the summary were refused: in error, but SUNAT takes it only in a summary, so retry-failed leaves it.
    t.app.db.raw.prepare(`UPDATE documents SET status = 'error' WHERE id = ?`).run(n.documentId);
    t.clock.advance(2 * 3600_000);
    expect(retryFailedDocuments(t.app.db, t.clock.now()).documents).not.toContain(doc(t, n.documentId).file_name);
  }, 30_000);
});

describe('a debit note on a boleta that SUNAT refuses alone', () => {
  it('goes the same way: its summary line is 08 with the reference to the boleta, condition 1 and its own totals; accepted with the summary; the RC passes check-cpe', async () => {
    requireCheckCpe();
    const t = app();
    const s = boleta(t);
    // Interest charged by a supervisor, inafecto (no IGV): the line's totals are the note's own, not the boleta's.
    const n = t.app.debitNote(t.supervisor, t.terminalId, {
      saleId: s.saleId, reasonCode: '01', description: 'Intereses por mora', amount: '12.40', taxAffectation: '30', payment: { method: 'cash', tendered: '12.40' },
    });
    const { runner, sim } = await running(t, { boletaNotesInSummary: true });
    runner.start();
    await until(() => doc(t, n.documentId).status === 'accepted', () => t.clock.advance(10_000), 'the debit note accepted');

    expect(doc(t, s.documentId).status).toBe('accepted');
    const noteDoc = doc(t, n.documentId);
    const noteJob = t.app.db.raw.prepare(`SELECT id, state FROM jobs WHERE kind = 'sunat.send' AND idempotency_key = ?`).get(noteDoc.file_name) as { id: number; state: string };
    expect(noteJob.state).toBe('succeeded');
    expect(jobRuns(t.app.db, noteJob.id).map((r) => r.outcome).filter((o) => o !== 'waits_for_reference')).toEqual(['send_in_summary']);
    expect(noteDoc).toMatchObject({ status: 'accepted', by_summary: 1, last_error: null });
    const entry = sim.ledger().find((e) => /-08-BD01-1$/.test(e.id))!;
    expect(entry).toMatchObject({ submissions: 1, accepted: 1, status: 'accepted' });
    expect(entry.reportedBy).toMatch(/^20601234565-RC-\d{8}-1$/);

    const rc = t.app.db.raw.prepare(`SELECT * FROM documents WHERE document_type = 'RC'`).all() as DocRow[];
    expect(rc).toHaveLength(1);
    expect(rc[0].status).toBe('accepted');
    const xml = rc[0].xml;
    expect(xml.match(/<sac:SummaryDocumentsLine>/g)).toHaveLength(1);
    expect(xml).toContain('<cbc:DocumentTypeCode>08</cbc:DocumentTypeCode><cbc:ID>BD01-00000001</cbc:ID>');
    expect(xml).toContain(`<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${s.number}</cbc:ID><cbc:DocumentTypeCode>03</cbc:DocumentTypeCode>`);
    expect(xml).toContain('<cbc:ConditionCode>1</cbc:ConditionCode>');
    expect(xml).toContain('<sac:TotalAmount currencyID="PEN">12.40</sac:TotalAmount>');
    // Inafecto: paid under instruction 03, no IGV.
    expect(xml).toContain('<sac:BillingPayment><cbc:PaidAmount currencyID="PEN">12.40</cbc:PaidAmount><cbc:InstructionID>03</cbc:InstructionID></sac:BillingPayment>');
    expect(xml).not.toContain('<cbc:InstructionID>01</cbc:InstructionID>');
    expect(xml).toContain('<cbc:TaxAmount currencyID="PEN">0.00</cbc:TaxAmount>');
    expect(dueForSummary(t.app.db, noteDoc.issue_date, { withErrors: true })).toEqual([]);
    const audited = t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'document.summary'`).all() as { details: string }[];
    expect(audited.map((a) => JSON.parse(a.details))).toEqual([{ boletas: [], notes: [n.number] }]);

    const checked = checkStoredDocuments(t.app.db, t.dir, [rc[0].id]);
    expect(checked.output).toMatch(/1 passed, 0 failed/);
    expect(checked.status).toBe(0);
  }, 60_000);
});

describe('what goes in a daily summary', () => {
  it('a note only once its boleta is accepted or goes in the same summary, boletas first', () => {
    const t = app();
    const s = boleta(t);
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const date = doc(t, n.documentId).issue_date;
    t.app.db.raw.prepare(`UPDATE documents SET by_summary = 1 WHERE id = ?`).run(n.documentId);
    // Its boleta is still pending at SUNAT: a summary with the note alone would be refused whole (2989).
    expect(dueForSummary(t.app.db, date, { withErrors: true })).toEqual([]);
    // The boleta in error (given up): a person's summary carries both, the boleta first; the runner's only what SUNAT sent there.
    t.app.db.raw.prepare(`UPDATE documents SET status = 'error' WHERE id = ?`).run(s.documentId);
    expect(dueForSummary(t.app.db, date, { withErrors: true }).map((r) => r.number)).toEqual([s.number, n.number]);
    expect(dueForSummary(t.app.db, date, { withErrors: false })).toEqual([]);
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted' WHERE id = ?`).run(s.documentId);
    expect(dueForSummary(t.app.db, date, { withErrors: false }).map((r) => r.number)).toEqual([n.number]);
  });
});

describe('whether a sale can be voided instead (the return dialog asks before offering it)', () => {
  it('an accepted factura within the window: yes, until the 7th day; the same refusals as sales.void otherwise', async () => {
    const t = app();
    const f = factura(t);
    const today = () => limaDate(t.clock.now());
    const ask = () => returnableSale(t.app.db, t.supervisor, f.saleId, today()).voidability;
    expect(ask()).toEqual({ voidable: false, reason: `SUNAT aún no aceptó ${f.number} (estado: pending). Espere su aceptación para darla de baja.`, until: '2026-12-04' });
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted' WHERE id = ?`).run(f.documentId);
    expect(ask()).toEqual({ voidable: true, reason: null, until: '2026-12-04' });
    // Who asks: a supervisor may void it; the cashier who sold it is told a supervisor can.
    expect(returnableSale(t.app.db, t.supervisor, f.saleId, today()).canVoid).toBe(true);
    expect(returnableSale(t.app.db, t.cashier, f.saleId, today())).toMatchObject({ canVoid: false, voidability: { voidable: true } });
    t.clock.advance(7 * 86_400_000); // 2026-12-04, the last day
    expect(ask().voidable).toBe(true);
    t.clock.advance(86_400_000);
    const late = ask();
    expect(late).toEqual({ voidable: false, reason: `Pasaron más de 7 días desde la emisión de ${f.number}: emita una nota de crédito.`, until: '2026-12-04' });
    // One implementation: sales.void refuses with the very words.
    expect(() => voidSale(t.app, t.supervisor.id, f.number, 'error en el ruc')).toThrow(late.reason!);
  });

  it('not once part of it came back with a credit note', () => {
    const t = app();
    const f = factura(t);
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted' WHERE id = ?`).run(f.documentId);
    const n = t.app.returnSale(t.supervisor, t.terminalId, { saleId: f.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const v = returnableSale(t.app.db, t.supervisor, f.saleId, limaDate(t.clock.now())).voidability;
    expect(v.voidable).toBe(false);
    expect(v.reason).toMatch(new RegExp(`tiene devoluciones \\(${n.number}\\)`));
  });
});
