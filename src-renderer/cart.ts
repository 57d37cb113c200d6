// Cart state and its totals. The amounts come from src-shared/sale-lines.ts, the same code the main process's
// checkout runs with the same rates (sales.taxRates), so the total shown — bags' ICBPER included — is the one charged.
import type { ProductView, Role } from '../src-shared/contract';
import { Dec, sum } from '../src-shared/decimal';
import { computePricedSale, type PricedLine } from '../src-shared/sale-lines';
import type { Discount, LineAmounts, TaxRates, Totals } from '../src-shared/tax';

export interface CartLine {
  product: ProductView;
  /** Decimal string, up to 3 decimals ("1", "0.25"). */
  quantity: string;
  /** A line discount, as the checkout takes it (the screen has no discount key yet). */
  discount?: Discount | null;
}

export function pricedLine(l: CartLine): PricedLine {
  return { quantity: l.quantity, unitPrice: l.product.price, taxAffectation: l.product.taxAffectation, isBag: l.product.isBag, discount: l.discount ?? null };
}

export type CartAmounts = { lines: LineAmounts[]; totals: Totals; error: null } | { lines: null; totals: null; error: string };

/** Every line's amounts and the total to pay, or why the cart cannot be charged as it is (e.g. half a bag). */
export function cartAmounts(lines: CartLine[], rates: TaxRates): CartAmounts {
  try {
    return { ...computePricedSale(lines.map(pricedLine), rates), error: null };
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    return { lines: null, totals: null, error: m.charAt(0).toUpperCase() + m.slice(1) + '.' };
  }
}

export function itemCount(lines: CartLine[]): Dec {
  return sum(lines.map((l) => Dec.of(l.quantity)));
}

/** Adds one unit of a product: the same product again increments its line. Returns the new lines and the line index. */
export function addProduct(lines: CartLine[], product: ProductView, qty = '1'): { lines: CartLine[]; index: number } {
  const index = lines.findIndex((l) => l.product.id === product.id);
  if (index >= 0) {
    const next = lines.slice();
    next[index] = { ...lines[index], quantity: Dec.of(lines[index].quantity).plus(qty).toString() };
    return { lines: next, index };
  }
  return { lines: [...lines, { product, quantity: Dec.of(qty).toString() }], index: lines.length };
}

export function setQuantity(lines: CartLine[], index: number, quantity: string): CartLine[] {
  const next = lines.slice();
  next[index] = { ...lines[index], quantity: Dec.of(quantity).toString() };
  return next;
}

/** `+1` / `-1` on a line; never goes below 1 (Delete removes a line). */
export function stepQuantity(lines: CartLine[], index: number, delta: 1 | -1): CartLine[] {
  const current = Dec.of(lines[index].quantity);
  const nextQty = current.plus(delta);
  if (nextQty.lt(1)) return lines;
  return setQuantity(lines, index, nextQty.toString());
}

export function formatQuantity(q: string): string {
  return Dec.of(q).toString();
}

export const ROLE_LABELS: Record<Role, string> = { admin: 'Administrador', supervisor: 'Supervisor', cashier: 'Cajero' };
