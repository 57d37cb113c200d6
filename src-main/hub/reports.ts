// What the hub tells about all its terminals: the daily report per store and chain-wide, and the check of the
// numbering (gaps and duplicates per RUC and series). The day's figures are read once per terminal from the replicated
// records (their head columns, and `data` where the terminal kept the rest: a sale's payments and credit, a session's
// float and count) and folded into the terminal's own DailyReport shape (src-shared/reports.ts) for a store or the
// chain by the same tally as a till's own day (src-shared/report-tally.ts) — so a store's report is the sum of its
// tills' own. What is local to a till (user and session ids) has no meaning here: names stand in for them.
import { sql, type RawBuilder } from 'kysely';
import { soles, tallyDay } from '../../src-shared/report-tally';
import { isIsoDate, limaDayRange } from '../../src-shared/time';
import type { DailyReport, MoneyCount } from '../../src-shared/reports';
import type { HubDailyReportView, HubDayFigures } from '../../src-shared/hub-contract';
import type { HubDb } from './db';
import { HubRefusal } from './refusal';

const maybeSoles = (cents: unknown): string | null => (cents === null || cents === undefined ? null : soles(Number(cents)));
/** As the till's report: at most this many documents listed as not accepted (all are counted). */
export const HUB_NOT_ACCEPTED_LIMIT = 500;

/** The shape the screens and `hub report daily --json` share (src-shared/hub-contract.ts). */
export type HubDailyReport = HubDailyReportView;

export function checkReportDate(date: string): void {
  if (!isIsoDate(date)) {
    throw new HubRefusal(400, 'fecha_no_valida', `Fecha no válida: ${date} (use AAAA-MM-DD).`);
  }
}

// ---- the day's rows, per terminal ----

interface DayRows {
  docs: { terminal_id: string; document_type: string; status: string; n: number; simulated: number }[];
  sales: { terminal_id: string; document_type: string; status: string; /** the username */ cashier: string; n: number; cents: number }[];
  notes: { terminal_id: string; document_type: string; terms: boolean; n: number; cents: number }[];
  payments: { terminal_id: string; method: string; n: number; cents: number }[];
  credit: { terminal_id: string; n: number; cents: number }[];
  collections: { terminal_id: string; n: number; cents: number; cash: number }[];
  sessions: { terminal_id: string; hub_seq: number; opened_at: Date; closed_at: Date | null; z_number: number | null; data: Record<string, unknown> }[];
  notAccepted: {
    terminal_id: string; hub_seq: number; document_type: string; number: string; status: string; issue_date: string;
    cdr_code: string | null; last_error: string | null; cdr_description: string | null;
  }[];
  /** username → name, for the terminals' users the hub feeds (a username it does not know stays as it is). */
  names: Map<string, string>;
}

/** Every figure of the day, grouped by terminal; `ids` null: every terminal. The lists only when a paper needs them. */
async function dayRows(db: HubDb, date: string, ids: string[] | null, lists: boolean): Promise<DayRows> {
  const mine = (col: RawBuilder<unknown> = sql.ref('terminal_id')): RawBuilder<unknown> =>
    ids === null ? sql`true` : ids.length === 0 ? sql`false` : sql`${col} in (${sql.join(ids)})`;
  const { start, end } = limaDayRange(date);
  const rows = <T>(q: RawBuilder<T>) => q.execute(db).then((r) => r.rows);
  const [docs, sales, notes, payments, credit, collections, sessions, notAccepted, users] = await Promise.all([
    rows(sql<DayRows['docs'][number]>`select terminal_id, document_type, status, count(*)::bigint as n, count(*) filter (where simulated)::bigint as simulated
      from documents where issue_date = ${date} and ${mine()} group by terminal_id, document_type, status order by document_type, status`),
    rows(sql<DayRows['sales'][number]>`select terminal_id, document_type, status, user_name as cashier, count(*)::bigint as n, sum(total_cents)::bigint as cents
      from sales where issue_date = ${date} and ${mine()} group by terminal_id, document_type, status, user_name order by document_type`),
    // A credit note of code 13 (a factura's instalments restated after a return, total zero) is no return.
    rows(sql<DayRows['notes'][number]>`select terminal_id, document_type, reason_code = '13' as terms, count(*)::bigint as n, sum(total_cents)::bigint as cents
      from notes where issue_date = ${date} and ${mine()} group by terminal_id, document_type, reason_code = '13' order by document_type`),
    // Payments are stored net of change, inside the sale's record as the till sent it.
    rows(sql<DayRows['payments'][number]>`select s.terminal_id, p->>'method' as method, count(*)::bigint as n, sum((p->>'amount_cents')::bigint)::bigint as cents
      from sales s cross join lateral jsonb_array_elements(case when jsonb_typeof(s.data->'payments') = 'array' then s.data->'payments' else '[]'::jsonb end) p
      where s.issue_date = ${date} and s.status = 'completed' and ${mine(sql.ref('s.terminal_id'))} group by s.terminal_id, p->>'method' order by 2`),
    rows(sql<DayRows['credit'][number]>`select terminal_id, count(*)::bigint as n, sum((data->>'credit_cents')::bigint)::bigint as cents
      from sales where issue_date = ${date} and status = 'completed' and coalesce((data->>'credit_cents')::bigint, 0) > 0 and ${mine()} group by terminal_id`),
    rows(sql<DayRows['collections'][number]>`select terminal_id, count(*)::bigint as n, sum(amount_cents)::bigint as cents,
        coalesce(sum(amount_cents) filter (where data->>'method' = 'cash'), 0)::bigint as cash
      from collections where at >= ${start} and at < ${end} and ${mine()} group by terminal_id`),
    // Sessions that overlap the day (opened before its end, not closed before its start).
    rows(sql<DayRows['sessions'][number]>`select terminal_id, hub_seq, opened_at, closed_at, z_number, data
      from cash_sessions where opened_at < ${end} and (closed_at is null or closed_at >= ${start}) and ${mine()} order by opened_at, hub_seq`),
    lists
      ? rows(sql<DayRows['notAccepted'][number]>`select terminal_id, hub_seq, document_type, number, status, issue_date, cdr_code,
            data->>'last_error' as last_error, data->>'cdr_description' as cdr_description
          from documents where issue_date = ${date} and status in ('rejected', 'error', 'pending') and ${mine()}
          order by issue_date, number, hub_seq limit ${HUB_NOT_ACCEPTED_LIMIT}`)
      : Promise.resolve([]),
    db.selectFrom('users').select(['username', 'name']).execute(),
  ]);
  const num = <T extends Record<string, unknown>>(xs: T[], keys: (keyof T)[]) =>
    xs.map((x) => ({ ...x, ...Object.fromEntries(keys.map((k) => [k, Number(x[k] ?? 0)])) }) as T);
  return {
    docs: num(docs, ['n', 'simulated']), sales: num(sales, ['n', 'cents']), notes: num(notes, ['n', 'cents']), payments: num(payments, ['n', 'cents']),
    credit: num(credit, ['n', 'cents']), collections: num(collections, ['n', 'cents', 'cash']), sessions, notAccepted,
    names: new Map(users.map((u) => [u.username, u.name])),
  };
}

interface Cover {
  /** The terminals counted (id → the till's name). */
  terminals: Map<string, string>;
  store: DailyReport['store'];
  scope: DailyReport['scope'];
}

/** The day of the terminals in `cover`, added up by the till's own tally (src-shared/report-tally.ts). */
function fold(rows: DayRows, date: string, cover: Cover, now: Date): DailyReport {
  const ours = <T extends { terminal_id: string }>(xs: T[]) => xs.filter((x) => cover.terminals.has(x.terminal_id));
  const nameOf = (username: unknown) => (typeof username === 'string' ? rows.names.get(username) ?? username : '—');
  const tally = tallyDay(
    {
      docs: ours(rows.docs), sales: ours(rows.sales), notes: ours(rows.notes), payments: ours(rows.payments), credit: ours(rows.credit),
      collections: ours(rows.collections),
    },
    (username: string | number) => ({ userId: 0, name: nameOf(username) }),
  );
  return {
    date, from: date, to: date, generatedAt: now.toISOString(), store: cover.store, scope: cover.scope,
    ...tally,
    // A session row names its till (the till's own report says its terminal id; on the hub, the till's name).
    cashSessions: ours(rows.sessions).map((r) => ({
      id: Number(r.hub_seq), terminalId: cover.terminals.get(r.terminal_id)!, cashier: nameOf(r.data.user_name),
      openedAt: new Date(r.opened_at).toISOString(), closedAt: r.closed_at === null ? null : new Date(r.closed_at).toISOString(), zNumber: r.z_number,
      openingFloat: soles(Number(r.data.opening_float_cents ?? 0)), expected: maybeSoles(r.data.expected_cents),
      counted: maybeSoles(r.data.counted_cents), difference: maybeSoles(r.data.difference_cents),
    })),
    notAccepted: ours(rows.notAccepted).map((r) => ({
      documentId: Number(r.hub_seq), number: `${r.number} (${cover.terminals.get(r.terminal_id)})`, documentType: r.document_type, status: r.status,
      issueDate: r.issue_date, lastError: r.last_error, cdrCode: r.cdr_code, cdrDescription: r.cdr_description,
    })),
  };
}

// ---- stores, tills and what the screens and the command line ask for ----

interface Till { id: string; name: string; lastContact: Date | null }
interface StoreTills { ruc: string; establishment: string; name: string; tills: Till[] }

async function storesAndTills(db: HubDb): Promise<StoreTills[]> {
  const rows = await db.selectFrom('stores as s').leftJoin('terminals as t', 't.store_id', 's.id')
    .select(['s.ruc', 's.establishment', 's.name as storeName', 't.id', 't.name', 't.last_contact'])
    .orderBy('s.ruc').orderBy('s.establishment').orderBy('t.name').execute();
  const stores: StoreTills[] = [];
  for (const r of rows) {
    let s = stores[stores.length - 1];
    if (!s || s.ruc !== r.ruc || s.establishment !== r.establishment) {
      s = { ruc: r.ruc, establishment: r.establishment, name: r.storeName, tills: [] };
      stores.push(s);
    }
    if (r.id) s.tills.push({ id: r.id, name: r.name!, lastContact: r.last_contact ? new Date(r.last_contact) : null });
  }
  return stores;
}

const tillsWord = (n: number) => `${n} ${n === 1 ? 'caja' : 'cajas'}`;

function storeCover(s: StoreTills): Cover {
  return {
    terminals: new Map(s.tills.map((t) => [t.id, t.name])),
    store: { ruc: s.ruc, name: s.name },
    scope: { kind: 'store', title: `Tienda ${s.name} (${s.ruc}-${s.establishment}) · ${tillsWord(s.tills.length)}`, terminals: s.tills.map((t) => t.name) },
  };
}

function chainCover(stores: StoreTills[]): Cover {
  const tills = stores.flatMap((s) => s.tills);
  const rucs = [...new Set(stores.map((s) => s.ruc))];
  return {
    terminals: new Map(tills.map((t) => [t.id, t.name])),
    store: { ruc: rucs.join(', '), name: 'Toda la cadena' },
    scope: {
      kind: 'chain', title: `Toda la cadena · ${stores.length} ${stores.length === 1 ? 'tienda' : 'tiendas'}, ${tillsWord(tills.length)}`,
      terminals: stores.flatMap((s) => s.tills.map((t) => (stores.length === 1 ? t.name : `${s.ruc}-${s.establishment} ${t.name}`))),
    },
  };
}

/** What the screen shows of a store or the chain besides issued and billed (added to the --json shape, never changed). */
function figures(r: DailyReport): HubDayFigures {
  const m = (x: MoneyCount): MoneyCount => ({ count: x.count, total: x.total });
  return {
    salesCount: r.salesCount, creditNotes: m(r.creditNotes), debitNotes: m(r.debitNotes), netBilled: r.netBilled,
    cancelled: m(r.cancelled), byPaymentMethod: r.byPaymentMethod,
  };
}

export async function hubDailyReport(db: HubDb, date: string, now: Date = new Date()): Promise<HubDailyReport> {
  checkReportDate(date);
  const [stores, rows] = await Promise.all([storesAndTills(db), dayRows(db, date, null, false)]);
  const chain = fold(rows, date, chainCover(stores), now);
  return {
    issued: chain.issued, totalBilled: chain.totalBilled,
    stores: stores.map((s) => {
      const r = fold(rows, date, storeCover(s), now);
      return {
        ruc: s.ruc, establishment: s.establishment, issued: r.issued, totalBilled: r.totalBilled,
        terminals: s.tills.map((t) => {
          const own = fold(rows, date, { terminals: new Map([[t.id, t.name]]), store: r.store, scope: undefined }, now);
          return { name: t.name, issued: own.issued, totalBilled: own.totalBilled, lastContact: t.lastContact ? t.lastContact.toISOString() : null };
        }),
        name: s.name, ...figures(r),
      };
    }),
    ...figures(chain),
  };
}

/**
 * The printable daily report (the till's own DailyReport shape) of one store — `store` is "RUC-ESTABLECIMIENTO" —
 * or, without it, of the whole chain.
 */
export async function hubStoreDayReport(db: HubDb, date: string, store: string | null, now: Date = new Date()): Promise<DailyReport> {
  checkReportDate(date);
  const stores = await storesAndTills(db);
  let cover: Cover;
  if (store === null) cover = chainCover(stores);
  else {
    const s = stores.find((x) => `${x.ruc}-${x.establishment}` === store.trim());
    if (!s) throw new HubRefusal(404, 'tienda_no_existe', `No existe la tienda ${store} (escriba RUC-ESTABLECIMIENTO, p. ej. 20123456786-0000).`);
    cover = storeCover(s);
  }
  const rows = await dayRows(db, date, store === null ? null : [...cover.terminals.keys()], true);
  return fold(rows, date, cover, now);
}

export interface HubCheck {
  /** Per RUC and series, the numbers missing between 1 and the highest seen (inclusive ranges). */
  gaps: Array<{ ruc: string; series: string; from: number; to: number }>;
  /** How many (RUC, series, number) the hub holds under more than one record. */
  duplicates: number;
}

export async function hubCheck(db: HubDb): Promise<HubCheck> {
  // Sales (01, 03) and notes (07, 08) share no series, so one list of numbers per RUC and series.
  const numbers = sql`(select ruc, series, correlative from sales union all select ruc, series, correlative from notes)`;
  const gaps = await sql<{ ruc: string; series: string; from: number; to: number }>`
    select ruc, series, prev + 1 as "from", correlative - 1 as "to" from (
      select ruc, series, correlative, lag(correlative, 1, 0) over (partition by ruc, series order by correlative) as prev
      from (select distinct ruc, series, correlative from ${numbers} n) d
    ) w where correlative - prev > 1 order by ruc, series, "from"`.execute(db);
  const dup = await sql<{ n: number }>`
    select count(*)::bigint as n from (select 1 from ${numbers} n group by ruc, series, correlative having count(*) > 1) d`.execute(db);
  return { gaps: gaps.rows.map((g) => ({ ruc: g.ruc, series: g.series, from: Number(g.from), to: Number(g.to) })), duplicates: Number(dup.rows[0]?.n ?? 0) };
}
