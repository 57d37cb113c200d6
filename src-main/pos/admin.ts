// Store administration: products, users and settings. Every function takes the acting user's id, reads that user's role from
// the database and refuses by itself, so the main process enforces roles whatever the screens do; every change is
// audited with the acting user. Once the till is enrolled in a hub, products, users and the store's settings are the
// hub's: their changes are refused here (db/hub-owned.ts), a lockout is still cleared here (it is this till's).
import type { Db } from '../db/connection';
import type { Product, User } from '../db/schema';
import { ROLES, type Role } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { TAX_AFFECTATION_CODES, type TaxAffectation } from '../../src-shared/tax';
import { isUnitCode, UNIT_CODES } from '../../src-shared/units';
import { audit } from '../db/audit';
import { forbidden, notFound, ruleError } from '../errors';
import { createUser, getUser, hashPin } from './users';
import type { SecretStore } from '../secrets';
import { assertNotHubOwned } from '../db/hub-owned';
import { applySettingsPlan, invalidSettings, planSettings, readSettings, type SettingsPatch, type SettingsView } from '../db/settings-change';

export type Actor = Pick<User, 'id' | 'role'>;

/** Refuses anyone but an administrator. */
export function assertAdmin(user: Pick<User, 'role'> | undefined | null): void {
  if (user?.role !== 'admin') throw forbidden('Solo un administrador puede hacer este cambio.');
}

/** Refuses anyone but an administrator or a supervisor. */
export function assertManager(user: Pick<User, 'role'> | undefined | null): void {
  if (user?.role !== 'admin' && user?.role !== 'supervisor') throw forbidden('Solo un administrador o supervisor puede hacer este cambio.');
}

/** The acting user as stored now: a deactivated or unknown user acts as nobody. */
export function actingUser(db: Db, userId: number): User | undefined {
  const u = getUser(db, userId);
  return u && u.active === 1 ? u : undefined;
}

// ---- products ----

export interface ProductFields {
  sku: string;
  barcode: string | null;
  name: string;
  /** Shelf price, IGV included. */
  price: string;
  taxAffectation: string;
  unitCode: string;
  stock: string;
  active: boolean;
}
export type ProductField = keyof ProductFields;

const PRICE_RE = /^\d{1,9}(\.\d{1,2})?$/;
const STOCK_RE = /^-?\d{1,9}(\.\d{1,3})?$/;

/** Every problem of a product's fields, by field, in Spanish; empty when valid. Uniqueness is checked by callers. */
export function productFieldErrors(p: ProductFields): { field: ProductField; message: string }[] {
  const out: { field: ProductField; message: string }[] = [];
  if (!/^\S{1,30}$/.test(p.sku)) out.push({ field: 'sku', message: 'El código (SKU) es obligatorio, sin espacios y de hasta 30 caracteres.' });
  if (p.barcode !== null && !/^[0-9A-Za-z-]{1,30}$/.test(p.barcode)) out.push({ field: 'barcode', message: 'El código de barras solo admite letras, números y guiones (hasta 30).' });
  if (p.name.trim().length === 0 || p.name.length > 200) out.push({ field: 'name', message: 'El nombre es obligatorio (hasta 200 caracteres).' });
  if (!PRICE_RE.test(p.price) || !Dec.of(p.price).gt(0)) out.push({ field: 'price', message: `Precio no válido: "${p.price}". Use un importe mayor que 0 con hasta 2 decimales, p. ej. 12.50.` });
  if (!TAX_AFFECTATION_CODES.includes(p.taxAffectation as TaxAffectation)) out.push({ field: 'taxAffectation', message: `Afectación del IGV no válida: "${p.taxAffectation}" (use 10 gravado, 20 exonerado, 30 inafecto…).` });
  if (!isUnitCode(p.unitCode)) out.push({ field: 'unitCode', message: `Unidad de medida no válida: "${p.unitCode}" (use ${Object.keys(UNIT_CODES).slice(0, 4).join(', ')}…).` });
  if (!STOCK_RE.test(p.stock)) out.push({ field: 'stock', message: `Stock no válido: "${p.stock}" (un número con hasta 3 decimales).` });
  return out;
}

/** Another product already holding this sku or barcode, if any. */
function clash(db: Db, p: Pick<ProductFields, 'sku' | 'barcode'>, exceptId: number | null): string | null {
  const bySku = db.first(db.q.selectFrom('products').select('id').where('sku', '=', p.sku).where('id', 'is not', exceptId));
  if (bySku) return `Ya existe otro producto con el código ${p.sku}.`;
  if (p.barcode !== null) {
    const byCode = db.first(db.q.selectFrom('products').select('sku').where('barcode', '=', p.barcode).where('id', 'is not', exceptId));
    if (byCode) return `El código de barras ${p.barcode} ya lo tiene el producto ${byCode.sku}.`;
  }
  return null;
}

function normalizeProduct(p: ProductFields): ProductFields {
  const barcode = p.barcode?.trim() ?? '';
  return { ...p, sku: p.sku.trim(), barcode: barcode === '' ? null : barcode, name: p.name.trim(), price: p.price.trim(), stock: p.stock.trim(), unitCode: p.unitCode.trim().toUpperCase(), taxAffectation: p.taxAffectation.trim() };
}

function validProduct(db: Db, input: ProductFields, exceptId: number | null): ProductFields {
  const p = normalizeProduct(input);
  const errors = productFieldErrors(p);
  if (errors.length > 0) throw ruleError(errors.map((e) => e.message).join(' '));
  const c = clash(db, p, exceptId);
  if (c) throw ruleError(c);
  return p;
}

export function productFields(p: Product): ProductFields {
  return { sku: p.sku, barcode: p.barcode, name: p.name, price: p.price, taxAffectation: p.tax_affectation, unitCode: p.unit_code, stock: p.stock, active: p.active === 1 };
}

export function addProduct(db: Db, at: Date, userId: number, input: Omit<ProductFields, 'active'> & { active?: boolean; isBag?: boolean }): number {
  assertManager(actingUser(db, userId));
  assertNotHubOwned(db, 'products');
  const p = validProduct(db, { ...input, active: input.active ?? true }, null);
  return db.tx(() => {
    const now = at.toISOString();
    const id = db.run(db.q.insertInto('products').values({
      sku: p.sku, barcode: p.barcode, name: p.name, price: p.price, tax_affectation: p.taxAffectation, unit_code: p.unitCode,
      stock: p.stock, active: p.active ? 1 : 0, is_bag: input.isBag ? 1 : 0, created_at: now, updated_at: now,
    })).lastInsertRowid;
    audit(db, at, userId, 'product.create', 'product', id, { after: p });
    return id;
  });
}

/** Changes the given fields; the audit keeps the old and new value of each one that changed. */
export function editProduct(db: Db, at: Date, userId: number, productId: number, patch: Partial<ProductFields>): ProductFields {
  assertManager(actingUser(db, userId));
  assertNotHubOwned(db, 'products');
  return db.tx(() => {
    const current = db.first(db.q.selectFrom('products').selectAll().where('id', '=', productId));
    if (!current) throw notFound('El producto no existe.');
    const before = productFields(current);
    const p = validProduct(db, { ...before, ...patch }, productId);
    const changes = diff(before, p);
    if (Object.keys(changes).length === 0) return p;
    db.run(db.q.updateTable('products').set({
      sku: p.sku, barcode: p.barcode, name: p.name, price: p.price, tax_affectation: p.taxAffectation, unit_code: p.unitCode,
      stock: p.stock, active: p.active ? 1 : 0, updated_at: at.toISOString(),
    }).where('id', '=', productId));
    audit(db, at, userId, 'product.update', 'product', productId, changes);
    return p;
  });
}

/** A deactivated product stays in past sales but can no longer be sold or found. */
export function setProductActive(db: Db, at: Date, userId: number, productId: number, active: boolean): void {
  editProduct(db, at, userId, productId, { active });
}

export function diff<T extends object>(before: T, after: T): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[String(k)] = { old: before[k], new: after[k] };
  }
  return out;
}

// ---- customers ----

/** Corrects a customer's name, address or email; the document number is the customer's identity and stays. */
export function editCustomer(db: Db, at: Date, userId: number, customerId: number, patch: { name?: string; address?: string | null; email?: string | null }): void {
  assertManager(actingUser(db, userId));
  const name = patch.name?.trim().toUpperCase();
  if (name !== undefined && (name.length === 0 || name.length > 200)) throw ruleError('El nombre o razón social es obligatorio (hasta 200 caracteres).');
  const email = patch.email?.trim() || null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw ruleError(`Correo no válido: ${email}.`);
  db.tx(() => {
    const c = db.first(db.q.selectFrom('customers').selectAll().where('id', '=', customerId));
    if (!c) throw notFound('El cliente no existe.');
    const before = { name: c.name, address: c.address, email: c.email };
    const after = {
      name: name ?? c.name,
      address: patch.address === undefined ? c.address : patch.address?.trim() || null,
      email: patch.email === undefined ? c.email : email,
    };
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0) return;
    db.run(db.q.updateTable('customers').set(after).where('id', '=', customerId));
    audit(db, at, userId, 'customer.update', 'customer', customerId, changes);
  });
}

// ---- users ----

function activeAdmins(db: Db, exceptId: number): number {
  return db.first(
    db.q.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('active', '=', 1).where('id', '!=', exceptId),
  )!.n;
}

/** The last active administrator can never be removed, demoted or deactivated: nobody could manage the store. */
function keepOneAdmin(db: Db, target: User): void {
  if (target.role === 'admin' && target.active === 1 && activeAdmins(db, target.id) === 0) {
    throw ruleError(`${target.name} es el único administrador activo: cree o active otro administrador antes de cambiarlo.`);
  }
}

function targetUser(db: Db, id: number): User {
  const u = getUser(db, id);
  if (!u) throw notFound('El usuario no existe.');
  return u;
}

function validRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw ruleError(`Rol no válido: ${role} (use admin, supervisor o cashier).`);
  return role as Role;
}

/** Problems of a new user's fields, by path, in Spanish (the PIN rule is createUser's own). */
export function newUserIssues(u: { username: string; name: string; pin: string }, prefix = ''): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (!/^[a-z0-9._-]{3,30}$/.test(u.username.trim().toLowerCase())) out.push({ path: `${prefix}username`, message: 'El usuario debe tener de 3 a 30 letras, números, puntos o guiones, sin espacios.' });
  if (u.name.trim().length === 0 || u.name.trim().length > 80) out.push({ path: `${prefix}name`, message: 'El nombre es obligatorio (hasta 80 caracteres).' });
  if (!/^\d{4,8}$/.test(u.pin)) out.push({ path: `${prefix}pin`, message: 'El PIN debe tener de 4 a 8 dígitos.' });
  return out;
}

export function addUser(db: Db, at: Date, userId: number, u: { username: string; name: string; role: Role; pin: string }): number {
  assertAdmin(actingUser(db, userId));
  assertNotHubOwned(db, 'users');
  const issues = newUserIssues(u);
  if (issues.length > 0) throw ruleError(issues.map((i) => i.message).join(' '));
  const role = validRole(u.role);
  const username = u.username.trim().toLowerCase();
  const name = u.name.trim();
  return db.tx(() => {
    const id = createUser(db, at, { username, name, role, pin: u.pin });
    audit(db, at, userId, 'user.create', 'user', id, { username, name, role });
    return id;
  });
}

export function changeUserRole(db: Db, at: Date, userId: number, targetId: number, role: Role): void {
  assertAdmin(actingUser(db, userId));
  assertNotHubOwned(db, 'users');
  const next = validRole(role);
  db.tx(() => {
    const target = targetUser(db, targetId);
    if (target.role === next) return;
    if (next !== 'admin') keepOneAdmin(db, target);
    db.run(db.q.updateTable('users').set({ role: next }).where('id', '=', targetId));
    audit(db, at, userId, 'user.role', 'user', targetId, { role: { old: target.role, new: next } });
  });
}

/** A new PIN; the audit records that it changed, never the PIN. */
export function resetUserPin(db: Db, at: Date, userId: number, targetId: number, pin: string): void {
  assertAdmin(actingUser(db, userId));
  assertNotHubOwned(db, 'users');
  if (!/^\d{4,8}$/.test(pin)) throw ruleError('El PIN debe tener de 4 a 8 dígitos.');
  db.tx(() => {
    targetUser(db, targetId);
    // A new PIN also ends a lockout: the wrong PINs were tries at the old one.
    db.run(db.q.updateTable('users').set({ pin_hash: hashPin(pin), failed_pins: 0, pin_locked_until: null }).where('id', '=', targetId));
    audit(db, at, userId, 'user.pin', 'user', targetId, { pin: 'changed' });
  });
}

export function setUserActive(db: Db, at: Date, userId: number, targetId: number, active: boolean): void {
  assertAdmin(actingUser(db, userId));
  assertNotHubOwned(db, 'users');
  db.tx(() => {
    const target = targetUser(db, targetId);
    if ((target.active === 1) === active) return;
    if (!active) keepOneAdmin(db, target);
    db.run(db.q.updateTable('users').set({ active: active ? 1 : 0 }).where('id', '=', targetId));
    audit(db, at, userId, active ? 'user.activate' : 'user.deactivate', 'user', targetId, { active: { old: !active, new: active } });
  });
}

/**
 * A manager clears a user's wrong PINs and lockout (audited with what was cleared); supervisors may not unlock an
 * administrator. A user with no wrong PINs is refused: nothing to unlock, nothing written.
 */
export function unlockUser(db: Db, at: Date, userId: number, targetId: number): void {
  const actor = actingUser(db, userId);
  assertManager(actor);
  db.tx(() => {
    const target = targetUser(db, targetId);
    if (target.role === 'admin' && actor!.role !== 'admin') throw forbidden('Solo un administrador puede desbloquear a otro administrador.');
    if (target.failed_pins === 0 && !target.pin_locked_until) throw ruleError(`${target.name} no tiene intentos fallidos: no hay nada que desbloquear.`);
    db.run(db.q.updateTable('users').set({ failed_pins: 0, pin_locked_until: null }).where('id', '=', targetId));
    audit(db, at, userId, 'user.unlock', 'user', targetId, { username: target.username, failedPins: target.failed_pins, lockedUntil: target.pin_locked_until });
  });
}

// ---- settings (validated and audited by db/settings-change.ts) ----

/** Validates the whole patch, then writes it in one transaction; nothing is written when any key is wrong. */
export function updateSettings(db: Db, at: Date, userId: number, patch: SettingsPatch, secrets: SecretStore | null = null): SettingsView {
  assertAdmin(actingUser(db, userId));
  db.tx(() => {
    const plan = planSettings(db, secrets, at, patch);
    if (plan.issues.length > 0) throw invalidSettings(plan.issues);
    applySettingsPlan(db, at, userId, plan);
  });
  return readSettings(db, at);
}
