// The hub's own people (migration 002): managers and admins of the hub's screens, distinct from the terminals' users
// the hub feeds. Their PIN or password is hashed by the product's one PIN hash (pin-hash.ts); a session is a random
// token in an HttpOnly cookie of which the hub keeps only the SHA-256, ended after an hour without use or 12 hours
// in all. Five wrong logins in a row lock the user for five minutes. Every change made on the screens is audited in
// hub_audit (who, what, details; never a PIN, a password, a token or a code).
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { hubUserInput, type HubRole, type HubUserInput, type HubUserView } from '../../src-shared/hub-contract';
import { hashPin, verifyPin } from '../pin-hash';
import type { HubDb } from './db';
import { sha256 } from './admin';
import { HubRefusal } from './refusal';

export const SESSION_IDLE_MINUTES = 60;
export const SESSION_MAX_HOURS = 12;
const MAX_FAILED = 5;
const LOCK_MINUTES = 5;

/** The user as it will be stored, or a refusal (checked before the database is opened). */
export function checkHubUser(input: unknown): HubUserInput {
  const r = hubUserInput.safeParse(input);
  if (!r.success) throw new HubRefusal(400, 'datos_no_validos', r.error.issues[0].message);
  return r.data;
}

export async function addHubUser(db: HubDb, input: unknown): Promise<HubUserView> {
  const u = checkHubUser(input);
  return db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('hub_users')
      .values({ username: u.username, name: u.name, role: u.role, secret_hash: hashPin(u.secret) })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning(['username', 'name', 'role']).executeTakeFirst();
    if (!row) throw new HubRefusal(409, 'usuario_existe', `El usuario "${u.username}" ya existe en la central.`);
    await audit(tx, 'cli', 'hub_user.add', { username: u.username, role: u.role });
    return row;
  });
}

export async function audit(db: HubDb, username: string, action: string, details: Record<string, unknown>): Promise<void> {
  await db.insertInto('hub_audit').values({ username, action, details: JSON.stringify(details) }).execute();
}

let dummyHash: string | undefined;

/** A new session for a correct username + secret; the same refusal whichever of the two was wrong. */
export async function login(db: HubDb, username: string, secret: string): Promise<{ token: string; user: HubUserView }> {
  const wrong = () => new HubRefusal(401, 'credenciales', 'Usuario o PIN/contraseña incorrectos.');
  const u = await db.selectFrom('hub_users')
    .select(['username', 'name', 'role', 'secret_hash', 'active', sql<boolean>`coalesce(locked_until > now(), false)`.as('locked')])
    .where('username', '=', username.trim()).executeTakeFirst();
  if (!u || !u.active) {
    verifyPin(secret, (dummyHash ??= hashPin('0000'))); // the same cost as a real user's wrong secret
    throw wrong();
  }
  if (u.locked) throw new HubRefusal(401, 'bloqueado', `Demasiados intentos fallidos: espere ${LOCK_MINUTES} minutos y vuelva a intentar.`);
  if (!verifyPin(secret, u.secret_hash)) {
    await db.updateTable('hub_users')
      .set({
        failed_logins: sql`failed_logins + 1`,
        locked_until: sql`case when failed_logins + 1 >= ${MAX_FAILED} then now() + make_interval(mins => ${LOCK_MINUTES}) else null end`,
      })
      .where('username', '=', u.username).execute();
    await audit(db, u.username, 'hub.login_failed', {});
    throw wrong();
  }
  const token = randomBytes(32).toString('base64url');
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('hub_users').set({ failed_logins: 0, locked_until: null }).where('username', '=', u.username).execute();
    await tx.insertInto('hub_sessions').values({ token_hash: sha256(token), username: u.username }).execute();
    // Ended sessions of anyone are dropped now and then (here: at each login), so the table stays small.
    await tx.deleteFrom('hub_sessions')
      .where(sql<boolean>`last_seen_at < now() - make_interval(mins => ${SESSION_IDLE_MINUTES}) or created_at < now() - make_interval(hours => ${SESSION_MAX_HOURS})`)
      .execute();
  });
  return { token, user: { username: u.username, name: u.name, role: u.role as HubRole } };
}

/** The user of a live session (and the session's use noted), or null. */
export async function sessionUser(db: HubDb, token: string | null): Promise<HubUserView | null> {
  if (!token) return null;
  const r = await sql<HubUserView>`
    update hub_sessions s set last_seen_at = now() from hub_users u
    where s.token_hash = ${sha256(token)} and u.username = s.username and u.active
      and s.last_seen_at > now() - make_interval(mins => ${SESSION_IDLE_MINUTES})
      and s.created_at > now() - make_interval(hours => ${SESSION_MAX_HOURS})
    returning u.username, u.name, u.role`.execute(db);
  return r.rows[0] ?? null;
}

export async function logout(db: HubDb, token: string | null): Promise<void> {
  if (token) await db.deleteFrom('hub_sessions').where('token_hash', '=', sha256(token)).execute();
}
