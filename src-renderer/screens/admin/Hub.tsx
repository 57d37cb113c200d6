// Administración → Central: this till's enrolment in the head-office hub (issue 16). Not enrolled: the hub's address
// and the one-time code the hub showed (Enter joins). Enrolled: where, as which till, the series the hub gave, what is
// still to upload and the last contact. The main process refuses with the reason (unreachable hub, bad or used code,
// another RUC) and changes nothing then.
import { useEffect, useState, type FormEvent } from 'react';
import type { HubStatusView } from '../../../src-shared/contract';
import { SERIES_KEY_LABELS } from '../../../src-shared/labels';
import { api, errorMessage } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';

/** The later of two ISO times (either may be missing). */
const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

export function HubSection({ onChanged }: { onChanged: () => void }) {
  const [status, setStatus] = useState<HubStatusView | null>(null);
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The status is read again every 5 s: its failure is its own message, so a refused join's stays until the next try.
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What the join brought to the hub and took from it (users who now log in with the hub's PIN): shown once, after it.
  const [joined, setJoined] = useState<string[] | null>(null);

  useEffect(() => {
    const load = () => api.call('admin.hubStatus', {}).then((v) => {
      setStatus(v);
      setLoadError(null);
    }, (e) => setLoadError(errorMessage(e)));
    void load();
    const t = setInterval(() => void load(), 5_000);
    return () => clearInterval(t);
  }, []);

  async function join(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const r = await api.call('admin.hubJoin', { url, code });
      setStatus(r);
      setJoined(r.notices);
      setCode('');
      onChanged(); // the status bar's hub: Productos, Usuarios, Impuestos turn read-only
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (!status) return loadError ? <ErrorAlert message={loadError} /> : <p className="muted">Cargando…</p>;
  if (status.enrolled) {
    return (
      <div className="admin-hub" data-testid="hub-status">
        {joined && (
          <div className="notice" data-testid="admin-notice">
            <p>Caja inscrita. Sus ventas se suben a la central cuando hay conexión.</p>
            {joined.map((line) => <p key={line} data-testid="hub-join-notice">{line}</p>)}
          </div>
        )}
        <dl className="facts">
          <dt>Central</dt><dd className="mono" data-testid="hub-url">{status.url}</dd>
          <dt>Esta caja</dt><dd data-testid="hub-terminal">{status.terminalName}</dd>
          <dt>Tienda</dt><dd data-testid="hub-store">{status.store ? `${status.store.name} — RUC ${status.store.ruc}, establecimiento ${status.store.establishment}` : '—'}</dd>
          <dt>Series</dt>
          <dd data-testid="hub-series">
            {status.series.length === 0 ? '—' : status.series.map((x, i) => (
              <span key={x.documentType} data-testid={`hub-series-${x.documentType}`}>
                {i > 0 ? ' · ' : ''}<span className="mono">{x.series}</span> {SERIES_KEY_LABELS[x.documentType] ?? x.documentType}
              </span>
            ))}
          </dd>
          <dt>Último contacto</dt>
          <dd data-testid="hub-last-contact">{later(status.lastPushAt, status.lastPullAt) ? formatDateTime(later(status.lastPushAt, status.lastPullAt)!) : 'Todavía no'}</dd>
          <dt>Por subir</dt><dd data-testid="hub-backlog">{status.backlog === 0 ? 'Nada pendiente' : `${status.backlog} cambios`}</dd>
          <dt>Última subida</dt><dd data-testid="hub-last-push">{status.lastPushAt ? formatDateTime(status.lastPushAt) : 'Todavía no'}</dd>
          <dt>Última recepción</dt><dd>{status.lastPullAt ? formatDateTime(status.lastPullAt) : 'Todavía no'}</dd>
        </dl>
        {status.lastError && <p className="alert" role="alert" data-testid="hub-last-error">Último problema: {status.lastError}</p>}
        <ErrorAlert message={error ?? loadError} />
      </div>
    );
  }
  return (
    <form className="admin-form" onSubmit={join} noValidate>
      <fieldset>
        <legend>Inscribir esta caja en la central</legend>
        <p className="muted">
          En la central, cree la caja y copie el código de inscripción (sirve una sola vez y vence en 7 días). Las ventas que esta caja ya
          hizo se suben a la central; sus series pueden cambiar a las que asigne la central.
        </p>
        <label className="field">
          <span>Dirección de la central</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://192.168.1.10:8443" autoFocus data-testid="hub-url-input" />
        </label>
        <label className="field">
          <span>Código de inscripción</span>
          <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" data-testid="hub-code-input" />
        </label>
      </fieldset>
      <ErrorAlert message={error ?? loadError} />
      <button className="btn primary" type="submit" disabled={busy} data-testid="hub-join">{busy ? 'Inscribiendo…' : 'Inscribir caja'}</button>
    </form>
  );
}
