// Administración's store settings through the real UI against `izisales serve` (demo store, offline): an admin
// schedules a tax rate change and edits a cron — both still there after a reload, a bad value refused next to its
// field — imports a certificate file that expires in 10 days, and the status bar warns about it, for a cashier too.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { limaDate } from '../../src-shared/time';
import { openPosPage, type PosPage } from './helpers';

const DAY = 24 * 3600 * 1000;
let pos: PosPage;
let page: Page;
const byTestId = (id: string) => page.getByTestId(id);

async function openAdmin(section: string): Promise<void> {
  await byTestId('scan-input').waitFor();
  await page.keyboard.press('F7');
  await byTestId(`admin-section-${section}`).click();
}

describe('store settings in the browser against izisales serve', () => {
  beforeAll(async () => {
    pos = await openPosPage();
    page = pos.page;
  }, 180_000);

  afterAll(async () => {
    await pos?.close();
  });

  it('an admin schedules a new IGV from a date and edits a cron; both survive a reload; bad values are refused by field', async () => {
    await pos.startShift('admin', '1111', '100');

    await openAdmin('taxes');
    await expect.poll(() => byTestId('tax-current-igv').textContent()).toContain('18 %');
    const from = limaDate(new Date(Date.now() + 40 * DAY));
    await byTestId('tax-kind').selectOption('igv');
    await byTestId('tax-rate').fill('16');
    await byTestId('tax-from').fill(from);
    await byTestId('tax-submit').click();
    await expect.poll(() => byTestId('tax-error-rate').textContent()).toMatch(/fracción, p\. ej\. 0\.18/);
    await byTestId('tax-rate').fill('0,16'); // the decimal comma, as an admin in Peru writes it
    await byTestId('tax-submit').click();
    await expect.poll(() => byTestId('tax-change-row').count()).toBe(1);
    expect(await byTestId('tax-change-row').getAttribute('data-from')).toBe(from);
    expect(await byTestId('tax-current-igv').textContent()).toContain('18 %'); // not yet

    await byTestId('admin-section-schedule').click();
    await byTestId('schedule-cron-report.daily').fill('15 22 * * *');
    await byTestId('schedule-save-report.daily').click();
    await expect.poll(() => byTestId('schedule-next-report.daily').textContent()).toMatch(/\d{2}\/\d{2}\/\d{4} 22:15 \(Lima\)/);
    await byTestId('schedule-cron-db.backup').fill('0 25 * * *');
    await byTestId('schedule-save-db.backup').click();
    await expect.poll(() => byTestId('schedule-error-db.backup').textContent()).toMatch(/Horario no válido/);

    await page.reload();
    await openAdmin('taxes');
    await expect.poll(() => byTestId('tax-change-row').count()).toBe(1);
    expect(await byTestId('tax-change-row').textContent()).toContain('0.16');
    await byTestId('admin-section-schedule').click();
    await expect.poll(() => byTestId('schedule-cron-report.daily').inputValue()).toBe('15 22 * * *');
    expect(await byTestId('schedule-cron-db.backup').inputValue()).toBe('30 23 * * *'); // the refused one changed nothing
  }, 120_000);

  it('imports a certificate file through the file input; the status bar warns it expires soon, for the cashier too', async () => {
    // Valid two years from its start: started 720 days ago, about 10 days are left.
    const cert = createDemoCertificate('20601234565', 'BODEGA DEMO IZISALES S.A.C.', new Date(Date.now() - 720 * DAY));
    const file = path.join(pos.server.dataDir, 'empresa.pfx');
    fs.writeFileSync(file, cert.pfx);

    await byTestId('admin-section-certificate').click();
    await byTestId('cert-file').setInputFiles(file);
    await byTestId('cert-password').fill('no-es-la-clave');
    await byTestId('cert-import').click();
    await expect.poll(() => byTestId('cert-error-password').textContent()).toMatch(/contraseña del certificado no es correcta/);

    await byTestId('cert-file').setInputFiles(file);
    await byTestId('cert-password').fill(cert.password);
    await byTestId('cert-import').click();
    await expect.poll(() => byTestId('cert-imported').textContent()).toContain('BODEGA DEMO IZISALES S.A.C. - DEMO');
    expect(await byTestId('cert-import-warning').textContent()).toMatch(/vence el .* \(en (9|10) días\)/);
    expect(await byTestId('cert-password').inputValue()).toBe('');
    await expect.poll(() => byTestId('cert-valid-to').textContent()).toMatch(/días restantes/);
    await expect.poll(() => byTestId('certificate-warning').textContent(), { timeout: 10_000 }).toMatch(/El certificado digital vence el .* Pida al administrador que lo renueve/);

    await byTestId('logout').click();
    await pos.login('cashier', '3333');
    await expect.poll(() => byTestId('certificate-warning').textContent(), { timeout: 10_000 }).toMatch(/vence el \d{2}\/\d{2}\/\d{4} \(en (9|10) días\)/);
    expect(await byTestId('admin-tab').count()).toBe(0);
    expect(pos.problems.filter((p) => !/Failed to load resource.*(4\d\d)/.test(p))).toEqual([]);
  }, 120_000);

  it('a certificate of another RUC is refused and the working one kept, until the admin ticks that the RUC changes', async () => {
    await byTestId('logout').click();
    await pos.login('admin', '1111');
    await openAdmin('certificate');
    await expect.poll(() => byTestId('cert-ruc').textContent()).toBe('20601234565');
    const other = createDemoCertificate('20100070970', 'OTRA EMPRESA S.A.', new Date());
    const file = path.join(pos.server.dataDir, 'otra-empresa.pfx');
    fs.writeFileSync(file, other.pfx);

    await byTestId('cert-file').setInputFiles(file);
    await byTestId('cert-password').fill(other.password);
    await byTestId('cert-import').click();
    await expect.poll(() => byTestId('cert-ruc-refused').textContent()).toMatch(/RUC 20100070970, no del RUC de la tienda \(20601234565\): no se importó/);
    expect(await byTestId('cert-imported').count()).toBe(0);
    // The working certificate is still the one in use (and still warns it expires soon).
    await page.reload();
    await openAdmin('certificate');
    await expect.poll(() => byTestId('cert-ruc').textContent()).toBe('20601234565');
    expect(await byTestId('cert-subject').textContent()).toContain('BODEGA DEMO IZISALES');
    expect(await byTestId('cert-confirm-ruc-change').count()).toBe(0);

    // Again, and this time the admin confirms the store's RUC changes.
    await byTestId('cert-file').setInputFiles(file);
    await byTestId('cert-password').fill(other.password);
    await byTestId('cert-import').click();
    await byTestId('cert-confirm-ruc-change').waitFor();
    await byTestId('cert-file').setInputFiles(file);
    await byTestId('cert-password').fill(other.password);
    await byTestId('cert-confirm-ruc-change').check();
    await byTestId('cert-import').click();
    await expect.poll(() => byTestId('cert-imported').textContent()).toContain('OTRA EMPRESA S.A.');
    await expect.poll(() => byTestId('cert-ruc').textContent()).toBe('20100070970');
    // The password never reaches the page's text.
    expect(await page.content()).not.toContain(other.password);
  }, 120_000);

  it('the opening float that asks for confirmation is a setting: typed the Peruvian way, it applies to the very next drawer', async () => {
    await byTestId('admin-section-settings').click();
    await expect.poll(() => byTestId('settings-float-limit').inputValue()).toBe('5000.00');
    await byTestId('settings-float-limit').fill('1.500');
    await byTestId('settings-save').click();
    await expect.poll(() => byTestId('settings-float-limit-error').textContent()).toMatch(/«1.500» puede ser 1500 o 1.50/);
    expect(await byTestId('settings-saved').count()).toBe(0);
    await byTestId('settings-float-limit').fill('1500,00');
    await byTestId('settings-save').click();
    await byTestId('settings-saved').waitFor();
    expect(await byTestId('settings-float-limit').inputValue()).toBe('1500.00');

    // Close this drawer and open the next one: S/ 2,000 is now above the limit and is asked; S/ 1,400 is not.
    await page.keyboard.press('Escape');
    await byTestId('scan-input').waitFor();
    await page.keyboard.press('F10');
    await byTestId('close-counted').pressSequentially('100');
    await page.keyboard.press('Enter');
    await byTestId('confirm-yes').waitFor();
    await page.keyboard.press('Enter');
    await byTestId('z-report').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('open-float');
    await page.keyboard.type('2000');
    await page.keyboard.press('Enter');
    await byTestId('confirm-dialog').waitFor();
    expect(await byTestId('confirm-dialog').textContent()).toContain('1,500.00');
    await page.keyboard.press('Escape');
    await expect.poll(() => byTestId('confirm-dialog').count()).toBe(0);
    await byTestId('open-float').selectText();
    await page.keyboard.type('1400');
    await page.keyboard.press('Enter');
    await byTestId('scan-input').waitFor();
  }, 120_000);
});
