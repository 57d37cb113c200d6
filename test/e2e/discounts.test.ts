// Discounts at the counter (issue 15 item 5), as a cashier does it: / on a line and "15%" is over the cashier's
// limit, so the same dialog asks for a supervisor, whose wrong PIN is refused and right PIN approves; the customer
// pays "20". Then a price typed "2,40" and a global "5%" within the limit, paid at once. What the screen showed is
// what the store recorded (the sale's approval row, read from the store's own database file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { formatSoles } from '../../src-shared/decimal';
import { databaseFile } from '../../src-main/paths';
import { openPosPage, type PosPage } from './helpers';

const SODA = '7750000000014'; // S/ 2.50
const BAG = '7759999999996'; // S/ 0.10 + S/ 0.50 ICBPER

let pos: PosPage;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);
const type = (text: string) => pos.page.keyboard.type(text);

async function scan(code: string): Promise<void> {
  await expect.poll(focused).toBe('scan-input');
  await type(code);
  await press('Enter');
}

async function pay(cash: string, total: string, change: string): Promise<string> {
  await press('F8');
  await expect.poll(focused).toBe('pay-amount-0');
  await type(cash);
  await press('Enter');
  await expect.poll(() => byTestId('sale-total').textContent(), { timeout: 15_000 }).toBe(formatSoles(total));
  expect(await byTestId('sale-change').textContent()).toBe(formatSoles(change));
  const number = (await byTestId('sale-number').textContent())!.trim();
  await press('Enter');
  await expect.poll(() => byTestId('cart-line').count()).toBe(0);
  return number;
}

describe('a discount at the counter', () => {
  beforeAll(async () => {
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
  });

  it('15% is over the cashier’s 10%: the supervisor’s wrong PIN is refused, the right one approves, the customer pays', async () => {
    await pos.startShift('cashier', '3333', '100');
    await scan(SODA);
    await scan(SODA);
    await scan(BAG);
    await expect.poll(() => byTestId('cart-total').textContent()).toBe(formatSoles('5.60'));
    await press('ArrowUp'); // the sodas' line
    await press('/');
    await expect.poll(focused).toBe('discount-input');
    await type('15%');
    await expect.poll(() => byTestId('approval-needed').textContent()).toMatch(/Línea 1: 15% bajo el precio de lista supera su límite de 10%/);
    // The cashier thinks better of it: Esc, nothing changed.
    await press('Escape');
    await expect.poll(() => byTestId('discount-dialog').count()).toBe(0);
    expect(await byTestId('cart-total').textContent()).toBe(formatSoles('5.60'));

    await press('/');
    await expect.poll(focused).toBe('discount-input');
    await type('15%');
    await press('Tab');
    await type('supervisor');
    await press('Tab');
    await type('1234');
    await press('Tab');
    await type('Cliente frecuente');
    await press('Enter');
    await expect.poll(() => byTestId('discount-dialog').getByTestId('error-alert').textContent()).toMatch(/Usuario o PIN del supervisor incorrecto/);
    await byTestId('approval-pin').click();
    await type('2222');
    await press('Enter');
    await expect.poll(() => byTestId('discount-dialog').count()).toBe(0);
    await expect.poll(() => byTestId('cart-total').textContent()).toBe(formatSoles('4.85'));
    expect(await byTestId('cart-line-note').first().textContent()).toContain(`descuento −${formatSoles('0.75')} (15%)`);
    expect(await byTestId('cart-approval').textContent()).toContain('Supervisora Demo');

    const number = await pay('20', '4.85', '15.15');
    const db = new Database(databaseFile(pos.server.dataDir), { readonly: true });
    try {
      const row = db.prepare(`SELECT a.percent, a.reason, u.username FROM sale_approvals a JOIN sales s ON s.id = a.sale_id JOIN users u ON u.id = a.approver_id WHERE s.number = ?`).get(number);
      expect(row).toEqual({ percent: '15.00', reason: 'Cliente frecuente', username: 'supervisor' });
    } finally {
      db.close();
    }
  });

  it('a price typed "2,40" and a global "5%" stay within the limit and need nobody', async () => {
    await scan(SODA);
    await expect.poll(() => byTestId('cart-total').textContent()).toBe(formatSoles('2.50'));
    await press('Alt+P');
    await expect.poll(focused).toBe('discount-input');
    await pos.page.keyboard.press('Control+A');
    await type('2,40');
    await press('Enter');
    await expect.poll(() => byTestId('cart-line-price').first().textContent()).toContain(formatSoles('2.40'));
    await press('Alt+G');
    await expect.poll(focused).toBe('discount-input');
    await type('5%');
    await expect.poll(() => byTestId('approval').count()).toBe(0);
    await press('Enter');
    await expect.poll(() => byTestId('cart-global-discount').textContent()).toContain(`5% −${formatSoles('0.12')}`);
    await pay('20', '2.28', '17.72');
  });
});
