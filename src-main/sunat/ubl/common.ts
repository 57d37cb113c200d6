// Parts every UBL 2.1 document shares: namespaces, the empty signature slot, cac:Signature, parties, tax totals,
// legends and line taxes. Builders stay pure: model in, a tree (ubl/tree.ts) out.
import { Dec } from '../../../src-shared/decimal';
import type { LineAmounts, Totals } from '../../../src-shared/tax';
import { amountToWords } from '../../../src-shared/words';
import { XmlElement } from './tree';
import { batchId, documentNumber, type CreditPaymentTerms, type Customer, type Issuer, type NoteDocument, type SummaryDocument, type VoidedDocument } from '../model';
import { instalmentId } from '../../../src-shared/credit';

export const NS = {
  invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  creditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
  debitNote: 'urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2',
  summary: 'urn:sunat:names:specification:ubl:peru:schema:xsd:SummaryDocuments-1',
  voided: 'urn:sunat:names:specification:ubl:peru:schema:xsd:VoidedDocuments-1',
  cac: 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  cbc: 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
  ext: 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  sac: 'urn:sunat:names:specification:ubl:peru:schema:xsd:SunatAggregateComponents-1',
} as const;

/** Id shared by ds:Signature/@Id and cac:Signature/cbc:ID (DESIGN §5). */
export const DEFAULT_SIGNATURE_ID = 'SignIMM';

export const LEGEND_AMOUNT_IN_WORDS = '1000';
export const LEGEND_FREE = '1002';
export const LEGEND_FREE_TEXT = 'TRANSFERENCIA GRATUITA DE UN BIEN Y/O SERVICIO PRESTADO GRATUITAMENTE';

export type Node = XmlElement;

/**
 * Starts a document whose root declares the namespaces the signer and the rules expect. The root is the document:
 * finishDocument adds the XML declaration.
 */
export function startDocument(rootNs: string, rootName: string, extra: Record<string, string> = {}): Node {
  const root = XmlElement.root(rootNs, rootName, {
    'xmlns:cac': NS.cac,
    'xmlns:cbc': NS.cbc,
    'xmlns:ds': NS.ds,
    'xmlns:ext': NS.ext,
    ...extra,
  });
  // The signer fills this slot; it must exist (empty) before the digest is computed.
  root.ele('ext:UBLExtensions').ele('ext:UBLExtension').ele('ext:ExtensionContent');
  return root;
}

export function finishDocument(doc: Node): string {
  return doc.serialize();
}

/** Adds a child with optional attributes and text; returns the child. */
export function el(parent: Node, name: string, text?: string | null, attrs?: Record<string, string>): Node {
  const child = attrs ? parent.ele(name, attrs) : parent.ele(name);
  if (text !== undefined && text !== null) child.txt(text);
  return child;
}

/** Amount with 2 decimals. */
export function money(d: Dec): string {
  return d.toFixed(2);
}

/** Unit values: up to 10 decimals, at least 2, no trailing zeros beyond that. */
export function unitValue(d: Dec): string {
  const s = d.round(10).toFixed(10);
  return s.replace(/(\.\d\d\d*?)0+$/, '$1');
}

export function amount(parent: Node, name: string, value: Dec, currency: string): Node {
  return el(parent, name, money(value), { currencyID: currency });
}

/** LegalMonetaryTotal (invoices, credit notes) or RequestedMonetaryTotal (debit notes). */
export function monetaryTotal(root: Node, name: string, t: Totals, currency: string): void {
  const monetary = el(root, name);
  amount(monetary, 'cbc:LineExtensionAmount', t.lineExtension, currency);
  amount(monetary, 'cbc:TaxInclusiveAmount', t.taxInclusive, currency);
  amount(monetary, 'cbc:PayableAmount', t.payable, currency);
}

/** The shared head of a daily summary (RC) and a voiding communication (RA): IDs, dates, signature, issuer. */
export function batchDocument(
  doc: SummaryDocument | VoidedDocument, rootNs: string, rootName: string, customizationId: string, signatureId: string,
): Node {
  const root = startDocument(rootNs, rootName, { 'xmlns:sac': NS.sac });
  el(root, 'cbc:UBLVersionID', '2.0');
  el(root, 'cbc:CustomizationID', customizationId);
  el(root, 'cbc:ID', batchId(doc.kind, doc.issueDate, doc.correlative));
  el(root, 'cbc:ReferenceDate', doc.referenceDate);
  el(root, 'cbc:IssueDate', doc.issueDate);
  signatureBlock(root, doc.issuer, signatureId);
  const supplier = el(root, 'cac:AccountingSupplierParty');
  el(supplier, 'cbc:CustomerAssignedAccountID', doc.issuer.ruc);
  el(supplier, 'cbc:AdditionalAccountID', '6');
  el(el(el(supplier, 'cac:Party'), 'cac:PartyLegalEntity'), 'cbc:RegistrationName', doc.issuer.name);
  return root;
}

export function signatureBlock(root: Node, issuer: Issuer, signatureId = DEFAULT_SIGNATURE_ID): void {
  const sig = el(root, 'cac:Signature');
  el(sig, 'cbc:ID', signatureId);
  const party = el(sig, 'cac:SignatoryParty');
  el(el(party, 'cac:PartyIdentification'), 'cbc:ID', issuer.ruc);
  el(el(party, 'cac:PartyName'), 'cbc:Name', issuer.name);
  el(el(el(sig, 'cac:DigitalSignatureAttachment'), 'cac:ExternalReference'), 'cbc:URI', `#${signatureId}`);
}

export function supplierParty(root: Node, issuer: Issuer): void {
  const party = el(el(root, 'cac:AccountingSupplierParty'), 'cac:Party');
  el(el(party, 'cac:PartyIdentification'), 'cbc:ID', issuer.ruc, { schemeID: '6' });
  if (issuer.tradeName) el(el(party, 'cac:PartyName'), 'cbc:Name', issuer.tradeName);
  const legal = el(party, 'cac:PartyLegalEntity');
  el(legal, 'cbc:RegistrationName', issuer.name);
  const address = el(legal, 'cac:RegistrationAddress');
  if (issuer.ubigeo) el(address, 'cbc:ID', issuer.ubigeo);
  el(address, 'cbc:AddressTypeCode', issuer.establishmentCode);
  if (issuer.province) el(address, 'cbc:CityName', issuer.province);
  if (issuer.department) el(address, 'cbc:CountrySubentity', issuer.department);
  if (issuer.district) el(address, 'cbc:District', issuer.district);
  if (issuer.address) el(el(address, 'cac:AddressLine'), 'cbc:Line', issuer.address);
  el(el(address, 'cac:Country'), 'cbc:IdentificationCode', 'PE');
}

/**
 * Anonymous customers ("clientes varios") are written as type 0 with number '-': the boleta rules accept '-' as
 * a type, but the credit/debit note rules check the type against catalog 06, which has no '-'.
 */
export function customerIdentity(c: Customer): { docType: string; docNumber: string; name: string } {
  const anonymous = c.docType === '-' || (c.docType === '0' && (!c.docNumber || c.docNumber === '-'));
  if (anonymous) return { docType: '0', docNumber: '-', name: c.name || 'CLIENTES VARIOS' };
  return { docType: c.docType, docNumber: c.docNumber, name: c.name };
}

export function customerParty(root: Node, customer: Customer): void {
  const c = customerIdentity(customer);
  const party = el(el(root, 'cac:AccountingCustomerParty'), 'cac:Party');
  el(el(party, 'cac:PartyIdentification'), 'cbc:ID', c.docNumber, { schemeID: c.docType });
  const legal = el(party, 'cac:PartyLegalEntity');
  el(legal, 'cbc:RegistrationName', c.name);
  if (customer.address) el(el(el(legal, 'cac:RegistrationAddress'), 'cac:AddressLine'), 'cbc:Line', customer.address);
}

/** Legend 1000 (amount in words) always; legend 1002 when any line is a free transfer. */
export function legends(root: Node, totals: Totals, currency: 'PEN' | 'USD'): void {
  el(root, 'cbc:Note', amountToWords(totals.payable, currency), { languageLocaleID: LEGEND_AMOUNT_IN_WORDS });
  if (totals.hasFree) el(root, 'cbc:Note', LEGEND_FREE_TEXT, { languageLocaleID: LEGEND_FREE });
}

/** Catalog 05 tax schemes. */
export const TAX_SCHEMES = {
  igv: { id: '1000', name: 'IGV', code: 'VAT', category: 'S' },
  exonerado: { id: '9997', name: 'EXO', code: 'VAT', category: 'E' },
  inafecto: { id: '9998', name: 'INA', code: 'FRE', category: 'O' },
  gratuito: { id: '9996', name: 'GRA', code: 'FRE', category: 'Z' },
  icbper: { id: '7152', name: 'ICBPER', code: 'OTH', category: 'S' },
} as const;
type Scheme = (typeof TAX_SCHEMES)[keyof typeof TAX_SCHEMES];

function taxScheme(category: Node, s: Scheme): void {
  const scheme = el(category, 'cac:TaxScheme');
  el(scheme, 'cbc:ID', s.id);
  el(scheme, 'cbc:Name', s.name);
  el(scheme, 'cbc:TaxTypeCode', s.code);
}

function totalSubtotal(parent: Node, s: Scheme, taxable: Dec, tax: Dec, currency: string): void {
  const sub = el(parent, 'cac:TaxSubtotal');
  amount(sub, 'cbc:TaxableAmount', taxable, currency);
  amount(sub, 'cbc:TaxAmount', tax, currency);
  const cat = el(sub, 'cac:TaxCategory');
  el(cat, 'cbc:ID', s.category);
  taxScheme(cat, s);
}

/** Document-level cac:TaxTotal: one subtotal per tax group present. */
export function documentTaxTotal(root: Node, t: Totals, currency: string): void {
  const total = el(root, 'cac:TaxTotal');
  amount(total, 'cbc:TaxAmount', t.igv.plus(t.icbper), currency);
  const hasAny = !t.gravado.isZero() || !t.exonerado.isZero() || !t.inafecto.isZero() || t.hasFree;
  // IGV subtotal when there are gravado sales, or as the zero subtotal of a document with nothing else.
  if (!t.gravado.isZero() || !hasAny) totalSubtotal(total, TAX_SCHEMES.igv, t.gravado, t.igv, currency);
  if (!t.exonerado.isZero()) totalSubtotal(total, TAX_SCHEMES.exonerado, t.exonerado, Dec.ZERO, currency);
  if (!t.inafecto.isZero()) totalSubtotal(total, TAX_SCHEMES.inafecto, t.inafecto, Dec.ZERO, currency);
  if (t.hasFree) totalSubtotal(total, TAX_SCHEMES.gratuito, t.gratuito, t.igvGratuito, currency);
  if (!t.icbper.isZero()) {
    const sub = el(total, 'cac:TaxSubtotal');
    amount(sub, 'cbc:TaxAmount', t.icbper, currency);
    const cat = el(sub, 'cac:TaxCategory');
    taxScheme(cat, TAX_SCHEMES.icbper);
  }
}

function lineScheme(l: LineAmounts): Scheme {
  if (l.free) return TAX_SCHEMES.gratuito;
  return l.group === 'gravado' ? TAX_SCHEMES.igv : l.group === 'exonerado' ? TAX_SCHEMES.exonerado : TAX_SCHEMES.inafecto;
}

/** Price with tax SUNAT recomputes as (value + taxes) / quantity; the shelf price when nothing alters it. */
export function linePriceWithTax(l: LineAmounts): Dec {
  if (l.discountWithTax.isZero() && l.icbper.isZero()) return l.unitPrice;
  return l.total.div(l.quantity, 10);
}

/** Line cac:PricingReference: 01 price with tax, or 02 referential value for a free line. */
export function linePricingReference(line: Node, l: LineAmounts, currency: string): void {
  const alt = el(el(line, 'cac:PricingReference'), 'cac:AlternativeConditionPrice');
  el(alt, 'cbc:PriceAmount', unitValue(l.free ? l.unitValue : linePriceWithTax(l)), { currencyID: currency });
  el(alt, 'cbc:PriceTypeCode', l.free ? '02' : '01');
}

/** Line discount (catalog 53 code 00: reduces the taxable base). */
export function lineAllowance(line: Node, l: LineAmounts, currency: string): void {
  if (l.discountBase.isZero()) return;
  const ac = el(line, 'cac:AllowanceCharge');
  el(ac, 'cbc:ChargeIndicator', 'false');
  el(ac, 'cbc:AllowanceChargeReasonCode', '00');
  el(ac, 'cbc:MultiplierFactorNumeric', l.discountBase.div(l.grossValue, 5).toString());
  amount(ac, 'cbc:Amount', l.discountBase, currency);
  amount(ac, 'cbc:BaseAmount', l.grossValue, currency);
}

/** Line cac:TaxTotal: the IGV-family subtotal, plus ICBPER when the line carries bags. */
export function lineTaxTotal(line: Node, l: LineAmounts, currency: string, igvPercent: string, icbperRate: Dec): void {
  const total = el(line, 'cac:TaxTotal');
  const charged = l.free ? Dec.ZERO.round(2) : l.igv;
  amount(total, 'cbc:TaxAmount', charged.plus(l.icbper), currency);
  const sub = el(total, 'cac:TaxSubtotal');
  amount(sub, 'cbc:TaxableAmount', l.value, currency);
  amount(sub, 'cbc:TaxAmount', l.igv, currency);
  const cat = el(sub, 'cac:TaxCategory');
  const s = lineScheme(l);
  el(cat, 'cbc:ID', s.category);
  el(cat, 'cbc:Percent', l.group === 'gravado' ? igvPercent : '0');
  el(cat, 'cbc:TaxExemptionReasonCode', l.taxAffectation);
  taxScheme(cat, s);
  if (l.bags > 0) {
    const bag = el(total, 'cac:TaxSubtotal');
    amount(bag, 'cbc:TaxAmount', l.icbper, currency);
    el(bag, 'cbc:BaseUnitMeasure', String(l.bags), { unitCode: 'NIU' });
    const bagCat = el(bag, 'cac:TaxCategory');
    el(bagCat, 'cbc:PerUnitAmount', money(icbperRate), { currencyID: currency });
    taxScheme(bagCat, TAX_SCHEMES.icbper);
  }
}

export function lineItem(line: Node, description: string, code?: string): void {
  const item = el(line, 'cac:Item');
  el(item, 'cbc:Description', description);
  if (code) el(el(item, 'cac:SellersItemIdentification'), 'cbc:ID', code);
}

/** cac:Price: unit value without tax (0 for a free line, which is not charged). */
export function linePrice(line: Node, l: LineAmounts, currency: string): void {
  const value = l.free ? Dec.ZERO : l.unitValue;
  el(el(line, 'cac:Price'), 'cbc:PriceAmount', unitValue(value), { currencyID: currency });
}

/** Percent as SUNAT writes it ("18.00") from a rate ("0.18"). */
export function percentOf(rate: string): string {
  return Dec.of(rate).times(100).toFixed(2);
}

export function quantity(d: Dec): string {
  return d.toString();
}

/**
 * SUNAT's payment form: on every factura (3244; not on boletas) "Contado", or "Credito" with the net amount pending and
 * one "CuotaNNN" block per instalment, each with its amount and due date (rules 3249–3267, 3319); on a credit note of
 * code 13 the same blocks restate the terms of the factura it modifies (3257, 3319–3321).
 */
export function paymentTerms(root: Node, credit: CreditPaymentTerms | undefined, cur: string): void {
  const terms = el(root, 'cac:PaymentTerms');
  el(terms, 'cbc:ID', 'FormaPago');
  if (!credit) {
    el(terms, 'cbc:PaymentMeansID', 'Contado');
    return;
  }
  el(terms, 'cbc:PaymentMeansID', 'Credito');
  amount(terms, 'cbc:Amount', credit.pending, cur);
  credit.instalments.forEach((c, i) => {
    const cuota = el(root, 'cac:PaymentTerms');
    el(cuota, 'cbc:ID', 'FormaPago');
    el(cuota, 'cbc:PaymentMeansID', instalmentId(i + 1));
    amount(cuota, 'cbc:Amount', c.amount, cur);
    el(cuota, 'cbc:PaymentDueDate', c.dueDate);
  });
}

/** Header parts every note shares: reason (DiscrepancyResponse) and the modified document (BillingReference). */
export function noteReference(root: Node, doc: NoteDocument): void {
  const ref = doc.reference;
  const refId = documentNumber(ref.series, ref.number);
  const discrepancy = el(root, 'cac:DiscrepancyResponse');
  el(discrepancy, 'cbc:ReferenceID', refId);
  el(discrepancy, 'cbc:ResponseCode', ref.reasonCode);
  el(discrepancy, 'cbc:Description', ref.reason);
  const billing = el(el(root, 'cac:BillingReference'), 'cac:InvoiceDocumentReference');
  el(billing, 'cbc:ID', refId);
  el(billing, 'cbc:DocumentTypeCode', ref.documentType);
}

/** Everything of a note from the legends to its lines; only element names differ between 07 and 08. */
export function noteBody(
  root: Node,
  doc: NoteDocument,
  signatureId: string,
  names: { monetaryTotal: string; line: string; quantity: string },
): void {
  const cur = doc.currency;
  el(root, 'cbc:UBLVersionID', '2.1');
  el(root, 'cbc:CustomizationID', '2.0');
  el(root, 'cbc:ID', documentNumber(doc.series, doc.number));
  el(root, 'cbc:IssueDate', doc.issueDate);
  el(root, 'cbc:IssueTime', doc.issueTime);
  legends(root, doc.totals, cur);
  el(root, 'cbc:DocumentCurrencyCode', cur);
  noteReference(root, doc);
  signatureBlock(root, doc.issuer, signatureId);
  supplierParty(root, doc.issuer);
  customerParty(root, doc.customer);
  if (doc.credit) paymentTerms(root, doc.credit, cur);
  documentTaxTotal(root, doc.totals, cur);
  monetaryTotal(root, names.monetaryTotal, doc.totals, cur);
  const igvPercent = percentOf(doc.rates.igv);
  const icbperRate = Dec.of(doc.rates.icbper);
  doc.lines.forEach((line, i) => {
    const l = line.amounts;
    const node = el(root, names.line);
    el(node, 'cbc:ID', String(i + 1));
    el(node, names.quantity, quantity(l.quantity), { unitCode: line.unitCode });
    amount(node, 'cbc:LineExtensionAmount', l.value, cur);
    linePricingReference(node, l, cur);
    // In note lines UBL puts AllowanceCharge after TaxTotal (in invoice lines it comes before).
    lineTaxTotal(node, l, cur, igvPercent, icbperRate);
    lineAllowance(node, l, cur);
    lineItem(node, line.description, line.code);
    linePrice(node, l, cur);
  });
}
