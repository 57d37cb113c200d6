// Issue 17 item 5 as the counter meets it: "a PC whose clock jumped to 2019 cannot issue a receipt SUNAT would
// refuse", seen from the other side — the store sends to SUNAT beta (a simulator on this machine through the test-only
// IZISALES_TEST_BETA_URL), whose answers carry its own time in the HTTP Date, three days ahead of this PC. The POS
// measures it on start: the status bar says so, the cashier's sale is refused with the reason and nothing is recorded;
// an admin confirms in Administración → Reloj and the very next sale goes through. Then SUNAT's clock is 2 hours
// ahead ("Comprobar ahora"): a warning, sales allowed; then in step again: the warning goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { demoProducts, openPosPage, ROOT, type PosPage } from './helpers';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const started = performance.now();
let simOffsetMs = 3 * DAY; // SUNAT's clock minus this PC's: the PC is three days behind
let sim: Simulator;
let pos: PosPage;
let page: Page;
let dataDir: string;
const product = demoProducts().find((p) => !/bolsa/i.test(p.name))!;
const byTestId = (id: string) => page.getByTestId(id);
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => page.keyboard.press(key);
const type = (text: string) => page.keyboard.type(text);

/** The sales recorded, read from the till's own file (not through the screen). */
function salesRecorded(): number {
  const db = new Database(path.join(dataDir, 'izisales.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function scanAndPay(cash: string): Promise<void> {
  await expect.poll(focused).toBe('scan-input');
  await type(product.barcode);
  await press('Enter');
  await expect.poll(() => byTestId('cart-line').count()).toBe(1);
  await press('F8');
  await expect.poll(focused).toBe('pay-amount-0');
  await type(cash);
  await press('Enter');
}

async function clockSection(): Promise<void> {
  await press('F7');
  await byTestId('admin-section-clock').click();
  await byTestId('clock-section').waitFor();
}

describe('the PC’s clock against SUNAT’s, on the status bar, at the checkout and in Administración → Reloj', () => {
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, now: () => new Date(Date.now() + simOffsetMs) });
    // A demo store already sending to SUNAT beta (the simulator stands in for it): its answers are a trusted time.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-e2e-clock-'));
    execFileSync(process.execPath, [path.join(ROOT, 'bin', 'izisales.mjs'), 'seed', '--data', dataDir], { cwd: ROOT, stdio: 'ignore' });
    const db = new Database(path.join(dataDir, 'izisales.db'));
    db.prepare(`INSERT INTO settings (key, value) VALUES ('sunatMode', '"beta"') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    db.close();
    pos = await openPosPage({ dataDir, sunatUrl: null, env: { IZISALES_TEST_BETA_URL: sim.url } });
    page = pos.page;
  }, 120_000);

  afterAll(async () => {
    await pos?.close(); // removes the data directory
    await sim?.close();
    console.log(`clock e2e: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('three days off: the status bar warns, the cashier’s sale is refused and nothing recorded; an admin confirms and the next sale goes', async () => {
    await pos.startShift('cashier', '3333', '100');
    const warning = byTestId('clock-warning');
    await expect.poll(() => warning.getAttribute('data-level'), { timeout: 15_000 }).toBe('block');
    expect(await warning.textContent()).toMatch(/^La hora de esta PC está atrasada 3 días respecto de SUNAT beta \(pruebas\): SUNAT rechazaría/);

    await scanAndPay('20');
    await expect.poll(() => byTestId('error-alert').textContent()).toMatch(
      /^La hora de esta PC está atrasada 3 días respecto de SUNAT beta \(pruebas\): SUNAT rechazaría los comprobantes con esa fecha\. Corrija la fecha y hora de la PC, o un administrador puede confirmarla en Administración → Reloj\.$/,
    );
    expect(await byTestId('sale-number').count()).toBe(0);
    expect(salesRecorded()).toBe(0);
    await press('Escape');

    // The admin takes the till (the cashier's cart waits in F5) and confirms the PC's clock.
    await press('Control+l');
    await byTestId('lock-screen').waitFor();
    await press('F2');
    await expect.poll(focused).toBe('lock-username');
    await type('admin');
    await press('Enter');
    await type('1111');
    await press('Enter');
    await expect.poll(() => byTestId('current-user').textContent()).toContain('Administrador');
    await clockSection();
    await expect.poll(() => byTestId('clock-message').textContent()).toMatch(/atrasada 3 días/);
    await byTestId('clock-confirm').click();
    await expect.poll(() => byTestId('clock-message').textContent()).toMatch(/\(confirmada por Administrador\)\.$/);
    await expect.poll(() => warning.getAttribute('data-level')).toBe('warn');

    await press('Escape');
    await scanAndPay('20');
    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toMatch(/^B001-00000001$/);
    await press('Enter');
    await byTestId('sale-done').waitFor({ state: 'detached' });
    expect(salesRecorded()).toBe(1);
  }, 90_000);

  it('two hours off after "Comprobar ahora": a warning and the sale goes; in step again, the warning goes', async () => {
    simOffsetMs = 2 * HOUR;
    await clockSection();
    await byTestId('clock-check').click();
    await expect.poll(() => byTestId('clock-message').textContent()).toBe('La hora de esta PC está atrasada 2 h respecto de SUNAT beta (pruebas).');
    await expect.poll(() => byTestId('clock-warning').getAttribute('data-level')).toBe('warn');
    await press('Escape');
    await scanAndPay('20');
    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toMatch(/^B001-00000002$/);
    await press('Enter');
    await byTestId('sale-done').waitFor({ state: 'detached' });

    simOffsetMs = 0;
    await clockSection();
    await byTestId('clock-check').click();
    await expect.poll(() => byTestId('clock-offset').textContent()).toBe('menos de 1 min');
    await expect.poll(() => byTestId('clock-warning').count()).toBe(0);
    expect(await byTestId('clock-message').count()).toBe(0);
  }, 60_000);

  it('shows no CSP violation or script error', () => {
    // The refused sale answered 4xx on the wire (the screen showed why); nothing else went wrong.
    expect(pos.problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  });
});
