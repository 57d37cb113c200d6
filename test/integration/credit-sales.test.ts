// Selling on credit (issue 15 item 9): a factura with FormaPago "Credito" and its instalments is recorded, signed
// (SUNAT's own rules pass it: check-cpe) and accepted by the simulator, which rejects broken terms with SUNAT's codes;
// refusals write nothing; collections never exceed what is pending, and cash ones show on the X as a paid-in.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoApp, type TestApp } from '../helpers/app';
import { refused } from '../helpers/api';
import { computePricedSale } from '../../src-shared/sale-lines';
import { taxRatesOn } from '../../src-main/db/settings';
import { limaDate } from '../../src-shared/time';
import type { CheckoutInput } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { collect, listReceivables } from '../../src-main/pos/receivables';
import { closeSession, xReport } from '../../src-main/pos/cash';
import { dailyReport } from '../../src-main/reports/daily';
import { printableDocument, creditLines } from '../../src-main/documents/printable';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { createSunatClient, endpointsFor, type SunatClient } from '../../src-main/sunat/client';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor, tcpProbe } from '../../src-main/jobs/network';
import { checkStoredDocuments, requireCheckCpe } from '../helpers/tools';
import { saleModel, signedReal, TEST_RUC } from '../helpers/sign-fixture';
import type { InvoiceDocument } from '../../src-main/sunat/model';
import { voidSale } from '../../src-main/sunat/batches';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function app(): TestApp {
  const t = demoApp(); // 2026-11-27 in Lima
  cleanups.push(() => t.close());
  return t;
}

const CUSTOMER = { docType: '6' as const, docNumber: '20123456786', name: 'CLIENTE SAC' };
const product = (t: TestApp) =>
  t.app.db.raw.prepare(`SELECT id, price FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`).get() as { id: number; price: string };
const count = (t: TestApp, table: string) => (t.app.db.raw.prepare(`SELECT count(*) n FROM ${table}`).get() as { n: number }).n;

/** A hundred units of the first product: its total, and a checkout input on credit (instalments given) plus `payments`. */
function creditSale(t: TestApp, instalments: (total: Dec) => { amount: string; dueDate: string }[], over: Partial<CheckoutInput> = {}) {
  const p = product(t);
  const total = computePricedSale([{ quantity: '100', unitPrice: p.price, taxAffectation: '10', isBag: false, discount: null }], taxRatesOn(t.app.db, limaDate(t.clock.now()))).totals.payable;
  const cuotas = instalments(total);
  const input: CheckoutInput = {
    documentType: '01', customer: CUSTOMER, lines: [{ productId: p.id, quantity: '100' }], payments: [],
    credit: { amount: cuotas.reduce((a, c) => a.plus(c.amount), Dec.ZERO).toFixed(2), instalments: cuotas },
    ...over,
  };
  return { total, input };
}
/** Two instalments: half (rounded down to the céntimo) on 27/12, the rest on 26/01. */
const twoInstalments = (amount: Dec) => {
  const first = Dec.fromCents(Math.floor(amount.toCents() / 2));
  return [{ amount: first.toFixed(2), dueDate: '2026-12-27' }, { amount: amount.minus(first).toFixed(2), dueDate: '2027-01-26' }];
};

describe('a factura on credit', () => {
  it('is recorded with its instalments, no money taken, audited; its XML says Credito with Cuota001/Cuota002; the ticket lists them', () => {
    const t = app();
    const { total, input } = creditSale(t, twoInstalments);
    const r = t.app.sell(t.cashier, t.terminalId, input);
    expect(r.credit.toFixed(2)).toBe(total.toFixed(2));
    expect(r.paid.toFixed(2)).toBe('0.00');
    const sale = t.app.db.raw.prepare('SELECT credit_cents, paid_cents, change_cents FROM sales WHERE id = ?').get(r.saleId);
    expect(sale).toEqual({ credit_cents: total.toCents(), paid_cents: 0, change_cents: 0 });
    expect(count(t, 'payments')).toBe(0);
    expect(t.app.db.raw.prepare('SELECT instalment_no, amount_cents, due_date FROM sale_instalments WHERE sale_id = ? ORDER BY instalment_no').all(r.saleId))
      .toEqual(twoInstalments(total).map((c, i) => ({ instalment_no: i + 1, amount_cents: Dec.of(c.amount).toCents(), due_date: c.dueDate })));
    expect(t.app.db.raw.prepare(`SELECT count(*) n FROM audit_log WHERE action = 'sale.credit' AND entity_id = ?`).get(String(r.saleId))).toEqual({ n: 1 });

    const xml = (t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(r.documentId) as { xml: string }).xml;
    const [a, b] = twoInstalments(total);
    expect(xml).toContain(`<cac:PaymentTerms><cbc:ID>FormaPago</cbc:ID><cbc:PaymentMeansID>Credito</cbc:PaymentMeansID><cbc:Amount currencyID="PEN">${total.toFixed(2)}</cbc:Amount></cac:PaymentTerms>`);
    expect(xml).toContain(`<cac:PaymentTerms><cbc:ID>FormaPago</cbc:ID><cbc:PaymentMeansID>Cuota001</cbc:PaymentMeansID><cbc:Amount currencyID="PEN">${a.amount}</cbc:Amount><cbc:PaymentDueDate>2026-12-27</cbc:PaymentDueDate></cac:PaymentTerms>`);
    expect(xml).toContain(`<cbc:PaymentMeansID>Cuota002</cbc:PaymentMeansID><cbc:Amount currencyID="PEN">${b.amount}</cbc:Amount><cbc:PaymentDueDate>2027-01-26</cbc:PaymentDueDate>`);
    expect(xml).not.toContain('Contado');

    expect(creditLines(printableDocument(t.app.db, r.documentId))).toEqual([
      'Forma de pago: Crédito', `Monto neto pendiente de pago: S/ ${total.toFixed(2)}`,
      `Cuota 1: S/ ${a.amount} vence 27/12/2026`, `Cuota 2: S/ ${b.amount} vence 26/01/2027`,
    ]);
  });

  it('may take a down payment in cash: the rest is pending (the XML amount), the change comes from the cash', () => {
    const t = app();
    const { total, input } = creditSale(t, (tot) => [{ amount: tot.minus('20.00').toFixed(2), dueDate: '2026-12-27' }], { payments: [{ method: 'cash', amount: '50.00' }] });
    const r = t.app.sell(t.cashier, t.terminalId, input);
    expect(r.change.toFixed(2)).toBe('30.00');
    expect(t.app.db.raw.prepare('SELECT method, amount_cents, tendered_cents FROM payments WHERE sale_id = ?').all(r.saleId)).toEqual([{ method: 'cash', amount_cents: 2000, tendered_cents: 5000 }]);
    const xml = (t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(r.documentId) as { xml: string }).xml;
    expect(xml).toContain(`<cbc:PaymentMeansID>Credito</cbc:PaymentMeansID><cbc:Amount currencyID="PEN">${total.minus('20.00').toFixed(2)}</cbc:Amount>`);
    // The drawer has the down payment, never the credit.
    const x = xReport(t.app.db, t.terminalId, t.cashier.id);
    expect(x.byMethod).toEqual([{ method: 'cash', total: '20.00' }, { method: 'credit', total: total.minus('20.00').toFixed(2) }]);
    expect(x.expectedCash).toBe('120.00');
  });

  it('is refused on a boleta, without a RUC, with broken instalments or more than the total; nothing is written', () => {
    const t = app();
    const before = ['sales', 'sale_instalments', 'documents', 'jobs', 'payments', 'audit_log'].map((n) => count(t, n));
    const { input } = creditSale(t, twoInstalments);
    refused(() => t.app.sell(t.cashier, t.terminalId, { ...input, documentType: '03', customer: { docType: '1', docNumber: '45678912', name: 'ANA' } }), /solo se emite con factura/);
    refused(() => t.app.sell(t.cashier, t.terminalId, { ...input, customer: null }), /cliente identificado con RUC/);
    const { input: early } = creditSale(t, (tot) => [{ amount: tot.toFixed(2), dueDate: '2026-11-27' }]);
    refused(() => t.app.sell(t.cashier, t.terminalId, early), /Cuota 1: la fecha de vencimiento \(27\/11\/2026\) debe ser posterior a la fecha de emisión \(27\/11\/2026\)/);
    const { input: short } = creditSale(t, twoInstalments);
    refused(() => t.app.sell(t.cashier, t.terminalId, { ...short, credit: { ...short.credit!, amount: Dec.of(short.credit!.amount).minus('1').toFixed(2) } }), /Las cuotas suman .* y el monto al crédito es/);
    const { total, input: over } = creditSale(t, (tot) => [{ amount: tot.plus('5').toFixed(2), dueDate: '2026-12-27' }]);
    refused(() => t.app.sell(t.cashier, t.terminalId, over), new RegExp(`no puede ser mayor que el total de la venta \\(S/ ${total.toFixed(2)}\\)`));
    // A down payment that does not reach: the cash and the credit must cover the total.
    const { input: gap } = creditSale(t, (tot) => [{ amount: tot.minus('30.00').toFixed(2), dueDate: '2026-12-27' }], { payments: [{ method: 'card', amount: '10.00' }] });
    refused(() => t.app.sell(t.cashier, t.terminalId, gap), /Falta cobrar S\/ 20.00: el pago a cuenta y el crédito no cubren/);
    expect(['sales', 'sale_instalments', 'documents', 'jobs', 'payments', 'audit_log'].map((n) => count(t, n))).toEqual(before);
  });

  it("passes SUNAT's own checks (UBL schema, SUNAT's factura rules, the signature), with and without a down payment", () => {
    requireCheckCpe();
    const t = app();
    const a = t.app.sell(t.cashier, t.terminalId, creditSale(t, twoInstalments).input);
    const b = t.app.sell(t.cashier, t.terminalId, creditSale(t, (tot) => [{ amount: tot.minus('20.00').toFixed(2), dueDate: '2027-02-01' }], { payments: [{ method: 'cash', amount: '20.00' }] }).input);
    const r = checkStoredDocuments(t.app.db, t.dir, [a.documentId, b.documentId]);
    expect(r.output).toMatch(/2 passed, 0 failed/);
    expect(r.status).toBe(0);
  }, 120_000);

  it('is sent by the runner and accepted by the simulator', async () => {
    const t = app();
    const r = t.app.sell(t.cashier, t.terminalId, creditSale(t, twoInstalments).input);
    const sim = await startSimulator({ port: 0 });
    const ref: { runner?: ReturnType<typeof createRunner> } = {};
    const monitor = new NetworkMonitor({ probe: tcpProbe(sim.url, 500), onChange: (o) => ref.runner?.setOnline(o), minDelayMs: 50, maxDelayMs: 300, onlineIntervalMs: 1000 });
    const runner = (ref.runner = createRunner({ app: t.app, sunat: { url: sim.url, connectTimeoutMs: 1000, responseTimeoutMs: 3000 }, monitor, options: { pollMs: 50, heartbeatMs: 0 } }));
    cleanups.push(() => sim.close(), () => runner.stop(), () => monitor.stop());
    monitor.start();
    runner.start();
    const status = () => (t.app.db.raw.prepare('SELECT status, cdr_code FROM documents WHERE id = ?').get(r.documentId) as { status: string; cdr_code: string | null });
    const end = Date.now() + 10_000;
    while (status().status === 'pending' && Date.now() < end) await new Promise((res) => setTimeout(res, 25));
    expect(status()).toMatchObject({ status: 'accepted' });
  });
});

describe("the simulator holds a factura's credit terms to SUNAT's rules", () => {
  let sim: Simulator;
  let client: SunatClient;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: 'moddatos' });
  });
  afterAll(async () => {
    client?.close();
    await sim?.close();
  });
  let next = 500;
  const factura = (instalments: { amount: string; dueDate: string }[], pending = '236.00'): InvoiceDocument => ({
    ...(saleModel({ type: '01', number: next++, issueDate: '2026-11-27', prices: ['118.00', '118.00'] }) as InvoiceDocument),
    credit: { pending: Dec.of(pending), instalments: instalments.map((c) => ({ amount: Dec.of(c.amount), dueDate: c.dueDate })) },
  });
  const send = (doc: InvoiceDocument) => {
    const s = signedReal(doc);
    return client.sendBill(s.fileName, s.zip);
  };
  it.each([
    ['two instalments summing the pending amount', 'accepted', [{ amount: '118.00', dueDate: '2026-12-27' }, { amount: '118.00', dueDate: '2027-01-26' }], undefined],
    ['Credito without instalments', '3249', [], undefined],
    ['instalments not summing the pending amount', '3319', [{ amount: '118.00', dueDate: '2026-12-27' }, { amount: '117.99', dueDate: '2027-01-26' }], undefined],
    ['a due date on the issue date', '3267', [{ amount: '236.00', dueDate: '2026-11-27' }], undefined],
    ['a pending amount above the total', '3265', [{ amount: '236.01', dueDate: '2026-12-27' }], '236.01'],
  ])('%s → %s', async (_name, expected, cuotas, pending) => {
    const out = await send(factura(cuotas, pending));
    if (expected === 'accepted') expect(out).toMatchObject({ kind: 'accepted' });
    else expect(out).toMatchObject({ kind: 'rejected', responseCode: expected });
  });
});

describe('receivables and collections', () => {
  it('lists the pending instalments by customer; a cash collection enters the drawer with the number as reason and shows on the X; never more than is pending', () => {
    const t = app();
    const { total, input } = creditSale(t, twoInstalments);
    const r = t.app.sell(t.cashier, t.terminalId, input);
    const [a, b] = twoInstalments(total);
    let list = listReceivables(t.app.db, '2026-11-27');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ docNumber: CUSTOMER.docNumber, name: CUSTOMER.name, pending: total.toFixed(2), overdue: false });
    expect(list[0].documents[0].instalments.map((c) => [c.amount, c.dueDate, c.pending])).toEqual([[a.amount, a.dueDate, a.amount], [b.amount, b.dueDate, b.amount]]);

    const before = ['collections', 'cash_moves', 'audit_log'].map((n) => count(t, n));
    refused(() => collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: total.plus('0.01').toFixed(2), method: 'cash' }), /supera lo pendiente de F001-00000001/);
    refused(() => collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: '10.00', method: 'yape' }), /número de operación de Yape/);
    expect(['collections', 'cash_moves', 'audit_log'].map((n) => count(t, n))).toEqual(before);

    const c = collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: '100.00', method: 'cash' });
    expect(c).toMatchObject({ number: 'F001-00000001', amount: '100.00', pending: total.minus('100').toFixed(2) });
    const x = xReport(t.app.db, t.terminalId, t.cashier.id);
    expect(x.moves).toEqual([expect.objectContaining({ kind: 'in', amount: '100.00', reason: 'Cobro F001-00000001' })]);
    expect(x.collections).toEqual({ count: 1, total: '100.00', cash: '100.00' });
    // 100 float + 100 collected; the credit sale itself brought no cash.
    expect(x.expectedCash).toBe('200.00');
    expect(x.byMethod).toEqual([{ method: 'credit', total: total.toFixed(2) }]);
    expect(t.app.db.raw.prepare(`SELECT count(*) n FROM audit_log WHERE action = 'receivable.collect'`).get()).toEqual({ n: 1 });

    // By card, the rest; the instalments are paid in order, then nothing is left and the customer leaves the list.
    list = listReceivables(t.app.db, '2026-11-27');
    expect(list[0].documents[0].instalments[0].pending).toBe(Dec.of(a.amount).gt(100) ? Dec.of(a.amount).minus(100).toFixed(2) : '0.00');
    collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: total.minus('100').toFixed(2), method: 'card' });
    expect(listReceivables(t.app.db, '2026-11-27')).toEqual([]);
    refused(() => collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: '1.00', method: 'cash' }), /ya está pagada/);

    // The daily report: the credit is its own method (not cash), the collections are counted apart.
    const day = dailyReport(t.app.db, '2026-11-27');
    expect(day.byPaymentMethod.credit).toMatchObject({ count: 1, total: total.toFixed(2) });
    expect(day.byPaymentMethod.cash).toBeUndefined();
    expect(day.collections).toEqual({ count: 2, total: total.toFixed(2), cash: '100.00' });
  });

  it('an instalment past its due date is overdue', () => {
    const t = app();
    t.app.sell(t.cashier, t.terminalId, creditSale(t, twoInstalments).input);
    const [c] = listReceivables(t.app.db, '2026-12-28');
    expect(c.overdue).toBe(true);
    expect(c.documents[0].instalments.map((i) => i.overdue)).toEqual([true, false]);
  });

  it('a factura on credit with collections is not voided (the money collected would stand against nothing)', () => {
    const t = app();
    const r = t.app.sell(t.cashier, t.terminalId, creditSale(t, twoInstalments).input);
    collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: '10.00', method: 'card' });
    t.app.db.raw.prepare(`UPDATE documents SET status = 'accepted' WHERE id = ?`).run(r.documentId);
    refused(() => voidSale(t.app, t.supervisor.id, r.number, 'ERROR EN EL PEDIDO'), /fue al crédito y tiene cobros registrados/);
    expect(t.app.db.raw.prepare('SELECT status FROM sales WHERE id = ?').get(r.saleId)).toEqual({ status: 'completed' });
  });

  it('a cash collection needs an open drawer', () => {
    const t = app();
    const r = t.app.sell(t.cashier, t.terminalId, creditSale(t, twoInstalments).input);
    closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, '100.00');
    refused(() => collect(t.app.db, t.clock.now(), t.terminalId, t.cashier, { saleId: r.saleId, amount: '10.00', method: 'cash' }), /No hay caja abierta/);
    expect(count(t, 'collections')).toBe(0);
  });
});
