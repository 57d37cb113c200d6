import { describe, expect, it } from 'vitest';
import { buildInvoiceXml } from '../../src-main/sunat/ubl/invoice';
import type { InvoiceDocument } from '../../src-main/sunat/model';
import { dniCustomer, ISSUER_RUC, line, model, rucCustomer, text, texts } from './ubl-fixtures';

const invoice = (over: Record<string, unknown> = {}) => model(over) as InvoiceDocument;

describe('invoice builder (01 factura, 03 boleta)', () => {
  it('writes the UBL 2.1 header SUNAT expects', () => {
    const xml = buildInvoiceXml(invoice({ customer: dniCustomer }));
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"')).toBe(true);
    expect(text(xml, '/inv:Invoice/cbc:UBLVersionID')).toBe('2.1');
    expect(text(xml, '/inv:Invoice/cbc:CustomizationID')).toBe('2.0');
    expect(text(xml, '/inv:Invoice/cbc:ID')).toBe('B001-00000015');
    expect(text(xml, '/inv:Invoice/cbc:InvoiceTypeCode')).toBe('03');
    expect(text(xml, '/inv:Invoice/cbc:InvoiceTypeCode/@listID')).toBe('0101');
    expect(text(xml, '/inv:Invoice/cbc:IssueDate')).toBe('2026-11-27');
    expect(text(xml, '/inv:Invoice/cbc:IssueTime')).toBe('10:15:00');
    expect(text(xml, '/inv:Invoice/cbc:DocumentCurrencyCode')).toBe('PEN');
    // The signature slot exists and is empty until the signer fills it.
    expect(texts(xml, '/inv:Invoice/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/*')).toEqual([]);
    expect(text(xml, '/inv:Invoice/cac:Signature/cbc:ID')).toBe('SignIMM');
    expect(text(xml, '/inv:Invoice/cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI')).toBe('#SignIMM');
    expect(text(xml, '//cac:AccountingSupplierParty//cbc:ID[@schemeID="6"]')).toBe(ISSUER_RUC);
    expect(text(xml, '//cac:AccountingCustomerParty//cbc:ID/@schemeID')).toBe('1');
    expect(text(xml, '//cac:AccountingCustomerParty//cbc:RegistrationName')).toBe('ANA TORRES ÑAHUI');
    expect(texts(xml, '//cac:PaymentTerms')).toEqual([]);
  });

  it('writes the legend 1000 with the payable amount in words', () => {
    const xml = buildInvoiceXml(invoice({ lines: [line({ quantity: '1', unitPrice: '120.50' })] }));
    expect(text(xml, '//cbc:Note[@languageLocaleID="1000"]')).toBe('CIENTO VEINTE CON 50/100 SOLES');
    expect(texts(xml, '//cbc:Note[@languageLocaleID="1002"]')).toEqual([]);
  });

  it('a factura carries the customer RUC and the payment form', () => {
    const xml = buildInvoiceXml(invoice({ documentType: '01', series: 'F001', customer: rucCustomer }));
    expect(text(xml, '//cbc:InvoiceTypeCode')).toBe('01');
    expect(text(xml, '//cac:AccountingCustomerParty//cbc:ID[@schemeID="6"]')).toBe(rucCustomer.docNumber);
    expect(text(xml, '//cac:PaymentTerms/cbc:PaymentMeansID')).toBe('Contado');
  });

  it('an anonymous boleta names "clientes varios" with number "-"', () => {
    const xml = buildInvoiceXml(invoice());
    expect(text(xml, '//cac:AccountingCustomerParty//cbc:ID')).toBe('-');
    expect(text(xml, '//cac:AccountingCustomerParty//cbc:ID/@schemeID')).toBe('0');
    expect(text(xml, '//cac:AccountingCustomerParty//cbc:RegistrationName')).toBe('CLIENTES VARIOS');
  });

  it('gravado line: value without IGV, IGV 18%, price with tax 01, unit value', () => {
    const xml = buildInvoiceXml(invoice({ lines: [line({ quantity: '2', unitPrice: '3.54' })] }));
    expect(text(xml, '//cac:InvoiceLine/cbc:LineExtensionAmount')).toBe('6.00');
    expect(text(xml, '//cac:InvoiceLine/cbc:InvoicedQuantity/@unitCode')).toBe('NIU');
    expect(text(xml, '//cac:InvoiceLine/cac:PricingReference//cbc:PriceAmount')).toBe('3.54');
    expect(text(xml, '//cac:InvoiceLine/cac:PricingReference//cbc:PriceTypeCode')).toBe('01');
    expect(text(xml, '//cac:InvoiceLine/cac:TaxTotal/cbc:TaxAmount')).toBe('1.08');
    expect(text(xml, '//cac:InvoiceLine//cac:TaxCategory/cbc:Percent')).toBe('18.00');
    expect(text(xml, '//cac:InvoiceLine//cbc:TaxExemptionReasonCode')).toBe('10');
    expect(text(xml, '//cac:InvoiceLine//cac:TaxScheme/cbc:ID')).toBe('1000');
    expect(text(xml, '//cac:InvoiceLine/cac:Price/cbc:PriceAmount')).toBe('3.00');
    expect(text(xml, '/inv:Invoice/cac:TaxTotal/cbc:TaxAmount')).toBe('1.08');
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:LineExtensionAmount')).toBe('6.00');
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount')).toBe('7.08');
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('7.08');
  });

  it('exonerado and inafecto lines get their own tax schemes and document subtotals', () => {
    const xml = buildInvoiceXml(invoice({ lines: [line({ taxAffectation: '20', unitPrice: '5' }), line({ taxAffectation: '30', unitPrice: '2' })] }));
    expect(texts(xml, '//cac:InvoiceLine//cac:TaxScheme/cbc:ID')).toEqual(['9997', '9998']);
    expect(texts(xml, '//cac:InvoiceLine//cac:TaxCategory/cbc:ID')).toEqual(['E', 'O']);
    expect(texts(xml, '/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID')).toEqual(['9997', '9998']);
    expect(texts(xml, '/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount')).toEqual(['10.00', '4.00']);
    expect(text(xml, '/inv:Invoice/cac:TaxTotal/cbc:TaxAmount')).toBe('0.00');
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('14.00');
  });

  it.each(['11', '12', '13', '14', '15', '16', '21', '31', '32', '33', '34', '35', '36', '37'])(
    'free transfer %s: legend 1002, scheme 9996 GRA, referential price 02, nothing charged',
    (code) => {
      const gravado = code.startsWith('1');
      const xml = buildInvoiceXml(invoice({ lines: [line(), line({ quantity: '1', unitPrice: gravado ? '11.80' : '10.00', taxAffectation: code as '10' })] }));
      expect(text(xml, '//cbc:Note[@languageLocaleID="1002"]')).toMatch(/TRANSFERENCIA GRATUITA/);
      const free = '//cac:InvoiceLine[2]';
      expect(text(xml, `${free}/cac:PricingReference//cbc:PriceTypeCode`)).toBe('02');
      expect(text(xml, `${free}/cac:PricingReference//cbc:PriceAmount`)).toBe('10.00');
      expect(text(xml, `${free}/cbc:LineExtensionAmount`)).toBe('10.00');
      expect(text(xml, `${free}/cac:Price/cbc:PriceAmount`)).toBe('0.00');
      expect(text(xml, `${free}/cac:TaxTotal/cbc:TaxAmount`)).toBe('0.00');
      expect(text(xml, `${free}//cac:TaxSubtotal/cbc:TaxAmount`)).toBe(gravado ? '1.80' : '0.00');
      expect(text(xml, `${free}//cac:TaxScheme/cbc:ID`)).toBe('9996');
      expect(text(xml, `${free}//cac:TaxScheme/cbc:Name`)).toBe('GRA');
      expect(text(xml, `${free}//cbc:TaxExemptionReasonCode`)).toBe(code);
      expect(text(xml, '/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cac:TaxScheme/cbc:ID="9996"]/cbc:TaxableAmount')).toBe('10.00');
      // The free line adds nothing to what the customer pays.
      expect(text(xml, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('7.00');
      expect(text(xml, '//cac:LegalMonetaryTotal/cbc:LineExtensionAmount')).toBe('5.93');
    },
  );

  it('a line discount is an AllowanceCharge 00 on the value without tax', () => {
    const xml = buildInvoiceXml(invoice({ lines: [line({ quantity: '2', unitPrice: '3.50', discount: '0.50' })] }));
    expect(text(xml, '//cac:InvoiceLine/cac:AllowanceCharge/cbc:ChargeIndicator')).toBe('false');
    expect(text(xml, '//cac:InvoiceLine/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode')).toBe('00');
    expect(text(xml, '//cac:InvoiceLine/cac:AllowanceCharge/cbc:BaseAmount')).toBe('5.93');
    expect(text(xml, '//cac:InvoiceLine/cac:AllowanceCharge/cbc:Amount')).toBe('0.42');
    expect(text(xml, '//cac:InvoiceLine/cbc:LineExtensionAmount')).toBe('5.51');
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('6.50');
  });

  it('plastic bags carry ICBPER 7152 with the per-bag amount and the bag count', () => {
    const xml = buildInvoiceXml(invoice({ lines: [line(), line({ description: 'BOLSA PLASTICA', quantity: '3', unitPrice: '0.10', bags: 3 })] }));
    const bag = '//cac:InvoiceLine[2]/cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cac:TaxScheme/cbc:ID="7152"]';
    expect(text(xml, `${bag}/cbc:TaxAmount`)).toBe('1.50');
    expect(text(xml, `${bag}/cbc:BaseUnitMeasure`)).toBe('3');
    expect(text(xml, `${bag}/cac:TaxCategory/cbc:PerUnitAmount`)).toBe('0.50');
    expect(text(xml, `${bag}/cac:TaxCategory/cac:TaxScheme/cbc:Name`)).toBe('ICBPER');
    expect(text(xml, '/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal[cac:TaxCategory/cac:TaxScheme/cbc:ID="7152"]/cbc:TaxAmount')).toBe('1.50');
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('8.80');
  });

  it('escapes &, < and keeps Ñ and ó as UTF-8', () => {
    const xml = buildInvoiceXml(invoice({ lines: [line({ description: 'PAN & MANTEQUILLA <OFERTA> AÑO canción' })] }));
    expect(xml).toContain('PAN &amp; MANTEQUILLA &lt;OFERTA&gt; AÑO canción');
    expect(text(xml, '//cac:Item/cbc:Description')).toBe('PAN & MANTEQUILLA <OFERTA> AÑO canción');
    expect(xml).toContain('MI BODEGA &amp; HNOS S.A.C.');
  });

  it('numbers many lines in order', () => {
    const lines = Array.from({ length: 60 }, (_, i) => line({ description: `ITEM ${i + 1}`, quantity: '1', unitPrice: '1.18' }));
    const xml = buildInvoiceXml(invoice({ customer: dniCustomer, lines }));
    expect(texts(xml, '//cac:InvoiceLine/cbc:ID')).toEqual(lines.map((_, i) => String(i + 1)));
    expect(text(xml, '//cac:LegalMonetaryTotal/cbc:PayableAmount')).toBe('70.80');
  });

  it('is a pure function of the model', () => {
    const m = invoice({ customer: dniCustomer });
    expect(buildInvoiceXml(m)).toBe(buildInvoiceXml(m));
  });
});
