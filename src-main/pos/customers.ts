// Customers, deduplicated by document number, validated by type (DNI, RUC check digit, CE, passport).
import type { Db } from '../db/connection';
import type { Customer } from '../db/schema';
import type { CustomerView } from '../../src-shared/contract';
import { identityDocError } from '../../src-shared/identity';
import { ruleError } from './errors';

export function customerView(c: Customer): CustomerView {
  return { id: c.id, docType: c.doc_type, docNumber: c.doc_number, name: c.name, address: c.address };
}

export function findCustomer(db: Db, docType: string, docNumber: string): Customer | undefined {
  return db.first(db.q.selectFrom('customers').selectAll().where('doc_type', '=', docType).where('doc_number', '=', docNumber.trim()));
}

/** Creates or updates the customer with this document; throws a clear message for an invalid number. */
export function saveCustomer(db: Db, at: Date, c: { docType: string; docNumber: string; name: string; address?: string | null }): Customer {
  if (c.docType === '-') throw ruleError('"Clientes varios" no se registra como cliente.');
  const err = identityDocError(c.docType, c.docNumber);
  if (err) throw ruleError(err);
  const name = c.name.trim().toUpperCase();
  const existing = findCustomer(db, c.docType, c.docNumber);
  if (existing) {
    db.run(db.q.updateTable('customers').set({ name, address: c.address ?? existing.address }).where('id', '=', existing.id));
    return { ...existing, name, address: c.address ?? existing.address };
  }
  const id = db.run(db.q.insertInto('customers').values({
    doc_type: c.docType, doc_number: c.docNumber.trim(), name, address: c.address ?? null, email: null, created_at: at.toISOString(),
  })).lastInsertRowid;
  return findCustomer(db, c.docType, c.docNumber) ?? ({ id } as Customer);
}
