import http from 'node:http';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA_PATHS, createSunatClient, endpointsFor, PRODUCTION_PATHS, type SunatClient } from '../../src-main/sunat/client';
import { faultXml } from '../../src-main/sunat/simulator';

const WSDL_DIR = join(__dirname, '../../../shared/sunat/samples/wsdl');

interface Captured {
  path: string;
  soapAction: string;
  contentType: string;
  body: string;
}

let server: http.Server;
let base = '';
const captured: Captured[] = [];
let client: SunatClient;
let billWsdl: soap.Client;
let consultWsdl: soap.Client;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({
        path: req.url ?? '',
        soapAction: String(req.headers.soapaction ?? ''),
        contentType: String(req.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(500, { 'Content-Type': 'text/xml' }).end(faultXml('0100'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  client = createSunatClient({ endpoints: endpointsFor('custom', base), ruc: '20123456789', solUser: 'MODDATOS', solPassword: 'moddatos' });
  billWsdl = await soap.createClientAsync(join(WSDL_DIR, 'billService.wsdl'));
  consultWsdl = await soap.createClientAsync(join(WSDL_DIR, 'billConsultService.wsdl'));
});

afterAll(async () => {
  client.close();
  await new Promise((r) => server.close(r));
});

type Described = Record<string, Record<string, Record<string, { input: Record<string, unknown> }>>>;

/** Operation → { namespace, ordered input element names } from the WSDL as `soap` reads it. */
function wsdlOperation(c: soap.Client, op: string): { ns: string; fields: string[] } {
  const d = c.describe() as Described;
  for (const service of Object.values(d)) {
    for (const port of Object.values(service)) {
      const o = port[op];
      if (o) {
        const input = o.input;
        return {
          ns: String(input.targetNamespace),
          fields: Object.keys(input).filter((k) => k !== 'targetNSAlias' && k !== 'targetNamespace'),
        };
      }
    }
  }
  throw new Error(`la operación ${op} no está en el WSDL`);
}

function soapActionOf(c: soap.Client, op: string): string {
  const bindings = (c as unknown as { wsdl: { definitions: { bindings: Record<string, { methods: Record<string, { soapAction: string }> }> } } })
    .wsdl.definitions.bindings;
  for (const b of Object.values(bindings)) if (b.methods[op]) return b.methods[op].soapAction;
  throw new Error(`sin binding para ${op}`);
}

function bodyOperation(xml: string): { op: Element; children: Element[] } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const env = doc.documentElement!;
  expect(env.namespaceURI).toBe('http://schemas.xmlsoap.org/soap/envelope/');
  const body = Array.from(env.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName === 'Body') as Element;
  const op = Array.from(body.childNodes).find((n) => n.nodeType === 1) as Element;
  const children = Array.from(op.childNodes).filter((n) => n.nodeType === 1) as Element[];
  return { op, children };
}

async function capture(call: () => Promise<unknown>): Promise<Captured> {
  const before = captured.length;
  await call();
  expect(captured.length).toBe(before + 1);
  return captured[before];
}

const zip = new Uint8Array([0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('the envelopes the client sends match SUNAT’s WSDLs', () => {
  const cases: Array<[string, 'bill' | 'consult', () => Promise<unknown>, string]> = [
    ['sendBill', 'bill', () => client.sendBill('20123456789-01-F001-1.zip', zip), PRODUCTION_PATHS.billService],
    ['sendSummary', 'bill', () => client.sendSummary('20123456789-RC-20250115-1.zip', zip), PRODUCTION_PATHS.billService],
    ['getStatus', 'bill', () => client.getStatus('1703154974517'), PRODUCTION_PATHS.billService],
    ['getStatusCdr', 'consult', () => client.getStatusCdr('20123456789', '01', 'F001', 1), PRODUCTION_PATHS.consultService],
  ];

  it.each(cases)('%s: operation, namespace, parts in order, SOAPAction and path', async (opName, service, call, path) => {
    const wsdl = service === 'bill' ? billWsdl : consultWsdl;
    const expected = wsdlOperation(wsdl, opName);
    const req = await capture(call);
    expect(req.path).toBe(path);
    expect(req.contentType).toMatch(/^text\/xml/);
    expect(req.soapAction.replace(/^"|"$/g, '')).toBe(soapActionOf(wsdl, opName));
    const { op, children } = bodyOperation(req.body);
    expect(op.localName).toBe(opName);
    expect(op.namespaceURI).toBe(expected.ns);
    const names = children.map((c) => c.localName);
    // Our parts are the WSDL's, in its order (optional trailing ones such as partyType may be left out).
    expect(expected.fields.slice(0, names.length)).toEqual(names);
    // The schema is unqualified: parts carry no namespace.
    for (const c of children) expect(c.namespaceURI ?? null).toBeNull();
  });

  it('carries a WS-Security UsernameToken with PasswordText and the RUC+user name', async () => {
    const req = await capture(() => client.getStatus('1'));
    expect(req.body).toContain('<wsse:Username>20123456789MODDATOS</wsse:Username>');
    expect(req.body).toMatch(/Type="http:\/\/docs\.oasis-open\.org\/wss\/2004\/01\/oasis-200401-wss-username-token-profile-1\.0#PasswordText"/);
  });

  it('the `soap` library builds the same body for sendBill as we do', async () => {
    billWsdl.setEndpoint(`${base}${PRODUCTION_PATHS.billService}`);
    const theirs = await capture(() => billWsdl.sendBillAsync({ fileName: 'x.zip', contentFile: 'AAAA' }).catch(() => undefined));
    const ours = await capture(() => client.sendBill('x.zip', new Uint8Array([0, 0, 0])));
    const a = bodyOperation(theirs.body);
    const b = bodyOperation(ours.body);
    expect(b.op.localName).toBe(a.op.localName);
    expect(b.op.namespaceURI).toBe(a.op.namespaceURI);
    expect(b.children.map((c) => c.localName)).toEqual(a.children.map((c) => c.localName));
    expect(theirs.soapAction.replace(/"/g, '')).toBe(ours.soapAction.replace(/"/g, ''));
  });

  it('SUNAT’s own addresses use the paths endpointsFor builds', () => {
    const d = (c: soap.Client): string => JSON.stringify((c as unknown as { wsdl: { services: unknown } }).wsdl.services ?? {});
    const billXml = d(billWsdl);
    const consultXml = d(consultWsdl);
    const billLocation = /https:\/\/e-beta\.sunat\.gob\.pe(?::443)?(\/[^"]+)/.exec(billXml)?.[1];
    const consultLocation = /https:\/\/e-factura\.sunat\.gob\.pe(\/[^"]+)/.exec(consultXml)?.[1];
    expect(billLocation).toBe(BETA_PATHS.billService);
    expect(consultLocation).toBe(PRODUCTION_PATHS.consultService);
  });
});
