// Restore from the screen, as an admin would: back up, ring a sale, restore the copy, log in again — the sale is gone
// from the app and kept in the replaced file beside the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { cliSalesList, demoProducts, openPosPage, type PosPage } from './helpers';

let pos: PosPage;

describe('Administración → Copia de seguridad → Restaurar, in the browser against izisales serve', () => {
  beforeAll(async () => {
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
  });

  it('an admin backs up, rings a sale, restores the copy and, after logging in again, the sale is gone', async () => {
    const { page, server } = pos;
    const byTestId = (id: string) => page.getByTestId(id);
    await page.goto(server.url);
    await pos.login('admin', '1111');
    await byTestId('open-float').waitFor();
    await page.keyboard.type('100');
    await page.keyboard.press('Enter');
    await byTestId('scan-input').waitFor();

    // Back up now, from Administración.
    await byTestId('admin-tab').click();
    await byTestId('admin-section-backup').click();
    await byTestId('backup-now').click();
    await byTestId('backup-file').waitFor();
    await expect.poll(() => byTestId('restore-row').count()).toBe(1);

    // A sale after the copy.
    await page.keyboard.press('F1');
    await byTestId('scan-input').waitFor();
    const product = demoProducts()[0];
    await byTestId('scan-input').focus();
    await page.keyboard.type(product.barcode);
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);
    await page.keyboard.press('F8');
    await byTestId('pay-method-0').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pay-amount-0');
    await page.keyboard.type('200');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toBe('B001-00000001');
    await byTestId('new-sale').click();
    expect(cliSalesList(server.dataDir).map((s) => s.number)).toEqual(['B001-00000001']);

    // Restore the copy: asks first, then back to the login with what happened.
    await byTestId('admin-tab').click();
    await byTestId('admin-section-backup').click();
    await expect.poll(() => byTestId('restore-row').count()).toBe(1);
    await byTestId('restore-start').click();
    await byTestId('confirm-dialog').waitFor();
    await byTestId('confirm-yes').click();
    await byTestId('login-username').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByText(/Se restauró la copia del \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\./).count()).toBe(1);

    // Logged in again: the drawer opened before the copy is still open, and the sale rung up after it is gone.
    await pos.login('admin', '1111');
    await byTestId('scan-input').waitFor();
    await byTestId('tab-sales').click();
    await expect.poll(() => page.getByText('B001-00000001').count()).toBe(0);
    expect(cliSalesList(server.dataDir)).toEqual([]);

    // The replaced database is kept beside the restored one, with that sale in it.
    const replaced = fs.readdirSync(server.dataDir).filter((f) => f.startsWith('izisales.db.replaced-'));
    expect(replaced).toHaveLength(1);
    const db = new Database(path.join(server.dataDir, replaced[0]), { readonly: true });
    try {
      expect(db.prepare('SELECT number FROM sales').all()).toEqual([{ number: 'B001-00000001' }]);
    } finally {
      db.close();
    }
    expect(pos.problems.filter((p) => !/401|Unauthorized/i.test(p))).toEqual([]);
  }, 120_000);
});
