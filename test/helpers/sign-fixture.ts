// Minimal signed UBL 2.1 facturas/boletas for the SUNAT tests (until the real builders land, and to vary amounts).
import { zipSync, strToU8 } from 'fflate';
import { SignedXml } from 'xml-crypto';
import { Dec } from '../../src-shared/decimal';
import { createSimulatorIdentity, type SimulatorIdentity } from '../../src-main/sunat/simulator/xmlsig';

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

let cachedCert: SimulatorIdentity | undefined;
export function testCertificate(): SimulatorIdentity {
  cachedCert ??= createSimulatorIdentity('EMPRESA DE PRUEBA SAC');
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
<cac:TaxTotal><cbc:TaxAmount currencyID="PEN">${igv.toFixed(2)}</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID="PEN">${base.toFixed(2)}</cbc:TaxableAmount><cbc:TaxAmount currencyID="PEN">${igv.toFixed(2)}</cbc:TaxAmount><cac:TaxCategory><cac:TaxScheme><cbc:ID>1000</cbc:ID><cbc:Name>IGV</cbc:Name><cbc:TaxTypeCode>VAT</cbc:TaxTypeCode></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="PEN">${base.toFixed(2)}</cbc:LineExtensionAmount><cbc:TaxInclusiveAmount currencyID="PEN">${total.toFixed(2)}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="PEN">${payable.toFixed(2)}</cbc:PayableAmount></cac:LegalMonetaryTotal>
${lines}
</Invoice>`;
}

/** RSA-SHA1, SHA-1 digest, inclusive C14N, URI="", certificate embedded: the shape DESIGN §5 fixes. */
export function signUbl(xml: string, cert: SimulatorIdentity = testCertificate(), signatureId = `SIGN-${TEST_RUC}`): string {
  const sig = new SignedXml({
    privateKey: cert.keyPem,
    publicCert: cert.certPem,
    signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  });
  sig.addReference({
    xpath: '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature'],
    digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1',
    isEmptyUri: true,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    attrs: { Id: signatureId },
    location: { reference: "//*[local-name()='ExtensionContent']", action: 'append' },
  });
  return sig.getSignedXml();
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

/** A minimal signed daily summary (RC) for sendSummary tests. */
export function signedSummary(ruc = TEST_RUC, date = '20250115', n = 1): { fileName: string; zip: Uint8Array } {
  const id = `RC-${date}-${n}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<SummaryDocuments xmlns="urn:sunat:names:specification:ubl:peru:schema:xsd:SummaryDocuments-1" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:sac="urn:sunat:names:specification:ubl:peru:schema:xsd:SunatAggregateComponents-1">
<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent/></ext:UBLExtension></ext:UBLExtensions>
<cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:CustomizationID>1.1</cbc:CustomizationID><cbc:ID>${id}</cbc:ID>
<cbc:ReferenceDate>2025-01-15</cbc:ReferenceDate><cbc:IssueDate>2025-01-15</cbc:IssueDate>
<cac:AccountingSupplierParty><cbc:CustomerAssignedAccountID>${ruc}</cbc:CustomerAssignedAccountID><cbc:AdditionalAccountID>6</cbc:AdditionalAccountID></cac:AccountingSupplierParty>
</SummaryDocuments>`;
  const base = `${ruc}-RC-${date}-${n}`;
  return { fileName: `${base}.zip`, zip: zipNamed(base, signUbl(xml, testCertificate(), `SIGN-${ruc}`)) };
}
