// The client talks to SUNAT over HTTPS with certificate verification ON: a server it cannot verify gets nothing.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSunatClient, endpointsFor, type SunatClient } from '../../src-main/sunat/client';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { ANONYMOUS, saleModel, signedReal, TEST_RUC } from '../helpers/sign-fixture';

interface Pki {
  caPem: string;
  keyPem: string;
  certPem: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  // node:crypto makes the keys (forge's JavaScript keygen takes seconds).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem };
}

/** A throwaway CA and a server certificate it issued for 127.0.0.1 (SAN IP), both valid for a day. */
function makePki(): Pki {
  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = '01' + randomBytes(8).toString('hex');
  caCert.validity.notBefore = new Date(Date.now() - 3600_000);
  caCert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const caName = [{ name: 'commonName', value: 'CA de prueba iziSales' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = '02' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(caCert), keyPem: server.pem, certPem: forge.pki.certificateToPem(cert) };
}

let pki: Pki;
let sim: Simulator;
const clients: SunatClient[] = [];

function client(extra: { ca?: string } = {}): SunatClient {
  const c = createSunatClient({
    endpoints: endpointsFor('custom', sim.url),
    ruc: TEST_RUC,
    solUser: 'MODDATOS',
    solPassword: 'moddatos',
    connectTimeoutMs: 3000,
    responseTimeoutMs: 5000,
    ...extra,
  });
  clients.push(c);
  return c;
}

const today = (): string => new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  pki = makePki();
  sim = await startSimulator({ port: 0, tls: { key: pki.keyPem, cert: pki.certPem } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sim.close();
});

describe('HTTPS with verification on', () => {
  it('the simulator serves HTTPS when given a key and certificate', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('trusting the test CA, a boleta goes through and comes back with its CDR', async () => {
    const doc = signedReal(saleModel({ type: '03', number: 1, issueDate: today(), customer: ANONYMOUS }));
    const out = await client({ ca: pki.caPem }).sendBill(doc.fileName, doc.zip);
    expect(out.kind).toBe('accepted');
    expect(sim.ledger()).toEqual([expect.objectContaining({ id: `${TEST_RUC}-03-B001-1`, accepted: 1 })]);
  });

  it('without the CA the certificate is not trusted: network_before_send, a Spanish reason, and nothing reaches SUNAT', async () => {
    const before = sim.stats().requests;
    const doc = signedReal(saleModel({ type: '03', number: 2, issueDate: today(), customer: ANONYMOUS }));
    const out = await client().sendBill(doc.fileName, doc.zip);
    expect(out).toMatchObject({ kind: 'failure', classification: 'network_before_send', mayHaveLanded: false, action: 'retry' });
    const message = (out as { message: string }).message;
    expect(message).toMatch(/^No se pudo conectar con SUNAT: conexión segura rechazada: el certificado del servidor no es de confianza/);
    expect(message).toMatch(/no se envió nada/);
    expect(sim.stats().requests).toBe(before);
    expect(sim.ledger().some((e) => e.id.endsWith('-B001-2'))).toBe(false);
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn verification off', async () => {
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    const savedEmit = process.emitWarning;
    process.emitWarning = () => {}; // Node warns about the variable; the warning is the point of this test.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const doc = signedReal(saleModel({ type: '03', number: 3, issueDate: today(), customer: ANONYMOUS }));
      expect(await client().sendBill(doc.fileName, doc.zip)).toMatchObject({ kind: 'failure', classification: 'network_before_send' });
      // getStatusCdr (consult service) goes through the same verification.
      expect(await client().getStatusCdr(TEST_RUC, '03', 'B001', 1)).toMatchObject({ kind: 'failure', classification: 'network_before_send' });
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
      process.emitWarning = savedEmit;
    }
  });

  it('a certificate for another host is refused even with the CA trusted', async () => {
    const other = await startSimulator({ port: 0, host: '127.0.0.1', tls: { key: pki.keyPem, cert: pki.certPem } });
    const c = createSunatClient({
      // "localhost" is not in the certificate (only IP 127.0.0.1 is).
      endpoints: endpointsFor('custom', other.url.replace('127.0.0.1', 'localhost')),
      ruc: TEST_RUC,
      solUser: 'MODDATOS',
      solPassword: 'moddatos',
      ca: pki.caPem,
      connectTimeoutMs: 3000,
    });
    try {
      const doc = signedReal(saleModel({ type: '03', number: 4, issueDate: today(), customer: ANONYMOUS }));
      const out = await c.sendBill(doc.fileName, doc.zip);
      // localhost may resolve to ::1 first, where nobody listens: either way nothing was sent.
      expect(out).toMatchObject({ kind: 'failure', classification: 'network_before_send', mayHaveLanded: false });
      expect(other.stats().requests).toBe(0);
    } finally {
      c.close();
      await other.close();
    }
  });

  it('the client code never turns verification off (the behavioural tests above are the proof; this keeps it so)', () => {
    const dir = join(__dirname, '../../src-main/sunat/client');
    for (const f of readdirSync(dir)) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/rejectUnauthorized\s*:\s*false/);
      expect(src, f).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED['"\]]*\s*=/);
      expect(src, f).not.toMatch(/checkServerIdentity/);
    }
  });
});
