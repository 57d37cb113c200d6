// Sessions (issue 15): PIN login with a lockout after wrong PINs, and the session tokens the Api hands out, which
// expire on this side — idle longer than the store's auto-lock time, or older than SESSION_MAX_MS — whatever the
// screen does. Every time is the app's clock (the caller's `now`), so tests drive it with a fake one.
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { User } from '../db/schema';
import { ApiError, type Role } from '../../src-shared/contract';
import { audit } from '../db/audit';
import { DEFAULT_SETTINGS } from '../db/settings';
import { hashPin, verifyPin } from './users';

/** Wrong PINs in a row after which the next try must wait. */
export const PIN_LOCKOUT_AFTER = 5;
/** The first wait (after the 5th wrong PIN); each further wrong PIN doubles it, up to PIN_LOCKOUT_MAX_MS. */
export const PIN_LOCKOUT_FIRST_MS = 30_000;
export const PIN_LOCKOUT_MAX_MS = 30 * 60_000;
/** No session lives longer than a long shift, however busy. */
export const SESSION_MAX_MS = 12 * 60 * 60_000;
/**
 * The Api refuses a token idle for the auto-lock time plus this grace: the screen locks first (it counts keys and
 * clicks, and tells the Api at most every 30 s that the cashier is still there), the Api is the backstop.
 */
export const IDLE_GRACE_MS = 60_000;

let dummyHash: string | null = null; // made on the first unknown username, not when the module loads

/** How long the next try must wait after `failures` wrong PINs in a row (0: it may try now). */
export function pinLockoutMs(failures: number): number {
  if (failures < PIN_LOCKOUT_AFTER) return 0;
  return Math.min(PIN_LOCKOUT_MAX_MS, PIN_LOCKOUT_FIRST_MS * 2 ** (failures - PIN_LOCKOUT_AFTER));
}

/** "30 segundos", "1 minuto", "2 min 30 s": a wait as a cashier reads it. */
export function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s} ${s === 1 ? 'segundo' : 'segundos'}`;
  const m = Math.floor(s / 60);
  const r = s % 60;
  return r ? `${m} min ${r} s` : `${m} ${m === 1 ? 'minuto' : 'minutos'}`;
}

function lockedMessage(username: string, waitMs: number): string {
  return `Demasiados PIN incorrectos para «${username}». Espere ${waitText(waitMs)} antes de volver a intentar, o pida a un supervisor que lo desbloquee (Administración → Usuarios).`;
}

/**
 * The user for a right PIN; otherwise an 'unauthorized' ApiError saying what to do. Each wrong PIN of an existing
 * user is counted in the database (it survives a restart); from the 5th in a row the next try waits 30 s, doubling
 * with each further wrong PIN (audited as `auth.lockout`); a try during the wait is refused without looking at the
 * PIN (audited as `auth.blocked`). A right PIN clears the count. The writes commit before the refusal is thrown.
 */
export function loginWithPin(db: Db, now: Date, username: string, pin: string): User {
  const user = db.first(db.q.selectFrom('users').selectAll().where('username', '=', username).where('active', '=', 1));
  if (!user) {
    verifyPin(pin, (dummyHash ??= hashPin('0000'))); // the same cost as a real user's wrong PIN
    audit(db, now, null, 'auth.failed', 'user', username);
    throw new ApiError('unauthorized', 'Usuario o PIN incorrecto.');
  }
  const lockedUntil = user.pin_locked_until ? new Date(user.pin_locked_until).getTime() : 0;
  if (lockedUntil > now.getTime()) {
    audit(db, now, null, 'auth.blocked', 'user', user.id, { username, until: user.pin_locked_until });
    throw new ApiError('unauthorized', lockedMessage(username, lockedUntil - now.getTime()));
  }
  if (verifyPin(pin, user.pin_hash)) {
    if (user.failed_pins > 0 || user.pin_locked_until) {
      db.run(db.q.updateTable('users').set({ failed_pins: 0, pin_locked_until: null }).where('id', '=', user.id));
    }
    return { ...user, failed_pins: 0, pin_locked_until: null };
  }
  const failures = user.failed_pins + 1;
  const waitMs = pinLockoutMs(failures);
  const until = waitMs > 0 ? new Date(now.getTime() + waitMs).toISOString() : null;
  db.tx(() => {
    db.run(db.q.updateTable('users').set({ failed_pins: failures, pin_locked_until: until }).where('id', '=', user.id));
    audit(db, now, null, 'auth.failed', 'user', username, { failures });
    if (until) audit(db, now, null, 'auth.lockout', 'user', user.id, { username, failures, until, waitSeconds: waitMs / 1000 });
  });
  if (until) throw new ApiError('unauthorized', `PIN incorrecto (${failures} veces seguidas). ${lockedMessage(username, waitMs)}`);
  const left = PIN_LOCKOUT_AFTER - failures;
  throw new ApiError('unauthorized', left <= 2
    ? `Usuario o PIN incorrecto. ${left === 1 ? 'Un intento más' : `${left} intentos más`} y el usuario deberá esperar antes de volver a intentar.`
    : 'Usuario o PIN incorrecto.');
}

/** The lockout as the admin screen shows it: the count, and the end of the wait only while it lasts. */
export function lockoutView(user: Pick<User, 'failed_pins' | 'pin_locked_until'>, now: Date): { failedPins: number; lockedUntil: string | null } {
  const until = user.pin_locked_until && new Date(user.pin_locked_until).getTime() > now.getTime() ? user.pin_locked_until : null;
  return { failedPins: user.failed_pins, lockedUntil: until };
}

export interface Session {
  token: string;
  userId: number;
  role: Role;
  terminalId: string;
  /** App-clock milliseconds: when the PIN was typed, and the last call that was the cashier's own doing. */
  createdAt: number;
  lastSeenAt: number;
}

/** The store's auto-lock minutes (0 = never), read on every call: one cached statement, a bad value as the default. */
export function autoLockMinutes(db: Db): number {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'autoLockMinutes'").get() as { value: string } | undefined;
  if (!row) return DEFAULT_SETTINGS.autoLockMinutes;
  try {
    const n: unknown = JSON.parse(row.value);
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : DEFAULT_SETTINGS.autoLockMinutes;
  } catch {
    return DEFAULT_SETTINGS.autoLockMinutes;
  }
}

/**
 * The tokens in use, in memory (a restart ends every session: the screen locks and the cashier types the PIN again).
 * `use` refuses a token that is unknown, ended, idle too long or too old, with a message the lock screen shows.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly db: Db) {}

  open(user: Pick<User, 'id' | 'role'>, terminalId: string, now: Date): Session {
    const token = crypto.randomBytes(24).toString('base64url');
    const at = now.getTime();
    const session: Session = { token, userId: user.id, role: user.role, terminalId, createdAt: at, lastSeenAt: at };
    this.sessions.set(token, session);
    return session;
  }

  /** The session of `token` for a call made now; `touch`: the call is the cashier's doing (not a screen's timer). */
  use(token: string | undefined, now: Date, touch: boolean): Session {
    const session = token ? this.sessions.get(token) : undefined;
    if (!session) throw new ApiError('unauthorized', 'Su sesión terminó. Ingrese nuevamente con su PIN.');
    const why = this.expired(session, now.getTime());
    if (why) {
      this.sessions.delete(session.token);
      throw new ApiError('unauthorized', why);
    }
    if (touch) session.lastSeenAt = now.getTime();
    return session;
  }

  /** Whether `token` may open the event stream now (nothing is touched). */
  valid(token: string | undefined, now: Date): boolean {
    const session = token ? this.sessions.get(token) : undefined;
    return !!session && !this.expired(session, now.getTime());
  }

  end(token: string): void {
    this.sessions.delete(token);
  }

  private expired(s: Session, at: number): string | null {
    if (at - s.createdAt > SESSION_MAX_MS) return 'Su sesión duró más de 12 horas y se cerró. Ingrese nuevamente con su PIN.';
    const minutes = autoLockMinutes(this.db);
    if (minutes > 0 && at - s.lastSeenAt > minutes * 60_000 + IDLE_GRACE_MS) {
      return `Su sesión se cerró tras más de ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'} sin uso. Ingrese nuevamente con su PIN.`;
    }
    return null;
  }
}
