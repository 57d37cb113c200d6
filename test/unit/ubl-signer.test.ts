import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import forge from 'node-forge';
import { C14nCanonicalization } from 'xml-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSignedDocument, buildUnsignedXml, qrText } from '../../src-main/sunat/build';
import {
  CertificateError, certificateSummary, createDemoCertificate, loadCertificate, type DemoCertificate,
} from '../../src-main/sunat/certificate';
import { unzipEntries, unzipXml, zipDocument } from '../../src-main/sunat/package';
import { canonicalizeTree, signXml, verifyXml } from '../../src-main/sunat/signer';
import { invoiceTree } from '../../src-main/sunat/ubl/invoice';
import type { InvoiceDocument } from '../../src-main/sunat/model';
import { dniCustomer, ISSUER_RUC, line, model, text } from './ubl-fixtures';
import { requireTools } from '../helpers/tools';

const NOW = new Date('2026-11-27T15:00:00Z');
let cert: DemoCertificate;
beforeAll(() => {
  cert = createDemoCertificate(ISSUER_RUC, 'MI BODEGA S.A.C.', NOW);
});

function errorOf(f: () => unknown): CertificateError {
  try {
    f();
  } catch (e) {
    if (e instanceof CertificateError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('certificate', () => {
  it('a demo certificate is self-signed RSA-2048 for the RUC and loads back from its PFX', () => {
    expect(cert.ruc).toBe(ISSUER_RUC);
    expect(cert.subject).toContain(ISSUER_RUC);
    expect(cert.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const again = loadCertificate(cert.pfx, cert.password, NOW);
    expect(again.certPem).toBe(cert.certPem);
    const s = certificateSummary(again, NOW);
    expect(s.selfSigned).toBe(true);
    expect(s.daysLeft).toBeGreaterThan(700);
    expect(JSON.stringify(s)).not.toContain(cert.password);
  });

  it('reports a wrong password clearly', () => {
    const e = errorOf(() => loadCertificate(cert.pfx, 'otra-clave', NOW));
    expect(e.code).toBe('wrong_password');
    expect(e.message).toMatch(/contraseña/);
    expect(e.message).not.toContain(cert.password);
  });

  it('reports a PEM given where a PFX is expected', () => {
    expect(errorOf(() => loadCertificate(Buffer.from(cert.certPem), cert.password, NOW)).code).toBe('pem_not_pfx');
  });

  it('reports garbage as not a PFX', () => {
    expect(errorOf(() => loadCertificate(new Uint8Array([1, 2, 3, 4]), 'x', NOW)).code).toBe('not_pfx');
  });

  it('reports an expired and a not yet valid certificate', () => {
    expect(errorOf(() => loadCertificate(cert.pfx, cert.password, new Date('2030-01-01'))).message).toMatch(/venció/);
    expect(errorOf(() => loadCertificate(cert.pfx, cert.password, new Date('2020-01-01'))).code).toBe('not_yet_valid');
  });

  it('reports a PFX without private key and one without certificate', () => {
    const fCert = forge.pki.certificateFromPem(cert.certPem);
    const fKey = forge.pki.privateKeyFromPem(cert.privateKeyPem);
    const der = (asn1: forge.asn1.Asn1) => new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
    const certOnly = der(forge.pkcs12.toPkcs12Asn1(null, [fCert], 'clave', { algorithm: '3des' }));
    expect(errorOf(() => loadCertificate(certOnly, 'clave', NOW)).code).toBe('no_private_key');
    const keyOnly = der(forge.pkcs12.toPkcs12Asn1(fKey, null as never, 'clave', { algorithm: '3des' }));
    expect(errorOf(() => loadCertificate(keyOnly, 'clave', NOW)).code).toBe('no_certificate');
  });

  it('opens a PFX made by openssl (AES-256, PBKDF2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'izs-cert-'));
    writeFileSync(join(dir, 'c.pem'), cert.certPem);
    writeFileSync(join(dir, 'k.pem'), cert.privateKeyPem);
    requireTools('openssl');
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-out', join(dir, 'c.p12'), '-passout', 'pass:s3creta'], { stdio: 'ignore' });
    const loaded = loadCertificate(new Uint8Array(readFileSync(join(dir, 'c.p12'))), 's3creta', NOW);
    expect(loaded.certPem).toBe(cert.certPem);
  });
});

describe('signer', () => {
  const doc = () => model({ customer: dniCustomer, lines: [line({ description: 'AÑO & <CANCIÓN>', discount: '0.50' }), line({ taxAffectation: '13' })] }) as InvoiceDocument;

  it('signs in the slot with the shape DESIGN §5 asks for', () => {
    const { xml, digestValue } = signXml(buildUnsignedXml(doc()), cert);
    const sig = '/inv:Invoice/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature';
    expect(text(xml, `${sig}/@Id`)).toBe('SignIMM');
    expect(text(xml, '/inv:Invoice/cac:Signature/cbc:ID')).toBe('SignIMM');
    expect(text(xml, `${sig}/ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm`)).toBe('http://www.w3.org/TR/2001/REC-xml-c14n-20010315');
    expect(text(xml, `${sig}/ds:SignedInfo/ds:SignatureMethod/@Algorithm`)).toBe('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    expect(text(xml, `${sig}/ds:SignedInfo/ds:Reference/@URI`)).toBe('');
    expect(text(xml, `${sig}/ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform/@Algorithm`)).toBe('http://www.w3.org/2000/09/xmldsig#enveloped-signature');
    expect(text(xml, `${sig}/ds:SignedInfo/ds:Reference/ds:DigestMethod/@Algorithm`)).toBe('http://www.w3.org/2000/09/xmldsig#sha1');
    expect(text(xml, `${sig}/ds:SignedInfo/ds:Reference/ds:DigestValue`)).toBe(digestValue);
    expect(text(xml, `${sig}/ds:KeyInfo/ds:X509Data/ds:X509Certificate`)).toBe(cert.certPem.replace(/-----[^-]+-----|\s/g, ''));
    // No Id was added to the root (xml-crypto would otherwise do it for a non-empty URI).
    expect(xml).toMatch(/<Invoice xmlns="[^"]+" xmlns:cac/);
    expect(verifyXml(xml)).toMatchObject({ valid: true, digestValue, signatureId: 'SignIMM' });
  });

  it('the fast path signs exactly like the parsing path', () => {
    const m = doc();
    const slow = signXml(buildUnsignedXml(m), cert);
    const fast = buildSignedDocument(m, cert);
    expect(fast.digestValue).toBe(slow.digestValue);
    expect(fast.xml).toBe(slow.xml);
  });

  it('the tree canonicalizer matches xml-crypto on the parsed text', () => {
    const tree = invoiceTree(doc());
    const xml = tree.serialize();
    const parsed = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
    const expected = new C14nCanonicalization().process(parsed as unknown as Node, { ancestorNamespaces: [] });
    expect(canonicalizeTree(tree)).toBe(expected);
  });

  it('a signed document that is altered no longer verifies', () => {
    const { xml } = signXml(buildUnsignedXml(doc()), cert);
    expect(verifyXml(xml.replace('<cbc:PayableAmount currencyID="PEN">', '<cbc:PayableAmount currencyID="PEN">1')).valid).toBe(false);
    expect(verifyXml(buildUnsignedXml(doc())).valid).toBe(false);
  });

  it('refuses a document without the signature slot', () => {
    expect(() => signXml('<a/>', cert)).toThrow(/ExtensionContent/);
  });

  it('xmlsec1 verifies the signature', () => {
    requireTools('xmlsec1');
    const dir = mkdtempSync(join(tmpdir(), 'izs-sign-'));
    const file = join(dir, 'signed.xml');
    writeFileSync(file, buildSignedDocument(doc(), cert).xml);
    const r = spawnSync('xmlsec1', ['--verify', '--insecure', '--enabled-key-data', 'x509', file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('build and package', () => {
  it('returns file name, zip with exactly the XML, hash, QR and totals', () => {
    const m = model({ customer: dniCustomer });
    const b = buildSignedDocument(m, cert);
    expect(b.fileName).toBe(`${ISSUER_RUC}-03-B001-00000015`);
    const entries = unzipEntries(b.zip);
    expect(Object.keys(entries)).toEqual([`${b.fileName}.xml`]);
    expect(unzipXml(b.zip)).toEqual({ name: `${b.fileName}.xml`, xml: b.xml });
    expect(b.qr).toBe(`${ISSUER_RUC}|03|B001|00000015|1.07|7.00|2026-11-27|1|45678912|${b.digestValue}|`);
    expect(b.totals).toEqual({ taxableAmount: '5.93', igv: '1.07', payableAmount: '7.00', exonerated: '0.00', unaffected: '0.00', free: '0.00', icbper: '0.00' });
  });

  it('the QR of an anonymous boleta uses "-" for the customer number', () => {
    const m = model();
    expect(qrText(m, 'H')).toBe(`${ISSUER_RUC}|03|B001|00000015|1.07|7.00|2026-11-27|0|-|H|`);
  });

  it('zips deterministically', () => {
    expect(zipDocument('X', '<a/>').zip).toEqual(zipDocument('X', '<a/>').zip);
  });
});
