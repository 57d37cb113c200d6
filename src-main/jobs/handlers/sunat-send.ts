// sunat.send (DESIGN §3.3–§3.6, §5): sign if needed, zip the stored immutable XML, sendBill, store the CDR and apply
// the fault policy. A document is sent at most once in effect: anything that may have landed is reconciled with
// getStatusCdr before any resend.
//
// Choice: a rejection (CDR 2000–3999) ends the job `succeeded` — the job's work, getting SUNAT's final word, is
// done — while the document is `rejected` and needs a corrective document. Job `failed` means "we could not get
// SUNAT's answer" (retries exhausted, a defect in what we send), i.e. the document is in `error`.
import type { JobContext, JobOutcome } from '../runner';
import type { CdrOutcome, Failure, SunatOutcome } from '../../sunat/client';
import { checkCdrRefersTo } from '../../sunat/cdr';
import { zipDocument } from '../../sunat/package';
import { sunatMessage } from '../../sunat/error-texts';
import { pauseSunat, updateDocument } from '../store';
import { enqueue } from '../queue';
import { DEMO_NOT_SENT, MODE_WAIT_MS, targetMismatch, WAITS_FOR_SUNAT } from '../../sunat/target';
import { sunatStatusText } from '../../../src-shared/documents';

interface DocRow {
  id: number; sale_id: number | null; note_id: number | null; document_type: string; series: string; correlative: number; file_name: string;
  issue_date: string; status: string; xml: string | null; issued_mode: string | null;
}

/** How long a note waits before looking again whether SUNAT accepted the document it corrects. */
export const REFERENCE_WAIT_MS = 15_000;

/** How long a job without a certificate waits before looking again. */
const NO_CERTIFICATE_WAIT_MS = 5 * 60_000;

export async function sunatSendHandler(ctx: JobContext): Promise<JobOutcome> {
  const { db, clock, events, signer } = ctx;
  const documentId = Number(ctx.payload.documentId);
  const load = () => db
    .prepare('SELECT id, sale_id, note_id, document_type, series, correlative, file_name, issue_date, status, xml, issued_mode FROM documents WHERE id = ?')
    .get(documentId) as DocRow | undefined;
  let doc = load();
  if (!doc) return { type: 'failed', error: `El comprobante ${documentId} no existe.` };
  if (['accepted', 'observed', 'rejected', 'voided'].includes(doc.status)) {
    return { type: 'succeeded', result: { status: doc.status, alreadyFinal: true } };
  }
  const number = `${doc.series}-${String(doc.correlative).padStart(8, '0')}`;
  const ruc = doc.file_name.slice(0, 11);
  const nowIso = () => clock.now().toISOString();

  /** Writes the document's SUNAT state inside the outcome's transaction; events after the commit. */
  const docUpdate = (fields: Record<string, unknown>) => () => updateDocument(db, documentId, clock.now(), fields);
  const notify = (status: string, simulated = false) => () => {
    if (doc?.sale_id != null) events.emit('sale.updated', { saleId: doc.sale_id, number, sunatStatus: status, sunatStatusText: sunatStatusText(status, simulated) });
    ctx.statusChanged();
  };
  /** Where the final answer came from; the simulator's (its CDR says so, or demo mode's target) is marked for ever. */
  const answeredBy = (cdrSimulated: boolean) => ({ sunat_target: ctx.target.kind, simulated: cdrSimulated || ctx.target.kind === 'simulator' ? 1 : 0 });

  /**
   * Notes on this sale still waiting for its acceptance (REFERENCE_WAIT_MS otherwise): read before the commit through
   * the notes' own index, so a sale without notes — nearly all of them — costs one index probe and no extra look at
   * the queue; the ones found are made due in the commit that records the acceptance. CROSS JOIN keeps notes the outer
   * loop: with a plain JOIN SQLite walked every pending document by status first (a 10,000-document drain on 1M
   * sales fell from 71 to 22 documents a second).
   */
  const waitingNotes = (): string[] =>
    doc?.sale_id == null
      ? []
      : (db.prepare(`SELECT d.file_name FROM notes n CROSS JOIN documents d ON d.note_id = n.id WHERE n.sale_id = ? AND d.status = 'pending'`).all(doc.sale_id) as { file_name: string }[]).map((r) => r.file_name);
  const wakeNotes = (keys: string[]) => {
    const due = db.prepare(`UPDATE jobs SET run_at = ? WHERE idempotency_key = ? AND kind = 'sunat.send' AND state = 'queued'`);
    for (const key of keys) due.run(nowIso(), key);
  };

  const storeCdr = (o: CdrOutcome, extra: Record<string, unknown> = {}): JobOutcome => {
    const status = o.kind;
    const accepted = status === 'accepted' || status === 'observed';
    const by = answeredBy(o.cdr.simulated);
    const update = docUpdate({
      status, cdr_zip: Buffer.from(o.cdrZip), cdr_code: o.responseCode, cdr_description: o.description,
      cdr_notes: JSON.stringify(o.notes), last_error: status === 'rejected' ? `${o.responseCode}: ${o.description}` : null,
      accepted_at: accepted ? nowIso() : null, ...by,
    });
    const notes = accepted ? waitingNotes() : [];
    return {
      type: 'succeeded',
      outcome: status,
      result: { status, code: o.responseCode, description: o.description, ...extra },
      apply: () => {
        update();
        wakeNotes(notes);
      },
      wakes: notes.length > 0,
      after: notify(status, by.simulated === 1),
    };
  };

  const failDocument = (error: string, result?: unknown): JobOutcome => ({
    type: 'failed', error, result,
    apply: docUpdate({ status: 'error', last_error: error }), after: notify('error'),
  });

  const transient = (f: Failure, reconcile: boolean): JobOutcome => {
    if (ctx.isLastAttempt) return failDocument(`${f.message} (se agotaron los reintentos)`, { code: f.code ?? null });
    return {
      type: 'retry', error: f.message, reconcile,
      apply: docUpdate({ last_error: f.message }), after: notify('pending'),
    };
  };

  /**
   * SUNAT takes this boleta, or this note on a boleta, only in a daily summary (1079): the document stays pending,
   * marked `by_summary`, and a sunat.daily_summary job puts it in the summary of its date (sunat/batches.ts), whose
   * ticket then decides it like any boleta in it. This job's work — SUNAT's word on the individual send — is done.
   */
  const toSummary = (f: Failure): JobOutcome => {
    const error = `${f.code}: ${f.message.replace(/\.\s*$/, '')}. Se informará en el resumen diario.`;
    return {
      type: 'succeeded', outcome: 'send_in_summary',
      result: { status: 'pending', code: f.code ?? null, sendInSummary: true },
      apply: () => {
        docUpdate({ by_summary: 1, last_error: error })();
        enqueue(db, clock.now(), { kind: 'sunat.daily_summary', payload: { date: doc!.issue_date, documentId } });
      },
      wakes: true,
      after: notify('pending'),
    };
  };

  const onFailure = (f: Failure, reconcile: boolean): JobOutcome => {
    if (f.classification === 'network_before_send') {
      return { type: 'waiting_network', error: 'Sin conexión con SUNAT: se enviará cuando vuelva la conexión.', after: notify('pending') };
    }
    if (f.action === 'stop_credentials' || f.action === 'stop_signature') {
      const reason = f.action === 'stop_credentials'
        ? `SUNAT rechazó el usuario o la clave SOL (${f.code}: ${sunatMessage(f.code)}). Corrija las credenciales y reanude los envíos.`
        : `SUNAT rechazó el certificado o la firma (${f.code}: ${sunatMessage(f.code)}). Revise el certificado digital y reanude los envíos.`;
      return {
        type: 'defer', error: reason, delayMs: 0, outcome: 'paused',
        apply: () => {
          pauseSunat(db, clock.now(), reason, f.code ?? null);
          docUpdate({ last_error: reason })();
        },
        after: notify('pending'),
      };
    }
    if (f.action === 'send_in_summary' && doc!.series.startsWith('B')) return toSummary(f);
    if (f.action === 'final_defect' || f.action === 'final' || f.action === 'send_in_summary') {
      const text = `${f.code ?? ''}${f.code ? ': ' : ''}${f.message}`;
      return failDocument(text, { code: f.code ?? null, action: f.action });
    }
    return transient(f, reconcile || f.mayHaveLanded);
  };

  // 0. A demo receipt never goes to SUNAT, and a receipt for SUNAT never to demo mode's simulator (sunat/target.ts).
  const mismatch = targetMismatch(doc.issued_mode, ctx.target);
  if (mismatch === 'demo_to_sunat') return failDocument(DEMO_NOT_SENT, { notSent: 'issued_in_demo_mode' });
  if (mismatch === 'sunat_to_simulator') {
    return { type: 'defer', error: WAITS_FOR_SUNAT, delayMs: MODE_WAIT_MS, outcome: 'waits_for_sunat_mode', apply: docUpdate({ last_error: WAITS_FOR_SUNAT }), after: notify('pending') };
  }

  // 0b. A note goes after the document it corrects: SUNAT refuses a note on a number it does not hold (2119).
  if (doc.note_id !== null) {
    const ref = db
      .prepare(`SELECT d.status, s.number FROM notes n JOIN documents d ON d.sale_id = n.sale_id AND d.document_type IN ('01', '03') JOIN sales s ON s.id = n.sale_id WHERE n.id = ?`)
      .get(doc.note_id) as { status: string; number: string } | undefined;
    if (!ref) return failDocument(`La nota ${number} no tiene el comprobante que modifica.`);
    if (ref.status === 'rejected' || ref.status === 'voided') {
      return failDocument(`El comprobante que modifica (${ref.number}) está ${ref.status === 'rejected' ? 'rechazado' : 'dado de baja'}: SUNAT no acepta notas sobre él.`);
    }
    if (ref.status !== 'accepted' && ref.status !== 'observed') {
      const wait = `Espera que SUNAT acepte ${ref.number}, el comprobante que modifica.`;
      return { type: 'defer', error: wait, delayMs: REFERENCE_WAIT_MS, outcome: 'waits_for_reference', apply: docUpdate({ last_error: wait }), after: notify('pending') };
    }
  }

  const client = ctx.sunat();

  /** Asks SUNAT whether it holds this document. A CDR for it ends the job; `null` means "not there: send". */
  const reconcile = async (afterAlreadyRegistered: boolean): Promise<JobOutcome | null> => {
    const o: SunatOutcome = await client.getStatusCdr(ruc, doc!.document_type, doc!.series, doc!.correlative);
    if (o.kind === 'accepted' || o.kind === 'observed' || o.kind === 'rejected') {
      if (!checkCdrRefersTo(o.cdr, doc!.file_name)) {
        return failDocument(`SUNAT devolvió una constancia que no corresponde a ${number}; revise con soporte.`, { cdrReference: o.cdr.referenceId });
      }
      return storeCdr(o, { reconciled: true });
    }
    if (o.kind === 'not_found') {
      if (!afterAlreadyRegistered) return null;
      // SUNAT says it holds the number but keeps no CDR to return: for a boleta that is normal.
      if (doc!.series.startsWith('B')) { // a boleta, or a note on one
        const note = 'Aceptado sin constancia (CDR): SUNAT indica que el comprobante ya estaba registrado.';
        return {
          type: 'succeeded', outcome: 'accepted_without_cdr',
          result: { status: 'accepted', acceptedWithoutCdr: true, code: o.code },
          apply: docUpdate({ status: 'accepted', cdr_code: null, cdr_description: note, cdr_notes: JSON.stringify([{ code: 'SIN-CDR', text: note }]), last_error: null, accepted_at: nowIso(), ...answeredBy(false) }),
          after: notify('accepted', ctx.target.kind === 'simulator'),
        };
      }
      return transient({ kind: 'failure', classification: 'sunat_fault', action: 'retry', mayHaveLanded: true, code: o.code, message: `SUNAT indica que ${number} ya fue presentado pero aún no entrega su constancia.`, elapsedMs: o.elapsedMs }, true);
    }
    if (o.kind === 'failure') return onFailure(o, true);
    return transient({ kind: 'failure', classification: 'unreadable', action: 'retry', mayHaveLanded: true, message: 'Respuesta inesperada de SUNAT al consultar la constancia.', elapsedMs: 0 }, true);
  };

  // 1. Reconcile first when an earlier attempt may have reached SUNAT.
  if (ctx.payload.possiblySent === true || ctx.payload.reconcile === true) {
    const r = await reconcile(false);
    if (r) return r;
  }

  // 2. Sign if the sale could not be signed at checkout (no certificate then, or its relaxed store lost to a power cut:
  // the same bytes again, sunat/signing.ts).
  if (!doc.xml) {
    let signed = false;
    try {
      signed = signer.signDocument(documentId, clock.now());
    } catch (e) {
      return failDocument(`No se pudo firmar ${number}: ${(e as Error).message}`);
    }
    if (!signed) {
      return { type: 'defer', error: 'Falta el certificado digital: el comprobante se enviará cuando se cargue.', delayMs: NO_CERTIFICATE_WAIT_MS, outcome: 'no_certificate' };
    }
    doc = load()!;
  }

  // 3. Send the stored bytes, byte for byte what was printed.
  const { zipName, zip } = zipDocument(doc.file_name, doc.xml!);
  const sent = await client.sendBill(zipName, zip);
  if (sent.kind === 'accepted' || sent.kind === 'observed' || sent.kind === 'rejected') {
    if (!checkCdrRefersTo(sent.cdr, doc.file_name)) {
      return transient({ kind: 'failure', classification: 'unreadable', action: 'retry', mayHaveLanded: true, message: `La constancia recibida no corresponde a ${number}.`, elapsedMs: sent.elapsedMs }, true);
    }
    return storeCdr(sent);
  }
  if (sent.kind === 'failure') {
    if (sent.action === 'already_registered') return (await reconcile(true))!;
    return onFailure(sent, false);
  }
  return transient({ kind: 'failure', classification: 'unreadable', action: 'retry', mayHaveLanded: true, message: 'Respuesta inesperada de SUNAT al envío.', elapsedMs: 0 }, true);
}
