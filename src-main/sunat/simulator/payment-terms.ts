// The payment form of a factura as SUNAT checks it (validation workbook, Factura 2.0, rows 174–177; errors since
// 01/01/2022): every cac:PaymentTerms whose cbc:ID is "FormaPago", read as text, and the code of the first broken
// rule, or null. A pure function of what the XML says, so the table tests read like the workbook.
import { Dec } from '../../../src-shared/decimal';

/** One cac:PaymentTerms with cbc:ID "FormaPago": its texts as written (null when the element is absent). */
export interface FormaPagoTerm {
  meansId: string | null;
  amount: string | null;
  dueDate: string | null;
}

export interface FormaPagoContext {
  /** cac:LegalMonetaryTotal/cbc:PayableAmount (a factura's; absent on a note of code 13, whose total is zero). */
  payable?: Dec;
  /** cbc:IssueDate (AAAA-MM-DD); absent on a note of code 13 (its dates are checked against the factura's: 3321). */
  issueDate?: string;
  /** The customer's document is a RUC (schemeID 6): the credit rules 3249, 3251, 3254, 3256, 3319 apply to those. */
  customerIsRuc: boolean;
}

const MEANS = /^((Contado)|(Credito)|(Cuota[0-9]{3}))$/;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isCuota = (id: string | null) => id !== null && /^Cuota/.test(id);
const positiveAmount = (a: string) => AMOUNT.test(a) && Dec.of(a).gt(0);

/** SUNAT's code for the first rule the factura's (or a code-13 note's) FormaPago terms break, or null. */
export function formaPagoError(terms: FormaPagoTerm[], ctx: FormaPagoContext): string | null {
  if (terms.length === 0) return '3244';
  for (const t of terms) {
    if (!t.meansId) return '3245';
    if (!MEANS.test(t.meansId)) return '3246';
  }
  const ids = terms.map((t) => t.meansId!);
  if (ids.includes('Contado') && ids.includes('Credito')) return '3247';
  if (new Set(ids).size !== ids.length) return '3248';
  const credit = terms.find((t) => t.meansId === 'Credito');
  const cuotas = terms.filter((t) => isCuota(t.meansId));
  if (cuotas.length > 0 && !credit) return '3252';
  if (credit) {
    if (credit.amount === null) {
      if (ctx.customerIsRuc) return '3251';
    } else {
      if (!positiveAmount(credit.amount)) return '3250';
      if (ctx.payable && Dec.of(credit.amount).gt(ctx.payable)) return '3265';
    }
    if (cuotas.length === 0 && ctx.customerIsRuc) return '3249';
  }
  let sum = Dec.ZERO;
  for (const c of cuotas) {
    if (c.amount === null) {
      if (ctx.customerIsRuc) return '3254';
    } else {
      if (!positiveAmount(c.amount)) return '3253';
      if (ctx.payable && Dec.of(c.amount).gt(ctx.payable)) return '3266';
      sum = sum.plus(c.amount);
    }
    if (c.dueDate === null) {
      if (ctx.customerIsRuc) return '3256';
    } else {
      if (!DATE.test(c.dueDate)) return '3255';
      if (ctx.issueDate && c.dueDate <= ctx.issueDate) return '3267';
    }
  }
  if (credit?.amount && cuotas.length > 0 && ctx.customerIsRuc && !sum.eq(credit.amount)) return '3319';
  return null;
}
