// `demo sales`: rings up varied sales through the same checkout as the POS, for demos and load tests.
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import type { Clock } from '../adapters';
import type { CommittedSale } from './checkout';
import type { CheckoutInput } from '../../src-shared/contract';
import { computeSale, type TaxAffectation } from '../../src-shared/tax';
import { currentSession, openSession } from './cash';
import { getSetting } from '../db/settings';
import { BOLETA_ANONYMOUS_LIMIT } from '../../src-shared/documents';

/** A small deterministic generator, so a demo data set can be reproduced. */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the demo sales use of the app (the App satisfies it): the database, the clock, and the app's own checkout. */
export interface DemoSalesDeps {
  db: Db;
  clock: Clock;
  sell(user: Pick<User, 'id' | 'role'>, terminalId: string, input: CheckoutInput): CommittedSale;
}

export function ringUpDemoSales(app: DemoSalesDeps, count: number, seed = 1): { count: number; first: string; last: string } {
  const db = app.db;
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const terminalId = getSetting(db, 'terminalId');
  const cashier = db.first(
    db.q.selectFrom('users').select(['id', 'role']).where('active', '=', 1)
      .orderBy((eb) => eb('role', '=', 'cashier'), 'desc').orderBy('id').limit(1),
  ) as { id: number; role: 'cashier' };
  if (!cashier) throw new Error('No hay usuarios: cargue la tienda demo con "izisales seed".');
  if (!currentSession(db, terminalId, cashier.id)) openSession(db, app.clock.now(), terminalId, cashier.id, '100.00');
  const products = db.all(db.q.selectFrom('products').select(['id', 'price', 'tax_affectation']).where('active', '=', 1).where('is_bag', '=', 0));
  const customers = (docType: '6' | '1') => db.all(db.q.selectFrom('customers').select(['doc_type', 'doc_number', 'name']).where('doc_type', '=', docType));
  const rucs = customers('6') as { doc_type: '6'; doc_number: string; name: string }[];
  const dnis = customers('1') as { doc_type: '1'; doc_number: string; name: string }[];
  let first = '';
  let last = '';
  for (let i = 0; i < count; i++) {
    const factura = rucs.length > 0 && rnd() < 0.15;
    const lines = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => ({
      productId: pick(products).id,
      quantity: String(1 + Math.floor(rnd() * 3)),
      discount: rnd() < 0.1 ? { kind: 'percent' as const, value: '5' } : null,
    }));
    const total = computeSale(lines.map((l) => {
      const p = products.find((x) => x.id === l.productId)!;
      return { quantity: l.quantity, unitPrice: p.price, taxAffectation: p.tax_affectation as TaxAffectation, discount: l.discount };
    })).totals.payable;
    const c = factura ? pick(rucs) : total.gt(BOLETA_ANONYMOUS_LIMIT) || rnd() < 0.2 ? (dnis.length ? pick(dnis) : null) : null;
    const method = pick(['cash', 'cash', 'card', 'yape', 'plin'] as const);
    const amount = method === 'cash' ? total.round(0).plus(rnd() < 0.5 ? 10 : 1).toFixed(2) : total.round(2).toFixed(2);
    const input: CheckoutInput = {
      documentType: factura ? '01' : '03',
      customer: c ? { docType: c.doc_type, docNumber: c.doc_number, name: c.name } : null,
      lines,
      payments: [{ method, amount, reference: method === 'cash' ? undefined : `OP${100000 + i}` }],
    };
    const r = app.sell(cashier, terminalId, input);
    if (i === 0) first = r.number;
    last = r.number;
  }
  return { count, first, last };
}
