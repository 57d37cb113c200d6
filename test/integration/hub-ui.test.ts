// The hub's screens' contract (src-shared/hub-contract.ts) over real HTTP on the embedded engine (PGlite): the login
// and its cookie, the session and role checks (401 / 403 in Spanish), a price change that becomes a pull change for
// every terminal (audited), the terminals' users fed with their PIN's hash, the overview of a terminal that pushed
// (backlog, SUNAT pending and errors), the daily report equal to reports.ts, and the sales search.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HUB_PATHS, type EnrolResponse, type HubRecord, type PushRequest } from '../../src-shared/hub-protocol';
import type { HubCallInput, HubCallName, StoreOverview } from '../../src-shared/hub-contract';
import { openHubDb, type OpenHubDb } from '../../src-main/hub/db';
import { startHubServer, type HubServer } from '../../src-main/hub/server';
import { hubUi } from '../../src-main/hub/ui';
import { addHubUser } from '../../src-main/hub/people';
import { pullChanges } from '../../src-main/hub/feed';
import { hubDailyReport } from '../../src-main/hub/reports';
import { verifyPin } from '../../src-main/pin-hash';
import { freshHubDataDir } from '../helpers/hub-template';

const RUC = '20123456786';
const DAY = '2026-12-04';
const uid = () => randomBytes(16).toString('hex');

describe('the hub screens contract on the embedded engine', { timeout: 60_000 }, () => {
  const started = Date.now();
  let dataDir: string;
  let hub: OpenHubDb;
  let server: HubServer;
  const logs: string[] = [];

  beforeAll(async () => {
    dataDir = await freshHubDataDir('izisales-hub-ui-');
    const staticDir = path.join(dataDir, 'page');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>iziSales</title></head><body><div id="root"></div></body></html>');
    hub = await openHubDb({ dataDir });
    server = await startHubServer(hub.db, { port: 0, log: (l) => logs.push(l), ui: hubUi(hub.db, { staticDir, csp: "default-src 'self'", secure: false }) });
    await addHubUser(hub.db, { username: 'jefa', name: 'Rosa Jefa', role: 'admin', secret: '4821' });
    await addHubUser(hub.db, { username: 'encargado', name: 'Luis Encargado', role: 'manager', secret: 'clave-larga-9' });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`hub-ui.test.ts: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  /** One screen call as the browser makes it; `cookie` is the session cookie's "name=value". */
  async function ui<K extends HubCallName>(name: K, input: HubCallInput<K>, cookie?: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}/hub/ui/${name}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers }, body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as any, setCookie: res.headers.get('set-cookie') };
  }
  async function loginAs(username: string, secret: string): Promise<string> {
    const r = await ui('auth.login', { username, secret });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.setCookie!.split(';')[0];
  }

  let admin: string;
  let manager: string;
  let caja: EnrolResponse;

  test('login sets an HttpOnly SameSite=Strict cookie; a wrong PIN, no session and a foreign origin are refused in Spanish', async () => {
    const wrong = await ui('auth.login', { username: 'jefa', secret: '0000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/incorrectos/);
    expect(wrong.setCookie).toBeNull();

    const none = await ui('stores.overview', {});
    expect(none.status).toBe(401);
    expect(none.body.error.message).toMatch(/Ingrese con su usuario/);

    const r = await ui('auth.login', { username: 'jefa', secret: '4821' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ username: 'jefa', name: 'Rosa Jefa', role: 'admin' });
    expect(r.setCookie).toMatch(/HttpOnly/);
    expect(r.setCookie).toMatch(/SameSite=Strict/);
    admin = r.setCookie!.split(';')[0];
    expect((await ui('auth.me', {}, admin)).body.username).toBe('jefa');

    const foreign = await ui('auth.me', {}, admin, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);

    // The page is the app's, marked as the hub's.
    const page = await (await fetch(`${server.url}/`)).text();
    expect(page).toContain('<meta name="izisales-app" content="hub">');
    // No secret in the hub's log lines.
    expect(logs.join('\n')).not.toMatch(/4821|izisales_hub=/);
  });

  test('a manager is refused what only an admin may do (403), and may change the catalog', async () => {
    manager = await loginAs('encargado', 'clave-larga-9');
    for (const [name, input] of [['stores.add', { ruc: RUC, establishment: '0000', name: 'X' }], ['users.list', {}], ['terminals.add', { store: `${RUC}-0000`, name: 'CAJA-09' }]] as const) {
      const r = await ui(name as HubCallName, input as never, manager);
      expect(r.status, name).toBe(403);
      expect(r.body.error.message).toMatch(/solo para un administrador/);
    }
    expect((await hub.db.selectFrom('stores').select('id').execute())).toHaveLength(0);
    const p = await ui('products.save', { isNew: true, code: 'GAS-500', barcode: '7750001000011', name: 'Gaseosa 500 ml', price: '2.50', taxAffectation: '10', unit: 'NIU' }, manager);
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.price).toBe('2.50');
  });

  test('an admin adds a store and a terminal; the code is shown once and enrols the terminal', async () => {
    const s = await ui('stores.add', { ruc: RUC, establishment: '0000', name: 'Bodega Central', address: 'Av. Lima 123' }, admin);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const bad = await ui('stores.add', { ruc: '20123456780', establishment: '0000', name: 'Mala' }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/dígito verificador/);
    const t = await ui('terminals.add', { store: `${RUC}-0000`, name: 'caja-01' }, admin);
    expect(t.status).toBe(200);
    expect(t.body.name).toBe('CAJA-01');
    expect(t.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const audited = await hub.db.selectFrom('hub_audit').select(['action', 'details', 'username']).where('action', '=', 'terminal.add').execute();
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited[0].details)).not.toContain(t.body.code);

    const res = await fetch(`${server.url}${HUB_PATHS.enrol}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: t.body.code, terminal: { ruc: RUC, appVersion: '0.1.0', seriesInUse: [] } }),
    });
    expect(res.status).toBe(200);
    caja = (await res.json()) as EnrolResponse;
  });

  test('a price typed on the screen becomes a pull change for every terminal, audited with the old price', async () => {
    const before = await pullChanges(hub.db, 0, 500);
    const refused = await ui('products.save', { isNew: false, code: 'GAS-500', name: 'Gaseosa 500 ml', price: '3,50', taxAffectation: '10', unit: 'NIU' }, manager);
    expect(refused.status).toBe(400); // the screen sends what readMoney made of "3,50"
    expect(refused.body.error.message).toMatch(/Precio no válido/);
    const r = await ui('products.save', { isNew: false, code: 'GAS-500', barcode: '7750001000011', name: 'Gaseosa 500 ml', price: '3.50', taxAffectation: '10', unit: 'NIU' }, manager);
    expect(r.status).toBe(200);
    const after = await pullChanges(hub.db, before.lastSeq, 500);
    expect(after.changes).toEqual([expect.objectContaining({ entity: 'product', key: 'GAS-500', data: expect.objectContaining({ price: '3.50', active: true }) })]);
    const audit = await hub.db.selectFrom('hub_audit').select(['username', 'details']).where('action', '=', 'product.update').execute();
    expect(audit).toEqual([{ username: 'encargado', details: { code: 'GAS-500', name: 'Gaseosa 500 ml', price: '3.50', priceBefore: '2.50' } }]);

    const dup = await ui('products.save', { isNew: true, code: 'GAS-500', name: 'Otra', price: '1.00', taxAffectation: '10', unit: 'NIU' }, manager);
    expect(dup.status).toBe(409);
    expect((await pullChanges(hub.db, after.lastSeq, 500)).changes).toHaveLength(0); // a refusal changed nothing

    const off = await ui('products.setActive', { code: 'GAS-500', active: false }, manager);
    expect(off.body.active).toBe(false);
    expect((await pullChanges(hub.db, after.lastSeq, 500)).changes[0]).toMatchObject({ key: 'GAS-500', data: { active: false } });
  });

  test("the terminals' users are fed with their PIN's hash, never the PIN", async () => {
    const before = await pullChanges(hub.db, 0, 500);
    const r = await ui('users.save', { isNew: true, username: 'ana', name: 'Ana Cajera', role: 'cashier', pin: '2468', active: true }, admin);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const change = (await pullChanges(hub.db, before.lastSeq, 500)).changes.find((c) => c.entity === 'user')!;
    expect(change.data).toMatchObject({ username: 'ana', role: 'cashier', active: true });
    expect(verifyPin('2468', (change.data as { pinHash: string }).pinHash)).toBe(true);
    const noPin = await ui('users.save', { isNew: true, username: 'beto', name: 'Beto', role: 'cashier', active: true }, admin);
    expect(noPin.status).toBe(400);
    const audits = await hub.db.selectFrom('hub_audit').select('details').execute();
    expect(JSON.stringify(audits)).not.toContain('2468');
  });

  test('the overview shows a terminal that pushed: backlog, SUNAT pending and errors; the report equals reports.ts; sales are found', async () => {
    const sale = (n: number, total: number, customer: { doc: string; name: string } = { doc: '-', name: 'Clientes varios' }): Extract<HubRecord, { kind: 'sale' }> => ({
      kind: 'sale', uid: uid(), version: n,
      head: {
        issueDate: DAY, issuedAt: `${DAY}T15:0${n}:00.000Z`, documentType: '03', series: 'B001', correlative: n, number: `B001-${n}`,
        status: 'completed', totalCents: total, userName: 'Ana Cajera', customerDocNumber: customer.doc,
      },
      data: { customer_name: customer.name },
    });
    const doc = (s: Extract<HubRecord, { kind: 'sale' }>, status: string): HubRecord => ({
      kind: 'document', uid: uid(), version: s.version + 10,
      head: { documentType: '03', number: s.head.number, issueDate: DAY, status, ownerUid: s.uid, cdrCode: null, simulated: true },
      data: {},
    });
    const s1 = sale(1, 1250);
    const s2 = sale(2, 4000, { doc: '44556677', name: 'María Quispe' });
    const s3 = sale(3, 990);
    const body: PushRequest = { terminalId: caja.terminalId, fromSeq: 1, toSeq: 20, backlog: 7, records: [s1, s2, s3, doc(s1, 'accepted'), doc(s2, 'pending'), doc(s3, 'error')] };
    const res = await fetch(`${server.url}${HUB_PATHS.push}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${caja.token}` }, body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);

    const overview = (await ui('stores.overview', {}, manager)).body as StoreOverview[];
    const t = overview[0].terminals[0];
    expect(t).toMatchObject({ name: 'CAJA-01', backlog: 7, sunatPending: 1, sunatErrors: 1 });
    expect(t.lastContact).not.toBeNull();
    expect(t.lagSeconds).toEqual(expect.any(Number));

    const report = await ui('reports.daily', { date: DAY }, manager);
    expect(report.body).toEqual(JSON.parse(JSON.stringify(await hubDailyReport(hub.db, DAY))));
    expect(report.body.totalBilled).toBe('62.40');
    expect((await ui('reports.daily', { date: '4/12/2026' }, manager)).status).toBe(400);

    const byCustomer = await ui('sales.search', { from: DAY, to: DAY, customer: 'quispe' }, manager);
    expect(byCustomer.body.rows.map((r: any) => [r.number, r.total, r.sunatStatus, r.terminalName])).toEqual([['B001-2', '40.00', 'pending', 'CAJA-01']]);
    const byNumber = await ui('sales.search', { from: DAY, to: DAY, number: 'b001-3' }, manager);
    expect(byNumber.body.rows.map((r: any) => r.number)).toEqual(['B001-3']);
    const all = await ui('sales.search', { from: DAY, to: DAY, terminalId: caja.terminalId }, manager);
    expect(all.body.rows).toHaveLength(3);
    expect((await ui('sales.search', { from: '2026-12-05', to: DAY }, manager)).status).toBe(400);
  });

  test('logout ends the session: the cookie no longer opens anything', async () => {
    const r = await ui('auth.logout', {}, manager);
    expect(r.setCookie).toMatch(/Max-Age=0/);
    expect((await ui('auth.me', {}, manager)).status).toBe(401);
  });
});
