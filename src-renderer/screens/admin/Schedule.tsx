// Administración → Tareas programadas: when each periodic job runs (cron in Lima time), and whether it runs at all.
import { useEffect, useState } from 'react';
import { SCHEDULE_LABELS } from '../../../src-shared/labels';
import { api } from '../../api';
import { formatDateTime } from '../../format';
import { FieldError, Messages, splitErrors, useSettings } from './parts';

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
