// Signed documents for the SUNAT tests. Real documents come from the real builders and signer (src-main/sunat/build.ts);
// the hand-written invoice below exists only to carry wrong amounts the builders can never produce, and is signed
// with the real signer too. SUNAT's own signed samples (shared/sunat/samples/signed) keep the simulator honest
// about signatures our code did not make.
import { zipSync, strToU8 } from 'fflate';
import { Dec } from '../../src-shared/decimal';
import { computeSale, type LineInput } from '../../src-shared/tax';
import { buildSignedDocument } from '../../src-main/sunat/build';
import { createDemoCertificate, type DemoCertificate } from '../../src-main/sunat/certificate';
import type { Customer, Issuer, SaleDocument, SummaryDocument, SummaryLine, VoidedDocument, VoidedLine } from '../../src-main/sunat/model';
import { signXml } from '../../src-main/sunat/signer';

export const TEST_RUC = '20123456789';

export interface FixtureOptions {
  ruc?: string;
  type?: '01' | '03';
  series?: string;
  number?: number;
  customer?: { type: string; number: string; name: string } | null;
  /** Line values before tax (IGV 18 % computed per line unless overridden). */
  lines?: string[];
  lineIgvOverride?: string;
  payableOverride?: string;
  supplierRucOverride?: string;
  idOverride?: string;
}

let cachedCert: DemoCertificate | undefined;
/** The demo certificate iziSales makes for a store (self-signed, as SUNAT beta accepts). */
export function testCertificate(): DemoCertificate {
  cachedCert ??= createDemoCertificate(TEST_RUC, 'EMPRESA DE PRUEBA SAC');
  return cachedCert;
}

export function fixtureName(o: FixtureOptions = {}): string {
  const type = o.type ?? '01';
  return `${o.ruc ?? TEST_RUC}-${type}-${o.series ?? (type === '01' ? 'F001' : 'B001')}-${o.number ?? 1}`;
}

export function buildInvoiceXml(o: FixtureOptions = {}): string {
  const ruc = o.ruc ?? TEST_RUC;
  const type = o.type ?? '01';
  const series = o.series ?? (type === '01' ? 'F001' : 'B001');
  const id = o.idOverride ?? `${series}-${o.number ?? 1}`;
  const customer =
    o.customer === undefined
      ? type === '01'
        ? { type: '6', number: '20100070970', name: 'CLIENTE SAC' }
        : { type: '1', number: '12345678', name: 'JUAN PEREZ' }
      : o.customer;
  const values = (o.lines ?? ['100.00']).map((v) => Dec.of(v));
  const igvs = values.map((v) => (o.lineIgvOverride ? Dec.of(o.lineIgvOverride) : v.times('0.18').round(2)));
  const base = values.reduce((a, b) => a.plus(b), Dec.ZERO);
  const igv = igvs.reduce((a, b) => a.plus(b), Dec.ZERO);
  const total = base.plus(igv);
  const payable = o.payableOverride ? Dec.of(o.payableOverride) : total;
  const lines = values
    .map(
      (v, i) => `<cac:InvoiceLine><cbc:ID>${i + 1}</cbc:ID><cbc:InvoicedQuantity unitCode="NIU">1</cbc:InvoicedQuantity>
<cbc:LineExtensionAmount currencyID="PEN">${v.toFixed(2)}</cbc:LineExtensionAmount>
<cac:PricingReference><cac:AlternativeConditionPrice><cbc:PriceAmount currencyID="PEN">${v.plus(igvs[i]).toFixed(2)}</cbc:PriceAmount><cbc:PriceTypeCode>01</cbc:PriceTypeCode></cac:AlternativeConditionPrice></cac:PricingReference>
<cac:TaxTotal><cbc:TaxAmount currencyID="PEN">${igvs[i].toFixed(2)}</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="PEN">${v.toFixed(2)}</cbc:TaxableAmount><cbc:TaxAmount currencyID="PEN">${igvs[i].toFixed(2)}</cbc:TaxAmount><cac:TaxCategory><cbc:Percent>18</cbc:Percent><cbc:TaxExemptionReasonCode>10</cbc:TaxExemptionReasonCode><cac:TaxScheme><cbc:ID>1000</cbc:ID><cbc:Name>IGV</cbc:Name><cbc:TaxTypeCode>VAT</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:Item><cbc:Description>PRODUCTO ${i + 1}</cbc:Description></cac:Item><cac:Price><cbc:PriceAmount currencyID="PEN">${v.toFixed(2)}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>`,
    )
    .join('\n');
  const customerXml = customer
    ? `<cac:AccountingCustomerParty><cac:Party><cac:PartyIdentification><cbc:ID schemeID="${customer.type}">${customer.number}</cbc:ID></cac:PartyIdentification><cac:PartyLegalEntity><cbc:RegistrationName>${customer.name}</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent/></ext:UBLExtension></ext:UBLExtensions>
<cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:CustomizationID>2.0</cbc:CustomizationID>
<cbc:ID>${id}</cbc:ID><cbc:IssueDate>2025-01-15</cbc:IssueDate><cbc:IssueTime>10:00:00</cbc:IssueTime>
<cbc:InvoiceTypeCode listID="0101">${type}</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>PEN</cbc:DocumentCurrencyCode>
<cac:Signature><cbc:ID>SIGN-${ruc}</cbc:ID><cac:SignatoryParty><cac:PartyIdentification><cbc:ID>${ruc}</cbc:ID></cac:PartyIdentification><cac:PartyName><cbc:Name>EMPRESA DE PRUEBA SAC</cbc:Name></cac:PartyName></cac:SignatoryParty><cac:DigitalSignatureAttachment><cac:ExternalReference><cbc:URI>#SIGN-${ruc}</cbc:URI></cac:ExternalReference></cac:DigitalSignatureAttachment></cac:Signature>
<cac:AccountingSupplierParty><cac:Party><cac:PartyIdentification><cbc:ID schemeID="6">${o.supplierRucOverride ?? ruc}</cbc:ID></cac:PartyIdentification><cac:PartyLegalEntity><cbc:RegistrationName>EMPRESA DE PRUEBA SAC</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
${customerXml}
${type === '01' ? '<cac:PaymentTerms><cbc:ID>FormaPago</cbc:ID><cbc:PaymentMeansID>Contado</cbc:PaymentMeansID></cac:PaymentTerms>' : ''}
<cac:TaxTotal><cbc:TaxAmount currencyID="PEN">${igv.toFixed(2)}</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="PEN">${base.toFixed(2)}</cbc:TaxableAmount><cbc:TaxAmount currencyID="PEN">${igv.toFixed(2)}</cbc:TaxAmount><cac:TaxCategory><cac:TaxScheme><cbc:ID>1000</cbc:ID><cbc:Name>IGV</cbc:Name><cbc:TaxTypeCode>VAT</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="PEN">${base.toFixed(2)}</cbc:LineExtensionAmount><cbc:TaxInclusiveAmount currencyID="PEN">${total.toFixed(2)}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="PEN">${payable.toFixed(2)}</cbc:PayableAmount></cac:LegalMonetaryTotal>
${lines}
</Invoice>`;
}

/** Signs with the real signer (RSA-SHA1, SHA-1 digest, inclusive C14N, URI="", certificate embedded). */
export function signUbl(xml: string, cert: DemoCertificate = testCertificate(), signatureId = `SIGN-${TEST_RUC}`): string {
  return signXml(xml, cert, signatureId).xml;
}

export function zipNamed(baseName: string, xml: string | Uint8Array, entryName = `${baseName}.xml`): Uint8Array {
  return zipSync({ [entryName]: typeof xml === 'string' ? strToU8(xml) : xml });
}

/** A signed document zipped under SUNAT's name: { fileName, zip, xml }. */
export function signedFixture(o: FixtureOptions = {}): { fileName: string; baseName: string; zip: Uint8Array; xml: string } {
  const baseName = fixtureName(o);
  const xml = signUbl(buildInvoiceXml(o), testCertificate(), `SIGN-${o.ruc ?? TEST_RUC}`);
  return { fileName: `${baseName}.zip`, baseName, zip: zipNamed(baseName, xml), xml };
}

// ---- Real documents, from the builders ------------------------------------------------------------------------

export function testIssuer(ruc = TEST_RUC): Issuer {
  return { ruc, name: 'EMPRESA DE PRUEBA SAC', establishmentCode: '0000', address: 'AV. LIMA 123' };
}

export const ANONYMOUS: Customer = { docType: '0', docNumber: '-', name: 'CLIENTES VARIOS' };
export const RUC_CUSTOMER: Customer = { docType: '6', docNumber: '20100070970', name: 'CLIENTE SAC' };

export interface Signed {
  fileName: string;
  baseName: string;
  zip: Uint8Array;
  xml: string;
}

const priced = (prices: string[]): LineInput[] => prices.map((p) => ({ quantity: '1', unitPrice: p, taxAffectation: '10' }));

/** A factura (01) or boleta (03) model; prices include IGV. */
export function saleModel(o: { type?: '01' | '03'; series?: string; number: number; issueDate: string; customer?: Customer; prices?: string[]; ruc?: string }): SaleDocument {
  const type = o.type ?? '01';
  const sale = computeSale(priced(o.prices ?? ['118.00']));
  return {
    documentType: type,
    issuer: testIssuer(o.ruc),
    series: o.series ?? (type === '01' ? 'F001' : 'B001'),
    number: o.number,
    issueDate: o.issueDate,
    issueTime: '10:00:00',
    currency: 'PEN',
    customer: o.customer ?? (type === '01' ? RUC_CUSTOMER : ANONYMOUS),
    lines: sale.lines.map((amounts, i) => ({ description: `PRODUCTO ${i + 1}`, unitCode: 'NIU', amounts })),
    totals: sale.totals,
    rates: { igv: '0.18', icbper: '0.50' },
  };
}

/** A summary line for a boleta with these prices (IGV included). */
export function summaryLine(o: Partial<SummaryLine> & { number: number; prices?: string[] }): SummaryLine {
  const { prices, ...rest } = o;
  return {
    documentType: '03',
    series: 'B001',
    condition: '1',
    currency: 'PEN',
    customer: ANONYMOUS,
    totals: computeSale(priced(prices ?? ['59.00'])).totals,
    ...rest,
  };
}

export function summaryModel(o: { issueDate: string; referenceDate?: string; correlative?: number; lines: SummaryLine[]; ruc?: string }): SummaryDocument {
  return { kind: 'RC', issuer: testIssuer(o.ruc), referenceDate: o.referenceDate ?? o.issueDate, issueDate: o.issueDate, correlative: o.correlative ?? 1, lines: o.lines };
}

export function voidedModel(o: { issueDate: string; referenceDate?: string; correlative?: number; lines: Array<Partial<VoidedLine> & { number: number }>; ruc?: string }): VoidedDocument {
  return {
    kind: 'RA',
    issuer: testIssuer(o.ruc),
    referenceDate: o.referenceDate ?? o.issueDate,
    issueDate: o.issueDate,
    correlative: o.correlative ?? 1,
    lines: o.lines.map((l) => ({ documentType: '01', series: 'F001', reason: 'ERROR EN EL RUC DEL CLIENTE', ...l })),
  };
}

/** Built, signed and zipped by the real code path (build.ts). */
export function signedReal(model: SaleDocument | SummaryDocument | VoidedDocument, cert: DemoCertificate = testCertificate()): Signed {
  const b = 'kind' in model ? buildSignedDocument(model, cert) : buildSignedDocument(model, cert);
  return { fileName: `${b.fileName}.zip`, baseName: b.fileName, zip: b.zip, xml: b.xml };
}
