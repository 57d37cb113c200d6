// Products: exact barcode lookup for scanners and word search served by SQLite FTS5 (accent- and case-insensitive).
import type { Db } from '../db/connection';
import type { Product } from '../db/schema';
import type { ProductView } from '../../src-shared/contract';
import { assertNotHubOwned } from '../db/hub-owned';

export function productView(p: Product): ProductView {
  return {
    id: p.id, sku: p.sku, barcode: p.barcode, name: p.name, unitCode: p.unit_code, price: p.price,
    taxAffectation: p.tax_affectation, stock: p.stock, isBag: p.is_bag === 1,
  };
}

// Scan and search run on every keystroke and every scan: hand-written SQL, prepared once per connection (db.prepare).
export function findByBarcode(db: Db, barcode: string): Product | undefined {
  return db.prepare('SELECT * FROM products WHERE barcode = ? AND active = 1').get(barcode.trim()) as Product | undefined;
}

/** Turns what the cashier typed into an FTS5 query: every word must match, as a prefix. */
export function ftsQuery(text: string): string | null {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9ñ]+/i)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

/**
 * A search matching more products than this (a big brand's two words: "inca kola" matches 5,462 of a 100,000-product
 * catalog) lists the shortest names first instead of ranking by bm25: ranking thousands of matches took 5–7 ms a
 * keystroke, and when each match holds each word once, as then, bm25 orders by the row's length anyway, near enough.
 */
export const BROAD_SEARCH = 1000;

export function searchProducts(db: Db, text: string, limit = 20): Product[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const byCode = findByBarcode(db, trimmed);
  const match = ftsQuery(trimmed);
  if (!match) return byCode ? [byCode] : [];
  const matches = db
    .prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM products_fts WHERE products_fts MATCH ? LIMIT ${BROAD_SEARCH + 1})`)
    .get(match) as { n: number };
  const order = matches.n > BROAD_SEARCH ? 'length(p.name), p.name' : 'f.rank';
  const rows = db
    .prepare(
      `SELECT p.* FROM products_fts f JOIN products p ON p.id = f.rowid
       WHERE products_fts MATCH ? AND p.active = 1 ORDER BY ${order} LIMIT ?`,
    )
    .all(match, limit) as Product[];
  if (byCode && !rows.some((r) => r.id === byCode.id)) rows.unshift(byCode);
  return rows;
}

export interface NewProduct {
  sku: string; barcode?: string | null; name: string; price: string; taxAffectation?: string;
  unitCode?: string; stock?: string; isBag?: boolean;
}

/** A product made here (tests, tools); refused once the hub owns the catalog. */
export function createProduct(db: Db, at: Date, p: NewProduct): number {
  assertNotHubOwned(db, 'products');
  const now = at.toISOString();
  return db.run(db.q.insertInto('products').values({
    sku: p.sku, barcode: p.barcode ?? null, name: p.name, price: p.price,
    tax_affectation: p.taxAffectation ?? '10', unit_code: p.unitCode ?? 'NIU', stock: p.stock ?? '0',
    is_bag: p.isBag ? 1 : 0, created_at: now, updated_at: now,
  })).lastInsertRowid;
}
