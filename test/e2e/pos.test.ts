// The cashier's day through the real UI: `izisales serve` on a fresh data directory, chromium, keyboard only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Dec, formatSoles, sum } from '../../src-shared/decimal';
import { SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { cliSalesList, demoProducts, ensureRendererBuilt, launchBrowser, startServer, type RunningServer } from './helpers';

let server: RunningServer;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
const products = demoProducts().slice(0, 3);

const byTestId = (id: string) => page.getByTestId(id);

async function scan(barcode: string): Promise<void> {
  await page.keyboard.type(barcode);
  await page.keyboard.press('Enter');
}

async function expectScanFocused(): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
}

describe('POS in the browser against izisales serve', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'es-PE' });
    page.on('console', (m) => {
      if (m.type() === 'error') pageProblems.push(m.text());
    });
    page.on('pageerror', (e) => pageProblems.push(String(e)));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a cashier logs in with a PIN, opens the drawer, scans three products and is paid in cash with change', async () => {
    await page.goto(server.url);
    await byTestId('login-username').fill('cashier');
    await byTestId('login-pin').fill('3333');
    await page.keyboard.press('Enter');

    // A fresh data directory has no open session: the opening float comes first.
    await byTestId('open-float').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-float');
    await page.keyboard.type('100');
    await page.keyboard.press('Enter');

    await byTestId('scan-input').waitFor();
    await expectScanFocused();
    for (const [i, p] of products.entries()) {
      await scan(p.barcode);
      await expect.poll(() => byTestId('cart-line').count()).toBe(i + 1);
    }
    const total = sum(products.map((p) => Dec.of(p.price))).round(2);
    await expect.poll(() => byTestId('cart-total').textContent()).toBe(formatSoles(total));
    await expectScanFocused();

    // F8 → pay: cash, its amount focused with the total selected; tender more than the total.
    await page.keyboard.press('F8');
    await byTestId('pay-method-0').waitFor();
    expect(await byTestId('pay-method-0').getAttribute('data-method')).toBe('cash');
    const tendered = total.plus(50).round(0).plus(0).toFixed(2);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pay-amount-0');
    await page.keyboard.type(tendered);
    const change = Dec.of(tendered).minus(total);
    await expect.poll(() => byTestId('pay-change').textContent()).toBe(`Vuelto: ${formatSoles(change)}`);
    await page.keyboard.press('Enter');

    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toBe('B001-00000001');
    expect(await byTestId('sale-total').textContent()).toBe(formatSoles(total));
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles(change));
    await expect.poll(() => byTestId('pending-count').textContent(), { timeout: 15_000 }).toBe('Pendientes SUNAT: 1');

    // Enter on "Nueva venta" empties the cart and gives the scan field back.
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
    expect(await byTestId('cart-total').textContent()).toBe(formatSoles('0'));
    await expectScanFocused();

    const recorded = cliSalesList(server.dataDir);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ number: 'B001-00000001', documentType: '03', total: total.toFixed(2) });
  });

  it('a factura with an invalid RUC shows the error and records nothing', async () => {
    await scan(products[0].barcode);
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);

    await page.keyboard.press('F6');
    await expect.poll(() => byTestId('doc-type').getAttribute('data-doctype')).toBe('01');

    await page.keyboard.press('F4');
    await byTestId('customer-docnumber').waitFor();
    expect(await byTestId('customer-doctype').inputValue()).toBe('6');
    await page.keyboard.type('20123456780');
    await expect.poll(() => byTestId('customer-error').textContent()).toContain('RUC');
    await byTestId('customer-name').fill('EMPRESA DE PRUEBA S.A.C.');
    await page.keyboard.press('Enter');
    // Still refused: the dialog stays with its error.
    await expect.poll(() => byTestId('customer-error').textContent()).toContain('dígito verificador');
    await page.keyboard.press('Escape');
    await expect.poll(() => byTestId('customer-docnumber').count()).toBe(0);

    // Paying a factura without a valid RUC is refused with a message that says what to do.
    await page.keyboard.press('F8');
    await byTestId('pay-method-0').waitFor();
    await expect.poll(() => byTestId('error-alert').textContent()).toContain('RUC');
    await page.keyboard.press('Enter');
    await byTestId('pay-confirm').click();
    expect(await byTestId('sale-number').count()).toBe(0);
    await expect.poll(() => byTestId('error-alert').textContent()).toContain('RUC');
    await page.keyboard.press('Escape');

    expect(cliSalesList(server.dataDir)).toHaveLength(1);
  });

  it('the main process itself refuses a factura with an invalid RUC (the UI is not the only guard)', async () => {
    const res = await page.evaluate(async (productBarcode) => {
      const token = sessionStorage.getItem('izisales.token')!;
      const headers = { 'content-type': 'application/json', 'x-izisales-token': token };
      const p = await (await fetch('/api/catalog.byBarcode', { method: 'POST', headers, body: JSON.stringify({ barcode: productBarcode }) })).json();
      const r = await fetch('/api/sales.checkout', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          documentType: '01',
          customer: { docType: '6', docNumber: '20123456780', name: 'EMPRESA DE PRUEBA S.A.C.' },
          lines: [{ productId: p.id, quantity: '1' }],
          payments: [{ method: 'cash', amount: '100.00' }],
        }),
      });
      return { status: r.status, body: await r.json() };
    }, products[0].barcode);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(['invalid_input', 'rule']).toContain(res.body.error.code);
    expect(cliSalesList(server.dataDir)).toHaveLength(1);
  });

  it('keyboard only: the same barcode increments, + and - adjust, Delete removes, Esc asks before clearing', async () => {
    // Back to a boleta for the rest of the day.
    await page.keyboard.press('F6');
    await expect.poll(() => byTestId('doc-type').getAttribute('data-doctype')).toBe('03');
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);

    await scan(products[0].barcode);
    await expect.poll(() => byTestId('cart-line-qty').first().textContent()).toBe('2');
    expect(await byTestId('cart-line').count()).toBe(1);
    await page.keyboard.press('+');
    await expect.poll(() => byTestId('cart-line-qty').first().textContent()).toBe('3');
    await page.keyboard.press('-');
    await expect.poll(() => byTestId('cart-line-qty').first().textContent()).toBe('2');

    // "*" opens the quantity dialog for the selected line.
    await page.keyboard.press('*');
    await byTestId('qty-input').waitFor();
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line-qty').first().textContent()).toBe('5');
    await expect.poll(() => byTestId('cart-total').textContent()).toBe(formatSoles(Dec.of(products[0].price).times(5)));
    await expectScanFocused();

    await scan(products[1].barcode);
    await expect.poll(() => byTestId('cart-line').count()).toBe(2);
    await page.keyboard.press('Delete');
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);

    // F8 opens the pay dialog, Esc closes it and the scan field has focus again.
    await page.keyboard.press('F8');
    await byTestId('pay-confirm').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => byTestId('pay-confirm').count()).toBe(0);
    await expectScanFocused();

    // Esc with a cart asks first; Esc keeps the sale, Enter clears it.
    await page.keyboard.press('Escape');
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Escape');
    expect(await byTestId('cart-line').count()).toBe(1);
    await page.keyboard.press('Escape');
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
    await expectScanFocused();
  });

  it('an unknown code falls back to the name search; arrows and Enter add the product', async () => {
    const word = products[2].name.split(' ').slice(-2).join(' ');
    await page.keyboard.type(word);
    await page.keyboard.press('Enter');
    await byTestId('search-results').waitFor();
    const names = await byTestId('search-result').allTextContents();
    const index = names.findIndex((n) => n.includes(products[2].name));
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);
    expect(await byTestId('cart-line').first().textContent()).toContain(products[2].name);

    await page.keyboard.type('0000000000000');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('error-alert').textContent()).toContain('No se encontró');
    await page.keyboard.press('Escape'); // dismiss the message
    await page.keyboard.press('Escape');
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
  });

  it('a payment split between card and cash, keyboard only: T → card, + adds a row, E → cash', async () => {
    for (const p of products) await scan(p.barcode);
    await expect.poll(() => byTestId('cart-line').count()).toBe(3);
    const total = sum(products.map((p) => Dec.of(p.price))).round(2);

    await page.keyboard.press('F8');
    await byTestId('pay-method-0').waitFor();
    await page.keyboard.press('t');
    expect(await byTestId('pay-method-0').getAttribute('data-method')).toBe('card');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pay-amount-0');
    // The card pays part of the total (never more: only cash gives change); cash covers the rest and 10 more.
    const card = total.div(2, 2);
    await page.keyboard.type(card.toFixed(2));
    await page.keyboard.press('+');
    await byTestId('pay-method-1').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pay-amount-1');
    await page.keyboard.press('e');
    expect(await byTestId('pay-method-1').getAttribute('data-method')).toBe('cash');
    const cash = total.minus(card).plus(10).toFixed(2);
    await page.keyboard.type(cash);
    await expect.poll(() => byTestId('pay-change').textContent()).toBe(`Vuelto: ${formatSoles('10')}`);
    await page.keyboard.press('Enter');

    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toBe('B001-00000002');
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles('10'));
    await expect.poll(() => byTestId('pending-count').textContent(), { timeout: 15_000 }).toBe('Pendientes SUNAT: 2');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
    expect(cliSalesList(server.dataDir)).toHaveLength(2);
  });

  it('F9 lists the day’s sales with their SUNAT status in Spanish', async () => {
    await page.keyboard.press('F9');
    await byTestId('sales-list').waitFor();
    await expect.poll(() => byTestId('sales-row').count()).toBe(2);
    const rows = (await byTestId('sales-row').allTextContents()).join('\n');
    expect(rows).toContain('B001-00000001');
    expect(rows).toContain('B001-00000002');
    expect(rows).toContain(SUNAT_STATUS_LABELS.pending);
    // The cashier prints the ticket of their own sale just made (the original, not a COPIA): the button shows it.
    expect(await byTestId('reprint').first().textContent()).toContain('Imprimir ticket');
    const ticket = page.waitForEvent('popup', { timeout: 15_000 });
    await page.keyboard.press('r');
    expect((await ticket).url()).toMatch(/^blob:/);
    await expect.poll(() => byTestId('reprint-notice').textContent()).toMatch(/^Ticket de B001-0000000[12]/);
    await page.bringToFront();
    await page.keyboard.press('Escape');
    await expectScanFocused();
  });

  it('cash: a withdrawal with its reason, the X report, then closing shows the numbered Z report', async () => {
    await page.keyboard.press('F10');
    await byTestId('x-report-button').waitFor();
    await byTestId('move-amount').fill('20');
    await byTestId('move-reason').fill('Pago a proveedor de hielo');
    await byTestId('move-submit').click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'registrad' }).count()).toBe(1);

    await byTestId('x-report-button').click();
    await byTestId('x-report').waitFor();
    expect(await byTestId('x-report').textContent()).toContain(formatSoles('20'));

    await byTestId('close-counted').fill('150');
    await page.keyboard.press('Enter');
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await byTestId('z-report').waitFor();
    expect(await byTestId('z-report').textContent()).toMatch(/Informe Z N° \d+/);
    // A closed drawer sells nothing until a new one is opened.
    await byTestId('open-float').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-float');
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    await byTestId('scan-input').waitFor();
    await expectScanFocused();
  });

  it('a reload keeps the session; logging out goes back to the login', async () => {
    await page.reload();
    await byTestId('scan-input').waitFor();
    await expectScanFocused();
    expect(await byTestId('demo-badge').textContent()).toBe('MODO DEMO');
    await byTestId('logout').click();
    await byTestId('login-username').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('izisales.token'))).toBeNull();
  });

  it('shows no CSP violation or script error', () => {
    expect(pageProblems.filter((p) => !/Failed to load resource.*(4\d\d)/.test(p))).toEqual([]);
  });
});
