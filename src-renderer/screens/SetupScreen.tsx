// First run (an empty data directory): one click for the demo store, or the owner's own store — RUC, series, the
// first administrator and the SUNAT mode. Every check is the main process's; its messages appear under each field.
import { useState, type FormEvent } from 'react';
import { ApiError, type CallInput, type SunatModeName } from '../../src-shared/contract';
import { api, errorMessage } from '../api';

type Form = {
  ruc: string; legalName: string; tradeName: string; address: string; ubigeo: string; establishmentCode: string;
  terminalId: string; boletaSeries: string; facturaSeries: string; username: string; name: string; pin: string;
  sunatMode: SunatModeName; sunatCustomUrl: string; solUser: string; solPassword: string;
};
type Field = keyof Form;

const EMPTY: Form = {
  ruc: '', legalName: '', tradeName: '', address: '', ubigeo: '', establishmentCode: '0000', terminalId: 'CAJA-01',
  boletaSeries: 'B001', facturaSeries: 'F001', username: '', name: '', pin: '', sunatMode: 'beta', sunatCustomUrl: '',
  solUser: '', solPassword: '',
};

export const SUNAT_MODE_LABELS: Record<SunatModeName, string> = {
  demo: 'Demo (simulador de SUNAT, nada se envía)',
  beta: 'SUNAT beta (pruebas)',
  production: 'SUNAT producción',
  custom: 'OSE (proveedor autorizado)',
};

/** The main process's issue paths (settings and the own-store input) → this form's fields. */
const PATH_FIELD: Record<string, Field> = {
  'store.ruc': 'ruc', 'store.legalName': 'legalName', 'store.tradeName': 'tradeName', 'store.address': 'address',
  'store.ubigeo': 'ubigeo', 'store.establishmentCode': 'establishmentCode', 'series.boleta': 'boletaSeries',
  'series.factura': 'facturaSeries', 'admin.username': 'username', 'admin.name': 'name', 'admin.pin': 'pin',
  'sunat.mode': 'sunatMode', 'sunat.customUrl': 'sunatCustomUrl', 'sunat.solUser': 'solUser', 'sunat.solPassword': 'solPassword',
};

function fieldOf(path: string): Field | null {
  if (PATH_FIELD[path]) return PATH_FIELD[path];
  if (path in EMPTY) return path as Field;
  return null;
}

export function SetupScreen({ onDone }: { onDone: (notice: string) => void }) {
  const [mode, setMode] = useState<'choose' | 'own'>('choose');
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function demo() {
    setBusy(true);
    setError(null);
    try {
      await api.call('setup.demo', {});
      onDone('Tienda demo lista. Usuarios: admin (PIN 1111), supervisor (2222), cashier (3333).');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setErrors({});
    const needsSol = form.sunatMode === 'production' || form.sunatMode === 'custom';
    const input: CallInput<'setup.own'> = {
      ruc: form.ruc, legalName: form.legalName, tradeName: form.tradeName, address: form.address, ubigeo: form.ubigeo,
      establishmentCode: form.establishmentCode, terminalId: form.terminalId, boletaSeries: form.boletaSeries,
      facturaSeries: form.facturaSeries, admin: { username: form.username, name: form.name, pin: form.pin }, sunatMode: form.sunatMode,
      ...(form.sunatMode === 'custom' ? { sunatCustomUrl: form.sunatCustomUrl } : {}),
      ...(needsSol || form.solUser ? { solUser: form.solUser } : {}),
      ...(needsSol || form.solPassword ? { solPassword: form.solPassword } : {}),
    };
    try {
      const r = await api.call('setup.own', input);
      onDone(`Tienda configurada. Ingrese como ${r.adminUsername} con su PIN.`);
    } catch (err) {
      if (err instanceof ApiError && err.issues?.length) {
        const byField: Partial<Record<Field, string>> = {};
        const other: string[] = [];
        for (const i of err.issues) {
          const f = fieldOf(i.path);
          if (f) byField[f] = byField[f] ? `${byField[f]} ${i.message}` : i.message;
          else other.push(i.message);
        }
        setErrors(byField);
        setError(other.length > 0 ? other.join(' ') : 'Revise los datos marcados.');
      } else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (f: Field, label: string, props: { type?: string; placeholder?: string; inputMode?: 'numeric' } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        data-testid={`setup-${f}`}
        value={form[f]}
        aria-invalid={errors[f] ? 'true' : undefined}
        onChange={(e) => setForm({ ...form, [f]: e.target.value })}
        {...props}
      />
      {errors[f] && (
        <small className="bad-text" data-testid={`setup-error-${f}`}>
          {errors[f]}
        </small>
      )}
    </label>
  );

  if (mode === 'choose') {
    return (
      <div className="center-screen">
        <div className="card">
          <h1 className="brand">
            izi<span>Sales</span>
          </h1>
          <p>Bienvenido. Esta carpeta de datos está vacía: elija cómo empezar.</p>
          {error && (
            <p className="alert" role="alert" data-testid="error-alert">
              {error}
            </p>
          )}
          <button className="btn primary big" data-testid="setup-demo" onClick={demo} disabled={busy} autoFocus>
            Probar la tienda demo
          </button>
          <p className="muted">Productos y usuarios de ejemplo; los comprobantes van al simulador, nada llega a SUNAT.</p>
          <button className="btn big" data-testid="setup-own" onClick={() => setMode('own')} disabled={busy}>
            Configurar mi tienda
          </button>
        </div>
      </div>
    );
  }

  const needsSol = form.sunatMode === 'production' || form.sunatMode === 'custom';
  return (
    <div className="panel setup">
      <form className="setup-form" onSubmit={submit} noValidate>
        <div className="panel-head">
          <h1>Configurar mi tienda</h1>
          <button type="button" className="btn small" onClick={() => setMode('choose')}>
            Volver
          </button>
        </div>
        <fieldset>
          <legend>Empresa (como figura en SUNAT)</legend>
          {input('ruc', 'RUC', { inputMode: 'numeric', placeholder: '20xxxxxxxxx' })}
          {input('legalName', 'Razón social')}
          {input('tradeName', 'Nombre comercial')}
          {input('address', 'Dirección fiscal')}
          {input('ubigeo', 'Ubigeo', { inputMode: 'numeric', placeholder: '150122' })}
          {input('establishmentCode', 'Código de establecimiento', { inputMode: 'numeric' })}
        </fieldset>
        <fieldset>
          <legend>Esta caja</legend>
          {input('terminalId', 'Identificador de la caja')}
          {input('boletaSeries', 'Serie de boletas')}
          {input('facturaSeries', 'Serie de facturas')}
        </fieldset>
        <fieldset>
          <legend>Primer administrador</legend>
          {input('username', 'Usuario')}
          {input('name', 'Nombre')}
          {input('pin', 'PIN (4 a 8 dígitos)', { type: 'password', inputMode: 'numeric' })}
        </fieldset>
        <fieldset>
          <legend>Envío a SUNAT</legend>
          <label className="field">
            <span>Modo</span>
            <select data-testid="setup-sunatMode" value={form.sunatMode} onChange={(e) => setForm({ ...form, sunatMode: e.target.value as SunatModeName })}>
              {(Object.keys(SUNAT_MODE_LABELS) as SunatModeName[]).map((m) => (
                <option key={m} value={m}>
                  {SUNAT_MODE_LABELS[m]}
                </option>
              ))}
            </select>
            {errors.sunatMode && <small className="bad-text">{errors.sunatMode}</small>}
          </label>
          {form.sunatMode === 'custom' && input('sunatCustomUrl', 'Dirección del servicio de la OSE (https)')}
          {(needsSol || form.sunatMode === 'beta') && input('solUser', needsSol ? 'Usuario SOL' : 'Usuario SOL (opcional en beta)')}
          {(needsSol || form.sunatMode === 'beta') && input('solPassword', needsSol ? 'Clave SOL' : 'Clave SOL (opcional en beta)', { type: 'password' })}
        </fieldset>
        {error && (
          <p className="alert" role="alert" data-testid="error-alert">
            {error}
          </p>
        )}
        <button className="btn primary big" type="submit" data-testid="setup-submit" disabled={busy}>
          {busy ? 'Guardando…' : 'Guardar y continuar'}
        </button>
      </form>
    </div>
  );
}
