// A sale's detail (issue 15, Ventas del día → Enter): what was sold and how it was paid, to whom, its document and
// SUNAT's answer (the CDR's code and text), the documents issued on it (credit and debit notes, the void's batch), and a
// timeline built from what the app already records — the sale, the document's signature and acceptance, the runs of
// its sunat.send job, the void and the prints in the audit log. Off the hot paths: Kysely, one read per table.
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import { MANAGERS, type SaleDetail } from '../../src-shared/contract';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { PAYMENT_METHODS, sunatStatusText, type PaymentMethod } from '../../src-shared/documents';
import { CREDIT_NOTE_REASONS, DEBIT_NOTE_REASONS } from '../../src-shared/notes';
import { IDENTITY_DOC_TYPES } from '../../src-shared/identity';
import { forbidden, notFound } from '../errors';
import { nextPrint, printTarget } from './prints';

type Timeline = SaleDetail['timeline'];

const soles = (cents: number) => Dec.fromCents(cents).toFixed(2);
/** A stored unit price ("2.5") as money ("2.50"); one with more decimals keeps them. */
const price = (value: string) => {
  const d = Dec.of(value);
  return d.round(2).eq(d) ? d.toFixed(2) : d.toString();
};

/** "0 — La Boleta numero B001-1, ha sido aceptada": SUNAT's code and text, as its CDR gives them. */
function cdrText(code: string | null, description: string | null): string | null {
  if (code === null && !description) return null;
  // Stored as four digits (sunat/faults.ts); SUNAT writes acceptance as "0".
  const shown = code !== null && /^\d+$/.test(code) ? String(Number(code)) : code;
  return [shown, description].filter((s) => s !== null && s !== '').join(' — ');
}

function cdrNotes(json: string | null): string[] {
  if (!json) return [];
  try {
    const notes = JSON.parse(json) as { code?: string; text?: string }[];
    return Array.isArray(notes) ? notes.map((n) => cdrText(n.code || null, n.text ?? null) ?? '').filter(Boolean) : [];
  } catch {
    return [];
  }
}

const noteKind = (type: '07' | '08') => (type === '08' ? 'Nota de débito' : 'Nota de crédito');

/** The catalog's words for a note's reason: 09 for credit notes, 10 for debit notes. */
function reasonLabel(type: '07' | '08', code: string): string {
  const catalog: Record<string, string> = type === '08' ? DEBIT_NOTE_REASONS : CREDIT_NOTE_REASONS;
  return catalog[code] ?? code;
}

const HOW: Record<PaymentMethod, string> = { cash: 'en efectivo', card: 'con tarjeta', yape: 'por Yape', plin: 'por Plin' };
/** "S/ 15.50 en efectivo". */
const moneyText = (cents: number, method: PaymentMethod | null) => `${formatSoles(Dec.fromCents(cents))}${method ? ` ${HOW[method]}` : ''}`;

/** Runs of the send job that did not reach SUNAT: they wait (network, the document it corrects, a certificate). */
const WAITS = new Set(['waiting_network', 'waits_for_reference', 'waits_for_sunat_mode', 'no_certificate', 'paused', 'deferred']);

/** The runs of a document's sunat.send job as timeline events: each send, and each stretch of waiting (once). */
function sendEvents(db: Db, fileName: string, what: string): Timeline {
  const job = db.first(db.q.selectFrom('jobs').select(['id']).where('idempotency_key', '=', fileName).where('kind', '=', 'sunat.send'));
  if (!job) return [];
  const runs = db.all(db.q.selectFrom('job_runs').select(['attempt', 'started_at', 'finished_at', 'outcome', 'error']).where('job_id', '=', job.id).orderBy('id'));
  const out: Timeline = [];
  let sends = 0;
  let lastWait: string | null = null;
  for (const r of runs) {
    if (r.outcome !== null && WAITS.has(r.outcome)) {
      if (r.outcome !== lastWait) out.push({ at: r.started_at, event: 'waiting', text: `${what}: en espera`, detail: r.error });
      lastWait = r.outcome;
      continue;
    }
    lastWait = null;
    sends += 1;
    const text = r.outcome === null ? `${what}: enviando a SUNAT…` : sends === 1 ? `${what}: enviado a SUNAT` : `${what}: enviado de nuevo a SUNAT (intento ${sends})`;
    out.push({ at: r.started_at, event: 'sent', text, detail: r.outcome === 'retry' || r.outcome === 'failed' || r.outcome === 'interrupted' ? r.error : null });
  }
  return out;
}

/** SUNAT's final answer on a document as one event (accepted or rejected), when there is one. */
function answerEvent(
  doc: { status: string; simulated: number; accepted_at: string | null; updated_at: string; cdr_code: string | null; cdr_description: string | null },
  what: string,
): Timeline {
  const detail = cdrText(doc.cdr_code, doc.cdr_description);
  if (doc.accepted_at) {
    const status = doc.status === 'voided' ? 'accepted' : doc.status;
    return [{ at: doc.accepted_at, event: 'accepted', text: `${what}: ${sunatStatusText(status, doc.simulated === 1).toLowerCase()}`, detail }];
  }
  if (doc.status === 'rejected') return [{ at: doc.updated_at, event: 'rejected', text: `${what}: rechazado por SUNAT`, detail }];
  return [];
}

export function saleDetail(db: Db, user: Pick<User, 'id' | 'role'>, saleId: number, now: Date): SaleDetail {
  const sale = db.first(
    db.q.selectFrom('sales as s').innerJoin('users as u', 'u.id', 's.user_id').selectAll('s').select('u.name as cashier').where('s.id', '=', saleId),
  );
  if (!sale) throw notFound('La venta no existe.');
  if (!MANAGERS.includes(user.role) && sale.user_id !== user.id) {
    throw forbidden(`La venta ${sale.number} es de otro cajero: pida a un supervisor que la revise.`);
  }
  const lines = db.all(db.q.selectFrom('sale_lines').selectAll().where('sale_id', '=', saleId).orderBy('line_no'));
  const payments = db.all(db.q.selectFrom('payments').selectAll().where('sale_id', '=', saleId).orderBy('id'));
  const doc = db.first(
    db.q.selectFrom('documents').selectAll().where('sale_id', '=', saleId).where('document_type', 'in', ['01', '03']).orderBy('id').limit(1),
  );
  const notes = db.all(
    db.q.selectFrom('notes as n').leftJoin('documents as d', 'd.note_id', 'n.id')
      .select([
        'n.id', 'n.number', 'n.document_type', 'n.reason_code', 'n.reason', 'n.total_cents', 'n.issued_at', 'n.refund_method',
        'n.refund_cents', 'n.debt_cents', 'n.charge_method', 'n.charge_cents', 'd.status', 'd.simulated', 'd.accepted_at', 'd.updated_at', 'd.cdr_code',
        'd.cdr_description', 'd.file_name',
      ])
      .where('n.sale_id', '=', saleId).orderBy('n.id'),
  );
  const returned = db.all(
    db.q.selectFrom('note_lines as nl').innerJoin('notes as n', 'n.id', 'nl.note_id')
      .select(['nl.sale_line_id', 'nl.quantity']).where('n.sale_id', '=', saleId).where('n.document_type', '=', '07'),
  );
  const back = new Map<number, Dec>();
  for (const r of returned) if (r.sale_line_id !== null) back.set(r.sale_line_id, (back.get(r.sale_line_id) ?? Dec.ZERO).plus(r.quantity));

  // The batches covering the document: the void (condition 3) and a daily summary that informed it (condition 1).
  // db.prepare, not Kysely: the covers are in the batch job's JSON payload (json_each), as sunat/batches.ts voidProgress.
  const batches = doc
    ? (db.prepare(
      `SELECT b.file_name, b.document_type, b.status, b.simulated, b.created_at, b.accepted_at, b.updated_at,
              coalesce(j.last_error, b.last_error) AS last_error, json_extract(c.value, '$.condition') AS condition
       FROM jobs j, json_each(j.payload, '$.covers') c
       JOIN documents b ON b.id = json_extract(j.payload, '$.documentId')
       WHERE j.kind = 'sunat.summary' AND json_extract(c.value, '$.documentId') = ?
       ORDER BY j.id`,
    ).all(doc.id) as {
      file_name: string; document_type: 'RA' | 'RC'; status: string; simulated: number; created_at: string; accepted_at: string | null;
      updated_at: string; last_error: string | null; condition: string;
    }[])
    : [];
  const voidBatch = batches.filter((b) => b.condition === '3').pop();
  const voidAudit = db.first(
    db.q.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id').select(['a.at', 'a.details', 'u.name'])
      .where('a.entity', '=', 'sale').where('a.entity_id', '=', String(saleId)).where('a.action', '=', 'sale.void').orderBy('a.id', 'desc').limit(1),
  );
  const voidReason = (() => {
    try {
      return voidAudit?.details ? ((JSON.parse(voidAudit.details) as { reason?: string }).reason ?? null) : null;
    } catch {
      return null;
    }
  })();
  const prints = doc
    ? db.all(
      db.q.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id').select(['a.at', 'a.action', 'a.details', 'u.name'])
        .where('a.entity', '=', 'document').where('a.entity_id', '=', String(doc.id)).where('a.action', 'in', ['document.print', 'document.reprint'])
        .orderBy('a.id'),
    )
    : [];

  const kind = sale.document_type === '01' ? 'Factura' : 'Boleta';
  const timeline: Timeline = [
    { at: sale.issued_at, event: 'sold', text: `Venta registrada por ${sale.cashier}`, detail: `${kind} ${sale.number} · caja ${sale.terminal_id}` },
  ];
  if (doc) {
    if (doc.signed_at) timeline.push({ at: doc.signed_at, event: 'signed', text: `${kind} firmada digitalmente`, detail: doc.digest_value ? `Hash ${doc.digest_value}` : null });
    timeline.push(...sendEvents(db, doc.file_name, kind), ...answerEvent(doc, kind));
  }
  for (const b of batches.filter((x) => x.condition === '1')) {
    timeline.push({ at: b.created_at, event: 'summary', text: `Informada en el resumen diario ${b.file_name}`, detail: sunatStatusText(b.status, b.simulated === 1) });
  }
  if (voidAudit) {
    timeline.push({ at: voidAudit.at, event: 'void', text: `Baja solicitada${voidAudit.name ? ` por ${voidAudit.name}` : ''}`, detail: voidReason ? `Motivo: ${voidReason}` : null });
  }
  if (voidBatch?.accepted_at) {
    timeline.push({ at: voidBatch.accepted_at, event: 'voided', text: `Baja aceptada por SUNAT (${voidBatch.file_name})`, detail: doc?.status === 'voided' ? 'Comprobante anulado' : null });
  } else if (voidBatch?.status === 'rejected') {
    timeline.push({ at: voidBatch.updated_at, event: 'void-rejected', text: `Baja rechazada por SUNAT (${voidBatch.file_name})`, detail: voidBatch.last_error });
  }
  for (const n of notes) {
    const what = `${noteKind(n.document_type)} ${n.number}`;
    timeline.push({ at: n.issued_at, event: 'note', text: `${what} emitida`, detail: `${formatSoles(Dec.fromCents(n.total_cents))} · ${n.reason}` });
    if (n.file_name) timeline.push(...sendEvents(db, n.file_name, what));
    if (n.status) timeline.push(...answerEvent({ ...n, status: n.status, simulated: n.simulated ?? 0, updated_at: n.updated_at ?? n.issued_at }, what));
  }
  for (const p of prints) {
    let d: { copy?: boolean; format?: string | null } = {};
    try {
      d = p.details ? (JSON.parse(p.details) as typeof d) : {};
    } catch {
      // an unreadable entry still shows as a print
    }
    const copy = p.action === 'document.reprint' || d.copy === true;
    timeline.push({
      at: p.at, event: 'print', text: `${copy ? 'Impreso como COPIA' : 'Impreso el original'}${p.name ? ` por ${p.name}` : ''}`,
      detail: d.format === 'a4' ? 'A4' : null,
    });
  }
  // Oldest first; events of the same instant keep the order above (sold before signed).
  const ordered = timeline.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i).map((x) => x.e);

  const print = doc ? nextPrint(db, printTarget(db, { saleId }), user, now) : null;
  return {
    saleId: sale.id, number: sale.number, documentType: sale.document_type as '01' | '03', issuedAt: sale.issued_at, cashier: sale.cashier,
    terminalId: sale.terminal_id, status: sale.status,
    customer: {
      docType: sale.customer_doc_type, docLabel: IDENTITY_DOC_TYPES[sale.customer_doc_type as keyof typeof IDENTITY_DOC_TYPES] ?? 'Doc.',
      docNumber: sale.customer_doc_number, name: sale.customer_name, address: sale.customer_address,
    },
    lines: lines.map((l) => ({
      lineNo: l.line_no, description: l.description, quantity: l.quantity, unitCode: l.unit_code, unitPrice: price(l.unit_price),
      discount: soles(l.discount_cents), total: soles(l.total_cents), returned: (back.get(l.id) ?? Dec.ZERO).toString(),
    })),
    totals: {
      gravado: soles(sale.gravado_cents), exonerado: soles(sale.exonerado_cents), inafecto: soles(sale.inafecto_cents), gratuito: soles(sale.gratuito_cents),
      igv: soles(sale.igv_cents), icbper: soles(sale.icbper_cents), discount: soles(sale.discount_cents), total: soles(sale.total_cents),
      paid: soles(sale.paid_cents), change: soles(sale.change_cents),
    },
    payments: payments.map((p) => ({
      method: p.method, label: PAYMENT_METHODS[p.method], amount: soles(p.amount_cents),
      tendered: p.tendered_cents === null ? null : soles(p.tendered_cents), reference: p.reference,
    })),
    document: doc
      ? {
        fileName: doc.file_name, status: doc.status, statusText: sunatStatusText(doc.status, doc.simulated === 1), simulated: doc.simulated === 1,
        cdrText: cdrText(doc.cdr_code, doc.cdr_description), cdrNotes: cdrNotes(doc.cdr_notes), lastError: doc.last_error,
        digestValue: doc.digest_value, signedAt: doc.signed_at, acceptedAt: doc.accepted_at,
      }
      : null,
    notes: notes.map((n) => ({
      noteId: n.id, documentType: n.document_type, number: n.number, reasonCode: n.reason_code, reasonLabel: reasonLabel(n.document_type, n.reason_code),
      reason: n.reason, total: soles(n.total_cents), issuedAt: n.issued_at,
      status: n.status ?? 'pending', statusText: sunatStatusText(n.status ?? 'pending', n.simulated === 1), cdrText: cdrText(n.cdr_code, n.cdr_description),
      settlement: n.document_type === '08'
        ? `Cobrado ${moneyText(n.charge_cents, n.charge_method)}`
        : n.reason_code === '13' ? 'Cuotas reprogramadas ante SUNAT'
          : [
            n.debt_cents > 0 ? `Descontado de la deuda ${formatSoles(Dec.fromCents(n.debt_cents))}` : null,
            n.refund_cents > 0 ? `Devuelto ${moneyText(n.refund_cents, n.refund_method)}` : n.debt_cents > 0 ? null : 'Sin devolución de dinero',
          ].filter(Boolean).join(' · '),
    })),
    voiding: voidBatch
      ? {
        fileName: voidBatch.file_name, kind: voidBatch.document_type, status: voidBatch.status, statusText: sunatStatusText(voidBatch.status, voidBatch.simulated === 1),
        requestedAt: voidAudit?.at ?? null, requestedBy: voidAudit?.name ?? null, reason: voidReason, acceptedAt: voidBatch.accepted_at, lastError: voidBatch.last_error,
      }
      : null,
    timeline: ordered,
    print: print
      ? {
        copy: print.copy, prints: print.printsBefore, maxReprints: print.maxReprints, refusal: print.refusal,
        // Available now (the first print is not a reprint); `print.reprintsLeft` is what is left after the next one.
        reprintsLeft: print.reprintsLeft === null ? null : Math.max(0, print.maxReprints - Math.max(0, print.printsBefore - 1)),
      }
      : { copy: true, prints: 0, reprintsLeft: null, maxReprints: 0, refusal: `La venta ${sale.number} no tiene comprobante para imprimir.` },
    a4: sale.document_type === '01',
  };
}
