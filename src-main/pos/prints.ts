// Printing a sale's boleta or factura, or a credit note (issue 15, DESIGN §6). The original is printed only by the
// cashier who issued it, within ORIGINAL_PRINT_WINDOW_MS (15 minutes) of it; every other print says "COPIA". Every
// print is audited ('document.print': who, which document, original or copy, which print of the document it was).
// A cashier may reprint a document (print it again after its first print) up to the setting `maxReprints` times;
// beyond it only a supervisor or an admin reprints. A cashier prints only their own sales and notes, as they list them.
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import { MANAGERS } from '../../src-shared/contract';
import { ORIGINAL_PRINT_WINDOW_MS } from '../../src-shared/documents';
import { audit, printCount } from '../db/audit';
import { getSetting } from '../db/settings';
import { forbidden, notFound } from '../errors';
import { renderDocumentPdf, type PrintFormat, type RenderDeps } from '../documents/render';

export type PrintWhich = { saleId: number } | { noteId: number };

/** The document a print is about: the sale's (or note's) number, who issued it and when, and its document row. */
export interface PrintTarget {
  which: PrintWhich;
  number: string;
  userId: number;
  issuedAt: string;
  documentId: number;
  fileName: string;
}

/** What the next print of a document by this user would be, or why it is refused. */
export interface PrintDecision {
  copy: boolean;
  /** A print after the document's first one. */
  reprint: boolean;
  /** Prints of the document before this one. */
  printsBefore: number;
  /** Reprints left to a cashier after this print; null for supervisors and admins (no limit). */
  reprintsLeft: number | null;
  /** Why this user may not print it now (Spanish, what to do next); null when allowed. */
  refusal: string | null;
}

export function printTarget(db: Db, which: PrintWhich): PrintTarget {
  const sale = 'saleId' in which;
  const issued = sale
    ? db.first(db.q.selectFrom('sales').select(['id', 'user_id', 'number', 'issued_at']).where('id', '=', which.saleId))
    : db.first(db.q.selectFrom('notes').select(['id', 'user_id', 'number', 'issued_at']).where('id', '=', which.noteId));
  if (!issued) throw notFound(`No existe ${sale ? 'la venta' : 'la nota'} ${sale ? which.saleId : which.noteId}.`);
  const doc = sale
    ? db.first(db.q.selectFrom('documents').select(['id', 'file_name']).where('sale_id', '=', which.saleId).where('document_type', 'in', ['01', '03']).orderBy('id').limit(1))
    : db.first(db.q.selectFrom('documents').select(['id', 'file_name']).where('note_id', '=', which.noteId));
  if (!doc) throw notFound(`${sale ? 'La venta' : 'La nota'} ${issued.number} no tiene comprobante para imprimir.`);
  return { which, number: issued.number, userId: issued.user_id, issuedAt: issued.issued_at, documentId: doc.id, fileName: doc.file_name };
}

export { printCount };

/** The rule, from what is recorded: who issued it and when, how many prints it had, the store's limit. */
export function decidePrint(
  target: PrintTarget, user: Pick<User, 'id' | 'role'>, printsBefore: number, maxReprints: number, now: Date, wantCopy = false,
): PrintDecision {
  const manager = MANAGERS.includes(user.role);
  const own = target.userId === user.id;
  const age = now.getTime() - Date.parse(target.issuedAt);
  const copy = wantCopy || !own || !(age <= ORIGINAL_PRINT_WINDOW_MS);
  const reprint = printsBefore > 0;
  const reprintsDone = Math.max(0, printsBefore - 1);
  const decision = { copy, reprint, printsBefore, reprintsLeft: manager ? null : Math.max(0, maxReprints - reprintsDone - (reprint ? 1 : 0)) };
  if (!manager && !own) return { ...decision, refusal: 'Solo puede imprimir sus propias ventas. Pida ayuda a un supervisor.' };
  if (!manager && reprint && reprintsDone >= maxReprints) {
    const times = reprintsDone === 1 ? 'una vez' : `${reprintsDone} veces`;
    return {
      ...decision,
      refusal: maxReprints === 0
        ? `${target.number} ya se imprimió: la reimpresión la hace un supervisor o un administrador.`
        : `${target.number} ya se reimprimió ${times}, el máximo para un cajero. Pida a un supervisor o a un administrador que lo reimprima.`,
    };
  }
  return { ...decision, refusal: null };
}

/** What the next print of this document by `user` would be (the sale's detail shows it before the key is pressed). */
export function nextPrint(db: Db, target: PrintTarget, user: Pick<User, 'id' | 'role'>, now: Date): PrintDecision & { maxReprints: number } {
  const maxReprints = getSetting(db, 'maxReprints');
  return { ...decidePrint(target, user, printCount(db, target.documentId), maxReprints, now), maxReprints };
}

export interface PrintedDocument extends PrintDecision {
  pdf: Buffer;
  /** RUC-TT-SERIE-NUMERO[-COPIA].pdf */
  fileName: string;
  number: string;
}

/**
 * Renders the document as the rule says (original or COPIA) and audits the print. Refused before anything is
 * rendered; the limit is checked again with the audit entry in one transaction, so two prints at once cannot both
 * take the last reprint.
 */
export async function printDocument(
  app: RenderDeps, user: Pick<User, 'id' | 'role'>, which: PrintWhich, opts: { now: Date; copy?: boolean; format?: PrintFormat },
): Promise<PrintedDocument> {
  const { db } = app;
  const { now } = opts;
  const target = printTarget(db, which);
  const planned = decidePrint(target, user, printCount(db, target.documentId), getSetting(db, 'maxReprints'), now, opts.copy);
  if (planned.refusal) throw forbidden(planned.refusal);
  const pdf = await renderDocumentPdf(app, target.documentId, { format: opts.format, copy: planned.copy });
  const done = db.tx(() => {
    const max = getSetting(db, 'maxReprints');
    const d = decidePrint(target, user, printCount(db, target.documentId), max, now, planned.copy);
    if (d.refusal) throw forbidden(d.refusal);
    audit(db, now, user.id, 'document.print', 'document', target.documentId, {
      ...which, number: target.number, copy: d.copy, format: opts.format ?? 'ticket', print: d.printsBefore + 1,
      // A supervisor's or admin's reprint past the cashiers' limit: said in the entry, for whoever reviews it.
      ...(d.reprint && d.printsBefore - 1 >= max ? { beyondLimit: max } : {}),
    });
    return d;
  });
  return { ...done, pdf, number: target.number, fileName: `${target.fileName}${done.copy ? '-COPIA' : ''}.pdf` };
}
