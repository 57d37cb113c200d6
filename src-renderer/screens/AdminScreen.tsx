// F7 Administración: store and SUNAT settings, taxes, certificate, periodic jobs, retention (admin/),
// products (list, edit, CSV import/export), customers, users and backups. Admins see every section; supervisors only
// Productos and Clientes. The main process refuses anything else anyway.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  ApiError, ROLES, type AdminProductView, type AdminSettingsView, type AdminUserView, type CsvImportView, type CsvPreviewView,
  type Role, type SunatModeName, type UserView,
} from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { readMoney, readQuantity } from '../../src-shared/number-input';
import { SUNAT_MODE_LABELS } from './SetupScreen';
import { CertificateSection } from './admin/Certificate';
import { CustomersSection } from './admin/Customers';
import { RetentionSection } from './admin/Retention';
import { ScheduleSection } from './admin/Schedule';
import { TaxesSection } from './admin/Taxes';
import { RestorePanel } from '../components/RestorePanel';
import { CSV_COLUMN_LABELS } from '../../src-shared/labels';

type Section = 'settings' | 'taxes' | 'schedule' | 'retention' | 'certificate' | 'products' | 'customers' | 'users' | 'backup';
const ROLE_LABELS: Record<Role, string> = { admin: 'Administrador', supervisor: 'Supervisor', cashier: 'Cajero' };

function issuesText(e: unknown): string {
  if (e instanceof ApiError && e.issues?.length) return e.issues.map((i) => i.message).join(' ');
  return errorMessage(e);
}

export function AdminScreen({ user, onChanged }: { user: UserView; onChanged: () => void }) {
  const isAdmin = user.role === 'admin';
  const [section, setSection] = useState<Section>(isAdmin ? 'settings' : 'products');
  const sections: { id: Section; label: string }[] = isAdmin
    ? [
      { id: 'settings', label: 'Tienda y SUNAT' }, { id: 'taxes', label: 'Impuestos' }, { id: 'certificate', label: 'Certificado' },
      { id: 'schedule', label: 'Tareas programadas' }, { id: 'retention', label: 'Conservación' }, { id: 'products', label: 'Productos' },
      { id: 'customers', label: 'Clientes' }, { id: 'users', label: 'Usuarios' }, { id: 'backup', label: 'Copia de seguridad' },
    ]
    : [{ id: 'products', label: 'Productos' }, { id: 'customers', label: 'Clientes' }];
  return (
    <div className="panel admin">
      <div className="panel-head">
        <h1>Administración</h1>
        <div className="segmented">
          {sections.map((s) => (
            <button key={s.id} className={section === s.id ? 'seg on' : 'seg'} onClick={() => setSection(s.id)} data-testid={`admin-section-${s.id}`}>
              {s.label}
            </button>
          ))}
        </div>
      </div>
      {section === 'settings' && isAdmin && <SettingsSection onChanged={onChanged} />}
      {section === 'taxes' && isAdmin && <TaxesSection onChanged={onChanged} />}
      {section === 'certificate' && isAdmin && <CertificateSection onChanged={onChanged} />}
      {section === 'schedule' && isAdmin && <ScheduleSection />}
      {section === 'retention' && isAdmin && <RetentionSection />}
      {section === 'products' && <ProductsSection />}
      {section === 'customers' && <CustomersSection />}
      {section === 'users' && isAdmin && <UsersSection me={user} />}
      {section === 'backup' && isAdmin && <BackupSection />}
    </div>
  );
}

// ---- Tienda y SUNAT ----

function SettingsSection({ onChanged }: { onChanged: () => void }) {
  const [view, setView] = useState<AdminSettingsView | null>(null);
  const [store, setStore] = useState<AdminSettingsView['store'] | null>(null);
  const [terminalId, setTerminalId] = useState('');
  const [series, setSeries] = useState({ boleta: '', factura: '' });
  const [mode, setMode] = useState<SunatModeName>('demo');
  const [customUrl, setCustomUrl] = useState('');
  const [solUser, setSolUser] = useState('');
  const [solPassword, setSolPassword] = useState('');
  const [printer, setPrinter] = useState({ name: '', paperWidth: 80 as 80 | 58 });
  const [floatLimit, setFloatLimit] = useState('');
  const [floatLimitError, setFloatLimitError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // Leaving demo mode asks first: demo receipts have no validity and the real numbering should start on fresh series.
  const [confirmLeaveDemo, setConfirmLeaveDemo] = useState(false);

  const load = useCallback((v: AdminSettingsView) => {
    setView(v);
    setStore(v.store);
    setTerminalId(v.terminalId);
    setSeries({ boleta: v.series.boleta ?? '', factura: v.series.factura ?? '' });
    setMode(v.sunat.mode);
    setCustomUrl(v.sunat.customUrl);
    setSolUser(v.sunat.solUser);
    setSolPassword('');
    setPrinter(v.printer);
    setFloatLimit(v.openingFloatConfirmAbove);
  }, []);

  useEffect(() => {
    api.call('settings.get', {}).then(load, (e) => setError(errorMessage(e)));
  }, [load]);

  const leavingDemo = !!view && view.sunat.mode === 'demo' && mode !== 'demo';

  async function save(e?: FormEvent, confirmed = false) {
    e?.preventDefault();
    if (!view || !store) return;
    const limit = readMoney(floatLimit);
    setFloatLimitError(limit.error);
    if (limit.value === null) return;
    if (leavingDemo && !confirmed) {
      setConfirmLeaveDemo(true);
      return;
    }
    setConfirmLeaveDemo(false);
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const v = await api.call('settings.update', {
        store, terminalId,
        series: { ...(series.boleta ? { boleta: series.boleta } : {}), ...(series.factura ? { factura: series.factura } : {}) },
        sunat: {
          mode, ...(mode === 'custom' || customUrl !== view.sunat.customUrl ? { customUrl } : {}),
          ...(solUser !== view.sunat.solUser ? { solUser } : {}), ...(solPassword ? { solPassword } : {}),
        },
        printer,
        ...(limit.value !== view.openingFloatConfirmAbove ? { openingFloatConfirmAbove: limit.value } : {}),
      });
      load(v);
      setSaved(true);
      onChanged();
    } catch (err) {
      setError(issuesText(err));
    } finally {
      setBusy(false);
    }
  }

  if (!view || !store) return error ? <p className="alert" role="alert">{error}</p> : <p className="muted">Cargando…</p>;
  const text = (label: string, value: string, set: (v: string) => void, testId?: string, type = 'text') => (
    <label className="field">
      <span>{label}</span>
      <input type={type} value={value} onChange={(e) => set(e.target.value)} data-testid={testId} />
    </label>
  );
  return (
    <form className="admin-form" onSubmit={save} noValidate>
      <p className="notice" data-testid="sunat-mode-active">
        Modo SUNAT activo: <strong>{SUNAT_MODE_LABELS[view.sunat.mode]}</strong>
        {view.demoMode ? ' · tienda demo' : ''}
      </p>
      <fieldset>
        <legend>Empresa</legend>
        {text('RUC', store.ruc, (v) => setStore({ ...store, ruc: v }), 'settings-ruc')}
        {text('Razón social', store.legalName, (v) => setStore({ ...store, legalName: v }))}
        {text('Nombre comercial', store.tradeName, (v) => setStore({ ...store, tradeName: v }))}
        {text('Dirección fiscal', store.address, (v) => setStore({ ...store, address: v }))}
        {text('Ubigeo', store.ubigeo, (v) => setStore({ ...store, ubigeo: v }))}
        {text('Código de establecimiento', store.establishmentCode, (v) => setStore({ ...store, establishmentCode: v }))}
      </fieldset>
      <fieldset>
        <legend>Caja y series</legend>
        {text('Identificador de la caja', terminalId, setTerminalId)}
        {text('Serie de boletas', series.boleta, (v) => setSeries({ ...series, boleta: v }))}
        {text('Serie de facturas', series.factura, (v) => setSeries({ ...series, factura: v }))}
      </fieldset>
      <fieldset>
        <legend>SUNAT</legend>
        <label className="field">
          <span>Modo de envío</span>
          <select value={mode} onChange={(e) => setMode(e.target.value as SunatModeName)} data-testid="settings-sunat-mode">
            {(Object.keys(SUNAT_MODE_LABELS) as SunatModeName[]).map((m) => (
              <option key={m} value={m}>
                {SUNAT_MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        {leavingDemo && (
          <p className="notice warn" data-testid="settings-leave-demo-warning">
            Los comprobantes emitidos en modo demo no tienen validez: nunca se envían a SUNAT (los que sigan pendientes quedarán
            como no enviados). Use series nuevas para la numeración real (p. ej. B002 y F002), así ningún número de prueba se
            confunde con uno válido.
          </p>
        )}
        {mode === 'custom' && text('Dirección del servicio de la OSE', customUrl, setCustomUrl)}
        {text('Usuario SOL', solUser, setSolUser)}
        {text(view.sunat.hasPassword ? 'Clave SOL (guardada; escriba otra para cambiarla)' : 'Clave SOL', solPassword, setSolPassword, 'settings-sol-password', 'password')}
      </fieldset>
      <fieldset>
        <legend>Impresora</legend>
        {text('Nombre de la impresora', printer.name, (v) => setPrinter({ ...printer, name: v }))}
        <label className="field">
          <span>Ancho del papel</span>
          <select value={printer.paperWidth} onChange={(e) => setPrinter({ ...printer, paperWidth: Number(e.target.value) === 58 ? 58 : 80 })}>
            <option value={80}>80 mm</option>
            <option value={58}>58 mm</option>
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>Caja</legend>
        <label className="field">
          <span>Pedir confirmación si el fondo inicial supera (S/)</span>
          <input value={floatLimit} onChange={(e) => setFloatLimit(e.target.value)} inputMode="decimal"
            aria-invalid={floatLimitError ? 'true' : undefined} data-testid="settings-float-limit" />
          {floatLimitError && <small className="bad-text" role="alert" data-testid="settings-float-limit-error">{floatLimitError}</small>}
        </label>
      </fieldset>
      {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
      {saved && <p className="notice" data-testid="settings-saved">Cambios guardados.</p>}
      {confirmLeaveDemo && leavingDemo ? (
        <div className="notice warn" role="alertdialog" aria-labelledby="leave-demo-title" data-testid="settings-leave-demo-confirm">
          <p id="leave-demo-title">
            <strong>¿Pasar de modo demo a {SUNAT_MODE_LABELS[mode]}?</strong> Desde ahora los comprobantes se envían de verdad. Los
            emitidos en modo demo no tienen validez y no se enviarán. ¿Ya cambió las series para empezar la numeración real?
          </p>
          <button className="btn primary" type="button" data-testid="settings-leave-demo-yes" disabled={busy} onClick={() => void save(undefined, true)}>
            Sí, cambiar a {SUNAT_MODE_LABELS[mode]}
          </button>{' '}
          <button className="btn" type="button" data-testid="settings-leave-demo-no" onClick={() => setConfirmLeaveDemo(false)}>
            Cancelar
          </button>
        </div>
      ) : (
        <button className="btn primary" type="submit" data-testid="settings-save" disabled={busy}>
          Guardar cambios
        </button>
      )}
    </form>
  );
}

// ---- Productos ----

type ProductDraft = { id?: number; sku: string; barcode: string; name: string; price: string; taxAffectation: string; unitCode: string; stock: string };
const NEW_PRODUCT: ProductDraft = { sku: '', barcode: '', name: '', price: '', taxAffectation: '10', unitCode: 'NIU', stock: '0' };

function ProductsSection() {
  const [query, setQuery] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [list, setList] = useState<AdminProductView[]>([]);
  const [draft, setDraft] = useState<ProductDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState<CsvPreviewView | null>(null);
  const [imported, setImported] = useState<CsvImportView | null>(null);

  const reload = useCallback(() => {
    api.call('products.list', { query, includeInactive }).then(setList, (e) => setError(errorMessage(e)));
  }, [query, includeInactive]);
  useEffect(() => reload(), [reload]);

  async function run(fn: () => Promise<void>) {
    setError(null);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      setError(issuesText(e));
    }
  }

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    // Price and stock as typed ("12,50", "1.234,50") → the contract's decimal strings, by the shared reader.
    const price = readMoney(draft.price);
    const stock = readQuantity(draft.stock, { stock: true });
    if (price.value === null || stock.value === null) {
      setNotice(null);
      setError(price.value === null ? `Precio: ${price.error}` : `Stock: ${stock.error}`);
      return;
    }
    const { value: priceValue } = price;
    const { value: stockValue } = stock;
    void run(async () => {
      const p = await api.call('products.save', { ...draft, price: priceValue, stock: stockValue, barcode: draft.barcode.trim() || null });
      setDraft(null);
      setNotice(`Producto ${p.sku} guardado.`);
      reload();
    });
  };

  const exportCsv = () =>
    run(async () => {
      const { csv: text } = await api.call('products.csvExport', {});
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'productos.csv';
      a.click();
      URL.revokeObjectURL(url);
    });

  return (
    <div className="admin-products">
      <div className="panel-head">
        <input className="search" placeholder="Buscar por código, código de barras o nombre" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="product-search" />
        <label>
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> Ver inactivos
        </label>
        <button className="btn" onClick={() => setDraft({ ...NEW_PRODUCT })} data-testid="product-new">
          Nuevo producto
        </button>
        <button className="btn" onClick={() => void exportCsv()} data-testid="csv-export">
          Exportar CSV
        </button>
      </div>
      {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
      {notice && <p className="notice" data-testid="admin-notice">{notice}</p>}
      {draft && (
        <form className="admin-form inline" onSubmit={save} noValidate>
          <h2>{draft.id ? 'Editar producto' : 'Nuevo producto'}</h2>
          {(
            [
              ['sku', 'Código (SKU)'], ['barcode', 'Código de barras'], ['name', 'Nombre'], ['price', 'Precio (con IGV)'],
              ['taxAffectation', 'Afectación IGV (10, 20, 30…)'], ['unitCode', 'Unidad (NIU, KGM…)'], ['stock', 'Stock'],
            ] as [keyof ProductDraft, string][]
          ).map(([k, label]) => (
            <label className="field" key={k}>
              <span>{label}</span>
              <input value={String(draft[k] ?? '')} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} data-testid={`product-${k}`} />
            </label>
          ))}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              Cancelar
            </button>
            <button type="submit" className="btn primary" data-testid="product-save">
              Guardar producto
            </button>
          </div>
        </form>
      )}
      <table className="list-table" data-testid="product-list">
        <thead>
          <tr><th>Código</th><th>Código de barras</th><th>Nombre</th><th className="num">Precio</th><th className="num">Stock</th><th>Estado</th><th /></tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.id} className={p.active ? '' : 'voided'} data-testid="product-row">
              <td className="mono">{p.sku}</td><td className="mono">{p.barcode ?? ''}</td><td>{p.name}</td>
              <td className="num">{p.price}</td><td className="num">{p.stock}</td><td>{p.active ? 'Activo' : 'Inactivo'}</td>
              <td>
                <button className="btn small" onClick={() => setDraft({ id: p.id, sku: p.sku, barcode: p.barcode ?? '', name: p.name, price: p.price, taxAffectation: p.taxAffectation, unitCode: p.unitCode, stock: p.stock })}>
                  Editar
                </button>{' '}
                <button className="btn small" onClick={() => void run(async () => { await api.call('products.setActive', { id: p.id, active: !p.active }); reload(); })}>
                  {p.active ? 'Desactivar' : 'Activar'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Importar productos (CSV)</h2>
      <p className="muted">Columnas: sku, barcode, name, price, tax_affectation, unit_code, stock, active. Pegue el contenido o elija un archivo.</p>
      <input type="file" accept=".csv,text/csv" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((t) => { setCsv(t); setPreview(null); }); }} />
      <textarea className="csv-text" rows={6} value={csv} onChange={(e) => { setCsv(e.target.value); setPreview(null); setImported(null); }} data-testid="csv-text" />
      <div className="dialog-actions">
        <button className="btn" disabled={!csv.trim()} data-testid="csv-preview" onClick={() => void run(async () => { setImported(null); setPreview(await api.call('products.csvPreview', { text: csv })); })}>
          Vista previa
        </button>
        <button className="btn primary" disabled={!preview || !!preview.fileError || preview.rows.length === 0} data-testid="csv-import"
          onClick={() => void run(async () => { const r = await api.call('products.csvImport', { text: csv }); setImported(r); setPreview(null); reload(); })}>
          Importar
        </button>
      </div>
      {imported && (
        <p className="notice" data-testid="csv-result">
          Importación terminada: {imported.created} creados, {imported.updated} actualizados, {imported.errors.length} filas omitidas.
        </p>
      )}
      {preview?.fileError && <p className="alert" role="alert" data-testid="csv-file-error">{preview.fileError}</p>}
      {preview && !preview.fileError && (
        <table className="list-table" data-testid="csv-preview-table">
          <thead><tr><th>Línea</th><th>Acción</th><th>Código</th><th>Nombre</th><th className="num">Precio</th><th>Problema</th></tr></thead>
          <tbody>
            {[
              ...preview.rows.map((r) => ({ line: r.line, el: (
                <tr key={`r${r.line}`} data-testid="csv-row"><td>{r.line}</td><td>{r.action === 'create' ? 'Crear' : 'Actualizar'}</td><td className="mono">{r.product.sku}</td><td>{r.product.name}</td><td className="num">{r.product.price}</td><td /></tr>
              ) })),
              ...preview.errors.map((er, i) => ({ line: er.line, el: (
                <tr key={`e${er.line}-${i}`} className="bad-row" data-testid="csv-row-error" data-line={er.line}>
                  <td>{er.line}</td><td>Se omite</td>
                  <td className="mono" data-testid="csv-error-product">{er.sku || (er.barcode ? `Cód. barras ${er.barcode}` : '(sin código)')}</td>
                  <td colSpan={2} data-testid="csv-error-column">{er.column ? `Columna «${CSV_COLUMN_LABELS[er.column] ?? er.column}»` : 'Toda la fila'}</td>
                  <td className="bad-text">{er.message}</td>
                </tr>
              ) })),
            ].sort((a, b) => a.line - b.line).map((x) => x.el)}
          </tbody>
        </table>
      )}
    </div>
  );
}

// ---- Usuarios ----

function UsersSection({ me }: { me: UserView }) {
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
                <select value={u.role} onChange={(e) => void run(async () => { await api.call('users.setRole', { id: u.id, role: e.target.value as Role }); return `Rol de ${u.username} cambiado.`; })}>
                  {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                </select>
              </td>
              <td>{u.active ? 'Activo' : 'Inactivo'}</td>
              <td>
                <button className="btn small" onClick={() => {
                  const pin = window.prompt(`Nuevo PIN para ${u.username} (4 a 8 dígitos):`);
                  if (pin !== null) void run(async () => { await api.call('users.resetPin', { id: u.id, pin }); return `PIN de ${u.username} cambiado.`; });
                }}>
                  Cambiar PIN
                </button>{' '}
                <button className="btn small" data-testid={`user-active-${u.username}`} onClick={() => void run(async () => { await api.call('users.setActive', { id: u.id, active: !u.active }); })}>
                  {u.active ? 'Desactivar' : 'Activar'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="admin-form inline" noValidate onSubmit={(e) => { e.preventDefault(); void run(async () => { const u = await api.call('users.create', form); setForm({ username: '', name: '', role: 'cashier', pin: '' }); return `Usuario ${u.username} creado.`; }); }}>
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
      </form>
    </div>
  );
}

// ---- Copia de seguridad ----

function BackupSection() {
  const [file, setFile] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function backup() {
    setBusy(true);
    setError(null);
    try {
      setFile((await api.call('db.backupNow', {})).file);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="admin-backup">
      <p>La copia diaria se hace sola. Puede hacer una ahora, por ejemplo antes de un cambio grande.</p>
      <button className="btn primary" onClick={() => void backup()} disabled={busy} data-testid="backup-now">
        {busy ? 'Copiando…' : 'Copiar ahora'}
      </button>
      {file && <p className="notice" data-testid="backup-file">Copia guardada en <span className="mono">{file}</span></p>}
      {error && <p className="alert" role="alert">{error}</p>}
      <RestorePanel key={file ?? ''} />
    </div>
  );
}
