import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { demoApp, type TestApp } from '../helpers/app';
import { createLogger } from '../../src-main/logs/logger';
import { exportLogs } from '../../src-main/logs/export';
import { Redactor } from '../../src-main/logs/redact';
import { readStoredCertificate } from '../../src-main/sunat/certificate-store';
import { main } from '../../src-main/cli';

let t: TestApp;
beforeEach(() => {
  t = demoApp({ at: '2026-11-28T15:15:00.123Z' });
});
afterEach(() => t.close());

const SOL_PASSWORD = 'Sol$ecreta2026';
const TOKEN = 'c2Vzc2lvbi10b2tlbi0xMjM0NTY3ODkw';

function configureSecrets() {
  t.app.db.raw.prepare(`INSERT INTO settings (key, value) VALUES ('sunatCredentials', ?)`).run(JSON.stringify({ solUser: 'MODDATOS', solPassword: SOL_PASSWORD }));
  t.app.signer.certificate(); // the demo certificate, stored encrypted with its password
  const stored = JSON.parse((t.app.db.raw.prepare(`SELECT value FROM settings WHERE key = 'certificate'`).get() as { value: string }).value) as { password: string };
  const certPassword = Buffer.from(t.app.secrets.decrypt(Buffer.from(stored.password, 'base64'))).toString('utf8');
  const pem = readStoredCertificate(t.app.db, t.app.secrets)!.privateKeyPem;
  return { certPassword, pem };
}

describe('the logs', () => {
  it('writes one line per event to the day files, errors also apart, and prunes files past the retention', () => {
    const logs = path.join(t.dir, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, 'izisales_2026-10-01.log'), 'old\n');
    fs.writeFileSync(path.join(logs, 'errors_2026-10-01.log'), 'old\n');
    fs.writeFileSync(path.join(logs, 'izisales_2026-11-01.log'), 'recent\n');
    const log = createLogger(t.dir, { now: () => t.clock.now(), retentionDays: 30 });
    log.info('Sales', 'Venta B001-00000001 registrada');
    log.error('SUNAT', 'Fallo de envío\nlínea 2');
    log.warn('Jobs', 'reintento');
    log.close();
    const main = fs.readFileSync(path.join(logs, 'izisales_2026-11-28.log'), 'utf8').trimEnd().split('\n');
    expect(main).toEqual([
      '2026-11-28T15:15:00.123Z [INFO] [Sales] Venta B001-00000001 registrada',
      '2026-11-28T15:15:00.123Z [ERROR] [SUNAT] Fallo de envío\\nlínea 2',
      '2026-11-28T15:15:00.123Z [WARN] [Jobs] reintento',
    ]);
    expect(fs.readFileSync(path.join(logs, 'errors_2026-11-28.log'), 'utf8')).toBe(`${main[1]}\n`);
    expect(fs.readdirSync(logs).sort()).toEqual(['errors_2026-11-28.log', 'izisales_2026-11-01.log', 'izisales_2026-11-28.log']);
  });

  it('masks known secrets and secret-shaped text', () => {
    const r = new Redactor(['MiClave123']);
    expect(r.redact('login with MiClave123 ok')).toBe('login with *** ok');
    expect(r.redact('url?user=a&password=hunter22&x=1')).toBe('url?user=a&password=***&x=1');
    expect(r.redact('{"solPassword":"abc def","solUser":"MODDATOS"}')).toBe('{"solPassword":***,"solUser":"MODDATOS"}');
    expect(r.redact('<wsse:Password Type="x">moddatos</wsse:Password>')).toBe('<wsse:Password Type="x">***</wsse:Password>');
    expect(r.redact('Authorization: Bearer abcdef123456')).toBe('Authorization: Bearer ***');
    expect(r.redact('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----')).toBe('[CLAVE PRIVADA OMITIDA]');
    expect(r.redact('mapping=1 shopping done')).toBe('mapping=1 shopping done');
  });

  it('exports the last N days and diagnostics without any configured secret', async () => {
    const { certPassword, pem } = configureSecrets();
    const log = createLogger(t.dir, { now: () => t.clock.now() });
    log.addSecret(TOKEN);
    log.info('SUNAT', `sendBill con usuario 20601234565MODDATOS clave ${SOL_PASSWORD}`);
    log.info('Auth', `sesión abierta token ${TOKEN}`);
    log.error('Cert', `no se pudo abrir el pfx con ${certPassword}: ${pem}`);
    log.close();
    // A file written by something that did not redact (an old version, a crash dump) is masked on export too.
    fs.writeFileSync(path.join(t.dir, 'logs', 'izisales_2026-11-27.log'), `2026-11-27T10:00:00.000Z [INFO] [Old] ${SOL_PASSWORD} ${certPassword} password=${SOL_PASSWORD}\n`);
    fs.writeFileSync(path.join(t.dir, 'logs', 'izisales_2026-11-10.log'), 'too old for --days 7\n');
    const out = path.join(t.dir, 'soporte.zip');
    const r = exportLogs(t.app, { out, days: 7, extraSecrets: [TOKEN] });
    expect(r.files.sort()).toEqual(['diagnostics.json', 'logs/errors_2026-11-28.log', 'logs/izisales_2026-11-27.log', 'logs/izisales_2026-11-28.log']);
    const entries = unzipSync(new Uint8Array(fs.readFileSync(out)));
    const all = Object.values(entries).map((b) => strFromU8(b)).join('\n');
    for (const secret of [SOL_PASSWORD, certPassword, TOKEN, 'PRIVATE KEY', pem.split('\n')[1]]) expect(all).not.toContain(secret);
    expect(all).toContain('[CLAVE PRIVADA OMITIDA]');
    const diag = JSON.parse(strFromU8(entries['diagnostics.json'])) as Record<string, unknown>;
    expect(diag).toMatchObject({ version: '0.1.0', integrityCheck: ['ok'], dataDir: t.dir });
    expect(diag.os).toMatchObject({ platform: process.platform });
    expect(typeof diag.dataDirBytes).toBe('number');
    expect(diag.queue).toBeTypeOf('object');
    const settings = diag.settings as Record<string, unknown>;
    expect(settings.store).toBeTruthy();
    expect(settings).not.toHaveProperty('certificate');
    expect(settings).not.toHaveProperty('sunatCredentials');
  });
});

describe('the commands', () => {
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
    return { code, out, err };
  };

  it('report daily, files archive --dry-run and logs export run against a data directory', async () => {
    configureSecrets();
    const product = (t.app.db.raw.prepare('SELECT id FROM products WHERE is_bag = 0 LIMIT 1').get() as { id: number }).id;
    t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: product, quantity: '2' }], payments: [{ method: 'cash', amount: '100' }] });
    const json = await run(['report', 'daily', '--date', '2026-11-28', '--json', '--pdf', path.join(t.dir, 'r.pdf'), '--data', t.dir]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ date: '2026-11-28', issued: 1, pending: 1 });
    expect(fs.readFileSync(path.join(t.dir, 'r.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    const text = await run(['report', 'daily', '--date', '2026-11-28', '--data', t.dir]);
    expect(text.out).toContain('Reporte diario 28/11/2026');
    expect((await run(['report', 'daily', '--date', '28/11/2026', '--data', t.dir])).code).toBe(2);
    const archive = await run(['files', 'archive', '--dry-run', '--data', t.dir]);
    expect(archive.code).toBe(0);
    expect(archive.out).toContain('simulación');
    const zip = path.join(t.dir, 'out', 'logs.zip');
    const exp = await run(['logs', 'export', '--out', zip, '--days', '3', '--data', t.dir]);
    expect(exp.code).toBe(0);
    expect(fs.existsSync(zip)).toBe(true);
    expect((await run(['logs', 'export', '--data', t.dir])).code).toBe(2);
  });
});
