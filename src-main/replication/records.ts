// The outbox read as a batch for `hub.push`: its rows in seq order, up to HUB_BATCH_MAX distinct records, each record
// built as it is NOW (head + data, src-shared/hub-protocol.ts) with the highest outbox seq of it in the batch as its
// version. Read outside any sale's transaction (the job runs after the commit), so the checkout never waits for it.
// Child rows travel inside their parent's data (a sale with its lines, payments, instalments and stock moves; a note
// with its lines and stock moves); other local ids are joined with the uid of what they name (`sale_uid`, …), which
// is what the hub can match. Blobs and the signed XML go as base64 (`xml_base64`, `cdr_zip_base64`).
import type { Db } from '../db/connection';
import { HUB_BATCH_MAX, type HubRecord, type HubRecordKind } from '../../src-shared/hub-protocol';
import { formatNumber } from '../../src-shared/documents';

type Row = Record<string, unknown>;

export interface OutboxBatch {
  fromSeq: number;
  toSeq: number;
  records: HubRecord[];
}

/** Rows looked at per read: more than enough to find HUB_BATCH_MAX distinct records in an ordinary backlog. */
const SCAN = HUB_BATCH_MAX * 8;

/** Buffers as base64 under `<column>_base64`; everything else as stored. */
function plain(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) out[`${k}_base64`] = Buffer.from(v).toString('base64');
    else out[k] = v;
  }
  return out;
}

function readers(db: Db) {
  const one = (sql: string) => {
    const s = db.prepare(sql);
    return (id: unknown) => s.get(id) as Row | undefined;
  };
  const many = (sql: string) => {
    const s = db.prepare(sql);
    return (id: unknown) => (s.all(id) as Row[]).map(plain);
  };
  return {
    sale: one(`SELECT s.*, u.username AS user_name, cs.uid AS session_uid, c.uid AS customer_uid, n.uid AS exchange_note_uid
      FROM sales s JOIN users u ON u.id = s.user_id LEFT JOIN cash_sessions cs ON cs.id = s.session_id
      LEFT JOIN customers c ON c.id = s.customer_id LEFT JOIN notes n ON n.id = s.exchange_note_id WHERE s.id = ?`),
    saleLines: many('SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY line_no'),
    payments: many('SELECT * FROM payments WHERE sale_id = ? ORDER BY id'),
    instalments: many('SELECT * FROM sale_instalments WHERE sale_id = ? ORDER BY instalment_no'),
    saleStock: many('SELECT * FROM stock_moves WHERE sale_id = ? AND note_id IS NULL ORDER BY id'),
    note: one(`SELECT n.*, s.number AS reference, s.uid AS sale_uid, u.username AS user_name, cs.uid AS session_uid
      FROM notes n JOIN sales s ON s.id = n.sale_id JOIN users u ON u.id = n.user_id
      LEFT JOIN cash_sessions cs ON cs.id = n.session_id WHERE n.id = ?`),
    noteLines: many('SELECT * FROM note_lines WHERE note_id = ? ORDER BY line_no'),
    noteStock: many('SELECT * FROM stock_moves WHERE note_id = ? ORDER BY id'),
    document: one(`SELECT d.*, s.uid AS sale_uid, n.uid AS note_uid FROM documents d
      LEFT JOIN sales s ON s.id = d.sale_id LEFT JOIN notes n ON n.id = d.note_id WHERE d.id = ?`),
    session: one(`SELECT cs.*, u.username AS user_name, cu.username AS cashier_name FROM cash_sessions cs
      JOIN users u ON u.id = cs.user_id LEFT JOIN users cu ON cu.id = cs.cashier_id WHERE cs.id = ?`),
    move: one(`SELECT m.*, cs.uid AS session_uid, u.username AS user_name FROM cash_moves m
      JOIN cash_sessions cs ON cs.id = m.session_id JOIN users u ON u.id = m.user_id WHERE m.id = ?`),
    collection: one(`SELECT c.*, s.uid AS sale_uid, cs.uid AS session_uid, m.uid AS cash_move_uid, u.username AS user_name
      FROM collections c JOIN sales s ON s.id = c.sale_id JOIN users u ON u.id = c.user_id
      LEFT JOIN cash_sessions cs ON cs.id = c.session_id LEFT JOIN cash_moves m ON m.id = c.cash_move_id WHERE c.id = ?`),
    customer: one('SELECT * FROM customers WHERE id = ?'),
    audit: one('SELECT a.*, u.username AS user_name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.id = ?'),
  };
}
type Readers = ReturnType<typeof readers>;

const str = (v: unknown) => String(v);
const num = (v: unknown) => Number(v);

/** One record as the terminal holds it now, or null when its row is gone (nothing deletes them; a defect otherwise). */
export function buildRecord(r: Readers, kind: HubRecordKind, ref: number, version: number): HubRecord | null {
  switch (kind) {
    case 'sale': {
      const s = r.sale(ref);
      if (!s) return null;
      return {
        kind, uid: str(s.uid), version,
        head: {
          issueDate: str(s.issue_date), issuedAt: str(s.issued_at), documentType: s.document_type as '01' | '03', series: str(s.series),
          correlative: num(s.correlative), number: str(s.number), status: str(s.status), totalCents: num(s.total_cents),
          userName: str(s.user_name), customerDocNumber: str(s.customer_doc_number),
        },
        data: { ...plain(s), lines: r.saleLines(ref), payments: r.payments(ref), instalments: r.instalments(ref), stockMoves: r.saleStock(ref) },
      };
    }
    case 'note': {
      const n = r.note(ref);
      if (!n) return null;
      return {
        kind, uid: str(n.uid), version,
        head: {
          issueDate: str(n.issue_date), issuedAt: str(n.issued_at), documentType: n.document_type as '07' | '08', series: str(n.series),
          correlative: num(n.correlative), number: str(n.number), totalCents: num(n.total_cents), reference: str(n.reference), reasonCode: str(n.reason_code),
        },
        data: { ...plain(n), lines: r.noteLines(ref), stockMoves: r.noteStock(ref) },
      };
    }
    case 'document': {
      const d = r.document(ref);
      if (!d) return null;
      const { xml, ...rest } = d;
      return {
        kind, uid: str(d.uid), version,
        head: {
          documentType: str(d.document_type), number: formatNumber(str(d.series), num(d.correlative)), issueDate: str(d.issue_date),
          status: str(d.status), ownerUid: (d.note_uid ?? d.sale_uid ?? null) as string | null,
          cdrCode: (d.cdr_code ?? null) as string | null, simulated: d.simulated === 1,
        },
        data: { ...plain(rest), xml_base64: xml == null ? null : Buffer.from(str(xml), 'utf8').toString('base64') },
      };
    }
    case 'cash_session': {
      const c = r.session(ref);
      if (!c) return null;
      return {
        kind, uid: str(c.uid), version,
        head: {
          openedAt: str(c.opened_at), closedAt: (c.closed_at ?? null) as string | null,
          cashierName: (c.cashier_name ?? c.user_name ?? null) as string | null, zNumber: (c.z_number ?? null) as number | null,
        },
        data: plain(c),
      };
    }
    case 'cash_move': {
      const m = r.move(ref);
      if (!m) return null;
      return { kind, uid: str(m.uid), version, head: { at: str(m.created_at), amountCents: num(m.amount_cents) }, data: plain(m) };
    }
    case 'collection': {
      const c = r.collection(ref);
      if (!c) return null;
      return { kind, uid: str(c.uid), version, head: { at: str(c.created_at), amountCents: num(c.amount_cents) }, data: plain(c) };
    }
    case 'customer': {
      const c = r.customer(ref);
      if (!c) return null;
      return { kind, uid: str(c.uid), version, head: { docType: str(c.doc_type), docNumber: str(c.doc_number), name: str(c.name) }, data: plain(c) };
    }
    case 'audit': {
      const a = r.audit(ref);
      if (!a) return null;
      return { kind, uid: str(a.uid), version, head: { at: str(a.at), action: str(a.action) }, data: plain(a) };
    }
  }
}

/**
 * A batch stops growing past about this many bytes of JSON: building one (the rows read, the XML and CDR turned to
 * base64, the body checked and serialised) runs on the till's one thread, between two of the cashier's sales, so a
 * backlog of signed documents must go up in slices a sale never waits behind (~15 sales with their documents).
 */
export const BATCH_BYTES = 256 * 1024;

/** What a record weighs on the wire, roughly: its text fields (the XML and CDR as base64 dominate) and its child rows. */
function weight(rec: HubRecord): number {
  let n = 256;
  for (const v of Object.values(rec.data)) {
    if (typeof v === 'string') n += v.length;
    else if (Array.isArray(v)) n += v.length * 512;
    else n += 16;
  }
  return n;
}

/**
 * The next batch to push (null: the outbox is empty): up to `max` distinct records and about `maxBytes`, always at
 * least one record. A batch cut short covers the outbox up to the row before the first record left out, and each
 * record's version is its latest change within what the batch covers (a later change goes up again, newer).
 */
export function readBatch(db: Db, max = HUB_BATCH_MAX, maxBytes = BATCH_BYTES): OutboxBatch | null {
  const rows = db.prepare('SELECT seq, kind, ref FROM outbox ORDER BY seq LIMIT ?').all(Math.max(SCAN, max)) as { seq: number; kind: HubRecordKind; ref: number }[];
  if (rows.length === 0) return null;
  // Distinct records in the order they first changed.
  const firsts = new Map<string, { kind: HubRecordKind; ref: number; firstSeq: number }>();
  let toSeq = rows[0].seq;
  for (const row of rows) {
    const key = `${row.kind}:${row.ref}`;
    if (!firsts.has(key)) {
      if (firsts.size === max) break;
      firsts.set(key, { kind: row.kind, ref: row.ref, firstSeq: row.seq });
    }
    toSeq = row.seq;
  }
  const r = readers(db);
  const built: { key: string; rec: HubRecord }[] = [];
  let bytes = 0;
  for (const [key, { kind, ref, firstSeq }] of firsts) {
    if (built.length > 0 && bytes >= maxBytes) {
      toSeq = firstSeq - 1;
      break;
    }
    const rec = buildRecord(r, kind, ref, firstSeq);
    if (!rec) continue;
    bytes += weight(rec);
    built.push({ key, rec });
  }
  // Each record's version: its latest change the batch covers.
  const version = new Map<string, number>();
  for (const row of rows) {
    if (row.seq > toSeq) break;
    version.set(`${row.kind}:${row.ref}`, row.seq);
  }
  const records = built.map(({ key, rec }) => ({ ...rec, version: version.get(key)! }));
  return { fromSeq: rows[0].seq, toSeq, records };
}
