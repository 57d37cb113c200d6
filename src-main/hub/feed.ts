// Download to the terminals: what the hub owns (products, users, customers, settings), each row numbered by ONE
// hub-wide sequence that a trigger bumps on every insert and update, so a terminal asks for the changes after the
// last number it applied. Also the hub's own writes to them (its screens and the tests use these).
import type { HubChange, PullResponse } from '../../src-shared/hub-protocol';
import { Dec } from '../../src-shared/decimal';
import type { HubDb } from './db';
import { HubRefusal } from './refusal';

export async function pullChanges(db: HubDb, after: number, limit: number): Promise<PullResponse> {
  // The first `limit` changes overall are among the first `limit` of each table.
  const [products, users, customers, settings] = await Promise.all([
    db.selectFrom('products').selectAll().where('seq', '>', after).orderBy('seq').limit(limit + 1).execute(),
    db.selectFrom('users').selectAll().where('seq', '>', after).orderBy('seq').limit(limit + 1).execute(),
    db.selectFrom('customers').selectAll().where('seq', '>', after).orderBy('seq').limit(limit + 1).execute(),
    db.selectFrom('settings').selectAll().where('seq', '>', after).orderBy('seq').limit(limit + 1).execute(),
  ]);
  const all: HubChange[] = [
    ...products.map((p): HubChange => ({
      seq: p.seq, entity: 'product', key: p.code,
      data: {
        code: p.code, barcode: p.barcode, name: p.name, unit: p.unit, price: Dec.fromCents(p.price_cents).toFixed(2),
        taxAffectation: p.tax_affectation, isBag: p.is_bag, active: p.active,
      },
    })),
    ...users.map((u): HubChange => ({
      seq: u.seq, entity: 'user', key: u.username,
      data: { username: u.username, name: u.name, role: u.role as 'admin' | 'supervisor' | 'cashier', pinHash: u.pin_hash, active: u.active },
    })),
    ...customers.map((c): HubChange => ({
      seq: c.seq, entity: 'customer', key: `${c.doc_type}-${c.doc_number}`,
      data: { docType: c.doc_type, docNumber: c.doc_number, name: c.name, address: c.address },
    })),
    ...settings.map((s): HubChange => ({ seq: s.seq, entity: 'setting', key: s.key, data: { value: s.value } })),
  ].sort((a, b) => a.seq - b.seq);
  const changes = all.slice(0, limit);
  return { changes, lastSeq: changes.length ? changes[changes.length - 1].seq : after, more: all.length > limit, serverTime: new Date().toISOString() };
}

export interface ProductInput {
  code: string; barcode?: string | null; name: string; unit?: string; price: string; taxAffectation?: string; isBag?: boolean; active?: boolean;
}

/** Creates or changes a product; a price is "12.50" (IGV included). */
export async function putProduct(db: HubDb, p: ProductInput): Promise<void> {
  if (!/^\d+(\.\d{1,2})?$/.test(p.price)) throw new HubRefusal(400, 'precio_no_valido', `Precio no válido: ${p.price} (use 12.50).`);
  const row = {
    code: p.code, barcode: p.barcode ?? null, name: p.name, unit: p.unit ?? 'NIU', price_cents: Number(Dec.of(p.price).toFixed(2).replace('.', '')),
    tax_affectation: p.taxAffectation ?? '10', is_bag: p.isBag ?? false, active: p.active ?? true,
  };
  const { code: _code, ...rest } = row;
  await db.insertInto('products').values(row).onConflict((oc) => oc.column('code').doUpdateSet(rest)).execute();
}

export async function putUser(db: HubDb, u: { username: string; name: string; role: 'admin' | 'supervisor' | 'cashier'; pinHash: string; active?: boolean }): Promise<void> {
  const row = { username: u.username, name: u.name, role: u.role, pin_hash: u.pinHash, active: u.active ?? true };
  const { username: _u, ...rest } = row;
  await db.insertInto('users').values(row).onConflict((oc) => oc.column('username').doUpdateSet(rest)).execute();
}

export async function putSetting(db: HubDb, key: string, value: unknown): Promise<void> {
  await db.insertInto('settings').values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) })).execute();
}
