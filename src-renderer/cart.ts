// Cart state and the client-side PREVIEW of the totals. The main process recomputes every amount at checkout and
// is the truth (DESIGN §3.1); this only keeps the screen honest while the cashier scans.
import type { ProductView, Role } from '../src-shared/contract';
import { Dec, sum } from '../src-shared/decimal';

export interface CartLine {
  product: ProductView;
  /** Decimal string, up to 3 decimals ("1", "0.25"). */
  quantity: string;
}

export function lineAmount(l: CartLine): Dec {
  return Dec.of(l.quantity).times(l.product.price).round(2);
}

export function cartTotal(lines: CartLine[]): Dec {
  return sum(lines.map(lineAmount)).round(2);
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

/** Normalises what a cashier types for an amount ("50", "50.5", "S/ 1,250.00") to the contract's money string. */
export function parseMoney(input: string): string | null {
  const s = input.replace(/S\/\s*/i, '').replace(/,/g, '').trim();
  if (!/^\d{1,9}(\.\d{0,2})?$/.test(s)) return null;
  return Dec.of(s.endsWith('.') ? s.slice(0, -1) : s).toFixed(2);
}

/** A quantity as the contract accepts it: positive, up to 3 decimals. */
export function parseQuantity(input: string): string | null {
  const s = input.replace(',', '.').trim();
  if (!/^\d{1,7}(\.\d{1,3})?$/.test(s)) return null;
  const d = Dec.of(s);
  return d.gt(0) ? d.toString() : null;
}

export function formatQuantity(q: string): string {
  return Dec.of(q).toString();
}

export const ROLE_LABELS: Record<Role, string> = { admin: 'Administrador', supervisor: 'Supervisor', cashier: 'Cajero' };
