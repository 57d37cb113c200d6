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
import { Dec } from '../../src-shared/decimal';
import { buildSignedDocument } from './build';
import type { Issuer, SummaryLine, VoidedLine } from './model';
import { saleDocumentModel } from './sale-model';

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
  document_id: number; sale_id: number; document_type: string; series: string; correlative: number;
  issue_date: string; status: string; number: string; sale_status: string; file_name: string;
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
 * The daily summary of `date`: its boletas that SUNAT has not taken one by one (documents in `error`), informed with
 * condition 1. Their individual sends are cancelled so nothing goes twice.
 */
export function createDailySummary(app: BatchDeps, userId: number | null, date: string): BatchResult {
  const db = app.db;
  const today = limaDate(app.clock.now());
  if (daysBetween(date, today) < 0) throw ruleError('La fecha del resumen no puede ser futura.');
  if (daysBetween(date, today) > BATCH_DEADLINE_DAYS) {
    throw ruleError(`El plazo de ${BATCH_DEADLINE_DAYS} días para informar las boletas del ${date} venció: regularícelo con SUNAT.`);
  }
  // db.prepare, not Kysely: the covers are read out of the jobs' JSON payloads with the json_each table function.
  const rows = db.prepare(
    `SELECT d.id AS document_id, d.sale_id, d.file_name, d.document_type, d.series, d.correlative, d.issue_date, d.status, s.number, s.status AS sale_status
     FROM documents d JOIN sales s ON s.id = d.sale_id
     WHERE d.issue_date = ? AND d.document_type = '03' AND d.status = 'error'
       -- not already in a summary that is queued, being sent or accepted
       AND NOT EXISTS (SELECT 1 FROM jobs j, json_each(j.payload, '$.covers') c
                       WHERE j.kind = 'sunat.summary' AND j.state NOT IN ('failed', 'cancelled')
                         AND json_extract(c.value, '$.documentId') = d.id)
     ORDER BY d.series, d.correlative`,
  ).all(date) as CoveredRow[];
  if (rows.length === 0) throw ruleError(`No hay boletas del ${date} pendientes de informar en un resumen diario.`);
  if (rows.length > 500) throw ruleError('Un resumen admite hasta 500 boletas; divida el envío.');
  const lines: SummaryLine[] = rows.map((r) => {
    const model = saleDocumentModel(db, r.sale_id);
    return {
      documentType: '03', series: r.series, number: r.correlative, condition: '1', currency: model.currency,
      customer: model.customer, totals: model.totals,
    };
  });
  const covers = rows.map((r) => ({ documentId: r.document_id, number: r.number, condition: '1' as const }));
  return storeBatch(app, { kind: 'RC', lines }, date, covers, () => {
    const now = app.clock.now().toISOString();
    for (const r of rows) {
      db.run(
        db.q.updateTable('jobs').set({ state: 'cancelled', finished_at: now, updated_at: now, last_error: 'informada en resumen diario' })
          .where('kind', '=', 'sunat.send').where('idempotency_key', '=', r.file_name).where('state', 'not in', ['running', 'succeeded']),
      );
    }
    audit(db, app.clock.now(), userId, 'document.summary', 'document', date, { boletas: rows.map((r) => r.number) });
  });
}

/**
 * Voids a sale accepted by SUNAT within the deadline: a factura by an RA, a boleta by an RC with condition 3.
 * The sale is cancelled and its stock returned at once; the document turns `voided` when SUNAT accepts the batch.
 */
export function voidSale(app: BatchDeps, userId: number | null, number: string, reason: string): BatchResult {
  const db = app.db;
  const why = reason.trim().toUpperCase();
  if (why.length < 3 || why.length > 100) throw ruleError('Indique el motivo de la baja (de 3 a 100 caracteres).');
  const r = db.first(
    db.q.selectFrom('sales as s').innerJoin('documents as d', 'd.sale_id', 's.id')
      .select([
        'd.id as document_id', 's.id as sale_id', 'd.file_name', 'd.document_type', 'd.series', 'd.correlative', 'd.issue_date',
        'd.status', 's.number', 's.status as sale_status',
      ])
      .where('s.number', '=', number.trim().toUpperCase()),
  );
  if (!r) throw ruleError(`No existe la venta ${number}.`);
  if (r.sale_status === 'cancelled' || r.status === 'voided') throw ruleError(`La venta ${r.number} ya está anulada.`);
  // Part of it already came back with credit notes: a void would return those goods and that money twice. A debit
  // note charged on it would be left modifying a voided document (SUNAT refuses that: 2207).
  const notes = db.all(db.q.selectFrom('notes').select(['number', 'document_type']).where('sale_id', '=', r.sale_id).orderBy('id'));
  const credit = notes.filter((n) => n.document_type === '07');
  if (credit.length > 0) {
    throw ruleError(`La venta ${r.number} tiene devoluciones (${credit.map((n) => n.number).join(', ')}): no se puede dar de baja; devuelva lo que queda con otra nota de crédito.`);
  }
  const debit = notes.filter((n) => n.document_type === '08');
  if (debit.length > 0) {
    throw ruleError(`La venta ${r.number} tiene notas de débito (${debit.map((n) => n.number).join(', ')}): no se puede dar de baja; anúlela con una nota de crédito.`);
  }
  if (r.status !== 'accepted' && r.status !== 'observed') {
    throw ruleError(`SUNAT aún no aceptó ${r.number} (estado: ${r.status}). Espere su aceptación para darla de baja.`);
  }
  const today = limaDate(app.clock.now());
  if (daysBetween(r.issue_date, today) > BATCH_DEADLINE_DAYS) {
    throw ruleError(`Pasaron más de ${BATCH_DEADLINE_DAYS} días desde la emisión de ${r.number}: emita una nota de crédito.`);
  }
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
