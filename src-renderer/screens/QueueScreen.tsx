// F11: the job queue (what Flower showed) for admins and supervisors — counts, SUNAT pause, what runs now, the next
// periodic runs, failures with SUNAT's words, every job with its attempts, retry and cancel. Keyboard: ←/→ filter,
// ↑/↓ job, R retry, C cancel, Esc back to the sale.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobStateName, QueueJob, QueueJobDetail, QueueStats } from '../../src-shared/contract';
import { JOB_STATES } from '../../src-shared/contract';
import { api, errorMessage } from '../api';
import { formatDateTime } from '../format';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { jobKindTitle } from '../../src-shared/labels';

const POLL_MS = 2000;

export const JOB_STATE_LABELS: Record<JobStateName, string> = {
  queued: 'En cola', running: 'Ejecutándose', waiting_network: 'Esperando conexión', retrying: 'Reintentará',
  succeeded: 'Terminado', failed: 'Fallido', cancelled: 'Cancelado',
};
const STATE_CLASS: Record<JobStateName, string> = {
  queued: 's-pending', running: 's-observed', waiting_network: 's-pending', retrying: 's-pending',
  succeeded: 's-accepted', failed: 's-error', cancelled: '',
};
const OUTCOME_LABELS: Record<string, string> = {
  succeeded: 'Terminado', accepted: 'Aceptado por SUNAT', observed: 'Aceptado con observaciones', rejected: 'Rechazado por SUNAT',
  accepted_without_cdr: 'Aceptado (sin CDR)', retry: 'Se reintentará', failed: 'Fallido', waiting_network: 'Sin conexión',
  deferred: 'Postergado', paused: 'Envíos pausados', no_certificate: 'Falta el certificado', interrupted: 'Interrumpido',
};

type Filter = JobStateName | 'active' | 'all';
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'active', label: 'Pendientes' },
  ...JOB_STATES.map((s) => ({ value: s as Filter, label: JOB_STATE_LABELS[s] })),
  { value: 'all', label: 'Todos' },
];

const kindLabel = jobKindTitle;
const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
const canRetry = (s: JobStateName) => s !== 'running' && s !== 'succeeded';
const canCancel = (s: JobStateName) => s === 'queued' || s === 'retrying' || s === 'waiting_network' || s === 'failed';
/** A cancelled send whose document is still pending: an older version let it be cancelled; only a retry sends it. */
const orphaned = (j: QueueJob) => j.state === 'cancelled' && j.documentStatus === 'pending';

function uptime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

function subject(j: QueueJob): string {
  return j.documentNumber ?? j.saleNumber ?? `Trabajo ${j.id}`;
}

interface Props {
  /** Something changed (retry, cancel, resume): the status bar refreshes its counts. */
  onChanged: () => void;
}

export function QueueScreen({ onChanged }: Props) {
  const [stats, setStats] = useState<QueueStats | null>(null);
  const [filter, setFilter] = useState<Filter>('active');
  const [jobs, setJobs] = useState<QueueJob[] | null>(null);
  const [failures, setFailures] = useState<QueueJob[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<QueueJobDetail | null>(null);
  const [confirm, setConfirm] = useState<{ action: 'retry' | 'cancel'; job: QueueJob } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const load = useCallback(() => {
    const f = filterRef.current;
    Promise.all([
      api.call('queue.stats', {}),
      api.call('queue.list', f === 'all' ? { limit: 300 } : { state: f, limit: 300 }),
      api.call('queue.list', { state: 'failed', limit: 5 }),
    ]).then(
      ([s, list, failed]) => {
        if (filterRef.current !== f) return; // a newer filter's answer is on its way
        setStats(s);
        setJobs(list);
        setFailures(failed);
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
    const id = selectedRef.current;
    if (id !== null) {
      api.call('queue.show', { id }).then(
        (d) => {
          if (selectedRef.current === id) setDetail(d);
        },
        () => setDetail(null),
      );
    }
  }, []);

  // Live: a 2 s poll (the runner changes states without telling the screen), plus the pushed status and sale events.
  useEffect(() => {
    load();
    const timer = window.setInterval(load, POLL_MS);
    const offStatus = api.on('status', () => load());
    const offSale = api.on('sale.updated', () => load());
    return () => {
      window.clearInterval(timer);
      offStatus();
      offSale();
    };
  }, [load]);

  useEffect(() => {
    load();
  }, [filter, selected, load]);

  useEffect(() => {
    if (selected === null) setDetail(null);
  }, [selected]);

  const act = useCallback(
    async (action: 'retry' | 'cancel', job: QueueJob) => {
      setConfirm(null);
      setBusy(true);
      setNotice(null);
      try {
        const r = await api.call(action === 'retry' ? 'queue.retry' : 'queue.cancel', { id: job.id });
        setNotice(
          action === 'retry'
            ? `${subject(job)}: en cola de nuevo. Se consultará a SUNAT antes de reenviar.`
            : `${subject(job)}: cancelado. Queda en el historial.`,
        );
        setSelected(r.id);
        setError(null);
        onChanged();
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(false);
        load();
      }
    },
    [load, onChanged],
  );

  const resume = useCallback(async () => {
    setBusy(true);
    try {
      const r = await api.call('queue.resume', {});
      setNotice(r.resumed ? 'Envíos a SUNAT reanudados.' : 'Los envíos a SUNAT no estaban pausados.');
      setError(null);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      load();
    }
  }, [load, onChanged]);

  // Keyboard: the screen has no text fields, so plain keys are free. Dialogs handle their own keys.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('[role="dialog"]') || e.ctrlKey || e.altKey || e.metaKey) return;
      const list = jobs ?? [];
      const index = list.findIndex((j) => j.id === selected);
      const current = index >= 0 ? list[index] : null;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (list.length === 0) return;
        const next = e.key === 'ArrowDown' ? Math.min(list.length - 1, index + 1) : Math.max(0, index < 0 ? 0 : index - 1);
        setSelected(list[next].id);
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        const i = FILTERS.findIndex((f) => f.value === filter);
        const n = (i + (e.key === 'ArrowRight' ? 1 : FILTERS.length - 1)) % FILTERS.length;
        setFilter(FILTERS[n].value);
        setSelected(null);
      } else if ((e.key === 'r' || e.key === 'R') && current && canRetry(current.state)) {
        e.preventDefault();
        setConfirm({ action: 'retry', job: current });
      } else if ((e.key === 'c' || e.key === 'C') && current && canCancel(current.state)) {
        e.preventDefault();
        // The main process refuses it anyway; the screen says why at once instead of offering it.
        if (current.cancelRefusal) setNotice(current.cancelRefusal);
        else setConfirm({ action: 'cancel', job: current });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [jobs, selected, filter]);

  const counts = stats?.counts;
  const shown = detail && detail.id === selected ? detail : null;

  return (
    <section className="panel queue-panel" data-testid="queue-screen">
      <header className="panel-head">
        <h1>Cola de envíos</h1>
        <button className="btn" onClick={load} tabIndex={-1}>
          Actualizar
        </button>
        <span
          className="muted"
          data-testid="queue-runner"
          title={stats?.runner ? `Proceso N° ${stats.runner.pid}${stats.runner.startedAt ? `, iniciado el ${when(stats.runner.startedAt)}` : ''}` : undefined}
        >
          {stats?.runner
            ? `Envío automático activo${stats.runner.uptimeS !== null ? ` desde hace ${uptime(stats.runner.uptimeS)}` : ''}`
            : stats
              ? 'El envío automático no está activo: los comprobantes esperan hasta que se abra iziSales.'
              : 'Cargando…'}
        </span>
      </header>
      <p className="muted">
        <kbd>←</kbd>/<kbd>→</kbd> filtro · <kbd>↑</kbd>/<kbd>↓</kbd> trabajo · <kbd>R</kbd> reintentar · <kbd>C</kbd> cancelar · <kbd>Esc</kbd> vuelve a la venta.
      </p>

      {stats?.sunatPaused && (
        <div className="alert" role="alert" data-testid="queue-paused">
          <p>
            <strong>Envíos a SUNAT detenidos</strong> desde {when(stats.sunatPaused.at)}: {stats.sunatPaused.reason}
          </p>
          <button className="btn primary" onClick={() => void resume()} disabled={busy} data-testid="queue-resume">
            Reanudar envíos
          </button>
        </div>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="error-alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="queue-notice">
          {notice}
        </p>
      )}

      <div className="segmented" data-testid="queue-counts" role="tablist" aria-label="Filtrar por estado">
        {FILTERS.map((f) => {
          const n = !counts ? null : f.value === 'active' ? counts.queued + counts.running + counts.waiting_network + counts.retrying : f.value === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[f.value];
          return (
            <button
              key={f.value}
              className={filter === f.value ? 'seg on' : 'seg'}
              role="tab"
              aria-selected={filter === f.value}
              tabIndex={-1}
              data-state={f.value}
              data-count={n ?? ''}
              onClick={() => {
                setFilter(f.value);
                setSelected(null);
              }}
            >
              {f.label}: {n ?? '…'}
            </button>
          );
        })}
      </div>

      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(340px, 460px)', gap: 18, alignItems: 'start' }}>
        <div className="cash-actions">
          <table className="list-table" data-testid="queue-list" data-count={jobs?.length ?? ''}>
            <thead>
              <tr>
                <th>N°</th>
                <th>Tarea</th>
                <th>Comprobante</th>
                <th>Estado</th>
                <th>Intentos</th>
                <th>Programado</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {jobs?.map((j) => (
                <tr
                  key={j.id}
                  data-testid="queue-row"
                  data-id={j.id}
                  data-state={j.state}
                  aria-selected={j.id === selected}
                  style={j.id === selected ? { background: 'var(--sel)', boxShadow: 'inset 5px 0 0 var(--brand)', cursor: 'pointer' } : { cursor: 'pointer' }}
                  onClick={() => setSelected(j.id)}
                >
                  <td className="mono">{j.id}</td>
                  <td>{kindLabel(j.kind)}</td>
                  <td className="mono" style={{ whiteSpace: 'nowrap' }}>{j.documentNumber ?? '—'}</td>
                  <td>
                    <span className={`status-tag ${STATE_CLASS[j.state]}`}>{JOB_STATE_LABELS[j.state]}</span>
                  </td>
                  <td className="num" title={`${j.attempts} de ${j.maxAttempts} cuentan para el límite de reintentos`}>
                    {j.runCount}
                  </td>
                  <td className="mono" style={{ whiteSpace: 'nowrap' }}>{when(j.runAt)}</td>
                  <td>{j.error ?? ''}</td>
                </tr>
              ))}
              {jobs && jobs.length === 0 && (
                <tr className="empty">
                  <td colSpan={7}>No hay trabajos en este estado.</td>
                </tr>
              )}
              {!jobs && !error && (
                <tr className="empty">
                  <td colSpan={7}>Cargando…</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        <div className="cash-actions">
          {shown && (
            <div className="cash-report" data-testid="queue-detail" data-id={shown.id} data-state={shown.state}>
              <h2>
                Trabajo {shown.id}: {kindLabel(shown.kind)}
              </h2>
              <dl className="report-grid">
                <dt>Estado</dt>
                <dd>
                  <span className={`status-tag ${STATE_CLASS[shown.state]}`}>{JOB_STATE_LABELS[shown.state]}</span>
                </dd>
                {shown.fileName && (
                  <>
                    <dt>Archivo</dt>
                    <dd className="mono">{shown.fileName}</dd>
                  </>
                )}
                {shown.saleNumber && (
                  <>
                    <dt>Venta</dt>
                    <dd className="mono">{shown.saleNumber}</dd>
                  </>
                )}
                <dt>Intentos</dt>
                <dd data-testid="queue-attempts">
                  {shown.runCount} · {shown.attempts} de {shown.maxAttempts} cuentan para el límite (sin conexión no cuenta)
                </dd>
                <dt>Creado</dt>
                <dd>{when(shown.createdAt)}</dd>
                <dt>Programado</dt>
                <dd>{when(shown.runAt)}</dd>
                {shown.finishedAt && (
                  <>
                    <dt>Terminó</dt>
                    <dd>{when(shown.finishedAt)}</dd>
                  </>
                )}
                {shown.error && (
                  <>
                    <dt>Error</dt>
                    <dd className="bad-text">{shown.error}</dd>
                  </>
                )}
              </dl>
              <h3>Historial de intentos</h3>
              <table className="list-table" data-testid="queue-runs">
                <thead>
                  <tr>
                    <th>Intento</th>
                    <th>Inicio</th>
                    <th>Fin</th>
                    <th>Resultado</th>
                    <th>Detalle</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.runs.map((r) => (
                    <tr key={r.id} data-testid="queue-run">
                      <td className="num">{r.attempt}</td>
                      <td className="mono">{when(r.startedAt)}</td>
                      <td className="mono">{when(r.finishedAt)}</td>
                      <td>
                        {r.outcome ? (OUTCOME_LABELS[r.outcome] ?? r.outcome) : 'En curso'}
                        {r.counted ? '' : ' (no cuenta)'}
                      </td>
                      <td>{r.error ?? ''}</td>
                    </tr>
                  ))}
                  {shown.runs.length === 0 && (
                    <tr className="empty">
                      <td colSpan={5}>Aún no se intentó.</td>
                    </tr>
                  )}
                </tbody>
              </table>
              {orphaned(shown) && (
                <p className="alert" role="alert" data-testid="queue-orphan">
                  Este comprobante quedó sin enviar a SUNAT porque su envío se canceló. Use Reintentar para enviarlo; si la
                  venta no debía hacerse, anúlelo con una comunicación de baja o el resumen diario una vez aceptado.
                </p>
              )}
              {shown.cancelRefusal && canCancel(shown.state) && (
                <p className="notice" data-testid="queue-no-cancel">
                  {shown.cancelRefusal}
                </p>
              )}
              <div className="dialog-actions">
                <button
                  className="btn"
                  disabled={busy || !canRetry(shown.state)}
                  onClick={() => setConfirm({ action: 'retry', job: shown })}
                  data-testid="queue-retry"
                >
                  Reintentar <kbd>R</kbd>
                </button>
                {!shown.cancelRefusal && (
                  <button
                    className="btn danger"
                    disabled={busy || !canCancel(shown.state)}
                    onClick={() => setConfirm({ action: 'cancel', job: shown })}
                    data-testid="queue-cancel"
                  >
                    Cancelar tarea <kbd>C</kbd>
                  </button>
                )}
              </div>
            </div>
          )}
          <div className="cash-report">
            <h2>Ejecutándose ahora</h2>
            {stats && stats.running.length === 0 && <p className="muted">Nada en este momento.</p>}
            <ul data-testid="queue-running">
              {stats?.running.map((j) => (
                <li key={j.id}>
                  {kindLabel(j.kind)} · {subject(j)} · intento {j.runCount}
                </li>
              ))}
            </ul>
          </div>
          <div className="cash-report">
            <h2>Próximas tareas programadas</h2>
            <table className="list-table" data-testid="queue-scheduled">
              <thead>
                <tr>
                  <th>Tarea</th>
                  <th>Próxima (hora de Lima)</th>
                  <th>Última</th>
                </tr>
              </thead>
              <tbody>
                {stats?.scheduled.map((s) => (
                  <tr key={s.name}>
                    <td>{kindLabel(s.kind)}</td>
                    <td className="mono">{when(s.nextRun)}</td>
                    <td className="mono">{when(s.lastRun)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {failures.length > 0 && (
            <div className="cash-report" data-testid="queue-failures">
              <h2>Fallidos ({counts?.failed ?? failures.length})</h2>
              <ul>
                {failures.map((j) => (
                  <li key={j.id}>
                    <strong>{subject(j)}</strong>: {j.error ?? 'Sin detalle'}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      </div>

      {confirm && (
        <ConfirmDialog
          title={confirm.action === 'retry' ? 'Reintentar' : 'Cancelar tarea'}
          message={
            confirm.action === 'retry'
              ? `¿Poner de nuevo en cola ${subject(confirm.job)}? Antes de reenviar se consultará a SUNAT si ya lo tiene.`
              : `¿Cancelar ${subject(confirm.job)} (${kindLabel(confirm.job.kind)})? No se ejecutará; queda en el historial.`
          }
          confirmLabel={confirm.action === 'retry' ? 'Sí, reintentar' : 'Sí, cancelar'}
          cancelLabel="No"
          onConfirm={() => void act(confirm.action, confirm.job)}
          onCancel={() => setConfirm(null)}
        />
      )}
    </section>
  );
}
