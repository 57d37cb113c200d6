// A sale's detail, as the cashier opens it (issue 15): a soda sold for a S/ 5 coin, F9, Enter on the sale: its line,
// total, SUNAT status (SUNAT unreachable: pending) and timeline; R reprints it — within 15 minutes of the sale, the
// cashier's own original, with the reprints left — and Esc goes back to the list. The print goes to a stand-in for the
// shell's print API (as in print-shell.test.ts), so the test sees what was printed without a PDF viewer. Then a
// supervisor opens the same sale's detail and issues a debit note for interest (N): "15,50" typed, paid in cash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSoles } from '../../src-shared/decimal';
import { SUNAT_STATUS_LABELS } from '../../src-shared/documents';
import { openPosPage, type PosPage } from './helpers';
import { DEBIT_NOTE_MANAGERS_ONLY } from '../../src-shared/notes';

const SODA = '7750000000014'; // GASEOSA INCA KOLA 500ML, S/ 2.50

let pos: PosPage;
const byTestId = (id: string) => pos.page.getByTestId(id);
const focused = () => pos.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
const press = (key: string) => pos.page.keyboard.press(key);

describe('the sale detail: a cashier reprints, a supervisor issues a debit note', () => {
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

    // A debit note is a manager's: N tells the cashier so, and nothing opens.
    await press('n');
    await expect.poll(() => byTestId('sale-detail').getByTestId('error-alert').textContent()).toBe(DEBIT_NOTE_MANAGERS_ONLY);
    expect(await byTestId('debit-dialog').count()).toBe(0);

    await press('Escape');
    await expect.poll(() => byTestId('sale-detail').count()).toBe(0);
    await byTestId('sales-list').waitFor();
    expect(pos.problems).toEqual([]);
  }, 60_000);

  it('a supervisor opens the same sale, N, chooses "Intereses por mora", types 15,50: the debit note is issued, printed and listed', async () => {
    const number = (await pos.page.locator('[data-testid="sales-row"][data-kind="sale"]').first().getAttribute('data-number'))!;
    await byTestId('logout').click();
    await pos.login('supervisor', '2222');
    await byTestId('scan-input').waitFor(); // the shared drawer the cashier opened
    await press('F9');
    await expect.poll(() => pos.page.locator(`[data-testid="sales-row"][data-number="${number}"]`).count()).toBe(1);
    await press('Enter');
    await byTestId('sale-detail').waitFor();
    await expect.poll(focused).toBe('sale-detail-body');
    await byTestId('detail-debit-button').waitFor(); // the detail has loaded: N is offered to a supervisor

    await press('n');
    await byTestId('debit-dialog').waitFor();
    await expect.poll(focused).toBe('debit-reason');
    await pos.page.keyboard.type('i'); // the list's own type-ahead: "Intereses por mora (01)"
    await expect.poll(() => byTestId('debit-reason').inputValue()).toBe('01');
    await press('Tab');
    await expect.poll(focused).toBe('debit-amount');
    await pos.page.keyboard.type('15,50');
    expect(await byTestId('debit-preview').textContent()).toBe(`El cliente paga ${formatSoles('15.50')} en efectivo.`);
    await press('Enter');

    await byTestId('debit-done').waitFor({ timeout: 15_000 });
    expect(await byTestId('debit-number').textContent()).toBe('Nota de débito BD01-00000001');
    expect(await byTestId('debit-charge').textContent()).toBe(`Cobre ${formatSoles('15.50')} en efectivo`);
    await press('p');
    await expect.poll(() => byTestId('debit-printed').textContent()).toBe('Impreso en TM-T20.');
    const printed = await pos.page.evaluate(() => (window as unknown as { __prints: string[] }).__prints);
    expect(printed.at(-1)).toMatch(/-08-BD01-00000001\.pdf$/);

    // Enter goes back to the sale's detail, which lists the note among its documents.
    await press('Enter');
    await byTestId('sale-detail').waitFor();
    await expect.poll(() => byTestId('detail-note').count()).toBe(1);
    const note = await byTestId('detail-note').textContent();
    expect(note).toContain('Nota de débito BD01-00000001');
    expect(note).toContain('Intereses por mora');
    expect(note).toContain(`Cobrado ${formatSoles('15.50')} en efectivo`);
    expect(await byTestId('detail-timeline').textContent()).toContain('Nota de débito BD01-00000001 emitida');

    await press('Escape');
    await expect.poll(() => pos.page.locator('[data-testid="sales-row"][data-number="BD01-00000001"]').textContent()).toContain(`Nota de débito de ${number}`);
    expect(pos.problems).toEqual([]);
  }, 60_000);
});
