// PROBE (not part of `npm test`): issue 16's "Done when" walked end to end as a new store would, in real browsers.
//
//   npx tsx test/probes/hub-walk.ts            (from the repository; ~2–4 minutes; needs chromium and pdftotext)
//
// What it does and checks, step by step (each step prints what it measured; any failure exits 1):
//  1. The back-office PC: `izisales hub --data DIR` on the embedded engine (a NEW directory: its initdb too) on a free
//     port; the first admin made as the README says (`izisales hub user add … --pin-stdin`, the PIN piped in).
//  2. The manager logs into the hub's screens in chromium, adds the demo store (its RUC, establishment 0000) and three
//     tills CAJA-01..03, reading each one-time code from the screen.
//  3. Three tills (`izisales serve`, the demo store, demo SUNAT mode) each in its own page: the admin opens
//     Administración → Central, types the hub's URL and the code, Enter. Measured: first code made → third till enrolled.
//  4. The manager finds the soda in the hub's Catálogo (the store's catalog came up with the first till) and changes
//     its price once, typing "2,80". Measured: how long until each till's sale screen rings the soda up at S/ 2.80.
//  5. The internet down: the hub gets SIGTERM. Each till's cashier sells as Peruvian cashiers type (quantities "3*code",
//     cash "20" and "200,50", a plastic bag, one sale by card); a return of one soda (Alt+D) and a paid-out on CAJA-01;
//     the status bar must say the central is unreachable; then CAJA-01 closes its drawer (Z) still offline.
//  6. The hub comes back (same data, same port). Measured: until Tiendas y cajas shows every till with backlog 0 and
//     no till has anything left to upload — without a click on the tills.
//  7. The manager opens Reporte diario (today), presses Imprimir for the store, gets the PDF; pdftotext's figures
//     (ventas, total facturado, neto, each payment method, notas de crédito) must equal the SUM of the three tills'
//     own daily reports (`izisales report daily --json` on each till's data); `izisales hub check --json` finds no
//     gap and no duplicate.
// Every process and temp directory it starts is stopped and removed at the end, also on failure or Ctrl+C.
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { freePort, izisalesAsync, startIzisales, type Running } from '../helpers/processes';
import { ensureRendererBuilt, launchBrowser, startServer, type RunningServer } from '../e2e/helpers';
import { HUB_REPORT_PDF_PATH } from '../../src-shared/hub-contract';
import { formatDatePe, limaDate } from '../../src-shared/time';
import type { DailyReport } from '../../src-shared/reports';

const STORE_RUC = '20601234565'; // the demo store's
const SODA = '7750000000014'; // GASEOSA INCA KOLA 500ML, S/ 2.50 in the demo catalog
const BAG = '7759999999996'; // BOLSA PLASTICA: S/ 0.10 + S/ 0.50 ICBPER
const NEW_PRICE = '2.80';
const TILLS = ['CAJA-01', 'CAJA-02', 'CAJA-03'];
const PIN = '4821';

const t0 = performance.now();
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (s: string) => console.log(`[${secs(performance.now() - t0)}] ${s}`);
const figures: Record<string, string> = {};
const cleanup: (() => Promise<void> | void)[] = [];

async function poll<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const end = performance.now() + timeoutMs;
  let last: T | undefined;
  let err: unknown = null;
  for (;;) {
    try {
      last = await read();
      err = null;
      if (ok(last)) return last;
    } catch (e) {
      err = e;
    }
    if (performance.now() > end) throw new Error(`${what}: not reached in ${timeoutMs} ms (last: ${JSON.stringify(last)}${err ? `, error: ${String(err)}` : ''})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Till { name: string; server: RunningServer; page: Page; problems: string[] }

const focusedOn = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
async function waitFocus(page: Page, id: string): Promise<void> {
  await poll(`focus on ${id}`, () => focusedOn(page), (f) => f === id, 10_000, 100);
}

async function scan(page: Page, code: string): Promise<void> {
  await waitFocus(page, 'scan-input');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

/** F8, the amount typed (or a method key first), Enter; returns the sale's number and closes the done dialog. */
async function pay(page: Page, opts: { cash?: string; card?: boolean }): Promise<string> {
  await page.keyboard.press('F8');
  await page.getByTestId('pay-dialog').waitFor();
  await waitFocus(page, 'pay-amount-0');
  if (opts.card) await page.keyboard.press('t');
  if (opts.cash) await page.keyboard.type(opts.cash);
  await page.keyboard.press('Enter');
  const number = await poll('sale number', () => page.getByTestId('sale-number').textContent({ timeout: 1000 }), (n) => /^[BF]\d{3}-\d{8}$/.test(n ?? ''), 15_000);
  await page.keyboard.press('Enter');
  await poll('cart empty', () => page.getByTestId('cart-line').count(), (n) => n === 0, 10_000);
  return number!;
}

async function lines(page: Page, n: number): Promise<void> {
  await poll(`${n} cart lines`, () => page.getByTestId('cart-line').count(), (c) => c === n, 10_000, 100);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-walk-'));
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const hubDir = path.join(root, 'backoffice');
  fs.mkdirSync(hubDir);
  ensureRendererBuilt();
  const today = limaDate(new Date());

  // 1. The back-office PC.
  const port = await freePort();
  const hubUrl = `http://127.0.0.1:${port}`;
  let hub: Running | null = null;
  const startHub = async () => {
    hub = await startIzisales(['hub', '--port', String(port), '--data', hubDir], /hub listening on http:\/\/127\.0\.0\.1:\d+/, { timeoutMs: 120_000 });
  };
  cleanup.push(async () => {
    await hub?.stop();
  });
  const browser: Browser = await launchBrowser();
  cleanup.push(() => browser.close());
  const t = performance.now();
  await startHub();
  figures['hub first start (new directory, initdb)'] = secs(performance.now() - t);
  log(`hub up at ${hubUrl} (${figures['hub first start (new directory, initdb)']})`);
  const made = await izisalesAsync(['hub', 'user', 'add', '--username', 'jefa', '--name', 'Rosa Jefa', '--role', 'admin', '--pin-stdin', '--data', hubDir], {}, `${PIN}\n`);
  assert.equal(made.code, 0, `hub user add: ${made.err}`);
  log(`hub user add: ${made.out.trim()}`);

  // The tills start meanwhile (each its own demo store, its own page).
  const tillsP = Promise.all(TILLS.map(async (name): Promise<Till> => {
    const server = await startServer(90_000, { sunatUrl: null });
    cleanup.push(() => server.stop());
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'es-PE' });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    return { name, server, page, problems };
  }));

  // 2. The manager on the hub's screens.
  const hubPage = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'es-PE' });
  const h = (id: string) => hubPage.getByTestId(id);
  await hubPage.goto(hubUrl);
  await h('hub-login-user').fill('jefa');
  await h('hub-login-secret').fill(PIN);
  await hubPage.keyboard.press('Enter');
  await poll('logged in', () => h('hub-user').textContent({ timeout: 1000 }), (s) => (s ?? '').includes('Rosa Jefa'));
  await h('hub-store-ruc').fill(STORE_RUC);
  await h('hub-store-name').fill('Bodega Demo');
  await h('hub-store-address').fill('Av. Los Próceres 123, Lima');
  await h('hub-store-add').click();
  await poll('store created', () => h('hub-notice').textContent({ timeout: 1000 }), (s) => (s ?? '').includes(`${STORE_RUC}-0000`));
  const tills = await tillsP;
  log('three tills serving the demo store');

  // 3. Enrol each till: a code made on the hub, typed on the till.
  const enrolStart = performance.now();
  for (const till of tills) {
    await h('hub-terminal-name').fill(till.name);
    await h('hub-terminal-add').click();
    await poll(`code for ${till.name}`, () => h('hub-terminal-code-box').textContent({ timeout: 1000 }), (s) => (s ?? '').includes(till.name));
    const code = (await h('hub-terminal-code').textContent())!.trim();
    const p = till.page;
    const b = (id: string) => p.getByTestId(id);
    await p.goto(till.server.url);
    await b('login-username').fill('admin');
    await b('login-pin').fill('1111');
    await p.keyboard.press('Enter');
    await b('open-float').waitFor();
    await waitFocus(p, 'open-float');
    await p.keyboard.type('200,50');
    await p.keyboard.press('Enter');
    await b('scan-input').waitFor();
    await p.keyboard.press('F7');
    await b('admin-section-hub').click();
    await waitFocus(p, 'hub-url-input');
    await p.keyboard.type(hubUrl);
    await p.keyboard.press('Tab');
    await p.keyboard.type(code);
    await p.keyboard.press('Enter');
    await poll(`${till.name} enrolled`, () => b('hub-terminal').textContent({ timeout: 1000 }).catch(() => null), (s) => s === till.name, 30_000);
    const series = await b('hub-series').textContent();
    log(`${till.name} enrolled: ${series}`);
    await p.keyboard.press('Escape');
    await b('scan-input').waitFor();
  }
  figures['three enrolments (first code → third enrolled)'] = secs(performance.now() - enrolStart);
  log(`enrolled in ${figures['three enrolments (first code → third enrolled)']}`);

  // 4. One price changed on the hub's Catálogo.
  await h('hub-tab-catalog').click();
  await h('hub-product-search').fill('inca kola');
  const sodaRow = hubPage.locator('[data-testid="hub-product-row"]', { hasText: 'INCA KOLA 500' });
  await poll('the soda in the hub catalog (the store\'s catalog, uploaded by its tills)', () => sodaRow.count(), (n) => n === 1, 30_000);
  await sodaRow.getByTestId('hub-product-edit').click();
  await h('hub-product-price').fill('2,80');
  await hubPage.keyboard.press('Enter');
  await poll('price shown on the hub', () => sodaRow.getByTestId('hub-product-price-shown').textContent({ timeout: 1000 }), (s) => s === `S/ ${NEW_PRICE}`);
  const changedAt = performance.now();
  log('soda at S/ 2.80 on the hub');
  await Promise.all(tills.map(async (till) => {
    const db = new Database(path.join(till.server.dataDir, 'izisales.db'), { readonly: true, fileMustExist: true });
    try {
      await poll(`${till.name} gets the price`, () => (db.prepare('SELECT price FROM products WHERE barcode = ?').get(SODA) as { price: string }).price, (v) => v === NEW_PRICE, 150_000, 200);
    } finally {
      db.close();
    }
    figures[`price reaches ${till.name}`] = secs(performance.now() - changedAt);
    // And the sale screen rings it up at the new price.
    await scan(till.page, SODA);
    await lines(till.page, 1);
    assert.equal(await till.page.getByTestId('cart-line-amount').textContent(), `S/ ${NEW_PRICE}`);
    log(`${till.name}: the soda rings up at S/ ${NEW_PRICE} after ${figures[`price reaches ${till.name}`]}`);
  }));

  // 5. The internet down for the afternoon.
  await hub!.stop();
  log('hub stopped (SIGTERM)');
  // The admins hand over to the cashiers: log out, the cashier logs in (the drawer is open).
  for (const till of tills) {
    const p = till.page;
    await p.keyboard.press('Escape'); // the cart of step 4: asks
    await p.getByTestId('confirm-yes').waitFor();
    await p.keyboard.press('Enter');
    await lines(p, 0);
    await p.getByTestId('logout').click();
    await p.getByTestId('login-username').fill('cashier');
    await p.getByTestId('login-pin').fill('3333');
    await p.keyboard.press('Enter');
    await poll(`${till.name}: cashier at the sale screen`, async () => (await p.getByTestId('scan-input').count()) + (await p.getByTestId('open-float').count()), (n) => n > 0, 15_000);
    if (await p.getByTestId('open-float').count()) {
      await waitFocus(p, 'open-float');
      await p.keyboard.type('100');
      await p.keyboard.press('Enter');
      await p.getByTestId('scan-input').waitFor();
    }
  }
  const sold: Record<string, string[]> = {};
  await Promise.all(tills.map(async (till, i) => {
    const p = till.page;
    const nums: string[] = [];
    // Three sodas typed "3*code", a S/ 20 note.
    await scan(p, `3*${SODA}`);
    await lines(p, 1);
    nums.push(await pay(p, { cash: '20' }));
    // A soda and a bag, a S/ 200.50 note.
    await scan(p, SODA);
    await scan(p, BAG);
    await lines(p, 2);
    nums.push(await pay(p, { cash: '200,50' }));
    // By card.
    await scan(p, `${i + 2}*${SODA}`);
    await lines(p, 1);
    nums.push(await pay(p, { card: true }));
    sold[till.name] = nums;
  }));
  log(`sold offline: ${JSON.stringify(sold)}`);
  // What the cashier sees about the central: the status bar says it is unreachable and what waits to go up, and
  // names the till as the hub does (the status is read every 5 s).
  for (const till of tills) {
    const pill = await poll(`${till.name}: the status bar says the central is unreachable`, () => till.page.getByTestId('hub-pill').textContent({ timeout: 1000 }), (s) => /^Central sin conexión · \d+ por subir$/.test(s ?? ''), 20_000);
    assert.equal(await till.page.getByTestId('terminal').textContent(), `Bodega Demo · Terminal ${till.name}`);
    figures[`${till.name} status bar offline`] = pill ?? '';
  }
  const one = tills[0].page;
  const b1 = (id: string) => one.getByTestId(id);
  // A return of one soda on CAJA-01 (Alt+D, the first sale's number as printed).
  await one.keyboard.press('Alt+d');
  await b1('return-dialog').waitFor();
  await waitFocus(one, 'return-receipt');
  await one.keyboard.type(sold['CAJA-01'][0]);
  await one.keyboard.press('Enter');
  await poll('return: the sale found', () => b1('return-sale-number').textContent({ timeout: 1000 }), (s) => s === sold['CAJA-01'][0]);
  await waitFocus(one, 'return-qty-1');
  await one.keyboard.type('1');
  await one.keyboard.press('Enter');
  await b1('return-done').waitFor({ timeout: 15_000 });
  log(`return: ${await b1('return-note-number').textContent()} · ${await b1('return-refund').textContent()}`);
  await one.keyboard.press('Enter');
  await b1('return-dialog').waitFor({ state: 'detached' });
  // A paid-out, then the Z, still offline.
  await one.keyboard.press('F10');
  await b1('move-amount').waitFor();
  await b1('move-amount').pressSequentially('15,50');
  await b1('move-reason').fill('Pago de hielo');
  await b1('move-submit').click();
  await poll('paid-out', () => b1('cash-notice').textContent({ timeout: 1000 }), (s) => (s ?? '').startsWith('Salida de S/ 15.50'));
  await b1('close-counted').pressSequentially('233,00');
  await one.keyboard.press('Enter');
  await b1('confirm-yes').waitFor();
  await one.keyboard.press('Enter');
  await b1('z-report').waitFor({ timeout: 15_000 });
  log('CAJA-01: paid-out S/ 15.50 and Z closed while offline');
  // Administración → Central on CAJA-02, as its supervisor or admin would look (the cashier cannot open it).
  figures['Central screen offline (CAJA-02, admin)'] = await (async () => {
    const p = tills[1].page;
    await p.getByTestId('logout').click();
    await p.getByTestId('login-username').fill('admin');
    await p.getByTestId('login-pin').fill('1111');
    await p.keyboard.press('Enter');
    await p.getByTestId('scan-input').waitFor();
    await p.keyboard.press('F7');
    await p.getByTestId('admin-section-hub').click();
    await p.getByTestId('hub-status').waitFor();
    const text = (await p.getByTestId('hub-status').textContent()) ?? '';
    await p.keyboard.press('Escape');
    return text;
  })();

  // 6. The hub comes back; the backlog drains by itself.
  const backAt = performance.now();
  await startHub();
  log('hub back');
  await h('hub-tab-stores').click();
  const rows = hubPage.locator('[data-testid="hub-terminal"]');
  await poll('every till with backlog 0 on Tiendas y cajas', async () => {
    await hubPage.reload();
    await poll('stores shown', () => rows.count(), (n) => n === 3, 10_000);
    return rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-testid="hub-terminal-backlog"]')?.textContent));
  }, (v) => v.every((x) => x === '0'), 180_000, 2_000);
  figures['backlog drained (hub back → Tiendas y cajas shows 0 for all)'] = secs(performance.now() - backAt);
  log(`drained in ${figures['backlog drained (hub back → Tiendas y cajas shows 0 for all)']}`);
  for (const till of tills) {
    const db = new Database(path.join(till.server.dataDir, 'izisales.db'), { readonly: true, fileMustExist: true });
    try {
      await poll(`${till.name} outbox empty`, () => (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n, (n) => n === 0, 60_000);
    } finally {
      db.close();
    }
  }

  // 7. Reporte diario, Imprimir for the store; the PDF against the sum of the tills' own reports.
  await h('hub-tab-report').click();
  await poll('the report date', () => h('hub-report-date').inputValue(), (v) => v === formatDatePe(today));
  let pdf: Buffer | null = null;
  await hubPage.route(`**${HUB_REPORT_PDF_PATH}?*`, async (route) => {
    const r = await route.fetch();
    pdf = await r.body();
    await route.fulfill({ response: r });
  });
  await h('hub-report-print').click();
  await poll('the store\'s PDF', () => pdf, (x) => x !== null, 30_000);
  const pdfFile = path.join(root, 'store.pdf');
  fs.writeFileSync(pdfFile, pdf!);
  const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
  const own = await Promise.all(tills.map(async (till) => {
    const r = await izisalesAsync(['report', 'daily', '--date', today, '--json', '--data', till.server.dataDir]);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out.trim().split('\n').pop()!) as DailyReport;
  }));
  const cents = (s: string) => Math.round(Number(s) * 100);
  const sol = (c: number) => `S/ ${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const sum = (f: (r: DailyReport) => string) => own.reduce((a, r) => a + cents(f(r)), 0);
  const expectLine = (label: RegExp, value: string) => {
    const re = new RegExp(`${label.source}\\s+${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);
    assert.match(text, re, `the PDF's "${label.source}" should be ${value}`);
  };
  expectLine(/Ventas/, String(own.reduce((a, r) => a + r.salesCount, 0)));
  expectLine(/Total facturado/, sol(sum((r) => r.totalBilled)));
  expectLine(/Neto/, sol(sum((r) => r.netBilled)));
  expectLine(/Notas de crédito \(devoluciones\)/, `${own.reduce((a, r) => a + r.creditNotes.count, 0)} (${sol(sum((r) => r.creditNotes.total))})`);
  for (const [label, method] of [['Efectivo', 'cash'], ['Tarjeta', 'card']] as const) {
    const count = own.reduce((a, r) => a + (r.byPaymentMethod[method]?.count ?? 0), 0);
    assert.match(text, new RegExp(`${label}\\s+${count}\\s+${sol(sum((r) => r.byPaymentMethod[method]?.total ?? '0')).replace(/[.$/]/g, '\\$&')}`), `the PDF's ${label}`);
  }
  figures['store report (PDF)'] = `ventas ${own.reduce((a, r) => a + r.salesCount, 0)}, total ${sol(sum((r) => r.totalBilled))}, neto ${sol(sum((r) => r.netBilled))} = the sum of the three tills'`;
  const check = await izisalesAsync(['hub', 'check', '--json', '--data', hubDir]);
  assert.equal(check.code, 0, `hub check: ${check.out}${check.err}`);
  const checked = JSON.parse(check.out.trim().split('\n').pop()!) as { gaps: unknown[]; duplicates: number };
  assert.deepEqual(checked, { ...checked, gaps: [], duplicates: 0 });
  log('hub check: no gap, no duplicate');
  for (const till of tills) assert.deepEqual(till.problems.filter((p) => !/status of (401|422)/.test(p)), [], `${till.name}: page errors`);
}

let failed = false;
async function finish(): Promise<void> {
  for (const f of cleanup.reverse()) {
    try {
      await f();
    } catch {
      // keep cleaning up
    }
  }
}
process.once('SIGINT', () => {
  void finish().then(() => process.exit(130));
});
try {
  await main();
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await finish();
}
console.log('\nFigures:');
for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
console.log(failed ? `\nhub walk FAILED after ${secs(performance.now() - t0)}` : `\nhub walk passed in ${secs(performance.now() - t0)}`);
process.exit(failed ? 1 : 0);
