// The daily report through the real UI: a supervisor rings up one sale (SUNAT unreachable: it stays pending), opens
// Reportes with F12 and sees one document issued and the day's total; on the way it prints the ticket (P) and
// reprints it from F9 (R).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatSoles } from '../../src-shared/decimal';
import { demoProducts, openPosPage, type PosPage } from './helpers';

let pos: PosPage;
let page: Page;
const product = demoProducts()[0];

const byTestId = (id: string) => page.getByTestId(id);
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

describe('daily report in the browser against izisales serve', () => {
  beforeAll(async () => {
    pos = await openPosPage();
    page = pos.page;
  }, 180_000);

  afterAll(async () => {
    await pos?.close();
  });

  it('a supervisor sells once, presses F12 and sees 1 issued and the total', async () => {
    await pos.startShift('supervisor', '2222', '100');
    expect(await pos.sellOneInCash(product.barcode, '100')).toBe('B001-00000001');
    const total = (await byTestId('sale-total').textContent())!;
    expect(total).toBe(formatSoles(product.price));
    // The original ticket right away: P opens the PDF in a new window.
    const ticket = page.waitForEvent('popup', { timeout: 15_000 });
    await page.keyboard.press('p');
    expect((await ticket).url()).toMatch(/^blob:/);
    await page.bringToFront();
    await byTestId('new-sale').focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('scan-input');

    // F9: a supervisor reprints the selected sale with R (a COPIA, audited in the main process).
    await page.keyboard.press('F9');
    await expect.poll(() => byTestId('sales-row').count(), { timeout: 15_000 }).toBe(1);
    const copy = page.waitForEvent('popup', { timeout: 15_000 });
    await page.keyboard.press('r');
    expect((await copy).url()).toMatch(/^blob:/);
    await byTestId('reprint-notice').waitFor();
    await page.bringToFront();

    await page.keyboard.press('F12');
    await byTestId('reports-tab').waitFor();
    await expect.poll(() => byTestId('report-issued').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await byTestId('report-total').textContent()).toBe(total);
    expect(await byTestId('report-pdf').isEnabled()).toBe(true);
    expect(pos.problems).toEqual([]);
  });
});
