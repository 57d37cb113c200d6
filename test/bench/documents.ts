// Document signing throughput: build + sign + zip of a 10-line boleta on one core, compared with xmlsec1 run
// as a process per document and with the raw RSA-2048 signing speed of this machine (openssl speed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rucCheckDigit } from '../../src-shared/identity';
import { buildSignedDocument, buildUnsignedXml } from '../../src-main/sunat/build';
import { createDemoCertificate } from '../../src-main/sunat/certificate';
import { parseDocumentInput } from '../../src-main/sunat/document-input';
import type { SaleDocument } from '../../src-main/sunat/model';
import { C14N_ALGORITHM, ENVELOPED, RSA_SHA1, SHA1 } from '../../src-main/sunat/signer';
import { round, summarize } from './stats';

function boleta(): SaleDocument {
  const ruc = '2012345678' + rucCheckDigit('2012345678');
  const lines = Array.from({ length: 10 }, (_, i) => ({
    description: `PRODUCTO ${i + 1} & CÍA`, quantity: String((i % 3) + 1), unitCode: 'NIU',
    unitPrice: `${i + 1}.50`, taxAffectation: i === 9 ? '20' : '10', discount: i === 2 ? '0.50' : undefined,
  }));
  const r = parseDocumentInput({
    issuer: { ruc, name: 'MI BODEGA S.A.C.', address: 'AV. LIMA 123', ubigeo: '150101' }, documentType: '03', series: 'B001',
    number: 1, issueDate: '2026-11-27', issueTime: '10:15:00', customer: { docType: '1', docNumber: '45678912', name: 'ANA TORRES' }, lines,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.document;
}

/** xmlsec1 signs a template: our XML with an empty ds:Signature in the slot. */
function xmlsecTemplate(xml: string): string {
  const sig =
    `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="SignIMM"><ds:SignedInfo>` +
    `<ds:CanonicalizationMethod Algorithm="${C14N_ALGORITHM}"/><ds:SignatureMethod Algorithm="${RSA_SHA1}"/>` +
    `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"/></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA1}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>` +
    `<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data></ds:X509Data></ds:KeyInfo></ds:Signature>`;
  return xml.replace(/<ext:ExtensionContent\/>|<ext:ExtensionContent><\/ext:ExtensionContent>/, `<ext:ExtensionContent>${sig}</ext:ExtensionContent>`);
}

function opensslRsaSignPerSecond(): number | null {
  const r = spawnSync('openssl', ['speed', '-seconds', '3', 'rsa2048'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const lines = r.stdout.split('\n');
  const header = lines.find((l) => l.includes('sign/s'));
  const row = lines.find((l) => /^rsa\s+2048\s+bits/.test(l));
  if (!header || !row) return null;
  const cols = header.trim().split(/\s+/);
  const values = row.trim().replace(/^rsa\s+2048\s+bits\s+/, '').split(/\s+/);
  const v = values[cols.indexOf('sign/s')];
  return v ? Number(v) : null;
}

export async function benchDocuments(opts: { json: boolean }): Promise<void> {
  const model = boleta();
  const cert = createDemoCertificate(model.issuer.ruc, model.issuer.name);

  // As printed and sent: the zip is built on first access (the sender zips the stored XML), so it is asked for here.
  let zipBytes = 0;
  for (let i = 0; i < 300; i++) zipBytes += buildSignedDocument(model, cert).zip.length;
  const samples: number[] = [];
  const zipSamples: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + 3_000_000_000n;
  let n = 0;
  while (process.hrtime.bigint() < deadline) {
    const t = process.hrtime.bigint();
    const signed = buildSignedDocument(model, cert);
    const z = process.hrtime.bigint();
    zipBytes += signed.zip.length;
    const end = process.hrtime.bigint();
    samples.push(Number(end - t) / 1e6);
    zipSamples.push(Number(end - z) / 1e6);
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stats = summarize(samples);
  const zip = summarize(zipSamples);
  const docsPerS = n / seconds;
  if (zipBytes === 0) throw new Error('no zip was built');

  let xmlsecMs: number | null = null;
  if (spawnSync('xmlsec1', ['--version']).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'izs-bench-'));
    try {
      writeFileSync(join(dir, 'key.pem'), cert.privateKeyPem);
      writeFileSync(join(dir, 'cert.pem'), cert.certPem);
      writeFileSync(join(dir, 'tpl.xml'), xmlsecTemplate(buildUnsignedXml(model)));
      const runs = 20;
      const t = process.hrtime.bigint();
      for (let i = 0; i < runs; i++) {
        const r = spawnSync('xmlsec1', ['--sign', '--privkey-pem', `${join(dir, 'key.pem')},${join(dir, 'cert.pem')}`, '--output', join(dir, 'out.xml'), join(dir, 'tpl.xml')]);
        if (r.status !== 0) throw new Error(`xmlsec1 --sign failed: ${r.stderr}`);
      }
      xmlsecMs = Number(process.hrtime.bigint() - t) / 1e6 / runs;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const rsa = opensslRsaSignPerSecond();

  const result = {
    docs_per_s: round(docsPerS, 1), p50_ms: round(stats.p50), p99_ms: round(stats.p99), zip_mean_ms: round(zip.mean), zip_p99_ms: round(zip.p99),
    xmlsec1_ms_per_doc: xmlsecMs === null ? null : round(xmlsecMs, 2), rsa_sign_per_s: rsa, targets: { docs_per_s: 500, p99_ms: 10 },
  };
  if (opts.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log('documents: build + sign + zip of a 10-line boleta, one core');
  console.log(`  ${result.docs_per_s} docs/s (target ≥ ${result.targets.docs_per_s}), p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms (target ≤ ${result.targets.p99_ms} ms), n=${n}`);
  console.log(`  of which the zip: mean ${result.zip_mean_ms} ms, p99 ${result.zip_p99_ms} ms per document`);
  console.log(`  xmlsec1 --sign as a process: ${result.xmlsec1_ms_per_doc === null ? 'n/a (xmlsec1 missing)' : `${result.xmlsec1_ms_per_doc} ms`} per document`);
  console.log(`  openssl speed rsa2048: ${rsa === null ? 'n/a' : `${rsa} sign/s`}`);
}

// Runnable on its own: npx tsx test/bench/documents.ts [--json]
if (import.meta.url === `file://${process.argv[1]}`) await benchDocuments({ json: process.argv.includes('--json') });
