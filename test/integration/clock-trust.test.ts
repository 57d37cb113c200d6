// A clock SUNAT trusts (issue 17 item 5), on a real SQLite file and the simulator over real HTTP: the terminal learns
// its clock's offset from the `Date` of SUNAT's answers (beta here: the simulator stands in for it, with its own
// clock), warns past 5 minutes, refuses to issue a dated receipt past a day until an admin confirms, never dates a
// receipt before the previous one of its series, and follows a clock set by hand at once (the monotonic clock).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { createSunatClients } from '../../src-main/jobs/sunat-clients';
import { endpointsFor } from '../../src-main/sunat/client';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator/server';
import { startClockWatch } from '../../src-main/sunat/clock-watch';
import { recordHubTime } from '../../src-main/db/settings-clock';
import type { SunatTarget } from '../../src-main/sunat/target';
import { demoApp, type TestApp } from '../helpers/app';
import { apiClient, type ApiClient } from '../helpers/api';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
let t: TestApp;
let api: Api;
let c: ApiClient;
let sim: Simulator;
let simOffsetMs = 0;
let beta: SunatTarget;

beforeEach(async () => {
  t = demoApp();
  api = new Api(t.app);
  c = apiClient(() => api);
  simOffsetMs = 0;
  // SUNAT's clock: the PC's plus whatever the test says (the PC is then that far behind).
  sim = await startSimulator({ port: 0, now: () => new Date(t.clock.now().getTime() + simOffsetMs) });
  beta = { key: `beta:${sim.url}`, kind: 'beta', endpoints: endpointsFor('custom', sim.url), label: 'SUNAT beta (pruebas)', betaCredentials: true };
});
afterEach(async () => {
  await sim.close();
  await t.close();
});

const n = (table: string) => (t.app.db.raw.prepare(`SELECT count(*) n FROM ${table}`).get() as { n: number }).n;
const nextBoleta = () => (t.app.db.raw.prepare(`SELECT next_number FROM series WHERE document_type = '03'`).get() as { next_number: number } | undefined)?.next_number ?? 1;
const product = () => t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`).get() as { id: number };
const sale = () => ({ documentType: '03', lines: [{ productId: product().id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] });

/** One answer of "SUNAT" through the runner's own client path (any call: every answer carries a Date). */
async function askSunat(target: SunatTarget = beta): Promise<void> {
  const clients = createSunatClients(t.app, { target: () => target });
  try {
    await clients.clientFor(target).getStatusCdr('20601234565', '03', 'B001', 1);
  } finally {
    clients.close();
  }
}

describe('the PC’s clock against SUNAT’s', () => {
  it('a few minutes off is nothing; past 5 minutes the status bar says so and sales go on', async () => {
    simOffsetMs = 3 * MIN;
    await askSunat();
    expect(t.app.status().clock).toBeNull();
    simOffsetMs = -7 * MIN; // the PC is ahead
    await askSunat();
    expect(t.app.status().clock).toEqual({ level: 'warn', message: expect.stringMatching(/^La hora de esta PC está adelantada 7 min respecto de SUNAT beta \(pruebas\)\.$/) });
    const cashier = await c.login('cashier', '3333');
    expect((await c.call('sales.checkout', sale(), cashier)).number).toMatch(/^B001-/);
  });

  it('a PC whose clock fell back to 2019 issues nothing — nothing written, no number spent — until an admin confirms', async () => {
    const cashier = await c.login('cashier', '3333');
    await c.call('sales.checkout', sale(), cashier); // B001-1 on 2026-11-27
    t.clock.set('2019-03-01T15:00:00Z'); // the CMOS battery died: the PC thinks it is 2019
    simOffsetMs = Date.parse('2026-11-27T15:00:00Z') - Date.parse('2019-03-01T15:00:00Z');
    await askSunat();
    expect(t.app.status().clock?.level).toBe('block');

    const before = { sales: n('sales'), docs: n('documents'), jobs: n('jobs'), next: nextBoleta() };
    const admin = await c.login('admin', '1111');
    const r = await c.refusal('sales.checkout', sale(), admin);
    expect(r.code).toBe('rule');
    // The previous receipt of the series is dated 27/11/2026: that is the first thing wrong with a 2019 date.
    expect(r.message).toBe('La fecha de esta PC (01/03/2019) es anterior a la del comprobante anterior de la serie (27/11/2026): corrija la fecha y hora de la PC antes de emitir.');
    const f = await c.refusal('sales.checkout', { ...sale(), documentType: '01', customer: { docType: '6', docNumber: '20100070970', name: 'SUPERMERCADOS PERUANOS S.A.' } }, admin);
    // A factura's series was never used: the offset alone refuses it.
    expect(f.message).toMatch(/^La hora de esta PC está atrasada \d+ días respecto de SUNAT beta \(pruebas\): SUNAT rechazaría los comprobantes con esa fecha\. Corrija la fecha y hora de la PC, o un administrador puede confirmarla en Administración → Reloj\.$/);
    expect({ sales: n('sales'), docs: n('documents'), jobs: n('jobs'), next: nextBoleta() }).toEqual(before);

    // A supervisor may look and measure again, not confirm; an admin confirms (audited); the date order still holds.
    const sup = await c.login('supervisor', '2222');
    expect((await c.call('clock.status', {}, sup)).level).toBe('block');
    expect((await c.refusal('clock.confirm', {}, sup)).code).toBe('forbidden');
    const confirmed = await c.call('clock.confirm', {}, admin);
    expect(confirmed.confirmation).toMatchObject({ by: 'Administrador' });
    expect(n('audit_log')).toBeGreaterThan(0);
    expect(t.app.db.raw.prepare(`SELECT count(*) n FROM audit_log WHERE action = 'clock.confirm'`).get()).toEqual({ n: 1 });
    expect(t.app.status().clock).toEqual({ level: 'warn', message: expect.stringMatching(/\(confirmada por Administrador\)\.$/) });
    const factura = await c.call('sales.checkout', { ...sale(), documentType: '01', customer: { docType: '6', docNumber: '20100070970', name: 'SUPERMERCADOS PERUANOS S.A.' } }, admin);
    expect(factura.number).toBe('F001-00000001');
    expect((await c.refusal('sales.checkout', sale(), admin)).message).toMatch(/es anterior a la del comprobante anterior/);
  });

  it('the simulator and a URL given by hand are not a trusted time: nothing is measured', async () => {
    simOffsetMs = 40 * DAY;
    await askSunat({ ...beta, kind: 'url', key: 'url:x', label: 'URL indicada' });
    await askSunat({ ...beta, kind: 'simulator', key: 'simulator:x', label: 'simulador' });
    expect(t.app.status().clock).toBeNull();
    expect((await c.call('clock.status', {}, await c.login('admin', '1111'))).observation).toBeNull();
  });

  it('the hub’s time counts when SUNAT has not answered within the hour, and never takes turns with it', async () => {
    const at = t.clock.now();
    expect(recordHubTime(t.app.db, new Date(at.getTime() + 3 * DAY).toISOString(), at)).toBe(true);
    expect(t.app.status().clock).toMatchObject({ level: 'block', message: expect.stringMatching(/atrasada 3 días respecto de la central/) });
    simOffsetMs = 2 * MIN; // SUNAT answers: it wins …
    await askSunat();
    expect(t.app.status().clock).toBeNull();
    expect(recordHubTime(t.app.db, new Date(at.getTime() + 3 * DAY).toISOString(), t.clock.now())).toBe(false); // … for the hour
    t.clock.advance(61 * MIN);
    expect(recordHubTime(t.app.db, new Date(t.clock.now().getTime() + 4 * MIN).toISOString(), t.clock.now())).toBe(true);
    expect(t.app.status().clock).toBeNull();
  });

  it('the watch measures on start and follows a clock set by hand at once, before SUNAT answers again', async () => {
    simOffsetMs = 2 * DAY; // the PC is two days behind
    const changed: number[] = [];
    const watch = startClockWatch({ db: t.app.db, clock: t.clock, target: () => beta, changed: () => changed.push(1) }, { jumpCheckMs: 20 });
    try {
      await expect.poll(() => t.app.status().clock?.level).toBe('block');
      // The admin fixes the PC's date: the kept offset follows the jump even if SUNAT cannot be asked now.
      await sim.close();
      t.clock.advance(2 * DAY);
      await expect.poll(() => t.app.status().clock, { timeout: 5000 }).toBeNull();
      const cashier = await c.login('cashier', '3333');
      expect((await c.call('sales.checkout', sale(), cashier)).number).toMatch(/^B001-/);
      expect(changed.length).toBeGreaterThan(0);
    } finally {
      watch.stop();
      sim = await startSimulator({ port: 0 }); // afterEach closes it
    }
  });
});
