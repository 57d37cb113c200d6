// Catálogo y precios: the hub's products (what every terminal sells once enrolled). Search, add, change (a price typed
// "12,50" or "12.50", read by the POS's own money reader), deactivate; each change reaches every terminal on its next
// pull and is audited on the hub. A sale already rung up keeps its price.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { HubProductView } from '../../src-shared/hub-contract';
import { readMoney } from '../../src-shared/number-input';
import { errorMessage } from '../api';
import { soles } from '../format';
import { ErrorAlert } from '../components/ErrorAlert';
import { hubCall } from './hub-api';
import { useRun } from '../components/use-run';

interface Draft { isNew: boolean; code: string; barcode: string; name: string; price: string; taxAffectation: '10' | '20' | '30'; unit: string }
const NEW: Draft = { isNew: true, code: '', barcode: '', name: '', price: '', taxAffectation: '10', unit: 'NIU' };
const AFFECTATIONS: Record<Draft['taxAffectation'], string> = { '10': 'Gravado (IGV)', '20': 'Exonerado', '30': 'Inafecto' };

export function CatalogScreen() {
  const [query, setQuery] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [list, setList] = useState<HubProductView[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const { error, setError, notice, setNotice, run } = useRun();

  const reload = useCallback(() => {
    hubCall('products.list', { query, includeInactive }).then(setList, (e) => setError(errorMessage(e)));
  }, [query, includeInactive]);
  useEffect(() => reload(), [reload]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const price = readMoney(draft.price);
    if (price.value === null) {
      setNotice(null);
      setError(`Precio: ${price.error}`);
      return;
    }
    const value = price.value;
    void run(async () => {
      const p = await hubCall('products.save', { ...draft, price: value, barcode: draft.barcode.trim() || null });
      setDraft(null);
      setNotice(`Producto ${p.code} guardado: ${soles(p.price)}. Las cajas lo reciben en su próxima sincronización.`);
      reload();
    });
  };

  return (
    <div className="admin-products">
      <div className="panel-head">
        <input className="search" placeholder="Buscar por código, código de barras o nombre" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus data-testid="hub-product-search" />
        <label>
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> Ver inactivos
        </label>
        <button className="btn" onClick={() => setDraft({ ...NEW })} data-testid="hub-product-new">
          Nuevo producto
        </button>
      </div>
      <ErrorAlert message={error} />
      {notice && <p className="notice" data-testid="hub-notice">{notice}</p>}
      {draft && (
        <form className="admin-form inline" onSubmit={save} noValidate>
          <h2>{draft.isNew ? 'Nuevo producto' : `Cambiar ${draft.code}`}</h2>
          <label className="field">
            <span>Código</span>
            <input value={draft.code} disabled={!draft.isNew} onChange={(e) => setDraft({ ...draft, code: e.target.value })} data-testid="hub-product-code" />
          </label>
          <label className="field">
            <span>Código de barras</span>
            <input value={draft.barcode} onChange={(e) => setDraft({ ...draft, barcode: e.target.value })} inputMode="numeric" data-testid="hub-product-barcode" />
          </label>
          <label className="field">
            <span>Nombre</span>
            <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="hub-product-name" />
          </label>
          <label className="field">
            <span>Precio (con IGV), S/</span>
            <input className="money-input" value={draft.price} onChange={(e) => setDraft({ ...draft, price: e.target.value })} inputMode="decimal" autoFocus={!draft.isNew} data-testid="hub-product-price" />
          </label>
          <label className="field">
            <span>Afectación</span>
            <select value={draft.taxAffectation} onChange={(e) => setDraft({ ...draft, taxAffectation: e.target.value as Draft['taxAffectation'] })} data-testid="hub-product-tax">
              {Object.entries(AFFECTATIONS).map(([k, label]) => <option key={k} value={k}>{k} · {label}</option>)}
            </select>
          </label>
          <label className="field">
            <span>Unidad (NIU, KGM…)</span>
            <input value={draft.unit} onChange={(e) => setDraft({ ...draft, unit: e.target.value.toUpperCase() })} data-testid="hub-product-unit" />
          </label>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setDraft(null)}>Cancelar</button>
            <button type="submit" className="btn primary" data-testid="hub-product-save">Guardar y enviar a las cajas</button>
          </div>
        </form>
      )}
      <table className="list-table" data-testid="hub-product-list">
        <thead>
          <tr><th>Código</th><th>Código de barras</th><th>Nombre</th><th className="num">Precio</th><th>Afectación</th><th>Estado</th><th /></tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.code} className={p.active ? '' : 'voided'} data-testid="hub-product-row" data-code={p.code}>
              <td className="mono">{p.code}</td>
              <td className="mono">{p.barcode ?? ''}</td>
              <td>{p.name}</td>
              <td className="num" data-testid="hub-product-price-shown">{soles(p.price)}</td>
              <td>{AFFECTATIONS[p.taxAffectation as Draft['taxAffectation']] ?? p.taxAffectation}</td>
              <td>{p.active ? 'Activo' : 'Inactivo'}</td>
              <td>
                <button className="btn small" data-testid="hub-product-edit"
                  onClick={() => setDraft({ isNew: false, code: p.code, barcode: p.barcode ?? '', name: p.name, price: p.price.replace('.', ','), taxAffectation: (p.taxAffectation as Draft['taxAffectation']), unit: p.unit })}>
                  Cambiar
                </button>{' '}
                <button className="btn small" data-testid="hub-product-toggle"
                  onClick={() => void run(async () => { await hubCall('products.setActive', { code: p.code, active: !p.active }); reload(); })}>
                  {p.active ? 'Desactivar' : 'Activar'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 && <p className="muted">Sin productos{query ? ' que coincidan' : ''}.</p>}
    </div>
  );
}
