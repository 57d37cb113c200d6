// The shell: login → open the cash session → the POS (sale, sales of the day, cash), with the status bar always shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import { MANAGERS, type AppStatus, type CashReport, type CashSessionView, type UserView } from '../src-shared/contract';
import { api, errorMessage } from './api';
import { formatDateTime, soles } from './format';
import { StatusBar } from './components/StatusBar';
import { Login } from './screens/Login';
import { OpenSession } from './screens/OpenSession';
import { Checkout } from './screens/Checkout';
import { SalesList } from './screens/SalesList';
import { CashScreen } from './screens/CashScreen';
import { QueueScreen } from './screens/QueueScreen';
// Store setup and administration
import { SetupScreen } from './screens/SetupScreen';
import { AdminScreen } from './screens/AdminScreen';
// Printing and reports
import { ReportsScreen } from './screens/ReportsScreen';

export type Tab = 'sale' | 'sales' | 'cash' | 'queue' | 'reports' /* Printing and reports */ | 'admin' /* Store setup and administration */;

const STATUS_POLL_MS = 5000;

function useAppStatus(user: UserView | null): { status: AppStatus | null; reachable: boolean; refresh: () => void } {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [reachable, setReachable] = useState(true);
  const userRef = useRef(user);
  userRef.current = user;

  const refresh = useCallback(() => {
    if (!userRef.current) return;
    api.call('app.status', {}).then(
      (s) => {
        setStatus(s);
        setReachable(true);
      },
      () => setReachable(false),
    );
  }, []);

  useEffect(() => {
    if (!user) {
      setStatus(null);
      return;
    }
    refresh();
    const timer = window.setInterval(refresh, STATUS_POLL_MS);
    const off = api.on('status', (s) => {
      setStatus(s);
      setReachable(true);
    });
    const offSale = api.on('sale.updated', () => refresh());
    return () => {
      window.clearInterval(timer);
      off();
      offSale();
    };
  }, [user, refresh]);

  return { status, reachable, refresh };
}

export function App() {
  const [booting, setBooting] = useState(api.hasToken);
  const [user, setUser] = useState<UserView | null>(null);
  // undefined: not loaded yet; null: no open session on this terminal.
  const [session, setSession] = useState<CashSessionView | null | undefined>(undefined);
  const [sessionError, setSessionError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('sale');
  const [zReport, setZReport] = useState<CashReport | null>(null);
  const [loginNotice, setLoginNotice] = useState<string | null>(null);
  // Store setup and administration: an empty data directory shows the first-run screen before the login.
  // undefined: not asked yet; an unreachable server falls back to the login (which shows the error itself).
  const [firstRun, setFirstRun] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    api.call('setup.status', {}).then((s) => setFirstRun(s.firstRun), () => setFirstRun(false));
  }, []);
  // end Store setup and administration
  const { status, reachable, refresh } = useAppStatus(user);

  const resetToLogin = useCallback((notice: string | null) => {
    setUser(null);
    setSession(undefined);
    setZReport(null);
    setTab('sale');
    setLoginNotice(notice);
  }, []);

  useEffect(() => {
    api.onUnauthorized((notice) => resetToLogin(notice ?? 'Su sesión terminó. Ingrese de nuevo con su usuario y PIN.'));
    return () => api.onUnauthorized(null);
  }, [resetToLogin]);

  // A reload keeps the session: the token lives in sessionStorage.
  useEffect(() => {
    if (!api.hasToken) return;
    api.call('auth.me', {}).then(
      (u) => {
        setUser(u);
        setBooting(false);
      },
      () => setBooting(false),
    );
  }, []);

  const loadSession = useCallback(() => {
    setSessionError(null);
    api.call('cash.current', {}).then(
      (s) => setSession(s),
      (e) => setSessionError(errorMessage(e)),
    );
  }, []);

  useEffect(() => {
    if (user) loadSession();
  }, [user, loadSession]);

  const logout = useCallback(async () => {
    await api.logout();
    resetToLogin(null);
  }, [resetToLogin]);

  // The queue monitor is for managers; the main process refuses its calls to anyone else anyway.
  const isManager = !!user && MANAGERS.includes(user.role);

  // Store setup and administration: F7 opens Administración (admins: everything; supervisors: products only).
  useEffect(() => {
    if (!user || !session || !isManager) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F7' || document.querySelector('[role="dialog"]')) return;
      e.preventDefault();
      setTab('admin');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [user, session, isManager]);
  // end Store setup and administration

  // Tab shortcuts: F1 sale, F9 sales of the day, F10 cash, F11 queue, F12 reports (managers). Esc on the other tabs goes back to the sale.
  useEffect(() => {
    if (!user || !session) return;
    const onKey = (e: KeyboardEvent) => {
      // F5 is the sale screen's "en espera", never the browser's reload (which would drop the cart on screen).
      if (e.key === 'F5') e.preventDefault();
      if (document.querySelector('[role="dialog"]')) return;
      if (e.key === 'F1') {
        e.preventDefault();
        setTab('sale');
      } else if (e.key === 'F9') {
        e.preventDefault();
        setTab('sales');
      } else if (e.key === 'F10') {
        e.preventDefault();
        setTab('cash');
      } else if (e.key === 'F11' && isManager) {
        e.preventDefault();
        setTab('queue');
      } else if (e.key === 'F12' && isManager) {
        // Printing and reports: F12 the daily report (managers).
        e.preventDefault();
        setTab('reports');
      } else if (e.key === 'Escape' && tab !== 'sale') {
        e.preventDefault();
        setTab('sale');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [user, session, tab, isManager]);

  let body;
  if (booting) {
    body = <div className="center-screen muted">Cargando…</div>;
  } else if (!user && firstRun !== false) {
    // Store setup and administration: the first run chooses the demo store or the owner's own, then the login.
    body =
      firstRun === undefined ? (
        <div className="center-screen muted">Cargando…</div>
      ) : (
        <SetupScreen
          onDone={(notice) => {
            setFirstRun(false);
            setLoginNotice(notice);
          }}
        />
      );
  } else if (!user) {
    body = (
      <Login
        notice={loginNotice}
        onLogin={(u) => {
          setLoginNotice(null);
          setUser(u);
        }}
      />
    );
  } else if (session === undefined) {
    body = sessionError ? (
      <div className="center-screen">
        <div className="card">
          <p className="alert" role="alert" data-testid="error-alert">
            {sessionError}
          </p>
          <button className="btn primary" onClick={loadSession} autoFocus>
            Reintentar
          </button>
        </div>
      </div>
    ) : (
      <div className="center-screen muted">Cargando caja…</div>
    );
  } else if (session === null) {
    body = (
      <OpenSession
        user={user}
        lastReport={zReport}
        onOpened={(s) => {
          setZReport(null);
          setSession(s);
        }}
      />
    );
  } else {
    body = (
      <div className="pos">
        <nav className="tabs" aria-label="Secciones">
          <button className={tab === 'sale' ? 'tab active' : 'tab'} onClick={() => setTab('sale')} tabIndex={-1}>
            Venta <kbd>F1</kbd>
          </button>
          <button className={tab === 'sales' ? 'tab active' : 'tab'} onClick={() => setTab('sales')} tabIndex={-1} data-testid="tab-sales">
            Ventas del día <kbd>F9</kbd>
          </button>
          <button className={tab === 'cash' ? 'tab active' : 'tab'} onClick={() => setTab('cash')} tabIndex={-1} data-testid="tab-cash">
            Caja <kbd>F10</kbd>
          </button>
          {isManager && (
            <button className={tab === 'queue' ? 'tab active' : 'tab'} onClick={() => setTab('queue')} tabIndex={-1} data-testid="queue-tab">
              Cola <kbd>F11</kbd>
            </button>
          )}
          {/* Printing and reports */}
          {isManager && (
            <button className={tab === 'reports' ? 'tab active' : 'tab'} onClick={() => setTab('reports')} tabIndex={-1} data-testid="reports-tab">
              Reportes <kbd>F12</kbd>
            </button>
          )}
          {/* Store setup and administration */}
          {isManager && (
            <button className={tab === 'admin' ? 'tab active' : 'tab'} onClick={() => setTab('admin')} tabIndex={-1} data-testid="admin-tab">
              Administración <kbd>F7</kbd>
            </button>
          )}
          <span className="tabs-spacer" />
          <span className="session-info">
            {session.own ? 'Su caja abierta' : 'Caja abierta'} {session.userName ? `por ${session.userName}` : ''} ·{' '}
            {formatDateTime(session.openedAt)} · Fondo inicial {soles(session.openingFloat)}
          </span>
        </nav>
        <main className="tab-body">
          <Checkout active={tab === 'sale'} onSaleDone={refresh} />
          {tab === 'sales' && <SalesList user={user} />}
          {tab === 'queue' && isManager && <QueueScreen onChanged={refresh} />}
          {/* Printing and reports */}
          {tab === 'reports' && isManager && <ReportsScreen />}
          {/* Store setup and administration */}
          {tab === 'admin' && isManager && <AdminScreen user={user} onChanged={refresh} />}
          {tab === 'cash' && (
            <CashScreen
              session={session}
              onClosed={(z) => {
                setZReport(z);
                setSession(null);
                setTab('sale');
              }}
            />
          )}
        </main>
      </div>
    );
  }

  return (
    <div className="app">
      <div className="app-body">{body}</div>
      <StatusBar status={status} reachable={reachable} user={user} onLogout={user ? logout : null} />
    </div>
  );
}
