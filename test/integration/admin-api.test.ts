// Store setup and administration through the contract (Api.invoke): first run, settings, the CSV import and users.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { ManualClock } from '../../src-main/adapters';
import { Api } from '../../src-main/api';
import { ApiError } from '../../src-shared/contract';
import { tempDir } from '../helpers/app';

let app: App;
let api: Api;
let dir: string;

const OWN = {
  ruc: '20100070970', legalName: 'Bodega Flores S.A.C.', tradeName: 'Bodega Flores', address: 'Av. Arequipa 1234, Lince, Lima',
  ubigeo: '150116', establishmentCode: '0000', terminalId: 'caja-01', boletaSeries: 'B001', facturaSeries: 'F001',
  admin: { username: 'Rosa', name: 'Rosa Flores', pin: '482913' }, sunatMode: 'beta' as const,
};

async function fails(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

async function login(username: string, pin: string): Promise<string> {
  const r = (await api.invoke('auth.login', { username, pin }, undefined)) as { token: string };
  return r.token;
}

beforeEach(() => {
  dir = tempDir();
  app = createApp({ dataDir: dir, clock: new ManualClock(new Date('2026-11-27T15:00:00Z')) });
  api = new Api(app);
});

afterEach(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const auditRows = (action: string) =>
  app.db.raw.prepare('SELECT user_id, entity_id, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as { user_id: number; entity_id: string; details: string }[];

describe('first run through the API', () => {
  it('an empty data directory is a first run; setup.own with a bad RUC answers issues by path and writes nothing', async () => {
    expect(await api.invoke('setup.status', {}, undefined)).toEqual({ firstRun: true });
    const e = await fails(api.invoke('setup.own', { ...OWN, ruc: '20100070971', admin: { ...OWN.admin, pin: '12' } }, undefined));
    expect(e.code).toBe('invalid_input');
    expect(e.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['store.ruc', 'admin.pin']));
    expect(await api.invoke('setup.status', {}, undefined)).toEqual({ firstRun: true });
  });

  it('setup.own sets up the store once; the new admin logs in; a second setup (own or demo) is refused', async () => {
    const r = await api.invoke('setup.own', OWN, undefined);
    expect(r).toEqual({ ok: true, adminUsername: 'rosa' });
    expect(await api.invoke('setup.status', {}, undefined)).toEqual({ firstRun: false });
    const token = await login('rosa', '482913');
    const s = (await api.invoke('settings.get', {}, token)) as { store: { ruc: string; legalName: string }; terminalId: string; series: unknown; sunat: Record<string, unknown>; demoMode: boolean };
    expect(s.store.ruc).toBe('20100070970');
    expect(s.store.legalName).toBe('BODEGA FLORES S.A.C.');
    expect(s.terminalId).toBe('CAJA-01');
    expect(s.series).toEqual({ boleta: 'B001', factura: 'F001' });
    expect(s.sunat.mode).toBe('beta');
    expect(s.demoMode).toBe(false);

    const again = await fails(api.invoke('setup.own', { ...OWN, admin: { ...OWN.admin, username: 'otro' } }, undefined));
    expect(again.code).toBe('rule');
    expect((await fails(api.invoke('setup.demo', {}, undefined))).code).toBe('rule');
    expect(app.db.raw.prepare('SELECT count(*) AS n FROM users').get()).toEqual({ n: 1 });
  });

  it('setup.demo loads the demo store once', async () => {
    expect(await api.invoke('setup.demo', {}, undefined)).toEqual({ ok: true });
    expect(await api.invoke('setup.status', {}, undefined)).toEqual({ firstRun: false });
    expect(await login('cashier', '3333')).toBeTruthy();
    expect((await fails(api.invoke('setup.demo', {}, undefined))).code).toBe('rule');
  });
});

describe('administration through the API (demo store)', () => {
  let admin: string;
  let supervisor: string;
  let cashier: string;
  beforeEach(async () => {
    await api.invoke('setup.demo', {}, undefined);
    admin = await login('admin', '1111');
    supervisor = await login('supervisor', '2222');
    cashier = await login('cashier', '3333');
  });

  it('settings.update: a cashier or supervisor is refused by the main process; the admin change is audited; the SOL password is never read back', async () => {
    const patch = { printer: { name: 'EPSON TM-T20', paperWidth: 58 as const } };
    expect((await fails(api.invoke('settings.update', patch, cashier))).code).toBe('forbidden');
    expect((await fails(api.invoke('settings.update', patch, supervisor))).code).toBe('forbidden');
    expect((await fails(api.invoke('settings.get', {}, cashier))).code).toBe('forbidden');
    expect(auditRows('settings.update')).toHaveLength(0);

    const v = (await api.invoke('settings.update', { ...patch, sunat: { solUser: 'moddatos', solPassword: 'secreta123' } }, admin)) as {
      printer: unknown; sunat: Record<string, unknown>;
    };
    expect(v.printer).toEqual({ name: 'EPSON TM-T20', paperWidth: 58, escpos: null });
    expect(v.sunat).toMatchObject({ solUser: 'MODDATOS', hasPassword: true });
    expect(JSON.stringify(v)).not.toContain('secreta123');
    const rows = auditRows('settings.update');
    expect(rows.map((r) => r.entity_id).sort()).toEqual(['paperWidth', 'printerName', 'sunatCredentials']);
    expect(JSON.stringify(rows)).not.toContain('secreta123');

    const bad = await fails(api.invoke('settings.update', { series: { boleta: 'X1' } }, admin));
    expect(bad.code).toBe('invalid_input');
    expect(bad.issues?.[0].path).toBe('series.boleta');
  });

  it('products.csvPreview / csvImport: a mixed file creates, updates and reports bad rows by line; a cashier cannot import', async () => {
    const existing = (await api.invoke('products.list', { query: '' }, supervisor)) as { sku: string; name: string }[];
    const sku = existing[0].sku;
    const csv = [
      'sku,barcode,name,price,stock',
      'NEW-1,7750000000011,Galletas de prueba,2.50,10',
      `${sku},,Nombre actualizado,9.90,5`,
      'NEW-2,,Sin precio,,1',
      'NEW-3,,Precio malo,abc,1',
    ].join('\n');
    expect((await fails(api.invoke('products.csvImport', { text: csv }, cashier))).code).toBe('forbidden');
    const preview = (await api.invoke('products.csvPreview', { text: csv }, supervisor)) as {
      rows: { line: number; action: string }[]; errors: { line: number; column: string }[];
    };
    expect(preview.rows.map((r) => [r.line, r.action])).toEqual([[2, 'create'], [3, 'update']]);
    expect(preview.errors.map((e) => [e.line, e.column])).toEqual([[4, 'price'], [5, 'price']]);

    const r = await api.invoke('products.csvImport', { text: csv }, supervisor);
    expect(r).toMatchObject({ created: 1, updated: 1 });
    const found = (await api.invoke('products.list', { query: 'Galletas de prueba' }, admin)) as { sku: string; price: string }[];
    expect(found).toEqual([expect.objectContaining({ sku: 'NEW-1', price: '2.50' })]);
    expect(auditRows('product.import')).toHaveLength(1);

    const file = await api.invoke('products.csvPreview', { text: 'hola\n' }, supervisor);
    expect(file).toMatchObject({ rows: [], errors: [], fileError: expect.any(String) });
    const exported = (await api.invoke('products.csvExport', {}, admin)) as { csv: string };
    expect(exported.csv).toContain('NEW-1');
  });

  it('products.save creates and edits; products.setActive hides a product from the list and the cashier search', async () => {
    const p = (await api.invoke('products.save', { sku: 'ARZ-5', barcode: '7759999000011', name: 'Arroz extra 5 kg', price: '24.90', taxAffectation: '10', unitCode: 'NIU', stock: '8' }, supervisor)) as { id: number };
    const edited = (await api.invoke('products.save', { id: p.id, sku: 'ARZ-5', barcode: '7759999000011', name: 'Arroz extra 5 kg', price: '25.50', taxAffectation: '10', unitCode: 'NIU', stock: '8' }, admin)) as { price: string };
    expect(edited.price).toBe('25.50');
    const dup = await fails(api.invoke('products.save', { sku: 'ARZ-5', name: 'Otro', price: '1', taxAffectation: '10', unitCode: 'NIU', stock: '0' }, admin));
    expect(dup.code).toBe('rule');
    await api.invoke('products.setActive', { id: p.id, active: false }, admin);
    expect(await api.invoke('products.list', { query: 'ARZ-5' }, admin)).toEqual([]);
    expect(await api.invoke('products.list', { query: 'ARZ-5', includeInactive: true }, admin)).toHaveLength(1);
    expect(await api.invoke('catalog.byBarcode', { barcode: '7759999000011' }, cashier)).toBeNull();
    expect((await fails(api.invoke('products.save', { sku: 'X', name: 'X', price: '1', taxAffectation: '10', unitCode: 'NIU', stock: '0' }, cashier))).code).toBe('forbidden');
  });

  it('users: admin only (a supervisor sees the list, to unlock); the last active admin cannot be demoted or deactivated; a new user logs in; reset PIN works', async () => {
    // Supervisors read the list (Usuarios → Desbloquear, issue 15) but change nothing else in it.
    expect(((await api.invoke('users.list', {}, supervisor)) as unknown[]).length).toBeGreaterThan(0);
    expect((await fails(api.invoke('users.resetPin', { id: 1, pin: '9999' }, supervisor))).code).toBe('forbidden');
    const users = (await api.invoke('users.list', {}, admin)) as { id: number; username: string; role: string; active: boolean }[];
    const me = users.find((u) => u.username === 'admin')!;
    const demote = await fails(api.invoke('users.setRole', { id: me.id, role: 'cashier' }, admin));
    expect(demote.code).toBe('rule');
    expect(demote.message).toMatch(/único administrador/);
    expect((await fails(api.invoke('users.setActive', { id: me.id, active: false }, admin))).message).toMatch(/único administrador/);

    const u = (await api.invoke('users.create', { username: 'Lucia', name: 'Lucía Ramos', role: 'admin', pin: '5678' }, admin)) as { id: number; username: string; active: boolean };
    expect(u).toMatchObject({ username: 'lucia', active: true });
    const lucia = await login('lucia', '5678');
    // Now there are two admins: the first one can step down.
    expect(await api.invoke('users.setRole', { id: me.id, role: 'supervisor' }, lucia)).toMatchObject({ role: 'supervisor' });
    expect(await api.invoke('users.resetPin', { id: u.id, pin: '9999' }, lucia)).toEqual({ ok: true });
    expect(await login('lucia', '9999')).toBeTruthy();
    expect((await fails(api.invoke('users.create', { username: 'x', name: '', role: 'cashier', pin: '1' }, lucia))).code).toBe('rule');
    expect(auditRows('user.role')).toHaveLength(1);
  });

  it('db.backupNow writes a verified copy under the data directory (admin only)', async () => {
    expect((await fails(api.invoke('db.backupNow', {}, supervisor))).code).toBe('forbidden');
    const { file } = (await api.invoke('db.backupNow', {}, admin)) as { file: string };
    expect(file.startsWith(dir)).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
  });
});
