// How a day's figures add up into the daily report — once, for the till (src-main/reports/daily.ts, from its SQLite)
// and for the hub (src-main/hub/reports.ts, from the tills' replicated records), so a store's report on the hub is
// the sum of its tills' own by construction, not by two copies kept alike. Each side brings the day's rows already
// grouped (counts and sums); this only folds them.
import { Dec } from './decimal';
import { DOCUMENT_KIND_LABELS, SALE_METHOD_LABELS } from './documents';
import type { DailyReport, ReportStatus, StatusCounts } from './reports';

export const soles = (cents: number | null): string => Dec.fromCents(cents ?? 0).toFixed(2);
export const emptyCounts = (): StatusCounts => ({ accepted: 0, observed: 0, rejected: 0, error: 0, pending: 0, voided: 0 });
const STATUSES: readonly ReportStatus[] = ['accepted', 'observed', 'rejected', 'error', 'pending', 'voided'];

export interface DayRows {
  /** Documents of the day by type and SUNAT state; `simulated`: how many of them the SUNAT simulator answered. */
  docs: { document_type: string; status: string; n: number; simulated: number | null }[];
  /** Sales by type, state and cashier (`cashier`: whatever identifies one on that side). */
  sales: { document_type: string; status: string; cashier: string | number; n: number; cents: number }[];
  /** Credit and debit notes by type; `terms`: a code-13 note (instalments restated after a return, total zero). */
  notes: { document_type: string; terms: boolean | number; n: number; cents: number }[];
  /** Payments of completed sales by method, net of change. */
  payments: { method: string; n: number; cents: number }[];
  /** Completed sales with something left to pay later, and how much. */
  credit: { n: number; cents: number }[];
  /** Payments received for sales on credit; `cash`: the part paid in cash. */
  collections: { n: number; cents: number; cash: number }[];
}

export type DayTally = Pick<DailyReport,
  'issued' | ReportStatus | 'acceptedBySimulator' | 'successRate' | 'totalBilled' | 'salesCount' | 'creditNotes' | 'debitNotes'
  | 'netBilled' | 'collections' | 'cancelled' | 'byDocumentType' | 'byPaymentMethod' | 'byCashier' | 'notAcceptedCount'>;

/** The day's figures; `cashier` names a sales row's cashier (and gives the till's user id, 0 where there is none). */
export function tallyDay(rows: DayRows, cashier: (key: string | number) => { userId: number; name: string }): DayTally {
  const byDocumentType: DailyReport['byDocumentType'] = {};
  const typeEntry = (type: string) =>
    (byDocumentType[type] ??= { label: DOCUMENT_KIND_LABELS[type] ?? `Comprobante (${type})`, issued: 0, ...emptyCounts(), sales: 0, total: '0.00' });

  const totals = emptyCounts();
  let issued = 0;
  let acceptedBySimulator = 0;
  for (const r of rows.docs) {
    if (r.status === 'accepted' || r.status === 'observed') acceptedBySimulator += r.simulated ?? 0;
    const e = typeEntry(r.document_type);
    e.issued += r.n;
    issued += r.n;
    if (!STATUSES.includes(r.status as ReportStatus)) continue;
    e[r.status as ReportStatus] += r.n;
    totals[r.status as ReportStatus] += r.n;
  }

  let billed = 0;
  let salesCount = 0;
  const cancelled = { count: 0, cents: 0 };
  const typeCents: Record<string, number> = {};
  const cashiers = new Map<string | number, { n: number; cents: number }>();
  for (const r of rows.sales) {
    if (r.status === 'cancelled') {
      cancelled.count += r.n;
      cancelled.cents += r.cents;
      continue;
    }
    typeEntry(r.document_type).sales += r.n;
    typeCents[r.document_type] = (typeCents[r.document_type] ?? 0) + r.cents;
    const c = cashiers.get(r.cashier) ?? { n: 0, cents: 0 };
    c.n += r.n;
    c.cents += r.cents;
    cashiers.set(r.cashier, c);
    billed += r.cents;
    salesCount += r.n;
  }
  // Credit notes take back from the day's net, debit notes (interest, a price increase, a penalty) add to it; a
  // code-13 credit note is a document of the day but no return.
  const credit = { count: 0, cents: 0 };
  const debit = { count: 0, cents: 0 };
  for (const r of rows.notes) {
    typeEntry(r.document_type).sales += r.n;
    typeCents[r.document_type] = (typeCents[r.document_type] ?? 0) + r.cents;
    if (r.terms) continue;
    const k = r.document_type === '07' ? credit : debit;
    k.count += r.n;
    k.cents += r.cents;
  }
  for (const [type, cents] of Object.entries(typeCents)) byDocumentType[type].total = soles(cents);
  const byCashier = [...cashiers]
    .map(([key, c]) => ({ ...cashier(key), count: c.n, cents: c.cents }))
    .sort((a, b) => b.cents - a.cents || a.userId - b.userId || a.name.localeCompare(b.name))
    .map(({ cents, ...c }) => ({ ...c, total: soles(cents) }));

  // Money by method, alphabetically, then what was left to pay later as its own method (never cash): the methods
  // add up to the billed total.
  const methods = new Map<string, { n: number; cents: number }>();
  const add = (method: string, n: number, cents: number) => {
    const m = methods.get(method) ?? { n: 0, cents: 0 };
    methods.set(method, { n: m.n + n, cents: m.cents + cents });
  };
  for (const r of [...rows.payments].sort((a, b) => a.method.localeCompare(b.method))) add(r.method, r.n, r.cents);
  for (const r of rows.credit) if (r.n > 0) add('credit', r.n, r.cents);
  const byPaymentMethod: DailyReport['byPaymentMethod'] = {};
  for (const [method, m] of methods) byPaymentMethod[method] = { label: SALE_METHOD_LABELS[method] ?? method, count: m.n, total: soles(m.cents) };
  const collected = rows.collections.reduce((a, r) => ({ n: a.n + r.n, cents: a.cents + r.cents, cash: a.cash + r.cash }), { n: 0, cents: 0, cash: 0 });

  return {
    issued, ...totals, acceptedBySimulator,
    successRate: issued === 0 ? null : Math.round(((totals.accepted + totals.observed) * 10000) / issued) / 100,
    totalBilled: soles(billed), salesCount,
    creditNotes: { count: credit.count, total: soles(credit.cents) }, debitNotes: { count: debit.count, total: soles(debit.cents) },
    netBilled: soles(billed - credit.cents + debit.cents),
    collections: { count: collected.n, total: soles(collected.cents), cash: soles(collected.cash) },
    cancelled: { count: cancelled.count, total: soles(cancelled.cents) },
    byDocumentType, byPaymentMethod, byCashier,
    notAcceptedCount: totals.rejected + totals.error + totals.pending,
  };
}
