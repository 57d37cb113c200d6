// A sale's detail (issue 15, `sales.detail`) and the print rules (pos/prints.ts), through the contract as the screens
// call it, on a real SQLite file: a boleta with a credit note and a voided factura, both answered by the SUNAT
// simulator over HTTP (the CDR's text, the documents linked to the sale, the timeline); the original only for its
// cashier within 15 minutes (a fake clock), a COPIA otherwise, a cashier's reprints limited by `maxReprints`, and
// every print audited.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { startSimulator } from '../../src-main/sunat/simulator';
import { voidSale } from '../../src-main/sunat/batches';
import { apiClient } from '../helpers/api';
import { demoApp, type TestApp } from '../helpers/app';
import { setSetting } from '../../src-main/db/settings';
import { requireTools } from '../helpers/tools';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let api: Api;
const { login, call, refusal } = apiClient(() => api);

function store(): TestApp {
  const t = demoApp();
  // The clock moves minutes between prints with the same tokens: the till does not lock here (pos/sessions.ts).
  setSetting(t.app.db, 'autoLockMinutes', 0);
  api = new Api(t.app);
  cleanups.push(() => t.close());
  return t;
}

/** The SUNAT simulator over HTTP and the runner sending to it, both on the test's clock. */
async function sending(t: TestApp) {
  const sim = await startSimulator({ port: 0, summaryDelayMs: 200, now: () => t.clock.now() });
  const runner = createRunner({
    app: t.app, sunat: { url: sim.url }, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
    options: { pollMs: 50, heartbeatMs: 0 },
  });
  cleanups.push(() => sim.close(), () => runner.stop());
  runner.start();
  return runner;
}

async function until(cond: () => boolean, step: () => void = () => {}, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    step();
    await new Promise((r) => setTimeout(r, 50));
  }
}

const docStatus = (t: TestApp, id: number) => (t.app.db.raw.prepare('SELECT status FROM documents WHERE id = ?').get(id) as { status: string }).status;
const products = (t: TestApp) =>
  t.app.db.raw.prepare(`SELECT id, name, price FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 2`).all() as { id: number; name: string; price: string }[];
const minutes = (t: TestApp, n: number) => t.clock.set(new Date(t.clock.now().getTime() + n * 60_000));

function pdfText(t: TestApp, base64: string): string {
  requireTools('pdftotext');
  const file = path.join(t.dir, `p-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const prints = (t: TestApp) =>
  (t.app.db.raw.prepare(`SELECT user_id, entity, entity_id, details FROM audit_log WHERE action = 'document.print' ORDER BY id`).all() as
    { user_id: number; entity: string; entity_id: string; details: string }[]).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));

describe('the sale detail', () => {
  it('a boleta with a credit note, both accepted by the simulator: lines, payments, CDR text, the note, a timeline', async () => {
    const t = store();
    const [a, b] = products(t);
    const sale = t.app.sell(t.cashier, t.terminalId, {
      documentType: '03', lines: [{ productId: a.id, quantity: '2' }, { productId: b.id, quantity: '1' }],
      payments: [{ method: 'cash', amount: '500.00' }],
    });
    minutes(t, 1);
    const runner = await sending(t);
    await until(() => docStatus(t, sale.documentId) === 'accepted');
    minutes(t, 1);
    const note = t.app.returnSale(t.cashier, t.terminalId, { saleId: sale.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    runner.kick(); // what the services' afterSale hook does
    await until(() => docStatus(t, note.documentId) === 'accepted');

    const cashier = await login('cashier', '3333');
    const d = await call('sales.detail', { saleId: sale.saleId }, cashier);
    expect(d).toMatchObject({ number: sale.number, documentType: '03', cashier: 'Cajero Demo', status: 'completed', a4: false });
    expect(d.customer).toMatchObject({ docType: '-', name: 'CLIENTES VARIOS' });
    expect(d.lines.map((l) => [l.lineNo, l.description, l.quantity, l.unitPrice, l.returned])).toEqual([
      [1, a.name, '2', a.price, '1'],
      [2, b.name, '1', b.price, '0'],
    ]);
    expect(d.totals.total).toBe(sale.total.toFixed(2));
    expect(d.payments).toEqual([{ method: 'cash', label: 'Efectivo', amount: sale.total.toFixed(2), tendered: '500.00', reference: null }]);
    expect(d.totals.change).toBe(sale.change.toFixed(2));
    expect(d.document).toMatchObject({ status: 'accepted', statusText: 'Aceptado por el simulador (sin validez)', simulated: true });
    expect(d.document!.cdrText).toBe(`0 — La Boleta numero ${sale.number}, ha sido aceptada`);
    expect(d.notes).toEqual([expect.objectContaining({ noteId: note.noteId, number: note.number, total: note.total.toFixed(2), status: 'accepted', reasonCode: '07' })]);
    expect(d.notes[0].cdrText).toBe(`0 — La Nota de Credito numero ${note.number}, ha sido aceptada`);
    expect(d.voiding).toBeNull();

    // Sold and signed, sent and accepted a minute later, then the note and its own: each at its time.
    const T = (m: number) => `2026-11-27T15:0${m}:00.000Z`;
    expect(d.timeline.map((e) => [e.at, e.event, e.text])).toEqual([
      [T(0), 'sold', 'Venta registrada por Cajero Demo'],
      [T(0), 'signed', 'Boleta firmada digitalmente'],
      [T(1), 'sent', 'Boleta: enviado a SUNAT'],
      [T(1), 'accepted', 'Boleta: aceptado por el simulador (sin validez)'],
      [T(2), 'note', `Nota de crédito ${note.number} emitida`],
      [T(2), 'sent', `Nota de crédito ${note.number}: enviado a SUNAT`],
      [T(2), 'accepted', `Nota de crédito ${note.number}: aceptado por el simulador (sin validez)`],
    ]);
    expect(d.timeline[1].detail).toMatch(/^Hash [A-Za-z0-9+/=]{20,}$/);
    expect(d.timeline[3].detail).toBe(d.document!.cdrText);
    // Two minutes after the sale, R would print the cashier's original; not printed yet, the store's 3 reprints left.
    expect(d.print).toEqual({ copy: false, prints: 0, reprintsLeft: 3, maxReprints: 3, refusal: null });
  });

  it('a factura voided by an RA: the batch, who asked and why, and the timeline up to SUNAT accepting the void', async () => {
    const t = store();
    const [a] = products(t);
    const f = t.app.sell(t.cashier, t.terminalId, {
      documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC', address: 'AV. LOS PINOS 1' },
      lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'card', amount: a.price, reference: 'OP-77' }],
    });
    const runner = await sending(t);
    await until(() => docStatus(t, f.documentId) === 'accepted');
    const v = voidSale(t.app, t.supervisor.id, f.number, 'error en el precio');
    runner.kick(); // what sales.void's queue.updated does: the batch was written on the runner's own connection
    await until(() => docStatus(t, f.documentId) === 'voided', () => minutes(t, 1));

    const sup = await login('supervisor', '2222');
    const d = await call('sales.detail', { saleId: f.saleId }, sup);
    expect(d).toMatchObject({ documentType: '01', status: 'cancelled', a4: true });
    expect(d.customer).toEqual({ docType: '6', docLabel: 'RUC', docNumber: '20123456786', name: 'CLIENTE SAC', address: 'AV. LOS PINOS 1' });
    expect(d.payments).toEqual([{ method: 'card', label: 'Tarjeta', amount: a.price, tendered: null, reference: 'OP-77' }]);
    expect(d.document?.status).toBe('voided');
    expect(d.voiding).toMatchObject({ fileName: v.fileName, kind: 'RA', status: 'accepted', requestedBy: 'Supervisora Demo', reason: 'ERROR EN EL PRECIO' });
    const events = d.timeline.map((e) => e.event);
    expect(events.indexOf('accepted')).toBeLessThan(events.indexOf('void'));
    expect(events.indexOf('void')).toBeLessThan(events.indexOf('voided'));
    expect(d.timeline.find((e) => e.event === 'void')).toMatchObject({ text: 'Baja solicitada por Supervisora Demo', detail: 'Motivo: ERROR EN EL PRECIO' });
    // The supervisor prints a COPIA of someone else's sale; the factura also as A4.
    expect(d.print).toMatchObject({ copy: true, reprintsLeft: null, refusal: null });
    const a4 = await call('documents.print', { saleId: f.saleId, format: 'a4' }, sup);
    expect(a4).toMatchObject({ copy: true, fileName: expect.stringMatching(/-01-F001-\d{8}-COPIA\.pdf$/) });
    expect(pdfText(t, a4.pdfBase64)).toContain('COPIA');
  });

  it('a cashier opens only their own sales; an unknown sale is not found', async () => {
    const t = store();
    const [a] = products(t);
    const theirs = t.app.sell(t.supervisor, t.terminalId, { documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    const cashier = await login('cashier', '3333');
    const refused = await refusal('sales.detail', { saleId: theirs.saleId }, cashier);
    expect(refused).toEqual({ code: 'forbidden', message: `La venta ${theirs.number} es de otro cajero: pida a un supervisor que la revise.` });
    expect((await refusal('sales.detail', { saleId: 9999 }, cashier)).code).toBe('not_found');
    expect((await refusal('sales.detail', { saleId: 0 }, cashier)).code).toBe('invalid_input');
  });
});

describe('reprints', () => {
  it('the original only for its cashier within 15 minutes; later, or for anyone else, a COPIA', async () => {
    const t = store();
    const [a] = products(t);
    const sale = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    const cashier = await login('cashier', '3333');
    const sup = await login('supervisor', '2222');

    minutes(t, 14);
    const first = await call('documents.print', { saleId: sale.saleId }, cashier);
    expect(first).toMatchObject({ copy: false, reprint: false, reprintsLeft: 3 });
    expect(pdfText(t, first.pdfBase64)).not.toContain('COPIA');
    // Within the window, a supervisor's print is a COPIA all the same: the original is its cashier's.
    expect(await call('documents.print', { saleId: sale.saleId }, sup)).toMatchObject({ copy: true, reprint: true });
    minutes(t, 1);
    expect((await call('sales.detail', { saleId: sale.saleId }, cashier)).print.copy).toBe(false);
    expect(await call('documents.print', { saleId: sale.saleId }, cashier)).toMatchObject({ copy: false, reprint: true });
    minutes(t, 1); // 16 minutes after the sale
    expect((await call('sales.detail', { saleId: sale.saleId }, cashier)).print.copy).toBe(true);
    const late = await call('documents.print', { saleId: sale.saleId }, cashier);
    expect(late).toMatchObject({ copy: true, reprint: true, fileName: expect.stringMatching(/-COPIA\.pdf$/) });
    expect(pdfText(t, late.pdfBase64)).toContain('COPIA');

    // Every print audited: who, which document, original or copy, and which print of it.
    expect(prints(t).map((p) => [p.user_id, p.entity, p.details.copy, p.details.print, p.details.number])).toEqual([
      [t.cashier.id, 'document', false, 1, sale.number],
      [t.supervisor.id, 'document', true, 2, sale.number],
      [t.cashier.id, 'document', false, 3, sale.number],
      [t.cashier.id, 'document', true, 4, sale.number],
    ]);
    expect(new Set(prints(t).map((p) => p.entity_id))).toEqual(new Set([String(sale.documentId)]));
  });

  it('a cashier reprints up to maxReprints times, then is told to ask a supervisor, who may; the setting is the admin’s', async () => {
    const t = store();
    const [a] = products(t);
    const sale = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    const cashier = await login('cashier', '3333');
    const sup = await login('supervisor', '2222');
    const admin = await login('admin', '1111');

    // The admin lowers the limit to 2; a bad value is refused with a message and changes nothing.
    const bad = await refusal('settings.update', { maxReprints: -1 }, admin);
    expect(bad).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/número entero entre 0 y 20/) });
    expect((await call('settings.get', {}, admin)).maxReprints).toBe(3);
    expect((await call('settings.update', { maxReprints: 2 }, admin)).maxReprints).toBe(2);

    expect((await call('documents.print', { saleId: sale.saleId }, cashier)).reprintsLeft).toBe(2); // the first print
    minutes(t, 30);
    expect((await call('documents.print', { saleId: sale.saleId }, cashier)).reprintsLeft).toBe(1);
    expect((await call('documents.print', { saleId: sale.saleId }, cashier)).reprintsLeft).toBe(0);
    const detail = await call('sales.detail', { saleId: sale.saleId }, cashier);
    expect(detail.print).toMatchObject({ prints: 3, reprintsLeft: 0, maxReprints: 2 });
    const message = `${sale.number} ya se reimprimió 2 veces, el máximo para un cajero. Pida a un supervisor o a un administrador que lo reimprima.`;
    expect(detail.print.refusal).toBe(message);
    expect(await refusal('documents.print', { saleId: sale.saleId }, cashier)).toEqual({ code: 'forbidden', message });
    expect(prints(t)).toHaveLength(3); // the refused one is not a print

    const beyond = await call('documents.print', { saleId: sale.saleId }, sup);
    expect(beyond).toMatchObject({ copy: true, reprintsLeft: null });
    expect(prints(t).at(-1)).toMatchObject({ user_id: t.supervisor.id, details: { copy: true, print: 4, beyondLimit: 2 } });
    // A credit note follows the same rules.
    const n = t.app.returnSale(t.cashier, t.terminalId, { saleId: sale.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '06', refund: 'cash' });
    expect(await call('documents.print', { noteId: n.noteId }, cashier)).toMatchObject({ copy: false, number: n.number });
    expect(prints(t).at(-1)).toMatchObject({ user_id: t.cashier.id, details: { noteId: n.noteId, copy: false, print: 1 } });
  });
});
