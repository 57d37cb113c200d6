// Administración, the rest of the store's settings (issue 7): taxes with their start dates, the periodic jobs, how long
// logs, archive and backups are kept, the signing certificate, and the customers. Every change goes through the
// contract; the main process validates it, refuses it to a cashier and audits it — these screens only show.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  ApiError, type AdminCustomerView, type AdminSettingsView, type CallInput, type CertificateView,
} from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { readTaxRate } from '../../src-shared/number-input';
import { IDENTITY_DOC_TYPES } from '../../src-shared/identity';
import { formatDatePe } from '../../src-shared/time';
import { SCHEDULE_LABELS } from '../../src-shared/labels';
import { api, errorMessage } from '../api';
import { formatDateTime } from '../format';

/** Per-field messages from an ApiError's issues (by the last part of the path), and the rest as one text. */
function splitErrors(e: unknown, field: (path: string) => string | null): { fields: Record<string, string>; other: string | null } {
  if (!(e instanceof ApiError) || !e.issues?.length) return { fields: {}, other: errorMessage(e) };
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const i of e.issues) {
    const f = field(i.path);
    if (f) fields[f] = fields[f] ? `${fields[f]} ${i.message}` : i.message;
    else other.push(i.message);
  }
  return { fields, other: other.length > 0 ? other.join(' ') : null };
}

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? <small className="bad-text" data-testid={id}>{text}</small> : null;
}

function Messages({ error, notice }: { error: string | null; notice: ReactNode }) {
  return (
    <>
      {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
      {notice && <p className="notice" data-testid="admin-notice">{notice}</p>}
    </>
  );
}

function useSettings(): [AdminSettingsView | null, (v: AdminSettingsView) => void, string | null] {
  const [view, setView] = useState<AdminSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('settings.get', {}).then(setView, (e) => setError(errorMessage(e)));
  }, []);
  return [view, setView, error];
}

// ---- Impuestos ----

const TAX_LABELS = { igv: 'IGV', icbper: 'ICBPER (bolsas plásticas)' } as const;
type Tax = keyof typeof TAX_LABELS;

/** "18 %" for the IGV fraction, "S/ 0.50 por bolsa" for the ICBPER. */
function rateText(tax: Tax, rate: string): string {
  if (!Dec.isValid(rate)) return rate;
  return tax === 'igv' ? `${Dec.of(rate).times(100).toString()} %` : `S/ ${Dec.of(rate).toFixed(2)} por bolsa`;
}

export function TaxesSection({ onChanged }: { onChanged: () => void }) {
  const [view, setView, loadError] = useSettings();
  const [tax, setTax] = useState<Tax>('igv');
  const [rate, setRate] = useState('');
  const [from, setFrom] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (view && !from) setFrom(view.today);
  }, [view, from]);

  async function change(input: CallInput<'settings.update'>, done: string) {
    setBusy(true);
    setFields({});
    setError(null);
    setNotice(null);
    try {
      setView(await api.call('settings.update', input));
      setNotice(done);
      onChanged();
      return true;
    } catch (e) {
      const r = splitErrors(e, (p) => (/\.rate$/.test(p) ? 'rate' : /\.from$/.test(p) ? 'from' : null));
      setFields(r.fields);
      setError(r.other ?? (Object.keys(r.fields).length > 0 ? 'Revise los datos marcados.' : null));
      return false;
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!view) return;
    const at = from === view.today ? 'desde hoy' : `desde el ${formatDatePe(from)}`;
    const read = readTaxRate(tax, rate);
    if (read.value === null) {
      setFields({ rate: read.error });
      setNotice(null);
      return;
    }
    void change({ [tax === 'igv' ? 'igvRate' : 'icbperRate']: { rate: read.value, from } }, `${TAX_LABELS[tax]}: ${read.value} ${at}.`).then((ok) => {
      if (ok) setRate('');
    });
  }

  if (!view) return loadError ? <p className="alert" role="alert">{loadError}</p> : <p className="muted">Cargando…</p>;
  const changes = [...view.taxRateChanges].sort((a, b) => a.from.localeCompare(b.from));
  return (
    <div className="admin-section">
      <div className="rate-cards">
        <p className="rate-card" data-testid="tax-current-igv">
          <span>IGV vigente hoy</span>
          <strong>{rateText('igv', view.ratesToday.igv)}</strong>
        </p>
        <p className="rate-card" data-testid="tax-current-icbper">
          <span>ICBPER vigente hoy</span>
          <strong>{rateText('icbper', view.ratesToday.icbper)}</strong>
        </p>
      </div>
      <h2>Cambios de tasa</h2>
      <p className="muted">
        Una venta usa la tasa vigente el día en que se registra; las ventas anteriores conservan la suya. Tasa base (antes del primer
        cambio): IGV {rateText('igv', view.igvRate)}, ICBPER {rateText('icbper', view.icbperRate)}.
      </p>
      {changes.length === 0 ? (
        <p className="muted" data-testid="tax-no-changes">No hay cambios registrados.</p>
      ) : (
        <table className="list-table" data-testid="tax-changes">
          <thead><tr><th>Impuesto</th><th>Tasa</th><th>Desde</th><th>Estado</th><th /></tr></thead>
          <tbody>
            {changes.map((c) => {
              const future = c.from > view.today;
              return (
                <tr key={`${c.tax}-${c.from}`} data-testid="tax-change-row" data-tax={c.tax} data-from={c.from}>
                  <td>{TAX_LABELS[c.tax]}</td>
                  <td className="mono">{c.rate} ({rateText(c.tax, c.rate)})</td>
                  <td>{formatDatePe(c.from)}</td>
                  <td>{future ? 'Programado' : 'En vigor (historial)'}</td>
                  <td>
                    {future && (
                      <button className="btn small" disabled={busy} data-testid={`tax-cancel-${c.tax}-${c.from}`}
                        onClick={() => void change({ cancelTaxRateChange: { tax: c.tax, from: c.from } }, `Cambio del ${formatDatePe(c.from)} anulado.`)}>
                        Anular
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form className="admin-form inline" onSubmit={submit} noValidate>
        <h2>Registrar un cambio</h2>
        <fieldset>
          <label className="field">
            <span>Impuesto</span>
            <select value={tax} onChange={(e) => setTax(e.target.value as Tax)} data-testid="tax-kind">
              <option value="igv">IGV</option>
              <option value="icbper">ICBPER (bolsas)</option>
            </select>
          </label>
          <label className="field">
            <span>{tax === 'igv' ? 'Nueva tasa (fracción: 0.18 = 18 %)' : 'Soles por bolsa (p. ej. 0.50)'}</span>
            <input value={rate} onChange={(e) => setRate(e.target.value)} inputMode="decimal" aria-invalid={fields.rate ? 'true' : undefined} data-testid="tax-rate" />
            <FieldError id="tax-error-rate" text={fields.rate} />
          </label>
          <label className="field">
            <span>Desde (hoy = de inmediato)</span>
            <input type="date" value={from} min={view.today} onChange={(e) => setFrom(e.target.value)} aria-invalid={fields.from ? 'true' : undefined} data-testid="tax-from" />
            {/^\d{4}-\d{2}-\d{2}$/.test(from) && <small className="muted">{from === view.today ? 'Hoy' : 'El'} {formatDatePe(from)}</small>}
            <FieldError id="tax-error-from" text={fields.from} />
          </label>
        </fieldset>
        <Messages error={error} notice={notice} />
        <button className="btn primary" type="submit" disabled={busy || !rate.trim()} data-testid="tax-submit">
          Registrar cambio
        </button>
      </form>
    </div>
  );
}

// ---- Tareas programadas ----

const JOB_LABELS = SCHEDULE_LABELS;

export function ScheduleSection() {
  const [view, setView, loadError] = useSettings();
  const [drafts, setDrafts] = useState<Record<string, { cron: string; enabled: boolean }>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (view) setDrafts(Object.fromEntries(Object.entries(view.schedule).map(([n, e]) => [n, { cron: e.cron, enabled: e.enabled }])));
  }, [view]);

  async function save(name: string) {
    const d = drafts[name];
    setRowErrors({});
    setError(null);
    setNotice(null);
    try {
      setView(await api.call('settings.update', { schedule: { [name]: { cron: d.cron.trim(), enabled: d.enabled } } }));
      setNotice(`${JOB_LABELS[name]?.title ?? name}: horario guardado.`);
    } catch (e) {
      const r = splitErrors(e, (p) => (p.startsWith('schedule.') ? p.slice('schedule.'.length) : null));
      setRowErrors(r.fields);
      setError(r.other);
    }
  }

  if (!view) return loadError ? <p className="alert" role="alert">{loadError}</p> : <p className="muted">Cargando…</p>;
  return (
    <div className="admin-section">
      <p className="muted">
        Horarios en hora de Lima, como expresión cron de 5 campos: minuto, hora, día del mes, mes y día de la semana (0 = domingo).
        Ejemplos: <code>0 23 * * *</code> todos los días a las 23:00; <code>*/30 * * * *</code> cada 30 minutos; <code>0 2 * * 0</code> los
        domingos a las 02:00. Si el equipo estuvo apagado, la tarea pendiente se hace al encenderlo.
      </p>
      <Messages error={error} notice={notice} />
      <table className="list-table" data-testid="schedule-list">
        <thead><tr><th>Tarea</th><th>Horario (cron)</th><th>Activa</th><th>Próxima ejecución</th><th>Última</th><th /></tr></thead>
        <tbody>
          {Object.entries(view.schedule).map(([name, e]) => {
            const d = drafts[name] ?? { cron: e.cron, enabled: e.enabled };
            const label = JOB_LABELS[name];
            return (
              <tr key={name} data-testid={`schedule-row-${name}`}>
                <td>
                  <strong>{label?.title ?? name}</strong>
                  {label && <div className="muted small-text">{label.help}</div>}
                </td>
                <td>
                  <input className="cron-input mono" value={d.cron} aria-label={`Horario de ${label?.title ?? name}`} aria-invalid={rowErrors[name] ? 'true' : undefined}
                    onChange={(ev) => setDrafts({ ...drafts, [name]: { ...d, cron: ev.target.value } })} data-testid={`schedule-cron-${name}`} />
                  <FieldError id={`schedule-error-${name}`} text={rowErrors[name]} />
                </td>
                <td>
                  <input type="checkbox" checked={d.enabled} aria-label={`${label?.title ?? name} activa`}
                    onChange={(ev) => setDrafts({ ...drafts, [name]: { ...d, enabled: ev.target.checked } })} data-testid={`schedule-enabled-${name}`} />
                </td>
                <td data-testid={`schedule-next-${name}`}>{e.nextRun ? `${formatDateTime(e.nextRun)} (Lima)` : e.enabled ? 'Nunca' : 'Desactivada'}</td>
                <td className="muted">{e.lastRun ? formatDateTime(e.lastRun) : '—'}</td>
                <td>
                  <button className="btn small" onClick={() => void save(name)} disabled={d.cron.trim() === e.cron && d.enabled === e.enabled} data-testid={`schedule-save-${name}`}>
                    Guardar
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// ---- Conservación ----

const RETENTION = [
  { key: 'logRetentionDays', label: 'Registros (logs): días que se guardan', help: 'El nuevo plazo se aplica desde el próximo inicio de iziSales.' },
  { key: 'archiveMonths', label: 'Archivo: meses antes de pasar los CDR al archivo mensual', help: 'Los comprobantes siguen imprimibles después de archivados.' },
  { key: 'backupRetentionDays', label: 'Copias de seguridad: días que se guardan', help: 'Las copias diarias más antiguas se borran.' },
] as const;
type RetentionKey = (typeof RETENTION)[number]['key'];

export function RetentionSection() {
  const [view, setView, loadError] = useSettings();
  const [form, setForm] = useState<Record<RetentionKey, string>>({ logRetentionDays: '', archiveMonths: '', backupRetentionDays: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (view) setForm({ logRetentionDays: String(view.logRetentionDays), archiveMonths: String(view.archiveMonths), backupRetentionDays: String(view.backupRetentionDays) });
  }, [view]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setFields({});
    setError(null);
    setNotice(null);
    // A blank or non-number goes as such: the main process answers why, next to the field.
    const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v.trim()));
    try {
      setView(await api.call('settings.update', {
        logRetentionDays: num(form.logRetentionDays), archiveMonths: num(form.archiveMonths), backupRetentionDays: num(form.backupRetentionDays),
      }));
      setNotice('Plazos de conservación guardados.');
    } catch (err) {
      const r = splitErrors(err, (p) => (RETENTION.some((x) => x.key === p) ? p : null));
      setFields(r.fields);
      setError(r.other ?? 'Revise los datos marcados.');
    }
  }

  if (!view) return loadError ? <p className="alert" role="alert">{loadError}</p> : <p className="muted">Cargando…</p>;
  return (
    <form className="admin-form" onSubmit={save} noValidate>
      <fieldset>
        <legend>Conservación</legend>
        {RETENTION.map((r) => (
          <label className="field" key={r.key}>
            <span>{r.label}</span>
            <input inputMode="numeric" value={form[r.key]} aria-invalid={fields[r.key] ? 'true' : undefined}
              onChange={(e) => setForm({ ...form, [r.key]: e.target.value })} data-testid={`retention-${r.key}`} />
            <small className="muted">{r.help}</small>
            <FieldError id={`retention-error-${r.key}`} text={fields[r.key]} />
          </label>
        ))}
      </fieldset>
      <Messages error={error} notice={notice} />
      <button className="btn primary" type="submit" data-testid="retention-save">Guardar plazos</button>
    </form>
  );
}

// ---- Certificado ----

/** The file's bytes in base64, in chunks (a spread of the whole file could overflow the call stack). */
async function fileBase64(f: File): Promise<string> {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function CertificateFacts({ c }: { c: CertificateView }) {
  return (
    <dl className="facts" data-testid="cert-current">
      <dt>Titular</dt><dd data-testid="cert-subject">{c.subject}</dd>
      <dt>RUC</dt><dd data-testid="cert-ruc">{c.ruc ?? 'no indicado'}</dd>
      <dt>Emitido por</dt><dd>{c.selfSigned ? 'autofirmado (prueba)' : c.issuer}</dd>
      <dt>Válido</dt>
      <dd data-testid="cert-valid-to">
        del {c.validFrom} al {c.validTo} {c.expired ? '(vencido)' : `(${c.daysLeft} días restantes)`}
      </dd>
      <dt>N.º de serie</dt><dd className="mono">{c.serialNumber}</dd>
    </dl>
  );
}

export function CertificateSection({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState<{ certificate: CertificateView | null; warning: string | null } | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<CertificateView | null>(null);
  const [busy, setBusy] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  // Shown once the server refused a certificate of another RUC: importing it anyway needs this explicit consent.
  const [rucChange, setRucChange] = useState<{ asked: boolean; confirmed: boolean }>({ asked: false, confirmed: false });

  const reload = useCallback(() => {
    api.call('cert.show', {}).then(setCurrent, (e) => setError(errorMessage(e)));
  }, []);
  useEffect(() => reload(), [reload]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFields({});
    setError(null);
    setImported(null);
    if (!file) {
      setFields({ file: 'Elija el archivo .pfx o .p12 del certificado.' });
      return;
    }
    setBusy(true);
    try {
      const view = await api.call('cert.import', {
        pfxBase64: await fileBase64(file), password, ...(rucChange.confirmed ? { confirmRucChange: true } : {}),
      });
      setImported(view);
      setPassword('');
      setFile(null);
      setInputKey((k) => k + 1);
      setRucChange({ asked: false, confirmed: false });
      reload();
      onChanged();
    } catch (err) {
      const r = splitErrors(err, (p) => (p === 'password' ? 'password' : p === 'file' || p === 'pfxBase64' ? 'file' : p === 'confirmRucChange' ? 'rucChange' : null));
      if (r.fields.rucChange) setRucChange({ asked: true, confirmed: false });
      setFields(r.fields);
      setError(r.other);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="admin-section">
      <h2>Certificado digital actual</h2>
      {current?.warning && <p className="notice warn" role="alert" data-testid="cert-warning">{current.warning}</p>}
      {current?.certificate ? (
        <>
          <CertificateFacts c={current.certificate} />
          {current.certificate.warnings.map((w) => <p key={w} className="notice warn">{w}</p>)}
        </>
      ) : (
        current && (
          <p className="muted" data-testid="cert-none">
            No hay certificado guardado.{current.warning ? '' : ' En modo demo se crea uno de prueba al firmar la primera venta.'}
          </p>
        )
      )}
      <form className="admin-form inline" onSubmit={submit} noValidate>
        <h2>Importar certificado (.pfx / .p12)</h2>
        <p className="muted">
          Se comprueba que tenga la clave privada y esté vigente; se guarda cifrado en este equipo. La contraseña no se muestra ni se
          registra nunca.
        </p>
        <label className="field">
          <span>Archivo del certificado</span>
          <input key={inputKey} type="file" accept=".pfx,.p12,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            aria-invalid={fields.file ? 'true' : undefined} data-testid="cert-file" />
          <FieldError id="cert-error-file" text={fields.file} />
        </label>
        <label className="field">
          <span>Contraseña del certificado</span>
          <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fields.password ? 'true' : undefined} data-testid="cert-password" />
          <FieldError id="cert-error-password" text={fields.password} />
        </label>
        {fields.rucChange && <p className="alert" role="alert" data-testid="cert-ruc-refused">{fields.rucChange}</p>}
        {rucChange.asked && (
          <label className="field check">
            <input type="checkbox" checked={rucChange.confirmed} onChange={(e) => setRucChange({ asked: true, confirmed: e.target.checked })}
              data-testid="cert-confirm-ruc-change" />
            <span>Confirmo que el RUC de la tienda cambia: usar este certificado de otro RUC</span>
          </label>
        )}
        {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
        {imported && (
          <div className="notice" data-testid="cert-imported">
            Certificado importado: {imported.subject}, válido hasta el {imported.validTo}.
            {imported.warnings.map((w) => <p key={w} className="bad-text" data-testid="cert-import-warning">{w}</p>)}
          </div>
        )}
        <button className="btn primary" type="submit" disabled={busy} data-testid="cert-import">
          {busy ? 'Importando…' : 'Importar certificado'}
        </button>
      </form>
    </div>
  );
}

// ---- Clientes ----

const DOC_TYPES = Object.entries(IDENTITY_DOC_TYPES).filter(([k]) => k !== '-') as [keyof typeof IDENTITY_DOC_TYPES, string][];
type CustomerDraft = { id: number; docType: string; docNumber: string; name: string; address: string };

export function CustomersSection() {
  const [query, setQuery] = useState('');
  const [list, setList] = useState<AdminCustomerView[]>([]);
  const [draft, setDraft] = useState<CustomerDraft | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = useCallback(() => {
    api.call('customers.list', { query }).then(setList, (e) => setError(errorMessage(e)));
  }, [query]);
  useEffect(() => reload(), [reload]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setFields({});
    setError(null);
    setNotice(null);
    try {
      const c = await api.call('customers.update', {
        id: draft.id, docType: draft.docType as CallInput<'customers.update'>['docType'], docNumber: draft.docNumber, name: draft.name, address: draft.address.trim() || null,
      });
      setDraft(null);
      setNotice(`Cliente ${c.name} guardado.`);
      reload();
    } catch (err) {
      const r = splitErrors(err, (p) => (['docType', 'docNumber', 'name', 'address'].includes(p) ? p : null));
      setFields(r.fields);
      setError(r.other);
    }
  }

  const input = (k: 'docNumber' | 'name' | 'address', label: string) => draft && (
    <label className="field">
      <span>{label}</span>
      <input value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} aria-invalid={fields[k] ? 'true' : undefined} data-testid={`customer-${k}`} />
      <FieldError id={`customer-error-${k}`} text={fields[k]} />
    </label>
  );

  return (
    <div className="admin-section">
      <div className="panel-head">
        <input className="search" placeholder="Buscar por nombre o número de documento" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="customer-search" />
      </div>
      <Messages error={draft ? null : error} notice={notice} />
      {draft && (
        <form className="admin-form inline" onSubmit={save} noValidate>
          <h2>Editar cliente</h2>
          <fieldset>
            <label className="field">
              <span>Tipo de documento</span>
              <select value={draft.docType} onChange={(e) => setDraft({ ...draft, docType: e.target.value })} data-testid="customer-docType">
                {DOC_TYPES.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
              </select>
              <FieldError id="customer-error-docType" text={fields.docType} />
            </label>
            {input('docNumber', 'Número de documento')}
            {input('name', 'Nombre o razón social')}
            {input('address', 'Dirección')}
          </fieldset>
          {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => { setDraft(null); setFields({}); setError(null); }}>Cancelar</button>
            <button type="submit" className="btn primary" data-testid="customer-save">Guardar cliente</button>
          </div>
        </form>
      )}
      <table className="list-table" data-testid="customer-list">
        <thead><tr><th>Documento</th><th>Número</th><th>Nombre</th><th>Dirección</th><th /></tr></thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id} data-testid="customer-row">
              <td>{IDENTITY_DOC_TYPES[c.docType as keyof typeof IDENTITY_DOC_TYPES] ?? c.docType}</td>
              <td className="mono">{c.docNumber}</td>
              <td>{c.name}</td>
              <td>{c.address ?? ''}</td>
              <td>
                <button className="btn small" data-testid={`customer-edit-${c.docNumber}`}
                  onClick={() => { setFields({}); setError(null); setDraft({ id: c.id, docType: c.docType, docNumber: c.docNumber, name: c.name, address: c.address ?? '' }); }}>
                  Editar
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && <p className="muted">No se encontraron clientes.</p>}
    </div>
  );
}
