// Issue 13 (4): the SUNAT target follows the saved mode in a running app. The services (runtime + runner) run as in
// `serve`, without --sunat-url; "SUNAT beta" is pointed at a local stand-in through the test-only
// IZISALES_TEST_BETA_URL. The runner re-reads its target when it claims work; jobs already claimed finish against
// theirs; a simulated acceptance is marked for ever; demo receipts never reach SUNAT's modes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { demoApp, type TestApp } from '../helpers/app';
import { startServices, type Services } from '../../src-main/runtime';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { updateSettings } from '../../src-main/pos/admin';
import { listSales } from '../../src-main/pos/sales';
import { readCdr } from '../../src-main/sunat/cdr';
import { BETA_STAND_IN_ENV, betaEndpoints, DEMO_NOT_SENT } from '../../src-main/sunat/target';
import { databaseFile } from '../../src-main/paths';
import { dailyReport } from '../../src-main/reports/daily';
import { retryFailedDocuments } from '../../src-main/jobs/handlers/retry-failed';

let t: TestApp;
let services: Services | null = null;
let standIn: Simulator;
let admin: number;
const savedEnv = { beta: process.env[BETA_STAND_IN_ENV], url: process.env.IZISALES_SUNAT_URL };

beforeEach(async () => {
  standIn = await startSimulator({ port: 0 });
  process.env[BETA_STAND_IN_ENV] = standIn.url;
  delete process.env.IZISALES_SUNAT_URL;
  t = demoApp();
  admin = (t.app.db.raw.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id;
});
afterEach(async () => {
  await services?.stop();
  services = null;
  await t.close();
  await standIn.close();
  for (const [k, v] of [[BETA_STAND_IN_ENV, savedEnv.beta], ['IZISALES_SUNAT_URL', savedEnv.url]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function sell(): { saleId: number; documentId: number; series: string; correlative: number } {
  const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
  const r = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }] });
  const d = t.app.db.raw.prepare('SELECT series, correlative FROM documents WHERE id = ?').get(r.documentId) as { series: string; correlative: number };
  return { ...r, ...d };
}

type Doc = { status: string; sunat_target: string | null; simulated: number; issued_mode: string | null; last_error: string | null; cdr_zip: Uint8Array | null };
const doc = (id: number) => t.app.db.raw.prepare('SELECT status, sunat_target, simulated, issued_mode, last_error, cdr_zip FROM documents WHERE id = ?').get(id) as Doc;
const inLedger = (sim: Simulator | null, s: { series: string; correlative: number }) => !!sim?.ledger().some((e) => e.id.endsWith(`-${s.series}-${s.correlative}`));
const jobState = (documentId: number) => (t.app.db.raw.prepare(`SELECT state FROM jobs WHERE kind = 'sunat.send' AND json_extract(payload, '$.documentId') = ?`).get(documentId) as { state: string }).state;

describe('switching the SUNAT mode of a running app', () => {
  it('demo sales go to the in-process simulator and are marked "simulador"; after saving beta the very next sale goes to beta', async () => {
    services = await startServices(t.app, { probeIntervals: { minDelayMs: 20, onlineIntervalMs: 200 } });
    expect(t.app.status().sunatTarget).toMatch(/simulador SUNAT \(modo demo\)/);
    const demo = sell();
    await until(() => doc(demo.documentId).status === 'accepted', 'the demo sale accepted');
    const internal = services.runtime.simulator;
    expect(inLedger(internal, demo)).toBe(true);
    expect(doc(demo.documentId)).toMatchObject({ issued_mode: 'demo', sunat_target: 'simulator', simulated: 1 });
    // The simulator's CDR says who answered, for ever.
    expect(readCdr(doc(demo.documentId).cdr_zip!).simulated).toBe(true);
    const row = () => listSales(t.app.db, { date: '2026-11-27' }).find((r) => r.id === demo.saleId)!;
    expect(row().sunatStatusText).toBe('Aceptado por el simulador (sin validez)');

    updateSettings(t.app.db, t.clock.now(), admin, { sunat: { mode: 'beta' } });
    // At once: no restart, no wait for a poll.
    expect(t.app.status().sunatTarget).toBe('SUNAT beta (pruebas)');
    const beta = sell();
    await until(() => doc(beta.documentId).status !== 'pending', 'the beta sale answered');
    expect(inLedger(standIn, beta)).toBe(true);
    expect(inLedger(internal, beta)).toBe(false);
    expect(doc(beta.documentId)).toMatchObject({ status: 'accepted', issued_mode: 'beta', sunat_target: 'beta' });
    // The stand-in is a simulator too, and its CDR says so: still "simulador", never SUNAT's acceptance.
    expect(doc(beta.documentId).simulated).toBe(1);
    const report = dailyReport(t.app.db, '2026-11-27');
    expect(report.acceptedBySimulator).toBe(2);
  }, 60_000);

  it('a job claimed before the switch finishes against the target it was claimed for', async () => {
    services = await startServices(t.app, { probeIntervals: { minDelayMs: 20, onlineIntervalMs: 200 } });
    const internal = services.runtime.simulator!;
    await internal.setFaults({ latencyMs: 1500 });
    const demo = sell();
    await until(() => jobState(demo.documentId) === 'running', 'the demo job claimed');
    updateSettings(t.app.db, t.clock.now(), admin, { sunat: { mode: 'beta' } });
    await until(() => doc(demo.documentId).status !== 'pending', 'the claimed job answered');
    expect(doc(demo.documentId)).toMatchObject({ status: 'accepted', sunat_target: 'simulator', simulated: 1 });
    expect(inLedger(internal, demo)).toBe(true);
    expect(inLedger(standIn, demo)).toBe(false);
  }, 60_000);

  it('a mode saved by another process (the CLI) is seen; a demo receipt still pending is never sent to beta', async () => {
    services = await startServices(t.app, { probeIntervals: { minDelayMs: 20, maxDelayMs: 100, onlineIntervalMs: 200 } });
    const internal = services.runtime.simulator!;
    await internal.setFaults({ down: true });
    services.runtime.monitor.reportFailure();
    const demo = sell();
    await until(() => jobState(demo.documentId) === 'waiting_network', 'the demo job waiting for the network');

    // Another process writes the setting on its own connection.
    const other = new Database(databaseFile(t.dir));
    other.prepare(`INSERT INTO settings (key, value) VALUES ('sunatMode', '"beta"') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
    other.close();
    await until(() => t.app.status().sunatTarget === 'SUNAT beta (pruebas)', 'the status bar saying beta');

    // The stand-in is reachable: the waiting job is taken up under beta and refused, not sent.
    await until(() => doc(demo.documentId).status === 'error', 'the demo receipt refused by beta');
    expect(doc(demo.documentId)).toMatchObject({ issued_mode: 'demo', last_error: DEMO_NOT_SENT, simulated: 0 });
    expect(inLedger(standIn, demo)).toBe(false);
    expect(standIn.ledger()).toEqual([]);
    // ...and the periodic retry does not take it up while the mode sends to SUNAT.
    expect(retryFailedDocuments(t.app.db, new Date(t.clock.now().getTime() + 2 * 3600_000)).requeued).toBe(0);

    const beta = sell();
    await until(() => doc(beta.documentId).status === 'accepted', 'the beta sale accepted');
    expect(inLedger(standIn, beta)).toBe(true);
  }, 60_000);

  it('the beta stand-in variable takes only a local address', () => {
    expect(betaEndpoints({}).billService).toBe('https://e-beta.sunat.gob.pe/ol-ti-itcpfegem-beta/billService');
    expect(betaEndpoints({ [BETA_STAND_IN_ENV]: 'http://127.0.0.1:8090' }).billService).toBe('http://127.0.0.1:8090/ol-ti-itcpfegem-beta/billService');
    expect(() => betaEndpoints({ [BETA_STAND_IN_ENV]: 'https://example.com' })).toThrow(/solo admite una dirección local/);
  });
});
