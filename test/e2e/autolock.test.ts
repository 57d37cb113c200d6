// Sessions (issue 15, item 8) on the screen: a cashier rings up a sale and leaves the till; after the store's idle
// minutes (the page's clock is moved forward, the default 5 minutes) the POS locks naming the cashier; a wrong PIN is
// refused, the right one brings back the cart as it was, and it is paid. Ctrl+L locks at once; another user who logs
// in instead finds an empty sale and the cashier's cart in F5's list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { openPosPage, type PosPage } from './helpers';

const SODA = '7750000000014'; // S/ 2.50

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

describe('the POS locks when left alone and the same cashier finds the sale as it was', () => {
  beforeAll(async () => {
    pos = await openPosPage();
    // The page's own clock, so five idle minutes pass in a moment (the server keeps real time).
    await pos.page.clock.install();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
  });

  it('locks after 5 idle minutes, refuses a wrong PIN, unlocks with the right one, and the cart is paid', async () => {
    await pos.startShift('cashier', '3333', '100');
    await scan(SODA);
    await scan(SODA);
    await expect.poll(() => byTestId('cart-line-qty').textContent()).toBe('2');

    await pos.page.clock.fastForward('04:50');
    expect(await byTestId('lock-screen').count()).toBe(0);
    await pos.page.clock.fastForward('00:15');
    await expect.poll(() => byTestId('lock-title').textContent()).toBe('Caja bloqueada — Cajero Demo');
    await expect.poll(focused).toBe('lock-pin');

    await type('1234');
    await press('Enter');
    await expect.poll(() => byTestId('lock-screen').getByTestId('error-alert').textContent()).toBe('Usuario o PIN incorrecto.');
    await expect.poll(focused).toBe('lock-pin');
    await type('3333');
    await press('Enter');
    await expect.poll(() => byTestId('lock-screen').count()).toBe(0);
    expect(await byTestId('cart-line').count()).toBe(1);
    expect(await byTestId('cart-line-qty').textContent()).toBe('2');
    expect(await byTestId('cart-total').textContent()).toBe(formatSoles('5.00'));

    await press('F8');
    await expect.poll(focused).toBe('pay-amount-0');
    await type('10');
    await press('Enter');
    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toMatch(/^B\d{3}-\d{8}$/);
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles('5.00'));
    await press('Enter');
    // The copy kept while it was locked left the parked list when the cashier came back: nothing twice.
    await expect.poll(focused).toBe('scan-input');
    await press('F5');
    await expect.poll(() => byTestId('parked-dialog').textContent()).toContain('No hay ventas en espera');
    await press('Escape');
  });

  it('Ctrl+L locks at once; another user logs in instead and finds the cashier’s cart waiting in F5', async () => {
    await scan(SODA);
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);
    await press('Control+l');
    await expect.poll(() => byTestId('lock-title').textContent()).toBe('Caja bloqueada — Cajero Demo');
    await press('F2');
    await expect.poll(focused).toBe('lock-username');
    await type('supervisor');
    await press('Enter');
    await type('2222');
    await press('Enter');
    await expect.poll(() => byTestId('lock-screen').count()).toBe(0);
    await expect.poll(() => byTestId('current-user').textContent()).toContain('Supervisora Demo');
    expect(await byTestId('cart-line').count()).toBe(0);
    await expect.poll(() => byTestId('notice').textContent()).toMatch(/La venta en curso de Cajero Demo quedó en espera/);
    await expect.poll(focused).toBe('scan-input');
    await press('F5');
    await expect.poll(() => byTestId('parked-row').count()).toBe(1);
    const row = await byTestId('parked-row').textContent();
    expect(row).toContain('Caja bloqueada — Cajero Demo');
    expect(row).toContain(formatSoles('2.50'));
    await press('Escape');
    expect(pos.problems.filter((p) => !/401|Unauthorized/i.test(p))).toEqual([]);
  });
});
