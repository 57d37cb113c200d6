// The store's signing certificate as an administrator handles it: one import (checks, encrypted storage, audit) for
// the Administración screen and `izisales cert import` alike, what the screens show of it, and the expiry warning of
// the status bar. The password is only ever passed to the checks and the secret store: never logged, audited,
// returned or stored in clear.
import forge from 'node-forge';
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { ApiError, type CertificateView } from '../../src-shared/contract';
import { formatDatePe, limaDate } from '../../src-shared/time';
import { CertificateError, dn, rucFromSubject, type CertificateErrorCode, type LoadedCertificate } from '../sunat/certificate';
import { storeCertificate, storedCertificateValue, unsealCertificate } from '../sunat/certificate-store';
import { audit } from '../db/audit';
import { actingUser, assertAdmin } from './admin';
import { getSetting } from '../db/settings';

/** The status bar warns this many days before the certificate expires (issue 7). */
export const CERT_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** What a certificate says about itself: no key, no password. */
export type CertificateFacts = Pick<LoadedCertificate, 'subject' | 'issuer' | 'ruc' | 'notBefore' | 'notAfter' | 'serialNumber'>;

/** What each refusal tells the administrator, by CertificateError code, and which field it belongs to. */
const PROBLEMS: Record<CertificateErrorCode, { path: 'file' | 'password'; message: (e: CertificateError) => string }> = {
  wrong_password: { path: 'password', message: () => 'La contraseña del certificado no es correcta. Escríbala de nuevo (distingue mayúsculas y minúsculas).' },
  pem_not_pfx: { path: 'file', message: () => 'El archivo es un certificado PEM (texto), no un .pfx/.p12. Pida a su proveedor el certificado en formato PFX con su clave privada.' },
  not_pfx: { path: 'file', message: () => 'El archivo no es un certificado .pfx/.p12 válido (o usa un cifrado no soportado). Elija el archivo .pfx o .p12 que le entregó su proveedor.' },
  expired: { path: 'file', message: (e) => `${e.message} No se importó.` },
  not_yet_valid: { path: 'file', message: (e) => `${e.message} No se importó.` },
  no_private_key: { path: 'file', message: () => 'El archivo no incluye la clave privada: sin ella no se puede firmar. Expórtelo nuevamente marcando "exportar la clave privada".' },
  no_certificate: { path: 'file', message: () => 'El archivo no contiene ningún certificado. Elija el .pfx/.p12 que le entregó su proveedor.' },
  key_mismatch: { path: 'file', message: () => 'La clave privada del archivo no corresponde a ninguno de sus certificados. Pida a su proveedor un .pfx correcto.' },
};

/** A CertificateError as the screens show it: the field it is about and what to do. */
export function certificateProblem(e: CertificateError): ApiError {
  const p = PROBLEMS[e.code];
  const message = p.message(e);
  return new ApiError('rule', message, [{ path: p.path, message }]);
}

/** Reads a stored .pfx's signing certificate WITHOUT the date checks of loadCertificate: an expired one is still shown. */
function readFacts(pfx: Uint8Array, password: string): CertificateFacts {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(pfx).toString('binary')));
  const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const key = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ].map((b) => b.key).find((k) => !!k) as forge.pki.rsa.PrivateKey | undefined;
  const cert = certs.find((c) => key && (c.publicKey as forge.pki.rsa.PublicKey).n?.equals(key.n)) ?? certs[0];
  if (!cert) throw new Error('sin certificado');
  return {
    subject: dn(cert.subject.attributes), issuer: dn(cert.issuer.attributes), ruc: rucFromSubject(cert.subject.attributes),
    notBefore: cert.validity.notBefore, notAfter: cert.validity.notAfter, serialNumber: cert.serialNumber,
  };
}

export type StoredCertificateInfo = { ok: true; facts: CertificateFacts } | { ok: false; problem: string };

// Decrypting and parsing the .pfx takes milliseconds; the status bar asks every few seconds. The facts are kept per
// database and re-read only when the stored (sealed) value changes — a new import, or the signer's demo certificate.
const cache = new WeakMap<Db, { sealed: string; info: StoredCertificateInfo }>();

/** The stored certificate's facts (decrypted once per stored value), or null when none is stored. */
export function storedCertificateInfo(db: Db, secrets: SecretStore): StoredCertificateInfo | null {
  const sealed = storedCertificateValue(db);
  if (sealed === null) return null;
  const hit = cache.get(db);
  if (hit && hit.sealed === sealed) return hit.info;
  let info: StoredCertificateInfo;
  try {
    const { pfx, password } = unsealCertificate(sealed, secrets);
    info = { ok: true, facts: readFacts(pfx, password) };
  } catch {
    info = { ok: false, problem: 'El certificado digital guardado no se puede leer (¿se cambió la clave de cifrado del equipo?). Pida al administrador que lo importe de nuevo.' };
  }
  cache.set(db, { sealed, info });
  return info;
}

function daysLeft(f: CertificateFacts, now: Date): number {
  return Math.floor((f.notAfter.getTime() - now.getTime()) / DAY_MS);
}

const shown = (d: Date) => formatDatePe(limaDate(d));

/** What the Administración screen and the CLI show of a certificate, with what the administrator should know. */
export function certificateView(db: Db, f: CertificateFacts, now: Date): CertificateView {
  const store = getSetting(db, 'store');
  const mode = getSetting(db, 'sunatMode');
  const left = daysLeft(f, now);
  const expired = now.getTime() > f.notAfter.getTime();
  const selfSigned = f.subject === f.issuer;
  const warnings: string[] = [];
  if (f.ruc && f.ruc !== store.ruc) warnings.push(`El certificado es del RUC ${f.ruc}, no del RUC de la tienda (${store.ruc}): SUNAT rechazará los comprobantes firmados con él.`);
  if (!f.ruc) warnings.push(`No se encontró un RUC en el certificado; verifique que sea el de la tienda (${store.ruc}).`);
  if (expired) warnings.push(`El certificado venció el ${shown(f.notAfter)}: importe uno vigente.`);
  else if (left <= CERT_WARNING_DAYS) warnings.push(`El certificado vence el ${shown(f.notAfter)} (${left === 0 ? 'hoy' : `en ${left} días`}): renuévelo con su proveedor.`);
  if (selfSigned && (mode === 'production' || mode === 'custom')) warnings.push('El certificado es autofirmado (de prueba): SUNAT producción y las OSE no lo aceptan.');
  return {
    subject: f.subject, issuer: f.issuer, ruc: f.ruc, serialNumber: f.serialNumber,
    validFrom: shown(f.notBefore), validTo: shown(f.notAfter), notAfter: f.notAfter.toISOString(),
    daysLeft: left, expired, selfSigned, warnings,
  };
}

/** The refusal of a certificate of another RUC: the working certificate stays until the admin confirms the change. */
export function otherRucRefusal(certRuc: string, storeRuc: string, via: 'ui' | 'cli'): ApiError {
  const how = via === 'cli'
    ? 'Si la tienda cambia de RUC, repita el comando con --confirm-ruc-change.'
    : 'Si la tienda cambia de RUC, marque "Confirmo que el RUC de la tienda cambia" e importe de nuevo.';
  const message = `El certificado es del RUC ${certRuc}, no del RUC de la tienda (${storeRuc}): no se importó y se sigue usando el certificado actual. ${how}`;
  return new ApiError('rule', message, [{ path: 'confirmRucChange', message }]);
}

/**
 * Checks a .pfx/.p12 (private key present, dates valid), stores it and its password encrypted and audits the import
 * (subject, serial, validity — never the password), in one transaction. `userId` null is the local operator at the
 * CLI; otherwise the user must be an administrator. A refused file writes nothing. A certificate of another RUC than
 * the store's is refused (the working one kept) unless `confirmRucChange` says the store's RUC is changing.
 */
export function importCertificate(
  ctx: { db: Db; secrets: SecretStore; signer?: { reset(): void } },
  at: Date,
  userId: number | null,
  pfx: Uint8Array,
  password: string,
  via: 'ui' | 'cli',
  opts: { confirmRucChange?: boolean } = {},
): CertificateView {
  const { db, secrets } = ctx;
  if (userId !== null) assertAdmin(actingUser(db, userId));
  let facts: CertificateFacts;
  try {
    facts = db.tx(() => {
      const loaded = storeCertificate(db, secrets, pfx, password);
      const storeRuc = getSetting(db, 'store').ruc;
      const otherRuc = !!loaded.ruc && loaded.ruc !== storeRuc;
      // Thrown inside the transaction: the new certificate is rolled back and the working one stays.
      if (otherRuc && !opts.confirmRucChange) throw otherRucRefusal(loaded.ruc!, storeRuc, via);
      audit(db, at, userId, 'certificate.import', 'certificate', loaded.serialNumber, {
        via, subject: loaded.subject, issuer: loaded.issuer, ruc: loaded.ruc, notBefore: loaded.notBefore.toISOString(), notAfter: loaded.notAfter.toISOString(),
        ...(otherRuc ? { rucChangeConfirmed: true, storeRuc } : {}),
      });
      return loaded;
    });
  } catch (e) {
    if (e instanceof CertificateError) throw certificateProblem(e);
    throw e;
  }
  ctx.signer?.reset(); // the next signature uses the new certificate
  return certificateView(db, facts, at);
}

/** The stored certificate as shown to an administrator, or why there is none to show. */
export function showCertificate(db: Db, secrets: SecretStore, now: Date): { certificate: CertificateView | null; warning: string | null } {
  const info = storedCertificateInfo(db, secrets);
  return { certificate: info?.ok ? certificateView(db, info.facts, now) : null, warning: certificateWarning(db, secrets, now) };
}

/**
 * The status bar's warning for everyone at the till: the certificate expired or expires within 30 days, cannot be
 * read, or is missing while documents go to SUNAT (beta, production, an OSE). Null when all is well.
 */
export function certificateWarning(db: Db, secrets: SecretStore, now: Date): string | null {
  const info = storedCertificateInfo(db, secrets);
  if (!info) {
    const mode = getSetting(db, 'sunatMode');
    return mode === 'demo' ? null : 'No hay certificado digital: los comprobantes no se firman ni se envían a SUNAT. Pida al administrador que lo importe en Administración → Certificado.';
  }
  if (!info.ok) return info.problem;
  const f = info.facts;
  if (now.getTime() > f.notAfter.getTime()) return `El certificado digital venció el ${shown(f.notAfter)}: los comprobantes no se pueden firmar. Pida al administrador que importe uno vigente.`;
  const left = daysLeft(f, now);
  if (left <= CERT_WARNING_DAYS) return `El certificado digital vence el ${shown(f.notAfter)} (${left === 0 ? 'hoy' : `en ${left} días`}). Pida al administrador que lo renueve.`;
  return null;
}
