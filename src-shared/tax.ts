// Tax math for a sale (SUNAT rules, DESIGN §5): catalog prices include IGV; unit values without tax keep
// 10 decimals; every line is rounded to 2 decimals; totals are sums of the rounded lines.
import { Dec, sum } from './decimal';

export const DEFAULT_IGV_RATE = '0.18';
export const DEFAULT_ICBPER_RATE = '0.50';
export const UNIT_VALUE_SCALE = 10;

/** SUNAT catalog 07 (Código de tipo de afectación del IGV), the codes this product issues. */
export const TAX_AFFECTATIONS = {
  '10': 'Gravado - Operación Onerosa',
  '11': 'Gravado - Retiro por premio',
  '12': 'Gravado - Retiro por donación',
  '13': 'Gravado - Retiro',
  '14': 'Gravado - Retiro por publicidad',
  '15': 'Gravado - Bonificaciones',
  '16': 'Gravado - Retiro por entrega a trabajadores',
  '20': 'Exonerado - Operación Onerosa',
  '21': 'Exonerado - Transferencia gratuita',
  '30': 'Inafecto - Operación Onerosa',
  '31': 'Inafecto - Retiro por Bonificación',
  '32': 'Inafecto - Retiro',
  '33': 'Inafecto - Retiro por Muestras Médicas',
  '34': 'Inafecto - Retiro por Convenio Colectivo',
  '35': 'Inafecto - Retiro por premio',
  '36': 'Inafecto - Retiro por publicidad',
  '37': 'Inafecto - Transferencia gratuita',
} as const;
export type TaxAffectation = keyof typeof TAX_AFFECTATIONS;
export const TAX_AFFECTATION_CODES = Object.keys(TAX_AFFECTATIONS) as TaxAffectation[];

export type TaxGroup = 'gravado' | 'exonerado' | 'inafecto';

export function taxGroup(code: TaxAffectation): TaxGroup {
  return code[0] === '1' ? 'gravado' : code[0] === '2' ? 'exonerado' : 'inafecto';
}

/** Free transfers (transferencia gratuita / retiro): the customer pays nothing; legend 1002 applies. */
export function isFree(code: TaxAffectation): boolean {
  return code !== '10' && code !== '20' && code !== '30';
}

export type Discount = { kind: 'amount'; value: string } | { kind: 'percent'; value: string };

export interface LineInput {
  quantity: string;
  /** Unit price the customer sees, IGV included when the line is gravado; for a free line, its referential price. */
  unitPrice: string;
  taxAffectation: TaxAffectation;
  discount?: Discount | null;
  /** Plastic bags on this line (ICBPER, tax 7152). */
  bags?: number;
}

export interface TaxRates {
  igv: string;
  icbper: string;
}

export const DEFAULT_RATES: TaxRates = { igv: DEFAULT_IGV_RATE, icbper: DEFAULT_ICBPER_RATE };

export interface LineAmounts {
  quantity: Dec;
  taxAffectation: TaxAffectation;
  group: TaxGroup;
  free: boolean;
  /** Unit price with tax (what the shelf says); 0 charged for a free line. */
  unitPrice: Dec;
  /** Unit value without tax, 10 decimals (cbc:PriceAmount of the referential value for free lines). */
  unitValue: Dec;
  /** Discount, with tax, as the customer sees it. */
  discountWithTax: Dec;
  /** Discount without tax (cac:AllowanceCharge/cbc:Amount). */
  discountBase: Dec;
  /** quantity × unitValue, before the discount (cac:AllowanceCharge/cbc:BaseAmount). */
  grossValue: Dec;
  /** Value of the line without tax, after the discount (cbc:LineExtensionAmount). */
  value: Dec;
  /** IGV of the line (for a free gravado line: the IGV that is not charged). */
  igv: Dec;
  icbper: Dec;
  bags: number;
  /** What the customer pays for the line: value + igv + icbper (0 + icbper for a free line). */
  total: Dec;
}

export class TaxInputError extends Error {}

export function computeLine(input: LineInput, rates: TaxRates = DEFAULT_RATES): LineAmounts {
  if (!(input.taxAffectation in TAX_AFFECTATIONS)) throw new TaxInputError(`tipo de afectación desconocido: ${input.taxAffectation}`);
  const quantity = Dec.of(input.quantity);
  const price = Dec.of(input.unitPrice);
  if (!quantity.gt(0)) throw new TaxInputError('la cantidad debe ser mayor que cero');
  if (price.isNegative()) throw new TaxInputError('el precio no puede ser negativo');
  const group = taxGroup(input.taxAffectation);
  const free = isFree(input.taxAffectation);
  const rate = Dec.of(rates.igv);
  const factor = Dec.of(1).plus(rate);
  const bags = input.bags ?? 0;
  if (!Number.isInteger(bags) || bags < 0) throw new TaxInputError('las bolsas deben ser un número entero no negativo');
  const icbper = Dec.of(rates.icbper).times(bags).round(2);

  const gross = quantity.times(price).round(2);
  let discountWithTax = Dec.ZERO.round(2);
  if (input.discount) {
    if (free) throw new TaxInputError('una línea gratuita no admite descuento');
    const v = Dec.of(input.discount.value);
    if (v.isNegative()) throw new TaxInputError('el descuento no puede ser negativo');
    discountWithTax = input.discount.kind === 'percent' ? gross.times(v).div(100, 2) : v.round(2);
    if (input.discount.kind === 'percent' && v.gt(100)) throw new TaxInputError('el descuento no puede pasar de 100%');
    if (discountWithTax.gt(gross)) throw new TaxInputError('el descuento no puede ser mayor que el importe de la línea');
  }

  const taxed = group === 'gravado';
  const unitValue = taxed ? price.div(factor, UNIT_VALUE_SCALE) : price.round(UNIT_VALUE_SCALE);
  const grossValue = quantity.times(unitValue).round(2);

  if (free) {
    const value = grossValue;
    const igv = taxed ? value.times(rate).round(2) : Dec.ZERO.round(2);
    return {
      quantity, taxAffectation: input.taxAffectation, group, free, unitPrice: price, unitValue,
      discountWithTax, discountBase: discountWithTax, grossValue, value, igv, icbper, bags, total: icbper,
    };
  }

  const charged = gross.minus(discountWithTax); // what the customer pays, tax included
  // The line's value is its charged amount without tax; IGV is the rest, so the total is exactly the shelf price.
  const value = !taxed ? charged : discountWithTax.isZero() ? grossValue : charged.div(factor, 2);
  const igv = charged.minus(value);
  return {
    quantity, taxAffectation: input.taxAffectation, group, free, unitPrice: price, unitValue,
    // Discount without tax is what separates the gross value from the line's value (AllowanceCharge amount).
    discountWithTax, discountBase: grossValue.minus(value), grossValue,
    value, igv, icbper, bags, total: charged.plus(icbper),
  };
}

export interface Totals {
  /** Operaciones gravadas / exoneradas / inafectas / gratuitas (values without tax). */
  gravado: Dec;
  exonerado: Dec;
  inafecto: Dec;
  gratuito: Dec;
  /** IGV charged. */
  igv: Dec;
  /** IGV of free gravado lines (not charged). */
  igvGratuito: Dec;
  icbper: Dec;
  discounts: Dec;
  /** Sum of line values (cbc:LineExtensionAmount of LegalMonetaryTotal). */
  lineExtension: Dec;
  /** lineExtension + igv + icbper (cbc:TaxInclusiveAmount). */
  taxInclusive: Dec;
  /** cbc:PayableAmount: what the customer pays. */
  payable: Dec;
  hasFree: boolean;
}

export function computeTotals(lines: LineAmounts[]): Totals {
  const paid = lines.filter((l) => !l.free);
  const by = (g: TaxGroup) => sum(paid.filter((l) => l.group === g).map((l) => l.value)).round(2);
  const gravado = by('gravado');
  const exonerado = by('exonerado');
  const inafecto = by('inafecto');
  const free = lines.filter((l) => l.free);
  const gratuito = sum(free.map((l) => l.value)).round(2);
  const igv = sum(paid.map((l) => l.igv)).round(2);
  const igvGratuito = sum(free.map((l) => l.igv)).round(2);
  const icbper = sum(lines.map((l) => l.icbper)).round(2);
  const discounts = sum(lines.map((l) => l.discountWithTax)).round(2);
  const lineExtension = gravado.plus(exonerado).plus(inafecto);
  const taxInclusive = lineExtension.plus(igv).plus(icbper);
  return {
    gravado, exonerado, inafecto, gratuito, igv, igvGratuito, icbper, discounts, lineExtension, taxInclusive,
    payable: taxInclusive, hasFree: free.length > 0,
  };
}

export function computeSale(lines: LineInput[], rates: TaxRates = DEFAULT_RATES): { lines: LineAmounts[]; totals: Totals } {
  const amounts = lines.map((l) => computeLine(l, rates));
  return { lines: amounts, totals: computeTotals(amounts) };
}
