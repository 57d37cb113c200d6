// Enveloped XMLDSig as SUNAT verifies it (DESIGN §5): RSA-SHA1, SHA-1 digest, inclusive C14N, Reference URI="",
// X.509 certificate in KeyInfo, signature placed in the pre-created empty ext:ExtensionContent.
import { createHash, createPrivateKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { C14nCanonicalization, SignedXml } from 'xml-crypto';
import { DEFAULT_SIGNATURE_ID } from './ubl/common';

export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const C14N_ALGORITHM = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
export const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
export const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** What signing needs; a caller may pass a parsed key to skip PEM parsing on every document. */
export interface SigningCertificate {
  certPem: string;
  privateKeyPem: string;
  privateKey?: KeyObject;
}

export class SignatureError extends Error {}

// The empty signature slot the UBL builders emit (self-closing or as an empty pair).
const SLOT_RE = /<((?:[A-Za-z_][\w.-]*:)?ExtensionContent)(\s*\/>|\s*><\/\1>)/;

const keyCache = new Map<string, KeyObject>();

function privateKeyOf(cert: SigningCertificate): KeyObject {
  if (cert.privateKey) return cert.privateKey;
  let key = keyCache.get(cert.privateKeyPem);
  if (!key) {
    key = createPrivateKey(cert.privateKeyPem);
    // A POS signs with one certificate at a time; keep the cache tiny.
    if (keyCache.size > 4) keyCache.clear();
    keyCache.set(cert.privateKeyPem, key);
  }
  return key;
}

/** Base64 body of the first certificate of a PEM, on one line. */
export function certificateBase64(certPem: string): string {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(certPem);
  if (!m) throw new SignatureError('El certificado no está en formato PEM.');
  return m[1].replace(/\s+/g, '');
}

function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
}

/** Namespace declarations in scope at `node` (nearest wins), as C14N renders them on a subset's apex. */
function namespacesInScope(node: Element): Map<string, string> {
  const found = new Map<string, string>();
  for (let n: Element | null = node; n && n.nodeType === 1; n = n.parentNode as Element | null) {
    const attrs = n.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
        if (!found.has(prefix)) found.set(prefix, a.value);
      }
    }
  }
  return found;
}

function findSlot(doc: Document): Element {
  const all = doc.getElementsByTagNameNS('urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2', 'ExtensionContent');
  for (let i = 0; i < all.length; i++) {
    const e = all.item(i)!;
    if (!e.firstChild) return e;
  }
  throw new SignatureError('El XML no tiene el espacio vacío para la firma (ext:ExtensionContent).');
}

function signedInfoBody(digestValue: string): string {
  return (
    `<ds:CanonicalizationMethod Algorithm="${C14N_ALGORITHM}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${RSA_SHA1}"></ds:SignatureMethod>` +
    `<ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="${ENVELOPED}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${SHA1}"></ds:DigestMethod><ds:DigestValue>${digestValue}</ds:DigestValue></ds:Reference>`
  );
}

const c14n = new C14nCanonicalization();

/** The few DOM members the tree canonicalizer reads (ubl/tree.ts provides them; so does a parsed DOM). */
export interface TreeNode {
  nodeType: number;
  prefix?: string | null;
  localName?: string | null;
  namespaceURI?: string | null;
  data?: string;
  attributes?: { length: number; item(i: number): { name: string; prefix: string | null; localName: string; value: string } | null };
  childNodes: { length: number; item(i: number): TreeNode | null };
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;' };

/**
 * Inclusive C14N of a freshly built tree, without re-parsing its text (parsing is most of the signing time).
 * Returns null for anything whose parsed form could differ from the tree — a carriage return in text, a tab or
 * line break in an attribute (parsers normalise those), comments, CDATA, prefixed attributes — and the caller
 * then canonicalizes the parsed text instead.
 */
export function canonicalizeTree(root: TreeNode): string | null {
  const out: string[] = [];
  const walk = (node: TreeNode, inherited: Map<string, string>): boolean => {
    if (node.nodeType === 3) {
      const t = node.data ?? '';
      if (t.includes('\r')) return false;
      out.push(t.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]));
      return true;
    }
    if (node.nodeType !== 1) return false;
    const qname = node.prefix ? `${node.prefix}:${node.localName}` : (node.localName ?? '');
    const nsDecls: [string, string][] = [];
    const attrs: [string, string][] = [];
    let scope = inherited;
    const list = node.attributes;
    for (let i = 0; list && i < list.length; i++) {
      const a = list.item(i)!;
      if (/[\t\n\r]/.test(a.value)) return false;
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
        // A declaration equal to the one already in scope is superfluous and C14N drops it.
        if (scope.get(prefix) === a.value || (prefix === '' && a.value === '' && !scope.has(''))) continue;
        if (scope === inherited) scope = new Map(inherited);
        scope.set(prefix, a.value);
        nsDecls.push([prefix, a.value]);
      } else {
        if (a.prefix) return false;
        attrs.push([a.name, a.value]);
      }
    }
    // The serializer declares the element's own namespace where the tree only records it (e.g. the root's default).
    const ownPrefix = node.prefix ?? '';
    const ownUri = node.namespaceURI ?? '';
    if (ownPrefix && !ownUri) return false;
    if ((scope.get(ownPrefix) ?? '') !== ownUri) {
      if (scope === inherited) scope = new Map(inherited);
      scope.set(ownPrefix, ownUri);
      nsDecls.push([ownPrefix, ownUri]);
    }
    nsDecls.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    attrs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let open = `<${qname}`;
    for (const [p, v] of nsDecls) open += `${p ? ` xmlns:${p}` : ' xmlns'}="${v.replace(/[&<"]/g, (c) => ATTR_ESCAPES[c])}"`;
    for (const [n, v] of attrs) open += ` ${n}="${v.replace(/[&<"]/g, (c) => ATTR_ESCAPES[c])}"`;
    out.push(open + '>');
    const kids = node.childNodes;
    for (let i = 0; i < kids.length; i++) if (!walk(kids.item(i)!, scope)) return false;
    out.push(`</${qname}>`);
    return true;
  };
  return walk(root, new Map()) ? out.join('') : null;
}

/** Namespace declarations of an element (a ubl/tree.ts root), as prefix → URI. */
function declaredNamespaces(root: TreeNode): Map<string, string> {
  const found = new Map<string, string>();
  if (root.namespaceURI) found.set(root.prefix ?? '', root.namespaceURI);
  const list = root.attributes;
  for (let i = 0; list && i < list.length; i++) {
    const a = list.item(i)!;
    if (a.name === 'xmlns') found.set('', a.value);
    else if (a.name.startsWith('xmlns:')) found.set(a.name.slice(6), a.value);
  }
  return found;
}

/** What a caller that built the document itself may hand over to skip parsing it again. */
export interface Precomputed {
  /** Inclusive C14N of the whole unsigned document (slot empty). */
  canonicalDocument: string;
  /** Namespaces in scope at the signature slot. */
  namespaces: Map<string, string>;
}

/** Signs the text of a document built as a ubl/tree.ts tree whose root declares every namespace. */
export function signBuiltXml(xml: string, root: TreeNode, cert: SigningCertificate, signatureId = DEFAULT_SIGNATURE_ID): { xml: string; digestValue: string } {
  const canonicalDocument = canonicalizeTree(root);
  if (canonicalDocument === null) return signXml(xml, cert, signatureId);
  return signXml(xml, cert, signatureId, { canonicalDocument, namespaces: declaredNamespaces(root) });
}

/**
 * Signs a UBL document. The XML text is kept byte for byte; only the signature is inserted into the slot,
 * so the digest (the "hash" printed on the ticket) is of exactly what is sent.
 */
export function signXml(
  xml: string,
  cert: SigningCertificate,
  signatureId: string = DEFAULT_SIGNATURE_ID,
  precomputed?: Precomputed,
): { xml: string; digestValue: string } {
  const slotMatch = SLOT_RE.exec(xml);
  if (!slotMatch) throw new SignatureError('El XML no tiene el espacio vacío para la firma (ext:ExtensionContent).');
  let canonicalDocument: string;
  let ns: Map<string, string>;
  if (precomputed) {
    canonicalDocument = precomputed.canonicalDocument;
    ns = new Map(precomputed.namespaces);
  } else {
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const root = doc.documentElement;
    if (!root) throw new SignatureError('El XML a firmar no es válido.');
    // Reference URI="" with the enveloped transform: the whole document without the (still absent) signature.
    canonicalDocument = c14n.process(root as unknown as globalThis.Node, { ancestorNamespaces: [] }) as string;
    ns = namespacesInScope(findSlot(doc));
  }
  const digestValue = createHash('sha1').update(canonicalDocument, 'utf8').digest('base64');

  // SignedInfo is canonicalized as part of the document: it carries every namespace in scope at the slot.
  ns.set('ds', DSIG_NS);
  const decls = [...ns.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([prefix, uri]) => (prefix ? ` xmlns:${prefix}="${escapeAttr(uri)}"` : uri ? ` xmlns="${escapeAttr(uri)}"` : ''))
    .join('');
  const body = signedInfoBody(digestValue);
  const canonicalSignedInfo = `<ds:SignedInfo${decls}>${body}</ds:SignedInfo>`;
  const signatureValue = rsaSign('sha1', Buffer.from(canonicalSignedInfo, 'utf8'), privateKeyOf(cert)).toString('base64');

  const signature =
    `<ds:Signature xmlns:ds="${DSIG_NS}" Id="${escapeAttr(signatureId)}">` +
    `<ds:SignedInfo>${body}</ds:SignedInfo>` +
    `<ds:SignatureValue>${signatureValue}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBase64(cert.certPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `</ds:Signature>`;
  const tag = slotMatch[1];
  const signed = xml.slice(0, slotMatch.index) + `<${tag}>${signature}</${tag}>` + xml.slice(slotMatch.index + slotMatch[0].length);
  return { xml: signed, digestValue };
}

export interface VerifyResult {
  valid: boolean;
  digestValue?: string;
  signatureId?: string;
  error?: string;
}

/** Verifies the enveloped signature with the embedded certificate (xml-crypto, independent of signXml). */
export function verifyXml(xml: string): VerifyResult {
  try {
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const sigs = doc.getElementsByTagNameNS(DSIG_NS, 'Signature');
    if (sigs.length !== 1) return { valid: false, error: sigs.length ? 'más de una firma' : 'sin firma' };
    const sigNode = sigs.item(0)!;
    const certNode = sigNode.getElementsByTagNameNS(DSIG_NS, 'X509Certificate').item(0);
    const digestNode = sigNode.getElementsByTagNameNS(DSIG_NS, 'DigestValue').item(0);
    if (!certNode?.textContent) return { valid: false, error: 'sin certificado' };
    const b64 = certNode.textContent.replace(/\s+/g, '');
    const pem = `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    const verifier = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(sigNode as unknown as globalThis.Node);
    const valid = verifier.checkSignature(xml);
    return { valid, digestValue: digestNode?.textContent ?? undefined, signatureId: sigNode.getAttribute('Id') ?? undefined };
  } catch (e) {
    return { valid: false, error: (e as Error).message };
  }
}
