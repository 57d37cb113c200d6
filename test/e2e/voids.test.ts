// Voids from the screen (issue 15): a supervisor sells a boleta, SUNAT (the simulator) accepts it, then F9 → B gives
// the reason and follows the daily summary until SUNAT confirms the void; a sale that is not accepted yet says why;
// a factura brought back whole within the window (F9 → D, everything typed) is offered the void before the credit note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { openPosPage, type PosPage } from './helpers';

const SODA = '7750000000014';

let sim: Simulator;
let pos: PosPage;
const byTestId = (id: string) => pos.page.getByTestId(id);
const press = (key: string) => pos.page.keyboard.press(key);
const row = (number: string) => pos.page.locator(`[data-testid="sales-row"][data-number="${number}"]`);

describe('a supervisor voids a boleta from Ventas del día', () => {
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, summaryDelayMs: 300 });
    pos = await openPosPage({ sunatUrl: sim.url });
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
    await sim?.close();
  });

  it('B on an accepted boleta, the reason, Enter: the sale is cancelled and SUNAT confirms the void', async () => {
    await pos.startShift('supervisor', '2222', '100');
    const number = await pos.sellOneInCash(SODA, '5');
    await press('Enter');
    await press('F9');
    await expect.poll(() => row(number).locator('[data-testid="sales-status"]').textContent(), { timeout: 20_000 }).toMatch(/Aceptado/);
    await row(number).click();
    await press('b');
    await byTestId('void-dialog').waitFor();
    await pos.page.keyboard.type('error en el producto');
    await press('Enter');
    await byTestId('void-progress').waitFor();
    expect(await byTestId('void-batch').textContent()).toMatch(/^Comunicación \d{11}-RC-\d{8}-\d+: /);
    await byTestId('void-done').waitFor({ timeout: 30_000 });
    expect(await byTestId('void-done').textContent()).toContain(`${number} está dado de baja`);
    await press('Enter');
    await expect.poll(() => row(number).getAttribute('class')).toMatch(/voided/);
    await expect.poll(() => row(number).locator('[data-testid="sales-status"]').textContent(), { timeout: 15_000 }).toBe('Anulado');
  });

  it('a sale SUNAT has not accepted yet cannot be voided, and the screen says why', async () => {
    await sim.setFaults({ down: true });
    await press('Escape');
    const number = await pos.sellOneInCash(SODA, '5');
    await press('Enter');
    await press('F9');
    await row(number).click();
    await press('b');
    await byTestId('void-dialog').waitFor();
    await pos.page.keyboard.type('cliente desistió');
    await press('Enter');
    await expect.poll(() => byTestId('error-alert').textContent()).toMatch(new RegExp(`SUNAT aún no aceptó ${number}.*Espere su aceptación`));
    await press('Escape');
    expect(await row(number).getAttribute('class')).not.toMatch(/voided/);
    await sim.setFaults({});
  });

  it('everything of an accepted factura comes back: the return offers "Comunicar baja" first, the credit note as the other way', async () => {
    pos.problems.length = 0; // the refusal above answered 422, as it should
    await press('Escape');
    await byTestId('scan-input').waitFor();
    await press('F6');
    await expect.poll(() => byTestId('doc-type').getAttribute('data-doctype')).toBe('01');
    await press('F4');
    await byTestId('customer-docnumber').waitFor();
    await pos.page.keyboard.type('20123456786');
    await byTestId('customer-name').fill('CLIENTE SAC');
    await press('Enter');
    await expect.poll(() => byTestId('customer-docnumber').count()).toBe(0);
    const number = await pos.sellOneInCash(SODA, '5');
    expect(number).toMatch(/^F/);
    await press('Enter');
    await press('F9');
    await expect.poll(() => row(number).locator('[data-testid="sales-status"]').textContent(), { timeout: 20_000 }).toMatch(/Aceptado/);
    await row(number).click();
    await press('d');
    await byTestId('return-dialog').waitFor();
    await expect.poll(() => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('return-qty-1');
    expect(await byTestId('return-void-offer').count()).toBe(0);
    await pos.page.keyboard.type('1');
    await expect.poll(() => byTestId('return-void-offer').textContent()).toMatch(/SUNAT aún acepta su baja \(hasta el \d{2}\/\d{2}\/\d{4}\)/);
    expect(await byTestId('return-void').textContent()).toContain('Comunicar baja (anular la factura)');
    expect(await byTestId('return-submit').textContent()).toContain('nota de crédito');
    // Enter takes the first choice: the void, which still asks for its reason.
    await press('Enter');
    await byTestId('void-dialog').waitFor();
    await pos.page.keyboard.type('devolucion total');
    await press('Enter');
    await byTestId('void-progress').waitFor();
    expect(await byTestId('void-batch').textContent()).toMatch(/^Comunicación \d{11}-RA-\d{8}-\d+: /);
    await press('Enter');
    await expect.poll(() => row(number).getAttribute('class')).toMatch(/voided/);
    expect(await pos.page.locator('[data-testid="sales-row"][data-kind="note"]').count()).toBe(0);
    expect(pos.problems).toEqual([]);
  });
});
