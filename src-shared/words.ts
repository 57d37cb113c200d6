// Amounts in Spanish words for SUNAT legend 1000 ("Monto expresado en letras"). Upper case without accents,
// as SUNAT's own examples print it.
import { Dec } from './decimal';

const UNITS = [
  '', 'UNO', 'DOS', 'TRES', 'CUATRO', 'CINCO', 'SEIS', 'SIETE', 'OCHO', 'NUEVE',
  'DIEZ', 'ONCE', 'DOCE', 'TRECE', 'CATORCE', 'QUINCE', 'DIECISEIS', 'DIECISIETE', 'DIECIOCHO', 'DIECINUEVE',
  'VEINTE', 'VEINTIUNO', 'VEINTIDOS', 'VEINTITRES', 'VEINTICUATRO', 'VEINTICINCO', 'VEINTISEIS', 'VEINTISIETE',
  'VEINTIOCHO', 'VEINTINUEVE',
];
const TENS = ['', '', '', 'TREINTA', 'CUARENTA', 'CINCUENTA', 'SESENTA', 'SETENTA', 'OCHENTA', 'NOVENTA'];
const HUNDREDS = [
  '', 'CIENTO', 'DOSCIENTOS', 'TRESCIENTOS', 'CUATROCIENTOS', 'QUINIENTOS', 'SEISCIENTOS', 'SETECIENTOS',
  'OCHOCIENTOS', 'NOVECIENTOS',
];

/** 1..999 in words; `apocope` gives "UN"/"VEINTIUN" where a noun (MIL, MILLONES) follows. */
function hundreds(n: number, apocope: boolean): string {
  if (n === 100) return 'CIEN';
  const h = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (h > 0) parts.push(HUNDREDS[h]);
  if (rest > 0) {
    let words: string;
    if (rest < 30) words = UNITS[rest];
    else {
      const u = rest % 10;
      words = TENS[Math.floor(rest / 10)] + (u > 0 ? ' Y ' + UNITS[u] : '');
    }
    // "UNO" becomes "UN" before a noun: VEINTIUN MIL, TREINTA Y UN MILLONES.
    if (apocope && rest % 10 === 1 && rest !== 11) words = words.replace(/UNO$/, 'UN');
    parts.push(words);
  }
  return parts.join(' ');
}

/** Whole number in words (0 → "CERO"). */
export function integerToWords(value: bigint): string {
  if (value < 0n) return 'MENOS ' + integerToWords(-value);
  if (value === 0n) return 'CERO';
  const parts: string[] = [];
  const millions = value / 1_000_000n;
  const rest = Number(value % 1_000_000n);
  if (millions > 0n) {
    if (millions === 1n) parts.push('UN MILLON');
    else if (millions < 1000n) parts.push(hundreds(Number(millions), true) + ' MILLONES');
    // Above 999 millions the count of millions is itself read with MIL ("MIL MILLONES").
    else parts.push(integerToWordsApocope(millions) + ' MILLONES');
  }
  const thousands = Math.floor(rest / 1000);
  const units = rest % 1000;
  if (thousands > 0) parts.push(thousands === 1 ? 'MIL' : hundreds(thousands, true) + ' MIL');
  if (units > 0) parts.push(hundreds(units, false));
  return parts.join(' ');
}

function integerToWordsApocope(value: bigint): string {
  const words = integerToWords(value);
  return words.replace(/(VEINTI)?UNO$/, (_m, v: string | undefined) => (v ? 'VEINTIUN' : 'UN'));
}

/** "120.50" → "CIENTO VEINTE CON 50/100 SOLES". */
export function amountToWords(amount: Dec | string, currency: 'PEN' | 'USD' = 'PEN'): string {
  const cents = Dec.of(amount).round(2).abs();
  const whole = cents.units / 100n;
  const frac = (cents.units % 100n).toString().padStart(2, '0');
  const unit = currency === 'USD' ? 'DOLARES AMERICANOS' : 'SOLES';
  return `${integerToWords(whole)} CON ${frac}/100 ${unit}`;
}
