// sunat.daily_summary: what SUNAT takes only in a daily summary — a boleta, or a note on one, it refused alone with
// 1079 (sunat-send.ts marks it `by_summary`) — goes in the summary of its date, built by the same createDailySummary
// as `izisales document summary`; the sunat.summary job it queues sends it and follows its ticket, and the documents
// turn accepted with it. Refusals of one date share a summary: the first job takes them all, the others find nothing.
import { ApiError } from '../../../src-shared/contract';
import { limaDate } from '../../../src-shared/time';
import { createDailySummary, dueForSummary, summaryDeadlineRefusal } from '../../sunat/batches';
import { updateDocument } from '../store';
import type { HandlerSpec, JobContext, JobOutcome } from '../runner';

/** How long a summary waits for a certificate before looking again. */
const NO_CERTIFICATE_WAIT_MS = 5 * 60_000;

export async function dailySummaryHandler(ctx: JobContext): Promise<JobOutcome> {
  const { db, clock } = ctx;
  const date = String(ctx.payload.date ?? '');
  const due = dueForSummary(db, date, { withErrors: false });
  if (due.length === 0) return { type: 'succeeded', outcome: 'nothing_left', result: { summary: null } };
  const late = summaryDeadlineRefusal(date, limaDate(clock.now()));
  if (late) {
    // Nothing can send them now: each says so, in error, for the operator (SUNAT's own regularisation).
    return {
      type: 'failed', error: late,
      apply: () => { for (const d of due) updateDocument(db, d.document_id, clock.now(), { status: 'error', last_error: late }); },
      after: () => ctx.statusChanged(),
    };
  }
  if (!ctx.signer.certificate()) {
    return { type: 'defer', error: 'Falta el certificado digital: el resumen diario se hará cuando se cargue.', delayMs: NO_CERTIFICATE_WAIT_MS, outcome: 'no_certificate' };
  }
  try {
    // Committed by itself (a summary is always a durable commit); a crash before this job's outcome finds nothing left.
    const r = createDailySummary({ db, clock, signer: ctx.signer }, null, date, { withErrors: false });
    return { type: 'succeeded', outcome: 'summary', result: { summary: r.fileName, covers: r.covers.map((c) => c.number) }, wakes: true, after: () => ctx.statusChanged() };
  } catch (e) {
    if (e instanceof ApiError) return { type: 'failed', error: e.message };
    throw e;
  }
}

export const dailySummarySpec: HandlerSpec = { run: dailySummaryHandler };
