// The content rules of a daily summary (RC, "Resumen Diario 1.1") and a voiding communication (RA, "Comunicación de
// Baja 1.0"), with the codes of SUNAT's validation tables (shared/sunat/spec/validaciones). They need what the
// simulator already holds (a void of a document it never accepted is 2105), so they take a ledger lookup. SUNAT
// answers these through the ticket: getStatus 99 with a CDR carrying the first error; observations ride along on 0.
import { Dec } from '../../../src-shared/decimal';
import type { LedgerEntry } from './state';
import type { CheckResult, RaLine, RcLine, SummaryDoc } from './validate';

export interface SummaryEffect {
  /** Ledger id RUC-TT-SERIE-NUMERO of the document the line changes. */
  id: string;
  change: 'add' | 'modify' | 'void';
  /** The document's issue date (the summary's ReferenceDate for an added boleta). */
  issueDate: string;
}

export interface SummaryJudgement {
  result: CheckResult;
  /** Applied only when the summary is accepted: SUNAT processes a summary whole or not at all. */
  effects: SummaryEffect[];
}

export interface SummaryContext {
  lookup: (id: string) => LedgerEntry | undefined;
  /** The reception date, YYYY-MM-DD in Lima. */
  today: string;
}

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** SUNAT recomputes summary amounts with ±5 (rows 14 and 21.1 of the RC table), and only observes a difference. */
const SUMMARY_TOLERANCE = Dec.of('5');
const TAX_SCHEMES = new Set(['1000', '1016', '2000', '7152', '9995', '9996', '9997', '9998', '9999']);
const TAX_NAMES: Record<string, [string, string]> = { '1000': ['IGV', '2276'], '2000': ['ISC', '2275'], '1016': ['IVAP', '3051'] };
/** Catalog 11: values that add up to the total (05, free transfers, does not). */
const PAID_INSTRUCTIONS = new Set(['01', '02', '03', '04']);
const INSTRUCTIONS = new Set(['01', '02', '03', '04', '05']);
const TOTAL_TAXES = new Set(['1000', '1016', '2000', '7152', '9999']);

class Reject extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
const fail = (code: string): never => {
  throw new Reject(code);
};

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const known = (e: LedgerEntry | undefined): e is LedgerEntry => Boolean(e) && e!.status !== 'exception';
const ledgerId = (ruc: string, type: string, series: string, number: string): string => `${ruc}-${type}-${series}-${Number(number)}`;

export function judgeSummary(doc: SummaryDoc, ctx: SummaryContext): SummaryJudgement {
  const observations: string[] = [];
  const effects: SummaryEffect[] = [];
  try {
    if (doc.kind === 'RC') judgeRc(doc, ctx, observations, effects);
    else judgeRa(doc, ctx, observations, effects);
  } catch (e) {
    if (e instanceof Reject) return { result: { ok: false, error: e.code, docId: doc.docId, recipient: '' }, effects: [] };
    throw e;
  }
  return { result: { ok: true, observations: [...new Set(observations)], docId: doc.docId, recipient: '' }, effects };
}

function header(doc: SummaryDoc, ctx: SummaryContext, codes: { customization: string; future: string; typeMissing: string; typeWrong: string }): void {
  if (!doc.ublVersion) fail('2075');
  if (doc.ublVersion !== '2.0') fail('2074');
  if (doc.customization !== codes.customization) fail('2072');
  if (doc.issueDate !== doc.nameDate) fail('2346');
  if (doc.issueDate > ctx.today) fail(codes.future);
  if (!DATE.test(doc.referenceDate) || doc.referenceDate > doc.issueDate) fail('2671');
  if (!doc.supplierType) fail(codes.typeMissing);
  if (doc.supplierType !== '6') fail(codes.typeWrong);
  if (!doc.supplierName) fail('2229');
}

function lineIds(ids: string[], codes: { format: string; positive: string; empty?: string }): void {
  const seen = new Set<number>();
  for (const id of ids) {
    if (!id && codes.empty) fail(codes.empty);
    if (!/^\d{1,5}$/.test(id)) fail(codes.format);
    const n = Number(id);
    if (n < 1) fail(codes.positive);
    if (seen.has(n)) fail('2752');
    seen.add(n);
  }
}

// ---- RC ----------------------------------------------------------------------------------------------------------

const BOLETA_ID = /^(B[A-Z0-9]{3})-(?!0+$)(\d{1,8})$/;
const PHYSICAL_ID = /^(\d{1,4})-(\d{1,8})$/;

function judgeRc(doc: SummaryDoc, ctx: SummaryContext, observations: string[], effects: SummaryEffect[]): void {
  header(doc, ctx, { customization: '1.1', future: '2236', typeMissing: '2219', typeWrong: '2218' });
  if (days(doc.referenceDate, ctx.today) > 7) observations.push('4443');
  lineIds(doc.rcLines.map((l) => l.lineId), { format: '2238', positive: '2239' });

  const conditions = new Map<string, Set<string>>();
  for (const line of doc.rcLines) {
    const series = rcLineShape(line);
    rcLineAmounts(line, observations);
    const key = `${line.documentType}|${line.id}`;
    const seen = conditions.get(key) ?? new Set<string>();
    if (seen.has(line.condition)) fail('3094');
    seen.add(line.condition);
    conditions.set(key, seen);
    if (seen.has('1') && seen.has('2')) fail('3095');
    if (seen.has('2') && seen.has('3')) fail('3096');

    const [, number] = line.id.split('-');
    const id = ledgerId(doc.ruc, line.documentType, series, number);
    const entry = ctx.lookup(id);
    if (!known(entry) && line.condition !== '1') fail('2663');
    if (known(entry) && (entry.status === 'rejected' || entry.status === 'voided')) fail('2987');
    if (known(entry) && line.condition === '1') fail('2282');
    if (line.condition === '3' && days(doc.referenceDate, ctx.today) > 7) fail('2957');
    effects.push({ id, change: line.condition === '1' ? 'add' : line.condition === '2' ? 'modify' : 'void', issueDate: entry?.issueDate ?? doc.referenceDate });
  }
  // References to boletas, once every line is known to be well formed.
  for (const line of doc.rcLines) {
    if ((line.documentType !== '07' && line.documentType !== '08') || line.condition === '3' || line.reference.type !== '03') continue;
    const m = BOLETA_ID.exec(line.reference.id);
    if (!m) continue;
    const ref = ctx.lookup(ledgerId(doc.ruc, '03', m[1], m[2]));
    const addedHere = effects.some((e) => e.change === 'add' && e.id === ledgerId(doc.ruc, '03', m[1], m[2]));
    if (!known(ref) && !addedHere) fail('2989');
    if (known(ref) && (ref.status === 'rejected' || ref.status === 'voided')) fail('2990');
  }
}

/** Identity, condition, customer and reference of one RC line; returns its series. */
function rcLineShape(line: RcLine): string {
  if (!line.documentType) fail('2242');
  if (!['03', '07', '08'].includes(line.documentType)) fail('2241');
  if (!line.id) fail('2512');
  const boleta = BOLETA_ID.exec(line.id);
  if (!boleta && !PHYSICAL_ID.test(line.id)) fail('2513');
  // The simulator holds no authorised physical (contingency) series.
  if (!boleta) fail('3207');
  if (!line.condition) fail('2522');
  if (!['1', '2', '3'].includes(line.condition)) fail('2896');

  const isNote = line.documentType === '07' || line.documentType === '08';
  if (line.reference.present && !isNote) fail('2582');
  if (isNote && line.condition !== '3') {
    if (!line.reference.id) fail('2524');
    if (!line.reference.type) fail('2583');
    if (!['03', '12', '16', '55'].includes(line.reference.type)) fail('2513');
    if (line.reference.type === '03' && !BOLETA_ID.test(line.reference.id) && !PHYSICAL_ID.test(line.reference.id) && !/^EB01-\d{1,8}$/.test(line.reference.id)) {
      fail('2920');
    }
  }

  const total = AMOUNT.test(line.total.value) ? Dec.of(line.total.value) : null;
  if (!line.customer.present) {
    if (total && total.gt('700')) fail('2514');
  } else {
    if (!line.customer.number) fail('2014');
    if (!line.customer.type) fail('2015');
    if (line.customer.type === '6' && !/^\d{11}$/.test(line.customer.number)) fail('2017');
  }
  return boleta![1];
}

/** Formats, currencies and the recomputation of the line's total and IGV. */
function rcLineAmounts(line: RcLine, observations: string[]): void {
  if (!line.total.present || !AMOUNT.test(line.total.value)) fail('2251');
  const currency = line.total.currency;
  const currencies = [
    ...line.payments.map((p) => p.paid.currency),
    ...line.charges.map((c) => c.amount.currency),
    ...line.taxes.flatMap((t) => [t.amount.currency, t.subtotal?.currency ?? currency]),
  ];
  if (currencies.some((c) => c !== currency)) fail('2071');

  let paid = Dec.ZERO;
  let gravado = Dec.ZERO;
  const instructions = new Set<string>();
  for (const p of line.payments) {
    if (!p.paid.present) fail('2255');
    if (!AMOUNT.test(p.paid.value)) fail('2254');
    if (p.instruction === null) fail('2257');
    if (!INSTRUCTIONS.has(p.instruction!)) fail('2256');
    if (instructions.has(p.instruction!)) fail('2357');
    instructions.add(p.instruction!);
    const v = Dec.of(p.paid.value);
    if (PAID_INSTRUCTIONS.has(p.instruction!)) paid = paid.plus(v);
    if (p.instruction === '01') gravado = v;
  }

  let charges = Dec.ZERO;
  const indicators = new Set<string>();
  for (const c of line.charges) {
    if (c.indicator !== 'true') fail('2263');
    if (indicators.has(c.indicator)) fail('2411');
    indicators.add(c.indicator);
    if (!AMOUNT.test(c.amount.value)) fail('2261');
    charges = charges.plus(Dec.of(c.amount.value));
  }

  let taxes = Dec.ZERO;
  let isc = Dec.ZERO;
  let igv: Dec | null = null;
  const schemes = new Set<string>();
  for (const t of line.taxes) {
    if (!t.scheme) fail('2269');
    if (!TAX_SCHEMES.has(t.scheme)) fail('2268');
    if (schemes.has(t.scheme)) fail('2355');
    schemes.add(t.scheme);
    if (!AMOUNT.test(t.amount.value)) fail('2048');
    if (!t.subtotal || t.subtotal.value !== t.amount.value) fail('2344');
    const named = TAX_NAMES[t.scheme];
    if (named && t.name !== named[0]) fail(named[1]);
    const v = Dec.of(t.amount.value);
    if (TOTAL_TAXES.has(t.scheme)) taxes = taxes.plus(v);
    if (t.scheme === '2000') isc = v;
    if (t.scheme === '1000') igv = v;
  }
  if (!schemes.has('1000') && !schemes.has('1016')) fail('2278');

  // Total = values + taxes + charges (±5): an observation, like SUNAT's 4027.
  if (Dec.of(line.total.value).minus(paid.plus(taxes).plus(charges)).abs().gt(SUMMARY_TOLERANCE)) observations.push('4027');
  // IGV = (gravado + ISC) × a rate in force (18 % or 10.5 %), ±5: observation 4019.
  if (igv && igv.gt('0')) {
    const base = gravado.plus(isc);
    const off = (rate: string): boolean => igv!.minus(base.times(rate).round(2)).abs().gt(SUMMARY_TOLERANCE);
    if (off('0.18') && off('0.105')) observations.push('4019');
  }
}

// ---- RA ----------------------------------------------------------------------------------------------------------

function judgeRa(doc: SummaryDoc, ctx: SummaryContext, observations: string[], effects: SummaryEffect[]): void {
  header(doc, ctx, { customization: '1.0', future: '2301', typeMissing: '2288', typeWrong: '2287' });
  lineIds(doc.raLines.map((l) => l.lineId), { format: '2305', positive: '2306', empty: '2307' });
  const seen = new Set<string>();
  for (const line of doc.raLines) raLineShape(line, seen, observations);
  for (const line of doc.raLines) {
    const id = ledgerId(doc.ruc, line.documentType, line.series, line.number);
    const entry = ctx.lookup(id);
    if (!known(entry)) fail('2105');
    if (entry!.status === 'rejected') fail('2398');
    if (entry!.status === 'voided') fail('2323');
    const issued = entry!.issueDate ?? doc.referenceDate;
    if (!/^\d/.test(line.series) && days(issued, ctx.today) > 7) fail('2957');
    if (entry!.issueDate && entry!.issueDate !== doc.referenceDate) fail('2375');
    effects.push({ id, change: 'void', issueDate: issued });
  }
}

function raLineShape(line: RaLine, seen: Set<string>, observations: string[]): void {
  if (!line.documentType) fail('2309');
  if (!['01', '07', '08', '30', '34', '42'].includes(line.documentType)) fail('2308');
  if (!line.series) fail('2311');
  const seriesOk = ['01', '07', '08'].includes(line.documentType) ? /^(F[A-Z0-9]{3}|\d{1,4})$/ : /^F[A-Z0-9]{3}$/;
  if (!seriesOk.test(line.series)) fail('2310');
  if (!line.number) fail('2313');
  if (!/^\d{1,8}$/.test(line.number)) fail('2312');
  const key = `${line.documentType}|${line.series}|${Number(line.number)}`;
  if (seen.has(key)) fail('2348');
  seen.add(key);
  if (!line.reason) fail('2315');
  if (line.reason.length < 3) observations.push('4203');
}
