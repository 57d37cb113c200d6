// Cash per cashier and the kept Z (issue 15, item 6), as the store lives it: the admin sets "Un cajón por cajero",
// cashier A opens their own drawer with "100", sells for cash, closes counting "150,50"; the history of the closings
// shows the difference and the Z is reprinted on the ticket printer (a stand-in for the shell's print, set on the page);
// then A leaves a drawer open and a supervisor closes it from the Caja screen (Cajas abiertas) with "350,50".
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { requireTools } from '../helpers/tools';
import { openPosPage, type PosPage } from './helpers';

const SODA = '7750000000014'; // S/ 2.50

let pos: PosPage;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);

async function closeDrawer(counted: string): Promise<void> {
  await press('F10');
  await byTestId('close-counted').pressSequentially(counted);
  await press('Enter');
  await byTestId('confirm-yes').waitFor();
  await press('Enter');
  await byTestId('z-report').waitFor();
}

describe('one drawer per cashier: the Z is kept, listed and reprinted', () => {
  beforeAll(async () => {
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
  });

  it('cashier A opens with 100, sells in cash, closes counting 150,50; the history shows the difference; the reprint prints the Z', async () => {
    const { page } = pos;
    // The admin chooses one drawer per cashier, then closes the shared drawer opened to get there.
    await pos.startShift('admin', '1111', '0');
    await press('F7');
    await byTestId('settings-drawer-mode').selectOption('perCashier');
    await byTestId('settings-drawer-mode-note').waitFor();
    await byTestId('settings-save').click();
    await byTestId('settings-saved').waitFor();
    await press('Escape');
    await byTestId('scan-input').waitFor();
    await closeDrawer('0');
    await byTestId('logout').click();

    // Cashier A: their own drawer.
    await pos.login('cashier', '3333');
    await expect.poll(focused).toBe('open-float');
    await page.keyboard.type('100');
    await press('Enter');
    await byTestId('scan-input').waitFor();
    expect(await page.locator('.session-info').textContent()).toContain('Su caja abierta por Cajero Demo');
    await pos.sellOneInCash(SODA, '5');
    expect(await byTestId('sale-change').textContent()).toBe(formatSoles('2.50'));
    await press('Enter');

    // Expected 100 + 2.50; counted 150,50: S/ 48.00 over.
    await closeDrawer('150,50');
    expect(await byTestId('report-difference').textContent()).toBe(`Sobrante ${formatSoles('48.00')}`);

    // The history of the closings, from the "Abrir caja" screen: A's Z, counted against expected.
    await press('Alt+H');
    await byTestId('z-history').waitFor();
    await expect.poll(() => byTestId('z-history-row').count()).toBe(1);
    const row = (await byTestId('z-history-row').textContent())!;
    expect(row).toContain('N° 2');
    expect(row).toContain('Cajero Demo');
    expect(row).toContain(formatSoles('102.50'));
    expect(row).toContain(formatSoles('150.50'));
    expect(await byTestId('z-history-difference').textContent()).toBe(`Sobrante ${formatSoles('48.00')}`);

    // Enter reprints the chosen Z on the ticket printer.
    await page.evaluate(() => {
      const w = window as unknown as { izisales?: unknown; __prints: { fileName: string; pdfBase64: string }[] };
      w.__prints = [];
      w.izisales = {
        print: async (doc: { pdfBase64: string; fileName: string }) => {
          w.__prints.push(doc);
          return { ok: true, printer: 'TM-T20' };
        },
      };
    });
    await expect.poll(focused).toBe('z-history-list');
    await press('Enter');
    await expect.poll(() => byTestId('z-history-notice').textContent()).toBe('Impreso en TM-T20.');
    const prints = await page.evaluate(() => (window as unknown as { __prints: { fileName: string; pdfBase64: string }[] }).__prints);
    expect(prints.map((p) => p.fileName)).toEqual(['informe-z-2-COPIA.pdf']);
    requireTools('pdftotext');
    const file = path.join(pos.server.dataDir, 'z-copy.pdf');
    fs.writeFileSync(file, Buffer.from(prints[0].pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('INFORME Z N° 2');
    expect(text).toContain('COPIA');
    expect(text).toMatch(/Diferencia\s+Sobrante S\/ 48\.00/);
    await press('Escape');
    await expect.poll(focused).toBe('open-float');
    expect(pos.problems).toEqual([]);
  }, 60_000);

  it('the cashier goes home with the drawer open; a supervisor closes it from Caja typing 350,50 and finds it in Historial de cierres; the cashier is asked to open one', async () => {
    const { page } = pos;
    // Cashier A opens again with 100 and leaves without closing.
    await page.keyboard.type('100');
    await press('Enter');
    await byTestId('scan-input').waitFor();
    await byTestId('logout').click();

    // The supervisor opens her own drawer, then F10: the drawers open on this terminal, A's first.
    await pos.login('supervisor', '2222');
    await expect.poll(focused).toBe('open-float');
    await page.keyboard.type('0');
    await press('Enter');
    await byTestId('scan-input').waitFor();
    await press('F10');
    await expect.poll(() => byTestId('open-drawer-row').count()).toBe(2);
    expect(await byTestId('open-drawer-row').first().textContent()).toContain('Caja de Cajero Demo');
    expect(await byTestId('open-drawer-row').nth(1).textContent()).toContain('(la que usted usa)');
    await press('Alt+C');
    await expect.poll(focused).toBe('open-drawers-list');
    await press('Enter');
    await expect.poll(focused).toBe('close-drawer-counted');
    await page.keyboard.type('350,50');
    await press('Enter');
    await byTestId('confirm-yes').waitFor();
    expect(await byTestId('confirm-dialog').textContent()).toContain('cerrado por usted en lugar de Cajero Demo');
    await press('Enter');

    // The Z on screen: expected 100, counted 350.50, closed by her instead of A; her own drawer stays open.
    await expect.poll(() => byTestId('cash-notice').textContent()).toMatch(/^Caja de Cajero Demo cerrada: informe Z N° 3\./);
    expect(await byTestId('report-closed-by').textContent()).toContain('Cerrada por Supervisora Demo en lugar de Cajero Demo');
    expect(await byTestId('report-difference').textContent()).toBe(`Sobrante ${formatSoles('250.50')}`);
    await expect.poll(() => byTestId('open-drawer-row').count()).toBe(1);
    expect(await page.locator('.session-info').textContent()).toContain('Su caja abierta por Supervisora Demo');

    // Historial de cierres: the newest Z, counted 350.50, saying who closed it instead of whom.
    await press('Alt+H');
    await byTestId('z-history').waitFor();
    await expect.poll(() => byTestId('z-history-row').count()).toBe(3);
    const row = (await byTestId('z-history-row').first().textContent())!;
    expect(row).toContain('N° 3');
    expect(row).toContain(formatSoles('350.50'));
    expect(await byTestId('z-history-closed-by').first().textContent()).toBe('Cerrada por Supervisora Demo en lugar de Cajero Demo');
    await press('Escape');
    await byTestId('logout').click();

    // A comes back: no drawer, so the screen asks to open one (no error).
    await pos.login('cashier', '3333');
    await expect.poll(focused).toBe('open-float');
    expect(await byTestId('error-alert').count()).toBe(0);
    expect(pos.problems).toEqual([]);
  }, 60_000);
});
