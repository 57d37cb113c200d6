// A local SUNAT: same paths, same SOAP, same checks and codes, signed CDRs, and faults on demand.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { BETA_PATHS, PRODUCTION_PATHS } from '../client/endpoints';
import { escapeXml, parseSoapRequest, SUNAT_SERVICE_NS } from '../client/soap';
import { sunatMessage } from '../error-texts';
import { buildCdrZip } from './cdr-writer';
import { emptyState, loadState, saveState, type LedgerEntry, type SimState } from './state';
import { judgeSummary, type SummaryEffect } from './summary-rules';
import { checkBill, extractSingleXml, parseZipName, readSummary, SunatException, type CheckResult, type NoteReference } from './validate';
import { Dec } from '../../../src-shared/decimal';
import { createSimulatorIdentity, type SimulatorIdentity } from './xmlsig';
import { simulatorWsdl } from './wsdl';

export interface SimulatorFaults {
  /** Stop listening (connection refused); `false` listens again on the same port. */
  down?: boolean;
  /** With `down`, listen again by itself after this long (the control endpoint is down too). */
  downForMs?: number;
  status503?: boolean;
  latencyMs?: number;
  /** Answer this SUNAT fault instead of processing, with probability `rate` (default 1). */
  faultCode?: string;
  rate?: number;
  /** Process and record the document, then cut the connection without answering. */
  resetAfterProcessing?: boolean;
  empty200?: boolean;
  html502?: boolean;
  /**
   * sendBill refuses every note on a boleta (series B…) with 1079, "Solo puede enviar el comprobante en un resumen
   * diario" — what SUNAT answers for a note sent alone after its deadline; the note is taken in a daily summary.
   */
  boletaNotesInSummary?: boolean;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  /** username (RUC + SOL user) → password. Default: any RUC with MODDATOS / moddatos, like SUNAT beta. */
  users?: Record<string, string>;
  summaryDelayMs?: number;
  faults?: SimulatorFaults;
  identity?: SimulatorIdentity;
  /** Serve HTTPS with this key and certificate (PEM), as SUNAT does; plain HTTP without it. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The simulator's clock: reception date for deadlines (voids within 7 days) and CDR times. Default: real time. */
  now?: () => Date;
}

/** A ledger row as tests and `GET /__sim/ledger` see it: the CDR bytes stay inside. */
export type LedgerView = Omit<LedgerEntry, 'cdrZip'> & { hasCdr: boolean };

export interface SimulatorStats {
  requests: number;
  /** Time spent inside the simulator (parse, checks, signature, CDR), excluding injected latency. */
  processingMs: number;
  /** From a request's arrival to its answer written, injected latency included: the simulator's own share of a call. */
  wallMs: number;
}

export interface Simulator {
  url: string;
  port: number;
  close(): Promise<void>;
  ledger(): LedgerView[];
  setFaults(f: SimulatorFaults): Promise<void>;
  stats(): SimulatorStats;
  reset(): void;
}

const BILL_PATHS = new Set<string>([PRODUCTION_PATHS.billService, BETA_PATHS.billService]);
const CONSULT_PATHS = new Set<string>([PRODUCTION_PATHS.consultService, BETA_PATHS.consultService]);
const MAX_BODY = 20 * 1024 * 1024;

function envelope(inner: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/>` +
    `<soap-env:Body>${inner}</soap-env:Body></soap-env:Envelope>`
  );
}

/** SUNAT writes "Client.0102" for caller errors and "Server.200" (zeros lost) for its own. */
export function faultXml(code: string): string {
  const n = Number.parseInt(code, 10);
  const faultcode = n >= 200 && n < 300 ? `soap-env:Server.${n}` : `soap-env:Client.${code}`;
  return envelope(
    `<soap-env:Fault><faultcode>${faultcode}</faultcode><faultstring>${escapeXml(sunatMessage(code))}</faultstring></soap-env:Fault>`,
  );
}

function result(op: string, inner: string): string {
  return envelope(`<br:${op}Response xmlns:br="${SUNAT_SERVICE_NS}">${inner}</br:${op}Response>`);
}

function defaultUserOk(username: string, password: string): boolean {
  return /^\d{11}MODDATOS$/.test(username) && password === 'moddatos';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** YYYY-MM-DD in Lima (UTC−5 all year, no daylight saving). */
function limaDate(d: Date): string {
  return new Date(d.getTime() - 5 * 3600_000).toISOString().slice(0, 10);
}

/** billConsultService getStatus: whether a factura or note exists and in which state. */
const CONSULT_STATUS: Record<string, [string, string]> = {
  accepted: ['0001', 'El comprobante existe y está aceptado.'],
  observed: ['0001', 'El comprobante existe y está aceptado.'],
  rejected: ['0002', 'El comprobante existe pero está rechazado.'],
  voided: ['0003', 'El comprobante existe pero está de baja.'],
};

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? ((): Date => new Date());
  const identity = opts.identity ?? createSimulatorIdentity();
  let state: SimState = loadState(opts.stateFile);
  let faults: SimulatorFaults = { ...(opts.faults ?? {}) };
  const summaryDelayMs = opts.summaryDelayMs ?? 2000;
  const stats: SimulatorStats = { requests: 0, processingMs: 0, wallMs: 0 };
  const sockets = new Set<Socket>();
  let ticketSeq = 0;
  let listening = false;
  let restoreTimer: NodeJS.Timeout | undefined;

  const credentialsOk = (username: string, password: string): boolean =>
    opts.users ? opts.users[username] === password : defaultUserOk(username, password);

  const persist = (): void => saveState(opts.stateFile, state);

  function touch(id: string): LedgerEntry {
    const at = now().toISOString();
    const e = (state.documents[id] ??= {
      id,
      submissions: 0,
      accepted: 0,
      status: 'exception',
      responseCode: '',
      firstAt: at,
      lastAt: at,
    });
    e.submissions += 1;
    e.lastAt = at;
    return e;
  }

  function record(entry: LedgerEntry, check: CheckResult, ruc: string, type: string, baseName: string): Uint8Array {
    const responseCode = check.ok ? '0' : check.error;
    const { zip } = buildCdrZip(
      { ruc, type, docId: check.docId, recipient: check.recipient, responseCode, observations: check.ok ? check.observations : [], now: now() },
      identity,
      baseName,
    );
    entry.responseCode = responseCode;
    entry.status = check.ok ? (check.observations.length > 0 ? 'observed' : 'accepted') : 'rejected';
    if (check.ok) entry.accepted += 1;
    if (check.ok && check.issueDate) entry.issueDate = check.issueDate;
    if (check.ok && check.total) entry.total = check.total;
    if (check.ok && check.creditPending) entry.creditPending = check.creditPending;
    entry.cdrZip = Buffer.from(zip).toString('base64');
    return zip;
  }

  function sendBill(userRuc: string, fields: Record<string, string>): string {
    const name = parseZipName(fields.fileName ?? '', 'sendBill');
    if (name.ruc !== userRuc) throw new SunatException('0154');
    const id = `${name.ruc}-${name.type}-${name.series}-${Number(name.number)}`;
    const entry = touch(id);
    try {
      const xml = extractSingleXml(fields.contentFile ?? '', name);
      const check = noteRules(checkBill(xml, name), name.ruc, name.type);
      // A number SUNAT already holds is never processed twice.
      if (entry.status === 'accepted' || entry.status === 'observed') throw new SunatException('1033');
      if (entry.status === 'rejected' || entry.status === 'voided') throw new SunatException('1032');
      if (faults.boletaNotesInSummary && (name.type === '07' || name.type === '08') && name.series.startsWith('B')) throw new SunatException('1079');
      const zip = record(entry, check, name.ruc, name.type, name.base);
      if (check.ok && check.reference) entry.credits = { reference: refKey(name.ruc, check.reference), total: check.reference.payable.toFixed(2) };
      return result('sendBill', `<applicationResponse>${Buffer.from(zip).toString('base64')}</applicationResponse>`);
    } finally {
      persist();
    }
  }

  const refKey = (ruc: string, r: NoteReference) => `${ruc}-${r.type}-${r.series}-${r.number}`;

  /**
   * A note modifies a document SUNAT holds: not registered 2119/2209, rejected 2121/2208, voided 2120/2207. A credit
   * note may not take more than what is left of it after the credit notes accepted before (SUNAT: 3286 on a factura,
   * an observation 4028 on a boleta; ±1 céntimo of tolerance). A note of code 13 (total zero) restates the terms of
   * a factura on credit: 3260, 3320, 3321.
   */
  function noteRules(check: CheckResult, ruc: string, type: string): CheckResult {
    if (!check.ok || !check.reference) return check;
    const credit = type === '07';
    const reject = (error: string): CheckResult => ({ ok: false, error, docId: check.docId, recipient: check.recipient, issueDate: check.issueDate });
    const key = refKey(ruc, check.reference);
    const ref = state.documents[key];
    if (ref?.status === 'voided') return reject(credit ? '2120' : '2207');
    if (ref?.status === 'rejected') return reject(credit ? '2121' : '2208');
    if (!ref || (ref.status !== 'accepted' && ref.status !== 'observed')) return reject(credit ? '2119' : '2209');
    // A note of code 13 restates the terms of a factura on credit (3260): the pending amount at most the factura's
    // total (3320), every due date after the factura's issue date (3321).
    const terms = check.reference.terms;
    if (terms) {
      if (!ref.creditPending) return reject('3260');
      if (ref.total && terms.pending.gt(ref.total)) return reject('3320');
      if (ref.issueDate && terms.dueDates.some((d) => d <= ref.issueDate!)) return reject('3321');
    }
    if (!credit || !ref.total) return check; // a boleta known only from a daily summary: no total kept here
    const credited = Object.values(state.documents)
      .filter((d) => d.credits?.reference === key && (d.status === 'accepted' || d.status === 'observed'))
      .reduce((a, d) => a.plus(d.credits!.total), Dec.ZERO);
    if (check.reference.payable.gt(Dec.of(ref.total).minus(credited).plus('0.01'))) {
      if (check.reference.series.startsWith('F')) return reject('3286');
      return { ...check, observations: [...check.observations, '4028'] };
    }
    return check;
  }

  function sendSummary(userRuc: string, fields: Record<string, string>): string {
    const name = parseZipName(fields.fileName ?? '', 'sendSummary');
    if (name.ruc !== userRuc) throw new SunatException('0154');
    const id = name.base;
    const entry = touch(id);
    try {
      const xml = extractSingleXml(fields.contentFile ?? '', name);
      const summary = readSummary(xml, name);
      // "Ya fue presentado anteriormente": 2223 for a summary, 2324 for a voiding communication.
      if (entry.status !== 'exception') throw new SunatException(name.type === 'RA' ? '2324' : '2223');
      const { result: check, effects } = judgeSummary(summary, { lookup: (d) => state.documents[d], today: limaDate(now()) });
      const zip = record(entry, check, name.ruc, name.type, name.base);
      // Processed whole or not at all; the simulator applies it at once and only delays the answer.
      if (check.ok) applySummary(id, effects);
      const ticket = `${Date.now()}${String(++ticketSeq).padStart(4, '0')}`;
      state.tickets[ticket] = {
        ticket,
        id,
        readyAt: Date.now() + summaryDelayMs,
        statusCode: check.ok ? '0' : '99',
        cdrZip: Buffer.from(zip).toString('base64'),
      };
      return result('sendSummary', `<ticket>${ticket}</ticket>`);
    } finally {
      persist();
    }
  }

  function applySummary(summaryId: string, effects: SummaryEffect[]): void {
    const at = now().toISOString();
    for (const e of effects) {
      const doc = state.documents[e.id];
      if (e.change === 'add') {
        state.documents[e.id] = {
          id: e.id,
          submissions: doc?.submissions ?? 0,
          accepted: (doc?.accepted ?? 0) + 1,
          status: 'accepted',
          responseCode: '0',
          firstAt: doc?.firstAt ?? at,
          lastAt: at,
          issueDate: e.issueDate,
          reportedBy: summaryId,
        };
      } else if (doc) {
        doc.lastAt = at;
        if (e.change === 'void') {
          doc.status = 'voided';
          doc.voidedBy = summaryId;
        } else {
          doc.reportedBy = summaryId;
        }
      }
    }
  }

  function getStatus(fields: Record<string, string>): string {
    const t = state.tickets[(fields.ticket ?? '').trim()];
    if (!t) throw new SunatException('0127');
    if (Date.now() < t.readyAt) return result('getStatus', `<status><statusCode>98</statusCode></status>`);
    return result('getStatus', `<status><content>${t.cdrZip}</content><statusCode>${t.statusCode}</statusCode></status>`);
  }

  function getStatusCdr(userRuc: string, fields: Record<string, string>): string {
    const ruc = fields.rucComprobante ?? '';
    if (ruc !== userRuc) throw new SunatException('0154');
    const id = `${ruc}-${fields.tipoComprobante}-${fields.serieComprobante}-${Number(fields.numeroComprobante)}`;
    const e = state.documents[id];
    if (!e || e.status === 'exception' || !e.cdrZip) {
      return result('getStatusCdr', `<statusCdr><statusCode>0011</statusCode><statusMessage>${escapeXml(sunatMessage('0011'))}</statusMessage></statusCdr>`);
    }
    // "La constancia existe": the stored CDR, byte for byte what sendBill returned.
    return result(
      'getStatusCdr',
      `<statusCdr><content>${e.cdrZip}</content><statusCode>0004</statusCode><statusMessage>La constancia existe</statusMessage></statusCdr>`,
    );
  }

  function consultStatus(userRuc: string, fields: Record<string, string>): string {
    const ruc = fields.rucComprobante ?? '';
    if (ruc !== userRuc) throw new SunatException('0154');
    const id = `${ruc}-${fields.tipoComprobante}-${fields.serieComprobante}-${Number(fields.numeroComprobante)}`;
    const [code, message] = CONSULT_STATUS[state.documents[id]?.status ?? ''] ?? ['0011', 'El comprobante de pago electrónico no existe.'];
    return result('getStatus', `<status><statusCode>${code}</statusCode><statusMessage>${escapeXml(message)}</statusMessage></status>`);
  }

  function handleSoap(path: string, body: string): { status: number; xml: string } {
    try {
      let req: ReturnType<typeof parseSoapRequest>;
      try {
        req = parseSoapRequest(body);
      } catch {
        throw new SunatException('0305');
      }
      if (req.username === null || req.password === null) throw new SunatException('0101');
      if (!credentialsOk(req.username, req.password)) throw new SunatException('0102');
      const userRuc = req.username.slice(0, 11);
      const op = req.operation;
      if (BILL_PATHS.has(path)) {
        if (op === 'sendBill') return { status: 200, xml: sendBill(userRuc, req.fields) };
        if (op === 'sendSummary') return { status: 200, xml: sendSummary(userRuc, req.fields) };
        if (op === 'getStatus') return { status: 200, xml: getStatus(req.fields) };
      } else if (CONSULT_PATHS.has(path)) {
        if (op === 'getStatusCdr') return { status: 200, xml: getStatusCdr(userRuc, req.fields) };
        if (op === 'getStatus') return { status: 200, xml: consultStatus(userRuc, req.fields) };
      }
      throw new SunatException('0305');
    } catch (e) {
      if (e instanceof SunatException) return { status: 500, xml: faultXml(e.code) };
      return { status: 500, xml: faultXml('0100') };
    }
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: string): Promise<void> {
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (path === '/__sim/ledger' && req.method === 'GET') return json(200, ledger());
    if (path === '/__sim/stats' && req.method === 'GET') return json(200, stats);
    if (path === '/__sim/faults' && req.method === 'POST') {
      let f: SimulatorFaults;
      try {
        f = JSON.parse(body || '{}') as SimulatorFaults;
      } catch {
        return json(400, { error: 'JSON inválido' });
      }
      json(200, { ok: true, faults: f });
      // Answer first: going down closes this very connection.
      setImmediate(() => void setFaults(f));
      return;
    }
    if (path === '/__sim/reset' && req.method === 'POST') {
      reset();
      return json(200, { ok: true });
    }
    json(404, { error: 'no existe' });
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const received = performance.now();
    // Every answer dated by the simulator's clock, as SUNAT's are by its own (terminals check their clock against it).
    res.setHeader('Date', now().toUTCString());
    const url = new URL(req.url ?? '/', 'http://sim');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(c as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (url.pathname.startsWith('/__sim/')) return control(req, res, url.pathname, body);
    const isService = BILL_PATHS.has(url.pathname) || CONSULT_PATHS.has(url.pathname);
    if (req.method === 'GET' && isService && url.searchParams.has('wsdl')) {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
      res.end(simulatorWsdl(BILL_PATHS.has(url.pathname) ? 'bill' : 'consult', `${scheme}://${req.headers.host ?? host}${url.pathname}`));
      return;
    }
    if (!isService || req.method !== 'POST') {
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    const f = faults;
    // `latencyMs` is how long SUNAT takes to answer, counted from the request's arrival; the simulator's own work
    // happens within it, as a real server's does (an answer it cannot build in time comes when it is built).
    const answer = async (): Promise<void> => {
      const left = received + (f.latencyMs ?? 0) - performance.now();
      if (left > 0) await sleep(left);
    };
    if (f.status503 || f.html502 || f.empty200 || f.faultCode) await answer();
    if (f.status503) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    if (f.html502) {
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
      return;
    }
    if (f.empty200) {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end();
      return;
    }
    if (f.faultCode && Math.random() < (f.rate ?? 1)) {
      res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' }).end(faultXml(f.faultCode.padStart(4, '0')));
      return;
    }
    const t0 = performance.now();
    const out = handleSoap(url.pathname, body);
    stats.requests += 1;
    stats.processingMs += performance.now() - t0;
    res.once('finish', () => (stats.wallMs += performance.now() - received));
    await answer();
    if (f.resetAfterProcessing) {
      req.socket.destroy();
      return;
    }
    res.writeHead(out.status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(out.xml);
  }

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/xml' }).end(faultXml('0100'));
    });
  };
  const scheme = opts.tls ? 'https' : 'http';
  const server: http.Server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  let port = opts.port ?? 0;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        listening = true;
        const addr = server.address();
        if (addr && typeof addr === 'object') port = addr.port;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  async function setFaults(f: SimulatorFaults): Promise<void> {
    clearTimeout(restoreTimer);
    faults = { ...f };
    if (f.down) {
      await stop();
      if (f.downForMs) restoreTimer = setTimeout(() => void setFaults({ ...f, down: false, downForMs: undefined }), f.downForMs);
    } else if (!listening) {
      await listen();
    }
  }

  function ledger(): LedgerView[] {
    return Object.values(state.documents).map(({ cdrZip, ...rest }) => ({ ...rest, hasCdr: Boolean(cdrZip) }));
  }

  function reset(): void {
    state = emptyState();
    persist();
  }

  if (faults.down) faults = { ...faults, down: false };
  await listen();
  const url = `${scheme}://${host}:${port}`;
  return {
    url,
    port,
    close: async () => {
      clearTimeout(restoreTimer);
      await stop();
    },
    ledger,
    setFaults,
    stats: () => ({ ...stats }),
    reset,
  };
}
