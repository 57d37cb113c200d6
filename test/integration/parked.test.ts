// Parked sales (issue 15) at the service: what a parked cart keeps, that it survives closing the app, that a recall
// takes it off the list exactly once, and that a product deactivated meanwhile is named, not silently dropped.
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createApp } from '../../src-main/app';
import { demoApp, productByBarcode, type TestApp } from '../helpers/app';
import { listParked, parkCart, recallCart } from '../../src-main/pos/parked';
import { ApiError } from '../../src-shared/contract';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SODA = '7750000000014'; // S/ 2.50
const BAG = '7759999999996'; // S/ 0.10 + S/ 0.50 ICBPER

function cart(t: TestApp) {
  const soda = productByBarcode(t.app, SODA);
  const bag = productByBarcode(t.app, BAG);
  return {
    soda, bag,
    input: {
      documentType: '01' as const, customer: { docType: '6' as const, docNumber: '20123456786', name: 'BODEGA EL SOL SAC' },
      lines: [{ productId: soda.id, quantity: '2', discount: { kind: 'amount' as const, value: '0.50' } }, { productId: bag.id, quantity: '1' }],
    },
  };
}

describe('parked sales', () => {
  it('keep lines, discount, customer and document type; survive the app closing; a recall takes them off once', async () => {
    const t = demoApp();
    const { input, soda } = cart(t);
    const parked = parkCart(t.app.db, t.clock.now(), t.terminalId, t.cashier, input);
    // 2 × 2.50 − 0.50 + 0.10 + 0.50 ICBPER
    expect(parked).toMatchObject({ label: 'BODEGA EL SOL SAC', total: '5.10', userName: t.cashier.name });
    expect(parked.items).toMatch(/^3 artículos: /);
    // No sale, no stock, no document: only the parked row.
    expect((t.app.db.raw.prepare('SELECT count(*) n FROM sales').get() as { n: number }).n).toBe(0);
    expect(productByBarcode(t.app, SODA).stock).toBe(soda.stock);
    const dir = t.dir;
    await t.app.close();

    const again = createApp({ dataDir: dir });
    cleanups.push(async () => {
      await again.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    expect(listParked(again.db, t.terminalId)).toHaveLength(1);
    expect(listParked(again.db, 'OTRA-CAJA')).toHaveLength(0);
    const back = recallCart(again.db, t.terminalId, parked.id);
    expect(back).toMatchObject({ documentType: '01', customer: input.customer, missing: [] });
    expect(back.lines.map((l) => [l.product.barcode, l.quantity, l.discount])).toEqual([[SODA, '2', { kind: 'amount', value: '0.50' }], [BAG, '1', null]]);
    expect(listParked(again.db, t.terminalId)).toHaveLength(0);
    expect(() => recallCart(again.db, t.terminalId, parked.id)).toThrow(/ya no está/);
  });

  it('a product deactivated while the cart waited is named and left out; an inactive product cannot be parked', () => {
    const t = demoApp();
    cleanups.push(() => t.close());
    const { input, soda } = cart(t);
    const parked = parkCart(t.app.db, t.clock.now(), t.terminalId, t.cashier, input);
    t.app.db.raw.prepare('UPDATE products SET active = 0 WHERE id = ?').run(soda.id);
    const back = recallCart(t.app.db, t.terminalId, parked.id);
    expect(back.missing).toEqual([soda.name]);
    expect(back.lines).toHaveLength(1);
    let err: unknown;
    try {
      parkCart(t.app.db, t.clock.now(), t.terminalId, t.cashier, input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/Línea 1: el producto no existe o está inactivo/);
    expect(listParked(t.app.db, t.terminalId)).toHaveLength(0);
  });
});
