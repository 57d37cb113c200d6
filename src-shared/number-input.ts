// What a person types into a money or quantity field, read ONE way everywhere (renderer fields; the main process
// receives the normalised string). Peru writes decimals with a comma as often as with a point, so both are decimal
// separators; the rules:
// - One separator with 1–2 digits after it is the decimal separator: "200,50" = "200.50" = 200.50; "12," = 12.
// - Both kinds present: the LAST one is the decimal separator and the other groups thousands ("1,234.50" =
//   "1.234,50" = 1234.50); the groups must be well formed (1–3 digits, then groups of exactly 3).
// - The same separator more than once groups thousands only ("1,234,567" = 1234567); "1,234,5" is refused.
// - Money: one separator followed by exactly 3 digits ("1,500") is refused as ambiguous (thousand five hundred, or
//   one and a half?): the message says how to write either. Amounts have at most 2 decimals.
// - Quantities: one separator only, always decimal, up to 3 decimals ("0,250" = "0.250" = 0.25); no thousands groups.
// Anything refused comes back with a Spanish message that says how to write it; nothing is guessed.
import { Dec } from './decimal';

export type NumberRead = { value: string; error: null } | { value: null; error: string };

const ok = (value: string): NumberRead => ({ value, error: null });
const no = (error: string): NumberRead => ({ value: null, error });

const MONEY_EXAMPLE = 'por ejemplo 20, 15,50 o 1234.50';
const MAX_MONEY_DIGITS = 9; // the contract's money: up to 999,999,999.99
const MAX_QUANTITY_DIGITS = 7;

/** Splits "1.234,50" into its integer digits and decimals, or says why it cannot be read as an amount. */
function splitMoney(s: string): { int: string; frac: string } | string {
  const seps = [...s].filter((c) => c === ',' || c === '.');
  if (seps.length === 0) return { int: s, frac: '' };
  const last = s.search(/[.,][^.,]*$/);
  const lastSep = s[last];
  const head = s.slice(0, last);
  const tail = s.slice(last + 1);
  const kinds = new Set(seps);
  const unclear = `«${s}» no se entiende como monto. Use la coma o el punto solo para los decimales, ${MONEY_EXAMPLE}.`;

  if (kinds.size === 2) {
    // The last separator is the decimal one; every earlier one must be the other kind, grouping thousands.
    const groups = head.split(lastSep === ',' ? '.' : ',');
    if (head.includes(lastSep) || !thousandsGroups(groups)) return unclear;
    if (tail.length > 2) return `«${s}»: use hasta 2 decimales, ${MONEY_EXAMPLE}.`;
    return { int: groups.join(''), frac: tail };
  }
  if (seps.length > 1) {
    // "1,234,567": thousands only. "1,234,5" or "12,34,56" cannot be read without guessing.
    const groups = s.split(lastSep);
    return thousandsGroups(groups) ? { int: groups.join(''), frac: '' } : unclear;
  }
  if (tail.length <= 2) return { int: head, frac: tail };
  if (tail.length === 3 && /^[1-9]\d{0,2}$/.test(head)) {
    return `«${s}» puede ser ${head}${tail} o ${head}${lastSep}${tail.slice(0, 2)}: escriba ${head}${tail} sin separador si son miles, o el monto con 2 decimales (${head}${lastSep}${tail.slice(0, 2)}).`;
  }
  return `«${s}»: use hasta 2 decimales, ${MONEY_EXAMPLE}.`;
}

function thousandsGroups(groups: string[]): boolean {
  return /^[1-9]\d{0,2}$/.test(groups[0]) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
}

/**
 * An amount in soles as typed ("20", "200,50", "S/ 1,234.50", "1.234,50") → the contract's money string ("1234.50"),
 * or the Spanish message that tells how to write it. An empty field is refused: callers decide what empty means.
 */
export function readMoney(input: string): NumberRead {
  const s = input.replace(/^\s*S\/\s*/i, '').trim();
  if (s === '') return no(`Escriba el monto en soles, ${MONEY_EXAMPLE}.`);
  if (s.startsWith('-')) return no('El monto no puede ser negativo.');
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return no(`«${input.trim()}» no es un monto: escriba solo números, ${MONEY_EXAMPLE}.`);
  const parts = splitMoney(s);
  if (typeof parts === 'string') return no(parts);
  const int = parts.int.replace(/^0+(?=\d)/, '') || '0';
  if (int.length > MAX_MONEY_DIGITS) return no(`«${input.trim()}» es demasiado grande para un monto.`);
  return ok(Dec.of(`${int}.${parts.frac || '0'}`).toFixed(2));
}

/**
 * A quantity as typed ("3", "0,250", "1.5") → the contract's quantity string ("0.25"): positive, up to 3 decimals,
 * one separator (comma or point) that is always decimal. A stock count may be zero or negative (`stock`).
 */
export function readQuantity(input: string, opts: { stock?: boolean } = {}): NumberRead {
  const trimmed = input.trim();
  const negative = opts.stock === true && trimmed.startsWith('-');
  const s = negative ? trimmed.slice(1).trim() : trimmed;
  const example = 'por ejemplo 3, 0,250 o 1.5';
  if (s === '') return no(`Escriba la cantidad, ${example}.`);
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(s);
  if (!m) return no(`«${s}» no es una cantidad: escriba un número con coma o punto para los decimales (hasta 3), ${example}.`);
  const int = m[1].replace(/^0+(?=\d)/, '');
  const frac = m[2] ?? '';
  if (frac.length > 3) return no(`«${s}»: la cantidad admite hasta 3 decimales, ${example}.`);
  if (int.length > MAX_QUANTITY_DIGITS) return no(`«${s}» es demasiado grande para una cantidad.`);
  const d = Dec.of(`${int}.${frac || '0'}`);
  if (opts.stock) return ok((negative && !d.isZero() ? d.neg() : d).toString());
  if (!d.gt(0)) return no('La cantidad debe ser mayor que cero.');
  return ok(d.toString());
}

/**
 * A tax rate as typed: the IGV as a fraction ("0,18" = "0.18", up to 4 decimals) — the main process decides which
 * rates are allowed — or the ICBPER per bag in soles, read as money ("0,50").
 */
export function readTaxRate(tax: 'igv' | 'icbper', input: string): NumberRead {
  if (tax === 'icbper') return readMoney(input);
  const s = input.trim();
  const example = 'una fracción, por ejemplo 0,18 o 0.18 para 18 %';
  if (s === '') return no(`Escriba la tasa del IGV como ${example}.`);
  const m = /^(\d+)(?:[.,](\d{0,4}))?$/.exec(s);
  if (!m) return no(`«${s}» no es una tasa: escriba ${example}.`);
  return ok(m[2] ? `${m[1]}.${m[2]}` : m[1]);
}

/**
 * A discount as typed at the counter: "10%" or "12,5 %" is a percent (up to 2 decimals, at most 100), anything else
 * an amount in soles read as money ("5", "2,50"). "0" or an empty field means no discount (`value` null, no error).
 */
export function readDiscount(input: string): { value: { kind: 'percent' | 'amount'; value: string } | null; error: string | null } {
  const s = input.trim();
  if (s === '') return { value: null, error: null };
  if (s.endsWith('%')) {
    const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%$/.exec(s);
    if (!m) return { value: null, error: `«${s}» no es un porcentaje: escriba por ejemplo 10% o 12,5%.` };
    const p = Dec.of(`${m[1]}.${m[2] ?? '0'}`);
    if (p.gt(100)) return { value: null, error: 'El descuento no puede pasar de 100%.' };
    return { value: p.isZero() ? null : { kind: 'percent', value: p.toString() }, error: null };
  }
  const money = readMoney(s);
  if (money.value === null) return { value: null, error: `${money.error} Para un porcentaje escriba el signo %, por ejemplo 10%.` };
  return { value: Dec.of(money.value).isZero() ? null : { kind: 'amount', value: money.value }, error: null };
}
