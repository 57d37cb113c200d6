import { describe, expect, it } from 'vitest';
import { parseDocumentInput } from '../../src-main/sunat/document-input';
import { CUSTOMER_RUC, dniCustomer, input, issuer, line, rucCustomer } from './ubl-fixtures';

const ref = { documentType: '03', series: 'B001', number: 14, reasonCode: '01', reason: 'ANULACION DE LA OPERACION' };

// Each bad input and the field + message (fragment) it must be reported with.
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  ['issuer RUC with a wrong check digit', { issuer: { ...issuer, ruc: '20123456789' } }, 'issuer.ruc', /dígito verificador/],
  ['issuer RUC too short', { issuer: { ...issuer, ruc: '2012345' } }, 'issuer.ruc', /11 dígitos/],
  ['issuer without name', { issuer: { ...issuer, name: '  ' } }, 'issuer.name', /razón social/],
  ['bad ubigeo', { issuer: { ...issuer, ubigeo: '15' } }, 'issuer.ubigeo', /6 dígitos/],
  ['unknown document type', { documentType: '09' }, 'documentType', /01 \(factura\)/],
  ['boleta with an F series', { series: 'F001' }, 'series', /boleta debe empezar con B/],
  ['factura with a B series', { documentType: '01', series: 'B001', customer: rucCustomer }, 'series', /factura debe empezar con F/],
  ['series of 3 characters', { series: 'B01' }, 'series', /4 caracteres/],
  ['number zero', { number: 0 }, 'number', /mayor que cero/],
  ['number as text', { number: '15' }, 'number', /entero/],
  ['number of 9 digits', { number: 123456789 }, 'number', /8 dígitos/],
  ['impossible date', { issueDate: '2026-02-30' }, 'issueDate', /AAAA-MM-DD/],
  ['date in another format', { issueDate: '27/11/2026' }, 'issueDate', /AAAA-MM-DD/],
  ['bad time', { issueTime: '25:00:00' }, 'issueTime', /HH:MM:SS/],
  ['unknown currency', { currency: 'EUR' }, 'currency', /PEN o USD/],
  ['no lines', { lines: [] }, 'lines', /al menos una línea/],
  ['zero quantity', { lines: [line({ quantity: '0' })] }, 'lines[0].quantity', /mayor que cero/],
  ['negative quantity', { lines: [line({ quantity: '-1' })] }, 'lines[0].quantity', /número decimal/],
  ['price as a JSON number', { lines: [line({ unitPrice: 3.5 as unknown as string })] }, 'lines[0].unitPrice', /como texto/],
  ['price with a comma', { lines: [line({ unitPrice: '3,50' })] }, 'lines[0].unitPrice', /número decimal con punto/],
  ['empty unit code', { lines: [line({ unitCode: '' })] }, 'lines[0].unitCode', /unidad de medida/],
  ['empty description', { lines: [line({ description: '' })] }, 'lines[0].description', /descripción/],
  ['control character in a description', { lines: [line({ description: 'A\u0007B' })] }, 'lines[0].description', /caracteres de control/],
  ['unknown tax affectation', { lines: [line({ taxAffectation: '40' as '10' })] }, 'lines[0].taxAffectation', /catálogo 07/],
  ['discount larger than the line', { lines: [line({ discount: '8.00' })] }, 'lines[0].discount', /mayor que el importe/],
  ['discount on a free line', { lines: [line(), line({ taxAffectation: '13', discount: '1.00' })] }, 'lines[1].discount', /gratuita no admite descuento/],
  ['bags on a product line', { lines: [line({ quantity: '3', bags: 2 })] }, 'lines[0].bags', /propia línea/],
  ['fractional bags', { lines: [line({ bags: 1.5 })] }, 'lines[0].bags', /entero/],
  ['factura without customer', { documentType: '01', series: 'F001' }, 'customer.docType', /RUC del cliente/],
  ['factura to a DNI', { documentType: '01', series: 'F001', customer: dniCustomer }, 'customer.docType', /RUC del cliente/],
  ['factura to an invalid RUC', { documentType: '01', series: 'F001', customer: { ...rucCustomer, docNumber: '20600000001' } }, 'customer.docNumber', /dígito verificador/],
  ['DNI of 7 digits', { customer: { ...dniCustomer, docNumber: '4567891' } }, 'customer.docNumber', /8 dígitos/],
  ['identified customer without name', { customer: { ...dniCustomer, name: '' } }, 'customer.name', /nombre/],
  ['unknown customer document type', { customer: { docType: '9', docNumber: '1', name: 'X' } }, 'customer.docType', /catálogo 06/],
  ['anonymous boleta of 700.01', { lines: [line({ quantity: '1', unitPrice: '700.01' })] }, 'customer', /más de S\/ 700\.00/],
  ['credit note without reference', { documentType: '07', series: 'B001' }, 'reference', /documento que modifica/],
  ['credit note with a debit reason', { documentType: '07', series: 'B001', reference: { ...ref, reasonCode: '14' } }, 'reference.reasonCode', /catálogo 09/],
  ['debit note with a credit reason', { documentType: '08', series: 'B001', reference: { ...ref, reasonCode: '06' } }, 'reference.reasonCode', /catálogo 10/],
  ['note on a factura with a B series', { documentType: '07', series: 'B001', customer: rucCustomer, reference: { ...ref, documentType: '01', series: 'F001' } }, 'series', /empiece con F/],
  ['note on a boleta referencing an F series', { documentType: '07', series: 'B001', reference: { ...ref, series: 'F001' } }, 'reference.series', /boleta debe empezar con B/],
  ['note on a factura to a DNI', { documentType: '08', series: 'F001', customer: dniCustomer, reference: { ...ref, documentType: '01', series: 'F001', reasonCode: '02' } }, 'customer.docType', /RUC del cliente/],
  ['note without reason text', { documentType: '07', series: 'B001', reference: { ...ref, reason: '' } }, 'reference.reason', /motivo/],
  ['reference on a boleta', { reference: ref }, 'reference', /Solo las notas/],
  ['no issuer', { issuer: undefined }, 'issuer', /emisor/],
];

describe('document build input', () => {
  it.each(BAD)('rejects %s', (_name, over, field, message) => {
    const r = parseDocumentInput(input(over));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.issues.find((i) => i.field === field);
    expect(hit, `issues: ${JSON.stringify(r.issues)}`).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const r = parseDocumentInput(input({ series: 'X1', number: -1, lines: [line({ unitPrice: 'abc' }), line({ quantity: '' })] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field).sort()).toEqual(['lines[0].unitPrice', 'lines[1].quantity', 'number', 'series']);
  });

  it('accepts an anonymous boleta of exactly 700.00', () => {
    const r = parseDocumentInput(input({ lines: [line({ quantity: '1', unitPrice: '700.00' })] }));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.document.totals.payable.toFixed(2)).toBe('700.00');
  });

  it('accepts a boleta of 700.01 with an identified customer', () => {
    expect(parseDocumentInput(input({ customer: dniCustomer, lines: [line({ quantity: '1', unitPrice: '700.01' })] })).ok).toBe(true);
  });

  it('builds the model with computed amounts, defaults and the anonymous customer', () => {
    const r = parseDocumentInput(input({ issueTime: undefined, currency: undefined, lines: [line({ discount: '0.50' })] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.document;
    expect(d.issueTime).toBe('00:00:00');
    expect(d.currency).toBe('PEN');
    expect(d.issuer.establishmentCode).toBe('0000');
    expect(d.customer).toEqual({ docType: '-', docNumber: '-', name: 'CLIENTES VARIOS' });
    expect(d.totals.payable.toFixed(2)).toBe('6.50');
    expect(d.lines[0].amounts.value.toFixed(2)).toBe('5.51');
  });

  it('builds a credit note on a factura with its reference', () => {
    const r = parseDocumentInput(input({
      documentType: '07', series: 'F001', customer: { docType: '6', docNumber: CUSTOMER_RUC, name: 'CLIENTE S.A.C.' },
      reference: { ...ref, documentType: '01', series: 'F001', reasonCode: '07' },
    }));
    expect(r.ok).toBe(true);
    if (r.ok && r.document.documentType === '07') expect(r.document.reference.series).toBe('F001');
  });
});
