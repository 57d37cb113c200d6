// The hub's screens (issue 16 item 5), shown instead of the POS when the hub served the page: a login of the hub's own
// people (managers and admins), then Tiendas y cajas, Catálogo y precios, Usuarios (admins), Reporte diario, Ventas.
// Every call goes through hub-api.ts; the hub checks the session and the role of each one.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { HUB_ROLE_LABELS, type HubUserView } from '../../src-shared/hub-contract';
import { errorMessage } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { hubCall, whenUnauthorized } from './hub-api';
import { StoresScreen } from './StoresScreen';
import { CatalogScreen } from './CatalogScreen';
import { UsersScreen } from './UsersScreen';
import { DailyReportScreen } from './DailyReportScreen';
import { SalesScreen } from './SalesScreen';

type HubTab = 'stores' | 'catalog' | 'users' | 'report' | 'sales';
const TABS: { tab: HubTab; label: string; adminOnly?: boolean }[] = [
  { tab: 'stores', label: 'Tiendas y cajas' },
  { tab: 'catalog', label: 'Catálogo y precios' },
  { tab: 'users', label: 'Usuarios', adminOnly: true },
  { tab: 'report', label: 'Reporte diario' },
  { tab: 'sales', label: 'Ventas' },
];

function HubLogin({ notice, onLogin }: { notice: string | null; onLogin: (u: HubUserView) => void }) {
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onLogin(await hubCall('auth.login', { username: username.trim(), secret }));
    } catch (err) {
      setError(errorMessage(err));
      setSecret('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="center-screen">
      <form className="card login" onSubmit={submit} noValidate>
        <h1 className="brand">
          izi<span>Sales</span> · Central
        </h1>
        <p className="muted">Ingrese su usuario y su PIN o contraseña de la central</p>
        {notice && !error && <p className="notice">{notice}</p>}
        <label className="field">
          <span>Usuario</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoFocus autoComplete="username" data-testid="hub-login-user" />
        </label>
        <label className="field">
          <span>PIN o contraseña</span>
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="current-password" data-testid="hub-login-secret" />
        </label>
        <ErrorAlert message={error} />
        <button className="btn primary big" type="submit" disabled={busy} data-testid="hub-login-submit">
          {busy ? 'Ingresando…' : 'Ingresar'}
        </button>
      </form>
    </div>
  );
}

export function HubApp() {
  const [user, setUser] = useState<HubUserView | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<HubTab>('stores');

  useEffect(() => {
    // A reload keeps the session: the cookie is still there.
    hubCall('auth.me', {}).then(setUser, () => setUser(null));
    whenUnauthorized((message) => {
      setUser(null);
      setNotice(message);
    });
    return () => whenUnauthorized(null);
  }, []);

  const logout = useCallback(async () => {
    await hubCall('auth.logout', {}).catch(() => undefined);
    setUser(null);
    setNotice('Sesión cerrada.');
  }, []);

  if (user === undefined) return <div className="center-screen muted">Cargando…</div>;
  if (user === null) {
    return (
      <HubLogin
        notice={notice}
        onLogin={(u) => {
          setNotice(null);
          setTab('stores');
          setUser(u);
        }}
      />
    );
  }
  const isAdmin = user.role === 'admin';
  return (
    <div className="pos hub">
      <nav className="tabs" aria-label="Secciones de la central">
        {TABS.filter((t) => isAdmin || !t.adminOnly).map((t) => (
          <button key={t.tab} className={tab === t.tab ? 'tab active' : 'tab'} onClick={() => setTab(t.tab)} data-testid={`hub-tab-${t.tab}`}>
            {t.label}
          </button>
        ))}
        <span className="tabs-spacer" />
        <span className="session-info" data-testid="hub-user">
          Central · {user.name} ({HUB_ROLE_LABELS[user.role]})
        </span>
        <button className="btn small" onClick={() => void logout()} data-testid="hub-logout">
          Salir
        </button>
      </nav>
      <main className="tab-body">
        {tab === 'stores' && <StoresScreen isAdmin={isAdmin} />}
        {tab === 'catalog' && <CatalogScreen />}
        {tab === 'users' && isAdmin && <UsersScreen />}
        {tab === 'report' && <DailyReportScreen />}
        {tab === 'sales' && <SalesScreen />}
      </main>
    </div>
  );
}
