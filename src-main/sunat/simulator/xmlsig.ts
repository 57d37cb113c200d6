// The simulator's own XML signature code: verify what clients send, sign the CDRs it returns.
//
// Verification works on ONE parsed DOM (the same one the rule checks read): C14N with xml-crypto's canonicalizers,
// digest and RSA with node:crypto, the certificate's public key parsed once and cached. It accepts only what a
// SUNAT signature is — one ds:Signature, one Reference URI="" (the whole document), enveloped-signature plus at most
// a C14N transform, RSA with SHA-1/256/512 — and refuses anything else, so a check on the DOM is a check on what was
// signed. CDRs are signed from a template that is already in canonical form: no parse, one hash, one RSA signature.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign as rsaSign, verify as rsaVerify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { DOMParser, type Document, type Element, type Node as XNode } from '@xmldom/xmldom';
import {
  C14nCanonicalization, C14nCanonicalizationWithComments, ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments, type CanonicalizationOrTransformationAlgorithm, type NamespacePrefix,
} from 'xml-crypto';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const C14N_COMMENTS = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const EXC_C14N_COMMENTS = 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

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

// C14N of a same-document reference never includes comments (XMLDSig §4.4.3.3), so the comment variants of the
// algorithms canonicalize SignedInfo with comments and the document without.
const CANONICALIZERS: Record<string, () => CanonicalizationOrTransformationAlgorithm> = {
  [C14N]: () => new C14nCanonicalization(),
  [C14N_COMMENTS]: () => new C14nCanonicalizationWithComments(),
  [EXC_C14N]: () => new ExclusiveCanonicalization(),
  [EXC_C14N_COMMENTS]: () => new ExclusiveCanonicalizationWithComments(),
};
const WITHOUT_COMMENTS: Record<string, string> = { [C14N_COMMENTS]: C14N, [EXC_C14N_COMMENTS]: EXC_C14N };

const SIGNATURE_HASH: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
};
const DIGEST_HASH: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};
const DEFAULT_NS_FOR_PREFIX = { ds: DSIG_NS };

function dsChildren(parent: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === local && (n as Element).namespaceURI === DSIG_NS) out.push(n as Element);
  }
  return out;
}
function onlyDsChild(parent: Element | undefined, local: string): Element | undefined {
  if (!parent) return undefined;
  const found = dsChildren(parent, local);
  return found.length === 1 ? found[0] : undefined;
}
function elementChildren(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** Namespaces in scope at `node` from its ancestors (nearest wins), as inclusive C14N renders them on a subset apex. */
function ancestorNamespaces(node: Element): NamespacePrefix[] {
  const own = new Set<string>([node.prefix ?? '']);
  for (let i = 0; i < node.attributes.length; i++) {
    const a = node.attributes.item(i)!;
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) own.add(a.name === 'xmlns' ? '' : a.name.slice(6));
  }
  const seen = new Set<string>();
  const out: NamespacePrefix[] = [];
  for (let p = node.parentNode; p && p.nodeType === 1; p = p.parentNode) {
    const attrs = (p as Element).attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) continue;
      const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      // An undeclaration (xmlns="") is no namespace node; the subset's own declarations win.
      if (a.value !== '' && !own.has(prefix)) out.push({ prefix, namespaceURI: a.value });
    }
  }
  return out;
}

// Parsing a PEM/DER certificate costs more than the RSA check itself: a client signs with one certificate.
const publicKeys = new Map<string, KeyObject>();
function publicKeyOf(certBase64: string): KeyObject {
  let key = publicKeys.get(certBase64);
  if (!key) {
    key = new X509Certificate(Buffer.from(certBase64, 'base64')).publicKey;
    if (publicKeys.size >= 64) publicKeys.clear();
    publicKeys.set(certBase64, key);
  }
  return key;
}

const b64 = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, '');

/** Parses a document for verification; null when it is not well-formed. */
export function parseForSignature(xml: string): Document | null {
  let fatal = false;
  try {
    const doc = new DOMParser({ onError: (level) => void (level !== 'warning' && (fatal = true)) }).parseFromString(xml, 'text/xml');
    return fatal || !doc.documentElement ? null : doc;
  } catch {
    return null;
  }
}

/**
 * Verifies the enveloped signature with the certificate embedded in its KeyInfo, as SUNAT does. Pass the parsed
 * document to reuse it (it is left as it was found).
 */
export function verifyEmbeddedSignature(input: string | Document): SignatureCheck {
  const doc = typeof input === 'string' ? parseForSignature(input) : input;
  if (!doc?.documentElement) return 'invalid';
  const sigs = doc.getElementsByTagNameNS(DSIG_NS, 'Signature');
  if (sigs.length === 0) return 'missing';
  if (sigs.length > 1) return 'invalid';
  try {
    return checkSignature(doc.documentElement, sigs.item(0)!) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

function checkSignature(root: Element, sig: Element): boolean {
  const signedInfo = onlyDsChild(sig, 'SignedInfo');
  if (!signedInfo) return false;
  const c14nAlg = onlyDsChild(signedInfo, 'CanonicalizationMethod')?.getAttribute('Algorithm') ?? '';
  const hashForSignature = SIGNATURE_HASH[onlyDsChild(signedInfo, 'SignatureMethod')?.getAttribute('Algorithm') ?? ''];
  if (!CANONICALIZERS[c14nAlg] || !hashForSignature) return false;

  // Only a whole-document reference counts: a signature over a fragment proves nothing about the amounts.
  const refs = dsChildren(signedInfo, 'Reference');
  if (refs.length !== 1 || !refs[0].hasAttribute('URI') || refs[0].getAttribute('URI') !== '') return false;
  const ref = refs[0];
  const transforms = onlyDsChild(ref, 'Transforms');
  const algs = transforms ? dsChildren(transforms, 'Transform').map((t) => t.getAttribute('Algorithm') ?? '') : [];
  if (transforms && elementChildren(transforms).length !== algs.length) return false;
  // Enveloped first (the signature sits inside what it signs), then at most one canonicalization.
  if (algs[0] !== ENVELOPED || algs.length > 2 || (algs.length === 2 && !CANONICALIZERS[algs[1]])) return false;
  const refC14n = algs[1] ? (WITHOUT_COMMENTS[algs[1]] ?? algs[1]) : C14N;
  const digestHash = DIGEST_HASH[onlyDsChild(ref, 'DigestMethod')?.getAttribute('Algorithm') ?? ''];
  const digestValue = b64(onlyDsChild(ref, 'DigestValue')?.textContent);
  const signatureValue = b64(onlyDsChild(sig, 'SignatureValue')?.textContent);
  const certificate = b64(onlyDsChild(onlyDsChild(onlyDsChild(sig, 'KeyInfo'), 'X509Data'), 'X509Certificate')?.textContent);
  if (!digestHash || !digestValue || !signatureValue || !certificate) return false;

  // SignedInfo first, in place (its ancestors' namespaces are part of its canonical form).
  const signedInfoC14n = CANONICALIZERS[c14nAlg]().process(signedInfo as unknown as globalThis.Node, {
    ancestorNamespaces: ancestorNamespaces(signedInfo),
    defaultNsForPrefix: DEFAULT_NS_FOR_PREFIX,
  }) as string;
  if (!rsaVerify(hashForSignature, Buffer.from(signedInfoC14n, 'utf8'), publicKeyOf(certificate), Buffer.from(signatureValue, 'base64'))) {
    return false;
  }

  // Enveloped-signature transform: the document without the signature, then put back where it was.
  const parent = sig.parentNode as Element;
  const next = sig.nextSibling;
  parent.removeChild(sig);
  let documentC14n: string;
  try {
    documentC14n = CANONICALIZERS[refC14n]().process(root as unknown as globalThis.Node, {
      ancestorNamespaces: [],
      defaultNsForPrefix: DEFAULT_NS_FOR_PREFIX,
    }) as string;
  } finally {
    parent.insertBefore(sig as unknown as XNode, next);
  }
  const digest = createHash(digestHash).update(documentC14n, 'utf8').digest();
  const expected = Buffer.from(digestValue, 'base64');
  return expected.length === digest.length && expected.equals(digest);
}

// ---- CDR signing from a template ---------------------------------------------------------------------------------

interface SigningKey {
  key: KeyObject;
  certBase64: string;
}
const signingKeys = new WeakMap<SimulatorIdentity, SigningKey>();
function signingKeyOf(id: SimulatorIdentity): SigningKey {
  let k = signingKeys.get(id);
  if (!k) {
    const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(id.certPem);
    if (!m) throw new Error('certificado del simulador no está en PEM');
    k = { key: createPrivateKey(id.keyPem), certBase64: m[1].replace(/\s+/g, '') };
    signingKeys.set(id, k);
  }
  return k;
}

/** Text content as C14N writes it: a template built with this is already canonical. */
export function c14nText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' })[c]!);
}

/**
 * A document template in canonical form: `open` is the root start tag with its namespace declarations sorted by
 * prefix (they must include ds), `before`/`after` the content around the empty signature slot, and `close` the end
 * tag. Every text must have gone through c14nText and no element may be self-closed.
 */
export interface CanonicalTemplate {
  /** Namespace declarations of the root, sorted by prefix, e.g. [['ar', '…'], ['ds', DSIG]]. */
  namespaces: Array<[string, string]>;
  rootName: string;
  before: string;
  after: string;
}

/**
 * Signs a canonical template enveloped (RSA-SHA256, SHA-256 digest, inclusive C14N, URI=""), placing the signature
 * between `before` and `after`. No parsing: the template is its own canonical form.
 */
export function signCanonicalTemplate(t: CanonicalTemplate, id: SimulatorIdentity, signatureId = 'SignSUNAT'): string {
  const k = signingKeyOf(id);
  const nsAttrs = t.namespaces.map(([p, uri]) => ` xmlns:${p}="${uri}"`).join('');
  const open = `<${t.rootName}${nsAttrs}>`;
  const close = `</${t.rootName}>`;
  const digest = createHash('sha256').update(open + t.before + t.after + close, 'utf8').digest('base64');
  const signedInfoBody =
    `<ds:CanonicalizationMethod Algorithm="${C14N}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"></ds:SignatureMethod>` +
    `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"></ds:Transform>` +
    `<ds:Transform Algorithm="${C14N}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  // As the apex of a subset, SignedInfo carries every namespace in scope (all declared on the root).
  const signedInfoC14n = `<ds:SignedInfo${nsAttrs}>${signedInfoBody}</ds:SignedInfo>`;
  const value = rsaSign('sha256', Buffer.from(signedInfoC14n, 'utf8'), k.key).toString('base64');
  const signature =
    `<ds:Signature Id="${signatureId}"><ds:SignedInfo>${signedInfoBody}</ds:SignedInfo>` +
    `<ds:SignatureValue>${value}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${k.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`;
  return `<?xml version="1.0" encoding="UTF-8"?>${open}${t.before}${signature}${t.after}${close}`;
}
