// The thermal printer at the counter (issue 17), as the store uses it, against `izisales serve` and a fake network
// printer on 127.0.0.1: an admin opens Administración → Impresora, types the printer's tcp:// address, prints a test
// ticket (the printer gets it; the screen says so with the printer's status) and saves; a cashier sells a soda and a
// plastic bag paying with "20" in cash — the printer gets the ticket with the drawer pulse, and the screen shows nothing
// more once printed; then the printer is unplugged and the next sale shows the printer's problem with "Reimprimir",
// while the sale is recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { startFakePrinter, type FakePrinter } from '../helpers/fake-printer';
import { decodeEscpos } from '../helpers/escpos-decoder';
import { cliSalesList, openPosPage, type PosPage } from './helpers';

const SODA = '7750000000014'; // GASEOSA INCA KOLA 500ML, S/ 2.50
const BAG = '7759999999996'; // BOLSA PLASTICA: S/ 0.10 + S/ 0.50 ICBPER

let pos: PosPage;
let printer: FakePrinter;
const started = performance.now();
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);

async function sellSodaAndBag(): Promise<string> {
  for (const code of [SODA, BAG]) {
    await expect.poll(focused).toBe('scan-input');
    await pos.page.keyboard.type(code);
    await press('Enter');
  }
  await expect.poll(() => byTestId('cart-line').count()).toBe(2);
  await press('F8');
  await expect.poll(focused).toBe('pay-amount-0');
  await pos.page.keyboard.type('20');
  await press('Enter');
  await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toMatch(/^B\d{3}-\d{8}$/);
  return (await byTestId('sale-number').textContent())!;
}

describe('a store sets up its thermal printer and sells', () => {
  beforeAll(async () => {
    printer = await startFakePrinter();
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
    await printer?.close();
    console.log(`thermal-printer e2e: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('an admin types the printer\'s address, prints a test ticket and saves', async () => {
    await pos.startShift('admin', '1111', '100');
    await press('F7');
    await byTestId('admin-section-printer').click();
    await byTestId('printer-thermal').click();
    await byTestId('printer-uri').click();
    await pos.page.keyboard.type(printer.uri);
    await byTestId('printer-test').click();
    await expect.poll(() => byTestId('printer-test-result').textContent(), { timeout: 15_000 })
      .toBe(`Impresión de prueba enviada a 127.0.0.1:${printer.port} · Estado de la impresora: lista`);
    await printer.ended(1);
    const test = decodeEscpos(printer.connections[0]);
    expect(test.text).toContain('PRUEBA DE IMPRESIÓN');
    expect(test.text).toContain('ñ Ñ á é í ó ú ü ¿ ¡ °');
    expect(test.qr).toHaveLength(1);
    expect(test.cuts).toEqual(['partial']);
    expect(test.pulses).toEqual([]);
    await byTestId('printer-save').click();
    await expect.poll(() => byTestId('admin-notice').textContent()).toContain('Impresora guardada');
  }, 60_000);

  it('a cashier sells a soda and a bag for "20" in cash: the ticket prints by itself and opens the drawer', async () => {
    await byTestId('logout').click();
    await pos.login('cashier', '3333');
    await byTestId('scan-input').waitFor();
    const number = await sellSodaAndBag();
    await printer.ended(2);
    const ticket = decodeEscpos(printer.connections[1]);
    expect(ticket.text).toContain(number);
    expect(ticket.text).toContain('BOLSA');
    expect(ticket.text).toMatch(/TOTAL +S\/ 3\.10/);
    expect(ticket.pulses).toHaveLength(1);
    expect(ticket.cuts).toHaveLength(1);
    // Printed: nothing more on the screen about it.
    await expect.poll(() => byTestId('ticket-printing').count(), { timeout: 10_000 }).toBe(0);
    expect(await byTestId('ticket-problem').count()).toBe(0);
    await press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(0);
  }, 60_000);

  it('the printer is unplugged: the next sale is recorded and the screen shows the printer\'s problem with Reimprimir', async () => {
    const port = printer.port;
    await printer.close();
    const number = await sellSodaAndBag();
    await expect.poll(() => byTestId('ticket-problem').textContent(), { timeout: 15_000 })
      .toContain(`La impresora rechazó la conexión (127.0.0.1:${port})`);
    expect(await byTestId('ticket-reprint').isVisible()).toBe(true);
    expect(cliSalesList(pos.server.dataDir).map((s) => s.number)).toContain(number);
    expect(pos.problems.filter((p) => !/Failed to load resource.*(4\d\d)/.test(p))).toEqual([]);
  }, 60_000);
});
