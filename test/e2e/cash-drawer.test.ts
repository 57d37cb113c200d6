// The cash drawer as a supervisor lives it (issue 17): the store's thermal printer is a fake network printer on
// 127.0.0.1 (set through the settings call), the supervisor opens the shift with "300", goes to Caja (F10), presses
// "Abrir cajón" (Alt+A), picks the reason with the arrows and Enter — the printer gets the pulse — then closes the
// drawer typing the count "350,50": the Z on screen says "Aperturas de cajón sin venta: 1" and the Z prints on the
// thermal printer by itself, read back by the test's decoder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { decodeEscpos } from '../helpers/escpos-decoder';
import { startFakePrinter, type FakePrinter } from '../helpers/fake-printer';
import { openPosPage, type PosPage } from './helpers';

let pos: PosPage;
let printer: FakePrinter;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);

async function callAs(username: string, pin: string, name: string, input: unknown): Promise<unknown> {
  const post = (call: string, body: unknown, token?: string) =>
    fetch(`${pos.server.url}/api/${call}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-izisales-token': token } : {}) }, body: JSON.stringify(body) });
  const { token } = (await (await post('auth.login', { username, pin })).json()) as { token: string };
  const res = await post(name, input, token);
  expect(res.status).toBe(200);
  return res.json();
}

describe('"Abrir cajón" and the Z on the thermal printer', () => {
  beforeAll(async () => {
    printer = await startFakePrinter();
    pos = await openPosPage();
    await callAs('admin', '1111', 'settings.update', { printer: { paperWidth: 80, escpos: { uri: printer.uri, codePage: 'pc850', qr: 'native', cut: 'partial' } } });
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
    await printer?.close();
  });

  it('a supervisor opens the drawer with a reason, then closes counting 350,50: the Z counts the opening and prints', async () => {
    await pos.startShift('supervisor', '2222', '300');
    await press('F10');
    await byTestId('open-drawer-button').waitFor();
    await press('Alt+A');
    await byTestId('open-drawer-dialog').waitFor();
    await expect.poll(focused).toBe('drawer-reasons');
    await press('ArrowDown'); // "Error de cobro"
    await expect.poll(() => pos.page.locator('[data-testid="drawer-reason"][aria-checked="true"]').textContent()).toBe('Error de cobro');
    await press('Enter');
    await expect.poll(() => byTestId('cash-notice').textContent(), { timeout: 10_000 }).toBe(`Cajón abierto (127.0.0.1:${printer.port}).`);
    await printer.ended(1);
    const pulse = decodeEscpos(printer.connections[0]);
    expect(pulse.pulses).toHaveLength(1);
    expect(pulse.lines.map((l) => l.text).join('')).toBe('');

    await byTestId('close-counted').click();
    await pos.page.keyboard.type('350,50');
    await press('Enter');
    await byTestId('confirm-yes').waitFor();
    await press('Enter');
    await byTestId('z-report').waitFor();
    expect(await byTestId('z-report-no-sale-openings').textContent()).toBe('1');
    expect(await pos.page.locator('dt', { hasText: 'Aperturas de cajón sin venta' }).count()).toBe(1);
    expect(await byTestId('report-difference').textContent()).toBe(`Sobrante ${formatSoles('50.50')}`);

    // The Z went to the thermal printer at once, and the screen says so.
    await expect.poll(() => byTestId('z-print-notice').textContent(), { timeout: 10_000 }).toBe(`Impreso en la impresora térmica (127.0.0.1:${printer.port}).`);
    await printer.ended(2);
    const z = decodeEscpos(printer.connections[1]);
    expect(z.unknown).toEqual([]);
    expect(z.lines.some((l) => /^INFORME Z N° \d+$/.test(l.text))).toBe(true);
    expect(z.lines.find((l) => l.text.startsWith('Aperturas de cajón sin venta'))!.text).toMatch(/ 1$/);
    expect(z.lines.find((l) => l.text.startsWith('Efectivo contado'))!.text.endsWith(formatSoles('350.50'))).toBe(true);
    expect(z.cuts).toEqual(['partial']);
    expect(z.pulses).toEqual([]);
    expect(pos.problems).toEqual([]);
  });
});
