// Administración → Conservación: how long logs, archive and backups are kept.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { FieldError, Messages, splitErrors, useSettings } from './parts';

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
