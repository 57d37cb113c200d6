// The queue monitor through the real UI: a supervisor rings up a sale while SUNAT is unreachable (the helper's server
// is offline), finds its job on the F11 screen, is told it cannot be cancelled (the boleta is issued); a cashier has no tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoProducts, openPosPage, type PosPage } from './helpers';

let pos: PosPage;
let page: Page;
const product = demoProducts()[0];

const byTestId = (id: string) => page.getByTestId(id);
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const countOf = (state: string) => page.locator(`[data-testid="queue-counts"] [data-state="${state}"]`).getAttribute('data-count');

const login = (username: string, pin: string) => pos.login(username, pin);

describe('queue monitor in the browser against izisales serve', () => {
  beforeAll(async () => {
    pos = await openPosPage();
    page = pos.page;
  }, 180_000);

  afterAll(async () => {
    await pos?.close();
  });

  it('a supervisor sells offline, sees the one pending job on F11 and is told why it cannot be cancelled', async () => {
    await pos.startShift('supervisor', '2222', '100');
    expect(await pos.sellOneInCash(product.barcode, '100')).toBe('B001-00000001');
    await page.keyboard.press('Enter');

    await page.keyboard.press('F11');
    await byTestId('queue-screen').waitFor();
    expect(await byTestId('queue-tab').getAttribute('class')).toContain('active');
    // Offline: the job is pending (queued, or parked waiting for the network), not failed.
    await expect.poll(() => countOf('active'), { timeout: 15_000 }).toBe('1');
    expect(await countOf('failed')).toBe('0');
    await expect.poll(() => byTestId('queue-row').count()).toBe(1);
    const row = byTestId('queue-row').first();
    expect(['queued', 'waiting_network', 'running']).toContain(await row.getAttribute('data-state'));
    expect(await row.textContent()).toContain('B001-00000001');
    expect(await byTestId('queue-scheduled').textContent()).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);

    // Keyboard: ↓ selects the job and shows its detail. An issued boleta's send cannot be cancelled (queue-screen.test.ts):
    // C says why instead of asking.
    await page.keyboard.press('ArrowDown');
    await byTestId('queue-detail').waitFor();
    expect(await byTestId('queue-detail').textContent()).toContain('Envío de comprobante');
    expect(await byTestId('queue-cancel').count()).toBe(0);
    await page.keyboard.press('c');
    await expect.poll(() => byTestId('queue-notice').textContent()).toContain('no se puede cancelar');
    expect(await byTestId('confirm-yes').count()).toBe(0);
    expect(await countOf('cancelled')).toBe('0');
    expect(await countOf('active')).toBe('1');
    expect(await byTestId('queue-retry').isEnabled()).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('scan-input');
  });

  it('a cashier has no queue tab, and F11 does not open it', async () => {
    await byTestId('logout').click();
    await login('cashier', '3333');
    await byTestId('scan-input').waitFor();
    expect(await byTestId('queue-tab').count()).toBe(0);
    await expect.poll(focused).toBe('scan-input');
    await page.keyboard.press('F11');
    // A key typed after F11 reaches the scan field once F11 was handled: by then the queue would be open (no fixed wait).
    await page.keyboard.type('7');
    await expect.poll(() => byTestId('scan-input').inputValue()).toBe('7');
    expect(await byTestId('queue-screen').count()).toBe(0);
  });

  it('shows no CSP violation or script error', () => {
    expect(pos.problems.filter((p) => !/Failed to load resource.*(4\d\d)/.test(p))).toEqual([]);
  });
});
