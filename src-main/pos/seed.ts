// The demo store: about 200 products with barcodes, a few customers and the three demo users (PINs in README).
import fs from 'node:fs';
import type { Db } from '../db/connection';
import { resourcePath } from '../paths';
import { createUser } from './users';
import { setSetting, DEFAULT_SETTINGS } from '../db/settings';

interface DemoCatalog {
  products: { sku: string; barcode: string; name: string; price: string; taxAffectation: string; unitCode: string; stock: string; isBag?: boolean }[];
  customers: { docType: string; docNumber: string; name: string; address?: string }[];
}

export const DEMO_USERS = [
  { username: 'admin', name: 'Administrador', role: 'admin' as const, pin: '1111' },
  { username: 'supervisor', name: 'Supervisora Demo', role: 'supervisor' as const, pin: '2222' },
  { username: 'cashier', name: 'Cajero Demo', role: 'cashier' as const, pin: '3333' },
];

export function isEmpty(db: Db): boolean {
  const r = db.first(db.q.selectNoFrom((eb) => [
    eb.selectFrom('users').select(eb.fn.countAll<number>().as('n')).as('users'),
    eb.selectFrom('products').select(eb.fn.countAll<number>().as('n')).as('products'),
  ]))!;
  return r.users === 0 && r.products === 0;
}

/** Loads the demo store into an empty database; does nothing (returns false) when data is already there. */
export function seedDemo(db: Db, at: Date): boolean {
  const catalog = JSON.parse(fs.readFileSync(resourcePath('demo-catalog.json'), 'utf8')) as DemoCatalog;
  return db.tx(() => {
    if (!isEmpty(db)) return false;
    const now = at.toISOString();
    for (const u of DEMO_USERS) createUser(db, at, u);
    // A bulk load: each statement prepared once (db.prepare), then run per row.
    const ins = db.prepare(
      `INSERT INTO products (sku, barcode, name, unit_code, price, tax_affectation, is_bag, stock, created_at, updated_at)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const p of catalog.products) ins.run(p.sku, p.barcode, p.name, p.unitCode, p.price, p.taxAffectation, p.isBag ? 1 : 0, p.stock, now, now);
    const cust = db.prepare('INSERT INTO customers (doc_type, doc_number, name, address, created_at) VALUES (?,?,?,?,?)');
    for (const c of catalog.customers) cust.run(c.docType, c.docNumber, c.name, c.address ?? null, now);
    setSetting(db, 'store', DEFAULT_SETTINGS.store);
    setSetting(db, 'demoMode', true);
    return true;
  });
}
