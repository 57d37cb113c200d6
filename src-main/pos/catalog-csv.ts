// The catalog as a CSV file: preview (what would change, what is wrong and where), import in one transaction, and
// export. A file-level problem rejects the whole file; a row-level problem skips only that row and is reported.
import type { Db } from '../db/connection';
import { CsvError, parseCsv, toCsv } from '../../src-shared/csv';
import { audit } from '../db/audit';
import { assertNotHubOwned } from '../db/hub-owned';
import { ruleError } from '../errors';
import { actingUser, assertManager, productFieldErrors, type ProductField, type ProductFields } from './admin';

export const MAX_CSV_ROWS = 50_000;
export const CSV_COLUMNS = ['sku', 'barcode', 'name', 'price', 'tax_affectation', 'unit_code', 'stock', 'active'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: Column[] = ['sku', 'name', 'price'];
/** Spanish headers people type by hand map onto ours. */
const ALIASES: Record<string, Column> = {
  codigo: 'sku', 'código': 'sku', codigo_barras: 'barcode', 'código_barras': 'barcode', ean: 'barcode', nombre: 'name',
  descripcion: 'name', 'descripción': 'name', precio: 'price', afectacion: 'tax_affectation', 'afectación': 'tax_affectation',
  afectacion_igv: 'tax_affectation', unidad: 'unit_code', activo: 'active',
};
const FIELD_COLUMN: Record<ProductField, Column> = {
  sku: 'sku', barcode: 'barcode', name: 'name', price: 'price', taxAffectation: 'tax_affectation', unitCode: 'unit_code', stock: 'stock', active: 'active',
};
/** Spreadsheets run text starting with these as formulas: export guards them with a leading apostrophe. */
const FORMULA_START = /^[=+\-@]/;

export interface CsvRowPreview {
  line: number;
  action: 'create' | 'update';
  /** The product's id when it already exists. */
  id?: number;
  product: ProductFields;
}
export interface CsvRowError {
  line: number;
  /** The CSV column at fault, or '' for the whole row. */
  column: string;
  message: string;
  /** Which product the row is about, as the file names it ('' / null when the row has none). */
  sku: string;
  barcode: string | null;
}
export interface CsvPreview {
  rows: CsvRowPreview[];
  errors: CsvRowError[];
  /** Set when the whole file is refused; then rows and errors are empty. */
  fileError?: string;
}

interface Existing {
  id: number; sku: string; barcode: string | null; name: string; price: string; tax_affectation: string; unit_code: string;
  stock: string; active: number;
}

function headerColumn(h: string): Column | null {
  const k = h.trim().toLowerCase().replace(/\s+/g, '_');
  return (CSV_COLUMNS as readonly string[]).includes(k) ? (k as Column) : (ALIASES[k] ?? null);
}

function parseActive(v: string): boolean | null {
  const k = v.trim().toLowerCase();
  if (['1', 'true', 'si', 'sí', 's', 'yes', 'y', 'x'].includes(k)) return true;
  if (['0', 'false', 'no', 'n'].includes(k)) return false;
  return null;
}

function unguard(v: string): string {
  return v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}

/** What importing `text` would do, without writing anything. */
export function previewProductCsv(db: Db, text: string): CsvPreview {
  const refuse = (fileError: string): CsvPreview => ({ rows: [], errors: [], fileError });
  if (text.includes('\u0000') || text.startsWith('PK')) return refuse('El archivo no es un CSV (¿es un libro de Excel? Guárdelo como "CSV UTF-8").');
  let parsed;
  try {
    parsed = parseCsv(text);
  } catch (e) {
    return refuse(e instanceof CsvError ? `El archivo no es un CSV válido: ${e.message}` : 'El archivo no es un CSV válido.');
  }
  const [header, ...records] = parsed.records;
  if (!header || records.length === 0) return refuse('El archivo está vacío: necesita una fila de encabezados y al menos un producto.');
  if (records.length > MAX_CSV_ROWS) return refuse(`El archivo tiene ${records.length} filas; el máximo es ${MAX_CSV_ROWS}. Divídalo en partes.`);
  const index = new Map<Column, number>();
  for (const [i, h] of header.fields.entries()) {
    const col = headerColumn(h);
    if (!col) continue; // extra columns (notes, categories) are ignored
    if (index.has(col)) return refuse(`La columna "${col}" aparece dos veces en el encabezado.`);
    index.set(col, i);
  }
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    return refuse(`Faltan columnas en el encabezado: ${missing.join(', ')}. Columnas reconocidas: ${CSV_COLUMNS.join(', ')}${parsed.separator === ';' ? ' (separadas por punto y coma)' : ''}.`);
  }

  const existing: Existing[] = db.all(
    db.q.selectFrom('products').select(['id', 'sku', 'barcode', 'name', 'price', 'tax_affectation', 'unit_code', 'stock', 'active']),
  );
  const bySku = new Map(existing.map((p) => [p.sku, p]));
  const byBarcode = new Map(existing.filter((p) => p.barcode !== null).map((p) => [p.barcode!, p]));
  const skuLine = new Map<string, number>();
  const barcodeLine = new Map<string, number>();
  const rows: CsvRowPreview[] = [];
  const errors: CsvRowError[] = [];
  const decimalComma = parsed.separator === ';';
  // Trailing empty cells may be missing (hand-edited files); the recognised columns must be there.
  const needed = Math.max(...index.values()) + 1;

  for (const rec of records) {
    const get = (c: Column): string | undefined => {
      const i = index.get(c);
      return i === undefined ? undefined : unguard(rec.fields[i] ?? '');
    };
    const sku = (get('sku') ?? '').trim();
    const rawBarcode = get('barcode')?.trim() || null;
    // Every problem names the row's product, so a manager finds it in the spreadsheet.
    const problem = (column: string, message: string): CsvRowError => ({ line: rec.line, column, message, sku, barcode: rawBarcode });
    if (rec.fields.length > header.fields.length || rec.fields.length < needed) {
      const hint = rec.fields.length > header.fields.length ? ` ¿Hay un "${parsed.separator}" sin comillas en el nombre?` : '';
      errors.push(problem('', `La fila tiene ${rec.fields.length} columnas; el encabezado tiene ${header.fields.length}.${hint}`));
      continue;
    }
    const current = bySku.get(sku);
    const num = (v: string | undefined) => (v === undefined ? undefined : decimalComma ? v.trim().replace(',', '.') : v.trim());
    const activeText = get('active');
    const active = activeText === undefined || activeText.trim() === '' ? (current ? current.active === 1 : true) : parseActive(activeText);
    const barcodeText = get('barcode');
    const product: ProductFields = {
      sku,
      barcode: barcodeText === undefined ? (current?.barcode ?? null) : barcodeText.trim() === '' ? null : barcodeText.trim(),
      name: (get('name') ?? '').trim(),
      price: num(get('price')) ?? '',
      taxAffectation: get('tax_affectation')?.trim() || (current?.tax_affectation ?? '10'),
      unitCode: (get('unit_code')?.trim() || (current?.unit_code ?? 'NIU')).toUpperCase(),
      stock: num(get('stock')) || (current?.stock ?? '0'),
      active: active ?? false,
    };
    const rowErrors: CsvRowError[] = productFieldErrors(product).map((e) => problem(FIELD_COLUMN[e.field], e.message));
    if (active === null) rowErrors.push(problem('active', `Valor de "active" no válido: "${activeText}" (use 1 o 0).`));
    if (sku !== '' && skuLine.has(sku)) rowErrors.push(problem('sku', `El código ${sku} ya aparece en la línea ${skuLine.get(sku)}.`));
    if (product.barcode !== null) {
      const other = byBarcode.get(product.barcode);
      if (barcodeLine.has(product.barcode)) rowErrors.push(problem('barcode', `El código de barras ${product.barcode} ya aparece en la línea ${barcodeLine.get(product.barcode)}.`));
      else if (other && other.sku !== sku) rowErrors.push(problem('barcode', `El código de barras ${product.barcode} ya lo tiene el producto ${other.sku}.`));
    }
    if (sku !== '' && !skuLine.has(sku)) skuLine.set(sku, rec.line);
    if (product.barcode !== null && !barcodeLine.has(product.barcode)) barcodeLine.set(product.barcode, rec.line);
    if (rowErrors.length > 0) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push(current ? { line: rec.line, action: 'update', id: current.id, product } : { line: rec.line, action: 'create', product });
  }
  return { rows, errors };
}

export interface CsvImportResult {
  created: number;
  updated: number;
  /** Rows skipped, with the reason. */
  errors: CsvRowError[];
}

/**
 * Applies the preview of `text` in ONE transaction (checked again inside it, so nothing changed in between) and
 * audits it. A file-level problem throws and writes nothing.
 */
export function importProductCsv(db: Db, at: Date, userId: number, text: string): CsvImportResult {
  assertManager(actingUser(db, userId));
  assertNotHubOwned(db, 'products');
  return db.tx(() => {
    const preview = previewProductCsv(db, text);
    if (preview.fileError) throw ruleError(preview.fileError);
    const now = at.toISOString();
    // A bulk write: each statement prepared once (db.prepare), then run per row.
    const insert = db.prepare(
      `INSERT INTO products (sku, barcode, name, unit_code, price, tax_affectation, stock, active, created_at, updated_at)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    const update = db.prepare(
      `UPDATE products SET barcode = ?, name = ?, unit_code = ?, price = ?, tax_affectation = ?, stock = ?, active = ?, updated_at = ?
       WHERE id = ?`,
    );
    const updates = preview.rows.filter((r) => r.action === 'update');
    let created = 0;
    for (const r of preview.rows) {
      const p = r.product;
      if (r.action === 'update') update.run(p.barcode, p.name, p.unitCode, p.price, p.taxAffectation, p.stock, p.active ? 1 : 0, now, r.id);
      else {
        insert.run(p.sku, p.barcode, p.name, p.unitCode, p.price, p.taxAffectation, p.stock, p.active ? 1 : 0, now, now);
        created++;
      }
    }
    const result = { created, updated: updates.length, errors: preview.errors };
    audit(db, at, userId, 'product.import', 'product', undefined, { created, updated: updates.length, skipped: preview.errors.length });
    return result;
  });
}

/** Every product (active or not), ordered by code, in the same columns the import reads. */
export function exportProductCsv(db: Db): string {
  const rows = db.all(
    db.q.selectFrom('products').select(['sku', 'barcode', 'name', 'price', 'tax_affectation', 'unit_code', 'stock', 'active']).orderBy('sku'),
  );
  const guard = (v: string) => (FORMULA_START.test(v) ? `'${v}` : v);
  return toCsv([
    [...CSV_COLUMNS],
    ...rows.map((p) => [guard(p.sku), guard(p.barcode ?? ''), guard(p.name), p.price, p.tax_affectation, p.unit_code, p.stock, String(p.active)]),
  ]);
}
