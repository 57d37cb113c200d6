// Administración → Usuarios: roles, PINs, deactivation and new users (admins); a user locked out by wrong PINs is
// shown as such and unlocked here by an admin or a supervisor (not an admin's lockout: admins only). Once the till is
// enrolled in a hub, users are the hub's: the list read-only (unlocking stays: a lockout is this till's).
import { useCallback, useEffect, useState } from 'react';
import { ROLES, type AdminUserView, type Role, type UserView } from '../../../src-shared/contract';
import { api, errorMessage } from '../../api';
import { formatTime } from '../../format';
import { HubOwnedNotice, issuesText } from './parts';

const ROLE_LABELS: Record<Role, string> = { admin: 'Administrador', supervisor: 'Supervisor', cashier: 'Cajero' };

function lockText(u: AdminUserView): string {
  if (u.lockedUntil) return `Bloqueado hasta las ${formatTime(u.lockedUntil)} (${u.failedPins} PIN incorrectos)`;
  return u.failedPins > 0 ? `${u.failedPins} ${u.failedPins === 1 ? 'PIN incorrecto' : 'PIN incorrectos'}` : '';
}

export function UsersSection({ me, hubUrl }: { me: UserView; hubUrl: string | null }) {
  const isAdmin = me.role === 'admin';
  const editable = isAdmin && hubUrl === null;
  const [users, setUsers] = useState<AdminUserView[]>([]);
  const [form, setForm] = useState({ username: '', name: '', role: 'cashier' as Role, pin: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.call('users.list', {}).then(setUsers, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => reload(), [reload]);

  async function run(fn: () => Promise<string | void>) {
    setError(null);
    setNotice(null);
    try {
      const msg = await fn();
      if (msg) setNotice(msg);
      reload();
    } catch (e) {
      setError(issuesText(e));
    }
  }

  return (
    <div className="admin-users">
      {hubUrl !== null && <HubOwnedNotice hubUrl={hubUrl} what="users" />}
      {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
      {notice && <p className="notice" data-testid="admin-notice">{notice}</p>}
      <table className="list-table" data-testid="user-list">
        <thead><tr><th>Usuario</th><th>Nombre</th><th>Rol</th><th>Estado</th><th /></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.active ? '' : 'voided'} data-testid="user-row">
              <td className="mono">{u.username}{u.id === me.id ? ' (usted)' : ''}</td>
              <td>{u.name}</td>
              <td>
                <select value={u.role} disabled={!editable} onChange={(e) => void run(async () => { await api.call('users.setRole', { id: u.id, role: e.target.value as Role }); return `Rol de ${u.username} cambiado.`; })}>
                  {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                </select>
              </td>
              <td data-testid={`user-state-${u.username}`}>
                {u.active ? 'Activo' : 'Inactivo'}
                {lockText(u) && <span className={u.lockedUntil ? 'bad-text' : 'muted'}> · {lockText(u)}</span>}
              </td>
              <td>
                {u.failedPins > 0 && (isAdmin || u.role !== 'admin') && (
                  <>
                    <button className="btn small" data-testid={`user-unlock-${u.username}`} onClick={() => void run(async () => { await api.call('users.unlock', { id: u.id }); return `${u.username} desbloqueado: ya puede ingresar con su PIN.`; })}>
                      Desbloquear
                    </button>{' '}
                  </>
                )}
                {editable && <>
                <button className="btn small" onClick={() => {
                  const pin = window.prompt(`Nuevo PIN para ${u.username} (4 a 8 dígitos):`);
                  if (pin !== null) void run(async () => { await api.call('users.resetPin', { id: u.id, pin }); return `PIN de ${u.username} cambiado.`; });
                }}>
                  Cambiar PIN
                </button>{' '}
                <button className="btn small" data-testid={`user-active-${u.username}`} onClick={() => void run(async () => { await api.call('users.setActive', { id: u.id, active: !u.active }); })}>
                  {u.active ? 'Desactivar' : 'Activar'}
                </button>
                </>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editable && <form className="admin-form inline" noValidate onSubmit={(e) => { e.preventDefault(); void run(async () => { const u = await api.call('users.create', form); setForm({ username: '', name: '', role: 'cashier', pin: '' }); return `Usuario ${u.username} creado.`; }); }}>
        <h2>Nuevo usuario</h2>
        <label className="field"><span>Usuario</span><input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} data-testid="user-username" /></label>
        <label className="field"><span>Nombre</span><input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="user-name" /></label>
        <label className="field"><span>Rol</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        </label>
        <label className="field"><span>PIN</span><input type="password" inputMode="numeric" value={form.pin} onChange={(e) => setForm({ ...form, pin: e.target.value })} data-testid="user-pin" /></label>
        <button className="btn primary" type="submit" data-testid="user-create">Crear usuario</button>
      </form>}
    </div>
  );
}
