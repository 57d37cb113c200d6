import type { Db } from './connection';

export function audit(db: Db, at: Date, userId: number | null, action: string, entity?: string, entityId?: string | number, details?: unknown): void {
  db.run(db.q.insertInto('audit_log').values({
    at: at.toISOString(), user_id: userId, action, entity: entity ?? null,
    entity_id: entityId === undefined ? null : String(entityId),
    details: details === undefined ? null : JSON.stringify(details),
  }));
}
