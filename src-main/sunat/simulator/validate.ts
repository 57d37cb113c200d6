// The simulator's checks, in SUNAT's order: file name, zip, XML, ids vs name, signature, then the amounts.
import { unzipSync } from 'fflate';
import type { Document, Element } from '@xmldom/xmldom';
import { Dec } from '../../../src-shared/decimal';
import { decodeXmlBytes } from '../cdr';
import { parseForSignature, verifyEmbeddedSignature } from './xmlsig';
import { formaPagoError } from './payment-terms';

const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const TOLERANCE = Dec.of('1');

/** A SUNAT exception: the document is not received (answered as a SOAP fault). */
export class SunatException extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export const BILL_NAME = /^(\d{11})-(01|03|07|08)-([A-Z0-9]{4})-(\d{1,8})$/;
export const SUMMARY_NAME = /^(\d{11})-(RC|RA|RR)-(\d{8})-(\d{1,5})$/;

export interface FileName {
  base: string;
  ruc: string;
  type: string;
  series: string;
  number: string;
}

/** Checks the zip's name for the operation: 0151 bad name, 0152 a summary sent through sendBill. */
export function parseZipName(fileName: string, op: 'sendBill' | 'sendSummary'): FileName {
  const m = /^(.+)\.zip$/i.exec(fileName.trim());
  if (!m) throw new SunatException('0151');
  const base = m[1];
  const bill = BILL_NAME.exec(base);
  const summary = SUMMARY_NAME.exec(base);
  if (op === 'sendBill') {
    if (summary) throw new SunatException('0152');
    if (!bill) throw new SunatException('0151');
    return { base, ruc: bill[1], type: bill[2], series: bill[3], number: bill[4] };
  }
  if (!summary) throw new SunatException('0151');
  return { base, ruc: summary[1], type: summary[2], series: summary[3], number: summary[4] };
}

/** 0155 empty, 0156 corrupt, 0157 no file, 0158 more than one, 0159 bad XML name, 0160 empty XML, 0161 ≠ zip name. */
export function extractSingleXml(contentBase64: string, name: FileName): string {
  const zip = Buffer.from(contentBase64.replace(/\s+/g, ''), 'base64');
  if (zip.length === 0) throw new SunatException('0155');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(zip));
  } catch {
    throw new SunatException('0156');
  }
  const files = Object.entries(entries).filter(([n]) => !n.endsWith('/'));
  if (files.length === 0) throw new SunatException('0157');
  if (files.length > 1) throw new SunatException('0158');
  const [entryName, bytes] = files[0];
  const xmlBase = /^(.+)\.xml$/i.exec(entryName.split('/').pop() ?? '');
  if (!xmlBase || !(BILL_NAME.test(xmlBase[1]) || SUMMARY_NAME.test(xmlBase[1]))) throw new SunatException('0159');
  if (bytes.length === 0) throw new SunatException('0160');
  if (xmlBase[1] !== name.base) throw new SunatException('0161');
  return decodeXmlBytes(bytes);
}

function kids(parent: Element | undefined, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent?.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === local && (n as Element).namespaceURI === ns) out.push(n as Element);
  }
  return out;
}
function kid(parent: Element | undefined, ns: string, local: string): Element | undefined {
  return kids(parent, ns, local)[0];
}
/** Walks "A/B/C": every step is a cac element except a last step that is a known cbc leaf. */
function path(from: Element | undefined, steps: string): Element | undefined {
  const parts = steps.split('/');
  let cur = from;
  parts.forEach((p, i) => {
    cur = kid(cur, i === parts.length - 1 && CBC_LEAVES.has(p) ? CBC : CAC, p);
  });
  return cur;
}
const CBC_LEAVES = new Set(['ID', 'CustomerAssignedAccountID', 'RegistrationName']);
function text(el: Element | undefined): string {
  return (el?.textContent ?? '').trim();
}
function amount(el: Element | undefined): Dec | null {
  const t = text(el);
  return t && Dec.isValid(t) ? Dec.of(t) : null;
}
function farFrom(a: Dec, b: Dec): boolean {
  return a.minus(b).abs().gt(TOLERANCE);
}

/** A note's BillingReference: the document it modifies, and the note's own total (checked against the ledger). */
export interface NoteReference {
  type: string; series: string; number: number; payable: Dec;
  /** A credit note of code 13: the net amount pending it restates and its instalments' due dates (checked against the factura). */
  terms?: { pending: Dec; dueDates: string[] };
}

export type CheckResult =
  | { ok: true; observations: string[]; docId: string; recipient: string; issueDate?: string; total?: string; reference?: NoteReference; creditPending?: string }
  | { ok: false; error: string; docId: string; recipient: string; issueDate?: string };

/** One parse per document: the signature check and every rule read this same DOM. */
function parseXml(xml: string): { doc: Document; root: Element } {
  const doc = parseForSignature(xml);
  if (!doc?.documentElement) throw new SunatException('0306');
  return { doc, root: doc.documentElement };
}

function checkSignature(doc: Document): void {
  const sig = verifyEmbeddedSignature(doc);
  if (sig === 'missing') throw new SunatException('2085');
  if (sig === 'invalid') throw new SunatException('2335');
}

const ROOT_TYPE: Record<string, string> = { Invoice: '', CreditNote: '07', DebitNote: '08' };
const LINE_OF: Record<string, string> = { Invoice: 'InvoiceLine', CreditNote: 'CreditNoteLine', DebitNote: 'DebitNoteLine' };

/**
 * Checks a factura, boleta or note. Exceptions (not received) throw SunatException; rejections and
 * observations come back as a result, the way SUNAT answers them in a CDR.
 */
export function checkBill(xml: string, name: FileName): CheckResult {
  const { doc, root } = parseXml(xml);
  const rootName = root.localName ?? '';
  if (!(rootName in ROOT_TYPE)) throw new SunatException('0301');
  const docId = text(kid(root, CBC, 'ID'));
  const idMatch = /^([A-Z0-9]{4})-(\d{1,8})$/.exec(docId);
  if (!idMatch) throw new SunatException('1001');
  const supplierRuc = text(path(root, 'AccountingSupplierParty/Party/PartyIdentification/ID'));
  if (supplierRuc !== name.ruc) throw new SunatException('1034');
  if (idMatch[1] !== name.series) throw new SunatException('1035');
  if (Number(idMatch[2]) !== Number(name.number)) throw new SunatException('1036');
  const typeCode = rootName === 'Invoice' ? text(kid(root, CBC, 'InvoiceTypeCode')) : ROOT_TYPE[rootName];
  if (typeCode !== name.type) throw new SunatException('1003');

  checkSignature(doc);

  const issueDate = text(kid(root, CBC, 'IssueDate'));
  const customerId = path(root, 'AccountingCustomerParty/Party/PartyIdentification/ID');
  const customerType = customerId?.getAttribute('schemeID') ?? '';
  const customerNumber = text(customerId);
  const recipient = customerNumber ? `${customerType}-${customerNumber}` : '';
  const reject = (error: string): CheckResult => ({ ok: false, error, docId, recipient, issueDate });
  const observations: string[] = [];
  const isFacturaSeries = name.series.startsWith('F');

  // Factura (and notes on facturas) need a RUC customer; a boleta over S/ 700 an identified one.
  if (name.type === '01' || (isFacturaSeries && (name.type === '07' || name.type === '08'))) {
    if (!customerId) return reject('2014');
    if (customerType !== '6') return reject('2800');
    if (!/^\d{11}$/.test(customerNumber)) return reject('2017');
  }

  const totals = kid(root, CAC, rootName === 'DebitNote' ? 'RequestedMonetaryTotal' : 'LegalMonetaryTotal');
  const payable = amount(kid(totals, CBC, 'PayableAmount'));
  if (!payable) return reject('2062');
  // A factura states its payment form: "Contado", or "Credito" with its instalments (payment-terms.ts); a credit note
  // of code 13 restates them for a factura on credit, with a total of zero (3315; 3257 without them).
  const terms = kids(root, CAC, 'PaymentTerms')
    .filter((t) => text(kid(t, CBC, 'ID')) === 'FormaPago')
    .map((t) => {
      const opt = (local: string) => (kid(t, CBC, local) ? text(kid(t, CBC, local)) : null);
      return { meansId: opt('PaymentMeansID'), amount: opt('Amount'), dueDate: opt('PaymentDueDate') };
    });
  let creditPending: string | undefined;
  if (name.type === '01') {
    const err = formaPagoError(terms, { payable, issueDate, customerIsRuc: customerType === '6' });
    if (err) return reject(err);
    creditPending = terms.find((t) => t.meansId === 'Credito')?.amount ?? undefined;
  }
  const adjustsTerms = name.type === '07' && text(path(root, 'DiscrepancyResponse/ResponseCode')) === '13';
  if (adjustsTerms) {
    if (kids(root, CAC, 'BillingReference').length > 1) return reject('3261');
    if (text(path(root, 'BillingReference/InvoiceDocumentReference/DocumentTypeCode')) !== '01') return reject('3259');
    if (!payable.isZero()) return reject('3315');
    if (terms.length === 0) return reject('3257');
    const err = formaPagoError(terms, { customerIsRuc: customerType === '6' });
    if (err) return reject(err);
  }
  if (name.type === '03' && payable.gt('700')) {
    const anonymous = !customerId || ['', '-', '0'].includes(customerType) || /^[-0]*$/.test(customerNumber);
    if (anonymous) return reject('2396');
  }

  // Per line: IGV = base × rate (±1), as rule 3103 says.
  let linesIgvBase = Dec.ZERO;
  let igvRate: Dec | null = null;
  for (const line of kids(root, CAC, LINE_OF[rootName])) {
    for (const sub of kids(kid(line, CAC, 'TaxTotal'), CAC, 'TaxSubtotal')) {
      const scheme = text(path(sub, 'TaxCategory/TaxScheme/ID'));
      if (scheme !== '1000') continue;
      const base = amount(kid(sub, CBC, 'TaxableAmount'));
      const tax = amount(kid(sub, CBC, 'TaxAmount'));
      const pct = amount(kid(kid(sub, CAC, 'TaxCategory'), CBC, 'Percent'));
      if (!base || !tax) return reject('2033');
      if (pct) {
        if (igvRate && !igvRate.eq(pct)) return reject('3462');
        igvRate = pct;
        if (farFrom(tax, base.times(pct).div(100, 2))) return reject('3103');
      }
      linesIgvBase = linesIgvBase.plus(base);
    }
  }

  // Global: IGV subtotal = Σ line bases × rate (3291); total tax = Σ subtotals (3294).
  const taxTotal = kid(root, CAC, 'TaxTotal');
  let subtotalsSum = Dec.ZERO;
  for (const sub of kids(taxTotal, CAC, 'TaxSubtotal')) {
    const scheme = text(path(sub, 'TaxCategory/TaxScheme/ID'));
    const tax = amount(kid(sub, CBC, 'TaxAmount')) ?? Dec.ZERO;
    if (['1000', '1016', '2000', '7152', '9999'].includes(scheme)) subtotalsSum = subtotalsSum.plus(tax);
    if (scheme === '1000') {
      const base = amount(kid(sub, CBC, 'TaxableAmount')) ?? Dec.ZERO;
      if (farFrom(base, linesIgvBase)) return reject('3277');
      if (igvRate && farFrom(tax, linesIgvBase.times(igvRate).div(100, 2))) return reject('3291');
    }
  }
  const declaredTax = amount(kid(taxTotal, CBC, 'TaxAmount'));
  if (declaredTax && farFrom(declaredTax, subtotalsSum)) return reject('3294');

  // Payable = total with taxes + charges − allowances − prepaid + rounding: an error on facturas, an observation on boletas.
  const inclusive = amount(kid(totals, CBC, 'TaxInclusiveAmount'));
  if (inclusive) {
    const expected = inclusive
      .plus(amount(kid(totals, CBC, 'ChargeTotalAmount')) ?? Dec.ZERO)
      .minus(amount(kid(totals, CBC, 'AllowanceTotalAmount')) ?? Dec.ZERO)
      .minus(amount(kid(totals, CBC, 'PrepaidAmount')) ?? Dec.ZERO)
      .plus(amount(kid(totals, CBC, 'PayableRoundingAmount')) ?? Dec.ZERO);
    if (farFrom(payable, expected)) {
      if (isFacturaSeries) return reject('3280');
      observations.push('4312');
    }
  }
  // A note names the document it modifies (2524 without it); the server checks it against what it holds.
  let reference: NoteReference | undefined;
  if (name.type === '07' || name.type === '08') {
    const ref = path(root, 'BillingReference/InvoiceDocumentReference');
    const refId = /^([A-Z0-9]{4})-(\d{1,8})$/.exec(text(kid(ref, CBC, 'ID')));
    if (!ref || !refId) return reject(name.type === '07' ? '2524' : '2206');
    reference = { type: text(kid(ref, CBC, 'DocumentTypeCode')), series: refId[1], number: Number(refId[2]), payable };
    const pending = terms.find((t) => t.meansId === 'Credito')?.amount;
    if (adjustsTerms && pending) {
      reference.terms = { pending: Dec.of(pending), dueDates: terms.filter((t) => t.dueDate !== null).map((t) => t.dueDate!) };
    }
  }
  return { ok: true, observations, docId, recipient, issueDate, total: payable.toFixed(2), reference, ...(creditPending ? { creditPending } : {}) };
}

const SAC = 'urn:sunat:names:specification:ubl:peru:schema:xsd:SunatAggregateComponents-1';

export interface SummaryAmount {
  /** The text as written ('' when absent). */
  value: string;
  currency: string;
}

export interface RcLine {
  lineId: string;
  documentType: string;
  id: string;
  customer: { present: boolean; number: string; type: string };
  reference: { present: boolean; id: string; type: string };
  condition: string;
  total: SummaryAmount & { present: boolean };
  payments: Array<{ paid: SummaryAmount & { present: boolean }; instruction: string | null }>;
  charges: Array<{ indicator: string; amount: SummaryAmount }>;
  taxes: Array<{ amount: SummaryAmount; subtotal: SummaryAmount | null; scheme: string; name: string }>;
}

export interface RaLine {
  lineId: string;
  documentType: string;
  series: string;
  number: string;
  reason: string;
}

/** A daily summary or voiding communication that passed the exception checks, read for the rules. */
export interface SummaryDoc {
  kind: 'RC' | 'RA';
  docId: string;
  ruc: string;
  ublVersion: string;
  customization: string;
  issueDate: string;
  referenceDate: string;
  supplierType: string;
  supplierName: string;
  /** The date in the file name, as YYYY-MM-DD. */
  nameDate: string;
  rcLines: RcLine[];
  raLines: RaLine[];
}

function summaryAmount(el: Element | undefined): SummaryAmount & { present: boolean } {
  return { present: Boolean(el), value: text(el), currency: el?.getAttribute('currencyID') ?? '' };
}

function readRcLine(line: Element): RcLine {
  const customer = kid(line, CAC, 'AccountingCustomerParty');
  const ref = kid(kid(line, CAC, 'BillingReference'), CAC, 'InvoiceDocumentReference');
  return {
    lineId: text(kid(line, CBC, 'LineID')),
    documentType: text(kid(line, CBC, 'DocumentTypeCode')),
    id: text(kid(line, CBC, 'ID')),
    customer: {
      present: Boolean(customer),
      number: text(kid(customer, CBC, 'CustomerAssignedAccountID')),
      type: text(kid(customer, CBC, 'AdditionalAccountID')),
    },
    reference: { present: Boolean(ref), id: text(kid(ref, CBC, 'ID')), type: text(kid(ref, CBC, 'DocumentTypeCode')) },
    condition: text(kid(kid(line, CAC, 'Status'), CBC, 'ConditionCode')),
    total: summaryAmount(kid(line, SAC, 'TotalAmount')),
    payments: kids(line, SAC, 'BillingPayment').map((bp) => {
      const instruction = kid(bp, CBC, 'InstructionID');
      return { paid: summaryAmount(kid(bp, CBC, 'PaidAmount')), instruction: instruction ? text(instruction) : null };
    }),
    charges: kids(line, CAC, 'AllowanceCharge').map((ac) => ({
      indicator: text(kid(ac, CBC, 'ChargeIndicator')),
      amount: summaryAmount(kid(ac, CBC, 'Amount')),
    })),
    taxes: kids(line, CAC, 'TaxTotal').map((tt) => {
      const sub = kid(tt, CAC, 'TaxSubtotal');
      const scheme = kid(kid(sub, CAC, 'TaxCategory'), CAC, 'TaxScheme');
      return {
        amount: summaryAmount(kid(tt, CBC, 'TaxAmount')),
        subtotal: sub ? summaryAmount(kid(sub, CBC, 'TaxAmount')) : null,
        scheme: text(kid(scheme, CBC, 'ID')),
        name: text(kid(scheme, CBC, 'Name')),
      };
    }),
  };
}

function readRaLine(line: Element): RaLine {
  return {
    lineId: text(kid(line, CBC, 'LineID')),
    documentType: text(kid(line, CBC, 'DocumentTypeCode')),
    series: text(kid(line, SAC, 'DocumentSerialID')),
    number: text(kid(line, SAC, 'DocumentNumberID')),
    reason: text(kid(line, SAC, 'VoidReasonDescription')),
  };
}

/**
 * Daily summary (RC) or voiding (RA): the checks that make SUNAT refuse the file outright (root 0301, ID vs name
 * 2220, RUC 1034, signature 2085/2335) throw; the rest of the content is returned for the rules, whose errors
 * come back through the ticket (see summary-rules.ts).
 */
export function readSummary(xml: string, name: FileName): SummaryDoc {
  const { doc, root } = parseXml(xml);
  const rootName = root.localName ?? '';
  const kind = rootName === 'SummaryDocuments' ? 'RC' : rootName === 'VoidedDocuments' ? 'RA' : null;
  if (!kind || kind !== name.type) throw new SunatException('0301');
  const docId = text(kid(root, CBC, 'ID'));
  if (docId !== `${name.type}-${name.series}-${name.number}`) throw new SunatException('2220');
  const supplier = kid(root, CAC, 'AccountingSupplierParty');
  const ruc = text(kid(supplier, CBC, 'CustomerAssignedAccountID'));
  if (ruc !== name.ruc) throw new SunatException('1034');
  checkSignature(doc);
  const d = name.series;
  return {
    kind,
    docId,
    ruc,
    ublVersion: text(kid(root, CBC, 'UBLVersionID')),
    customization: text(kid(root, CBC, 'CustomizationID')),
    issueDate: text(kid(root, CBC, 'IssueDate')),
    referenceDate: text(kid(root, CBC, 'ReferenceDate')),
    supplierType: text(kid(supplier, CBC, 'AdditionalAccountID')),
    supplierName: text(path(supplier, 'Party/PartyLegalEntity/RegistrationName')),
    nameDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
    rcLines: kind === 'RC' ? kids(root, SAC, 'SummaryDocumentsLine').map(readRcLine) : [],
    raLines: kind === 'RA' ? kids(root, SAC, 'VoidedDocumentsLine').map(readRaLine) : [],
  };
}
