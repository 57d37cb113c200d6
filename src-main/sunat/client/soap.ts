// SOAP 1.1 envelopes for SUNAT's billService / billConsultService, and the reading of their answers.
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SUNAT_SERVICE_NS = 'http://service.sunat.gob.pe';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

/** Operation → its input elements, in the WSDL's order (the WSDL test pins these against SUNAT's files). */
export const OPERATIONS = {
  sendBill: ['fileName', 'contentFile'],
  sendSummary: ['fileName', 'contentFile'],
  getStatus: ['ticket'],
  getStatusCdr: ['rucComprobante', 'tipoComprobante', 'serieComprobante', 'numeroComprobante'],
} as const;
export type Operation = keyof typeof OPERATIONS;

export function soapAction(op: Operation): string {
  return `urn:${op}`;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export interface Credentials {
  /** RUC + SOL user, e.g. "20123456789MODDATOS". */
  username: string;
  password: string;
}

export function buildEnvelope(op: Operation, values: Record<string, string>, creds: Credentials): string {
  const body = OPERATIONS[op].map((name) => `<${name}>${escapeXml(values[name] ?? '')}</${name}>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV_NS}" xmlns:ser="${SUNAT_SERVICE_NS}" xmlns:wsse="${WSSE_NS}">` +
    `<soapenv:Header><wsse:Security><wsse:UsernameToken>` +
    `<wsse:Username>${escapeXml(creds.username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_TEXT}">${escapeXml(creds.password)}</wsse:Password>` +
    `</wsse:UsernameToken></wsse:Security></soapenv:Header>` +
    `<soapenv:Body><ser:${op}>${body}</ser:${op}></soapenv:Body></soapenv:Envelope>`
  );
}

export type SoapAnswer =
  | { type: 'fault'; faultcode: string; faultstring: string; detail: string }
  | { type: 'result'; operation: string; fields: Record<string, string> };

export class SoapParseError extends Error {}

function firstElement(parent: Node | null | undefined): Element | undefined {
  for (let n = parent?.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return n as Element;
  return undefined;
}

function childByLocal(parent: Element | undefined, local: string): Element | undefined {
  for (let n = parent?.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === local) return n as Element;
  }
  return undefined;
}

/** Leaf texts under the response element, flattened one level (status/content → content). */
function collectFields(el: Element, out: Record<string, string>): void {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const c = n as Element;
    if (firstElement(c)) collectFields(c, out);
    else out[c.localName ?? ''] = (c.textContent ?? '').trim();
  }
}

export function parseSoapResponse(xml: string): SoapAnswer {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(
    xml,
    'text/xml',
  );
  const env = doc.documentElement;
  if (errors.length > 0 || !env) throw new SoapParseError(`respuesta SOAP ilegible: ${errors[0] ?? 'vacía'}`);
  if (env.localName !== 'Envelope' || env.namespaceURI !== SOAP_ENV_NS) throw new SoapParseError('no es un sobre SOAP 1.1');
  const body = childByLocal(env, 'Body');
  const first = firstElement(body);
  if (!first) throw new SoapParseError('sobre SOAP sin contenido');
  if (first.localName === 'Fault') {
    const detail = childByLocal(first, 'detail');
    return {
      type: 'fault',
      faultcode: (childByLocal(first, 'faultcode')?.textContent ?? '').trim(),
      faultstring: (childByLocal(first, 'faultstring')?.textContent ?? '').trim(),
      detail: (detail?.textContent ?? '').trim(),
    };
  }
  const fields: Record<string, string> = {};
  collectFields(first, fields);
  return { type: 'result', operation: first.localName ?? '', fields };
}

/** Parses an incoming request (used by the simulator). */
export function parseSoapRequest(xml: string): {
  operation: string;
  username: string | null;
  password: string | null;
  fields: Record<string, string>;
} {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => void (level !== 'warning' && errors.push(msg)) }).parseFromString(
    xml,
    'text/xml',
  );
  const env = doc.documentElement;
  if (errors.length > 0 || !env || env.localName !== 'Envelope') throw new SoapParseError('solicitud SOAP ilegible');
  const header = childByLocal(env, 'Header');
  const token = childByLocal(childByLocal(header, 'Security'), 'UsernameToken');
  const body = childByLocal(env, 'Body');
  const op = firstElement(body);
  if (!op) throw new SoapParseError('solicitud SOAP sin operación');
  const fields: Record<string, string> = {};
  for (let n = op.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) fields[(n as Element).localName ?? ''] = (n.textContent ?? '').trim();
  }
  return {
    operation: op.localName ?? '',
    username: token ? (childByLocal(token, 'Username')?.textContent ?? '').trim() : null,
    password: token ? (childByLocal(token, 'Password')?.textContent ?? '') : null,
    fields,
  };
}
