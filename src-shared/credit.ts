// Selling on credit (issue 15 item 9): a factura paid in instalments, SUNAT's FormaPago "Credito" with one
// cac:PaymentTerms "CuotaNNN" per instalment. The rules are SUNAT's (validation workbook, Factura 2.0, rows 175–177):
// the net amount pending ("Monto neto pendiente de pago") at most the document's total (3265), the instalments summing
// exactly to it (3319), each with an amount (3254) and a due date after the issue date (3267). One reader for the
// Cobrar dialog and the checkout, so the screen refuses what the main process would, with the same words.
import { Dec, formatSoles } from './decimal';
import { formatDatePe, isIsoDate } from './time';

/** SUNAT numbers instalments Cuota001…Cuota999; a counter sale needs far fewer. */
export const MAX_INSTALMENTS = 36;
/** The default term: one instalment this many days after the issue date, and the next ones as many days apart. */
export const INSTALMENT_DAYS = 30;

export interface Instalment {
  /** Soles, 2 decimals ("100.25"). */
  amount: string;
  /** AAAA-MM-DD. */
  dueDate: string;
}

export interface CreditTerms {
  /** The net amount pending: what the customer owes after the sale (the total less any down payment). */
  amount: string;
  instalments: Instalment[];
}

/** SUNAT's identifier of the n-th instalment (1-based): Cuota001. */
export const instalmentId = (n: number): string => `Cuota${String(n).padStart(3, '0')}`;

/** The ISO date `days` after `isoDate`. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A date typed as Peru writes it ("15/01/2027", "5/1/2027") → "2027-01-15"; null when it is not a real date. */
export function readDatePe(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/**
 * `count` instalments for `amount`: equal parts to the céntimo, the céntimos left over on the last one, due every
 * INSTALMENT_DAYS days from the issue date.
 */
export function splitInstalments(amount: Dec, count: number, issueDate: string): Instalment[] {
  const n = Math.max(1, Math.min(MAX_INSTALMENTS, Math.floor(count)));
  const cents = amount.toCents();
  const part = Math.floor(cents / n);
  return Array.from({ length: n }, (_, i) => ({
    amount: Dec.fromCents(i === n - 1 ? cents - part * (n - 1) : part).toFixed(2),
    dueDate: addDays(issueDate, INSTALMENT_DAYS * (i + 1)),
  }));
}

/**
 * Why these credit terms cannot go on a factura of `total` issued on `issueDate`, in Spanish, or null. Amounts are
 * the contract's money strings (already read from what the cashier typed).
 */
export function creditTermsError(terms: CreditTerms, total: Dec, issueDate: string): string | null {
  const pending = Dec.of(terms.amount);
  if (!pending.gt(0)) return 'El monto al crédito debe ser mayor que cero.';
  // 3265: the net amount pending never above the total.
  if (pending.gt(total)) return `El monto al crédito (${formatSoles(pending)}) no puede ser mayor que el total de la venta (${formatSoles(total)}).`;
  const list = terms.instalments;
  if (list.length === 0) return 'Indique al menos una cuota (monto y fecha de vencimiento).';
  if (list.length > MAX_INSTALMENTS) return `Hasta ${MAX_INSTALMENTS} cuotas por factura.`;
  let sum = Dec.ZERO;
  let previous = '';
  for (const [i, c] of list.entries()) {
    const label = `Cuota ${i + 1}`;
    if (!Dec.isValid(c.amount) || !Dec.of(c.amount).gt(0)) return `${label}: el monto debe ser mayor que cero.`;
    if (!isIsoDate(c.dueDate)) return `${label}: la fecha de vencimiento no es válida (escríbala como dd/mm/aaaa).`;
    // 3267: a due date on or before the issue date is refused by SUNAT.
    if (c.dueDate <= issueDate) {
      return `${label}: la fecha de vencimiento (${formatDatePe(c.dueDate)}) debe ser posterior a la fecha de emisión (${formatDatePe(issueDate)}).`;
    }
    if (previous && c.dueDate < previous) return `${label}: las cuotas van en orden de vencimiento (vence antes que la cuota ${i}).`;
    previous = c.dueDate;
    sum = sum.plus(c.amount);
  }
  // 3319: the instalments add up to the net amount pending, exactly.
  if (!sum.eq(pending)) {
    return `Las cuotas suman ${formatSoles(sum)} y el monto al crédito es ${formatSoles(pending)}: deben sumar exactamente lo que queda por pagar.`;
  }
  return null;
}

/** An instalment as a receivable: what was collected of it (collections paid the earliest first) and what is left. */
export interface InstalmentState {
  number: number;
  amountCents: number;
  dueDate: string;
  paidCents: number;
  pendingCents: number;
  overdue: boolean;
}

/**
 * The instalments once credit notes took `creditedCents` back from the factura: lowered from the LAST one backwards
 * (the nearest due dates stay as agreed, and collections — which pay the earliest first — are not disturbed); one
 * brought to zero is gone. What a note of catalog 09 code 13 restates to SUNAT.
 */
export function loweredInstalments(instalments: { amountCents: number; dueDate: string }[], creditedCents: number): { amountCents: number; dueDate: string }[] {
  let left = creditedCents;
  const lowered = instalments.map((c) => ({ ...c }));
  for (let i = lowered.length - 1; i >= 0 && left > 0; i--) {
    const off = Math.min(left, lowered[i].amountCents);
    lowered[i].amountCents -= off;
    left -= off;
  }
  return lowered.filter((c) => c.amountCents > 0);
}

/**
 * The instalments as a receivable: lowered by what credit notes took back (`creditedCents`, from the last one
 * backwards, as the code-13 note restates them), then `paidCents` — the collections less what returns handed back —
 * spread over them in order; one with something left after `today` is overdue.
 */
export function instalmentStates(instalments: { amountCents: number; dueDate: string }[], paidCents: number, today: string, creditedCents = 0): InstalmentState[] {
  let left = Math.max(0, paidCents);
  return loweredInstalments(instalments, creditedCents).map((c, i) => {
    const paid = Math.min(left, c.amountCents);
    left -= paid;
    const pending = c.amountCents - paid;
    return { number: i + 1, amountCents: c.amountCents, dueDate: c.dueDate, paidCents: paid, pendingCents: pending, overdue: pending > 0 && c.dueDate < today };
  });
}
