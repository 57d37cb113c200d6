import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkout } from '../../src-main/pos/checkout';
import type { CheckoutInput } from '../../src-shared/contract';
import { ApiError } from '../../src-shared/contract';
import { closeSession, cashMove, xReport } from '../../src-main/pos/cash';
import { BROAD_SEARCH, createProduct, searchProducts } from '../../src-main/pos/catalog';
import { count, demoApp, productByBarcode, type TestApp } from '../helpers/app';

let t: TestApp;
beforeEach(() => {
  t = demoApp();
});
afterEach(() => t.close());

const sell = (input: CheckoutInput, user = t.cashier) => checkout({ db: t.app.db, now: t.clock.now(), terminalId: t.terminalId, user }, input);
const firstProducts = (n: number) => t.app.db.raw.prepare(`SELECT * FROM products WHERE tax_affectation = '10' AND is_bag = 0 ORDER BY id LIMIT ?`).all(n) as { id: number; price: string; stock: string }[];
const tables = ['sales', 'sale_lines', 'payments', 'stock_moves', 'documents', 'jobs', 'customers'];
const snapshot = () => Object.fromEntries(tables.map((x) => [x, count(t.app, x)]));

describe('checkout', () => {
  it('records the sale, lines, payments, stock moves, the pending document and its sunat.send job in one go', () => {
    const [a, b] = firstProducts(2);
    const r = sell({ documentType: '03', lines: [{ productId: a.id, quantity: '2' }, { productId: b.id, quantity: '1' }], payments: [{ method: 'cash', amount: '200.00' }] });
    expect(r.number).toBe('B001-00000001');
    const sale = t.app.db.first(t.app.db.q.selectFrom('sales').selectAll().where('id', '=', r.saleId))!;
    expect(sale.total_cents).toBe(r.total.toCents());
    expect(sale.change_cents).toBe(20000 - r.total.toCents());
    expect(count(t.app, 'sale_lines')).toBe(2);
    expect(count(t.app, 'stock_moves')).toBe(2);
    const doc = t.app.db.first(t.app.db.q.selectFrom('documents').selectAll().where('sale_id', '=', r.saleId))!;
    expect(doc.status).toBe('pending');
    expect(doc.file_name).toBe('20601234565-03-B001-00000001');
    const job = t.app.db.first(t.app.db.q.selectFrom('jobs').selectAll())!;
    expect([job.kind, job.state, job.idempotency_key]).toEqual(['sunat.send', 'queued', '20601234565-03-B001-00000001']);
    const pay = t.app.db.first(t.app.db.q.selectFrom('payments').selectAll())!;
    expect(pay.amount_cents).toBe(r.total.toCents());
    expect(pay.tendered_cents).toBe(20000);
  });

  it('recomputes every amount from the catalog (the UI sends no prices)', () => {
    const p = productByBarcode(t.app, '7750000000014');
    const r = sell({ documentType: '03', lines: [{ productId: p.id, quantity: '3' }], payments: [{ method: 'cash', amount: '1000.00' }] });
    const expected = (Number(p.price.replace('.', '')) * 3) / 100;
    expect(r.total.toFixed(2)).toBe(expected.toFixed(2));
    const line = t.app.db.first(t.app.db.q.selectFrom('sale_lines').selectAll())!;
    expect(line.unit_price).toBe(p.price.replace(/\.?0+$/, ''));
    expect(line.value_cents + line.igv_cents).toBe(r.total.toCents());
  });

  it('numbers boletas and facturas in their own series without gaps', () => {
    const [a] = firstProducts(1);
    const numbers = [];
    for (let i = 0; i < 3; i++) numbers.push(sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }).number);
    numbers.push(sell({ documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'Distribuidora' }, lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }).number);
    numbers.push(sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }).number);
    expect(numbers).toEqual(['B001-00000001', 'B001-00000002', 'B001-00000003', 'F001-00000001', 'B001-00000004']);
  });

  it('allows negative stock, flags it, and never blocks the sale', () => {
    const [a] = firstProducts(1);
    const r = sell({ documentType: '03', lines: [{ productId: a.id, quantity: String(Number(a.stock) + 5) }], payments: [{ method: 'cash', amount: '9999' }] });
    expect(r.negativeStock).toBe(true);
    const p = t.app.db.first(t.app.db.q.selectFrom('products').select('stock').where('id', '=', a.id))!;
    expect(p.stock).toBe('-5');
  });

  it('sells plastic bags as their own line with ICBPER per bag', () => {
    const [a] = firstProducts(1);
    const bag = t.app.db.first(t.app.db.q.selectFrom('products').selectAll().where('is_bag', '=', 1))!;
    const r = sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }, { productId: bag.id, quantity: '2' }], payments: [{ method: 'cash', amount: '500' }] });
    const s = t.app.db.first(t.app.db.q.selectFrom('sales').selectAll().where('id', '=', r.saleId))!;
    expect(s.icbper_cents).toBe(100);
    expect(() => sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1', bags: 1 }], payments: [{ method: 'cash', amount: '500' }] })).toThrow(/su propio producto/);
    expect(() => sell({ documentType: '03', lines: [{ productId: bag.id, quantity: '1.5' }], payments: [{ method: 'cash', amount: '500' }] })).toThrow(/entero/);
  });

  it('splits payments across methods and gives change only from cash', () => {
    const [a] = firstProducts(1);
    const total = sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '1000' }] }).total;
    const r = sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'yape', amount: '0.50', reference: '123456' }, { method: 'cash', amount: total.toFixed(2) }] });
    expect(r.change.toFixed(2)).toBe('0.50');
  });

  // Each refused checkout leaves every table as it was.
  const refusals: [string, () => CheckoutInput, RegExp][] = [
    ['a factura without a customer', () => ({ documentType: '01', lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }), /RUC del cliente/],
    ['a factura for a DNI', () => ({ documentType: '01', customer: { docType: '1', docNumber: '45678912', name: 'Ana' }, lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }), /RUC del cliente/],
    ['a factura with an invalid RUC', () => ({ documentType: '01', customer: { docType: '6', docNumber: '20123456780', name: 'X' }, lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }), /RUC no es válido/],
    ['an anonymous boleta over S/ 700.00', () => ({ documentType: '03', lines: [{ productId: firstProducts(1)[0].id, quantity: '400' }], payments: [{ method: 'cash', amount: '99999' }] }), /700\.00 debe identificar/],
    ['a short payment', () => ({ documentType: '03', lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'cash', amount: '0.01' }] }), /Falta cobrar/],
    ['a card paying more than the total', () => ({ documentType: '03', lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'card', amount: '999' }] }), /Solo el pago en efectivo/],
    ['Yape without its operation number', () => ({ documentType: '03', lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'yape', amount: '999' }] }), /número de operación/],
    ['an unknown product', () => ({ documentType: '03', lines: [{ productId: 999999, quantity: '1' }], payments: [{ method: 'cash', amount: '1' }] }), /no existe/],
    ['a cashier discount over the limit', () => ({ documentType: '03', lines: [{ productId: firstProducts(1)[0].id, quantity: '1', discount: { kind: 'percent', value: '50' } }], payments: [{ method: 'cash', amount: '100' }] }), /supervisor/],
  ];
  it.each(refusals)('refuses %s and records nothing', (_name, input, message) => {
    const before = snapshot();
    expect(() => sell(input())).toThrow(message);
    expect(snapshot()).toEqual(before);
  });

  it('accepts a boleta of exactly S/ 700.00 without a customer, and S/ 700.01 with a DNI', () => {
    const now = new Date().toISOString();
    const id = (price: string) => Number(t.app.db.raw.prepare(`INSERT INTO products (sku, name, price, created_at, updated_at) VALUES (?, 'TV', ?, ?, ?)`).run(`TV${price}`, price, now, now).lastInsertRowid);
    expect(sell({ documentType: '03', lines: [{ productId: id('700.00'), quantity: '1' }], payments: [{ method: 'cash', amount: '700' }] }).total.toFixed(2)).toBe('700.00');
    const p = id('700.01');
    expect(() => sell({ documentType: '03', lines: [{ productId: p, quantity: '1' }], payments: [{ method: 'cash', amount: '700.01' }] })).toThrow(/identificar/);
    expect(sell({ documentType: '03', customer: { docType: '1', docNumber: '45678912', name: 'Ana' }, lines: [{ productId: p, quantity: '1' }], payments: [{ method: 'cash', amount: '700.01' }] }).number).toMatch(/^B001-/);
  });

  it('refuses to sell without an open cash session', () => {
    closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, '100.00');
    const before = snapshot();
    const err = (() => {
      try {
        sell({ documentType: '03', lines: [{ productId: firstProducts(1)[0].id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/Abra la caja/);
    expect(snapshot()).toEqual(before);
  });

  it('1,000 checkouts: numbers 1..1000 without gaps, every sale with its lines, payments and job', () => {
    const ps = firstProducts(20);
    for (let i = 0; i < 1000; i++) {
      const lines = [0, 1, 2].map((k) => ({ productId: ps[(i + k * 7) % ps.length].id, quantity: String(1 + ((i + k) % 3)) }));
      sell({ documentType: '03', lines, payments: [{ method: 'cash', amount: '9999' }] });
    }
    const corr = (t.app.db.raw.prepare(`SELECT correlative FROM sales ORDER BY correlative`).all() as { correlative: number }[]).map((r) => r.correlative);
    expect(corr).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const orphans = t.app.db.raw.prepare(`SELECT count(*) n FROM sales s WHERE (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) <> 3
      OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id) OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.sale_id = s.id)
      OR NOT EXISTS (SELECT 1 FROM jobs j JOIN documents d ON j.idempotency_key = d.file_name WHERE d.sale_id = s.id)`).get() as { n: number };
    expect(orphans.n).toBe(0);
    const sums = t.app.db.raw.prepare(`SELECT count(*) n FROM sales s WHERE total_cents <> (SELECT sum(total_cents) FROM sale_lines l WHERE l.sale_id = s.id)`).get() as { n: number };
    expect(sums.n).toBe(0);
  });
});

describe('catalog search served by SQLite', () => {
  it('matches words in any order, ignoring accents and case, as prefixes', () => {
    const names = (q: string) => searchProducts(t.app.db, q).map((p) => p.name);
    expect(names('inca kola').every((n) => n.includes('INCA KOLA'))).toBe(true);
    expect(names('kola INCA').length).toBeGreaterThan(0);
    expect(names('costeno arroz').some((n) => n.includes('COSTEÑO'))).toBe(true);
    expect(names('limón').some((n) => n.includes('LIMON'))).toBe(true);
    expect(names('gase')).not.toHaveLength(0);
    expect(names('zzzz')).toEqual([]);
  });
  it('finds a product by its exact barcode', () => {
    expect(searchProducts(t.app.db, '7750000000014')[0].barcode).toBe('7750000000014');
  });
  it('a search that matches more than a thousand products lists the shortest names first, every one matching', () => {
    t.app.db.tx(() => {
      for (let i = 0; i < BROAD_SEARCH + 200; i++) {
        createProduct(t.app.db, t.clock.now(), { sku: `AC${i}`, name: `AGUA CIELO ${'SIN GAS '.repeat(i % 3)}${i % 50 === 0 ? '' : 'BOTELLA '}${i}`, price: '1.50' });
      }
    });
    const found = searchProducts(t.app.db, 'cielo agua');
    expect(found).toHaveLength(20);
    expect(found.every((p) => p.name.includes('AGUA') && p.name.includes('CIELO'))).toBe(true);
    const lengths = found.map((p) => p.name.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    const shortest = t.app.db.raw.prepare("SELECT min(length(name)) AS m FROM products WHERE name LIKE '%AGUA CIELO%' AND active = 1").get() as { m: number };
    expect(lengths[0]).toBe(shortest.m);
    // Typed further, the same words narrow it to a few, ranked as before.
    expect(searchProducts(t.app.db, 'agua cielo sin gas 1150').map((p) => p.name)).toEqual(['AGUA CIELO SIN GAS 1150']);
  });
});

describe('cash session', () => {
  it('X and Z reports: expected cash = float + cash sales + cash in - cash out; the difference is counted - expected', () => {
    const [a] = firstProducts(1);
    const r1 = sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'cash', amount: '500' }] });
    sell({ documentType: '03', lines: [{ productId: a.id, quantity: '1' }], payments: [{ method: 'card', amount: r1.total.toFixed(2) }] });
    cashMove(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, 'in', '50.00', 'sencillo');
    cashMove(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, 'out', '20.00', 'pago proveedor');
    const expected = r1.total.plus('100.00').plus('30.00');
    const x = xReport(t.app.db, t.terminalId, t.cashier.id);
    expect(x.expectedCash).toBe(expected.toFixed(2));
    expect(x.salesCount).toBe(2);
    const z = closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, expected.minus('1.50').toFixed(2));
    expect(z.kind).toBe('Z');
    expect(z.zNumber).toBe(1);
    expect(z.difference).toBe('-1.50');
    expect(() => closeSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, '0')).toThrow(/No hay caja abierta/);
  });
});
