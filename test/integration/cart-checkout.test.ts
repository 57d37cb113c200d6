// The cart's total (src-renderer/cart.ts, what the screen shows and the Cobrar dialog pre-fills) against what the
// checkout records on a real SQLite file, through the contract, for every tax case: paid exactly the total shown,
// the server must accept it and record that total, line by line.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { setSetting } from '../../src-main/db/settings';
import type { CheckoutResult, ProductView, TaxRatesView } from '../../src-shared/contract';
import type { Discount } from '../../src-shared/tax';
import { limaDate } from '../../src-shared/time';
import { cartAmounts, type CartLine } from '../../src-renderer/cart';
import { demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
let api: Api;
let token: string;

beforeEach(async () => {
  t = demoApp();
  api = new Api(t.app);
  // An admin: no discount limit (test/integration/discounts.test.ts has the limits), so every case reaches the tax math.
  token = ((await api.invoke('auth.login', { username: 'admin', pin: '1111' }, undefined)) as { token: string }).token;
});
afterEach(() => t.close());

interface Item {
  price: string;
  tax: string;
  bag?: boolean;
  qty: string;
  discount?: Discount;
}

let sku = 0;
function product(item: Item): ProductView {
  const now = t.clock.now().toISOString();
  sku += 1;
  const barcode = `990000${String(sku).padStart(6, '0')}`;
  t.app.db.raw
    .prepare(`INSERT INTO products (sku, barcode, name, price, tax_affectation, is_bag, unit_code, stock, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)`)
    .run(`T${sku}`, barcode, `PRODUCTO ${sku}`, item.price, item.tax, item.bag ? 1 : 0, item.bag ? 'NIU' : 'KGM', '100', now, now);
  return { barcode } as ProductView;
}

const call = (name: string, input: unknown) => api.invoke(name, input, token);

/** What the POS does: rates and products through the contract, the cart's total, paid exactly in cash. */
async function ringUp(items: Item[]) {
  const rates = (await call('sales.taxRates', {})) as TaxRatesView;
  const lines: CartLine[] = [];
  for (const item of items) {
    const view = (await call('catalog.byBarcode', { barcode: product(item).barcode })) as ProductView;
    lines.push({ product: view, quantity: item.qty, discount: item.discount ?? null });
  }
  const cart = cartAmounts(lines, rates);
  if (cart.error !== null) throw new Error(cart.error);
  const shown = cart.totals.payable.toFixed(2);
  const result = (await call('sales.checkout', {
    documentType: '03',
    lines: lines.map((l) => ({ productId: l.product.id, quantity: l.quantity, ...(l.discount ? { discount: l.discount } : {}) })),
    payments: [{ method: 'cash', amount: shown }],
  })) as CheckoutResult;
  const sale = t.app.db.raw.prepare('SELECT total_cents, icbper_cents, change_cents FROM sales WHERE id = ?').get(result.saleId) as {
    total_cents: number; icbper_cents: number; change_cents: number;
  };
  const recordedLines = t.app.db.raw.prepare('SELECT total_cents, icbper_cents FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(result.saleId) as {
    total_cents: number; icbper_cents: number;
  }[];
  return { cart, shown, result, sale, recordedLines, rates };
}

const FREE_CODES = ['11', '12', '13', '14', '15', '16', '21', '31', '32', '33', '34', '35', '36', '37'];
const soda: Item = { price: '2.50', tax: '10', qty: '1' };

const CASES: [string, Item[], string][] = [
  ['gravado', [{ price: '2.50', tax: '10', qty: '3' }], '7.50'],
  ['a product and a plastic bag (the issue)', [soda, { price: '0.10', tax: '10', bag: true, qty: '1' }], '3.10'],
  ['bags alone', [{ price: '0.10', tax: '10', bag: true, qty: '3' }], '1.80'],
  ['exonerado by weight', [{ price: '4.50', tax: '20', qty: '0.375' }], '1.69'],
  ['inafecto', [{ price: '29.90', tax: '30', qty: '1' }], '29.90'],
  ['a free bag (bonificación): the customer pays its ICBPER only', [soda, { price: '0.10', tax: '15', bag: true, qty: '2' }], '3.50'],
  ['amount discount on gravado', [{ price: '10.90', tax: '10', qty: '2', discount: { kind: 'amount', value: '1.00' } }], '20.80'],
  ['percent discount on gravado', [{ price: '3.33', tax: '10', qty: '3', discount: { kind: 'percent', value: '12.5' } }], '8.74'],
  ['percent discount on exonerado', [{ price: '8.90', tax: '20', qty: '1.250', discount: { kind: 'percent', value: '15' } }], '9.46'],
  ['amount discount on inafecto', [{ price: '6.00', tax: '30', qty: '2', discount: { kind: 'amount', value: '0.50' } }], '11.50'],
  [
    'mixed: gravado, exonerado, inafecto, free, bags and a discount',
    [
      { price: '10.50', tax: '10', qty: '2', discount: { kind: 'percent', value: '10' } },
      { price: '2.20', tax: '20', qty: '1.5' },
      { price: '3.50', tax: '30', qty: '1' },
      { price: '5.90', tax: '13', qty: '1' },
      { price: '0.10', tax: '10', bag: true, qty: '2' },
    ],
    '26.90',
  ],
  ...FREE_CODES.map((code): [string, Item[], string] => [`free item ${code} beside a paid one`, [soda, { price: '5.90', tax: code, qty: '2' }], '2.50']),
];

describe('the cart total is what the checkout records', () => {
  it.each(CASES)('%s', async (_name, items, expected) => {
    const { cart, shown, result, sale, recordedLines } = await ringUp(items);
    expect(shown).toBe(expected);
    expect(result.total).toBe(shown);
    expect(result.change).toBe('0.00');
    expect(sale.total_cents).toBe(cart.totals.payable.toCents());
    expect(sale.icbper_cents).toBe(cart.totals.icbper.toCents());
    expect(recordedLines.map((l) => l.total_cents)).toEqual(cart.lines.map((l) => l.total.toCents()));
    expect(recordedLines.map((l) => l.icbper_cents)).toEqual(cart.lines.map((l) => l.icbper.toCents()));
  });

  it('follows a rate change in force from today (IGV and ICBPER come from the contract, never from the code)', async () => {
    const today = limaDate(t.clock.now());
    setSetting(t.app.db, 'taxRateChanges', [{ tax: 'icbper', rate: '0.60', from: today }, { tax: 'igv', rate: '0.10', from: today }]);
    const { shown, result, rates, sale } = await ringUp([{ price: '11.90', tax: '10', qty: '1', discount: { kind: 'percent', value: '50' } }, { price: '0.10', tax: '10', bag: true, qty: '2' }]);
    expect(rates).toEqual({ date: today, igv: '0.10', icbper: '0.60' });
    expect(shown).toBe('7.35');
    expect(result.total).toBe(shown);
    expect(sale.icbper_cents).toBe(120);
  });

  it('half a bag is refused the same way by the cart and by the checkout', async () => {
    const rates = (await call('sales.taxRates', {})) as TaxRatesView;
    const view = (await call('catalog.byBarcode', { barcode: product({ price: '0.10', tax: '10', bag: true, qty: '1' }).barcode })) as ProductView;
    const cart = cartAmounts([{ product: view, quantity: '1.5' }], rates);
    expect(cart.error).toBe('Línea 1: la cantidad de bolsas debe ser un número entero.');
    await expect(call('sales.checkout', { documentType: '03', lines: [{ productId: view.id, quantity: '1.5' }], payments: [{ method: 'cash', amount: '5' }] })).rejects.toThrow(
      'Línea 1: la cantidad de bolsas debe ser un número entero.',
    );
  });
});
