// A real first run through the UI, as the "done when" asks: `izisales serve` on an EMPTY data directory offers
// the demo or the own store; the owner configures the store (an invalid RUC is refused inline), logs in as the new
// admin, opens the drawer, imports the store's .pfx and a product from CSV in Administración, sells it, and the
// boleta is accepted by SUNAT (the simulator, over HTTP) exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { cliSalesList, ensureRendererBuilt, launchBrowser, startServer, type RunningServer } from './helpers';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { createDemoCertificate } from '../../src-main/sunat/certificate';

let server: RunningServer;
let sim: Simulator;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];
const byTestId = (id: string) => page.getByTestId(id);

describe('first run in the browser against izisales serve', () => {
  beforeAll(async () => {
    ensureRendererBuilt();
    sim = await startSimulator({ port: 0 });
    server = await startServer(60_000, { demo: false, sunatUrl: sim.url });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'es-PE' });
    page.on('pageerror', (e) => pageProblems.push(String(e)));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  it('configures the own store, logs in as its admin, imports its certificate and a product by CSV, sells it, and SUNAT accepts it', async () => {
    await page.goto(server.url);
    await byTestId('setup-demo').waitFor();
    await byTestId('setup-own').click();

    const fill = async (field: string, value: string) => byTestId(`setup-${field}`).fill(value);
    await fill('ruc', '20100070971'); // wrong check digit
    await fill('legalName', 'Bodega Flores S.A.C.');
    await fill('tradeName', 'Bodega Flores');
    await fill('address', 'Av. Arequipa 1234, Lince, Lima');
    await fill('ubigeo', '150116');
    await fill('username', 'rosa');
    await fill('name', 'Rosa Flores');
    await fill('pin', '482913');
    await byTestId('setup-submit').click();
    await expect.poll(() => byTestId('setup-error-ruc').textContent()).toMatch(/RUC|dígito/i);
    expect(await byTestId('login-username').count()).toBe(0);

    await fill('ruc', '20100070970');
    await byTestId('setup-submit').click();
    await byTestId('login-username').waitFor();
    await byTestId('login-username').fill('rosa');
    await byTestId('login-pin').fill('482913');
    await page.keyboard.press('Enter');

    await byTestId('open-float').waitFor();
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    await byTestId('scan-input').waitFor();

    // Administración → Certificado: the store's own .pfx (the password typed, never stored in clear).
    const cert = createDemoCertificate('20100070970', 'BODEGA FLORES S.A.C.');
    const pfxFile = path.join(server.dataDir, 'bodega-flores.pfx');
    fs.writeFileSync(pfxFile, cert.pfx);
    await page.keyboard.press('F7');
    await byTestId('admin-section-certificate').click();
    await byTestId('cert-file').setInputFiles(pfxFile);
    await byTestId('cert-password').fill(cert.password);
    await byTestId('cert-import').click();
    await expect.poll(() => byTestId('cert-imported').textContent()).toContain('BODEGA FLORES S.A.C.');

    // Administración → Productos → CSV import with a preview (one good row, one bad one).
    await byTestId('admin-tab').click();
    await byTestId('admin-section-products').click();
    await byTestId('csv-text').fill('sku,barcode,name,price,stock\nGAL-01,7751234500019,Galletas Flores,3.50,20\nMALO,,Sin precio,,1\n');
    await byTestId('csv-preview').click();
    await expect.poll(() => byTestId('csv-row').count()).toBe(1);
    await expect.poll(() => byTestId('csv-row-error').count()).toBe(1);
    // The bad row is named by its product's code, the column in Spanish.
    expect(await byTestId('csv-error-product').textContent()).toBe('MALO');
    expect(await byTestId('csv-error-column').textContent()).toBe('Columna «Precio»');
    await byTestId('csv-import').click();
    await expect.poll(() => byTestId('csv-result').textContent()).toContain('1 creados');
    await expect.poll(() => byTestId('product-row').count()).toBe(1);

    // Back to the sale: scan it and pay in cash.
    await page.keyboard.press('F1');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
    await page.keyboard.type('7751234500019');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('cart-line').count()).toBe(1);
    await page.keyboard.press('F8');
    await byTestId('pay-method-0').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pay-amount-0');
    await page.keyboard.type('5.00');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('sale-number').textContent(), { timeout: 15_000 }).toBe('B001-00000001');

    const recorded = cliSalesList(server.dataDir);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ number: 'B001-00000001', total: '3.50' });
    // The runner signed and sent it: SUNAT's answer is stored, and SUNAT saw it once.
    await expect.poll(() => cliSalesList(server.dataDir)[0].sunatStatus, { timeout: 30_000 }).toBe('accepted');
    expect(sim.ledger().map((e) => ({ id: e.id, accepted: e.accepted, submissions: e.submissions }))).toEqual([
      { id: '20100070970-03-B001-1', accepted: 1, submissions: 1 },
    ]);
    expect(pageProblems).toEqual([]);
  }, 120_000);
});
