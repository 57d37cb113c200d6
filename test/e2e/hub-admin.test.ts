// Issue 16, Administración → Central as a store's admin meets it: a real embedded hub runs on the back-office PC
// (`izisales hub`, PGlite), the store and the till are created on it from the command line (through the running hub's
// door), and on the POS the admin types the hub's address and the one-time code and enrols the till. The screen shows
// the series the hub gave, the last contact and the backlog; a sale paid with "20" reaches the hub (its daily report);
// and Productos is now read-only with the sentence that says the hub owns the catalog.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { askRunningHub, runningHub } from '../../src-main/hub/admin-door';
import { limaDate } from '../../src-shared/time';
import { formatSoles } from '../../src-shared/decimal';
import { freePort, izisalesAsync, startIzisales, type Running } from '../helpers/processes';
import { openPosPage, type PosPage } from './helpers';
import { freshHubDataDir } from '../helpers/hub-template';

const STORE_RUC = '20601234565'; // the demo store's
const started = performance.now();
let hubDir = '';
let hub: Running | undefined;
let hubUrl = '';
let pos: PosPage;
let page: Page;
const SODA = '7750000000014'; // GASEOSA INCA KOLA 500ML, S/ 2.50
const BAG = '7759999999996'; // BOLSA PLASTICA: S/ 0.10 + S/ 0.50 ICBPER
const byTestId = (id: string) => page.getByTestId(id);
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

async function ok(args: string[]): Promise<string> {
  const r = await izisalesAsync([...args, '--data', hubDir]);
  if (r.code !== 0) throw new Error(`izisales ${args.join(' ')} → ${r.code}\n${r.err}`);
  return r.out;
}

interface HubDaily { issued: number; totalBilled: string; stores: { terminals: { name: string; issued: number; totalBilled: string; lastContact: string | null }[] }[] }

describe('Administración → Central: a till enrolled in a real hub', () => {
  beforeAll(async () => {
    const port = await freePort();
    hubUrl = `http://127.0.0.1:${port}`;
    // The embedded engine from a copy of an empty cluster (initdb once per machine; test/integration/hub-journey.test.ts
    // starts a hub on a new directory as a store does); the hub and the POS start side by side.
    hubDir = await freshHubDataDir('izisales-e2e-hub-');
    [hub, pos] = await Promise.all([
      startIzisales(['hub', '--port', String(port), '--data', hubDir], /hub listening on http:\/\/127\.0\.0\.1:\d+/, { timeoutMs: 90_000 }),
      openPosPage(),
    ]);
    page = pos.page;
  }, 120_000);

  afterAll(async () => {
    await pos?.close();
    await hub?.stop();
    if (hubDir) fs.rmSync(hubDir, { recursive: true, force: true });
    console.log(`hub-admin e2e: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('the admin enrols the till with the code; the status, a sale reaching the hub, and the catalog now read-only', async () => {
    await ok(['hub', 'store', 'add', '--ruc', STORE_RUC, '--establishment', '0000', '--name', 'Bodega Demo']);
    const { code } = JSON.parse(await ok(['hub', 'terminal', 'add', '--store', `${STORE_RUC}-0000`, '--name', 'CAJA-02', '--json'])) as { code: string };

    await pos.startShift('admin', '1111', '100');
    await page.keyboard.press('F7');
    await byTestId('admin-section-hub').click();
    await expect.poll(focused).toBe('hub-url-input');
    await page.keyboard.type(hubUrl);
    await page.keyboard.press('Tab');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');

    await byTestId('hub-status').waitFor();
    expect(await byTestId('admin-notice').textContent()).toContain('Caja inscrita');
    // The first till of a new hub brings its catalog and its people: the admin reads that they are managed there now.
    expect(await byTestId('hub-join-notice').allTextContents()).toEqual([
      expect.stringMatching(/^\d+ productos de esta caja pasaron al catálogo de la central; los precios se cambian allí\.$/),
      expect.stringMatching(/^\d+ usuarios de esta caja \((?=[^)]*\badmin\b)(?=[^)]*\bcashier\b)[^)]*\) pasaron a la central; desde ahora se administran allí\.$/),
    ]);
    expect(await byTestId('hub-url').textContent()).toBe(hubUrl);
    expect(await byTestId('hub-terminal').textContent()).toBe('CAJA-02');
    expect(await byTestId('hub-store').textContent()).toContain(`RUC ${STORE_RUC}, establecimiento 0000`);
    // The first till of the RUC keeps the demo store's series (nobody else holds them).
    expect(await byTestId('hub-series-03').textContent()).toContain('B001 boletas');
    expect(await byTestId('hub-series-01').textContent()).toContain('F001 facturas');
    // The status bar names the till as the hub does (not the demo store's own "CAJA-01") and says the central's state.
    await expect.poll(() => byTestId('terminal').textContent()).toBe('Bodega Demo · Terminal CAJA-02');
    await expect.poll(() => byTestId('hub-pill').textContent()).toMatch(/^Central(: al día| · \d+ por subir)$/);
    await page.keyboard.press('Escape');
    await byTestId('scan-input').waitFor();
    // A soda and a plastic bag, paid with the S/ 200.50 the customer hands over, typed as the cashier writes it.
    for (const code of [SODA, BAG]) {
      await expect.poll(focused).toBe('scan-input');
      await page.keyboard.type(code);
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => byTestId('cart-line').count()).toBe(2);
    await page.keyboard.press('F8');
    await expect.poll(focused).toBe('pay-amount-0');
    await page.keyboard.type('200,50');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toMatch(/^B001-/);
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles('197.40'));
    await page.keyboard.press('Enter');
    await byTestId('sale-done').waitFor({ state: 'detached' });

    const date = limaDate(new Date());
    const door = runningHub(hubDir)!;
    await expect.poll(async () => ((await askRunningHub(door, 'report.daily', { date })) as HubDaily).stores[0]?.terminals[0]?.issued, { timeout: 20_000, interval: 300 }).toBe(1);
    // As the manager types it.
    const report = JSON.parse(await ok(['hub', 'report', 'daily', '--date', date, '--json'])) as HubDaily;
    expect(report.stores[0].terminals).toEqual([expect.objectContaining({ name: 'CAJA-02', issued: 1, totalBilled: '3.10', lastContact: expect.any(String) })]);

    // Back in Central: the last contact and nothing left to upload (the screen reads it again every 5 s).
    await page.keyboard.press('F7');
    await byTestId('admin-section-hub').click();
    await expect.poll(() => byTestId('hub-last-contact').textContent(), { timeout: 15_000 }).toMatch(/^\d{2}\/\d{2}\/\d{4}/);
    await expect.poll(() => byTestId('hub-backlog').textContent(), { timeout: 15_000 }).toBe('Nada pendiente');

    // The hub owns the catalog now: Productos lists it with the sentence instead of edit buttons.
    await byTestId('admin-section-products').click();
    await expect.poll(() => byTestId('hub-owned-products').textContent())
      .toBe(`Este terminal está enlazado a la central: los productos se cambian en la central (${hubUrl}).`);
    await expect.poll(() => byTestId('product-row').count()).toBeGreaterThan(0);
    expect(await byTestId('product-new').count()).toBe(0);
    expect(await byTestId('product-list').getByRole('button').count()).toBe(0);
    expect(await byTestId('csv-import').count()).toBe(0);
    // And so are the users (a lockout is still cleared here, not shown: nobody is locked out).
    await byTestId('admin-section-users').click();
    await expect.poll(() => byTestId('hub-owned-users').textContent()).toContain('los usuarios se cambian en la central');
    expect(await byTestId('user-create').count()).toBe(0);
  }, 90_000);

  it('shows no CSP violation or script error', () => {
    expect(pos.problems).toEqual([]);
  });
});
