// A sale's detail, as the cashier opens it (issue 15): a soda sold for a S/ 5 coin, F9, Enter on the sale: its line,
// total, SUNAT status (SUNAT unreachable: pending) and timeline; R reprints it — within 15 minutes of the sale, the
// cashier's own original, with the reprints left — and Esc goes back to the list. The print goes to a stand-in for the
// shell's print API (as in print-shell.test.ts), so the test sees what was printed without a PDF viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { openPosPage, type PosPage } from './helpers';

const SODA = '7750000000014'; // GASEOSA INCA KOLA 500ML, S/ 2.50

let pos: PosPage;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);

describe('a cashier opens a sale of the day and reprints it', () => {
  beforeAll(async () => {
    pos = await openPosPage();
  }, 180_000);
  afterAll(async () => {
    await pos?.close();
  });

  it('sells, F9, Enter: the detail shows the line, total, status and timeline; R prints the original; Esc closes', async () => {
    await pos.startShift('cashier', '3333', '100');
    const number = await pos.sellOneInCash(SODA, '5');
    await press('Enter');
    await expect.poll(focused).toBe('scan-input');
    // The shell's print API, stood in for after the page started (calls still go over HTTP).
    await pos.page.evaluate(() => {
      const w = window as unknown as { izisales?: unknown; __prints: string[] };
      w.__prints = [];
      w.izisales = {
        print: async (doc: { fileName: string }) => {
          w.__prints.push(doc.fileName);
          return { ok: true, printer: 'TM-T20' };
        },
      };
    });

    await press('F9');
    await expect.poll(() => pos.page.locator(`[data-testid="sales-row"][data-number="${number}"]`).count()).toBe(1);
    await press('Enter');
    await byTestId('sale-detail').waitFor();
    await expect.poll(focused).toBe('sale-detail-body');
    await expect.poll(() => byTestId('detail-line').count()).toBe(1);
    const line = await byTestId('detail-line').textContent();
    expect(line).toContain('GASEOSA INCA KOLA 500ML');
    expect(line).toContain(formatSoles('2.50'));
    expect(await byTestId('detail-total').textContent()).toBe(formatSoles('2.50'));
    expect(await byTestId('detail-payments').textContent()).toContain(`Efectivo ${formatSoles('2.50')} · recibido ${formatSoles('5.00')}`);
    expect(await byTestId('detail-status').textContent()).toBe(SUNAT_STATUS_LABELS.pending);
    const timeline = await byTestId('detail-timeline').textContent();
    expect(timeline).toContain('Venta registrada por Cajero Demo');
    expect(timeline).toContain('Boleta firmada digitalmente');
    expect(await byTestId('detail-print-offer').textContent()).toBe('R imprime el ticket original.');

    await press('r');
    await expect.poll(() => byTestId('detail-notice').textContent()).toBe(`Original de ${number}: impreso en TM-T20. Le quedan 3 reimpresiones.`);
    // The print is in the sale's history at once; the next R is a reprint of the original (the cashier's, in time).
    await expect.poll(() => byTestId('detail-timeline').textContent()).toContain('Impreso el original por Cajero Demo');
    await press('r');
    await expect.poll(() => byTestId('detail-notice').textContent()).toBe(`Original de ${number}: impreso en TM-T20. Le quedan 2 reimpresiones.`);
    const printed = await pos.page.evaluate(() => (window as unknown as { __prints: string[] }).__prints);
    expect(printed).toEqual([expect.stringMatching(new RegExp(`-03-${number}\\.pdf$`)), expect.stringMatching(new RegExp(`-03-${number}\\.pdf$`))]);

    await press('Escape');
    await expect.poll(() => byTestId('sale-detail').count()).toBe(0);
    await byTestId('sales-list').waitFor();
    expect(pos.problems).toEqual([]);
  }, 60_000);
});
