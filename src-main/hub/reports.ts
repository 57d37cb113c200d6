// What the hub tells about all its terminals: the daily report per store and chain-wide (counted the way each
// terminal's own daily report counts: issued = every document of that issue date, of any kind and state; billed =
// the sales of that date not cancelled), and the check of the numbering (gaps and duplicates per RUC and series).
import { sql } from 'kysely';
import { Dec } from '../../src-shared/decimal';
import type { HubDb } from './db';
import { HubRefusal } from './refusal';
import type { HubDailyReportView } from '../../src-shared/hub-contract';

const soles = (cents: number): string => Dec.fromCents(cents).toFixed(2);

/** The shape the screens and `hub report daily --json` share (src-shared/hub-contract.ts). */
export type HubDailyReport = HubDailyReportView;

export async function hubDailyReport(db: HubDb, date: string): Promise<HubDailyReport> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new HubRefusal(400, 'fecha_no_valida', `Fecha no válida: ${date} (use AAAA-MM-DD).`);
  }
  const [terminals, docs, sales] = await Promise.all([
    db.selectFrom('stores as s').leftJoin('terminals as t', 't.store_id', 's.id')
      .select(['s.ruc', 's.establishment', 't.id', 't.name', 't.last_contact'])
      .orderBy('s.ruc').orderBy('s.establishment').orderBy('t.name').execute(),
    db.selectFrom('documents').select((eb) => ['terminal_id', eb.fn.countAll<number>().as('n')])
      .where('issue_date', '=', date).groupBy('terminal_id').execute(),
    db.selectFrom('sales').select(['terminal_id', sql<number>`sum(total_cents)::bigint`.as('cents')])
      .where('issue_date', '=', date).where('status', '<>', 'cancelled').groupBy('terminal_id').execute(),
  ]);
  const issuedBy = new Map(docs.map((d) => [d.terminal_id, Number(d.n)]));
  const centsBy = new Map(sales.map((s) => [s.terminal_id, Number(s.cents)]));
  const stores: HubDailyReport['stores'] = [];
  const storeCents = new Map<object, number>();
  let issued = 0;
  let cents = 0;
  for (const r of terminals) {
    let store = stores[stores.length - 1];
    if (!store || store.ruc !== r.ruc || store.establishment !== r.establishment) {
      store = { ruc: r.ruc, establishment: r.establishment, issued: 0, totalBilled: '0.00', terminals: [] };
      stores.push(store);
      storeCents.set(store, 0);
    }
    if (!r.id) continue; // a store with no terminal yet
    const n = issuedBy.get(r.id) ?? 0;
    const c = centsBy.get(r.id) ?? 0;
    store.terminals.push({ name: r.name!, issued: n, totalBilled: soles(c), lastContact: r.last_contact ? new Date(r.last_contact).toISOString() : null });
    store.issued += n;
    storeCents.set(store, storeCents.get(store)! + c);
    store.totalBilled = soles(storeCents.get(store)!);
    issued += n;
    cents += c;
  }
  return { issued, totalBilled: soles(cents), stores };
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
