// Daily summaries (RC) and voiding communications (RA) over the data directory's documents (DESIGN §5):
// an RC informs boletas SUNAT would not take one by one (late, 1079, or given up after retries) and voids boletas
// (condition 3); an RA voids facturas. Each is signed, stored as a document row and queued as one sunat.summary job
// in the same transaction; the runner sends it, keeps its ticket and marks what it covers once SUNAT accepts.
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import type { Signer } from './signing';
import { enqueue, PRIORITY } from '../jobs/queue';
import { audit } from '../db/audit';
import { ruleError } from '../errors';
import { getSetting } from '../db/settings';
import { limaDate } from '../../src-shared/time';
import type { SaleVoidability } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { buildSignedDocument } from './build';
import type { Issuer, SummaryLine, VoidedLine } from './model';
import { saleDocumentModel } from './sale-model';
import { storedDocumentModel } from './stored-model';

/** SUNAT's deadline for summaries and voids, in calendar days after the document's date. */
export const BATCH_DEADLINE_DAYS = 7;

/** What summaries and voids use of the app (the App satisfies it): the database, the clock, the store's certificate. */
export interface BatchDeps {
  db: Db;
  clock: Clock;
  signer: Pick<Signer, 'certificate'>;
}

export interface BatchResult {
  documentId: number;
  jobId: number;
  fileName: string;
  covers: { documentId: number; number: string; condition: '1' | '3' }[];
}

interface CoveredRow {
  document_id: number; sale_id: number | null; note_id: number | null; document_type: '03' | '07' | '08'; series: string;
  correlative: number; status: string; number: string; file_name: string;
  /** For a note: the document row of the boleta it modifies, and its status. */
  ref_document_id: number | null; ref_status: string | null;
}

function issuer(db: Db): Issuer {
  const s = getSetting(db, 'store');
  return { ruc: s.ruc, name: s.legalName, tradeName: s.tradeName, address: s.address, ubigeo: s.ubigeo, establishmentCode: s.establishmentCode };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A batch's "series" column: RC-20261128; its correlative of the day completes the ID (RC-20261128-1). */
const batchSeries = (kind: 'RC' | 'RA', issueDate: string) => `${kind}-${issueDate.replaceAll('-', '')}`;

function nextBatchCorrelative(db: Db, kind: 'RC' | 'RA', issueDate: string): number {
  const r = db.first(
    db.q.selectFrom('documents').select((eb) => eb.fn.max('correlative').as('last'))
      .where('document_type', '=', kind).where('series', '=', batchSeries(kind, issueDate)),
  );
  return (r?.last ?? 0) + 1;
}

/** Signs the batch, stores it and queues its job, all in one transaction with the caller's changes. */
type BatchLines = { kind: 'RC'; lines: SummaryLine[] } | { kind: 'RA'; lines: VoidedLine[] };

function storeBatch(app: BatchDeps, batch: BatchLines, referenceDate: string, covers: BatchResult['covers'], change: () => void): BatchResult {
  const kind = batch.kind;
  const db = app.db;
  const now = app.clock.now();
  const issueDate = limaDate(now);
  const cert = app.signer.certificate();
  if (!cert) throw ruleError('No hay certificado digital: impórtelo antes de enviar resúmenes o bajas.');
  return db.tx(() => {
    const correlative = nextBatchCorrelative(db, kind, issueDate);
    const signed = buildSignedDocument({ ...batch, issuer: issuer(db), referenceDate, issueDate, correlative }, cert);
    const at = now.toISOString();
    const documentId = db.run(db.q.insertInto('documents').values({
      sale_id: null, document_type: kind, series: batchSeries(kind, issueDate), correlative, file_name: signed.fileName,
      issue_date: issueDate, status: 'pending', xml: signed.xml, digest_value: signed.digestValue, signed_at: at, created_at: at, updated_at: at,
    })).lastInsertRowid;
    const jobId = enqueue(db, now, {
      kind: 'sunat.summary', idempotencyKey: signed.fileName, priority: PRIORITY.normal, maxAttempts: 3,
      payload: { documentId, covers: covers.map((c) => ({ documentId: c.documentId, condition: c.condition })) },
    });
    change();
    return { documentId, jobId, fileName: signed.fileName, covers };
  });
}

/**
 * What goes in the daily summary of `date`: boletas and notes on boletas that SUNAT takes only in a summary (it
 * refused them alone with 1079: `by_summary`), and — when a person asks (`document summary`) — those in `error`
 * (given up after retries), not already in a summary that is queued, being sent or accepted. A note goes only once
 * the boleta it modifies is accepted or goes in the same summary (SUNAT refuses the whole summary otherwise, 2989).
 */
export function dueForSummary(db: Db, date: string, o: { withErrors: boolean }): CoveredRow[] {
  // db.prepare, not Kysely: the covers are read out of the jobs' JSON payloads with the json_each table function.
  const rows = db.prepare(
    `SELECT d.id AS document_id, d.sale_id, d.note_id, d.file_name, d.document_type, d.series, d.correlative, d.status,
       coalesce(s.number, n.number) AS number, rd.id AS ref_document_id, rd.status AS ref_status
     FROM documents d
     LEFT JOIN sales s ON s.id = d.sale_id
     LEFT JOIN notes n ON n.id = d.note_id
     LEFT JOIN documents rd ON rd.sale_id = n.sale_id AND rd.document_type = '03'
     WHERE d.issue_date = ? AND d.document_type IN ('03', '07', '08') AND d.series LIKE 'B%'
       AND ((d.by_summary = 1 AND d.status IN ('pending', 'error')) OR (? = 1 AND d.status = 'error'))
       -- not already in a summary that is queued, being sent or accepted (a rejected one leaves them free again)
       AND NOT EXISTS (SELECT 1 FROM jobs j, json_each(j.payload, '$.covers') c
                       JOIN documents b ON b.id = json_extract(j.payload, '$.documentId')
                       WHERE j.kind = 'sunat.summary' AND j.state NOT IN ('failed', 'cancelled') AND b.status <> 'rejected'
                         AND json_extract(c.value, '$.documentId') = d.id)
     ORDER BY d.document_type, d.series, d.correlative`,
  ).all(date, o.withErrors ? 1 : 0) as CoveredRow[];
  const here = new Set(rows.map((r) => r.document_id));
  return rows.filter((r) => r.note_id === null || r.ref_status === 'accepted' || r.ref_status === 'observed' || (r.ref_document_id !== null && here.has(r.ref_document_id)));
}

/**
 * A summary line with condition 1 (informed) of a boleta or of a note on one (07 or 08: its own type, its BillingReference
 * to the boleta and its own totals), from its stored model.
 */
function informedLine(db: Db, r: CoveredRow): SummaryLine {
  const model = storedDocumentModel(db, { id: r.document_id, sale_id: r.sale_id, note_id: r.note_id });
  const reference = 'reference' in model ? { documentType: '03' as const, series: model.reference.series, number: model.reference.number } : undefined;
  return {
    documentType: r.document_type, series: r.series, number: r.correlative, condition: '1', currency: model.currency,
    customer: model.customer, totals: model.totals, ...(reference ? { reference } : {}),
  };
}

/** The deadline of a summary for `date`, as a refusal; null while it is open. */
export function summaryDeadlineRefusal(date: string, today: string): string | null {
  if (daysBetween(date, today) < 0) return 'La fecha del resumen no puede ser futura.';
  if (daysBetween(date, today) > BATCH_DEADLINE_DAYS) {
    return `El plazo de ${BATCH_DEADLINE_DAYS} días para informar las boletas del ${date} venció: regularícelo con SUNAT.`;
  }
  return null;
}

/**
 * The daily summary of `date` (dueForSummary), every line with condition 1: asked for by a person (`withErrors`:
 * `document summary`) or made by the runner for what SUNAT refused alone (jobs/handlers/daily-summary.ts). The
 * individual sends still queued of what it carries are cancelled, so nothing goes twice.
 */
export function createDailySummary(app: BatchDeps, userId: number | null, date: string, o: { withErrors: boolean } = { withErrors: true }): BatchResult {
  const db = app.db;
  const late = summaryDeadlineRefusal(date, limaDate(app.clock.now()));
  if (late) throw ruleError(late);
  const rows = dueForSummary(db, date, o);
  if (rows.length === 0) throw ruleError(`No hay boletas ni notas del ${date} pendientes de informar en un resumen diario.`);
  if (rows.length > 500) throw ruleError('Un resumen admite hasta 500 comprobantes; divida el envío.');
  const lines = rows.map((r) => informedLine(db, r));
  const covers = rows.map((r) => ({ documentId: r.document_id, number: r.number, condition: '1' as const }));
  return storeBatch(app, { kind: 'RC', lines }, date, covers, () => {
    const now = app.clock.now().toISOString();
    for (const r of rows) {
      db.run(
        db.q.updateTable('jobs').set({ state: 'cancelled', finished_at: now, updated_at: now, last_error: 'informada en resumen diario' })
          .where('kind', '=', 'sunat.send').where('idempotency_key', '=', r.file_name).where('state', 'not in', ['running', 'succeeded']),
      );
    }
    const numbers = (types: string[]) => rows.filter((r) => types.includes(r.document_type)).map((r) => r.number);
    audit(db, app.clock.now(), userId, 'document.summary', 'document', date, { boletas: numbers(['03']), notes: numbers(['07', '08']) });
  });
}

type VoidRow = NonNullable<ReturnType<typeof voidRow>>;

function voidRow(db: Db, sale: { number: string } | { id: number }) {
  const q = db.q.selectFrom('sales as s').innerJoin('documents as d', 'd.sale_id', 's.id')
    .select([
      'd.id as document_id', 's.id as sale_id', 'd.file_name', 'd.document_type', 'd.series', 'd.correlative', 'd.issue_date',
      'd.status', 's.number', 's.status as sale_status',
    ]);
  return db.first('id' in sale ? q.where('s.id', '=', sale.id) : q.where('s.number', '=', sale.number.trim().toUpperCase()));
}

/** The last day SUNAT takes a void of a document issued on `issueDate` (BATCH_DEADLINE_DAYS later), AAAA-MM-DD. */
export function voidDeadline(issueDate: string): string {
  return new Date(Date.parse(`${issueDate}T00:00:00Z`) + BATCH_DEADLINE_DAYS * 86_400_000).toISOString().slice(0, 10);
}

/** Why this sale cannot be voided today, in the words the screens show; null when it can. */
function voidRefusal(db: Db, r: VoidRow, today: string): string | null {
  if (r.sale_status === 'cancelled' || r.status === 'voided') return `La venta ${r.number} ya está anulada.`;
  // Part of it already came back with credit notes: a void would return those goods and that money twice.
  // A debit note charged on it would be left modifying a voided document (SUNAT refuses that: 2207).
  const notes = db.all(db.q.selectFrom('notes').select(['number', 'document_type']).where('sale_id', '=', r.sale_id).orderBy('id'));
  const credit = notes.filter((n) => n.document_type === '07');
  if (credit.length > 0) {
    return `La venta ${r.number} tiene devoluciones (${credit.map((n) => n.number).join(', ')}): no se puede dar de baja; devuelva lo que queda con otra nota de crédito.`;
  }
  const debit = notes.filter((n) => n.document_type === '08');
  if (debit.length > 0) {
    return `La venta ${r.number} tiene notas de débito (${debit.map((n) => n.number).join(', ')}): no se puede dar de baja; anúlela con una nota de crédito.`;
  }
  // A sale on credit already partly paid later: the collections would be left against a voided document. A credit
  // note is the way: it lowers the debt first and gives back only what was paid beyond it.
  const collected = db.first(
    db.q.selectFrom('collections').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('t')])
      .where('sale_id', '=', r.sale_id),
  )!;
  if (collected.n > 0) {
    return `La venta ${r.number} fue al crédito y tiene cobros registrados por ${formatSoles(Dec.fromCents(collected.t))}: no se puede dar de baja. `
      + 'Emita una nota de crédito (Devolución): descuenta primero lo que el cliente aún debe y devuelve solo lo pagado de más.';
  }
  if (r.status !== 'accepted' && r.status !== 'observed') {
    return `SUNAT aún no aceptó ${r.number} (estado: ${r.status}). Espere su aceptación para darla de baja.`;
  }
  if (daysBetween(r.issue_date, today) > BATCH_DEADLINE_DAYS) {
    return `Pasaron más de ${BATCH_DEADLINE_DAYS} días desde la emisión de ${r.number}: emita una nota de crédito.`;
  }
  return null;
}

/**
 * Whether the sale can be voided today — the very checks `voidSale` refuses with — and the last day it can: what the
 * return dialog asks before offering the void instead of a credit note for everything.
 */
export function saleVoidability(db: Db, saleId: number, today: string): SaleVoidability {
  const r = voidRow(db, { id: saleId });
  if (!r) return { voidable: false, reason: 'La venta no tiene comprobante.', until: null };
  const reason = voidRefusal(db, r, today);
  return { voidable: reason === null, reason, until: voidDeadline(r.issue_date) };
}

/**
 * Voids a sale accepted by SUNAT within the deadline: a factura by an RA, a boleta by an RC with condition 3.
 * The sale is cancelled and its stock returned at once; the document turns `voided` when SUNAT accepts the batch.
 */
export function voidSale(app: BatchDeps, userId: number | null, number: string, reason: string): BatchResult {
  const db = app.db;
  const why = reason.trim().toUpperCase();
  if (why.length < 3 || why.length > 100) throw ruleError('Indique el motivo de la baja (de 3 a 100 caracteres).');
  const r = voidRow(db, { number });
  if (!r) throw ruleError(`No existe la venta ${number}.`);
  const refusal = voidRefusal(db, r, limaDate(app.clock.now()));
  if (refusal) throw ruleError(refusal);
  const covers = [{ documentId: r.document_id, number: r.number, condition: '3' as const }];
  const cancel = () => {
    const now = app.clock.now().toISOString();
    db.run(db.q.updateTable('sales').set({ status: 'cancelled' }).where('id', '=', r.sale_id));
    // The goods come back to the shelf.
    const moves = db.all(db.q.selectFrom('stock_moves').select(['product_id', 'quantity']).where('sale_id', '=', r.sale_id).where('reason', '=', 'sale'));
    for (const m of moves) {
      const back = m.quantity.startsWith('-') ? m.quantity.slice(1) : `-${m.quantity}`;
      const p = db.first(db.q.selectFrom('products').select('stock').where('id', '=', m.product_id))!;
      const after = Dec.of(p.stock).plus(back).toString();
      db.run(db.q.updateTable('products').set({ stock: after }).where('id', '=', m.product_id));
      db.run(db.q.insertInto('stock_moves').values({
        product_id: m.product_id, sale_id: r.sale_id, quantity: back, reason: 'void', stock_after: after, negative: after.startsWith('-') ? 1 : 0, created_at: now,
      }));
    }
    audit(db, app.clock.now(), userId, 'sale.void', 'sale', r.sale_id, { number: r.number, reason: why });
  };
  if (r.document_type === '01') {
    return storeBatch(app, { kind: 'RA', lines: [{ documentType: '01', series: r.series, number: r.correlative, reason: why }] }, r.issue_date, covers, cancel);
  }
  const model = saleDocumentModel(db, r.sale_id);
  const line: SummaryLine = { documentType: '03', series: r.series, number: r.correlative, condition: '3', currency: model.currency, customer: model.customer, totals: model.totals };
  return storeBatch(app, { kind: 'RC', lines: [line] }, r.issue_date, covers, cancel);
}

/** Where a sale's void stands: its document's status and the batch (RA or RC) that carries the void, if any. */
export function voidProgress(db: Db, saleId: number): { documentStatus: string; batch: { fileName: string; status: string; lastError: string | null } | null } {
  const doc = db.first(db.q.selectFrom('documents').select(['id', 'status']).where('sale_id', '=', saleId).where('document_type', 'in', ['01', '03']).orderBy('id').limit(1));
  if (!doc) throw ruleError('La venta no tiene comprobante.');
  // db.prepare, not Kysely: the batch is found by the covers in its job's JSON payload (json_each).
  const batch = db.prepare(
    `SELECT b.file_name, b.status, coalesce(j.last_error, b.last_error) AS last_error FROM jobs j, json_each(j.payload, '$.covers') c
     JOIN documents b ON b.id = json_extract(j.payload, '$.documentId')
     WHERE j.kind = 'sunat.summary' AND json_extract(c.value, '$.documentId') = ? AND json_extract(c.value, '$.condition') = '3'
     ORDER BY j.id DESC LIMIT 1`,
  ).get(doc.id) as { file_name: string; status: string; last_error: string | null } | undefined;
  return { documentStatus: doc.status, batch: batch ? { fileName: batch.file_name, status: batch.status, lastError: batch.last_error } : null };
}
