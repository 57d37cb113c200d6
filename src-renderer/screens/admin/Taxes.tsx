// Administración → Impuestos: the IGV and ICBPER rates in force today and their changes with start dates. Once the till
// is enrolled in a hub the rates are the hub's: shown, not changed here.
import { useEffect, useState, type FormEvent } from 'react';
import type { CallInput } from '../../../src-shared/contract';
import { Dec } from '../../../src-shared/decimal';
import { readTaxRate } from '../../../src-shared/number-input';
import { formatDatePe } from '../../../src-shared/time';
import { api } from '../../api';
import { FieldError, HubOwnedNotice, Messages, splitErrors, useSettings } from './parts';

const TAX_LABELS = { igv: 'IGV', icbper: 'ICBPER (bolsas plásticas)' } as const;
type Tax = keyof typeof TAX_LABELS;

/** "18 %" for the IGV fraction, "S/ 0.50 por bolsa" for the ICBPER. */
function rateText(tax: Tax, rate: string): string {
  if (!Dec.isValid(rate)) return rate;
  return tax === 'igv' ? `${Dec.of(rate).times(100).toString()} %` : `S/ ${Dec.of(rate).toFixed(2)} por bolsa`;
}

export function TaxesSection({ hubUrl, onChanged }: { hubUrl: string | null; onChanged: () => void }) {
  const editable = hubUrl === null;
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
      {hubUrl !== null && <HubOwnedNotice hubUrl={hubUrl} what="taxes" />}
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
                    {future && editable && (
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
      {editable && <form className="admin-form inline" onSubmit={submit} noValidate>
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
      </form>}
    </div>
  );
}
