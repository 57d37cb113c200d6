// Users, roles and PIN login. PINs are stored as scrypt hashes with a per-user salt.
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { Role, UserView } from '../../src-shared/contract';
import type { User } from '../db/schema';
import { ruleError } from '../errors';
import { assertNotHubOwned } from '../db/hub-owned';

const SCRYPT_N = 16384;

export function hashPin(pin: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(pin, salt, 32, { N: SCRYPT_N, r: 8, p: 1 });
  return `scrypt$${SCRYPT_N}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPin(pin: string, stored: string): boolean {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = crypto.scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: 8, p: 1 });
  return crypto.timingSafeEqual(expected, actual);
}

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
