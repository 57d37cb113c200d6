// Sessions (issue 15, item 8) through the contract (Api.invoke) on real SQLite files with the app's fake clock:
// wrong PINs lock a user out with a growing wait that survives a restart, audited; a manager unlocks; the Api itself
// refuses a token left idle past the store's auto-lock time, or older than 12 hours.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { ManualClock } from '../../src-main/adapters';
import { Api } from '../../src-main/api';
import { pinLockoutMs, waitText } from '../../src-main/pos/sessions';
import type { AdminUserView, CallName, CallOutput } from '../../src-shared/contract';
import { apiClient } from '../helpers/api';
import { demoApp, type TestApp } from '../helpers/app';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MIN = 60_000;

function start(): { t: TestApp; api: () => Api; setApi: (a: Api) => void } {
  const t = demoApp({ openSession: false });
  cleanups.push(() => t.close());
  let api = new Api(t.app);
  return { t, api: () => api, setApi: (a) => (api = a) };
}

function auditRows(app: App, action: string): { user_id: number | null; entity_id: string | null; details: Record<string, unknown> | null }[] {
  return (app.db.raw.prepare('SELECT user_id, entity_id, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as { user_id: number | null; entity_id: string | null; details: string | null }[])
    .map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null }));
}

async function loginRefusal(api: Api, username: string, pin: string): Promise<{ code: string; message: string }> {
  try {
    await api.invoke('auth.login', { username, pin }, undefined);
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  return { code: 'accepted', message: '' };
}

describe('PIN lockout', () => {
  it('the wait starts at 30 s after the 5th wrong PIN and doubles, up to 30 minutes; its text reads as a cashier would say it', () => {
    expect([1, 4, 5, 6, 7, 8].map(pinLockoutMs)).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000]);
    expect(pinLockoutMs(40)).toBe(30 * MIN);
    expect([30_000, 1_000, 60_000, 90_000, 29_400].map(waitText)).toEqual(['30 segundos', '1 segundo', '1 minuto', '1 min 30 s', '30 segundos']);
  });

  it('5 wrong PINs: the right PIN waits 30 s (audited), a 6th wrong one 60 s; a restart keeps the wait; a supervisor unlocks', async () => {
    const { t, api, setApi } = start();
    const { login, call, refusal } = apiClient(api);
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await loginRefusal(api(), 'cashier', '0000');
      expect(r.code).toBe('unauthorized');
      answers.push(r.message);
    }
    expect(answers.slice(0, 2)).toEqual(['Usuario o PIN incorrecto.', 'Usuario o PIN incorrecto.']);
    expect(answers[2]).toMatch(/^Usuario o PIN incorrecto\. 2 intentos más y el usuario deberá esperar/);
    expect(answers[3]).toMatch(/^Usuario o PIN incorrecto\. Un intento más/);
    expect(answers[4]).toBe('PIN incorrecto (5 veces seguidas). Demasiados PIN incorrectos para «cashier». Espere 30 segundos antes de volver a intentar, o pida a un supervisor que lo desbloquee (Administración → Usuarios).');

    // The right PIN is refused during the wait, with what is left of it.
    t.clock.advance(20_000);
    expect((await loginRefusal(api(), 'cashier', '3333')).message).toMatch(/Espere 10 segundos antes de volver a intentar/);
    const lockouts = auditRows(t.app, 'auth.lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ user_id: null, entity_id: String(t.cashier.id), details: { username: 'cashier', failures: 5, waitSeconds: 30 } });
    expect(auditRows(t.app, 'auth.blocked')).toHaveLength(1);
    expect(auditRows(t.app, 'auth.failed')).toHaveLength(5);
    // The PIN never reaches the audit log.
    expect(JSON.stringify(t.app.db.raw.prepare('SELECT * FROM audit_log').all())).not.toMatch(/3333|"0000"/);

    // After the wait, one more wrong PIN: 60 s this time.
    t.clock.advance(11_000);
    expect((await loginRefusal(api(), 'cashier', '1234')).message).toMatch(/6 veces seguidas.*Espere 1 minuto/);
    expect(auditRows(t.app, 'auth.lockout').map((r) => r.details?.waitSeconds)).toEqual([30, 60]);

    // Closing and opening the app does not wipe it.
    const dir = t.dir;
    const at = t.clock.now();
    await t.app.close();
    const clock = new ManualClock(new Date(at.getTime() + 15_000));
    const again = createApp({ dataDir: dir, clock });
    cleanups.push(async () => {
      await again.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    setApi(new Api(again));
    expect((await loginRefusal(api(), 'cashier', '3333')).message).toMatch(/Espere 45 segundos/);

    // A supervisor sees it in Administración → Usuarios and unlocks; a cashier may not.
    const sup = await login('supervisor', '2222');
    const row = (await call('users.list', {}, sup)).find((u: AdminUserView) => u.username === 'cashier')!;
    expect(row).toMatchObject({ failedPins: 6, lockedUntil: new Date(at.getTime() + 60_000).toISOString() });
    const unlocked = await call('users.unlock', { id: row.id }, sup);
    expect(unlocked).toMatchObject({ failedPins: 0, lockedUntil: null });
    expect(auditRows(again, 'user.unlock')).toEqual([
      { user_id: (await call('auth.me', {}, sup)).id, entity_id: String(row.id), details: { username: 'cashier', failedPins: 6, lockedUntil: row.lockedUntil } },
    ]);
    const cashier = await login('cashier', '3333');
    expect((await call('auth.me', {}, cashier)).username).toBe('cashier');
    expect((await refusal('users.unlock', { id: row.id }, cashier)).code).toBe('forbidden');
    // Nothing left to unlock: refused, nothing written.
    const unlocks = auditRows(again, 'user.unlock').length;
    expect(await refusal('users.unlock', { id: row.id }, sup)).toEqual({ code: 'rule', message: 'Cajero Demo no tiene intentos fallidos: no hay nada que desbloquear.' });
    expect(auditRows(again, 'user.unlock')).toHaveLength(unlocks);
  });

  it('a right PIN clears the count; a supervisor cannot unlock an administrator, an administrator can; a new PIN also unlocks', async () => {
    const { t, api } = start();
    const { login, call, refusal } = apiClient(api);
    for (let i = 0; i < 4; i++) await loginRefusal(api(), 'cashier', '0000');
    await login('cashier', '3333');
    expect((await loginRefusal(api(), 'cashier', '0000')).message).toBe('Usuario o PIN incorrecto.'); // 1 again, not 5

    for (let i = 0; i < 5; i++) await loginRefusal(api(), 'admin', '0000');
    const sup = await login('supervisor', '2222');
    const admins = (await call('users.list', {}, sup)).filter((u: AdminUserView) => u.username === 'admin');
    expect(await refusal('users.unlock', { id: admins[0].id }, sup)).toEqual({ code: 'forbidden', message: 'Solo un administrador puede desbloquear a otro administrador.' });
    expect((await loginRefusal(api(), 'admin', '1111')).message).toMatch(/Espere 30 segundos/);

    // Another administrator unlocks it; a new PIN set by an admin clears a cashier's lockout too.
    t.clock.advance(31_000);
    const admin = await login('admin', '1111');
    expect((await call('users.create', { username: 'dueno', name: 'Dueño', role: 'admin', pin: '5555' }, admin)).failedPins).toBe(0);
    for (let i = 0; i < 5; i++) await loginRefusal(api(), 'admin', '0000');
    const owner = await login('dueno', '5555');
    expect((await call('users.unlock', { id: admins[0].id }, owner)).lockedUntil).toBeNull();
    for (let i = 0; i < 5; i++) await loginRefusal(api(), 'cashier', '0000');
    await call('users.resetPin', { id: t.cashier.id, pin: '4444' }, owner);
    expect((await call('auth.me', {}, await login('cashier', '4444'))).username).toBe('cashier');
  });
});

describe('sessions expire in the Api, on the app clock', () => {
  async function refusedWith(api: Api, name: CallName, token: string): Promise<string | null> {
    try {
      await api.invoke(name, {}, token);
      return null;
    } catch (e) {
      expect((e as { code: string }).code).toBe('unauthorized');
      return (e as Error).message;
    }
  }

  it('a token idle past the auto-lock time (plus a minute) is refused, and stays refused; the status poll is not use', async () => {
    const { t, api } = start();
    const { login, call } = apiClient(api);
    const token = await login('cashier', '3333');
    expect((await call('app.status', {}, token)).autoLockMinutes).toBe(5);
    // Used every 4 minutes for an hour: alive.
    for (let i = 0; i < 15; i++) {
      t.clock.advance(4 * MIN);
      await call('catalog.search', { query: 'gaseosa' }, token);
    }
    // Then only the status bar's poll, every 5 s, for 6 minutes and a bit: the poll itself is refused.
    let refused: string | null = null;
    for (let s = 5; s <= 6 * 60 + 5 && !refused; s += 5) {
      t.clock.advance(5_000);
      refused = await refusedWith(api(), 'app.status', token);
    }
    expect(refused).toBe('Su sesión se cerró tras más de 5 minutos sin uso. Ingrese nuevamente con su PIN.');
    expect(t.clock.now().getTime() - new Date('2026-11-27T15:00:00Z').getTime()).toBeGreaterThan(66 * MIN);
    // Gone for good: the same token is not revived by moving the clock back, nor can it open the event stream.
    t.clock.advance(-10 * MIN);
    expect(await refusedWith(api(), 'auth.me', token)).toBe('Su sesión terminó. Ingrese nuevamente con su PIN.');
    expect(api().hasSession(token)).toBe(false);
    // The PIN opens a new one at once.
    expect((await call('auth.me', {}, await login('cashier', '3333'))).username).toBe('cashier');
  });

  it('follows the setting: 0 never idles out, but 12 hours is the most any session lasts; bad values refused with nothing changed', async () => {
    const { t, api } = start();
    const { login, call, refusal } = apiClient(api);
    const admin = await login('admin', '1111');
    const audits = () => auditRows(t.app, 'settings.update').length;
    const before = audits();
    for (const bad of [-1, 1.5, 481]) {
      const r = await refusal('settings.update', { autoLockMinutes: bad }, admin);
      expect(r).toEqual({ code: 'invalid_input', message: 'El bloqueo automático es un número entero de minutos entre 1 y 480 (0 para no bloquear nunca).' });
    }
    expect(audits()).toBe(before);
    expect((await call('settings.get', {}, admin)).autoLockMinutes).toBe(5);

    expect((await call('settings.update', { autoLockMinutes: 1 }, admin)).autoLockMinutes).toBe(1);
    const cashier = await login('cashier', '3333');
    t.clock.advance(2 * MIN + 1);
    expect(await refusedWith(api(), 'auth.me', cashier)).toMatch(/más de 1 minuto sin uso/);

    const admin2 = await login('admin', '1111');
    expect((await call('settings.update', { autoLockMinutes: 0 }, admin2)).autoLockMinutes).toBe(0);
    expect(auditRows(t.app, 'settings.update').filter((r) => r.entity_id === 'autoLockMinutes').map((r) => r.details)).toEqual([{ old: 5, new: 1 }, { old: 1, new: 0 }]);
    const longShift = await login('cashier', '3333');
    t.clock.advance(3 * 60 * MIN);
    expect((await call('app.status', {}, longShift)).autoLockMinutes).toBe(0);
    for (let h = 3; h < 12; h++) {
      t.clock.advance(60 * MIN);
      if (h < 11) await call('catalog.search', { query: 'arroz' }, longShift);
    }
    t.clock.advance(MIN);
    expect(await refusedWith(api(), 'auth.me', longShift)).toBe('Su sesión duró más de 12 horas y se cerró. Ingrese nuevamente con su PIN.');
    const fresh: CallOutput<'auth.me'> = await call('auth.me', {}, await login('cashier', '3333'));
    expect(fresh.username).toBe('cashier');
  });
});
