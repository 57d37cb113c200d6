// Cart lines → tax lines → totals: the ONE computation the cart, the Cobrar dialog and the main process's checkout
// share, so what the screen asks for is exactly what the server records (bags' ICBPER, free lines, discounts).
import { computeLine, computeTotals, TAX_AFFECTATIONS, TaxInputError, type Discount, type LineAmounts, type LineInput, type TaxAffectation, type TaxRates, type Totals } from './tax';
import { Dec } from './decimal';

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

/** Every line's amounts and the sale's totals; `totals.payable` is what the customer pays. A line that cannot be
 * sold throws TaxInputError naming it ("línea 2: …"). */
export function computePricedSale(lines: PricedLine[], rates: TaxRates): { lines: LineAmounts[]; totals: Totals } {
  const amounts = lines.map((l, i) => {
    try {
      return pricedLineAmounts(l, rates);
    } catch (e) {
      if (e instanceof TaxInputError) throw new TaxInputError(`línea ${i + 1}: ${e.message}`);
      throw e;
    }
  });
  return { lines: amounts, totals: computeTotals(amounts) };
}
