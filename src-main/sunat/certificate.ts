// The signing certificate: a .pfx/.p12 with a password (checked on import: private key present, dates valid),
// or a self-signed demo certificate for SUNAT's beta. Never logs the password or the key.
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export type CertificateErrorCode =
  | 'wrong_password'
  | 'pem_not_pfx'
  | 'not_pfx'
  | 'expired'
  | 'not_yet_valid'
  | 'no_private_key'
  | 'no_certificate'
  | 'key_mismatch';

export class CertificateError extends Error {
  constructor(
    readonly code: CertificateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CertificateError';
  }
}

export interface LoadedCertificate {
  certPem: string;
  privateKeyPem: string;
  /** Parsed once so every signature skips PEM parsing. */
  privateKey: KeyObject;
  subject: string;
  issuer: string;
  /** RUC found in the subject (CN, serialNumber, OU...), if any. */
  ruc: string | null;
  notBefore: Date;
  notAfter: Date;
  serialNumber: string;
}

/** A distinguished name as one line, e.g. `CN=…, O=…`. */
export function dn(attrs: forge.pki.CertificateField[]): string {
  return attrs.map((a) => `${a.shortName ?? a.name ?? a.type}=${a.value}`).join(', ');
}

/** The first 11-digit number starting like a RUC in the subject's fields. */
export function rucFromSubject(attrs: forge.pki.CertificateField[]): string | null {
  for (const a of attrs) {
    const m = /(?:^|\D)((?:10|15|16|17|20)\d{9})(?!\d)/.exec(String(a.value ?? ''));
    if (m) return m[1];
  }
  return null;
}

function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  return head.includes('-----BEGIN');
}

function checkDates(notBefore: Date, notAfter: Date, now: Date): void {
  if (now.getTime() > notAfter.getTime()) {
    throw new CertificateError('expired', `El certificado venció el ${formatDate(notAfter)}. Solicite uno vigente a su proveedor de certificados.`);
  }
  if (now.getTime() < notBefore.getTime()) {
    throw new CertificateError('not_yet_valid', `El certificado recién será válido desde el ${formatDate(notBefore)}. Revise la fecha y hora de la computadora.`);
  }
}

function formatDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** Opens a .pfx/.p12 and checks it can sign today. */
export function loadCertificate(pfxBytes: Uint8Array, password: string, now = new Date()): LoadedCertificate {
  if (looksLikePem(pfxBytes)) {
    throw new CertificateError('pem_not_pfx', 'El archivo es un certificado PEM (texto), no un .pfx/.p12. Exporte el certificado con su clave privada en formato PFX.');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(pfxBytes).toString('binary')));
  } catch {
    throw new CertificateError('not_pfx', 'El archivo no es un certificado .pfx/.p12 válido.');
  }
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/MAC could not be verified|Invalid password|decrypt/i.test(msg)) {
      throw new CertificateError('wrong_password', 'La contraseña del certificado no es correcta.');
    }
    throw new CertificateError('not_pfx', 'El archivo no es un certificado .pfx/.p12 válido o usa un cifrado no soportado.');
  }
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certs = certBags.map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  if (certs.length === 0) throw new CertificateError('no_certificate', 'El archivo no contiene ningún certificado.');
  const key = keyBags.map((b) => b.key).find((k) => !!k) as forge.pki.rsa.PrivateKey | undefined;
  if (!key) {
    throw new CertificateError('no_private_key', 'El certificado no incluye la clave privada. Expórtelo nuevamente marcando "exportar la clave privada".');
  }
  // The signing certificate is the one whose public key matches the private key (a PFX may carry the chain).
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n && pub.n.equals(key.n);
  });
  if (!cert) throw new CertificateError('key_mismatch', 'La clave privada no corresponde a ningún certificado del archivo.');
  checkDates(cert.validity.notBefore, cert.validity.notAfter, now);
  const certPem = forge.pki.certificateToPem(cert);
  const privateKeyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  return {
    certPem,
    privateKeyPem,
    privateKey: createPrivateKey(privateKeyPem),
    subject: dn(cert.subject.attributes),
    issuer: dn(cert.issuer.attributes),
    ruc: rucFromSubject(cert.subject.attributes),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    serialNumber: cert.serialNumber,
  };
}

export interface DemoCertificate extends LoadedCertificate {
  pfx: Uint8Array;
  password: string;
}

/** A self-signed RSA-2048 certificate for the issuer, valid from a day before `now` for two years. */
export function createDemoCertificate(ruc: string, name: string, now = new Date()): DemoCertificate {
  // node:crypto generates the key in native code (forge's JavaScript RSA keygen takes seconds).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const fKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(fKey.n, fKey.e);
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 2 * 365 * 24 * 3600 * 1000);
  const attrs = [
    { name: 'commonName', value: `${name} - DEMO` },
    { name: 'serialNumber', value: ruc },
    { name: 'organizationalUnitName', value: `RUC ${ruc}` },
    { name: 'organizationName', value: name },
    { name: 'countryName', value: 'PE' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(fKey, forge.md.sha256.create());
  const password = randomBytes(12).toString('base64url');
  const p12 = forge.pkcs12.toPkcs12Asn1(fKey, [cert], password, { algorithm: '3des', friendlyName: `izisales-demo-${ruc}` });
  const pfx = new Uint8Array(Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  return { ...loadCertificate(pfx, password, now), pfx, password };
}

/** What the settings screen shows about a certificate (no secrets). */
export function certificateSummary(cert: Pick<LoadedCertificate, 'subject' | 'issuer' | 'ruc' | 'notBefore' | 'notAfter' | 'serialNumber'>, now = new Date()): {
  subject: string;
  issuer: string;
  ruc: string | null;
  validFrom: string;
  validTo: string;
  daysLeft: number;
  selfSigned: boolean;
  serialNumber: string;
} {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    ruc: cert.ruc,
    validFrom: formatDate(cert.notBefore),
    validTo: formatDate(cert.notAfter),
    daysLeft: Math.floor((cert.notAfter.getTime() - now.getTime()) / (24 * 3600 * 1000)),
    selfSigned: cert.subject === cert.issuer,
    serialNumber: cert.serialNumber,
  };
}
