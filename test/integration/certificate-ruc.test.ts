// Issue 13 (8): a certificate of another RUC never silently replaces the working one. The Api and `izisales cert
// import` refuse it with a Spanish message and keep (and keep signing with) the previous certificate, unless the admin
// confirms that the store's RUC is changing (confirmRucChange / --confirm-ruc-change).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/app';
import { Api } from '../../src-main/api';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { openSession } from '../../src-main/pos/cash';
import { ApiError, type CertificateView } from '../../src-shared/contract';
import { demoApp, tempDir, type TestApp } from '../helpers/app';

const STORE_RUC = '20601234565';
const STORE_NAME = 'BODEGA DEMO IZISALES S.A.C.';
const OTHER_RUC = '20100070970';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const certBody = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function signedXml(t: TestApp): string {
  const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
  const r = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }] });
  return (t.app.db.raw.prepare('SELECT xml FROM documents WHERE id = ?').get(r.documentId) as { xml: string }).xml.replace(/\s/g, '');
}

describe('certificate of another RUC (Api)', () => {
  it('is refused with the previous certificate kept and still signing; imported only when the RUC change is confirmed', async () => {
    const t = demoApp({ openSession: false, at: new Date().toISOString() });
    cleanups.push(() => t.close());
    openSession(t.app.db, t.clock.now(), t.terminalId, t.cashier.id, '100.00');
    const api = new Api(t.app);
    const admin = ((await api.invoke('auth.login', { username: 'admin', pin: '1111' }, undefined)) as { token: string }).token;
    const own = createDemoCertificate(STORE_RUC, STORE_NAME);
    await api.invoke('cert.import', { pfxBase64: b64(own.pfx), password: own.password }, admin);
    const settingsBefore = JSON.stringify(t.app.db.raw.prepare(`SELECT * FROM settings ORDER BY key`).all());

    const other = createDemoCertificate(OTHER_RUC, 'OTRA EMPRESA S.A.C.');
    const e = await api.invoke('cert.import', { pfxBase64: b64(other.pfx), password: other.password }, admin).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toMatch(/El certificado es del RUC 20100070970, no del RUC de la tienda \(20601234565\): no se importó y se sigue usando el certificado actual/);
    expect((e as ApiError).issues).toEqual([{ path: 'confirmRucChange', message: (e as ApiError).message }]);
    expect(JSON.stringify(t.app.db.raw.prepare(`SELECT * FROM settings ORDER BY key`).all())).toBe(settingsBefore);
    expect(((await api.invoke('cert.show', {}, admin)) as { certificate: CertificateView }).certificate.serialNumber).toBe(own.serialNumber);
    expect(signedXml(t)).toContain(certBody(own.certPem));

    const v = (await api.invoke('cert.import', { pfxBase64: b64(other.pfx), password: other.password, confirmRucChange: true }, admin)) as CertificateView;
    expect(v).toMatchObject({ ruc: OTHER_RUC, serialNumber: other.serialNumber });
    expect(v.warnings.join(' ')).toMatch(/RUC 20100070970, no del RUC de la tienda/);
    const audit = t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'certificate.import' ORDER BY id`).all() as { details: string }[];
    expect(audit.map((a) => JSON.parse(a.details).rucChangeConfirmed ?? false)).toEqual([false, true]);
    expect(signedXml(t)).toContain(certBody(other.certPem));
  });
});

describe('izisales cert import of another RUC', () => {
  it('refuses without --confirm-ruc-change (exit 1, Spanish message, nothing stored) and imports with it', () => {
    const dir = tempDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['bin/izisales.mjs', ...args, '--data', dir], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(run(['seed']).status).toBe(0);
    const other = createDemoCertificate(OTHER_RUC, 'OTRA EMPRESA S.A.C.');
    const file = path.join(dir, 'otra.pfx');
    fs.writeFileSync(file, other.pfx);
    const refused = run(['cert', 'import', file, '--password-env', 'PFX_PASS'], { PFX_PASS: other.password });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/es del RUC 20100070970, no del RUC de la tienda \(20601234565\).*--confirm-ruc-change/s);
    const check = createApp({ dataDir: dir });
    expect(check.db.raw.prepare(`SELECT count(*) n FROM audit_log WHERE action = 'certificate.import'`).get()).toEqual({ n: 0 });
    expect(check.db.raw.prepare(`SELECT 1 FROM settings WHERE key = 'certificate'`).get()).toBeUndefined();
    void check.close();
    const ok = run(['cert', 'import', file, '--password-env', 'PFX_PASS', '--confirm-ruc-change'], { PFX_PASS: other.password });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ruc: OTHER_RUC, serialNumber: other.serialNumber });
    expect(ok.stdout + ok.stderr + refused.stderr).not.toContain(other.password);
  });
});
