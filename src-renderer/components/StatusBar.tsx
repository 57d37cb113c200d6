// Always visible (DESIGN §3.7): online/offline, documents waiting for SUNAT, failures, the certificate's expiry, who is
// working, demo mode.
import type { AppStatus, UserView } from '../../src-shared/contract';
import { ROLE_LABELS } from '../cart';

interface Props {
  status: AppStatus | null;
  reachable: boolean;
  user: UserView | null;
  onLogout: (() => void) | null;
  /** Locks the POS now (Ctrl+L); the same cashier unlocks with the PIN. */
  onLock: (() => void) | null;
}

export function StatusBar({ status, reachable, user, onLogout, onLock }: Props) {
  const online = status?.online ?? false;
  let onlineText = 'Sin sesión';
  let onlineClass = 'pill';
  if (user && !reachable) {
    onlineText = 'Sin respuesta del sistema';
    onlineClass = 'pill bad';
  } else if (status) {
    onlineText = online ? 'En línea' : 'Sin conexión';
    onlineClass = online ? 'pill ok' : 'pill bad';
  } else if (user) {
    onlineText = 'Consultando…';
  }
  return (
    <footer className="statusbar" aria-label="Estado del sistema">
      <span
        className={onlineClass}
        data-testid="online-status"
        data-online={status ? String(online) : ''}
        role="status"
        title={status && !online ? 'Sin internet: las ventas se guardan y se envían a SUNAT cuando vuelva la conexión.' : undefined}
      >
        <span className="dot" aria-hidden="true" />
        {onlineText}
      </span>
      {status && (
        <>
          <span className={status.pending > 0 ? 'pill warn' : 'pill'} data-testid="pending-count" data-count={status.pending}>
            Pendientes SUNAT: {status.pending}
          </span>
          <span className={status.failing > 0 ? 'pill bad' : 'pill'} data-testid="failing-count" data-count={status.failing}>
            Con error: {status.failing}
          </span>
          {status.certificateWarning && (
            <span className="pill warn cert-warning" role="alert" data-testid="certificate-warning">
              {status.certificateWarning}
            </span>
          )}
          {status.clock && (
            <span className={`pill ${status.clock.level === 'block' ? 'bad' : 'warn'}`} role="alert" data-testid="clock-warning" data-level={status.clock.level}>
              {status.clock.message}
            </span>
          )}
          {status.sunatPaused && (
            <span className="pill bad" role="alert">
              Envío a SUNAT detenido: {status.sunatPaused}
            </span>
          )}
          {status.demoMode && (
            <span className="badge-demo" data-testid="demo-badge" title={`Comprobantes a: ${status.sunatTarget}`}>
              MODO DEMO
            </span>
          )}
          {status.hub && (
            <span
              className={status.hub.unreachable ? 'pill warn' : 'pill'}
              data-testid="hub-pill"
              data-unreachable={String(status.hub.unreachable)}
              title={status.hub.unreachable ? 'Las ventas se guardan en esta caja y se suben solas a la central cuando vuelva la conexión.' : undefined}
            >
              {status.hub.unreachable ? 'Central sin conexión' : 'Central'}
              {status.hub.backlog > 0 ? ` · ${status.hub.backlog} por subir` : status.hub.unreachable ? '' : ': al día'}
            </span>
          )}
          <span className="muted" data-testid="sunat-target">
            SUNAT: {status.sunatTarget}
          </span>
        </>
      )}
      <span className="statusbar-spacer" />
      {status && (
        <span className="muted" data-testid="terminal">
          {status.storeName ? `${status.storeName} · ` : ''}Terminal {status.hub?.terminalName ?? status.terminalId}
        </span>
      )}
      {user && (
        <span data-testid="current-user">
          <strong>{user.name}</strong> ({ROLE_LABELS[user.role] ?? user.role})
        </span>
      )}
      {onLock && (
        <button className="btn small" onClick={onLock} tabIndex={-1} data-testid="lock-now" title="Bloquea la caja; la venta en curso se conserva">
          Bloquear <kbd>Ctrl</kbd>+<kbd>L</kbd>
        </button>
      )}
      {onLogout && (
        <button className="btn small" onClick={onLogout} tabIndex={-1} data-testid="logout">
          Cerrar sesión
        </button>
      )}
    </footer>
  );
}
