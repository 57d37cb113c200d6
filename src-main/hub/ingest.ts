// Upload from the terminals: a pushed batch is applied in ONE transaction, one multi-row upsert per kind (never one
// statement per record), keyed by (terminal, uid): a row changes only when the incoming version is higher, so a
// batch sent twice changes nothing and an older copy never overwrites a newer one. A customer the terminal created
// or edited is also merged into the hub's customers by document (a new or changed one gets a catalog seq, so the
// other terminals pull it). `own` gives a terminal its records back, in the order the hub applied them.
import { sql, type Kysely } from 'kysely';
import type { HubRecord, HubRecordKind, OwnResponse, PushRequest, PushResponse } from '../../src-shared/hub-protocol';
import type { HubDb } from './db';
import type { HubSchema } from './schema';
import { HubRefusal } from './refusal';

type Row = Record<string, unknown>;
type Of<K extends HubRecordKind> = Extract<HubRecord, { kind: K }>;
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

/** Per kind: its table, the head as columns, and the head back from a row. */
interface KindMap<K extends HubRecordKind> {
  table: keyof HubSchema & string;
  /** The head's columns with their types, in the order `columns` gives them (jsonb_to_recordset's row type). */
  types: string;
  columns(head: Of<K>['head'], ruc: string): Row;
  head(row: Row): Of<K>['head'];
}
const KINDS: { [K in HubRecordKind]: KindMap<K> } = {
  sale: {
    table: 'sales',
    types: 'ruc text, issue_date date, issued_at timestamptz, document_type text, series text, correlative integer, number text, status text, total_cents bigint, user_name text, customer_doc_number text',
    columns: (h, ruc) => ({
      ruc, issue_date: h.issueDate, issued_at: h.issuedAt, document_type: h.documentType, series: h.series, correlative: h.correlative,
      number: h.number, status: h.status, total_cents: h.totalCents, user_name: h.userName, customer_doc_number: h.customerDocNumber,
    }),
    head: (r) => ({
      issueDate: r.issue_date as string, issuedAt: iso(r.issued_at), documentType: r.document_type as '01' | '03', series: r.series as string,
      correlative: r.correlative as number, number: r.number as string, status: r.status as string, totalCents: r.total_cents as number,
      userName: r.user_name as string, customerDocNumber: r.customer_doc_number as string,
    }),
  },
  note: {
    table: 'notes',
    types: 'ruc text, issue_date date, issued_at timestamptz, document_type text, series text, correlative integer, number text, total_cents bigint, reference text, reason_code text',
    columns: (h, ruc) => ({
      ruc, issue_date: h.issueDate, issued_at: h.issuedAt, document_type: h.documentType, series: h.series, correlative: h.correlative,
      number: h.number, total_cents: h.totalCents, reference: h.reference, reason_code: h.reasonCode,
    }),
    head: (r) => ({
      issueDate: r.issue_date as string, issuedAt: iso(r.issued_at), documentType: r.document_type as '07' | '08', series: r.series as string,
      correlative: r.correlative as number, number: r.number as string, totalCents: r.total_cents as number,
      reference: r.reference as string, reasonCode: r.reason_code as string,
    }),
  },
  document: {
    table: 'documents',
    types: 'document_type text, number text, issue_date date, status text, owner_uid text, cdr_code text, simulated boolean',
    columns: (h) => ({
      document_type: h.documentType, number: h.number, issue_date: h.issueDate, status: h.status, owner_uid: h.ownerUid,
      cdr_code: h.cdrCode, simulated: h.simulated,
    }),
    head: (r) => ({
      documentType: r.document_type as string, number: r.number as string, issueDate: r.issue_date as string, status: r.status as string,
      ownerUid: r.owner_uid as string | null, cdrCode: r.cdr_code as string | null, simulated: r.simulated as boolean,
    }),
  },
  cash_session: {
    table: 'cash_sessions',
    types: 'opened_at timestamptz, closed_at timestamptz, cashier_name text, z_number integer',
    columns: (h) => ({ opened_at: h.openedAt, closed_at: h.closedAt, cashier_name: h.cashierName, z_number: h.zNumber }),
    head: (r) => ({
      openedAt: iso(r.opened_at), closedAt: isoOrNull(r.closed_at), cashierName: r.cashier_name as string | null, zNumber: r.z_number as number | null,
    }),
  },
  cash_move: {
    table: 'cash_moves',
    types: 'at timestamptz, amount_cents bigint',
    columns: (h) => ({ at: h.at, amount_cents: h.amountCents }),
    head: (r) => ({ at: iso(r.at), amountCents: r.amount_cents as number }),
  },
  collection: {
    table: 'collections',
    types: 'at timestamptz, amount_cents bigint',
    columns: (h) => ({ at: h.at, amount_cents: h.amountCents }),
    head: (r) => ({ at: iso(r.at), amountCents: r.amount_cents as number }),
  },
  customer: {
    table: 'customers_in',
    types: 'doc_type text, doc_number text, name text',
    columns: (h) => ({ doc_type: h.docType, doc_number: h.docNumber, name: h.name }),
    head: (r) => ({ docType: r.doc_type as string, docNumber: r.doc_number as string, name: r.name as string }),
  },
  audit: {
    table: 'audit',
    types: 'at timestamptz, action text',
    columns: (h) => ({ at: h.at, action: h.action }),
    head: (r) => ({ at: iso(r.at), action: r.action as string }),
  },
};
const KIND_NAMES = Object.keys(KINDS) as HubRecordKind[];

/**
 * A kind's upsert, split where its two parameters go (the terminal id, then the rows as one json array): the rows
 * are unpacked by PostgreSQL and a row changes only when the incoming version is higher.
 */
const UPSERT = Object.fromEntries(KIND_NAMES.map((kind) => {
  const { table, types } = KINDS[kind];
  const cols = types.split(', ').map((c) => c.split(' ')[0]);
  const set = [...['version', ...cols, 'data'].map((c) => `${c} = excluded.${c}`), "hub_seq = nextval('record_seq')", 'received_at = now()'];
  return [kind, [
    `INSERT INTO ${table} AS t (terminal_id, uid, version, ${cols.join(', ')}, data) SELECT `,
    `, r.uid, r.version, ${cols.map((c) => `r.${c}`).join(', ')}, r.data FROM jsonb_to_recordset(`,
    `) AS r(uid text, version bigint, ${types}, data jsonb) ON CONFLICT (terminal_id, uid) DO UPDATE SET ${set.join(', ')} `
      + 'WHERE excluded.version > t.version RETURNING uid',
  ]];
})) as Record<HubRecordKind, [string, string, string]>;

/**
 * Called inside the batch's transaction once its rows are written, before the commit. Tests only (the fault journeys
 * kill the hub there: hub-faults.test.ts); the service sets it only from IZISALES_TEST_HUB_APPLY_PAUSE_MS.
 */
export type BeforeCommit = (batch: { fromSeq: number; toSeq: number }) => Promise<void>;

/** Applies one validated batch of `terminal`; answers the highest outbox sequence applied for it. */
export async function applyPush(db: HubDb, terminal: { id: string; ruc: string }, req: PushRequest, beforeCommit?: BeforeCommit): Promise<PushResponse> {
  if (req.terminalId !== terminal.id) throw new HubRefusal(401, 'token_de_otra_caja', 'El token no corresponde a la caja que envía: vuelva a registrarla.');
  if (req.fromSeq > req.toSeq) throw new HubRefusal(400, 'lote_no_valido', `Lote no válido: fromSeq (${req.fromSeq}) mayor que toSeq (${req.toSeq}).`);
  // Within a batch a record may appear more than once: its highest version stands (one upsert cannot touch a row twice).
  const latest = new Map<string, HubRecord>();
  for (const r of req.records) {
    const k = `${r.kind}:${r.uid}`;
    const seen = latest.get(k);
    if (!seen || r.version > seen.version) latest.set(k, r);
  }
  return db.transaction().execute(async (tx) => {
    for (const kind of KIND_NAMES) {
      const records = [...latest.values()].filter((r) => r.kind === kind);
      if (records.length === 0) continue;
      const map = KINDS[kind] as KindMap<HubRecordKind>;
      // The rows travel as ONE jsonb parameter that PostgreSQL parses once and unpacks itself (jsonb_to_recordset):
      // one string to encode instead of a parameter per column and row, which cost the hub's process a third of its
      // time (compiling the query, encoding and writing thousands of parameters, the garbage of it).
      const rows = JSON.stringify(records.map((r) => ({ uid: r.uid, version: r.version, ...map.columns(r.head as never, terminal.ruc), data: r.data })));
      const { rows: applied } = await sql<{ uid: string }>`${sql.raw(UPSERT[kind][0])}${terminal.id}::uuid${sql.raw(UPSERT[kind][1])}${rows}::jsonb${sql.raw(UPSERT[kind][2])}`.execute(tx);
      if (kind === 'customer' && applied.length > 0) {
        const uids = new Set(applied.map((a) => a.uid));
        await mergeCustomers(tx, records.filter((r): r is Of<'customer'> => uids.has(r.uid) && r.kind === 'customer'));
      }
    }
    const t = await tx.updateTable('terminals')
      .set({ applied_seq: sql`greatest(applied_seq, ${req.toSeq})`, last_contact: sql`now()`, ...(req.backlog === undefined ? {} : { backlog: req.backlog }) })
      .where('id', '=', terminal.id).returning('applied_seq').executeTakeFirstOrThrow();
    await beforeCommit?.({ fromSeq: req.fromSeq, toSeq: req.toSeq });
    return { appliedSeq: t.applied_seq, serverTime: new Date().toISOString() };
  });
}

async function mergeCustomers(tx: HubDb, records: Of<'customer'>[]): Promise<void> {
  const byDoc = new Map<string, { doc_type: string; doc_number: string; name: string; address: string | null }>();
  for (const r of records) {
    if (r.head.docType === '-' || !r.head.docNumber.trim()) continue; // "Clientes varios" is no one to merge
    const address = typeof r.data.address === 'string' && r.data.address.trim() ? r.data.address.trim() : null;
    byDoc.set(`${r.head.docType}-${r.head.docNumber}`, { doc_type: r.head.docType, doc_number: r.head.docNumber, name: r.head.name, address });
  }
  if (byDoc.size === 0) return;
  // Only a real change takes a new seq (the trigger runs only for rows the WHERE lets through).
  await tx.insertInto('customers').values([...byDoc.values()])
    .onConflict((oc) => oc.columns(['doc_type', 'doc_number'])
      .doUpdateSet({ name: sql.ref('excluded.name'), address: sql`coalesce(excluded.address, customers.address)` })
      .where(sql`(customers.name, customers.address)`, 'is distinct from', sql`(excluded.name, coalesce(excluded.address, customers.address))`))
    .execute();
}

/** The records of `terminalId` after hub_seq `after`, oldest first. */
export async function ownRecords(db: HubDb, terminalId: string, after: number, limit: number): Promise<OwnResponse> {
  const any = db as unknown as Kysely<Record<string, Row>>;
  // The first `limit` overall are among the first `limit` of each table.
  const perKind = await Promise.all(KIND_NAMES.map(async (kind) => {
    const rows = await any.selectFrom(KINDS[kind].table).selectAll()
      .where('terminal_id', '=', terminalId).where('hub_seq', '>', after).orderBy('hub_seq').limit(limit + 1).execute();
    return rows.map((r) => ({ kind, r }));
  }));
  const all = perKind.flat().sort((a, b) => (a.r.hub_seq as number) - (b.r.hub_seq as number));
  const page = all.slice(0, limit);
  const records = page.map(({ kind, r }) => ({
    kind, uid: r.uid as string, version: r.version as number, head: KINDS[kind].head(r), data: r.data as Row, hubSeq: r.hub_seq as number,
  })) as OwnResponse['records'];
  const t = await db.selectFrom('terminals').select('applied_seq').where('id', '=', terminalId).executeTakeFirstOrThrow();
  return { records, lastSeq: page.length ? (page[page.length - 1].r.hub_seq as number) : after, more: all.length > limit, appliedSeq: t.applied_seq };
}
