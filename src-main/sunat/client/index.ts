// SUNAT SOAP client: every call returns a typed outcome and never throws.
import http from 'node:http';
import https from 'node:https';
import { classifyCode, normaliseFaultCode, TRANSPORT_TABLE, type FaultAction, type TransportClass } from '../faults';
import { CdrError, readCdr, type Cdr, type CdrNote } from '../cdr';
import { sunatMessage } from '../error-texts';
import { buildEnvelope, parseSoapResponse, soapAction, SoapParseError, type Operation, type SoapAnswer } from './soap';
import { postXml, type TransportResult } from './transport';
import type { Endpoints } from './endpoints';

export * from './endpoints';

export type FailureClass =
  | 'network_before_send'
  | 'ambiguous'
  | 'sunat_fault'
  | 'http_error'
  | 'empty_body'
  | 'html_page'
  | 'unreadable';

export interface Failure {
  kind: 'failure';
  classification: FailureClass;
  action: FaultAction;
  /** True when SUNAT may hold the document: reconcile with getStatusCdr before any resend. */
  mayHaveLanded: boolean;
  /** Four-digit SUNAT code (sunat_fault only; null for a code-less fault). */
  code?: string | null;
  /** What SUNAT or the network said, in Spanish; never contains credentials. */
  message: string;
  httpStatus?: number;
  elapsedMs: number;
}

export interface CdrOutcome {
  kind: 'accepted' | 'observed' | 'rejected';
  responseCode: string;
  description: string;
  notes: CdrNote[];
  action: FaultAction;
  cdr: Cdr;
  cdrZip: Uint8Array;
  elapsedMs: number;
}

export type SunatOutcome =
  | CdrOutcome
  | { kind: 'ticket'; ticket: string; elapsedMs: number }
  | { kind: 'pending'; ticket: string; elapsedMs: number }
  | { kind: 'not_found'; code: string; message: string; elapsedMs: number }
  | Failure;

export interface SunatClientOptions {
  endpoints: Endpoints;
  ruc: string;
  solUser: string;
  solPassword: string;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
  /** Extra CA (PEM) to trust, for tests against a local HTTPS server. TLS verification is never turned off. */
  ca?: string | Buffer | Array<string | Buffer>;
  /**
   * Reuse connections (default false). A kept-alive socket the server already closed fails only once the
   * request is on it, which would look like "may have landed"; a fresh connection per call keeps
   * "nothing sent" exact, and SUNAT volumes make the extra handshake cheap.
   */
  keepAlive?: boolean;
  /** Told the HTTP `Date` of every answer that arrived (the clock check compares the PC's clock with it). */
  onDate?: (httpDate: string | undefined) => void;
}

export interface SunatClient {
  sendBill(fileName: string, zipBytes: Uint8Array): Promise<SunatOutcome>;
  sendSummary(fileName: string, zipBytes: Uint8Array): Promise<SunatOutcome>;
  getStatus(ticket: string): Promise<SunatOutcome>;
  getStatusCdr(ruc: string, type: string, series: string, number: number | string): Promise<SunatOutcome>;
  close(): void;
}

function failure(classification: FailureClass, message: string, elapsedMs: number, extra: Partial<Failure> = {}): Failure {
  const row = TRANSPORT_TABLE[classification as TransportClass];
  return {
    kind: 'failure',
    classification,
    action: row?.action ?? 'retry',
    mayHaveLanded: row?.mayHaveLanded ?? true,
    message,
    elapsedMs,
    ...extra,
  };
}

/** Outcome of a CDR, from its ResponseCode alone (DESIGN §3.3). */
export function outcomeFromCdr(zip: Uint8Array, elapsedMs: number): SunatOutcome {
  let cdr: Cdr;
  try {
    cdr = readCdr(zip);
  } catch (e) {
    const msg = e instanceof CdrError ? e.message : 'CDR ilegible';
    return failure('unreadable', `SUNAT respondió pero ${msg}`, elapsedMs);
  }
  const c = classifyCode(cdr.responseCode);
  const n = Number.parseInt(c.code, 10);
  const base = { responseCode: c.code, description: cdr.description, notes: cdr.notes, action: c.action, cdr, cdrZip: zip, elapsedMs };
  if (c.action === 'accepted') return { kind: cdr.notes.length > 0 || n >= 4000 ? 'observed' : 'accepted', ...base };
  if (n >= 2000) return { kind: 'rejected', ...base };
  // An exception code inside a CDR (e.g. 0109): SUNAT did not process the document.
  return failure('sunat_fault', cdr.description || sunatMessage(c.code), elapsedMs, {
    code: c.code,
    action: c.action,
    mayHaveLanded: false,
  });
}

function faultOutcome(answer: Extract<SoapAnswer, { type: 'fault' }>, status: number, elapsedMs: number): Failure {
  const code = normaliseFaultCode(answer.faultcode, answer.faultstring);
  const text = answer.faultstring || answer.detail;
  if (code === null) {
    return failure('sunat_fault', text || 'SUNAT devolvió un error sin código', elapsedMs, {
      code: null,
      action: TRANSPORT_TABLE.codeless_fault.action,
      mayHaveLanded: TRANSPORT_TABLE.codeless_fault.mayHaveLanded,
      httpStatus: status,
    });
  }
  const c = classifyCode(code);
  return failure('sunat_fault', text && text !== code ? text : sunatMessage(code), elapsedMs, {
    code,
    action: c.action,
    mayHaveLanded: c.action === 'already_registered',
    httpStatus: status,
  });
}

function looksLikeHtml(res: Extract<TransportResult, { ok: true }>, text: string): boolean {
  const type = String(res.headers['content-type'] ?? '').toLowerCase();
  return type.includes('text/html') || /^\s*(<!doctype html|<html)/i.test(text);
}

function decodeBase64(value: string | undefined): Uint8Array | null {
  if (!value) return null;
  const bytes = Buffer.from(value.replace(/\s+/g, ''), 'base64');
  return bytes.length > 0 ? new Uint8Array(bytes) : null;
}

function interpret(op: Operation, res: TransportResult): SunatOutcome {
  if (!res.ok) {
    return res.sent
      ? failure('ambiguous', `El envío pudo haber llegado a SUNAT (${res.reason})`, res.elapsedMs)
      : failure('network_before_send', `No se pudo conectar con SUNAT: ${res.reason}`, res.elapsedMs);
  }
  const text = res.body.toString('utf8');
  if (text.trim() === '') {
    return res.status >= 200 && res.status < 300
      ? failure('empty_body', 'SUNAT respondió vacío', res.elapsedMs, { httpStatus: res.status })
      : failure('http_error', `SUNAT respondió HTTP ${res.status}`, res.elapsedMs, { httpStatus: res.status });
  }
  if (looksLikeHtml(res, text)) {
    return failure('html_page', `SUNAT respondió una página web (HTTP ${res.status}) en lugar de SOAP`, res.elapsedMs, {
      httpStatus: res.status,
    });
  }
  let answer: SoapAnswer;
  try {
    answer = parseSoapResponse(text);
  } catch (e) {
    if (res.status < 200 || res.status >= 300) {
      return failure('http_error', `SUNAT respondió HTTP ${res.status}`, res.elapsedMs, { httpStatus: res.status });
    }
    const msg = e instanceof SoapParseError ? e.message : 'respuesta ilegible';
    return failure('unreadable', `No se pudo leer la respuesta de SUNAT: ${msg}`, res.elapsedMs, { httpStatus: res.status });
  }
  if (answer.type === 'fault') return faultOutcome(answer, res.status, res.elapsedMs);
  if (res.status < 200 || res.status >= 300) {
    return failure('http_error', `SUNAT respondió HTTP ${res.status}`, res.elapsedMs, { httpStatus: res.status });
  }
  const f = answer.fields;
  switch (op) {
    case 'sendBill': {
      const zip = decodeBase64(f.applicationResponse);
      return zip ? outcomeFromCdr(zip, res.elapsedMs) : failure('unreadable', 'SUNAT no devolvió el CDR', res.elapsedMs);
    }
    case 'sendSummary':
      return f.ticket
        ? { kind: 'ticket', ticket: f.ticket, elapsedMs: res.elapsedMs }
        : failure('unreadable', 'SUNAT no devolvió el ticket', res.elapsedMs);
    case 'getStatus': {
      const code = (f.statusCode ?? '').trim();
      if (code === '98') return { kind: 'pending', ticket: '', elapsedMs: res.elapsedMs };
      const zip = decodeBase64(f.content);
      if (zip) return outcomeFromCdr(zip, res.elapsedMs);
      const c = normaliseFaultCode(null, code);
      return c
        ? faultOutcome({ type: 'fault', faultcode: c, faultstring: f.statusMessage ?? '', detail: '' }, res.status, res.elapsedMs)
        : failure('unreadable', 'La consulta del ticket no trajo estado', res.elapsedMs);
    }
    case 'getStatusCdr': {
      const zip = decodeBase64(f.content);
      if (zip) return outcomeFromCdr(zip, res.elapsedMs);
      const code = normaliseFaultCode(null, f.statusCode ?? '') ?? '';
      return { kind: 'not_found', code, message: f.statusMessage || sunatMessage(code), elapsedMs: res.elapsedMs };
    }
  }
}

export function createSunatClient(opts: SunatClientOptions): SunatClient {
  const creds = { username: `${opts.ruc}${opts.solUser}`, password: opts.solPassword };
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const responseTimeoutMs = opts.responseTimeoutMs ?? 60_000;
  const keepAlive = opts.keepAlive ?? false;
  const agents = {
    http: new http.Agent({ keepAlive, maxSockets: 32 }),
    // TLS verification always on (rejectUnauthorized is never false; `ca` only adds trust, for tests).
    https: new https.Agent({ keepAlive, maxSockets: 32, rejectUnauthorized: true }),
  };

  async function call(op: Operation, url: string, values: Record<string, string>): Promise<SunatOutcome> {
    try {
      const envelope = buildEnvelope(op, values, creds);
      const agent = url.startsWith('https:') ? agents.https : agents.http;
      const res = await postXml(
        url,
        envelope,
        { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction(op)}"`, Accept: 'text/xml' },
        { connectTimeoutMs, responseTimeoutMs, ca: opts.ca, agent },
      );
      if (res.ok) opts.onDate?.(typeof res.headers.date === 'string' ? res.headers.date : undefined);
      const out = interpret(op, res);
      if (op === 'getStatus' && out.kind === 'pending') return { ...out, ticket: values.ticket };
      return out;
    } catch (e) {
      // A bug here must not crash the runner; the message cannot hold the password (it never reaches errors).
      return failure('unreadable', `Error interno del cliente SUNAT: ${(e as Error).message}`, 0);
    }
  }

  return {
    sendBill: (fileName, zip) =>
      call('sendBill', opts.endpoints.billService, { fileName, contentFile: Buffer.from(zip).toString('base64') }),
    sendSummary: (fileName, zip) =>
      call('sendSummary', opts.endpoints.billService, { fileName, contentFile: Buffer.from(zip).toString('base64') }),
    getStatus: (ticket) => call('getStatus', opts.endpoints.billService, { ticket }),
    getStatusCdr: (ruc, type, series, number) =>
      call('getStatusCdr', opts.endpoints.consultService, {
        rucComprobante: ruc,
        tipoComprobante: type,
        serieComprobante: series,
        numeroComprobante: String(Number.parseInt(String(number), 10)),
      }),
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
