// The simulator's signature verification (node:crypto over one parsed DOM) against an independent implementation
// (xml-crypto's SignedXml) and against SUNAT's own signed samples, so it is not only checked against our signer.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { C14nCanonicalization, SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSunatClient, endpointsFor, type SunatClient } from '../../src-main/sunat/client';
import { readCdr } from '../../src-main/sunat/cdr';
import { createSimulatorIdentity, signedCdrXml, startSimulator, verifyEmbeddedSignature, type Simulator } from '../../src-main/sunat/simulator';
import { saleModel, signedReal, TEST_RUC, zipNamed } from '../helpers/sign-fixture';

const SAMPLES = join(__dirname, '../../../shared/sunat/samples');
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** xml-crypto's verdict, the reference implementation. */
function xmlCrypto(xml: string): 'valid' | 'missing' | 'invalid' {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sigs = doc.getElementsByTagNameNS(DSIG, 'Signature');
  if (sigs.length === 0) return 'missing';
  try {
    const sig = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
    sig.loadSignature(sigs[0] as unknown as Node);
    return sig.checkSignature(xml) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** SHA-1 digest of the document without its signature, as a forger who cannot sign would recompute it. */
function forgedDigest(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sig = doc.getElementsByTagNameNS(DSIG, 'Signature')[0]!;
  sig.parentNode!.removeChild(sig);
  const c14n = new C14nCanonicalization().process(doc.documentElement as unknown as Node, {}) as string;
  return createHash('sha1').update(c14n).digest('base64');
}

const today = (): string => new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 10);

describe('verification agrees with xml-crypto', () => {
  const cases: Array<[string, () => string]> = [];
  for (const f of readdirSync(join(SAMPLES, 'signed'))) cases.push([`SUNAT sample ${f}`, () => readFileSync(join(SAMPLES, 'signed', f), 'utf8')]);
  for (const f of readdirSync(join(SAMPLES, 'cdr'))) cases.push([`SUNAT CDR ${f}`, () => readCdr(new Uint8Array(readFileSync(join(SAMPLES, 'cdr', f)))).xml]);
  cases.push(['our factura', () => signedReal(saleModel({ number: 1, issueDate: today() })).xml]);
  cases.push(['our CDR', () => signedCdrXml({ ruc: TEST_RUC, type: '01', docId: 'F001-1', recipient: '6-20100070970', responseCode: '0', observations: ['4312'] }, createSimulatorIdentity())]);

  it.each(cases)('%s', (_name, load) => {
    const xml = load();
    expect(verifyEmbeddedSignature(xml)).toBe(xmlCrypto(xml));
  });

  it('SUNAT’s signed samples: the valid ones pass, the altered one fails', () => {
    const read = (f: string) => readFileSync(join(SAMPLES, 'signed', f), 'utf8');
    expect(verifyEmbeddedSignature(read('12345678912-01-F001-1.xml'))).toBe('valid');
    expect(verifyEmbeddedSignature(read('12345678912-RA-20200328-1.xml'))).toBe('valid');
    expect(verifyEmbeddedSignature(read('12345678912-01-F001-1.altered.xml'))).toBe('invalid');
  });

  it('a CDR signed from the template verifies with xml-crypto and breaks when touched', () => {
    const xml = signedCdrXml({ ruc: TEST_RUC, type: '03', docId: 'B001-7', recipient: '', responseCode: '2800', observations: [] }, createSimulatorIdentity());
    expect(xmlCrypto(xml)).toBe('valid');
    expect(xmlCrypto(xml.replace('<cbc:ResponseCode>2800', '<cbc:ResponseCode>0'))).toBe('invalid');
    expect(readCdr(new TextEncoder().encode(xml)).responseCode).toBe('2800');
  });
});

describe('what the verifier refuses', () => {
  const signed = (): string => signedReal(saleModel({ number: 2, issueDate: today() })).xml;

  it.each<[string, (xml: string) => string, 'missing' | 'invalid']>([
    ['an altered amount', (x) => x.replace(/<cbc:PayableAmount currencyID="PEN">[\d.]+</, '<cbc:PayableAmount currencyID="PEN">1.00<'), 'invalid'],
    ['an altered DigestValue', (x) => x.replace(/<ds:DigestValue>[^<]+</, '<ds:DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAA=<'), 'invalid'],
    ['an altered document with its digest recomputed (SignedInfo changed, signature not)', (x) => {
      const altered = x.replace('PRODUCTO 1', 'PRODUCTO X');
      return altered.replace(/<ds:DigestValue>[^<]+</, `<ds:DigestValue>${forgedDigest(altered)}<`);
    }, 'invalid'],
    ['a changed SignatureMethod', (x) => x.replace('xmldsig#rsa-sha1', 'xmldsig-more#rsa-sha256').replace('2000/09/xmldsig-more', '2001/04/xmldsig-more'), 'invalid'],
    ['a reference to a fragment', (x) => x.replace('<ds:Reference URI="">', '<ds:Reference URI="#SignIMM">'), 'invalid'],
    ['an extra XPath transform', (x) => x.replace('</ds:Transforms>', '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"></ds:Transform></ds:Transforms>'), 'invalid'],
    ['a second signature', (x) => x.replace(/(<ds:Signature[\s\S]*<\/ds:Signature>)/, '$1$1'), 'invalid'],
    ['no signature', (x) => x.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ''), 'missing'],
  ])('%s', (_what, change, verdict) => {
    const xml = signed();
    const bad = change(xml);
    expect(bad).not.toBe(xml);
    expect(verifyEmbeddedSignature(bad)).toBe(verdict);
    if (verdict === 'invalid') expect(xmlCrypto(bad)).not.toBe('valid');
  });

  it('leaves the parsed document as it found it (the rules read the same DOM afterwards)', () => {
    const xml = signed();
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const before = doc.toString();
    expect(verifyEmbeddedSignature(doc as unknown as Parameters<typeof verifyEmbeddedSignature>[0])).toBe('valid');
    expect(doc.toString()).toBe(before);
  });
});

describe('the simulator answers 2335 for altered documents and altered SignedInfo', () => {
  let sim: Simulator;
  let client: SunatClient;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: 'moddatos' });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it.each<[string, (xml: string) => string]>([
    ['altered document', (x) => x.replace('PRODUCTO 1', 'PRODUCTO X')],
    ['altered SignedInfo (digest of the altered document)', (x) => {
      const altered = x.replace('PRODUCTO 1', 'PRODUCTO X');
      return altered.replace(/<ds:DigestValue>[^<]+</, `<ds:DigestValue>${forgedDigest(altered)}<`);
    }],
  ])('%s → 2335, nothing recorded as accepted', async (_what, change) => {
    const doc = signedReal(saleModel({ number: 3, issueDate: today() }));
    const out = await client.sendBill(doc.fileName, zipNamed(doc.baseName, change(doc.xml)));
    expect(out).toMatchObject({ kind: 'failure', classification: 'sunat_fault', code: '2335', action: 'stop_signature' });
    expect(sim.ledger().every((e) => e.accepted === 0)).toBe(true);
  });

  it('the untouched document is accepted afterwards', async () => {
    const doc = signedReal(saleModel({ number: 3, issueDate: today() }));
    expect((await client.sendBill(doc.fileName, doc.zip)).kind).toBe('accepted');
  });
});
