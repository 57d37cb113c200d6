// Users, roles and PIN login. PINs are stored as scrypt hashes with a per-user salt (pin-hash.ts).
import type { Db } from '../db/connection';
import type { Role, UserView } from '../../src-shared/contract';
import type { User } from '../db/schema';
import { ruleError } from '../errors';
import { hashPin, verifyPin } from '../pin-hash';
import { assertNotHubOwned } from '../db/hub-owned';

export { hashPin, verifyPin };

export function createUser(db: Db, at: Date, u: { username: string; name: string; role: Role; pin: string }): number {
  assertNotHubOwned(db, 'users'); // once enrolled, users come from the hub (replication/pull.ts)
  if (!/^\d{4,8}$/.test(u.pin)) throw ruleError('El PIN debe tener de 4 a 8 dígitos.');
  const exists = db.first(db.q.selectFrom('users').select('id').where('username', '=', u.username));
  if (exists) throw ruleError(`El usuario "${u.username}" ya existe.`);
  return db.run(db.q.insertInto('users').values({
    username: u.username, name: u.name, role: u.role, pin_hash: hashPin(u.pin), created_at: at.toISOString(),
  })).lastInsertRowid;
}

/** Returns the user for a correct PIN, or null; the caller does not learn which of the two was wrong. */
export function authenticate(db: Db, username: string, pin: string): User | null {
  const user = db.first(db.q.selectFrom('users').selectAll().where('username', '=', username).where('active', '=', 1));
  if (!user) {
    verifyPin(pin, hashPin('0000')); // same cost either way
    return null;
  }
  return verifyPin(pin, user.pin_hash) ? user : null;
}

export function userView(u: User): UserView {
  return { id: u.id, username: u.username, name: u.name, role: u.role };
}

export function getUser(db: Db, id: number): User | undefined {
  return db.first(db.q.selectFrom('users').selectAll().where('id', '=', id));
}
