// Parked sales (issue 15): the cashier sets the current cart aside (F5) to serve the next customer and recalls it
// later, on this terminal, even after a restart. A parked cart is not a sale: no number, no stock, no document; it
// keeps what the screen needs to put it back, and prices are those of the moment it is recalled (the checkout
// recomputes everything anyway).
import type { Db } from '../db/connection';
import type { Product, User } from '../db/schema';
import type { ParkedCartInput, ParkedCartRow, RecalledCart } from '../../src-shared/contract';
import { computePricedSale } from '../../src-shared/sale-lines';
import { Dec } from '../../src-shared/decimal';
import { limaDate } from '../../src-shared/time';
import { taxRatesOn } from '../db/settings';
import { notFound, ruleError } from '../errors';
import { productView } from './catalog';

function activeProduct(db: Db, id: number): Product | undefined {
  return db.first(db.q.selectFrom('products').selectAll().where('id', '=', id).where('active', '=', 1));
}

export function parkCart(db: Db, now: Date, terminalId: string, user: Pick<User, 'id'>, input: ParkedCartInput): ParkedCartRow {
  const products = input.lines.map((l, i) => {
    const p = activeProduct(db, l.productId);
    if (!p) throw ruleError(`Línea ${i + 1}: el producto no existe o está inactivo.`);
    return p;
  });
  const priced = computePricedSale(
    input.lines.map((l, i) => ({ quantity: l.quantity, unitPrice: l.unitPrice ?? products[i].price, taxAffectation: products[i].tax_affectation, isBag: products[i].is_bag === 1, discount: l.discount ?? null })),
    taxRatesOn(db, limaDate(now)),
    input.globalDiscount,
  );
  const count = input.lines.reduce((a, l) => a.plus(l.quantity), Dec.ZERO);
  const items = `${count.toString()} ${count.eq(1) ? 'artículo' : 'artículos'}: ${products.slice(0, 3).map((p) => p.name).join(', ')}${products.length > 3 ? '…' : ''}`;
  const label = input.label?.trim() || (input.customer && input.customer.docType !== '-' ? input.customer.name : `Venta en espera de ${now.toISOString().slice(11, 16)}`);
  const total = priced.totals.payable;
  const cart = { documentType: input.documentType, customer: input.customer ?? null, lines: input.lines, globalDiscount: input.globalDiscount ?? null };
  const id = db.tx(() =>
    db.run(db.q.insertInto('parked_carts').values({
      terminal_id: terminalId, user_id: user.id, label, cart: JSON.stringify(cart), items, total_cents: total.toCents(), created_at: now.toISOString(),
    })).lastInsertRowid,
  );
  return listParked(db, terminalId).find((r) => r.id === id)!;
}

export function listParked(db: Db, terminalId: string): ParkedCartRow[] {
  return db.all(
    db.q.selectFrom('parked_carts as c').innerJoin('users as u', 'u.id', 'c.user_id')
      .select(['c.id', 'c.label', 'c.items', 'c.total_cents', 'c.created_at', 'u.name'])
      .where('c.terminal_id', '=', terminalId).orderBy('c.id'),
  ).map((r) => ({ id: r.id, label: r.label, items: r.items, total: Dec.fromCents(r.total_cents).toFixed(2), userName: r.name, createdAt: r.created_at }));
}

/** Takes a parked cart back (and off the list) in one transaction: two cashiers cannot both recall it. */
export function recallCart(db: Db, terminalId: string, id: number): RecalledCart {
  return db.tx(() => {
    const row = db.first(db.q.selectFrom('parked_carts').selectAll().where('id', '=', id).where('terminal_id', '=', terminalId));
    if (!row) throw notFound('Esa venta en espera ya no está (otra persona la retomó).');
    db.run(db.q.deleteFrom('parked_carts').where('id', '=', id));
    const cart = JSON.parse(row.cart) as Omit<ParkedCartInput, 'label'>;
    const missing: string[] = [];
    const lines: RecalledCart['lines'] = [];
    for (const l of cart.lines) {
      const p = activeProduct(db, l.productId);
      if (!p) {
        const gone = db.first(db.q.selectFrom('products').select('name').where('id', '=', l.productId));
        missing.push(gone?.name ?? `producto ${l.productId}`);
        continue;
      }
      lines.push({ product: productView(p), quantity: l.quantity, discount: l.discount ?? null, ...(l.unitPrice ? { unitPrice: l.unitPrice } : {}) });
    }
    // A parked cart keeps its discounts and prices; an approval does not travel with it (it is asked again at Cobrar).
    return { documentType: cart.documentType, customer: cart.customer ?? null, lines, globalDiscount: cart.globalDiscount ?? null, missing };
  });
}
