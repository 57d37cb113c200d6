import { describe, expect, it } from 'vitest';
import { computeSale } from '../../src-shared/tax';
import { buildCreditNoteXml } from '../../src-main/sunat/ubl/credit-note';
import { buildDebitNoteXml } from '../../src-main/sunat/ubl/debit-note';
import { buildSummaryXml } from '../../src-main/sunat/ubl/summary';
import { buildVoidedXml } from '../../src-main/sunat/ubl/voided';
import { batchId, documentId, type NoteDocument, type SummaryDocument, type VoidedDocument } from '../../src-main/sunat/model';
import { dniCustomer, issuer, ISSUER_RUC, line, model, rucCustomer, text, texts } from './ubl-fixtures';

const note = (type: '07' | '08', over: Record<string, unknown> = {}) => model({
  documentType: type, series: 'F001', number: 3, customer: rucCustomer,
  reference: { documentType: '01', series: 'F001', number: 2, reasonCode: type === '07' ? '07' : '02', reason: 'DEVOLUCIÓN & AJUSTE' },
  ...over,
}) as NoteDocument;

describe('credit note (07)', () => {
  it('names the modified factura and the catalog 09 reason', () => {
    const xml = buildCreditNoteXml(note('07', { lines: [line({ discount: '0.50' })] }));
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(text(xml, '/cn:CreditNote/cbc:ID')).toBe('F001-00000003');
    expect(text(xml, '/cn:CreditNote/cac:DiscrepancyResponse/cbc:ReferenceID')).toBe('F001-00000002');
    expect(text(xml, '/cn:CreditNote/cac:DiscrepancyResponse/cbc:ResponseCode')).toBe('07');
    expect(text(xml, '/cn:CreditNote/cac:DiscrepancyResponse/cbc:Description')).toBe('DEVOLUCIÓN & AJUSTE');
    expect(text(xml, '/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentTypeCode')).toBe('01');
    expect(text(xml, '//cac:CreditNoteLine/cbc:CreditedQuantity')).toBe('2');
    expect(text(xml, '//cac:CreditNoteLine/cac:AllowanceCharge/cbc:Amount')).toBe('0.42');
    expect(text(xml, '/cn:CreditNote/cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('6.50');
    expect(text(xml, '//cbc:Note[@languageLocaleID="1000"]')).toBe('SEIS CON 50/100 SOLES');
    expect(texts(xml, '//cbc:CreditNoteTypeCode')).toEqual([]);
  });

  it('refuses a debit note model', () => {
    expect(() => buildCreditNoteXml(note('08'))).toThrow();
  });
});

describe('debit note (08)', () => {
  it('uses RequestedMonetaryTotal and DebitNoteLine with the catalog 10 reason', () => {
    const xml = buildDebitNoteXml(note('08', { series: 'B002', customer: dniCustomer, reference: { documentType: '03', series: 'B001', number: 9, reasonCode: '01', reason: 'INTERESES' } }));
    expect(xml).toContain('<DebitNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2"');
    expect(text(xml, '/dn:DebitNote/cac:DiscrepancyResponse/cbc:ResponseCode')).toBe('01');
    expect(text(xml, '/dn:DebitNote/cac:BillingReference//cbc:ID')).toBe('B001-00000009');
    expect(text(xml, '/dn:DebitNote/cac:BillingReference//cbc:DocumentTypeCode')).toBe('03');
    expect(text(xml, '//cac:DebitNoteLine/cbc:DebitedQuantity')).toBe('2');
    expect(text(xml, '/dn:DebitNote/cac:RequestedMonetaryTotal/cbc:PayableAmount')).toBe('7.00');
  });
});

const t = (price: string, affectation: '10' | '20' | '30' = '10', bags = 0) =>
  computeSale([{ quantity: bags || '1', unitPrice: price, taxAffectation: affectation, bags } as never]).totals;

describe('daily summary (RC)', () => {
  const rc: SummaryDocument = {
    kind: 'RC', issuer, referenceDate: '2026-11-27', issueDate: '2026-11-28', correlative: 2,
    lines: [
      { documentType: '03', series: 'B001', number: 1, condition: '1', currency: 'PEN', customer: { docType: '-', docNumber: '-', name: '' }, totals: t('118') },
      { documentType: '03', series: 'B001', number: 2, condition: '3', currency: 'PEN', customer: dniCustomer, totals: t('50', '20') },
      { documentType: '07', series: 'B001', number: 3, condition: '2', currency: 'PEN', customer: dniCustomer, reference: { documentType: '03', series: 'B001', number: 2 }, totals: t('0.10', '10', 2) },
    ],
  };

  it('is named RUC-RC-YYYYMMDD-N and lists each boleta with its condition', () => {
    expect(documentId(rc)).toBe(`${ISSUER_RUC}-RC-20261128-2`);
    expect(batchId('RC', '2026-11-28', 2)).toBe('RC-20261128-2');
    const xml = buildSummaryXml(rc);
    expect(text(xml, '/sum:SummaryDocuments/cbc:UBLVersionID')).toBe('2.0');
    expect(text(xml, '/sum:SummaryDocuments/cbc:CustomizationID')).toBe('1.1');
    expect(text(xml, '/sum:SummaryDocuments/cbc:ID')).toBe('RC-20261128-2');
    expect(text(xml, '/sum:SummaryDocuments/cbc:ReferenceDate')).toBe('2026-11-27');
    expect(texts(xml, '//sac:SummaryDocumentsLine/cac:Status/cbc:ConditionCode')).toEqual(['1', '3', '2']);
    expect(texts(xml, '//sac:SummaryDocumentsLine/cbc:ID')).toEqual(['B001-00000001', 'B001-00000002', 'B001-00000003']);
    expect(texts(xml, '//sac:SummaryDocumentsLine/sac:TotalAmount')).toEqual(['118.00', '50.00', '1.20']);
    expect(texts(xml, '//sac:SummaryDocumentsLine[2]/sac:BillingPayment/cbc:InstructionID')).toEqual(['02']);
    expect(text(xml, '//sac:SummaryDocumentsLine[3]/cac:BillingReference//cbc:ID')).toBe('B001-00000002');
    expect(text(xml, '//sac:SummaryDocumentsLine[3]/cac:TaxTotal[cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID="7152"]/cbc:TaxAmount')).toBe('1.00');
    expect(text(xml, '//sac:SummaryDocumentsLine[1]/cac:AccountingCustomerParty/cbc:AdditionalAccountID')).toBe('0');
  });
});

describe('voiding communication (RA)', () => {
  it('lists the voided facturas with serie, number and reason', () => {
    const ra: VoidedDocument = {
      kind: 'RA', issuer, referenceDate: '2026-11-27', issueDate: '2026-11-28', correlative: 1,
      lines: [{ documentType: '01', series: 'F001', number: 15, reason: 'ERROR EN EL RUC & <MONTO>' }],
    };
    expect(documentId(ra)).toBe(`${ISSUER_RUC}-RA-20261128-1`);
    const xml = buildVoidedXml(ra);
    expect(text(xml, '/voi:VoidedDocuments/cbc:ID')).toBe('RA-20261128-1');
    expect(text(xml, '//sac:VoidedDocumentsLine/sac:DocumentSerialID')).toBe('F001');
    expect(text(xml, '//sac:VoidedDocumentsLine/sac:DocumentNumberID')).toBe('15');
    expect(text(xml, '//sac:VoidedDocumentsLine/sac:VoidReasonDescription')).toBe('ERROR EN EL RUC & <MONTO>');
  });
});
