import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentBuildCommand } from '../../src-main/commands/document';
import { createDemoCertificate, type DemoCertificate } from '../../src-main/sunat/certificate';
import { unzipXml } from '../../src-main/sunat/package';
import { verifyXml } from '../../src-main/sunat/signer';
import { dniCustomer, input, ISSUER_RUC, line } from '../unit/ubl-fixtures';
import { demoApp } from '../helpers/app';
import { getSetting } from '../../src-main/db/settings';
import { requireTools } from '../helpers/tools';

const ROOT = join(__dirname, '../..');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

function writeInput(dir: string, data: unknown): string {
  const file = join(dir, 'input.json');
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('izisales document build', () => {
  let dir: string;
  let cert: DemoCertificate;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'izs-cli-'));
    cert = createDemoCertificate(ISSUER_RUC, 'MI BODEGA S.A.C.');
    writeFileSync(join(dir, 'cert.p12'), cert.pfx);
  });

  it('builds, signs and zips a boleta and prints one JSON object', async () => {
    const out = join(dir, 'out1');
    const file = writeInput(dir, input({ customer: dniCustomer, lines: [line({ discount: '0.50' }), line({ description: 'BOLSA', quantity: '1', unitPrice: '0.10', bags: 1 })] }));
    const c = capture();
    const code = await documentBuildCommand([file, '--out', out, '--cert', join(dir, 'cert.p12'), '--cert-password-env', 'IZS_TEST_PASS'], c.io, { env: { IZS_TEST_PASS: cert.password } });
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    expect(c.out).toHaveLength(1);
    const result = JSON.parse(c.out[0]);
    const base = `${ISSUER_RUC}-03-B001-00000015`;
    expect(result.file).toBe(join(out, `${base}.xml`));
    expect(result.zip).toBe(join(out, `${base}.zip`));
    expect(result.totals).toEqual({ taxableAmount: '5.59', igv: '1.01', payableAmount: '7.10', exonerated: '0.00', unaffected: '0.00', free: '0.00', icbper: '0.50' });
    expect(result.qr).toBe(`${ISSUER_RUC}|03|B001|00000015|1.01|7.10|2026-11-27|1|45678912|${result.digestValue}|`);
    const xml = readFileSync(result.file, 'utf8');
    expect(verifyXml(xml)).toMatchObject({ valid: true, digestValue: result.digestValue });
    expect(unzipXml(readFileSync(result.zip))).toEqual({ name: `${base}.xml`, xml });
    expect(xml).toContain(cert.certPem.replace(/-----[^-]+-----|\s/g, ''));
    expect(c.out[0]).not.toContain(cert.password);
  });

  it('without --cert signs with a demo certificate for the issuer RUC', async () => {
    const out = join(dir, 'out2');
    const c = capture();
    const code = await documentBuildCommand([writeInput(dir, input()), '--out', out], c.io);
    expect(code).toBe(0);
    const result = JSON.parse(c.out[0]);
    expect(verifyXml(readFileSync(result.file, 'utf8')).valid).toBe(true);
  });

  it('uses the stored certificate when the hook provides one', async () => {
    const c = capture();
    const code = await documentBuildCommand([writeInput(dir, input()), '--out', join(dir, 'out3')], c.io, { loadStoredCertificate: () => cert });
    expect(code).toBe(0);
    expect(readFileSync(JSON.parse(c.out[0]).file, 'utf8')).toContain(cert.certPem.replace(/-----[^-]+-----|\s/g, ''));
  });

  it('with --data signs with the data directory\'s stored certificate of that RUC', async () => {
    const t = demoApp({ openSession: false });
    try {
      const stored = t.app.signer.certificate()!;
      const store = getSetting(t.app.db, 'store');
      const c = capture();
      const code = await documentBuildCommand([writeInput(dir, input({ issuer: { ...(input().issuer as object), ruc: store.ruc } })), '--out', join(dir, 'out-data'), '--data', t.dir], c.io);
      expect(c.err.join('')).toBe('');
      expect(code).toBe(0);
      expect(readFileSync(JSON.parse(c.out[0]).file, 'utf8')).toContain(stored.certPem.replace(/-----[^-]+-----|\s/g, ''));
    } finally {
      await t.close();
    }
  });

  it('invalid input: exit 2, one line per problem naming the field, nothing written', async () => {
    const out = join(dir, 'bad');
    const c = capture();
    const code = await documentBuildCommand([writeInput(dir, input({ number: 0, lines: [line({ unitPrice: '3,50' }), line({ quantity: 'dos' })] })), '--out', out], c.io);
    expect(code).toBe(2);
    const lines = c.err.join('').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => /^lines\[0\]\.unitPrice: /.test(l))).toBe(true);
    expect(lines.some((l) => /^lines\[1\]\.quantity: /.test(l))).toBe(true);
    expect(lines.some((l) => /^number: .*mayor que cero/.test(l))).toBe(true);
    expect(c.out).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('a wrong certificate password is a clear error and never echoes the password', async () => {
    const out = join(dir, 'badpass');
    const c = capture();
    const code = await documentBuildCommand([writeInput(dir, input()), '--out', out, '--cert', join(dir, 'cert.p12'), '--cert-password-env', 'P'], c.io, { env: { P: 'no-es-la-clave' } });
    expect(code).toBe(2);
    expect(c.err.join('')).toMatch(/contraseña del certificado no es correcta/);
    expect(c.err.join('')).not.toContain('no-es-la-clave');
    expect(existsSync(out)).toBe(false);
  });

  it('usage errors exit 2', async () => {
    const c = capture();
    expect(await documentBuildCommand([], c.io)).toBe(2);
    expect(await documentBuildCommand(['x.json'], c.io)).toBe(2);
    expect(await documentBuildCommand([join(dir, 'missing.json'), '--out', dir], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--out/);
  });

  it('runs through node bin/izisales.mjs', () => {
    const out = join(dir, 'bin-out');
    const file = writeInput(dir, input({ number: 77 }));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/izisales.mjs'), 'document', 'build', file, '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(result.file).toBe(join(out, `${ISSUER_RUC}-03-B001-00000077.xml`));
    expect(readdirSync(out).sort()).toEqual([`${ISSUER_RUC}-03-B001-00000077.xml`, `${ISSUER_RUC}-03-B001-00000077.zip`]);
    requireTools('xmlsec1');
    const v = spawnSync('xmlsec1', ['--verify', '--insecure', '--enabled-key-data', 'x509', result.file], { encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
    const bad = spawnSync(process.execPath, [join(ROOT, 'bin/izisales.mjs'), 'document', 'build', writeInput(dir, { lines: [] }), '--out', join(dir, 'bin-bad')], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(existsSync(join(dir, 'bin-bad'))).toBe(false);
  });
});
