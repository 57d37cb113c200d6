// The hub's screens' contract (src-shared/hub-contract.ts) over real HTTP on the embedded engine (PGlite): the login
// and its cookie, the session and role checks (401 / 403 in Spanish), a price change that becomes a pull change for
// every terminal (audited), the terminals' users fed with their PIN's hash, the overview of a terminal that pushed
// (backlog, SUNAT pending and errors), the daily report equal to reports.ts, and the sales search. Then issue 16's
// "Done when": three real tills (demo SQLite stores in this process), two of one store and one of another, enrol and
// sell a day — boletas and facturas paid in cash (with change), card and Yape, a factura on credit partly collected, a
// return refunded in cash, a cancelled sale, a paid-in, documents accepted, observed and pending, a closed drawer — and
// push: the hub's report of the store equals the sum of its tills' own daily reports, field by field (the chain's,
// of every till), and its PDF (behind the session, and from `hub report daily --pdf`) says its total and every method.
import { execFileSync } from 'node:child_process';
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
import { pullChanges, setProduct } from '../../src-main/hub/feed';
import { hubDailyReport, hubStoreDayReport } from '../../src-main/hub/reports';
import { addStore, addTerminal } from '../../src-main/hub/admin';
import { publishAdminDoor } from '../../src-main/hub/admin-door';
import { getSetting, taxRatesOn } from '../../src-main/db/settings';
import { cashMove, closeSession } from '../../src-main/pos/cash';
import { collect } from '../../src-main/pos/receivables';
import { dailyReport } from '../../src-main/reports/daily';
import { joinHub } from '../../src-main/replication/enrol';
import { backlog } from '../../src-main/replication/link';
import { pushOutbox } from '../../src-main/replication/push';
import { pullAll } from '../../src-main/replication/pull';
import { authenticate, createUser } from '../../src-main/pos/users';
import { hubJoinNotices } from '../../src-shared/labels';
import { main } from '../../src-main/cli';
import { Dec, formatSoles } from '../../src-shared/decimal';
import { HUB_REPORT_PDF_PATH } from '../../src-shared/hub-contract';
import { computePricedSale } from '../../src-shared/sale-lines';
import { limaDate } from '../../src-shared/time';
import type { DailyReport } from '../../src-shared/reports';
import { demoApp, type TestApp } from '../helpers/app';
import { requireTools } from '../helpers/tools';
import { hashPin, verifyPin } from '../../src-main/pin-hash';
import { freshHubDataDir } from '../helpers/hub-template';

const CUSTOMER = { docType: '6' as const, docNumber: '20123456786', name: 'DISTRIBUIDORA LOS ANDES S.A.C.' };
const cents = (s: string) => Math.round(Number(s) * 100);
const solesOf = (c: number) => Dec.fromCents(c).toFixed(2);

/** A day of one till: every way money comes and goes that the daily report counts. `k` varies the amounts. */
function sellADay(t: TestApp, k: number): void {
  const { app, clock, terminalId, cashier, supervisor } = t;
  const products = app.db.raw.prepare(`SELECT id, price FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 4`).all() as { id: number; price: string }[];
  const payable = (p: { price: string }, qty: string) =>
    computePricedSale([{ quantity: qty, unitPrice: p.price, taxAffectation: '10', isBag: false, discount: null }], taxRatesOn(app.db, limaDate(clock.now()))).totals.payable.toFixed(2);
  const line = (i: number, qty: string) => [{ productId: products[i].id, quantity: qty }];

  // A boleta in cash with change; one by Yape and cash (cancelled later); one by card, exact; a factura by card.
  const b1 = app.sell(cashier, terminalId, { documentType: '03', lines: line(0, String(2 + k)), payments: [{ method: 'cash', amount: '500.00' }] });
  const b2 = app.sell(cashier, terminalId, { documentType: '03', lines: line(1, '1'), payments: [{ method: 'yape', amount: '1.00', reference: `OP${k}1` }, { method: 'cash', amount: '200.00' }] });
  app.sell(supervisor, terminalId, { documentType: '03', lines: line(2, String(1 + k)), payments: [{ method: 'card', amount: payable(products[2], String(1 + k)), reference: `V${k}` }] });
  app.sell(cashier, terminalId, { documentType: '01', customer: CUSTOMER, lines: line(3, '3'), payments: [{ method: 'yape', amount: '2.50', reference: `OP${k}2` }, { method: 'card', amount: Dec.of(payable(products[3], '3')).minus('2.50').toFixed(2) }] });
  // A factura on credit (one instalment in 30 days), 10.00 of it collected in cash the same day.
  const onCredit = payable(products[0], '10');
  const f2 = app.sell(cashier, terminalId, {
    documentType: '01', customer: CUSTOMER, lines: line(0, '10'), payments: [],
    credit: { amount: onCredit, instalments: [{ amount: onCredit, dueDate: limaDate(new Date(clock.now().getTime() + 30 * 86_400_000)) }] },
  });
  collect(app.db, clock.now(), terminalId, cashier, { saleId: f2.saleId, amount: '10.00', method: 'cash' });
  // A return refunded in cash (a credit note), a paid-in, a sale cancelled.
  app.returnSale(cashier, terminalId, { saleId: b1.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
  cashMove(app.db, clock.now(), terminalId, cashier.id, 'in', '20.00', 'Sencillo');
  app.db.raw.prepare(`UPDATE sales SET status = 'cancelled' WHERE id = ?`).run(b2.saleId);
  // SUNAT's answers as the simulator gives them: some accepted, one observed, the rest pending.
  app.db.raw.prepare(`UPDATE documents SET status = 'accepted', simulated = 1 WHERE id % 2 = 0`).run();
  app.db.raw.prepare(`UPDATE documents SET status = 'observed', simulated = 1 WHERE id = (SELECT max(id) FROM documents)`).run();
  if (k === 0) closeSession(app.db, clock.now(), terminalId, cashier.id, '300.00');
}

/** The sum of tills' own reports, for every figure that must add up. */
function sumOf(reports: DailyReport[]) {
  const money = (f: (r: DailyReport) => { count: number; total: string } | undefined) => {
    const xs = reports.map(f).filter((x) => x !== undefined);
    return { count: xs.reduce((a, x) => a + x.count, 0), total: solesOf(xs.reduce((a, x) => a + cents(x.total), 0)) };
  };
  const keys = (f: (r: DailyReport) => Record<string, unknown>) => [...new Set(reports.flatMap((r) => Object.keys(f(r))))].sort();
  const n = (f: (r: DailyReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  return {
    salesCount: n((r) => r.salesCount), issued: n((r) => r.issued), acceptedOrObserved: n((r) => r.accepted + r.observed),
    statuses: Object.fromEntries((['accepted', 'observed', 'rejected', 'error', 'pending', 'voided'] as const).map((s) => [s, n((r) => r[s])])),
    acceptedBySimulator: n((r) => r.acceptedBySimulator),
    totalBilled: solesOf(n((r) => cents(r.totalBilled))), netBilled: solesOf(n((r) => cents(r.netBilled))),
    creditNotes: money((r) => r.creditNotes), debitNotes: money((r) => r.debitNotes), cancelled: money((r) => r.cancelled),
    collections: { ...money((r) => r.collections), cash: solesOf(n((r) => cents(r.collections!.cash))) },
    byPaymentMethod: Object.fromEntries(keys((r) => r.byPaymentMethod).map((m) => [m, money((r) => r.byPaymentMethod[m])])),
    byDocumentType: Object.fromEntries(keys((r) => r.byDocumentType).map((type) => [type, {
      issued: n((r) => r.byDocumentType[type]?.issued ?? 0), sales: n((r) => r.byDocumentType[type]?.sales ?? 0),
      total: solesOf(n((r) => cents(r.byDocumentType[type]?.total ?? '0'))),
      accepted: n((r) => r.byDocumentType[type]?.accepted ?? 0), pending: n((r) => r.byDocumentType[type]?.pending ?? 0),
    }])),
    sessions: n((r) => r.cashSessions.length), notAcceptedCount: n((r) => r.notAcceptedCount),
  };
}
/** The same figures of the hub's report. */
const figuresOf = (r: DailyReport) => sumOf([r]);

const RUC = '20123456786';
const DAY = '2026-12-04';
const uid = () => randomBytes(16).toString('hex');

describe('the hub screens contract on the embedded engine', { timeout: 60_000 }, () => {
  const started = Date.now();
  let dataDir: string;
  let hub: OpenHubDb;
  let server: HubServer;
  let door: { key: string; remove(): void } | null = null;
  const logs: string[] = [];

  beforeAll(async () => {
    dataDir = await freshHubDataDir('izisales-hub-ui-');
    const staticDir = path.join(dataDir, 'page');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><html><head><title>iziSales</title></head><body><div id="root"></div></body></html>');
    hub = await openHubDb({ dataDir });
    server = await startHubServer(hub.db, { port: 0, log: (l) => logs.push(l), adminKey: () => door?.key ?? null, ui: hubUi(hub.db, { staticDir, csp: "default-src 'self'", secure: false }) });
    door = publishAdminDoor(dataDir, server.url);
    await addHubUser(hub.db, { username: 'jefa', name: 'Rosa Jefa', role: 'admin', secret: '4821' });
    await addHubUser(hub.db, { username: 'encargado', name: 'Luis Encargado', role: 'manager', secret: 'clave-larga-9' });
  }, 60_000);
  afterAll(async () => {
    door?.remove();
    await server?.close();
    await hub?.close();
    for (const { t } of tills) await t.close();
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

  // ---- the daily report of a store, adding up to its tills (issue 16's "Done when") ----
  const tills: { t: TestApp; name: string; store: string }[] = [];
  let storeA = '';
  let date = '';
  let own: DailyReport[] = [];

  test('three real tills (two of one store, one of another) enrol, sell a day and push it', async () => {
    // On the real clock (the hub answers with its own time); the demo stores' RUC, two establishments.
    const now = new Date().toISOString();
    for (let i = 0; i < 3; i++) tills.push({ t: demoApp({ at: now }), name: `CAJA-0${i + 1}`, store: '' });
    const s = getSetting(tills[0].t.app.db, 'store');
    storeA = `${s.ruc}-${s.establishmentCode}`;
    const storeB = `${s.ruc}-${String(Number(s.establishmentCode) + 1).padStart(4, '0')}`;
    await addStore(hub.db, { ruc: s.ruc, establishment: storeA.slice(12), name: 'Bodega Centro' });
    await addStore(hub.db, { ruc: s.ruc, establishment: storeB.slice(12), name: 'Bodega Norte' });
    // The hub already holds one of the demo codes, at its own price (a manager set it before the tills came).
    await setProduct(hub.db, { code: 'P0001', name: 'GASEOSA INCA KOLA 500ML', price: '2.80' });
    const demoCatalog = (tills[0].t.app.db.prepare('SELECT count(*) AS n FROM products').get() as { n: number }).n;
    // Their people: till 2's cashier chose another PIN before the store had a hub; till 3 has a cashier of its own.
    const usernames = (t: TestApp) => t.app.db.prepare('SELECT username FROM users ORDER BY id').pluck().all() as string[];
    const demoUsers = usernames(tills[0].t);
    tills[1].t.app.db.prepare("UPDATE users SET pin_hash = ? WHERE username = 'cashier'").run(hashPin('9753'));
    createUser(tills[2].t.app.db, tills[2].t.clock.now(), { username: 'maria', name: 'María Quispe', role: 'cashier', pin: '2580' });
    const heldBefore = new Set((await hub.db.selectFrom('users').select('username').execute()).map((u) => u.username));
    const joinedUsers: ({ added: string[]; kept: string[] } | null)[] = [];
    const added: (number | null)[] = [];
    for (const [i, till] of tills.entries()) {
      till.store = i < 2 ? storeA : storeB;
      const { code } = await addTerminal(hub.db, { store: till.store, name: till.name });
      const { app } = till.t;
      const joined = await joinHub({ db: app.db, secrets: app.secrets, now: () => till.t.clock.now() }, { url: server.url, code, appVersion: 'test', userId: null, via: 'cli' });
      added.push(joined.catalogAdded);
      joinedUsers.push(joined.users);
    }
    // The first till brought its users to the hub's Usuarios with their PIN hashes; the others found them there, and
    // only till 3's own cashier was new. On till 2 the cashier now logs in with the hub's PIN (the first till's).
    const fresh = demoUsers.filter((u) => !heldBefore.has(u));
    expect(fresh.length).toBeGreaterThan(0);
    expect(joinedUsers).toEqual([
      { added: fresh, kept: demoUsers.filter((u) => heldBefore.has(u)) },
      { added: [], kept: demoUsers },
      { added: ['maria'], kept: demoUsers },
    ]);
    const hubCashier = await hub.db.selectFrom('users').select(['pin_hash', 'role']).where('username', '=', 'cashier').executeTakeFirstOrThrow();
    expect(hubCashier.pin_hash).toBe(tills[0].t.app.db.prepare("SELECT pin_hash FROM users WHERE username = 'cashier'").pluck().get());
    expect(await hub.db.selectFrom('users').select('role').where('username', '=', 'maria').executeTakeFirst()).toEqual({ role: 'cashier' });
    const till2 = tills[1].t.app;
    await pullAll({ db: till2.db, secrets: till2.secrets, now: () => tills[1].t.clock.now() });
    expect(authenticate(till2.db, 'cashier', '3333')).not.toBeNull();
    expect(authenticate(till2.db, 'cashier', '9753')).toBeNull();
    expect(authenticate(till2.db, 'maria', '2580')).not.toBeNull(); // and till 3's cashier can work on till 2
    expect(hubJoinNotices({ catalogAdded: 0, users: joinedUsers[1] })).toEqual([
      `Ya estaban en la central: ${demoUsers.join(', ')}. En esta caja entran desde ahora con el PIN y el rol de la central; avíseles.`,
    ]);
    // The first till brought the store's catalog to the hub's Catálogo (what the hub held stays the hub's); the
    // next ones, with the same products, added nothing.
    expect(added).toEqual([demoCatalog - 1, 0, 0]);
    const onHub = await hub.db.selectFrom('products').select(['code', 'price_cents', 'active']).orderBy('code').execute();
    expect(onHub).toHaveLength(demoCatalog + 1); // and this file's GAS-500
    expect(onHub.find((p) => p.code === 'P0001')?.price_cents).toBe(280);
    expect(onHub.find((p) => p.code === 'GAS-500')).toMatchObject({ price_cents: 350, active: false });
    const onTill = tills[0].t.app.db.prepare("SELECT price FROM products WHERE sku = 'P0002'").get() as { price: string };
    expect(Dec.fromCents(onHub.find((p) => p.code === 'P0002')!.price_cents).toFixed(2)).toBe(Dec.of(onTill.price).toFixed(2));
    tills.forEach((till, i) => sellADay(till.t, i));
    for (const { t } of tills) {
      for (let i = 0; i < 10 && backlog(t.app.db) > 0; i++) await pushOutbox({ db: t.app.db, secrets: t.app.secrets, now: () => t.clock.now() });
      expect(backlog(t.app.db)).toBe(0);
    }
    date = limaDate(tills[0].t.clock.now());
    own = tills.map(({ t }) => dailyReport(t.app.db, date));
  });

  test("the store's report is the sum of its tills' own reports, figure by figure; the chain's, of all the tills", async () => {
    // The day has what the report must count (not an empty match).
    const want = sumOf(own.slice(0, 2));
    expect(Object.keys(want.byPaymentMethod)).toEqual(['card', 'cash', 'credit', 'yape']);
    expect(want.creditNotes.count).toBe(2);
    expect(want.cancelled.count).toBe(2);
    expect(want.collections.count).toBe(2);
    expect(want.acceptedOrObserved).toBeGreaterThan(0);
    expect(want.statuses.pending).toBeGreaterThan(0);

    const store = await hubStoreDayReport(hub.db, date, storeA);
    expect(figuresOf(store)).toEqual(want);
    expect(store.store.name).toBe('Bodega Centro');
    expect(store.scope).toEqual({ kind: 'store', title: `Tienda Bodega Centro (${storeA}) · 2 cajas`, terminals: ['CAJA-01', 'CAJA-02'] });
    // Session rows carry the till's name; the closed one its Z and count as the till kept them.
    const closed = store.cashSessions.find((x) => x.zNumber !== null)!;
    const ownClosed = own[0].cashSessions.find((x) => x.zNumber !== null)!;
    expect(closed).toMatchObject({ terminalId: 'CAJA-01', expected: ownClosed.expected, counted: '300.00', difference: ownClosed.difference, openingFloat: ownClosed.openingFloat });
    expect(store.notAccepted).toHaveLength(store.notAcceptedCount);

    const chain = await hubStoreDayReport(hub.db, date, null);
    expect(figuresOf(chain)).toEqual(sumOf(own));
    expect(chain.scope?.title).toBe('Toda la cadena · 3 tiendas, 4 cajas');

    // The screen's (and `--json`'s) figures are the same numbers; its per-till lines are each till's own.
    const view = await hubDailyReport(hub.db, date);
    const a = view.stores.find((x) => `${x.ruc}-${x.establishment}` === storeA)!;
    expect(a).toMatchObject({ name: 'Bodega Centro', issued: store.issued, totalBilled: store.totalBilled, salesCount: store.salesCount, netBilled: store.netBilled, creditNotes: store.creditNotes, byPaymentMethod: store.byPaymentMethod });
    expect(a.terminals.map((x) => [x.name, x.issued, x.totalBilled])).toEqual([['CAJA-01', own[0].issued, own[0].totalBilled], ['CAJA-02', own[1].issued, own[1].totalBilled]]);
    expect({ issued: view.issued, totalBilled: view.totalBilled, netBilled: view.netBilled }).toEqual({ issued: chain.issued, totalBilled: chain.totalBilled, netBilled: chain.netBilled });
  });

  test("the store's PDF, behind the manager's session and from the command line, says its total and every payment method", async () => {
    requireTools('pdftotext');
    const store = await hubStoreDayReport(hub.db, date, storeA);
    const pdfUrl = (q: string) => `${server.url}${HUB_REPORT_PDF_PATH}?${q}`;
    expect((await fetch(pdfUrl(`date=${date}&store=${storeA}`))).status).toBe(401);
    const login = await fetch(`${server.url}/hub/ui/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'encargado', secret: 'clave-larga-9' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const bad = await fetch(pdfUrl(`date=31/02/2026&store=${storeA}`), { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/Fecha no válida/);
    const none = await fetch(pdfUrl(`date=${date}&store=${storeA.slice(0, 12)}9999`), { headers: { cookie } });
    expect(none.status).toBe(404);

    const res = await fetch(pdfUrl(`date=${date}&store=${storeA}`), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(dataDir, 'store.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(`Tienda Bodega Centro (${storeA}) · 2 cajas`);
    expect(text).toMatch(new RegExp(`Total facturado\\s+${formatSoles(store.totalBilled).replace(/[/.]/g, '\\$&')}`));
    for (const m of Object.values(store.byPaymentMethod)) {
      expect(text).toMatch(new RegExp(`${m.label.replace(/[()]/g, '\\$&')}\\s+${m.count}\\s+${formatSoles(m.total).replace(/[/.]/g, '\\$&')}`));
    }
    expect(text).toContain('CAJA-01');

    // `izisales hub report daily --pdf`, asked of the running hub through its door: the chain's, then the store's.
    const out = path.join(dataDir, 'cli.pdf');
    let stdout = '';
    let stderr = '';
    const io = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s) };
    expect(await main(['hub', 'report', 'daily', '--date', date, '--store', storeA, '--pdf', out, '--data', dataDir], io), stderr).toBe(0);
    expect(stdout).toContain(formatSoles(store.totalBilled));
    expect(execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' })).toContain(`Tienda Bodega Centro (${storeA})`);
    expect(await main(['hub', 'report', 'daily', '--date', date, '--pdf', out, '--data', dataDir], io), stderr).toBe(0);
    expect(execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' })).toContain('Toda la cadena · 3 tiendas, 4 cajas');
  });
});
