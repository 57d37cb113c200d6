// Issue 13 §7 and §9 on the Queue screen (F11), offline store: a boleta's send offers no "Cancelar" and says what can
// be done instead; a backup task can still be cancelled; every task reads in Spanish; the sending process is described
// for a manager; the attempts and the history agree; a boleta orphaned by an old cancel is counted as failing and
// sent again with "Reintentar".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { demoProducts, openPosPage, type PosPage } from './helpers';

let pos: PosPage;
let page: Page;
const product = demoProducts()[0];
const byTestId = (id: string) => page.getByTestId(id);
const rowOf = (text: string) => byTestId('queue-row').filter({ hasText: text });
const detailText = () => byTestId('queue-detail').textContent();

/** What a database left by an older version, or a task due later, looks like: written with the app running (WAL). */
function writeDb(sql: string, ...args: unknown[]): { id: number; changes: number } {
  const db = openDatabase(databaseFile(pos.server.dataDir));
  try {
    const r = db.raw.prepare(sql).run(...args);
    return { id: Number(r.lastInsertRowid), changes: r.changes };
  } finally {
    db.close();
  }
}

describe('the Queue screen in words a manager reads', () => {
  beforeAll(async () => {
    pos = await openPosPage();
    page = pos.page;
  }, 180_000);

  afterAll(async () => {
    await pos?.close();
  });

  it('a boleta’s send cannot be cancelled: no "Cancelar", the reason and the ways out are shown; C says the same', async () => {
    await pos.startShift('supervisor', '2222', '100');
    const number = await pos.sellOneInCash(product.barcode, '100');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('pending-count').getAttribute('data-count'), { timeout: 10_000 }).toBe('1');

    await page.keyboard.press('F11');
    await byTestId('queue-screen').waitFor();
    await expect.poll(() => rowOf(number).count(), { timeout: 10_000 }).toBe(1);
    expect(await rowOf(number).textContent()).toContain('Envío de comprobante');
    await rowOf(number).click();
    await byTestId('queue-detail').waitFor();
    expect(await byTestId('queue-cancel').count()).toBe(0);
    const why = await byTestId('queue-no-cancel').textContent();
    expect(why).toContain(`El comprobante ${number} ya fue emitido`);
    expect(why).toMatch(/no se puede cancelar/);
    expect(why).toMatch(/reintentarlo/);
    expect(why).toMatch(/comunicación de baja o resumen diario \(izisales document void SERIE-NUMERO\)/);

    await page.keyboard.press('c');
    await expect.poll(() => byTestId('queue-notice').textContent()).toMatch(/no se puede cancelar/);
    expect(await byTestId('confirm-yes').count()).toBe(0);
    expect(await byTestId('queue-detail').getAttribute('data-state')).not.toBe('cancelled');
    expect(await byTestId('pending-count').getAttribute('data-count')).toBe('1');
  });

  it('the history numbers each run and the attempts say the same: two runs without network are 1 and 2, none counted', async () => {
    const number = (await byTestId('queue-detail').textContent())!.match(/B001-\d{8}/)![0];
    // The first run already met no network; R runs it again.
    await expect.poll(() => byTestId('queue-run').count(), { timeout: 15_000 }).toBe(1);
    await page.keyboard.press('r');
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await byTestId('queue-run').allTextContents()).filter((t) => t.includes('Sin conexión')).length, { timeout: 30_000 })
      .toBe(2);
    const runs = await byTestId('queue-run').allTextContents();
    expect(await byTestId('queue-run').locator('td:first-child').allTextContents()).toEqual(['1', '2']);
    expect(runs.every((r) => r.includes('(no cuenta)'))).toBe(true);
    expect(await byTestId('queue-attempts').textContent()).toBe('2 · 0 de 3 cuentan para el límite (sin conexión no cuenta)');
    expect(await rowOf(number).locator('td').nth(4).textContent()).toBe('2');
  });

  it('every task has a Spanish name, the sending process reads as "Envío automático activo", and a backup task can be cancelled', async () => {
    const backupJob = writeDb(
      `INSERT INTO jobs (kind, payload, run_at, idempotency_key, created_at, updated_at) VALUES ('db.backup', '{}', ?, 'e2e-backup', ?, ?)`,
      '2099-01-01T00:00:00.000Z', new Date().toISOString(), new Date().toISOString(),
    ).id;
    await expect.poll(() => byTestId('queue-runner').textContent(), { timeout: 10_000 }).toMatch(/^Envío automático activo desde hace \d+ min$/);
    expect(await byTestId('queue-runner').getAttribute('title')).toMatch(/^Proceso N° \d+/);
    expect(await byTestId('queue-screen').textContent()).not.toMatch(/PID|db\.backup|report\.daily|files\.archive|sunat\./);
    expect(await byTestId('queue-scheduled').textContent()).toContain('Copia de seguridad diaria');

    const row = byTestId('queue-row').and(page.locator(`[data-id="${backupJob}"]`));
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.textContent()).toContain('Copia de seguridad diaria');
    await row.click();
    await expect.poll(detailText).toContain('Copia de seguridad diaria');
    expect(await byTestId('queue-no-cancel').count()).toBe(0);
    await byTestId('queue-cancel').click();
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('queue-detail').getAttribute('data-state'), { timeout: 10_000 }).toBe('cancelled');
  });

  it('a boleta whose send an older version cancelled counts as failing, says so, and Reintentar sends it again', async () => {
    await page.keyboard.press('Escape');
    const number = await pos.sellOneInCash(product.barcode, '100');
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('pending-count').getAttribute('data-count'), { timeout: 10_000 }).toBe('2');
    // As an older version did: cancelled between attempts (an attempt in flight would record its own outcome over it).
    await expect.poll(() => writeDb(
      `UPDATE jobs SET state = 'cancelled', finished_at = updated_at WHERE kind = 'sunat.send' AND state <> 'running'
         AND json_extract(payload, '$.documentId') = (SELECT d.id FROM documents d JOIN sales s ON s.id = d.sale_id WHERE s.number = ?)`,
      number,
    ).changes, { timeout: 10_000 }).toBe(1);
    // The status bar's poll sees it: still not accepted, now counted as failing.
    await expect.poll(() => byTestId('failing-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('1');
    expect(await byTestId('pending-count').getAttribute('data-count')).toBe('1');

    await page.keyboard.press('F11');
    await page.locator('[data-testid="queue-counts"] [data-state="cancelled"]').click();
    await expect.poll(() => rowOf(number).count(), { timeout: 10_000 }).toBe(1);
    await rowOf(number).click();
    await expect.poll(() => byTestId('queue-orphan').textContent()).toMatch(/quedó sin enviar a SUNAT.*Use Reintentar/);
    await byTestId('queue-retry').click();
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => byTestId('failing-count').getAttribute('data-count'), { timeout: 15_000 }).toBe('0');
    expect(await byTestId('pending-count').getAttribute('data-count')).toBe('2');
  });

  it('shows no CSP violation or script error', () => {
    expect(pos.problems.filter((p) => !/Failed to load resource.*(4\d\d)/.test(p))).toEqual([]);
  });
});
