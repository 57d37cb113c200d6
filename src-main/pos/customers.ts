// Customers, deduplicated by document number, validated by type (DNI, RUC check digit, CE, passport).
import { sql, type SqlBool } from 'kysely';
import type { Db } from '../db/connection';
import type { Customer } from '../db/schema';
import { ApiError, type CustomerView } from '../../src-shared/contract';
import { identityDocError, IDENTITY_DOC_TYPES, type IdentityDocType } from '../../src-shared/identity';
import { notFound, ruleError } from '../errors';
import { audit } from '../db/audit';
import { actingUser, assertManager, diff } from './admin';

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

// ---- administration (managers): list and correct customers ----

/** Customers whose document number starts with, or whose name contains, the query; by name. */
export function listCustomers(db: Db, query: string, limit = 200): Customer[] {
  const q = query.trim();
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const like = (column: 'doc_number' | 'name', pattern: string) => sql<SqlBool>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
  return db.all(
    db.q.selectFrom('customers').selectAll()
      .$if(q !== '', (qb) => qb.where((eb) => eb.or([like('doc_number', `${escaped}%`), like('name', `%${escaped}%`)])))
      .orderBy('name', (ob) => ob.collate('nocase')).limit(limit),
  );
}

export interface CustomerPatch {
  docType?: string;
  docNumber?: string;
  name?: string;
  address?: string | null;
}

function invalid(path: string, message: string): ApiError {
  return new ApiError('invalid_input', message, [{ path, message }]);
}

/**
 * Corrects a customer (managers only): document type and number validated (DNI 8 digits, RUC check digit…), and
 * never the document of another customer (customers are deduplicated by document). Audited with old and new values.
 * Past sales keep the customer data printed on them.
 */
export function updateCustomer(db: Db, at: Date, userId: number, customerId: number, patch: CustomerPatch): Customer {
  assertManager(actingUser(db, userId));
  return db.tx(() => {
    const c = db.first(db.q.selectFrom('customers').selectAll().where('id', '=', customerId));
    if (!c) throw notFound('El cliente no existe.');
    const docType = patch.docType ?? c.doc_type;
    const docNumber = (patch.docNumber ?? c.doc_number).trim();
    const name = (patch.name ?? c.name).trim().toUpperCase();
    const address = patch.address === undefined ? c.address : patch.address?.trim() || null;
    if (docType === '-') throw invalid('docType', '"Clientes varios" no es un cliente registrado: elija DNI, RUC u otro documento.');
    const docProblem = identityDocError(docType, docNumber);
    if (docProblem) throw invalid('docNumber', docProblem);
    if (name.length === 0 || name.length > 200) throw invalid('name', 'El nombre o razón social es obligatorio (hasta 200 caracteres).');
    if (address !== null && address.length > 200) throw invalid('address', 'La dirección admite hasta 200 caracteres.');
    const other = db.first(db.q.selectFrom('customers').select(['id', 'name']).where('doc_type', '=', docType).where('doc_number', '=', docNumber).where('id', '!=', customerId));
    if (other) {
      const message = `Ya existe el cliente ${other.name} con ${IDENTITY_DOC_TYPES[docType as IdentityDocType] ?? 'ese documento'} ${docNumber}: no se registra dos veces. Búsquelo y corrija ese.`;
      throw new ApiError('rule', message, [{ path: 'docNumber', message }]);
    }
    const before = { docType: c.doc_type, docNumber: c.doc_number, name: c.name, address: c.address };
    const changes = diff(before, { docType, docNumber, name, address });
    if (Object.keys(changes).length > 0) {
      db.run(db.q.updateTable('customers').set({ doc_type: docType, doc_number: docNumber, name, address }).where('id', '=', customerId));
      audit(db, at, userId, 'customer.update', 'customer', customerId, changes);
    }
    return { ...c, doc_type: docType, doc_number: docNumber, name, address };
  });
}
