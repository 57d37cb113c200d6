// Issue 16 item 4: once a till is enrolled in a hub, the hub is the source of truth for the catalog, the users and the
// store's settings and tax rates. Every local edit of those is refused with the sentence that says where they are
// changed — through the contract as the screens call it, and the services below it — and changes nothing (not even an
// audit row); what the hub sends (hub.pull) still writes them. This till's own settings (printer, SUNAT), unlocking a
// user and a customer created at the counter stay allowed. The hub here is a small stand-in on 127.0.0.1 that
// answers enrolment and the change feed with the protocol's own schemas (the real hub: test/e2e/hub-admin.test.ts).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { createProduct } from '../../src-main/pos/catalog';
import { createUser } from '../../src-main/pos/users';
import { pullAll } from '../../src-main/replication/pull';
import { getSetting } from '../../src-main/db/settings';
import { enrolRequest, HUB_PATHS, HUB_PROTOCOL_VERSION, type EnrolResponse, type HubChange } from '../../src-shared/hub-protocol';
import { demoApp, type TestApp } from '../helpers/app';
import { apiClient, refused, type ApiClient } from '../helpers/api';

const CODE = 'CODIGO-DE-PRUEBA-1';
let t: TestApp;
let api: Api;
let c: ApiClient;
let hubUrl = '';
const changes: HubChange[] = [];
const hub = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (b: Buffer) => chunks.push(b));
  req.on('end', () => {
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const u = new URL(req.url!, hubUrl);
    if (u.pathname === HUB_PATHS.enrol) {
      const r = enrolRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (!r.success || r.data.code !== CODE) return send(404, { error: 'bad_code', message: 'El código de inscripción no existe.' });
      const answer: EnrolResponse = {
        protocol: HUB_PROTOCOL_VERSION, terminalId: crypto.randomUUID(), terminalName: 'CAJA-01', token: crypto.randomBytes(32).toString('base64url'),
        store: { ruc: r.data.terminal.ruc!, establishment: '0000', name: 'Bodega Demo', address: null },
        series: [{ documentType: '03', series: 'B001' }, { documentType: '01', series: 'F001' }],
      };
      return send(200, answer);
    }
    if (u.pathname === HUB_PATHS.pull) {
      const after = Number(u.searchParams.get('after'));
      const list = changes.filter((x) => x.seq > after);
      return send(200, { changes: list, lastSeq: list.at(-1)?.seq ?? after, more: false, serverTime: new Date().toISOString() });
    }
    if (u.pathname === HUB_PATHS.push) return send(200, { appliedSeq: 0, serverTime: new Date().toISOString() });
    return send(404, { error: 'not_found', message: 'Ruta desconocida.' });
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  t = demoApp();
  api = new Api(t.app);
  c = apiClient(() => api);
});
afterAll(async () => {
  await t?.close();
  hub.closeAllConnections();
  await new Promise<void>((r) => hub.close(() => r()));
});

/** Everything a refused edit could have touched. */
function snapshot() {
  const all = (sql: string) => t.app.db.raw.prepare(sql).all();
  return {
    products: all('SELECT * FROM products ORDER BY id'),
    users: all('SELECT id, username, name, role, pin_hash, active FROM users ORDER BY id'),
    settings: all('SELECT * FROM settings ORDER BY key'),
    series: all('SELECT * FROM series ORDER BY id'),
    audit: all('SELECT count(*) n FROM audit_log'),
  };
}
const product = () => t.app.db.raw.prepare(`SELECT * FROM products WHERE is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`).get() as
  { id: number; sku: string; barcode: string | null; name: string; price: string; tax_affectation: string; unit_code: string; stock: string };
const userId = (username: string) => (t.app.db.raw.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id;

describe('a till enrolled in a hub: the hub owns catalog, users and store settings', () => {
  it('before enrolment the admin edits them here; enrolment turns them to the hub (status.hubUrl)', async () => {
    const admin = await c.login('admin', '1111');
    const p = product();
    const saved = await c.call('products.save', { id: p.id, sku: p.sku, barcode: p.barcode, name: p.name, price: '9.90', taxAffectation: p.tax_affectation, unitCode: p.unit_code, stock: p.stock }, admin);
    expect(saved.price).toBe('9.90');
    expect(t.app.status().hubUrl).toBeNull();
    const status = await c.call('admin.hubJoin', { url: hubUrl, code: CODE }, admin);
    expect(status).toMatchObject({ enrolled: true, url: hubUrl, series: expect.arrayContaining([{ documentType: '03', series: 'B001', nextNumber: 1 }]) });
    expect(t.app.status().hubUrl).toBe(hubUrl);
  });

  it('every local edit of products, users, store settings, tax rates and series is refused with where to do it, and changes nothing', async () => {
    const admin = await c.login('admin', '1111');
    const sup = await c.login('supervisor', '2222'); // a login is audited: before the snapshot
    const p = product();
    const cashierId = userId('cashier');
    const before = snapshot();
    const say = (what: string) => `Este terminal está enlazado a la central: ${what} (${hubUrl}).`;
    const products = say('los productos se cambian en la central');
    const users = say('los usuarios se cambian en la central');
    const fields = { sku: p.sku, barcode: p.barcode, name: p.name, price: '7.50', taxAffectation: p.tax_affectation, unitCode: p.unit_code, stock: p.stock };
    const refusals: [string, unknown, string][] = [
      ['products.save', { ...fields, sku: 'NUEVO-1', barcode: null }, products],
      ['products.save', { id: p.id, ...fields }, products],
      ['products.setActive', { id: p.id, active: false }, products],
      ['products.csvImport', { text: 'sku,barcode,name,price,tax_affectation,unit_code,stock,active\nCSV-1,,AGUA,2.50,10,NIU,5,1\n' }, products],
      ['users.create', { username: 'maria', name: 'María', role: 'cashier', pin: '4455' }, users],
      ['users.setRole', { id: cashierId, role: 'supervisor' }, users],
      ['users.resetPin', { id: cashierId, pin: '9999' }, users],
      ['users.setActive', { id: cashierId, active: false }, users],
      ['settings.update', { store: { tradeName: 'Otra Bodega' } }, say('los datos de la tienda se cambian en la central')],
      ['settings.update', { igvRate: { rate: '0.16' } }, say('las tasas de impuestos se cambian en la central')],
      ['settings.update', { maxReprints: 7, autoLockMinutes: 9 }, say('las reglas de la tienda (descuentos, reimpresiones, fondo inicial, bloqueo, cajón) se cambian en la central')],
      ['settings.update', { series: { boleta: 'B077' } }, say('las series las asigna la central')],
    ];
    for (const [call, input, message] of refusals) {
      const r = await c.refusal(call as 'products.save', input, admin);
      expect({ call, message: r.message }).toEqual({ call, message });
    }
    // A supervisor's product edit too (products are managers'), and the services below the contract by themselves.
    expect((await c.refusal('products.setActive', { id: p.id, active: false }, sup)).message).toBe(products);
    refused(() => createProduct(t.app.db, t.clock.now(), { sku: 'X-1', name: 'X', price: '1.00' }), /los productos se cambian en la central/);
    refused(() => createUser(t.app.db, t.clock.now(), { username: 'pepe', name: 'Pepe', role: 'cashier', pin: '1234' }), /los usuarios se cambian en la central/);
    expect(snapshot()).toEqual(before);
  });

  it('this till’s own settings, a lockout and a customer made at the counter stay local; the store sent unchanged passes', async () => {
    const admin = await c.login('admin', '1111');
    const store = getSetting(t.app.db, 'store');
    const saved = await c.call('settings.update', { store, printer: { paperWidth: 58 }, autoLockMinutes: getSetting(t.app.db, 'autoLockMinutes') }, admin);
    expect(saved.printer.paperWidth).toBe(58);

    expect((await c.refusal('auth.login', { username: 'cashier', pin: '0000' }, admin)).code).not.toBe('accepted');
    expect((await c.call('users.unlock', { id: userId('cashier') }, admin)).failedPins).toBe(0);

    const cashier = await c.login('cashier', '3333');
    const sale = await c.call('sales.checkout', {
      documentType: '01', customer: { docType: '6', docNumber: '20100070970', name: 'SUPERMERCADOS PERUANOS S.A.' },
      lines: [{ productId: product().id, quantity: '1' }], payments: [{ method: 'cash', amount: '20' }],
    }, cashier);
    expect(sale.number).toMatch(/^F001-/);
    const customer = t.app.db.raw.prepare(`SELECT id FROM customers WHERE doc_number = '20100070970'`).get() as { id: number };
    expect(t.app.db.raw.prepare(`SELECT count(*) n FROM outbox WHERE kind = 'customer' AND ref = ?`).get(customer.id)).toEqual({ n: 1 });
    expect((await c.call('customers.update', { id: customer.id, address: 'AV. MORALES DUAREZ 1234' }, admin)).address).toBe('AV. MORALES DUAREZ 1234');
  });

  it('what the hub sends still writes them: a price, a user, the store’s rules; this till’s own keys are never taken', async () => {
    const p = product();
    changes.push(
      { seq: 1, entity: 'product', key: p.sku, data: { code: p.sku, barcode: p.barcode, name: p.name, unit: p.unit_code, price: '4.20', taxAffectation: p.tax_affectation, isBag: false, active: true } },
      { seq: 2, entity: 'user', key: 'maria', data: { username: 'maria', name: 'María Quispe', role: 'cashier', pinHash: 'scrypt$x$y', active: true } },
      { seq: 3, entity: 'setting', key: 'maxReprints', data: { value: 5 } },
      { seq: 4, entity: 'setting', key: 'store', data: { value: { tradeName: 'Bodega Central' } } },
      { seq: 5, entity: 'setting', key: 'printerName', data: { value: 'EPSON-CENTRAL' } },
    );
    const r = await pullAll({ db: t.app.db, secrets: t.app.secrets, now: () => t.clock.now() });
    expect(r.skipped).toEqual([{ key: 'setting:printerName', reason: 'es propio de esta caja' }]);
    expect(product().price).toBe('4.20');
    expect(t.app.db.raw.prepare(`SELECT name FROM users WHERE username = 'maria'`).get()).toEqual({ name: 'María Quispe' });
    expect(getSetting(t.app.db, 'maxReprints')).toBe(5);
    expect(getSetting(t.app.db, 'store').tradeName).toBe('Bodega Central');
    expect(getSetting(t.app.db, 'printerName')).toBe('');
  });
});
