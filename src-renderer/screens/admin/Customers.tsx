// Administración → Clientes: search the customers and correct their document or name.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminCustomerView, CallInput } from '../../../src-shared/contract';
import { IDENTITY_DOC_TYPES } from '../../../src-shared/identity';
import { api, errorMessage } from '../../api';
import { FieldError, Messages, splitErrors } from './parts';

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
