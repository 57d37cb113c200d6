// After a restore (a backup from yesterday put back, or any copy older than what the hub holds), the till asks the
// hub for its own records back (`own`) and moves on past everything the hub saw from it, in ONE transaction:
// - its numbering: each of its series continues after the highest number the hub holds in it, so no number is
//   issued twice (a number reused would be a second document under one number, for SUNAT and for the hub);
// - its outbox sequence: continues after the hub's appliedSeq, so a change made from now on outranks every version
//   the hub holds (the hub keeps the highest version of a record: a lower one would be ignored).
// - what it lacks: every record the hub holds from this till that the copy does not have (sales with their lines,
//   payments, instalments and stock moves, notes with theirs, documents with their signed XML, CDR and status, cash
//   sessions with their Z, cash moves, collections, customers, audit entries) is rebuilt into the till's tables from
//   the hub's `data`, keeping its uid; local ids are new (the copy may have given the old ones to something else)
//   and every reference is re-pointed through the uids the data carries (users by username). What the copy has in
//   an earlier state moves on to the hub's where the step only goes forward: a cash session still open here and
//   closed there takes its close and Z; a document not yet answered here and answered by SUNAT there takes the
//   answer (status, CDR). The rows this writes leave nothing in the outbox: the hub holds them at their version.
//   Each stock move rebuilt is also replayed on its product's stock (a sale's move is negative, a return's positive),
//   so the stock levels are what they were before the disk died, not the copy's.
// What the copy already had goes up again and changes nothing on the hub (same uid, same or lower version).
import type { Db } from '../db/connection';
import { HUB_BATCH_MAX, HUB_PATHS, ownResponse, type HubRecordKind, type OwnResponse } from '../../src-shared/hub-protocol';
import { audit } from '../db/audit';
import { Dec } from '../../src-shared/decimal';
import { hubCall } from './http';
import { openToken, readLink } from './link';
import type { HubDeps } from './push';

/** The local table of each kind (the uid is what matches). */
const TABLE: Record<HubRecordKind, string> = {
  sale: 'sales', note: 'notes', document: 'documents', cash_session: 'cash_sessions', cash_move: 'cash_moves',
  collection: 'collections', customer: 'customers', audit: 'audit_log',
};

export interface RecoverResult {
  /** Records the hub holds from this till, how many of them this database lacked, and how many of those it rebuilt. */
  records: number;
  lacking: number;
  rebuilt: number;
  /** Records this database had in an earlier state, brought to the hub's (a session closed, a SUNAT answer). */
  refreshed: number;
  appliedSeq: number;
  /** Series moved forward: from the next number the copy had to the one after the hub's highest. */
  series: { series: string; from: number; to: number }[];
  /** The outbox sequence moved forward to the hub's appliedSeq (null: it was already past it). */
  outboxFrom: number | null;
}

/** The highest outbox seq this database ever gave (AUTOINCREMENT keeps it even when the rows are gone). */
export function outboxTop(db: Db): number {
  const r = db.prepare(`SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0), coalesce((SELECT max(seq) FROM outbox), 0)) AS top`).get() as { top: number };
  return r.top;
}

export async function recoverFromHub(deps: HubDeps, opts: { via: 'cli' | 'ui' | 'push' }): Promise<RecoverResult> {
  const { db } = deps;
  const link = readLink(db);
  if (!link) throw new Error('Esta caja no está inscrita en una central.');
  const token = openToken(deps.secrets, link);
  const highest = new Map<string, number>();
  const lackingByKind = new Map<string, number>();
  let records = 0;
  let lacking = 0;
  let appliedSeq = 0;
  const missing: OwnRecord[] = [];
  const held: OwnRecord[] = [];
  // One look-up of every kind's uid: a record is lacking when its table has no row with it.
  const has = db.prepare(`SELECT coalesce(${Object.entries(TABLE).map(([k, t]) => `CASE WHEN @kind = '${k}' THEN EXISTS (SELECT 1 FROM ${t} WHERE uid = @uid) END`).join(', ')}) AS found`);
  const found = (kind: string, uid: string) => (has.get({ kind, uid }) as { found: number | null }).found === 1;
  for (let after = 0; ;) {
    const page = await hubCall({ baseUrl: link.url, path: `${HUB_PATHS.own}?after=${after}&limit=${HUB_BATCH_MAX}`, method: 'GET', token, answer: ownResponse });
    appliedSeq = Math.max(appliedSeq, page.appliedSeq);
    for (const r of page.records) {
      records++;
      if (r.kind === 'sale' || r.kind === 'note') highest.set(r.head.series, Math.max(highest.get(r.head.series) ?? 0, r.head.correlative));
      if (found(r.kind, r.uid)) {
        if (r.kind === 'cash_session' || r.kind === 'document') held.push(r);
      } else {
        missing.push(r);
        lacking++;
        lackingByKind.set(r.kind, (lackingByKind.get(r.kind) ?? 0) + 1);
      }
    }
    if (!page.more || page.lastSeq <= after) break;
    after = page.lastSeq;
  }
  const result: RecoverResult = { records, lacking, rebuilt: 0, refreshed: 0, appliedSeq, series: [], outboxFrom: null };
  db.tx(() => {
    const mark = outboxTop(db);
    result.rebuilt = rebuild(db, missing);
    result.refreshed = refresh(db, held);
    // The hub holds all of it at its version already: nothing of this goes back up.
    db.prepare('DELETE FROM outbox WHERE seq > ?').run(mark);
    const rows = db.prepare('SELECT terminal_id, document_type, series, next_number FROM series').all() as
      { terminal_id: string; document_type: string; series: string; next_number: number }[];
    const bump = db.prepare('UPDATE series SET next_number = ? WHERE terminal_id = ? AND document_type = ? AND next_number < ?');
    for (const s of rows) {
      const seen = highest.get(s.series);
      if (seen === undefined || seen < s.next_number) continue;
      bump.run(seen + 1, s.terminal_id, s.document_type, seen + 1);
      result.series.push({ series: s.series, from: s.next_number, to: seen + 1 });
    }
    const top = outboxTop(db);
    if (appliedSeq > top) {
      // The row exists once the outbox took a row; a database that never had one gets it.
      const moved = db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'`).run(appliedSeq).changes;
      if (moved === 0) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(appliedSeq);
      result.outboxFrom = top;
    }
    audit(db, deps.now(), null, 'hub.recover', 'hub', link.terminal_id, {
      records, lacking, lackingByKind: Object.fromEntries(lackingByKind), rebuilt: result.rebuilt, refreshed: result.refreshed, appliedSeq, series: result.series, outboxFrom: result.outboxFrom, via: opts.via,
    });
  });
  return result;
}

type OwnRecord = OwnResponse['records'][number];
type Row = Record<string, unknown>;

/** The order a rebuild follows: what a record names is rebuilt before it (a sale's exchange note is set at the end). */
const ORDER: HubRecordKind[] = ['customer', 'cash_session', 'cash_move', 'sale', 'note', 'document', 'collection', 'audit'];

/** Writes the records this database lacks from their `data` (inside the caller's transaction); answers how many. */
function rebuild(db: Db, missing: OwnRecord[]): number {
  if (missing.length === 0) return 0;
  const statements = new Map<string, ReturnType<Db['prepare']>>();
  const q = (text: string) => {
    let st = statements.get(text);
    if (!st) statements.set(text, (st = db.prepare(text)));
    return st;
  };
  const customerOfDoc = db.prepare('SELECT id FROM customers WHERE doc_type = ? AND doc_number = ?');
  const setExchange = db.prepare('UPDATE sales SET exchange_note_id = ? WHERE id = ?');
  const columns = new Map<string, string[]>();
  const columnsOf = (table: string) => {
    let c = columns.get(table);
    if (!c) columns.set(table, (c = (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name).filter((n) => n !== 'id')));
    return c;
  };
  /** One row from data as stored: its own columns (blobs from `<column>_base64`), `over` on top; answers its new id. */
  const insert = (table: string, data: Row, over: Row = {}): number => {
    const cols: string[] = [];
    const values: unknown[] = [];
    for (const c of columnsOf(table)) {
      let v: unknown;
      if (c in over) v = over[c];
      else if (typeof data[`${c}_base64`] === 'string') {
        const bytes = Buffer.from(data[`${c}_base64`] as string, 'base64');
        v = table === 'documents' && c === 'xml' ? bytes.toString('utf8') : bytes;
      } else if (c in data) v = data[c];
      else continue;
      cols.push(c);
      values.push(typeof v === 'boolean' ? Number(v) : v);
    }
    return Number(q(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values).lastInsertRowid);
  };
  const byUid = (table: string, uid: unknown): number | null =>
    typeof uid === 'string' ? ((q(`SELECT id FROM ${table} WHERE uid = ?`).get(uid) as { id: number } | undefined)?.id ?? null) : null;
  const exists = (table: string, id: unknown): boolean => id != null && !!q(`SELECT 1 FROM ${table} WHERE id = ?`).get(id);
  /** A user by username (users are the hub's: the same person on every till), else the same id if this copy has it. */
  const user = (name: unknown, id: unknown): number | null => {
    const u = typeof name === 'string' ? (q('SELECT id FROM users WHERE username = ?').get(name) as { id: number } | undefined) : undefined;
    return u?.id ?? (exists('users', id) ? (id as number) : null);
  };
  const product = (id: unknown): number | null => (exists('products', id) ? (id as number) : null);
  const stockOf = q('SELECT stock FROM products WHERE id = ?');
  const stockSet = q('UPDATE products SET stock = ? WHERE id = ?');
  /** A move the copy lacked: kept as history (its own stock_after) and replayed on the product's stock. */
  const move = (m: Row, over: Row) => {
    const id = product(m.product_id);
    if (id === null) return;
    insert('stock_moves', m, over);
    stockSet.run(Dec.of((stockOf.get(id) as { stock: string }).stock).plus(String(m.quantity)).toString(), id);
  };
  // Old local ids of rebuilt sales and sale lines → new ones (a note's lines name the sale line they return).
  const sales = new Map<unknown, number>();
  const saleLines = new Map<unknown, number>();
  const exchange: { id: number; noteUid: unknown }[] = [];
  const sorted = [...missing].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  let n = 0;
  for (const r of sorted) {
    const d = r.data as Row;
    const session = (uid: unknown) => byUid('cash_sessions', uid);
    switch (r.kind) {
      case 'customer': {
        // A customer of the same document this copy already has (pulled from the hub) is that one.
        if (customerOfDoc.get(d.doc_type, d.doc_number)) continue;
        insert('customers', d, { uid: r.uid });
        break;
      }
      case 'cash_session':
        insert('cash_sessions', d, { uid: r.uid, user_id: user(d.user_name, d.user_id), cashier_id: d.cashier_id == null ? null : user(d.cashier_name, d.cashier_id), closed_by: d.closed_by == null ? null : user(null, d.closed_by) ?? user(d.user_name, d.user_id) });
        break;
      case 'cash_move':
        insert('cash_moves', d, { uid: r.uid, session_id: session(d.session_uid), user_id: user(d.user_name, d.user_id) });
        break;
      case 'sale': {
        const customer = byUid('customers', d.customer_uid)
          ?? ((customerOfDoc.get(d.customer_doc_type, d.customer_doc_number) as { id: number } | undefined)?.id ?? null);
        const id = insert('sales', d, { uid: r.uid, session_id: session(d.session_uid), user_id: user(d.user_name, d.user_id), customer_id: d.customer_id == null ? null : customer, exchange_note_id: null });
        sales.set(d.id, id);
        if (d.exchange_note_uid) exchange.push({ id, noteUid: d.exchange_note_uid });
        for (const l of (d.lines ?? []) as Row[]) saleLines.set(l.id, insert('sale_lines', l, { sale_id: id, product_id: product(l.product_id) }));
        for (const p of (d.payments ?? []) as Row[]) insert('payments', p, { sale_id: id });
        for (const i of (d.instalments ?? []) as Row[]) insert('sale_instalments', i, { sale_id: id });
        for (const m of (d.stockMoves ?? []) as Row[]) move(m, { sale_id: id, note_id: null });
        break;
      }
      case 'note': {
        const saleId = byUid('sales', d.sale_uid);
        const id = insert('notes', d, { uid: r.uid, sale_id: saleId, session_id: session(d.session_uid), user_id: d.user_id == null ? null : user(d.user_name, d.user_id) });
        for (const l of (d.lines ?? []) as Row[]) {
          const line = saleLines.get(l.sale_line_id) ?? (exists('sale_lines', l.sale_line_id) ? l.sale_line_id : null);
          insert('note_lines', l, { note_id: id, sale_line_id: line, product_id: product(l.product_id) });
        }
        for (const m of (d.stockMoves ?? []) as Row[]) move(m, { note_id: id, sale_id: m.sale_id == null ? null : (sales.get(m.sale_id) ?? saleId) });
        break;
      }
      case 'document':
        insert('documents', d, { uid: r.uid, sale_id: byUid('sales', d.sale_uid), note_id: byUid('notes', d.note_uid) });
        break;
      case 'collection':
        insert('collections', d, { uid: r.uid, sale_id: byUid('sales', d.sale_uid), session_id: session(d.session_uid), cash_move_id: byUid('cash_moves', d.cash_move_uid), user_id: user(d.user_name, d.user_id) });
        break;
      case 'audit':
        insert('audit_log', d, { uid: r.uid, user_id: d.user_id == null ? null : user(d.user_name, d.user_id) });
        break;
    }
    n++;
  }
  for (const e of exchange) setExchange.run(byUid('notes', e.noteUid), e.id);
  return n;
}

/** SUNAT's answer as a document row holds it. */
const ANSWER = ['status', 'ticket', 'cdr_code', 'cdr_description', 'cdr_notes', 'last_error', 'last_attempt_at', 'accepted_at', 'by_summary', 'updated_at'] as const;
const ANSWERED = ['accepted', 'observed', 'rejected'];
const CLOSE = ['closed_at', 'counted_cents', 'expected_cents', 'difference_cents', 'z_number', 'z_report'] as const;

/** Records this database holds in an earlier state than the hub's, moved forward where the step only goes one way. */
function refresh(db: Db, held: OwnRecord[]): number {
  const doc = db.prepare('SELECT id, status, cdr_zip FROM documents WHERE uid = ?');
  const answer = db.prepare(`UPDATE documents SET ${ANSWER.map((c) => `${c} = @${c}`).join(', ')}, cdr_zip = coalesce(@cdr_zip, cdr_zip) WHERE id = @id`);
  const session = db.prepare('SELECT id, closed_at FROM cash_sessions WHERE uid = ?');
  const user = db.prepare('SELECT id FROM users WHERE id = ?');
  const close = db.prepare(`UPDATE cash_sessions SET ${CLOSE.map((c) => `${c} = @${c}`).join(', ')}, closed_by = @closed_by WHERE id = @id AND closed_at IS NULL`);
  let n = 0;
  for (const r of held) {
    const d = r.data as Row;
    const pick = (cols: readonly string[]) => Object.fromEntries(cols.map((c) => [c, typeof d[c] === 'boolean' ? Number(d[c]) : (d[c] ?? null)]));
    if (r.kind === 'document') {
      const local = doc.get(r.uid) as { id: number; status: string } | undefined;
      if (!local || ANSWERED.includes(local.status) || !ANSWERED.includes(String(d.status))) continue;
      const cdr = typeof d.cdr_zip_base64 === 'string' ? Buffer.from(d.cdr_zip_base64, 'base64') : null;
      answer.run({ ...pick(ANSWER), cdr_zip: cdr, id: local.id });
      n++;
    } else if (r.kind === 'cash_session') {
      const local = session.get(r.uid) as { id: number; closed_at: string | null } | undefined;
      if (!local || local.closed_at !== null || d.closed_at == null) continue;
      // The one who closed it: the same user id (users come from the hub; the copy's ids are the till's), if here.
      const by = d.closed_by != null && user.get(d.closed_by) ? d.closed_by : null;
      n += close.run({ ...pick(CLOSE), closed_by: by, id: local.id }).changes;
    }
  }
  return n;
}
