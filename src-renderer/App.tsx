// The shell: login → open the cash session → the POS (sale, sales of the day, cash), with the status bar always shown.
// It locks after the store's idle minutes, on Ctrl+L, or when the main process ends the session (LockScreen): the
// sale on screen is kept for the same cashier; another user who logs in instead finds it in F5's list.
import { useCallback, useEffect, useRef, useState } from 'react';
import { MANAGERS, type AppStatus, type CashReport, type CashSessionView, type ParkedCartInput, type UserView } from '../src-shared/contract';
import { api, errorMessage } from './api';
import { formatDateTime, soles } from './format';
import { StatusBar } from './components/StatusBar';
import { LockScreen } from './components/LockScreen';
import { Login } from './screens/Login';
import { OpenSession } from './screens/OpenSession';
import { Checkout } from './screens/Checkout';
import { SalesList } from './screens/SalesList';
import { ReceivablesScreen } from './screens/ReceivablesScreen';
import { CashScreen } from './screens/CashScreen';
import { QueueScreen } from './screens/QueueScreen';
// Store setup and administration
import { SetupScreen } from './screens/SetupScreen';
import { AdminScreen } from './screens/AdminScreen';
// Printing and reports
import { ReportsScreen } from './screens/ReportsScreen';

export type Tab = 'sale' | 'sales' | 'receivables' | 'cash' | 'queue' | 'reports' /* Printing and reports */ | 'admin' /* Store setup and administration */;

const STATUS_POLL_MS = 5000;
/** While the cashier is active, the main process hears of it at most this often (its idle limit has a minute's grace). */
const ACTIVITY_PING_MS = 30_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/** The POS as it was locked: who, why, and the sale kept for them (with its copy in the parked list, if made). */
interface Locked {
  user: UserView;
  notice: string | null;
  held: ParkedCartInput | null;
  parkedId: number | null;
}

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
  const [locked, setLocked] = useState<Locked | null>(null);
  // What the sale screen holds (its lines, customer, document type), or null: set by Checkout while it is mounted.
  const holdRef = useRef<(() => ParkedCartInput | null) | null>(null);
  // The lock's own calls (park a copy, end the token): an unlock waits for them, so it never ends the new token.
  const lockWork = useRef<Promise<void>>(Promise.resolve());
  const [saleNotice, setSaleNotice] = useState<string | null>(null);
  const { status, reachable, refresh } = useAppStatus(locked ? null : user);

  const resetToLogin = useCallback((notice: string | null) => {
    setUser(null);
    setSession(undefined);
    setZReport(null);
    setTab('sale');
    setLocked(null);
    setLoginNotice(notice);
  }, []);

  const userRef = useRef(user);
  userRef.current = user;
  const lockedRef = useRef(locked);
  lockedRef.current = locked;

  /**
   * Locks the POS for the user on screen. The sale stays on screen underneath, and a copy goes to the parked list at
   * once (while the token still works), so a crash or a reload while locked loses nothing; then the token ends.
   */
  const lock = useCallback((notice: string | null) => {
    const u = userRef.current;
    if (!u || lockedRef.current) return;
    const held = holdRef.current?.() ?? null;
    const state: Locked = { user: u, notice, held, parkedId: null };
    lockedRef.current = state;
    setLocked(state);
    setTab('sale');
    lockWork.current = (async () => {
      if (held && api.hasToken) {
        try {
          const r = await api.call('cart.park', { ...held, label: `Caja bloqueada — ${u.name}`.slice(0, 60) });
          state.parkedId = r.id;
        } catch {
          // The session had already ended: the sale is parked when another user logs in, or simply kept for this one.
        }
      }
      if (api.hasToken) await api.logout();
    })();
  }, []);

  useEffect(() => {
    api.onUnauthorized((notice, ended) => {
      if (ended || !userRef.current) resetToLogin(notice ?? 'Su sesión terminó. Ingrese de nuevo con su usuario y PIN.');
      else lock(notice ?? 'Su sesión terminó. Ingrese nuevamente con su PIN.');
    });
    return () => api.onUnauthorized(null);
  }, [resetToLogin, lock]);

  // Idle: no key, click or touch for the store's minutes locks the POS; activity tells the main process now and then.
  const idleMinutes = status?.autoLockMinutes ?? 0;
  useEffect(() => {
    if (!user || locked) return;
    let lastActivity = Date.now();
    let lastPing = Date.now();
    const onActivity = () => {
      lastActivity = Date.now();
      if (lastActivity - lastPing >= ACTIVITY_PING_MS) {
        lastPing = lastActivity;
        api.call('auth.me', {}).catch(() => undefined); // a refusal locks through onUnauthorized
      }
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, onActivity, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      if (idleMinutes > 0 && Date.now() - lastActivity >= idleMinutes * 60_000) lock(null);
    }, 1000);
    return () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
      window.clearInterval(timer);
    };
  }, [user, locked, idleMinutes, lock]);

  // Ctrl+L locks at once, wherever the focus is (a dialog too: it is kept as it is).
  useEffect(() => {
    if (!user || locked) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && !e.altKey && !e.metaKey && (e.key === 'l' || e.key === 'L')) {
        e.preventDefault();
        lock(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [user, locked, lock]);

  /** The lock screen's PIN: the same cashier finds everything as it was; another user finds the sale parked. */
  const unlock = useCallback(async (username: string, pin: string) => {
    const state = lockedRef.current;
    if (!state) return;
    await lockWork.current;
    const u = await api.login(username, pin);
    if (u.id === state.user.id) {
      // The copy made at the lock leaves the parked list: the sale is on screen.
      if (state.parkedId !== null) await api.call('cart.recall', { id: state.parkedId }).catch(() => undefined);
      lockedRef.current = null;
      setLocked(null);
      // A dialog that was open (Cobrar…) gets the keys back.
      window.setTimeout(() => document.querySelector<HTMLElement>('.tab-body [role="dialog"] [data-autofocus], .tab-body [role="dialog"] input')?.focus(), 0);
      return;
    }
    if (state.held && state.parkedId === null) {
      try {
        await api.call('cart.park', { ...state.held, label: `Venta de ${state.user.name} (caja bloqueada)`.slice(0, 60) });
      } catch (e) {
        // Nothing is lost: the sale stays on screen, locked, until it can be set aside.
        await api.logout();
        throw e;
      }
    }
    setSaleNotice(state.held ? `La venta en curso de ${state.user.name} quedó en espera: F5 con el carrito vacío para retomarla.` : null);
    lockedRef.current = null;
    setLocked(null);
    setTab('sale');
    setUser(u);
  }, []);

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
    setSaleNotice(null);
    await api.logout();
    resetToLogin(null);
  }, [resetToLogin]);

  // The queue monitor is for managers; the main process refuses its calls to anyone else anyway.
  const isManager = !!user && MANAGERS.includes(user.role);

  // Store setup and administration: F7 opens Administración (admins: everything; supervisors: products only).
  useEffect(() => {
    if (!user || !session || !isManager || locked) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F7' || document.querySelector('[role="dialog"]')) return;
      e.preventDefault();
      setTab('admin');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [user, session, isManager, locked]);
  // end Store setup and administration

  // Tab shortcuts: F1 sale, F9 sales of the day, F10 cash, F11 queue, F12 reports (managers). Esc on the other tabs goes back to the sale.
  useEffect(() => {
    if (!user || !session || locked) return;
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
  }, [user, session, tab, isManager, locked]);

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
          <button className={tab === 'receivables' ? 'tab active' : 'tab'} onClick={() => setTab('receivables')} tabIndex={-1} data-testid="tab-receivables">
            Por cobrar
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
          {/* One sale screen per user: another user who logs in at the lock screen starts with an empty one. */}
          <Checkout key={user.id} active={tab === 'sale' && !locked} onSaleDone={refresh} holdRef={holdRef} initialNotice={saleNotice} />
          {tab === 'sales' && <SalesList user={user} onReceivables={() => setTab('receivables')} />}
          {tab === 'receivables' && <ReceivablesScreen />}
          {tab === 'queue' && isManager && <QueueScreen onChanged={refresh} />}
          {/* Printing and reports */}
          {tab === 'reports' && isManager && <ReportsScreen />}
          {/* Store setup and administration */}
          {tab === 'admin' && isManager && <AdminScreen user={user} hubUrl={status?.hubUrl ?? null} onChanged={refresh} />}
          {tab === 'cash' && (
            <CashScreen
              session={session}
              manager={isManager}
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
      {/* Locked: the screen underneath keeps its state but takes no keys, clicks or focus. */}
      <div className="app-body" inert={!!locked} aria-hidden={locked ? true : undefined}>
        {body}
      </div>
      {locked && <LockScreen user={locked.user} notice={locked.notice} holdsSale={!!locked.held} onUnlock={unlock} />}
      <StatusBar status={status} reachable={reachable} user={locked ? null : user} onLogout={user && !locked ? logout : null} onLock={user && !locked ? () => lock(null) : null} />
    </div>
  );
}
