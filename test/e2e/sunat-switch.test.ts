// Issue 13 §4, as an admin meets it: `izisales serve` runs the demo store with no --sunat-url (the saved SUNAT mode
// decides where receipts go, as on a user's machine). "SUNAT beta" is pointed at a stand-in on this machine through
// the test-only IZISALES_TEST_BETA_URL (loopback only). The admin sells in demo mode, switches to SUNAT beta in
// Administración (the screen warns first), and the status bar and the very next sale follow — without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { demoProducts, openPosPage, type PosPage } from './helpers';

let standIn: Simulator;
let pos: PosPage;
let page: Page;
const product = demoProducts().find((p) => !/bolsa/i.test(p.name))!;
const byTestId = (id: string) => page.getByTestId(id);
const inStandIn = (number: string) => {
  const [series, correlative] = number.split('-');
  return standIn.ledger().filter((d) => d.id.endsWith(`-${series}-${Number(correlative)}`)).length;
};

describe('an admin switches the SUNAT mode of a running app', () => {
  beforeAll(async () => {
    standIn = await startSimulator({ port: 0 });
    pos = await openPosPage({ sunatUrl: null, env: { IZISALES_TEST_BETA_URL: standIn.url } });
    page = pos.page;
  }, 180_000);

  afterAll(async () => {
    await pos?.close();
    await standIn?.close();
  });

  it('demo sales are answered by the simulator and say so; after saving beta the status bar and the very next sale go to beta', async () => {
    await pos.startShift('admin', '1111', '100');
    await expect.poll(() => byTestId('sunat-target').textContent()).toContain('simulador SUNAT (modo demo)');

    const demoSale = await pos.sellOneInCash(product.barcode, '100');
    // Answered by the in-process simulator: never "Aceptado por SUNAT".
    await expect.poll(() => byTestId('sale-sunat-status').textContent(), { timeout: 30_000 }).toContain('Aceptado por el simulador (sin validez)');
    expect(await byTestId('sale-sunat-status').textContent()).not.toContain('Aceptado por SUNAT');
    expect(inStandIn(demoSale)).toBe(0);
    await page.keyboard.press('Enter');
    await byTestId('sale-done').waitFor({ state: 'detached' });

    await page.keyboard.press('F7');
    await byTestId('admin-section-settings').click();
    await byTestId('settings-sunat-mode').selectOption('beta');
    await expect.poll(() => byTestId('settings-leave-demo-warning').textContent()).toMatch(/demo/i);
    await byTestId('settings-save').click();
    // Leaving demo asks first; "No" changes nothing.
    await byTestId('settings-leave-demo-confirm').waitFor();
    await byTestId('settings-leave-demo-no').click();
    await byTestId('settings-leave-demo-confirm').waitFor({ state: 'detached' });
    expect(await byTestId('settings-saved').count()).toBe(0);
    expect(await byTestId('sunat-target').textContent()).toContain('simulador SUNAT (modo demo)');

    await byTestId('settings-save').click();
    await byTestId('settings-leave-demo-yes').click();
    await byTestId('settings-saved').waitFor();
    // The status bar follows at once: no restart, no reload.
    await expect.poll(() => byTestId('sunat-target').textContent()).toContain('SUNAT beta (pruebas)');
    await expect.poll(() => byTestId('sunat-mode-active').textContent()).toContain('beta');

    await page.keyboard.press('Escape');
    await byTestId('scan-input').waitFor();
    const betaSale = await pos.sellOneInCash(product.barcode, '100');
    // The very next sale reaches beta (the stand-in), exactly once; the dialog says who answered.
    await expect.poll(() => inStandIn(betaSale), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => byTestId('sale-sunat-status').textContent(), { timeout: 30_000 }).toMatch(/Aceptado/);
    expect(inStandIn(demoSale)).toBe(0);
    await page.keyboard.press('Enter');
    await byTestId('sale-done').waitFor({ state: 'detached' });

    // A reload shows the same (the mode was saved, not just shown).
    await page.reload();
    await expect.poll(() => byTestId('sunat-target').textContent()).toContain('SUNAT beta (pruebas)');
  }, 120_000);

  it('shows no CSP violation or script error', () => {
    expect(pos.problems).toEqual([]);
  });
});
