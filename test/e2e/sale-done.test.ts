// Issue 13 §6: the "Venta registrada" dialog follows the document's SUNAT status while it stays open. A cashier sells
// with SUNAT (the project's simulator over HTTP) answering: the dialog says "Pendiente…" and then "Aceptado" — by the
// simulator, which signs its CDRs as such, so the dialog says "Aceptado por el simulador (sin validez)", never SUNAT —
// without being closed. With SUNAT unreachable the dialog says it waits for the connection, and turns accepted when
// SUNAT comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { demoProducts, openPosPage, type PosPage } from './helpers';

let sim: Simulator;
let pos: PosPage;
let page: Page;
const product = demoProducts()[0];
const byTestId = (id: string) => page.getByTestId(id);
const statusText = () => byTestId('sale-sunat-status').textContent();
/** Every text the dialog's SUNAT line showed, in order (recorded in the page, so no state is missed between polls). */
const shown = () => page.evaluate(() => (window as unknown as { __sunatTexts: string[] }).__sunatTexts);

describe('the sale-done dialog follows SUNAT', () => {
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    pos = await openPosPage({ sunatUrl: sim.url });
    page = pos.page;
    await page.addInitScript(() => {
      const w = window as unknown as { __sunatTexts: string[] };
      w.__sunatTexts = [];
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="sale-sunat-status"]');
        const text = el?.textContent ?? null;
        if (text !== null && w.__sunatTexts[w.__sunatTexts.length - 1] !== text) w.__sunatTexts.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
  }, 180_000);

  afterAll(async () => {
    await pos?.close();
    await sim?.close();
  });

  it('a sale SUNAT accepts shows "Pendiente…" and then "Aceptado" (by the simulator, it says) in the same open dialog', async () => {
    await pos.startShift('cashier', '3333', '100');
    const number = await pos.sellOneInCash(product.barcode, '100');
    await expect.poll(statusText, { timeout: 30_000 }).toContain('Aceptado por el simulador (sin validez)');
    expect(await byTestId('sale-done').isVisible()).toBe(true);
    expect(await byTestId('sale-number').textContent()).toBe(number);
    const texts = await shown();
    expect(texts[0]).toContain('Pendiente de envío a SUNAT');
    expect(texts[texts.length - 1]).toContain('Aceptado por el simulador (sin validez)');
    const [series, correlative] = number.split('-');
    expect(sim.ledger().filter((d) => d.id.endsWith(`-${series}-${Number(correlative)}`)).map((d) => d.accepted)).toEqual([1]);
    await page.keyboard.press('Enter');
    await byTestId('sale-done').waitFor({ state: 'detached' });
  });

  it('while SUNAT is unreachable the dialog says it waits for the connection, and turns accepted when SUNAT returns', async () => {
    await sim.setFaults({ down: true });
    const number = await pos.sellOneInCash(product.barcode, '100');
    // The failed send tells the app it is offline; the open dialog says so.
    await expect.poll(statusText, { timeout: 30_000 }).toContain('Sin conexión: se enviará solo cuando vuelva la conexión');
    expect(await statusText()).toContain('Pendiente de envío a SUNAT');
    expect(await byTestId('sale-sunat-status').getAttribute('data-status')).toBe('pending');

    await sim.setFaults({ down: false });
    await expect.poll(statusText, { timeout: 90_000, interval: 500 }).toContain('Aceptado por el simulador (sin validez)');
    expect(await statusText()).not.toContain('Sin conexión');
    expect(await byTestId('sale-done').isVisible()).toBe(true);
    expect(await byTestId('sale-number').textContent()).toBe(number);
  }, 150_000);

  it('shows no CSP violation or script error', () => {
    // The offline minutes make the browser log nothing of its own: only the app's requests could fail.
    expect(pos.problems.filter((p) => !/Failed to load resource.*(4\d\d)/.test(p))).toEqual([]);
  });
});
