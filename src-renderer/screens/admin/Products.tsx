// Administración → Productos: the list, editing one product, and CSV export, and import with a preview first. Once the
// till is enrolled in a hub the hub owns the catalog: the list and the export only, with the sentence that says so.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminProductView, CsvImportView, CsvPreviewView } from '../../../src-shared/contract';
import { CSV_COLUMN_LABELS } from '../../../src-shared/labels';
import { readMoney, readQuantity } from '../../../src-shared/number-input';
import { api, errorMessage } from '../../api';
import { HubOwnedNotice, issuesText } from './parts';
import { useRun } from '../../components/use-run';

type ProductDraft = { id?: number; sku: string; barcode: string; name: string; price: string; taxAffectation: string; unitCode: string; stock: string };
const NEW_PRODUCT: ProductDraft = { sku: '', barcode: '', name: '', price: '', taxAffectation: '10', unitCode: 'NIU', stock: '0' };

export function ProductsSection({ hubUrl }: { hubUrl: string | null }) {
  const editable = hubUrl === null;
  const [query, setQuery] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [list, setList] = useState<AdminProductView[]>([]);
  const [draft, setDraft] = useState<ProductDraft | null>(null);
  const { error, setError, notice, setNotice, run } = useRun(issuesText);
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState<CsvPreviewView | null>(null);
  const [imported, setImported] = useState<CsvImportView | null>(null);

  const reload = useCallback(() => {
    api.call('products.list', { query, includeInactive }).then(setList, (e) => setError(errorMessage(e)));
  }, [query, includeInactive]);
  useEffect(() => reload(), [reload]);

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    // Price and stock as typed ("12,50", "1.234,50") → the contract's decimal strings, by the shared reader.
    const price = readMoney(draft.price);
    const stock = readQuantity(draft.stock, { stock: true });
    if (price.value === null || stock.value === null) {
      setNotice(null);
      setError(price.value === null ? `Precio: ${price.error}` : `Stock: ${stock.error}`);
      return;
    }
    const { value: priceValue } = price;
    const { value: stockValue } = stock;
    void run(async () => {
      const p = await api.call('products.save', { ...draft, price: priceValue, stock: stockValue, barcode: draft.barcode.trim() || null });
      setDraft(null);
      setNotice(`Producto ${p.sku} guardado.`);
      reload();
    });
  };

  const exportCsv = () =>
    run(async () => {
      const { csv: text } = await api.call('products.csvExport', {});
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'productos.csv';
      a.click();
      URL.revokeObjectURL(url);
    });

  return (
    <div className="admin-products">
      <div className="panel-head">
        <input className="search" placeholder="Buscar por código, código de barras o nombre" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="product-search" />
        <label>
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> Ver inactivos
        </label>
        {editable && (
          <button className="btn" onClick={() => setDraft({ ...NEW_PRODUCT })} data-testid="product-new">
            Nuevo producto
          </button>
        )}
        <button className="btn" onClick={() => void exportCsv()} data-testid="csv-export">
          Exportar CSV
        </button>
      </div>
      {hubUrl !== null && <HubOwnedNotice hubUrl={hubUrl} what="products" />}
      {error && <p className="alert" role="alert" data-testid="error-alert">{error}</p>}
      {notice && <p className="notice" data-testid="admin-notice">{notice}</p>}
      {draft && editable && (
        <form className="admin-form inline" onSubmit={save} noValidate>
          <h2>{draft.id ? 'Editar producto' : 'Nuevo producto'}</h2>
          {(
            [
              ['sku', 'Código (SKU)'], ['barcode', 'Código de barras'], ['name', 'Nombre'], ['price', 'Precio (con IGV)'],
              ['taxAffectation', 'Afectación IGV (10, 20, 30…)'], ['unitCode', 'Unidad (NIU, KGM…)'], ['stock', 'Stock'],
            ] as [keyof ProductDraft, string][]
          ).map(([k, label]) => (
            <label className="field" key={k}>
              <span>{label}</span>
              <input value={String(draft[k] ?? '')} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} data-testid={`product-${k}`} />
            </label>
          ))}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={() => setDraft(null)}>
              Cancelar
            </button>
            <button type="submit" className="btn primary" data-testid="product-save">
              Guardar producto
            </button>
          </div>
        </form>
      )}
      <table className="list-table" data-testid="product-list">
        <thead>
          <tr><th>Código</th><th>Código de barras</th><th>Nombre</th><th className="num">Precio</th><th className="num">Stock</th><th>Estado</th><th /></tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.id} className={p.active ? '' : 'voided'} data-testid="product-row">
              <td className="mono">{p.sku}</td><td className="mono">{p.barcode ?? ''}</td><td>{p.name}</td>
              <td className="num">{p.price}</td><td className="num">{p.stock}</td><td>{p.active ? 'Activo' : 'Inactivo'}</td>
              <td>
                {editable && <>
                <button className="btn small" onClick={() => setDraft({ id: p.id, sku: p.sku, barcode: p.barcode ?? '', name: p.name, price: p.price, taxAffectation: p.taxAffectation, unitCode: p.unitCode, stock: p.stock })}>
                  Editar
                </button>{' '}
                <button className="btn small" onClick={() => void run(async () => { await api.call('products.setActive', { id: p.id, active: !p.active }); reload(); })}>
                  {p.active ? 'Desactivar' : 'Activar'}
                </button>
                </>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {editable && <>
      <h2>Importar productos (CSV)</h2>
      <p className="muted">Columnas: sku, barcode, name, price, tax_affectation, unit_code, stock, active. Pegue el contenido o elija un archivo.</p>
      <input type="file" accept=".csv,text/csv" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((t) => { setCsv(t); setPreview(null); }); }} />
      <textarea className="csv-text" rows={6} value={csv} onChange={(e) => { setCsv(e.target.value); setPreview(null); setImported(null); }} data-testid="csv-text" />
      <div className="dialog-actions">
        <button className="btn" disabled={!csv.trim()} data-testid="csv-preview" onClick={() => void run(async () => { setImported(null); setPreview(await api.call('products.csvPreview', { text: csv })); })}>
          Vista previa
        </button>
        <button className="btn primary" disabled={!preview || !!preview.fileError || preview.rows.length === 0} data-testid="csv-import"
          onClick={() => void run(async () => { const r = await api.call('products.csvImport', { text: csv }); setImported(r); setPreview(null); reload(); })}>
          Importar
        </button>
      </div>
      {imported && (
        <p className="notice" data-testid="csv-result">
          Importación terminada: {imported.created} creados, {imported.updated} actualizados, {imported.errors.length} filas omitidas.
        </p>
      )}
      {preview?.fileError && <p className="alert" role="alert" data-testid="csv-file-error">{preview.fileError}</p>}
      {preview && !preview.fileError && (
        <table className="list-table" data-testid="csv-preview-table">
          <thead><tr><th>Línea</th><th>Acción</th><th>Código</th><th>Nombre</th><th className="num">Precio</th><th>Problema</th></tr></thead>
          <tbody>
            {[
              ...preview.rows.map((r) => ({ line: r.line, el: (
                <tr key={`r${r.line}`} data-testid="csv-row"><td>{r.line}</td><td>{r.action === 'create' ? 'Crear' : 'Actualizar'}</td><td className="mono">{r.product.sku}</td><td>{r.product.name}</td><td className="num">{r.product.price}</td><td /></tr>
              ) })),
              ...preview.errors.map((er, i) => ({ line: er.line, el: (
                <tr key={`e${er.line}-${i}`} className="bad-row" data-testid="csv-row-error" data-line={er.line}>
                  <td>{er.line}</td><td>Se omite</td>
                  <td className="mono" data-testid="csv-error-product">{er.sku || (er.barcode ? `Cód. barras ${er.barcode}` : '(sin código)')}</td>
                  <td colSpan={2} data-testid="csv-error-column">{er.column ? `Columna «${CSV_COLUMN_LABELS[er.column] ?? er.column}»` : 'Toda la fila'}</td>
                  <td className="bad-text">{er.message}</td>
                </tr>
              ) })),
            ].sort((a, b) => a.line - b.line).map((x) => x.el)}
          </tbody>
        </table>
      )}
      </>}
    </div>
  );
}
