import type { Db } from './connection';

export function audit(db: Db, at: Date, userId: number | null, action: string, entity?: string, entityId?: string | number, details?: unknown): void {
  db.run(db.q.insertInto('audit_log').values({
    at: at.toISOString(), user_id: userId, action, entity: entity ?? null,
    entity_id: entityId === undefined ? null : String(entityId),
    details: details === undefined ? null : JSON.stringify(details),
  }));
}

/**
 * Prints of a document so far (the audit log, through its entity index: migration 010): pos/prints.ts's rules and the
 * thermal printer's job (jobs/print-ticket.ts) count the same entries.
 */
export function printCount(db: Db, documentId: number): number {
  const r = db.first(
    db.q.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'))
      // 'document.reprint': how copies were audited before every print was.
      .where('entity', '=', 'document').where('entity_id', '=', String(documentId)).where('action', 'in', ['document.print', 'document.reprint']),
  );
  return Number(r?.n ?? 0);
}
