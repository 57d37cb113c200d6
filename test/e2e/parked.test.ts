// Parked sales (issue 15): a customer's cart goes on hold with F5 while the next customer pays, comes back with F5
// and Enter — also after the server restarts — and is then charged as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { openPosPage, startServer, type PosPage, type RunningServer } from './helpers';

const SODA = '7750000000014'; // S/ 2.50
const BAG = '7759999999996'; // S/ 0.10 + S/ 0.50 ICBPER

let pos: PosPage;
let restarted: RunningServer | null = null;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);

async function scan(code: string): Promise<void> {
  await expect.poll(focused).toBe('scan-input');
  await pos.page.keyboard.type(code);
  await press('Enter');
}

describe('a cashier parks a sale and takes it back', () => {
  beforeAll(async () => {
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
    await restarted?.stop();
  });

  it('F5 parks the cart, the next customer pays, F5 and Enter bring the first cart back', async () => {
    await pos.startShift('cashier', '3333', '100');
    await scan(SODA);
    await scan(SODA);
    await scan(BAG);
    await expect.poll(() => byTestId('cart-line').count()).toBe(2);
    await press('F5');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
    await expect.poll(() => byTestId('notice').textContent()).toMatch(/Venta en espera: .* F5 con el carrito vacío para retomarla/);

    const next = await pos.sellOneInCash(SODA, '5');
    expect(next).toMatch(/^B\d{3}-\d{8}$/);
    await press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);

    await press('F5');
    await byTestId('parked-dialog').waitFor();
    await expect.poll(() => byTestId('parked-row').count()).toBe(1);
    expect(await byTestId('parked-row').textContent()).toContain(formatSoles('5.60'));
    await press('Enter');
    await expect.poll(() => byTestId('parked-dialog').count()).toBe(0);
    await expect.poll(() => byTestId('cart-line').count()).toBe(2);
  });

  it('a parked cart survives a restart of the app and is charged as it was', async () => {
    await press('F5');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
    const dataDir = pos.server.dataDir;
    await pos.server.stop({ keep: true });
    restarted = await startServer(60_000, { dataDir });
    await pos.page.goto(restarted.url);
    await pos.login('cashier', '3333');
    await byTestId('scan-input').waitFor();
    await press('F5');
    await byTestId('parked-dialog').waitFor();
    await expect.poll(() => byTestId('parked-row').count()).toBe(1);
    await press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(2);
    await press('F8');
    await expect.poll(focused).toBe('pay-amount-0');
    await pos.page.keyboard.type('20');
    await press('Enter');
    await expect.poll(() => byTestId('sale-total').textContent(), { timeout: 15_000 }).toBe(formatSoles('5.60'));
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles('14.40'));
    await press('Enter');
    // Recalled means gone from the list.
    await press('F5');
    await byTestId('parked-dialog').waitFor();
    await expect.poll(() => pos.page.getByTestId('parked-dialog').textContent()).toContain('No hay ventas en espera');
    await press('Escape');
  });
});
