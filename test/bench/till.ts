// The cashier's side of a bench: the app as `serve` and the shell run it (AppHost: the services, the runner, the
// logger listening to the status), a cashier logged in through the Api, and `sales.checkout` called with the input the
// Cobrar dialog sends. A call is timed from the call to its answer: the checkout transaction, the signature (the
// ticket prints the hash), the after-sale hooks and reading the document back.
import { performance } from 'node:perf_hooks';
import { AppHost } from '../../src-main/runtime';
import type { CheckoutInput } from '../../src-shared/contract';

export interface Till {
  host: AppHost;
  /**
   * One sale through `sales.checkout`; `sellMs` is the part spent in app.sell (the checkout transaction, the signature
   * and the hooks), `txMs` the checkout transaction alone (pos/checkout.ts, its durable commit included).
   */
  sell(i: number): Promise<{ callMs: number; sellMs: number; txMs: number; documentId: number; saleId: number; lines: number }>;
  /**
   * A return of the sale's first two lines, one unit each, refunded in cash, through `sales.return` as the return
   * dialog calls it: timed from the call to its answer (the credit note's transaction and its signature).
   */
  returnTwo(saleId: number): Promise<{ callMs: number }>;
  /** Every app.status() computed since the last call (for the status listeners). */
  takeStatusTimes(): number[];
  stop(): Promise<void>;
}

/** What PayDialog sends: 1 in 10 a factura for a customer found with F4, 1 to 5 lines, cash handed over. */
export function screenInput(i: number, products: number[]): CheckoutInput {
  const factura = i % 10 === 0;
  return {
    documentType: factura ? '01' : '03',
    customer: factura ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE DE PRUEBA S.A.C.' } : null,
    lines: Array.from({ length: 1 + ((i * 7) % 5) }, (_, k) => ({ productId: products[(i * 3 + k * 11) % products.length], quantity: k === 1 ? '2' : '1' })),
    payments: [{ method: 'cash', amount: '200.00' }],
  };
}

export async function openTill(dataDir: string, sunatUrl: string): Promise<Till> {
  const host = await AppHost.start({ dataDir, sunatUrl });
  const { token } = (await host.invoke('auth.login', { username: 'cashier', pin: '3333' }, undefined)) as { token: string };
  const open = (await host.invoke('cash.xReport', {}, token).then(() => true, () => false));
  if (!open) await host.invoke('cash.open', { openingFloat: '100.00' }, token);
  const products = (host.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
  // Times app.sell inside the call: the Api's handler calls it through the app object.
  const app = host.app;
  const sell = app.sell.bind(app);
  let sellMs = 0;
  let documentId = 0;
  let saleId = 0;
  // The checkout transaction: the first transaction app.sell opens (the signature's store is the second).
  const tx = app.db.tx.bind(app.db);
  let selling = false;
  let txMs = 0;
  app.db.tx = (fn, o) => {
    if (!selling || txMs > 0 || app.db.raw.inTransaction) return tx(fn, o);
    const t = performance.now();
    try {
      return tx(fn, o);
    } finally {
      txMs = performance.now() - t;
    }
  };
  app.sell = (user, terminalId, input) => {
    const t = performance.now();
    selling = true;
    txMs = 0;
    let r;
    try {
      r = sell(user, terminalId, input);
    } finally {
      selling = false;
    }
    sellMs = performance.now() - t;
    documentId = r.documentId;
    saleId = r.saleId;
    return r;
  };
  // And app.status(), which statusChanged computes for the listeners (the status bar, the log), at most once per STATUS_EVERY_MS.
  const status = app.status.bind(app);
  let statusTimes: number[] = [];
  app.status = () => {
    const t = performance.now();
    const s = status();
    statusTimes.push(performance.now() - t);
    return s;
  };
  return {
    host,
    async sell(i) {
      const input = screenInput(i, products);
      const t = performance.now();
      const r = (await host.invoke('sales.checkout', input, token)) as { signed: boolean };
      const callMs = performance.now() - t;
      if (!r.signed) throw new Error('sales.checkout answered without the signed hash');
      return { callMs, sellMs, txMs, documentId, saleId, lines: input.lines.length };
    },
    async returnTwo(id) {
      const t = performance.now();
      const r = (await host.invoke('sales.return', { saleId: id, lines: [{ lineNo: 1, quantity: '1' }, { lineNo: 2, quantity: '1' }], reasonCode: '07', refund: 'cash' }, token)) as { signed: boolean };
      const callMs = performance.now() - t;
      if (!r.signed) throw new Error('sales.return answered without the signed hash');
      return { callMs };
    },
    takeStatusTimes() {
      const out = statusTimes;
      statusTimes = [];
      return out;
    },
    stop: () => host.stop(),
  };
}
