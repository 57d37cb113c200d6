// Issue 7's remaining settings through the contract (Api.invoke) on real SQLite files: taxes with start dates,
// schedules (and the running scheduler picking them up), retention, the certificate import and its expiry warning,
// customers — each refused to a cashier by the main process with nothing changed, and the certificate password
// nowhere in the audit log, the settings or the logs.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { ManualClock } from '../../src-main/adapters';
import { Api } from '../../src-main/api';
import { keyFileSecretStore, type SecretStore } from '../../src-main/secrets';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { createScheduler } from '../../src-main/jobs/schedule';
import { startJobs, type Jobs } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { createAppLogger } from '../../src-main/logs/app-logger';
import { updateCustomer } from '../../src-main/pos/customers';
import { importCertificate } from '../../src-main/pos/certificate-admin';
import { openSession } from '../../src-main/pos/cash';
import { taxRatesOn } from '../../src-main/db/settings';
import { ApiError, type AdminSettingsView, type CallName, type CallOutput, type CertificateView } from '../../src-shared/contract';
import { demoApp, tempDir, type TestApp } from '../helpers/app';

const DAY = 24 * 3600 * 1000;
const STORE_RUC = '20601234565';
const STORE_NAME = 'BODEGA DEMO IZISALES S.A.C.';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Ctx { t: TestApp; api: Api; admin: string; supervisor: string; cashier: string }

async function setup(opts: { at?: string; api?: (app: App) => Api } = {}): Promise<Ctx> {
  const t = demoApp({ openSession: false, at: opts.at });
  cleanups.push(() => t.close());
  const api = opts.api?.(t.app) ?? new Api(t.app);
  const login = async (username: string, pin: string) => ((await api.invoke('auth.login', { username, pin }, undefined)) as { token: string }).token;
  return { t, api, admin: await login('admin', '1111'), supervisor: await login('supervisor', '2222'), cashier: await login('cashier', '3333') };
}

/** Moves the app's clock and logs everyone in again: sessions end after a while without use (pos/sessions.ts). */
async function setClock(c: Ctx, at: string): Promise<void> {
  c.t.clock.set(at);
  const login = async (username: string, pin: string) => ((await c.api.invoke('auth.login', { username, pin }, undefined)) as { token: string }).token;
  Object.assign(c, { admin: await login('admin', '1111'), supervisor: await login('supervisor', '2222'), cashier: await login('cashier', '3333') });
}

const call = <K extends CallName>(c: Ctx, name: K, input: unknown, token: string) => c.api.invoke(name, input, token) as Promise<CallOutput<K>>;

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

/** Everything an admin call could change, to show a refused one changed nothing. */
function snapshot(app: App) {
  const rows = (sql: string) => app.db.raw.prepare(sql).all();
  return JSON.stringify([rows('SELECT * FROM settings ORDER BY key'), rows('SELECT * FROM customers ORDER BY id'), rows('SELECT count(*) FROM audit_log')]);
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function sellOne(c: Ctx, token: string) {
  const p = c.t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 1`).get() as { id: number };
  return call(c, 'sales.checkout', { documentType: '03', lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '200.00' }] }, token);
}
const saleRates = (app: App, saleId: number) => app.db.raw.prepare('SELECT igv_rate, issue_date FROM sales WHERE id = ?').get(saleId) as { igv_rate: string; issue_date: string };

describe('tax rates with start dates', () => {
  it('a new IGV announced for a later date applies from that date: a sale the day before keeps 18 %, one on the day uses it', async () => {
    const c = await setup();
    openSession(c.t.app.db, c.t.clock.now(), c.t.terminalId, c.t.cashier.id, '100.00');
    const v = await call(c, 'settings.update', { igvRate: { rate: '0.10', from: '2026-12-01' } }, c.admin);
    expect(v.taxRateChanges).toEqual([{ tax: 'igv', rate: '0.10', from: '2026-12-01' }]);
    expect(v.ratesToday).toEqual({ igv: '0.18', icbper: '0.50' });
    expect(v.today).toBe('2026-11-27');

    await setClock(c, '2026-12-01T04:30:00Z'); // 23:30 of 30/11 in Lima
    const before = await sellOne(c, c.cashier);
    await setClock(c, '2026-12-01T05:30:00Z'); // 00:30 of 01/12 in Lima
    const after = await sellOne(c, c.cashier);
    expect(saleRates(c.t.app, before.saleId)).toEqual({ igv_rate: '0.18', issue_date: '2026-11-30' });
    expect(saleRates(c.t.app, after.saleId)).toEqual({ igv_rate: '0.10', issue_date: '2026-12-01' });
    // The same shelf price (IGV included) is split differently: less IGV inside it from the change on.
    const igv = (id: number) => (c.t.app.db.raw.prepare('SELECT igv_cents, total_cents FROM sales WHERE id = ?').get(id) as { igv_cents: number; total_cents: number });
    expect(igv(after.saleId).total_cents).toBe(igv(before.saleId).total_cents);
    expect(igv(after.saleId).igv_cents).toBeLessThan(igv(before.saleId).igv_cents);
    expect((await call(c, 'settings.get', {}, c.admin)).ratesToday.igv).toBe('0.10');

    // "At once" while that dated change is in force: it becomes a change from today, not a base hidden behind it.
    await setClock(c, '2026-12-02T15:00:00Z');
    const now = await call(c, 'settings.update', { igvRate: { rate: '0.18' } }, c.admin);
    expect(now.ratesToday.igv).toBe('0.18');
    expect(taxRatesOn(c.t.app.db, '2026-12-01').igv).toBe('0.10'); // history kept
    const audited = c.t.app.db.raw.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'settings.update' AND entity_id = 'taxRateChanges'`).get() as { n: number };
    expect(audited.n).toBe(2);
  });

  it('a start date before today is refused next to the field; a scheduled change can be withdrawn, one in force cannot', async () => {
    const c = await setup();
    const before = snapshot(c.t.app);
    const e = await refusal(call(c, 'settings.update', { igvRate: { rate: '0.17', from: '2026-11-01' } }, c.admin));
    expect(e.code).toBe('invalid_input');
    expect(e.issues).toEqual([{ path: 'igvRate.from', message: expect.stringMatching(/anterior a hoy \(27\/11\/2026\)/) }]);
    const bad = await refusal(call(c, 'settings.update', { icbperRate: { rate: 'cincuenta', from: '2027-01-01' } }, c.admin));
    expect(bad.issues?.[0]).toMatchObject({ path: 'icbperRate.rate', message: expect.stringMatching(/soles por bolsa/) });
    expect(snapshot(c.t.app)).toBe(before);

    await call(c, 'settings.update', { icbperRate: { rate: '0.60', from: '2027-01-01' } }, c.admin);
    const v = await call(c, 'settings.update', { cancelTaxRateChange: { tax: 'icbper', from: '2027-01-01' } }, c.admin);
    expect(v.taxRateChanges).toEqual([]);
    const none = await refusal(call(c, 'settings.update', { cancelTaxRateChange: { tax: 'icbper', from: '2027-01-01' } }, c.admin));
    expect(none.issues?.[0].path).toBe('cancelTaxRateChange');

    await call(c, 'settings.update', { igvRate: { rate: '0.16', from: '2026-11-28' } }, c.admin);
    await setClock(c, '2026-11-29T15:00:00Z');
    const inForce = await refusal(call(c, 'settings.update', { cancelTaxRateChange: { tax: 'igv', from: '2026-11-28' } }, c.admin));
    expect(inForce.message).toMatch(/historial/);
  });
});

describe('schedules of the periodic jobs', () => {
  it('an edited cron shows its next run in Lima; a bad expression is refused with nothing changed', async () => {
    const c = await setup();
    const v = await call(c, 'settings.update', { schedule: { 'report.daily': { cron: '15 22 * * *' }, 'files.archive': { enabled: false } } }, c.admin);
    expect(v.schedule['report.daily']).toMatchObject({ cron: '15 22 * * *', enabled: true, nextRun: '2026-11-28T03:15:00.000Z' }); // 22:15 Lima
    expect(v.schedule['files.archive']).toMatchObject({ enabled: false, nextRun: null });
    expect(v.schedule.retry_failed.nextRun).toBe('2026-11-27T15:30:00.000Z');

    const before = snapshot(c.t.app);
    for (const cron of ['0 25 * * *', '0 23 * *', 'cada día', '*/0 * * * *', '0 0 31 2 *']) {
      const e = await refusal(call(c, 'settings.update', { schedule: { 'report.daily': { cron }, 'db.backup': { cron: '0 1 * * *' } } }, c.admin));
      expect(e.code).toBe('invalid_input');
      expect(e.issues).toEqual([{ path: 'schedule.report.daily', message: expect.stringMatching(/Horario no válido.*5 campos/) }]);
    }
    expect(snapshot(c.t.app)).toBe(before);
    expect((await call(c, 'settings.get', {}, c.admin)).schedule['db.backup'].cron).toBe('30 23 * * *');
  });

  it('the running scheduler re-reads a changed schedule without a restart', async () => {
    const c = await setup();
    const scheduler = createScheduler({ db: c.t.app.db, clock: c.t.clock, watchMs: 20 });
    scheduler.start();
    cleanups.push(() => scheduler.stop());
    expect(scheduler.expressions()).toContain('0 23 * * *');
    await call(c, 'settings.update', { schedule: { 'report.daily': { cron: '45 21 * * *' }, 'files.archive': { enabled: false } } }, c.admin);
    await expect.poll(() => scheduler.expressions(), { timeout: 2000 }).toContain('45 21 * * *');
    expect(scheduler.expressions()).not.toContain('0 23 * * *');
    expect(scheduler.expressions()).not.toContain('0 2 * * 0');
    expect(scheduler.refresh()).toBe(false); // nothing changed since
  });

  it('the scheduler started with the job runner (startJobs) picks up the change too', async () => {
    const c = await setup();
    const jobs: Jobs = startJobs({
      app: c.t.app, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }), options: { pollMs: 50, heartbeatMs: 60_000 },
    });
    cleanups.push(() => jobs.stop());
    await call(c, 'settings.update', { schedule: { 'db.backup': { cron: '5 1 * * *' } } }, c.admin);
    await expect.poll(() => jobs.scheduler.expressions(), { timeout: 6000, interval: 100 }).toContain('5 1 * * *');
    expect(jobs.scheduler.expressions()).not.toContain('30 23 * * *');
  });
});

describe('retention', () => {
  it('log days, archive months and backup days are saved and audited; out-of-range values are refused by field', async () => {
    const c = await setup();
    const v = await call(c, 'settings.update', { logRetentionDays: 90, archiveMonths: 12, backupRetentionDays: 30 }, c.admin);
    expect([v.logRetentionDays, v.archiveMonths, v.backupRetentionDays]).toEqual([90, 12, 30]);
    const keys = (c.t.app.db.raw.prepare(`SELECT entity_id FROM audit_log WHERE action = 'settings.update' ORDER BY entity_id`).all() as { entity_id: string }[]).map((r) => r.entity_id);
    expect(keys).toEqual(['archiveMonths', 'backupRetentionDays', 'logRetentionDays']);

    const before = snapshot(c.t.app);
    const e = await refusal(call(c, 'settings.update', { logRetentionDays: 0, archiveMonths: 1.5, backupRetentionDays: 400 }, c.admin));
    expect(e.issues?.map((i) => i.path).sort()).toEqual(['archiveMonths', 'backupRetentionDays', 'logRetentionDays']);
    expect(e.issues?.find((i) => i.path === 'backupRetentionDays')?.message).toMatch(/entre 1 y 365/);
    const nan = await refusal(call(c, 'settings.update', { logRetentionDays: Number.NaN }, c.admin));
    expect(nan.issues).toEqual([{ path: 'logRetentionDays', message: 'Escriba un número entero.' }]);
    expect(snapshot(c.t.app)).toBe(before);
  });
});

describe('certificate import', () => {
  it('imports a good .pfx (audited without the password), the next sale is signed with it, and cert.show reads it back', async () => {
    const c = await setup({ at: new Date().toISOString() });
    openSession(c.t.app.db, c.t.clock.now(), c.t.terminalId, c.t.cashier.id, '100.00');
    const cert = createDemoCertificate(STORE_RUC, STORE_NAME);
    const v = await call(c, 'cert.import', { pfxBase64: b64(cert.pfx), password: cert.password }, c.admin);
    expect(v).toMatchObject({ ruc: STORE_RUC, serialNumber: cert.serialNumber, expired: false, selfSigned: true, warnings: [] });
    expect(v.daysLeft).toBeGreaterThan(700);
    expect((await call(c, 'cert.show', {}, c.admin)).certificate?.serialNumber).toBe(cert.serialNumber);
    const audit = c.t.app.db.raw.prepare(`SELECT user_id, entity_id, details FROM audit_log WHERE action = 'certificate.import'`).all() as { user_id: number; entity_id: string; details: string }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toMatchObject({ via: 'ui', ruc: STORE_RUC });
    expect(audit[0].entity_id).toBe(cert.serialNumber);

    const sale = await sellOne(c, c.cashier);
    const xml = (c.t.app.db.raw.prepare('SELECT xml FROM documents WHERE sale_id = ?').get(sale.saleId) as { xml: string }).xml;
    const body = cert.certPem.replace(/-----[A-Z ]+-----|\s/g, '');
    expect(xml.replace(/\s/g, '')).toContain(body);
  });

  it('warns when the certificate is another company\'s (imported only with the RUC change confirmed: certificate-ruc.test.ts)', async () => {
    const c = await setup({ at: new Date().toISOString() });
    const other = createDemoCertificate('20100070970', 'OTRA EMPRESA S.A.C.');
    const v = await call(c, 'cert.import', { pfxBase64: b64(other.pfx), password: other.password, confirmRucChange: true }, c.admin);
    expect(v.warnings).toEqual([expect.stringMatching(/RUC 20100070970, no del RUC de la tienda \(20601234565\)/)]);
  });

  it('refuses a wrong password, an expired certificate, a PEM and a non-certificate, each with its own message, keeping the stored one', async () => {
    const c = await setup({ at: new Date().toISOString() });
    const good = createDemoCertificate(STORE_RUC, STORE_NAME);
    await call(c, 'cert.import', { pfxBase64: b64(good.pfx), password: good.password }, c.admin);
    const before = snapshot(c.t.app);
    const expired = createDemoCertificate(STORE_RUC, STORE_NAME, new Date(Date.now() - 3 * 365 * DAY));
    const cases: [string, { pfxBase64: string; password: string }, string, RegExp][] = [
      ['wrong password', { pfxBase64: b64(good.pfx), password: 'no-es-la-clave' }, 'password', /contraseña del certificado no es correcta/],
      ['expired', { pfxBase64: b64(expired.pfx), password: expired.password }, 'file', /venció el .* No se importó/],
      ['PEM', { pfxBase64: b64(Buffer.from(good.certPem)), password: good.password }, 'file', /PEM \(texto\)/],
      ['not a certificate', { pfxBase64: b64(Buffer.from('hola, no soy un certificado')), password: 'clave-de-prueba-123' }, 'file', /no es un certificado \.pfx\/\.p12 válido/],
    ];
    const messages = new Set<string>();
    for (const [, input, field, msg] of cases) {
      const e = await refusal(call(c, 'cert.import', input, c.admin));
      expect(e.code).toBe('rule');
      expect(e.message).toMatch(msg);
      expect(e.issues).toEqual([{ path: field, message: e.message }]);
      expect(e.message).not.toContain(input.password);
      messages.add(e.message);
    }
    expect(messages.size).toBe(cases.length);
    expect(snapshot(c.t.app)).toBe(before);
    expect((await call(c, 'cert.show', {}, c.admin)).certificate?.serialNumber).toBe(good.serialNumber);
  });

  it('the password never reaches the audit log, the settings in clear, the answers or the logs', async () => {
    let logger: ReturnType<typeof createAppLogger> | undefined;
    const c = await setup({ at: new Date().toISOString(), api: (app) => new Api(app, (logger = createAppLogger(app))) });
    const cert = createDemoCertificate(STORE_RUC, STORE_NAME);
    const secret = `Clave-${cert.password}`;
    // Re-export the same key and certificate under a password of our own, so it is long and easy to find.
    const forge = (await import('node-forge')).default;
    const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(cert.privateKeyPem), [forge.pki.certificateFromPem(cert.certPem)], secret, { algorithm: '3des' });
    const pfx = Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
    const answers: unknown[] = [];
    answers.push(await refusal(call(c, 'cert.import', { pfxBase64: b64(pfx), password: `${secret}x` }, c.admin)).then((e) => ({ ...e, message: e.message })));
    answers.push(await call(c, 'cert.import', { pfxBase64: b64(pfx), password: secret }, c.admin));
    answers.push(await call(c, 'cert.show', {}, c.admin));
    logger!.info('Test', `una línea que por error llevaría ${secret}`);
    logger!.close();

    expect(JSON.stringify(answers)).not.toContain(secret);
    const dump = JSON.stringify(c.t.app.db.raw.prepare('SELECT * FROM audit_log').all()) + JSON.stringify(c.t.app.db.raw.prepare('SELECT * FROM settings').all());
    expect(dump).not.toContain(secret);
    const logDir = path.join(c.t.dir, 'logs');
    const logs = fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8')).join('\n');
    expect(logs).toContain('una línea que por error llevaría');
    expect(logs).not.toContain(secret);
  });

  it('`izisales cert import` goes through the same import: audited as the CLI, without the password', () => {
    const dir = tempDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['bin/izisales.mjs', ...args, '--data', dir], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(run(['seed']).status).toBe(0);
    const cert = createDemoCertificate(STORE_RUC, STORE_NAME);
    const file = path.join(dir, 'empresa.pfx');
    fs.writeFileSync(file, cert.pfx);
    const wrong = run(['cert', 'import', file, '--password-env', 'PFX_PASS'], { PFX_PASS: 'otra-clave' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/contraseña del certificado no es correcta/);
    const ok = run(['cert', 'import', file, '--password-env', 'PFX_PASS'], { PFX_PASS: cert.password });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ serialNumber: cert.serialNumber, warnings: [] });
    const app = createApp({ dataDir: dir });
    cleanups.push(() => app.close());
    const rows = app.db.raw.prepare(`SELECT user_id, details FROM audit_log WHERE action = 'certificate.import'`).all() as { user_id: number | null; details: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0].user_id).toBeNull();
    expect(JSON.parse(rows[0].details).via).toBe('cli');
    expect(rows[0].details + ok.stdout + ok.stderr + wrong.stderr).not.toContain(cert.password);
  });
});

describe('certificate warning in the status (every user)', () => {
  /** A real app whose secret store counts decryptions: the status must not decrypt the .pfx on every call. */
  function countingApp(at: Date): { app: App; clock: ManualClock; api: Api; decrypts: () => number } {
    const dir = tempDir();
    const real = keyFileSecretStore(dir);
    let n = 0;
    const secrets: SecretStore = { encrypt: (b) => real.encrypt(b), decrypt: (b) => (n++, real.decrypt(b)) };
    const clock = new ManualClock(at);
    const app = createApp({ dataDir: dir, clock, seedIfEmpty: true, secrets });
    cleanups.push(async () => {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return { app, clock, api: new Api(app), decrypts: () => n };
  }

  it('appears within 30 days of expiry, for a cashier too, says so once expired, and is computed without decrypting each time', async () => {
    const now = new Date();
    const { clock, api, decrypts } = countingApp(now);
    const token = async (u: string, pin: string) => ((await api.invoke('auth.login', { username: u, pin }, undefined)) as { token: string }).token;
    const admin = await token('admin', '1111');
    let cashier = await token('cashier', '3333');
    const status = async () => (await api.invoke('app.status', {}, cashier)) as CallOutput<'app.status'>;

    // Valid two years from its start: started 720 days ago, it has about 10 days left.
    const ending = createDemoCertificate(STORE_RUC, STORE_NAME, new Date(now.getTime() - 720 * DAY));
    const v = (await api.invoke('cert.import', { pfxBase64: b64(ending.pfx), password: ending.password }, admin)) as CertificateView;
    expect(v.warnings).toEqual([expect.stringMatching(/vence el .* \(en (9|10) días\)/)]);
    const n0 = decrypts();
    expect((await status()).certificateWarning).toMatch(/^El certificado digital vence el \d{2}\/\d{2}\/\d{4} \(en (9|10) días\)\. Pida al administrador que lo renueve\.$/);
    for (let i = 0; i < 20; i++) await status();
    expect(decrypts() - n0).toBeLessThanOrEqual(2); // the .pfx and its password, once

    clock.set(new Date(now.getTime() + 15 * DAY));
    cashier = await token('cashier', '3333'); // 15 days later: a new session
    expect((await status()).certificateWarning).toMatch(/venció el .*no se pueden firmar/);

    clock.set(now);
    const fresh = createDemoCertificate(STORE_RUC, STORE_NAME);
    await api.invoke('cert.import', { pfxBase64: b64(fresh.pfx), password: fresh.password }, admin);
    expect((await status()).certificateWarning).toBeNull();
  });

  it('warns when documents go to SUNAT (beta, production, an OSE) and no certificate is imported', async () => {
    const c = await setup();
    expect(((await call(c, 'app.status', {}, c.cashier)) as { certificateWarning: string | null }).certificateWarning).toBeNull(); // demo
    await call(c, 'settings.update', { sunat: { mode: 'beta' } }, c.admin);
    expect((await call(c, 'app.status', {}, c.cashier)).certificateWarning).toMatch(/No hay certificado digital/);
  });
});

describe('customers', () => {
  const find = (app: App, docNumber: string) => app.db.raw.prepare('SELECT * FROM customers WHERE doc_number = ?').get(docNumber) as { id: number; doc_type: string; doc_number: string; name: string; address: string | null } | undefined;

  it('managers list and correct customers, audited with old and new values', async () => {
    const c = await setup();
    const found = await call(c, 'customers.list', { query: 'andes' }, c.supervisor);
    expect(found.map((x) => x.docNumber)).toEqual(['20123456786']);
    expect((await call(c, 'customers.list', { query: '4567' }, c.admin)).map((x) => x.docNumber)).toEqual(['45678912']);
    const id = found[0].id;
    const v = await call(c, 'customers.update', { id, name: 'Distribuidora Los Andes E.I.R.L.', address: 'Jr. Huallaga 460, Lima' }, c.supervisor);
    expect(v).toMatchObject({ id, docType: '6', docNumber: '20123456786', name: 'DISTRIBUIDORA LOS ANDES E.I.R.L.', address: 'Jr. Huallaga 460, Lima' });
    const a = c.t.app.db.raw.prepare(`SELECT user_id, entity_id, details FROM audit_log WHERE action = 'customer.update'`).all() as { user_id: number; entity_id: string; details: string }[];
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ user_id: c.t.supervisor.id, entity_id: String(id) });
    expect(JSON.parse(a[0].details)).toEqual({
      name: { old: 'DISTRIBUIDORA LOS ANDES S.A.C.', new: 'DISTRIBUIDORA LOS ANDES E.I.R.L.' },
      address: { old: 'JR. HUALLAGA 456, LIMA', new: 'Jr. Huallaga 460, Lima' },
    });
    // A DNI customer who turns out to have a RUC (10 + DNI + check digit) is corrected in place.
    const jose = find(c.t.app, '07654321')!;
    expect(await call(c, 'customers.update', { id: jose.id, docType: '6', docNumber: '10076543211' }, c.admin)).toMatchObject({ id: jose.id, docType: '6', docNumber: '10076543211', name: 'JOSE MAMANI CONDORI' });
    expect(find(c.t.app, '07654321')).toBeUndefined();
  });

  it('a document number another customer has is refused with a clear message, and nothing changes', async () => {
    const c = await setup();
    const andes = find(c.t.app, '20123456786')!;
    const before = snapshot(c.t.app);
    const e = await refusal(call(c, 'customers.update', { id: andes.id, docNumber: '10456789124' }, c.admin));
    expect(e.code).toBe('rule');
    expect(e.message).toMatch(/Ya existe el cliente RAMIREZ FLORES CARLOS con RUC 10456789124/);
    expect(e.issues?.[0].path).toBe('docNumber');
    expect(snapshot(c.t.app)).toBe(before);
  });

  it('an invalid RUC or DNI is refused next to the field', async () => {
    const c = await setup();
    const andes = find(c.t.app, '20123456786')!;
    const before = snapshot(c.t.app);
    const ruc = await refusal(call(c, 'customers.update', { id: andes.id, docNumber: '20123456780' }, c.admin));
    expect(ruc.issues).toEqual([{ path: 'docNumber', message: expect.stringMatching(/dígito verificador/) }]);
    const dni = await refusal(call(c, 'customers.update', { id: andes.id, docType: '1', docNumber: '1234567' }, c.admin));
    expect(dni.issues?.[0].message).toMatch(/DNI debe tener 8 dígitos/);
    const varios = await refusal(call(c, 'customers.update', { id: andes.id, docType: '-' }, c.admin));
    expect(varios.issues?.[0].path).toBe('docType');
    const noName = await refusal(call(c, 'customers.update', { id: andes.id, name: '  ' }, c.admin));
    expect(noName.issues?.[0].path).toBe('name');
    expect(snapshot(c.t.app)).toBe(before);
    const ok = await call(c, 'customers.update', { id: andes.id, docType: '1', docNumber: '40506070' }, c.admin);
    expect(ok).toMatchObject({ docType: '1', docNumber: '40506070' });
  });
});

describe('a cashier is refused every new call by the main process', () => {
  it('settings (taxes, schedules, retention), certificate and customers calls answer forbidden and change nothing', async () => {
    const c = await setup({ at: new Date().toISOString() });
    const cert = createDemoCertificate(STORE_RUC, STORE_NAME);
    const andes = find(c.t.app, '20123456786')!;
    const before = snapshot(c.t.app);
    const attempts: [CallName, unknown][] = [
      ['settings.get', {}],
      ['settings.update', { igvRate: { rate: '0.10', from: '2027-01-01' } }],
      ['settings.update', { icbperRate: { rate: '0.10' } }],
      ['settings.update', { cancelTaxRateChange: { tax: 'igv', from: '2027-01-01' } }],
      ['settings.update', { schedule: { 'report.daily': { cron: '0 1 * * *' } } }],
      ['settings.update', { logRetentionDays: 5, archiveMonths: 2, backupRetentionDays: 3 }],
      ['cert.show', {}],
      ['cert.import', { pfxBase64: b64(cert.pfx), password: cert.password }],
      ['customers.list', {}],
      ['customers.update', { id: andes.id, name: 'CAMBIADO POR CAJERO' }],
    ];
    for (const [name, input] of attempts) {
      const e = await refusal(c.api.invoke(name, input, c.cashier));
      expect([name, e.code]).toEqual([name, 'forbidden']);
    }
    // A supervisor may manage customers but not the certificate or the settings.
    for (const name of ['cert.import', 'cert.show', 'settings.update'] as CallName[]) {
      const input = name === 'cert.import' ? { pfxBase64: b64(cert.pfx), password: cert.password } : name === 'settings.update' ? { logRetentionDays: 5 } : {};
      expect((await refusal(c.api.invoke(name, input, c.supervisor))).code).toBe('forbidden');
    }
    // The backend functions refuse by themselves too, whatever called them.
    expect(() => updateCustomer(c.t.app.db, c.t.clock.now(), c.t.cashier.id, andes.id, { name: 'X' })).toThrow(/supervisor/);
    expect(() => importCertificate(c.t.app, c.t.clock.now(), c.t.supervisor.id, cert.pfx, cert.password, 'ui')).toThrow(/administrador/);
    expect(snapshot(c.t.app)).toBe(before);
    const settings = (await call(c, 'settings.get', {}, c.admin)) as AdminSettingsView;
    expect(settings.taxRateChanges).toEqual([]);
  });
});

function find(app: App, docNumber: string) {
  return app.db.raw.prepare('SELECT id FROM customers WHERE doc_number = ?').get(docNumber) as { id: number } | undefined;
}
