// Selling on credit at the counter (issue 15 item 9), as the cashier does it: five gas cylinders on a factura for a
// business the store knows (F6, F4 with its RUC), Cobrar with R (Crédito), "2" instalments typed the Peruvian way ("100,50",
// "139,50"); the sale-done dialog shows the credit and its instalments. Then Ventas del día → C: the factura is
// pending; C, "100" in cash, Enter: the pending amount drops and the X shows the collection as cash in. Then one
// cylinder comes back (F9, D, "1", Enter): the note comes off the debt ("Se descuenta de la deuda: S/ 48.00", nothing
// handed back) and Cuentas por cobrar shows the lower debt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { openPosPage, type PosPage } from './helpers';

const GAS = '7750000001578'; // GAS DOMESTICO SOLGAS BALON 10KG, S/ 48.00
const RUC = '20123456786';
const CUSTOMER = 'DISTRIBUIDORA LOS ANDES S.A.C.'; // in the demo store's customers

let pos: PosPage;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const keys = (text: string) => pos.page.keyboard.type(text);
const press = (key: string) => pos.page.keyboard.press(key);

describe('a factura on credit and a collection', () => {
  beforeAll(async () => {
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
  });

  it('F6, F4 with the RUC, Cobrar with R in two instalments typed with commas: the sale shows the credit', async () => {
    await pos.startShift('cashier', '3333', '100');
    for (let i = 0; i < 5; i++) {
      await expect.poll(focused).toBe('scan-input');
      await keys(GAS);
      await press('Enter');
    }
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);
    await press('F6');
    await expect.poll(() => byTestId('doc-type').getAttribute('data-doctype')).toBe('01');
    await press('F4');
    await expect.poll(focused).toBe('customer-docnumber');
    await keys(RUC);
    // A business the store already has: its name comes back from the customer list.
    await expect.poll(() => byTestId('customer-name').inputValue()).toBe(CUSTOMER);
    await press('Enter');
    await expect.poll(() => byTestId('customer-dialog').count()).toBe(0);

    await press('F8');
    await expect.poll(focused).toBe('pay-amount-0');
    await press('r');
    await expect.poll(() => byTestId('pay-method-0').getAttribute('data-method')).toBe('credit');
    expect(await byTestId('pay-amount-0').inputValue()).toBe('240.00');
    await press('Tab');
    await expect.poll(focused).toBe('pay-credit-count');
    await keys('2');
    await expect.poll(() => byTestId('pay-instalment').count()).toBe(2);
    await press('Tab');
    await expect.poll(focused).toBe('pay-instalment-amount-0');
    await keys('100,50');
    await press('Tab'); // its due date: 30 days, as proposed
    await press('Tab');
    await expect.poll(focused).toBe('pay-instalment-amount-1');
    await keys('139,50');
    await press('Enter');

    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toBe('F001-00000001');
    expect(await byTestId('sale-credit').textContent()).toBe(`${formatSoles('240.00')} en 2 cuotas`);
    const cuotas = await byTestId('sale-instalment').allTextContents();
    expect(cuotas).toHaveLength(2);
    expect(cuotas[0]).toMatch(new RegExp(`^Cuota 1: S/ 100\\.50 · vence \\d\\d/\\d\\d/\\d{4}$`));
    expect(cuotas[1]).toMatch(/^Cuota 2: S\/ 139\.50 · vence /);
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles('0.00'));
    await press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
  });

  it('Ventas del día → C: the factura is pending; C, "100" in cash: the pending amount drops; the X counts it as cash in', async () => {
    await press('F9');
    await byTestId('sales-list').waitFor();
    await press('c');
    const row = pos.page.locator('[data-testid="receivable-row"][data-number="F001-00000001"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('receivable-pending').textContent()).toBe(formatSoles('240.00'));
    expect(await byTestId('receivable-instalment').count()).toBe(2);
    await press('c');
    await byTestId('collect-dialog').waitFor();
    await expect.poll(focused).toBe('collect-amount');
    // The next instalment is offered; the customer brings 100.
    expect(await byTestId('collect-amount').inputValue()).toBe('100.50');
    await keys('100');
    await press('Enter');
    await expect.poll(() => byTestId('collect-dialog').count()).toBe(0);
    expect(await byTestId('receivables-notice').textContent()).toBe(
      `Cobro registrado en F001-00000001: ${formatSoles('100.00')} (Efectivo). Queda por cobrar ${formatSoles('140.00')}.`,
    );
    await expect.poll(() => row.getByTestId('receivable-pending').textContent()).toBe(formatSoles('140.00'));

    await press('F10');
    await byTestId('x-report-button').click();
    await byTestId('x-report').waitFor();
    expect(await byTestId('x-report-collections').textContent()).toBe(`1 · ${formatSoles('100.00')}`);
    // 100 float + 100 collected in cash; the factura itself brought no cash.
    expect(await byTestId('x-report-expected').textContent()).toBe(formatSoles('200.00'));
    expect(pos.problems).toEqual([]);
  });

  it('F9, D, one cylinder back: the note comes off the debt, nothing is handed back; Cuentas por cobrar shows the lower debt', async () => {
    await press('Escape');
    await expect.poll(focused).toBe('scan-input');
    await press('F9');
    await expect.poll(() => pos.page.locator('[data-testid="sales-row"][data-number="F001-00000001"]').count()).toBe(1);
    await press('d');
    await byTestId('return-dialog').waitFor();
    expect(await byTestId('return-owed').textContent()).toContain(`el cliente aún debe ${formatSoles('140.00')}`);
    await expect.poll(focused).toBe('return-qty-1');
    await keys('1');
    await press('Enter');
    await byTestId('return-done').waitFor({ timeout: 15_000 });
    expect(await byTestId('return-note-number').textContent()).toBe('Nota de crédito FC01-00000001');
    expect(await byTestId('return-debt').textContent()).toBe(`Se descuenta de la deuda: ${formatSoles('48.00')}`);
    expect(await byTestId('return-refund').textContent()).toBe(`Se devuelve: ${formatSoles('0.00')}`);
    expect(await byTestId('return-adjustment').textContent()).toBe('Cuotas reprogramadas ante SUNAT con la nota FC01-00000002.');
    await press('Enter');
    await expect.poll(() => byTestId('return-dialog').count()).toBe(0);
    await press('c');
    const row = pos.page.locator('[data-testid="receivable-row"][data-number="F001-00000001"]');
    await expect.poll(() => row.getByTestId('receivable-pending').textContent()).toBe(formatSoles('92.00'));
    expect(await row.getByTestId('receivable-returned').textContent()).toBe(` · devuelto ${formatSoles('48.00')}`);
    // 240 − 48: the last instalment lowered (139.50 → 91.50); the 100 collected stays on the first.
    const cuotas = await byTestId('receivable-instalment').allTextContents();
    expect(cuotas).toHaveLength(2);
    expect(cuotas[1]).toContain(formatSoles('91.50'));
    expect(pos.problems).toEqual([]);
  });
});
