// Usuarios: the terminals' users (cashiers, supervisors, admins) are the hub's once the terminals are enrolled: added,
// changed, given a new PIN or deactivated here, and every terminal gets them on its next pull (the PIN only as its hash).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { TERMINAL_ROLES, TERMINAL_ROLE_LABELS, type TerminalUserView } from '../../src-shared/hub-contract';
import { errorMessage } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { hubCall } from './hub-api';
import { useRun } from '../components/use-run';

type Role = (typeof TERMINAL_ROLES)[number];
interface Draft { isNew: boolean; username: string; name: string; role: Role; pin: string; active: boolean }
const NEW: Draft = { isNew: true, username: '', name: '', role: 'cashier', pin: '', active: true };

export function UsersScreen() {
  const [list, setList] = useState<TerminalUserView[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { error, setError, notice, setNotice, run } = useRun();

  const reload = useCallback(() => {
    hubCall('users.list', {}).then(setList, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => reload(), [reload]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    void run(async () => {
      const u = await hubCall('users.save', { ...draft, pin: draft.pin || undefined });
      setDraft(null);
      setNotice(`Usuario ${u.username} guardado. Las cajas lo reciben en su próxima sincronización.`);
      reload();
    });
  };

  return (
    <div className="admin-users">
      <div className="panel-head">
        <button className="btn" onClick={() => setDraft({ ...NEW })} data-testid="hub-user-new">Nuevo usuario de caja</button>
      </div>
      <ErrorAlert message={error} />
      {notice && <p className="notice" data-testid="hub-notice">{notice}</p>}
      {draft && (
        <form className="admin-form inline" onSubmit={save} noValidate>
          <h2>{draft.isNew ? 'Nuevo usuario de caja' : `Cambiar ${draft.username}`}</h2>
          <label className="field">
            <span>Usuario</span>
            <input value={draft.username} disabled={!draft.isNew} onChange={(e) => setDraft({ ...draft, username: e.target.value })} data-testid="hub-user-username" />
          </label>
          <label className="field">
            <span>Nombre</span>
            <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="hub-user-name" />
          </label>
          <label className="field">
            <span>Rol</span>
            <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })} data-testid="hub-user-role">
              {TERMINAL_ROLES.map((r) => <option key={r} value={r}>{TERMINAL_ROLE_LABELS[r]}</option>)}
            </select>
          </label>
          <label className="field">
            <span>{draft.isNew ? 'PIN (4 a 8 dígitos)' : 'PIN nuevo (vacío: no cambia)'}</span>
            <input type="password" inputMode="numeric" value={draft.pin} onChange={(e) => setDraft({ ...draft, pin: e.target.value })} autoComplete="new-password" data-testid="hub-user-pin" />
          </label>
          <label>
            <input type="checkbox" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} data-testid="hub-user-active" /> Activo
          </label>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setDraft(null)}>Cancelar</button>
            <button type="submit" className="btn primary" data-testid="hub-user-save">Guardar y enviar a las cajas</button>
          </div>
        </form>
      )}
      <table className="list-table" data-testid="hub-user-list">
        <thead><tr><th>Usuario</th><th>Nombre</th><th>Rol</th><th>Estado</th><th /></tr></thead>
        <tbody>
          {list.map((u) => (
            <tr key={u.username} className={u.active ? '' : 'voided'} data-testid="hub-user-row">
              <td className="mono">{u.username}</td>
              <td>{u.name}</td>
              <td>{TERMINAL_ROLE_LABELS[u.role] ?? u.role}</td>
              <td>{u.active ? 'Activo' : 'Inactivo'}</td>
              <td>
                <button className="btn small" onClick={() => setDraft({ isNew: false, username: u.username, name: u.name, role: u.role, pin: '', active: u.active })}>
                  Cambiar
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && <p className="muted">Todavía no hay usuarios de caja en la central.</p>}
    </div>
  );
}
