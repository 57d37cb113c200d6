// The simulator's own XML signature code: verify what clients send, sign the CDRs it returns.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export interface SimulatorIdentity {
  certPem: string;
  keyPem: string;
}

/** A self-signed "SUNAT simulator" certificate; node:crypto makes the key (forge's pure-JS keygen is slow). */
export function createSimulatorIdentity(commonName = 'SUNAT SIMULADOR iziSales'): SimulatorIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600_000);
  const attrs = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'SUNAT SIMULADOR' },
    { name: 'countryName', value: 'PE' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/** Verifies the enveloped signature with the certificate embedded in its KeyInfo, as SUNAT does. */
export function verifyEmbeddedSignature(xml: string): SignatureCheck {
  let doc: Document;
  try {
    doc = new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
  } catch {
    return 'invalid';
  }
  const sigs = doc.getElementsByTagNameNS(DSIG_NS, 'Signature');
  if (sigs.length === 0) return 'missing';
  if (sigs.length > 1) return 'invalid';
  try {
    const sig = new SignedXml({ getCertFromKeyInfo: SignedXml.getCertFromKeyInfo });
    sig.loadSignature(sigs[0] as unknown as Node);
    // Only a whole-document reference counts: a signature over a fragment proves nothing about the amounts.
    const refs = sig.getReferences();
    if (refs.length !== 1 || (refs[0].uri ?? '') !== '') return 'invalid';
    return sig.checkSignature(xml) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** Signs a CDR the way SUNAT does: enveloped, inside ext:ExtensionContent. */
export function signCdrXml(xml: string, id: SimulatorIdentity): string {
  const sig = new SignedXml({
    privateKey: id.keyPem,
    publicCert: id.certPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  });
  sig.addReference({
    xpath: '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    isEmptyUri: true,
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    attrs: { Id: 'SignSUNAT' },
    location: { reference: "//*[local-name()='ExtensionContent']", action: 'append' },
  });
  return sig.getSignedXml();
}
