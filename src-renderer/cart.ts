// Cart state and its totals. The amounts come from src-shared/sale-lines.ts, the same code the main process's
// checkout runs with the same rates (sales.taxRates), so the total shown — bags' ICBPER included — is the one charged.
import type { ProductView, Role } from '../src-shared/contract';
import { Dec, sum } from '../src-shared/decimal';
import { beyondLimit, computePricedSale, type PricedLine } from '../src-shared/sale-lines';
import type { Discount, LineAmounts, TaxRates, Totals } from '../src-shared/tax';

export interface CartLine {
  product: ProductView;
  /** Decimal string, up to 3 decimals ("1", "0.25"). */
  quantity: string;
  /** A line discount (/ on the sale screen), as the checkout takes it. */
  discount?: Discount | null;
  /** A price changed at the counter (Alt+P), IGV included; the catalog's price when absent. */
  unitPrice?: string;
}

export function pricedLine(l: CartLine): PricedLine {
  return {
    quantity: l.quantity, unitPrice: l.unitPrice ?? l.product.price, listPrice: l.unitPrice ? l.product.price : null,
    taxAffectation: l.product.taxAffectation, isBag: l.product.isBag, discount: l.discount ?? null,
  };
}

/** The cart's lines as the contract takes them (checkout, park, the lock's held cart). */
export function lineInputs(lines: CartLine[]) {
  return lines.map((l) => ({
    productId: l.product.id, quantity: l.quantity, ...(l.discount ? { discount: l.discount } : {}), ...(l.unitPrice ? { unitPrice: l.unitPrice } : {}),
  }));
}

export type CartAmounts =
  | { lines: LineAmounts[]; totals: Totals; charged: PricedLine[]; globalDiscount: Dec; error: null }
  | { lines: null; totals: null; charged: null; globalDiscount: null; error: string };

/** Every line's amounts and the total to pay, or why the cart cannot be charged as it is (e.g. half a bag). */
export function cartAmounts(lines: CartLine[], rates: TaxRates, globalDiscount?: Discount | null): CartAmounts {
  try {
    return { ...computePricedSale(lines.map(pricedLine), rates, globalDiscount), error: null };
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    return { lines: null, totals: null, charged: null, globalDiscount: null, error: m.charAt(0).toUpperCase() + m.slice(1) + '.' };
  }
}

/** An exchange's credit: the cash refund of credit note `number` kept for the new sale (Alt+D → C). */
export interface ExchangeCredit { noteId: number; number: string; amount: string }

/** A supervisor's approval held by the cart until it is paid (sales.approve). */
export interface CartApproval { token: string; percent: string; approverName: string }

/**
 * What the cart charges below the catalog beyond the seller's `limit` and not covered by `approval`: the line and
 * the percent an approval must cover (rounded up to 2 decimals), or null when the sale needs no (new) approval.
 * The same figures and cents rule as the checkout (src-shared/sale-lines.ts belowList, withinLimit).
 */
export function approvalNeeded(a: CartAmounts, limit: string, approval: CartApproval | null): { line: number; percent: string } | null {
  if (!a.lines) return null;
  const uncovered = beyondLimit(a, limit, approval?.percent).filter((b) => !b.covered);
  if (uncovered.length === 0) return null;
  const { line, percent } = uncovered.reduce((x, y) => (y.percent.gt(x.percent) ? y : x));
  const up = percent.round(2).lt(percent) ? percent.round(2).plus('0.01') : percent.round(2);
  return { line, percent: up.toFixed(2) };
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
