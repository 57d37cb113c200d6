// Cart lines → tax lines → totals: the ONE computation the cart, the Cobrar dialog and the main process's checkout
// share, so what the screen asks for is exactly what the server records (bags' ICBPER, free lines, discounts).
import { computeLine, computeTotals, TAX_AFFECTATIONS, TaxInputError, type Discount, type LineAmounts, type LineInput, type TaxAffectation, type TaxRates, type Totals } from './tax';
import { Dec, sum } from './decimal';

/** A line as the cart and the checkout know it: the catalog's price, tax affectation and bag flag. */
export interface PricedLine {
  /** Decimal string, up to 3 decimals. */
  quantity: string;
  /** The catalog's shelf price (IGV included for gravado lines; the referential price of a free line). */
  unitPrice: string;
  taxAffectation: string;
  /** A plastic bag product: each unit carries the ICBPER (SUNAT wants bags on their own line, rule 3236). */
  isBag: boolean;
  discount?: Discount | null;
  /** The catalog's price when the cashier overrode it (`unitPrice` is then the price charged). */
  listPrice?: string | null;
}

/** The tax line of a priced line; throws TaxInputError (a Spanish reason, lower case) when it cannot be sold. */
export function lineInputOf(l: PricedLine): LineInput {
  if (!(l.taxAffectation in TAX_AFFECTATIONS)) throw new TaxInputError(`tipo de afectación desconocido: ${l.taxAffectation}`);
  if (l.isBag && !Dec.of(l.quantity).round(0).eq(l.quantity)) throw new TaxInputError('la cantidad de bolsas debe ser un número entero');
  return {
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    taxAffectation: l.taxAffectation as TaxAffectation,
    discount: l.discount ?? null,
    bags: l.isBag ? Number(l.quantity) : 0,
  };
}

export function pricedLineAmounts(l: PricedLine, rates: TaxRates): LineAmounts {
  return computeLine(lineInputOf(l), rates);
}

function lineAmounts(lines: PricedLine[], rates: TaxRates): LineAmounts[] {
  return lines.map((l, i) => {
    try {
      return pricedLineAmounts(l, rates);
    } catch (e) {
      if (e instanceof TaxInputError) throw new TaxInputError(`línea ${i + 1}: ${e.message}`);
      throw e;
    }
  });
}

/**
 * Every line's amounts and the sale's totals; `totals.payable` is what the customer pays. A line that cannot be
 * sold throws TaxInputError naming it ("línea 2: …").
 *
 * A global discount is spread over the lines that can take one (not free lines, not bags: the ICBPER is a fixed tax)
 * in proportion to what each still charges, to the cent, the last cents to the largest remainders. Each line then
 * carries its own discount plus its share: SUNAT sees line allowances (catalog 53, code 00), the taxable base of every
 * rate is right, and a later return of a line credits exactly what that line was paid. `lines` in the answer are
 * the lines as charged (their `discount` is the combined amount); the input is not changed.
 */
export function computePricedSale(lines: PricedLine[], rates: TaxRates, globalDiscount?: Discount | null): PricedSale {
  const own = lineAmounts(lines, rates);
  if (!globalDiscount) return { lines: own, totals: computeTotals(own), charged: lines, globalDiscount: Dec.ZERO.round(2) };
  const shares = globalShares(lines, own, globalDiscount);
  const charged = lines.map((l, i) => (shares[i].isZero() ? l : { ...l, discount: { kind: 'amount' as const, value: own[i].discountWithTax.plus(shares[i]).toFixed(2) } }));
  const amounts = lineAmounts(charged, rates);
  return { lines: amounts, totals: computeTotals(amounts), charged, globalDiscount: sum(shares).round(2) };
}

export interface PricedSale {
  lines: LineAmounts[];
  totals: Totals;
  /** The lines as charged: with the global discount's share folded into each line's discount. */
  charged: PricedLine[];
  /** The global discount in soles (IGV included), 0 when there is none. */
  globalDiscount: Dec;
}

function globalShares(lines: PricedLine[], own: LineAmounts[], g: Discount): Dec[] {
  const v = Dec.of(g.value);
  if (v.isNegative()) throw new TaxInputError('el descuento global no puede ser negativo');
  if (g.kind === 'percent' && v.gt(100)) throw new TaxInputError('el descuento global no puede pasar de 100%');
  // What each line still charges (cents), for the lines that can take a discount.
  const base = own.map((a, i) => (a.free || lines[i].isBag ? 0n : BigInt(a.total.minus(a.icbper).toCents())));
  const total = base.reduce((x, y) => x + y, 0n);
  const amount = BigInt((g.kind === 'percent' ? Dec.fromCents(total).times(v).div(100, 2) : v.round(2)).toCents());
  if (amount > total) throw new TaxInputError(`el descuento global no puede ser mayor que ${Dec.fromCents(total).toFixed(2)} (lo que suman las líneas que lo admiten)`);
  if (amount === 0n) return base.map(() => Dec.ZERO.round(2));
  // Largest-remainder apportionment in cents.
  const exact = base.map((b) => b * amount);
  const cents = exact.map((e) => e / total);
  let left = amount - cents.reduce((x, y) => x + y, 0n);
  const order = exact.map((e, i) => ({ i, r: e % total })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const o of order) {
    if (left === 0n) break;
    if (base[o.i] === 0n) continue;
    cents[o.i] += 1n;
    left -= 1n;
  }
  return cents.map((c) => Dec.fromCents(c));
}

/**
 * How far below the catalog a charged line is: its discount, its share of a global discount and a lowered price
 * together, against quantity × catalog price (`percent` with 4 decimals). The limits per role apply to this figure, so
 * a discount cannot be split into smaller ones to pass under a limit. A raised price is 0.
 */
export function belowList(line: PricedLine, amounts: LineAmounts): { list: Dec; below: Dec; percent: Dec } {
  const zero = { list: Dec.ZERO, below: Dec.ZERO, percent: Dec.ZERO };
  if (amounts.free || line.isBag) return zero;
  const list = Dec.of(line.quantity).times(line.listPrice ?? line.unitPrice).round(2);
  if (!list.gt(0)) return zero;
  const below = list.minus(amounts.total.minus(amounts.icbper));
  return below.gt(0) ? { list, below, percent: below.times(100).div(list, 4) } : { ...zero, list };
}

/** Within `limit` percent, counted in cents as the discount itself is: 10% of 9.99 (1.00) is within 10%. */
export function withinLimit(b: { list: Dec; below: Dec }, limitPercent: Dec | string): boolean {
  return b.below.lte(b.list.times(limitPercent).div(100, 2));
}

/**
 * The lines of a priced sale charged below the catalog beyond `limit` percent, each with how far (`belowList`) and
 * whether `approvedPercent` (a supervisor's approval) covers it. The checkout refuses the first uncovered one; the
 * cart asks for an approval that covers the furthest.
 */
export function beyondLimit(sale: Pick<PricedSale, 'charged' | 'lines'>, limit: Dec | string, approvedPercent?: Dec | string | null): { line: number; list: Dec; below: Dec; percent: Dec; covered: boolean }[] {
  const out: { line: number; list: Dec; below: Dec; percent: Dec; covered: boolean }[] = [];
  sale.charged.forEach((l, i) => {
    const b = belowList(l, sale.lines[i]);
    if (withinLimit(b, limit)) return;
    out.push({ line: i + 1, ...b, covered: approvedPercent != null && withinLimit(b, approvedPercent) });
  });
  return out;
}
