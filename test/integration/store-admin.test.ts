import { limaDate } from '../../src-shared/time';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { addProduct, addUser, assertAdmin, changeUserRole, editCustomer, editProduct, resetUserPin, setProductActive, setUserActive, updateSettings } from '../../src-main/pos/admin';
import { readSettings, type SettingsPatch } from '../../src-main/db/settings-change';
import { isFirstRun, setupDemoStore, setupOwnStore, type OwnStoreInput } from '../../src-main/pos/setup';
import { authenticate } from '../../src-main/pos/users';
import { getSetting, taxRatesOn } from '../../src-main/db/settings';
import { readSunatCredentials } from '../../src-main/db/settings-credentials';
import { openSession, closeSession } from '../../src-main/pos/cash';
import { createApp, type App } from '../../src-main/app';
import { ManualClock } from '../../src-main/adapters';
import { readSchedule } from '../../src-main/db/settings-schedule';
import { ApiError } from '../../src-shared/contract';
import { count, demoApp, tempDir, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: number;
beforeEach(() => {
  t = demoApp({ openSession: false });
  admin = (t.app.db.raw.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id;
});
afterEach(() => t.close());

const now = () => t.clock.now();
const audits = (action: string) => (t.app.db.raw.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id').all(action) as { user_id: number; entity_id: string; details: string }[]).map((a) => ({ ...a, details: JSON.parse(a.details) }));
const user = (id: number) => t.app.db.raw.prepare('SELECT * FROM users WHERE id = ?').get(id) as { role: string; active: number };
const refusedWith = (fn: () => unknown, code: string, msg: RegExp) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(code);
    expect((e as ApiError).message).toMatch(msg);
    return;
  }
  throw new Error('expected a refusal');
};
const NEW = { sku: 'N-1', barcode: '7759999000011', name: 'LECHE EVAPORADA', price: '4.20', taxAffectation: '10', unitCode: 'NIU', stock: '10' };

describe('products admin', () => {
  it('creates, edits and deactivates a product, auditing each change with old and new values', () => {
    const id = addProduct(t.app.db, now(), admin, NEW);
    editProduct(t.app.db, now(), t.supervisor.id, id, { price: '4.50', name: 'LECHE EVAPORADA 400G' });
    setProductActive(t.app.db, now(), admin, id, false);
    const p = t.app.db.raw.prepare('SELECT * FROM products WHERE id = ?').get(id) as Record<string, unknown>;
    expect(p).toMatchObject({ price: '4.50', name: 'LECHE EVAPORADA 400G', active: 0 });
    expect(audits('product.create')[0]).toMatchObject({ user_id: admin, entity_id: String(id) });
    expect(audits('product.update')[0]).toMatchObject({ user_id: t.supervisor.id, details: { price: { old: '4.20', new: '4.50' }, name: { old: 'LECHE EVAPORADA', new: 'LECHE EVAPORADA 400G' } } });
    expect(audits('product.update')[1].details).toEqual({ active: { old: true, new: false } });
  });

  it.each([
    [{ price: '0' }, /Precio no válido/],
    [{ price: '-1.00' }, /Precio no válido/],
    [{ price: '1.234' }, /Precio no válido/],
    [{ taxAffectation: '99' }, /Afectación/],
    [{ unitCode: 'XX' }, /Unidad de medida/],
    [{ barcode: '7750000000014' }, /ya lo tiene el producto P0001/],
    [{ sku: 'P0001' }, /otro producto con el código P0001/],
    [{ name: ' ' }, /nombre es obligatorio/],
  ])('refuses %j', (change, msg) => {
    const before = count(t.app, 'products');
    refusedWith(() => addProduct(t.app.db, now(), admin, { ...NEW, ...change }), 'rule', msg);
    expect(count(t.app, 'products')).toBe(before);
  });

  it('a cashier cannot touch the catalog', () => {
    refusedWith(() => addProduct(t.app.db, now(), t.cashier.id, NEW), 'forbidden', /administrador o supervisor/);
  });
});

describe('customers admin', () => {
  it('corrects a customer\'s name and email, audited; a cashier cannot', () => {
    const c = t.app.db.raw.prepare(`SELECT id, name FROM customers WHERE doc_type = '6' LIMIT 1`).get() as { id: number; name: string };
    editCustomer(t.app.db, now(), t.supervisor.id, c.id, { name: 'Nueva Razón S.A.C.', email: 'compras@nueva.pe' });
    expect(t.app.db.raw.prepare('SELECT name, email FROM customers WHERE id = ?').get(c.id)).toEqual({ name: 'NUEVA RAZÓN S.A.C.', email: 'compras@nueva.pe' });
    expect(audits('customer.update')[0].details.name).toEqual({ old: c.name, new: 'NUEVA RAZÓN S.A.C.' });
    refusedWith(() => editCustomer(t.app.db, now(), t.supervisor.id, c.id, { email: 'no-es-correo' }), 'rule', /Correo no válido/);
    refusedWith(() => editCustomer(t.app.db, now(), t.cashier.id, c.id, { name: 'X' }), 'forbidden', /supervisor/);
  });
});

describe('users admin', () => {
  it('creates a user, changes the role, resets the PIN and deactivates — all audited, the PIN never', () => {
    const id = addUser(t.app.db, now(), admin, { username: 'Maria', name: 'María Quispe', role: 'cashier', pin: '4321' });
    expect(authenticate(t.app.db, 'maria', '4321')).toBeTruthy();
    changeUserRole(t.app.db, now(), admin, id, 'supervisor');
    resetUserPin(t.app.db, now(), admin, id, '9876');
    expect(authenticate(t.app.db, 'maria', '9876')).toBeTruthy();
    setUserActive(t.app.db, now(), admin, id, false);
    expect(authenticate(t.app.db, 'maria', '9876')).toBeNull();
    expect(audits('user.role')[0].details).toEqual({ role: { old: 'cashier', new: 'supervisor' } });
    expect(audits('user.pin')[0].details).toEqual({ pin: 'changed' });
    expect(JSON.stringify(t.app.db.raw.prepare('SELECT details FROM audit_log').all())).not.toMatch(/9876|4321/);
    expect(audits('user.deactivate')).toHaveLength(1);
  });

  it('the last active admin can never be demoted or deactivated', () => {
    refusedWith(() => changeUserRole(t.app.db, now(), admin, admin, 'cashier'), 'rule', /único administrador activo/);
    refusedWith(() => setUserActive(t.app.db, now(), admin, admin, false), 'rule', /único administrador activo/);
    expect(user(admin)).toMatchObject({ role: 'admin', active: 1 });
    const second = addUser(t.app.db, now(), admin, { username: 'jefe', name: 'Jefe', role: 'admin', pin: '5555' });
    setUserActive(t.app.db, now(), second, admin, false); // now there is another admin
    refusedWith(() => setUserActive(t.app.db, now(), second, second, false), 'rule', /único administrador/);
    // A deactivated admin acts as nobody.
    refusedWith(() => addUser(t.app.db, now(), admin, { username: 'otro', name: 'Otro', role: 'cashier', pin: '1234' }), 'forbidden', /administrador/);
  });

  it('a cashier or supervisor cannot manage users', () => {
    refusedWith(() => addUser(t.app.db, now(), t.cashier.id, { username: 'x1', name: 'X', role: 'admin', pin: '1234' }), 'forbidden', /Solo un administrador/);
    refusedWith(() => changeUserRole(t.app.db, now(), t.supervisor.id, t.cashier.id, 'admin'), 'forbidden', /Solo un administrador/);
    expect(() => assertAdmin({ role: 'cashier' })).toThrow(ApiError);
    expect(() => assertAdmin({ role: 'admin' })).not.toThrow();
  });
});

describe('settings', () => {
  it('a cashier\'s attempt is refused and changes nothing', () => {
    refusedWith(() => updateSettings(t.app.db, now(), t.cashier.id, { terminalId: 'CAJA-09' }), 'forbidden', /Solo un administrador/);
    expect(getSetting(t.app.db, 'terminalId')).toBe('CAJA-01');
  });

  const bad: [string, SettingsPatch, string, RegExp][] = [
    ['a RUC with a wrong check digit', { store: { ruc: '20601234566' } }, 'store.ruc', /dígito verificador/],
    ['a short RUC', { store: { ruc: '2060123' } }, 'store.ruc', /11 dígitos/],
    ['a 5-digit ubigeo', { store: { ubigeo: '15012' } }, 'store.ubigeo', /6 dígitos/],
    ['an establishment code of 3 digits', { store: { establishmentCode: '000' } }, 'store.establishmentCode', /4 dígitos/],
    ['an empty legal name', { store: { legalName: '' } }, 'store.legalName', /razón social/],
    ['a boleta series with F', { series: { boleta: 'F001' } }, 'series.boleta', /B seguida/],
    ['a factura series too long', { series: { factura: 'F0001' } }, 'series.factura', /F seguida/],
    ['a terminal id with spaces', { terminalId: 'CAJA 1' }, 'terminalId', /hasta 20/],
    ['an unknown SUNAT mode', { sunat: { mode: 'test' as never } }, 'sunat.mode', /Modo SUNAT/],
    ['custom mode without a URL', { sunat: { mode: 'custom', solUser: 'USER1', solPassword: 'x' } }, 'sunat.customUrl', /https/],
    ['custom mode over plain http', { sunat: { mode: 'custom', customUrl: 'http://ose.example.pe/billService', solUser: 'USER1', solPassword: 'x' } }, 'sunat.customUrl', /https/],
    ['production without SOL user', { sunat: { mode: 'production' } }, 'sunat.solUser', /usuario SOL/],
    ['a SOL user with symbols', { sunat: { solUser: 'a b!' } }, 'sunat.solUser', /3 a 8/],
    ['a paper width of 70', { printer: { paperWidth: 70 as 80 } }, 'printer.paperWidth', /80 o 58/],
    ['an IGV of 18', { igvRate: { rate: '18' } }, 'igvRate.rate', /fracción/],
    ['an ICBPER with letters', { icbperRate: { rate: 'cincuenta' } }, 'icbperRate.rate', /soles por bolsa/],
    ['an IGV start date that is not a date', { igvRate: { rate: '0.17', from: '2027-02-30' } }, 'igvRate.from', /AAAA-MM-DD/],
    ['a 4-field cron', { schedule: { 'report.daily': { cron: '0 23 * *' } } }, 'schedule.report.daily', /5 campos/],
    ['a cron hour of 25', { schedule: { 'report.daily': { cron: '0 25 * * *' } } }, 'schedule.report.daily', /Horario no válido/],
    ['an unknown schedule', { schedule: { nightly: { cron: '0 1 * * *' } } }, 'schedule.nightly', /No existe/],
    ['zero backup days', { backupRetentionDays: 0 }, 'backupRetentionDays', /entre 1 y 365/],
    ['log days as a fraction', { logRetentionDays: 1.5 }, 'logRetentionDays', /entero/],
    ['a discount limit over 100', { cashierDiscountLimitPercent: '150' }, 'cashierDiscountLimitPercent', /entre 0 y 100/],
    ['an opening float limit of zero', { openingFloatConfirmAbove: '0' }, 'openingFloatConfirmAbove', /mayor que cero/],
    ['an opening float limit as typed, unread', { openingFloatConfirmAbove: '1.500,00' }, 'openingFloatConfirmAbove', /monto en soles/],
  ];
  it.each(bad)('refuses %s, naming the field, and writes nothing', (_name, patch, path, msg) => {
    const before = t.app.db.raw.prepare('SELECT * FROM settings ORDER BY key').all();
    try {
      updateSettings(t.app.db, now(), admin, { ...patch, terminalId: 'CAJA-07', ...(path === 'terminalId' ? patch : {}) }, t.app.secrets);
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      const issue = (e as ApiError).issues?.find((i) => i.path === path);
      expect(issue?.message).toMatch(msg);
    }
    expect(t.app.db.raw.prepare('SELECT * FROM settings ORDER BY key').all()).toEqual(before); // the valid terminalId was not written either
    expect(audits('settings.update')).toHaveLength(0);
  });

  it('applies a valid patch and audits each key with old and new values', () => {
    const v = updateSettings(t.app.db, now(), admin, {
      store: { legalName: 'Mi Bodega S.A.C.', ubigeo: '150101' },
      printer: { name: 'EPSON TM-T20', paperWidth: 58 },
      schedule: { 'report.daily': { cron: '30 22 * * *' }, 'files.archive': { enabled: false } },
      backupRetentionDays: 30, logRetentionDays: 60, archiveMonths: 12, openingFloatConfirmAbove: '1500.5',
    }, t.app.secrets);
    expect(v.openingFloatConfirmAbove).toBe('1500.50');
    expect(v.store).toMatchObject({ legalName: 'MI BODEGA S.A.C.', ubigeo: '150101', ruc: '20601234565' });
    expect(v.printer).toEqual({ name: 'EPSON TM-T20', paperWidth: 58, escpos: null });
    expect(v.schedule['report.daily']).toMatchObject({ cron: '30 22 * * *', enabled: true });
    expect(v.schedule['files.archive'].enabled).toBe(false);
    expect(readSchedule(t.app.db)['report.daily'].cron).toBe('30 22 * * *'); // the scheduler reads what was saved
    expect(readSchedule(t.app.db)['files.archive']).toBeUndefined();
    expect([v.backupRetentionDays, v.logRetentionDays, v.archiveMonths]).toEqual([30, 60, 12]);
    const store = audits('settings.update').find((a) => a.entity_id === 'store')!;
    expect(store.user_id).toBe(admin);
    expect(store.details.old.legalName).toBe('BODEGA DEMO IZISALES S.A.C.');
    expect(store.details.new.legalName).toBe('MI BODEGA S.A.C.');
    expect(audits('settings.update').map((a) => a.entity_id).sort()).toEqual(['archiveMonths', 'backupRetentionDays', 'logRetentionDays', 'openingFloatConfirmAbove', 'paperWidth', 'printerName', 'schedule', 'store']);
  });

  it('stores the SOL password encrypted, never reads it back and audits it as "changed" only', () => {
    const v = updateSettings(t.app.db, now(), admin, { sunat: { mode: 'production', solUser: 'tienda01', solPassword: 'S3creta!' } }, t.app.secrets);
    expect(v.sunat).toEqual({ mode: 'production', customUrl: '', solUser: 'TIENDA01', hasPassword: true });
    expect(JSON.stringify(v)).not.toContain('S3creta');
    const raw = JSON.stringify(t.app.db.raw.prepare('SELECT * FROM settings').all()) + JSON.stringify(t.app.db.raw.prepare('SELECT * FROM audit_log').all());
    expect(raw).not.toContain('S3creta');
    expect(readSunatCredentials(t.app.db, t.app.secrets)).toEqual({ solUser: 'TIENDA01', solPassword: 'S3creta!' });
    const a = audits('settings.update').find((x) => x.entity_id === 'sunatCredentials')!;
    expect(a.details).toEqual({ old: null, new: 'TIENDA01', solPassword: 'changed' });
    // Changing only the user keeps the sealed password.
    updateSettings(t.app.db, now(), admin, { sunat: { solUser: 'TIENDA02' } }, t.app.secrets);
    expect(readSunatCredentials(t.app.db, t.app.secrets)).toEqual({ solUser: 'TIENDA02', solPassword: 'S3creta!' });
  });

  it('a series can be renamed until it issues its first number, and must be unique', () => {
    updateSettings(t.app.db, now(), admin, { series: { boleta: 'B002', factura: 'F002' } });
    expect(readSettings(t.app.db).series).toEqual({ boleta: 'B002', factura: 'F002' });
    const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' LIMIT 1`).get() as { id: number };
    openSession(t.app.db, now(), t.terminalId, t.cashier.id, '0.00');
    const sale = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100.00' }] });
    expect(sale.number).toMatch(/^B002-00000001$/);
    refusedWith(() => updateSettings(t.app.db, now(), admin, { series: { boleta: 'B003' } }), 'invalid_input', /B002 ya emitió comprobantes/);
    t.app.db.raw.prepare(`INSERT INTO series (terminal_id, document_type, series) VALUES ('CAJA-02', '01', 'F005')`).run();
    refusedWith(() => updateSettings(t.app.db, now(), admin, { series: { factura: 'F005' } }), 'invalid_input', /F005 ya está asignada/);
    refusedWith(() => updateSettings(t.app.db, now(), admin, { terminalId: 'CAJA-05' }), 'invalid_input', /Cierre la caja/);
    refusedWith(() => updateSettings(t.app.db, now(), admin, { store: { ruc: '20100070970' } }), 'invalid_input', /después de emitir/);
    closeSession(t.app.db, now(), t.terminalId, t.cashier.id, '0.00');
  });

  it('a new IGV announced for a later date applies from that date only', () => {
    updateSettings(t.app.db, now(), admin, { igvRate: { rate: '0.16', from: '2027-01-01' }, icbperRate: { rate: '0.60' } });
    expect(getSetting(t.app.db, 'igvRate')).toBe('0.18');
    // ICBPER "at once" is a change from today: earlier days keep the rate their sales were made with.
    expect(getSetting(t.app.db, 'icbperRate')).toBe('0.50');
    expect(taxRatesOn(t.app.db, limaDate(now()))).toEqual({ igv: '0.18', icbper: '0.60' });
    expect(taxRatesOn(t.app.db, '2026-11-01')).toEqual({ igv: '0.18', icbper: '0.50' });
    expect(taxRatesOn(t.app.db, '2026-12-31')).toEqual({ igv: '0.18', icbper: '0.60' });
    expect(taxRatesOn(t.app.db, '2027-01-01')).toEqual({ igv: '0.16', icbper: '0.60' });
  });
});

describe('first-run setup', () => {
  let dir: string;
  let app: App;
  beforeEach(() => {
    dir = tempDir();
    app = createApp({ dataDir: dir, clock: new ManualClock(new Date('2026-11-27T15:00:00Z')) });
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const own: OwnStoreInput = {
    ruc: '20100070970', legalName: 'Comercial Santa Rosa S.A.C.', tradeName: 'Minimarket Santa Rosa', address: 'Jr. Junín 456, Cercado de Lima',
    ubigeo: '150101', establishmentCode: '0001', terminalId: 'caja-02', boletaSeries: 'B002', facturaSeries: 'F002',
    admin: { username: 'rosa', name: 'Rosa Huamán', pin: '2468' }, sunatMode: 'beta',
  };

  it('an empty data directory is a first run; the demo store ends it', () => {
    expect(isFirstRun(app.db)).toBe(true);
    setupDemoStore(app);
    expect(isFirstRun(app.db)).toBe(false);
    expect(getSetting(app.db, 'demoMode')).toBe(true);
    expect(() => setupDemoStore(app)).toThrow(/ya está configurada/);
  });

  it('sets up the own store: settings, series, the first admin and demo mode off, in one go', () => {
    const adminId = setupOwnStore(app, own);
    expect(isFirstRun(app.db)).toBe(false);
    expect(authenticate(app.db, 'rosa', '2468')).toMatchObject({ id: adminId, role: 'admin' });
    const v = readSettings(app.db);
    expect(v.store).toEqual({ ruc: '20100070970', legalName: 'COMERCIAL SANTA ROSA S.A.C.', tradeName: 'Minimarket Santa Rosa', address: 'Jr. Junín 456, Cercado de Lima', ubigeo: '150101', establishmentCode: '0001' });
    expect([v.terminalId, v.series.boleta, v.series.factura, v.sunat.mode, v.demoMode]).toEqual(['CAJA-02', 'B002', 'F002', 'beta', false]);
    expect(count(app, 'products')).toBe(0);
    expect((app.db.raw.prepare(`SELECT user_id FROM audit_log WHERE action = 'store.setup'`).get() as { user_id: number }).user_id).toBe(adminId);
    expect(() => setupOwnStore(app, own)).toThrow(/ya está configurada/);
  });

  it('validates everything first and writes nothing on any error', () => {
    const wrong = { ...own, ruc: '20100070971', boletaSeries: 'X001', admin: { username: 'r', name: '', pin: '12' } };
    try {
      setupOwnStore(app, wrong);
      throw new Error('expected a refusal');
    } catch (e) {
      expect((e as ApiError).issues?.map((i) => i.path).sort()).toEqual(['admin.name', 'admin.pin', 'admin.username', 'series.boleta', 'store.ruc']);
    }
    expect(isFirstRun(app.db)).toBe(true);
    expect(count(app, 'settings') + count(app, 'series') + count(app, 'users') + count(app, 'audit_log')).toBe(0);
  });
});
