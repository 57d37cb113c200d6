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

export interface ProductChange { code: string; price: string; name?: string }

/**
 * The price (and optionally the name) of a product, as a manager changes it (`izisales hub product set`, the hub's
 * screens): the rest of an existing product stays as it is; a new code needs its name. The change takes the next
 * catalog seq (the trigger), so every terminal gets it on its next pull; sales already rung up keep their price.
 */
export async function setProduct(db: HubDb, p: ProductChange): Promise<{ code: string; name: string; price: string; created: boolean }> {
  const code = p.code.trim();
  if (!code || code.length > 60) throw new HubRefusal(400, 'codigo_no_valido', 'Escriba el código del producto (hasta 60 caracteres).');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(p.price) || !Dec.of(p.price).gt(0)) {
    throw new HubRefusal(400, 'precio_no_valido', `Precio no válido: ${p.price} (mayor que cero, p. ej. 3.50). No se cambió nada.`);
  }
  const name = p.name?.trim();
  if (name !== undefined && (name === '' || name.length > 200)) throw new HubRefusal(400, 'nombre_no_valido', 'El nombre del producto no puede quedar vacío (hasta 200 caracteres).');
  const price = Dec.of(p.price).toFixed(2);
  const cents = Number(price.replace('.', ''));
  const found = await db.updateTable('products').set({ price_cents: cents, ...(name ? { name } : {}) })
    .where('code', '=', code).returning('name').executeTakeFirst();
  if (found) return { code, name: found.name, price, created: false };
  if (!name) throw new HubRefusal(404, 'producto_no_existe', `La central no tiene el producto ${code}: para crearlo indique también su nombre (--name).`);
  await putProduct(db, { code, name, price });
  return { code, name, price, created: true };
}
