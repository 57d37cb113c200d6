// SUNAT's FormaPago rules (validation workbook, Factura 2.0 rows 174–177; codes and texts in CatalogoErrores.xml),
// row by row: the simulator's formaPagoError, and the checkout's creditTermsError that refuses the same cases first
// with the cashier's words. The valid case is the factura guide's own example (guia-xml-factura-v2.1, 7.3–7.4).
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src-shared/decimal';
import { formaPagoError, type FormaPagoTerm } from '../../src-main/sunat/simulator/payment-terms';
import { creditTermsError, instalmentStates, readDatePe, splitInstalments } from '../../src-shared/credit';

const ctx = { payable: Dec.of('1000.00'), issueDate: '2021-03-15', customerIsRuc: true };
const credito = (amount: string | null = '1000.00'): FormaPagoTerm => ({ meansId: 'Credito', amount, dueDate: null });
const cuota = (n: number, amount: string | null, dueDate: string | null): FormaPagoTerm => ({ meansId: `Cuota${String(n).padStart(3, '0')}`, amount, dueDate });
const guide = [credito(), cuota(1, '500.00', '2021-04-15'), cuota(2, '500.00', '2021-05-15')];

describe('the simulator applies SUNAT FormaPago rules', () => {
  const rows: [string, FormaPagoTerm[], string | null, Partial<typeof ctx>?][] = [
    ["the guide's credit factura in two instalments", guide, null],
    ['paid at the counter: Contado', [{ meansId: 'Contado', amount: null, dueDate: null }], null],
    ['no FormaPago at all', [], '3244'],
    ['FormaPago without its PaymentMeansID', [{ meansId: null, amount: null, dueDate: null }], '3245'],
    ['an empty PaymentMeansID', [{ meansId: '', amount: null, dueDate: null }], '3245'],
    ['"Cuota1" is not Cuota[0-9]{3}', [credito(), cuota(1, '1000.00', '2021-04-15'), { meansId: 'Cuota1', amount: '1.00', dueDate: '2021-04-15' }], '3246'],
    ['"Credito " written otherwise', [{ meansId: 'Crédito', amount: '1000.00', dueDate: null }], '3246'],
    ['Contado and Credito at once', [{ meansId: 'Contado', amount: null, dueDate: null }, ...guide], '3247'],
    ['an instalment repeated', [credito(), cuota(1, '500.00', '2021-04-15'), cuota(1, '500.00', '2021-05-15')], '3248'],
    ['Credito without any instalment', [credito()], '3249'],
    ['Credito without the net amount pending', [credito(null), ...guide.slice(1)], '3251'],
    ['a net amount pending with 3 decimals', [credito('1000.000'), ...guide.slice(1)], '3250'],
    ['a net amount pending of zero', [credito('0.00'), ...guide.slice(1)], '3250'],
    ['a net amount pending above the total', [credito('1000.01'), cuota(1, '500.01', '2021-04-15'), cuota(2, '500.00', '2021-05-15')], '3265'],
    ['an instalment on a Contado factura', [{ meansId: 'Contado', amount: null, dueDate: null }, cuota(1, '500.00', '2021-04-15')], '3252'],
    ['only instalments, no Credito', [cuota(1, '1000.00', '2021-04-15')], '3252'],
    ['an instalment without its amount', [credito(), cuota(1, null, '2021-04-15')], '3254'],
    ['an instalment amount with a comma', [credito(), cuota(1, '1000,00', '2021-04-15')], '3253'],
    ['an instalment above the total', [credito('1000.00'), cuota(1, '1000.50', '2021-04-15')], '3266'],
    ['an instalment without its due date', [credito(), cuota(1, '1000.00', null)], '3256'],
    ['a due date written dd/mm/aaaa', [credito(), cuota(1, '1000.00', '15/04/2021')], '3255'],
    ['a due date on the issue date', [credito(), cuota(1, '1000.00', '2021-03-15')], '3267'],
    ['a due date before the issue date', [credito(), cuota(1, '1000.00', '2021-03-01')], '3267'],
    ['instalments summing less than the net amount pending', [credito(), cuota(1, '500.00', '2021-04-15'), cuota(2, '499.99', '2021-05-15')], '3319'],
    ['a down payment: 800 pending of 1000, in one instalment', [credito('800.00'), cuota(1, '800.00', '2021-04-14')], null],
    // The credit rules that ask for amounts, dates and the sum apply when the customer's document is a RUC.
    ['not a RUC customer: Credito alone', [credito(null)], null, { customerIsRuc: false }],
  ];
  it.each(rows.map(([name, terms, code, over]) => [name, code ?? 'accepted', terms, code, over] as const))('%s → %s', (_name, _shown, terms, code, over) => {
    expect(formaPagoError(terms, { ...ctx, ...over })).toBe(code);
  });
});

describe('the checkout refuses the same cases in Spanish', () => {
  const total = Dec.of('1000.00');
  const terms = (amount: string, instalments: [string, string][]) => ({ amount, instalments: instalments.map(([a, d]) => ({ amount: a, dueDate: d })) });
  it("accepts the guide's example and a down payment", () => {
    expect(creditTermsError(terms('1000.00', [['500.00', '2021-04-15'], ['500.00', '2021-05-15']]), total, '2021-03-15')).toBeNull();
    expect(creditTermsError(terms('800.00', [['800.00', '2021-04-14']]), total, '2021-03-15')).toBeNull();
  });
  it.each([
    ['more than the total (3265)', terms('1000.01', [['1000.01', '2021-04-15']]), /no puede ser mayor que el total de la venta \(S\/ 1,000.00\)/],
    ['no instalment (3249)', terms('1000.00', []), /al menos una cuota/],
    ['a due date on the issue date (3267)', terms('1000.00', [['1000.00', '2021-03-15']]), /Cuota 1: la fecha de vencimiento \(15\/03\/2021\) debe ser posterior a la fecha de emisión \(15\/03\/2021\)/],
    ['instalments not summing the amount (3319)', terms('1000.00', [['500.00', '2021-04-15'], ['499.99', '2021-05-15']]), /Las cuotas suman S\/ 999.99 y el monto al crédito es S\/ 1,000.00/],
    ['a zero instalment', terms('1000.00', [['0.00', '2021-04-15'], ['1000.00', '2021-05-15']]), /Cuota 1: el monto debe ser mayor que cero/],
    ['out of order', terms('1000.00', [['500.00', '2021-05-15'], ['500.00', '2021-04-15']]), /Cuota 2: las cuotas van en orden de vencimiento/],
  ])('%s', (_name, t, message) => {
    expect(creditTermsError(t, total, '2021-03-15')).toMatch(message);
  });
});

describe('instalments', () => {
  it('split to the céntimo, the rest on the last one, due every 30 days', () => {
    expect(splitInstalments(Dec.of('200.50'), 3, '2026-11-27')).toEqual([
      { amount: '66.83', dueDate: '2026-12-27' }, { amount: '66.83', dueDate: '2027-01-26' }, { amount: '66.84', dueDate: '2027-02-25' },
    ]);
  });
  it('dates are read as Peru writes them, and only real ones', () => {
    expect(readDatePe('5/1/2027')).toBe('2027-01-05');
    expect(readDatePe('31/02/2027')).toBeNull();
    expect(readDatePe('2027-01-05')).toBeNull();
  });
  it('collections pay the earliest instalment first; what is left past its date is overdue', () => {
    const s = instalmentStates([{ amountCents: 10000, dueDate: '2026-12-01' }, { amountCents: 10050, dueDate: '2027-01-01' }], 15000, '2026-12-15');
    expect(s.map((c) => [c.paidCents, c.pendingCents, c.overdue])).toEqual([[10000, 0, false], [5000, 5050, false]]);
    expect(instalmentStates([{ amountCents: 10000, dueDate: '2026-12-01' }], 2500, '2026-12-02')[0]).toMatchObject({ pendingCents: 7500, overdue: true });
  });
});
