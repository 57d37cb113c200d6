// sunat.summary (DESIGN §5): sends a stored, signed daily summary (RC) or voiding communication (RA) with
// sendSummary, keeps SUNAT's ticket on the document row and polls getStatus until the CDR arrives. A ticket is never
// resent: "98, still in process" is polled later with backoff and spends no attempt. Building the RC/RA (which
// boletas, which condition) belongs to the voiding module; it stores the document row and enqueues this job with
// { documentId, covers: [{ documentId, condition }] } — covers are marked voided (condition 3) or accepted (1) once
// SUNAT accepts the summary.
import { sql } from 'kysely';
import type { JobContext, JobOutcome } from '../runner';
import type { CdrOutcome, Failure } from '../../sunat/client';
import { zipDocument } from '../../sunat/package';
import { sunatMessage } from '../../sunat/error-texts';
import { pauseSunat, updateDocument } from '../store';
import { DEMO_NOT_SENT, MODE_WAIT_MS, targetMismatch, WAITS_FOR_SUNAT } from '../../sunat/target';

interface Cover { documentId: number; condition: '1' | '2' | '3' }

/** First poll a little after sending; then doubling up to this. */
export const SUMMARY_POLL = { firstMs: 5_000, maxMs: 10 * 60_000 } as const;

export async function summaryHandler(ctx: JobContext): Promise<JobOutcome> {
  const { db, clock } = ctx;
  const documentId = Number(ctx.payload.documentId);
  const covers = (Array.isArray(ctx.payload.covers) ? ctx.payload.covers : []) as Cover[];
  const doc = db.first(
    db.q.selectFrom('documents').select(['id', 'document_type', 'file_name', 'status', 'xml', 'ticket', 'issued_mode']).where('id', '=', documentId),
  );
  if (!doc) return { type: 'failed', error: `El resumen ${documentId} no existe.` };
  if (['accepted', 'observed', 'rejected'].includes(doc.status)) return { type: 'succeeded', result: { status: doc.status, alreadyFinal: true } };
  if (!doc.xml) return { type: 'failed', error: `El resumen ${doc.file_name} no está firmado.` };
  const nowIso = () => clock.now().toISOString();
  const setDoc = (fields: Record<string, unknown>) => () => updateDocument(db, documentId, clock.now(), fields);
  const notify = () => ctx.statusChanged();
  const polls = Number(ctx.payload.polls ?? 0);
  const pollDelay = Math.min(SUMMARY_POLL.maxMs, SUMMARY_POLL.firstMs * 2 ** polls);

  const onFailure = (f: Failure): JobOutcome => {
    if (f.classification === 'network_before_send') return { type: 'waiting_network', error: 'Sin conexión con SUNAT: el resumen se enviará cuando vuelva la conexión.' };
    if (f.action === 'stop_credentials' || f.action === 'stop_signature') {
      const reason = `SUNAT rechazó ${f.action === 'stop_credentials' ? 'el usuario o la clave SOL' : 'el certificado o la firma'} (${f.code}: ${sunatMessage(f.code)}). Corríjalo y reanude los envíos.`;
      return { type: 'defer', error: reason, delayMs: 0, outcome: 'paused', apply: () => pauseSunat(db, clock.now(), reason, f.code ?? null), after: notify };
    }
    if (f.action === 'retry') {
      if (ctx.isLastAttempt) {
        return { type: 'failed', error: f.message, apply: setDoc({ status: 'error', last_error: f.message }), after: notify };
      }
      return { type: 'retry', error: f.message, reconcile: f.mayHaveLanded, apply: setDoc({ last_error: f.message }) };
    }
    // 2223 on a resend after an ambiguous send: SUNAT holds it but we lost its ticket; a person must check.
    const text = f.action === 'already_registered'
      ? `SUNAT ya tiene el resumen ${doc.file_name} pero no se conserva su ticket: consulte su estado en SUNAT Operaciones en Línea.`
      : `${f.code ?? ''} ${f.message}`.trim();
    return { type: 'failed', error: text, result: { code: f.code ?? null }, apply: setDoc({ status: 'error', last_error: text }), after: notify };
  };

  const finish = (o: CdrOutcome): JobOutcome => {
    const accepted = o.kind !== 'rejected';
    // Where the answer came from; the simulator's is marked for ever (and so are the boletas it accepts, condition 1).
    const simulated = o.cdr.simulated || ctx.target.kind === 'simulator' ? 1 : 0;
    return {
      type: 'succeeded', outcome: o.kind,
      result: { status: o.kind, code: o.responseCode, description: o.description, ticket: doc.ticket },
      apply: () => {
        setDoc({
          status: o.kind, cdr_zip: Buffer.from(o.cdrZip), cdr_code: o.responseCode, cdr_description: o.description,
          cdr_notes: JSON.stringify(o.notes), last_error: accepted ? null : `${o.responseCode}: ${o.description}`,
          accepted_at: accepted ? nowIso() : null, sunat_target: ctx.target.kind, simulated,
        })();
        if (!accepted) {
          // What it informed (condition 1) is free for another summary, and says why it is not accepted.
          const why = `El resumen ${doc.file_name} fue rechazado (${o.responseCode}: ${o.description}).`;
          const informed = covers.filter((c) => c.condition === '1').map((c) => c.documentId);
          if (informed.length > 0) db.run(db.q.updateTable('documents').set({ status: 'error', last_error: why, updated_at: nowIso() }).where('id', 'in', informed));
          return;
        }
        for (const c of covers) {
          const cover = db.q.updateTable('documents').where('id', '=', c.documentId);
          if (c.condition === '3') db.run(cover.set({ status: 'voided', updated_at: nowIso() }));
          else if (c.condition === '1') db.run(cover.set({ status: 'accepted', accepted_at: nowIso(), last_error: null, sunat_target: ctx.target.kind, simulated, updated_at: nowIso() }));
        }
      },
      after: notify,
    };
  };

  // A demo batch never goes to SUNAT; a batch for SUNAT never to demo mode's simulator (sunat/target.ts).
  const mismatch = targetMismatch(doc.issued_mode, ctx.target);
  if (mismatch === 'demo_to_sunat') return { type: 'failed', error: DEMO_NOT_SENT, apply: setDoc({ status: 'error', last_error: DEMO_NOT_SENT }), after: notify };
  if (mismatch === 'sunat_to_simulator') return { type: 'defer', error: WAITS_FOR_SUNAT, delayMs: MODE_WAIT_MS, outcome: 'waits_for_sunat_mode', apply: setDoc({ last_error: WAITS_FOR_SUNAT }) };

  const client = ctx.sunat();
  if (!doc.ticket) {
    // An earlier attempt may have landed without us keeping the ticket: resending gives 2223, handled above.
    const { zipName, zip } = zipDocument(doc.file_name, doc.xml);
    const sent = await client.sendSummary(zipName, zip);
    if (sent.kind === 'ticket') {
      return {
        type: 'defer', error: 'Resumen recibido por SUNAT; se consultará su ticket.', delayMs: SUMMARY_POLL.firstMs, outcome: 'ticket',
        apply: setDoc({ ticket: sent.ticket, last_error: null }), after: notify,
      };
    }
    if (sent.kind === 'failure') return onFailure(sent);
    return { type: 'retry', error: 'Respuesta inesperada de SUNAT al enviar el resumen.', reconcile: true };
  }
  const st = await client.getStatus(doc.ticket);
  if (st.kind === 'pending') {
    return {
      type: 'defer', error: `SUNAT aún procesa el ticket ${doc.ticket}.`, delayMs: pollDelay, outcome: 'poll_later',
      apply: () => db.run(db.q.updateTable('jobs').set({ payload: sql`json_set(payload, '$.polls', ${polls + 1})` }).where('id', '=', ctx.job.id)),
    };
  }
  if (st.kind === 'accepted' || st.kind === 'observed' || st.kind === 'rejected') return finish(st);
  if (st.kind === 'failure') return onFailure(st);
  return { type: 'retry', error: 'Respuesta inesperada de SUNAT al consultar el ticket.' };
}
