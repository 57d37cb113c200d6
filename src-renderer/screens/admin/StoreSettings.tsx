// Administración → Tienda y SUNAT: the company, the terminal and its series, the SUNAT sending mode and SOL user, the
// printer, the opening float that asks for confirmation, the drawer mode (shared or one per cashier), the idle minutes
// before the POS locks and how many reprints a cashier may make of one document. Leaving demo mode asks first. Once the
// till is enrolled in a hub, the company, the series and the store's rules are the hub's: shown read-only, with the
// sentence that says so; the SUNAT mode, the SOL user and the printer stay this PC's own.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminSettingsView, CashDrawerMode, SunatModeName } from '../../../src-shared/contract';
import { readMoney } from '../../../src-shared/number-input';
import { api, errorMessage } from '../../api';
import { SUNAT_MODE_LABELS } from '../SetupScreen';
import { HubOwnedNotice, issuesText, splitErrors } from './parts';

export function SettingsSection({ hubUrl, onChanged }: { hubUrl: string | null; onChanged: () => void }) {
  const hubOwned = hubUrl !== null;
  const [view, setView] = useState<AdminSettingsView | null>(null);
  const [store, setStore] = useState<AdminSettingsView['store'] | null>(null);
  const [terminalId, setTerminalId] = useState('');
  const [series, setSeries] = useState({ boleta: '', factura: '' });
  const [mode, setMode] = useState<SunatModeName>('demo');
  const [customUrl, setCustomUrl] = useState('');
  const [solUser, setSolUser] = useState('');
  const [solPassword, setSolPassword] = useState('');
  const [printer, setPrinter] = useState({ name: '', paperWidth: 80 as 80 | 58 });
  const [maxReprints, setMaxReprints] = useState('');
  const [floatLimit, setFloatLimit] = useState('');
  const [floatLimitError, setFloatLimitError] = useState<string | null>(null);
  const [lockMinutes, setLockMinutes] = useState('');
  const [lockMinutesError, setLockMinutesError] = useState<string | null>(null);
  const [drawerMode, setDrawerMode] = useState<CashDrawerMode>('shared');
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
    setMaxReprints(String(v.maxReprints));
    setFloatLimit(v.openingFloatConfirmAbove);
    setLockMinutes(String(v.autoLockMinutes));
    setDrawerMode(v.cashDrawerMode);
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
    setLockMinutesError(null);
    // As typed: the main process says what is wrong with it ("1,5", "-2", blank) next to the field.
    const minutes = lockMinutes.trim() === '' ? Number.NaN : Number(lockMinutes.trim().replace(',', '.'));
    setSaved(false);
    try {
      const v = await api.call('settings.update', {
        terminalId,
        // The hub's (once enrolled) are not sent: a value the hub changed meanwhile must not come back as an edit.
        ...(hubOwned ? {} : {
          store,
          series: { ...(series.boleta ? { boleta: series.boleta } : {}), ...(series.factura ? { factura: series.factura } : {}) },
        }),
        sunat: {
          mode, ...(mode === 'custom' || customUrl !== view.sunat.customUrl ? { customUrl } : {}),
          ...(solUser !== view.sunat.solUser ? { solUser } : {}), ...(solPassword ? { solPassword } : {}),
        },
        // The thermal printer is Administración → Impresora's: never saved back from an older copy read here.
        printer: { name: printer.name, paperWidth: printer.paperWidth },
        ...(limit.value !== view.openingFloatConfirmAbove ? { openingFloatConfirmAbove: limit.value } : {}),
        ...(minutes !== view.autoLockMinutes ? { autoLockMinutes: minutes } : {}),
        ...(drawerMode !== view.cashDrawerMode ? { cashDrawerMode: drawerMode } : {}),
        // Sent as typed when changed: the main process refuses anything but a whole number from 0 to 20, saying so.
        ...(maxReprints.trim() !== String(view.maxReprints) ? { maxReprints: maxReprints.trim() === '' ? NaN : Number(maxReprints.trim()) } : {}),
      });
      load(v);
      setSaved(true);
      onChanged();
    } catch (err) {
      const r = splitErrors(err, (p) => (p === 'autoLockMinutes' ? p : null));
      setLockMinutesError(r.fields.autoLockMinutes ?? null);
      setError(r.other ?? (r.fields.autoLockMinutes ? 'Revise los datos marcados.' : issuesText(err)));
    } finally {
      setBusy(false);
    }
  }

  if (!view || !store) return error ? <p className="alert" role="alert">{error}</p> : <p className="muted">Cargando…</p>;
  const text = (label: string, value: string, set: (v: string) => void, testId?: string, type = 'text', readOnly = false) => (
    <label className="field">
      <span>{label}</span>
      <input type={type} value={value} onChange={(e) => set(e.target.value)} readOnly={readOnly} data-testid={testId} />
    </label>
  );
  const owned = (label: string, value: string, set: (v: string) => void, testId?: string) => text(label, value, set, testId, 'text', hubOwned);
  return (
    <form className="admin-form" onSubmit={save} noValidate>
      <p className="notice" data-testid="sunat-mode-active">
        Modo SUNAT activo: <strong>{SUNAT_MODE_LABELS[view.sunat.mode]}</strong>
        {view.demoMode ? ' · tienda demo' : ''}
      </p>
      <fieldset>
        <legend>Empresa</legend>
        {hubUrl !== null && <HubOwnedNotice hubUrl={hubUrl} what="store" />}
        {owned('RUC', store.ruc, (v) => setStore({ ...store, ruc: v }), 'settings-ruc')}
        {owned('Razón social', store.legalName, (v) => setStore({ ...store, legalName: v }))}
        {owned('Nombre comercial', store.tradeName, (v) => setStore({ ...store, tradeName: v }))}
        {owned('Dirección fiscal', store.address, (v) => setStore({ ...store, address: v }))}
        {owned('Ubigeo', store.ubigeo, (v) => setStore({ ...store, ubigeo: v }))}
        {owned('Código de establecimiento', store.establishmentCode, (v) => setStore({ ...store, establishmentCode: v }))}
      </fieldset>
      <fieldset>
        <legend>Caja y series</legend>
        {hubUrl !== null && <HubOwnedNotice hubUrl={hubUrl} what="series" />}
        {text('Identificador de la caja', terminalId, setTerminalId)}
        {owned('Serie de boletas', series.boleta, (v) => setSeries({ ...series, boleta: v }))}
        {owned('Serie de facturas', series.factura, (v) => setSeries({ ...series, factura: v }))}
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
        <label className="field">
          <span>Reimpresiones de un comprobante que puede hacer un cajero (luego, un supervisor)</span>
          <input value={maxReprints} onChange={(e) => setMaxReprints(e.target.value)} inputMode="numeric" readOnly={hubOwned} data-testid="settings-max-reprints" />
        </label>
      </fieldset>
      <fieldset>
        <legend>Caja</legend>
        {hubUrl !== null && <HubOwnedNotice hubUrl={hubUrl} what="rules" />}
        <label className="field">
          <span>Pedir confirmación si el fondo inicial supera (S/)</span>
          <input value={floatLimit} onChange={(e) => setFloatLimit(e.target.value)} inputMode="decimal" readOnly={hubOwned}
            aria-invalid={floatLimitError ? 'true' : undefined} data-testid="settings-float-limit" />
          {floatLimitError && <small className="bad-text" role="alert" data-testid="settings-float-limit-error">{floatLimitError}</small>}
        </label>
        <label className="field">
          <span>Bloquear la caja tras estos minutos sin uso (0 = nunca)</span>
          <input value={lockMinutes} onChange={(e) => setLockMinutes(e.target.value)} inputMode="numeric" readOnly={hubOwned}
            aria-invalid={lockMinutesError ? 'true' : undefined} data-testid="settings-lock-minutes" />
          <small className="muted">La venta en curso se conserva; el mismo cajero la retoma con su PIN.</small>
          {lockMinutesError && <small className="bad-text" role="alert" data-testid="settings-lock-minutes-error">{lockMinutesError}</small>}
        </label>
        <label className="field">
          <span>Cajón</span>
          <select value={drawerMode} disabled={hubOwned} onChange={(e) => setDrawerMode(e.target.value === 'perCashier' ? 'perCashier' : 'shared')} data-testid="settings-drawer-mode">
            <option value="shared">Cajón compartido (una caja por terminal)</option>
            <option value="perCashier">Un cajón por cajero (cada cajero abre y cierra su caja)</option>
          </select>
        </label>
        {drawerMode !== view.cashDrawerMode && (
          <p className="notice warn" data-testid="settings-drawer-mode-note">
            Las cajas ya abiertas siguen en uso hasta que se cierren; el nuevo modo vale para las que se abran después.
          </p>
        )}
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
