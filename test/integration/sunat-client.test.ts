import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSunatClient, endpointsFor, type CdrOutcome, type SunatClient, type SunatOutcome } from '../../src-main/sunat/client';
import { checkCdrRefersTo, readCdr } from '../../src-main/sunat/cdr';
import { startSimulator, verifyEmbeddedSignature, type Simulator } from '../../src-main/sunat/simulator';
import { buildInvoiceXml, signedFixture, signedReal, signUbl, summaryLine, summaryModel, TEST_RUC, zipNamed } from '../helpers/sign-fixture';

const SECRET = 'moddatos';
let sim: Simulator;
let client: SunatClient;
let seq = 100;
const nextNumber = (): number => ++seq;

function makeClient(s: Simulator, extra: Partial<Parameters<typeof createSunatClient>[0]> = {}): SunatClient {
  return createSunatClient({
    endpoints: endpointsFor('custom', s.url),
    ruc: TEST_RUC,
    solUser: 'MODDATOS',
    solPassword: SECRET,
    connectTimeoutMs: 2000,
    responseTimeoutMs: 3000,
    ...extra,
  });
}

type Narrow<K extends SunatOutcome['kind']> = K extends CdrOutcome['kind'] ? CdrOutcome : Extract<SunatOutcome, { kind: K }>;

function expectKind<K extends SunatOutcome['kind']>(o: SunatOutcome, kind: K): Narrow<K> {
  expect(o.kind, JSON.stringify({ ...o, cdr: undefined, cdrZip: undefined })).toBe(kind);
  return o as Narrow<K>;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, summaryDelayMs: 300 });
  client = makeClient(sim);
});
afterEach(async () => {
  await sim.setFaults({});
});
afterAll(async () => {
  client.close();
  await sim.close();
});

describe('sendBill against the simulator', () => {
  it('an accepted factura returns a signed CDR that refers to it', async () => {
    const f = signedFixture({ number: nextNumber() });
    const out = expectKind(await client.sendBill(f.fileName, f.zip), 'accepted');
    expect(out.responseCode).toBe('0000');
    expect(out.cdr.fileName).toBe(`R-${f.baseName}.xml`);
    expect(out.cdr.description).toMatch(/ha sido aceptada/);
    expect(out.cdr.recipientId).toBe('6-20100070970');
    expect(checkCdrRefersTo(out.cdr, f.baseName)).toBe(true);
    expect(verifyEmbeddedSignature(out.cdr.xml)).toBe('valid');
    expect(readCdr(out.cdrZip).responseCode).toBe('0');
  });

  it('a boleta whose total does not add up is accepted with observation 4312', async () => {
    const f = signedFixture({ type: '03', number: nextNumber(), payableOverride: '150.00' });
    const out = expectKind(await client.sendBill(f.fileName, f.zip), 'observed');
    expect(out.notes.map((n) => n.code)).toEqual(['4312']);
  });

  it('a factura with a wrong line IGV is rejected with 3103', async () => {
    const f = signedFixture({ number: nextNumber(), lineIgvOverride: '25.00' });
    const out = expectKind(await client.sendBill(f.fileName, f.zip), 'rejected');
    expect(out.responseCode).toBe('3103');
    expect(out.action).toBe('rejected');
  });

  it('IGV off by less than SUNAT’s tolerance of 1 is accepted', async () => {
    const f = signedFixture({ number: nextNumber(), lineIgvOverride: '18.90' });
    // Line within ±1, totals recomputed from the same line: accepted.
    expectKind(await client.sendBill(f.fileName, f.zip), 'accepted');
  });

  it('a factura to a DNI customer is rejected with 2800', async () => {
    const f = signedFixture({ number: nextNumber(), customer: { type: '1', number: '12345678', name: 'JUAN' } });
    expect(expectKind(await client.sendBill(f.fileName, f.zip), 'rejected').responseCode).toBe('2800');
  });

  it('a boleta over S/ 700 without an identified customer is rejected with 2396', async () => {
    const f = signedFixture({ type: '03', number: nextNumber(), lines: ['700.00'], customer: { type: '0', number: '-', name: 'CLIENTES VARIOS' } });
    expect(expectKind(await client.sendBill(f.fileName, f.zip), 'rejected').responseCode).toBe('2396');
    const ok = signedFixture({ type: '03', number: nextNumber(), lines: ['700.00'] });
    expectKind(await client.sendBill(ok.fileName, ok.zip), 'accepted');
  });

  it('a resend of an accepted number is answered 1033 and never recorded twice', async () => {
    const f = signedFixture({ number: nextNumber() });
    expectKind(await client.sendBill(f.fileName, f.zip), 'accepted');
    const again = expectKind(await client.sendBill(f.fileName, f.zip), 'failure');
    expect(again).toMatchObject({ classification: 'sunat_fault', code: '1033', action: 'already_registered' });
    const row = sim.ledger().find((e) => e.id === `${TEST_RUC}-01-F001-${seq}`);
    expect(row).toMatchObject({ submissions: 2, accepted: 1 });
  });

  it('a resend of a rejected number is answered 1032', async () => {
    const f = signedFixture({ number: nextNumber(), lineIgvOverride: '25.00' });
    expectKind(await client.sendBill(f.fileName, f.zip), 'rejected');
    expect(expectKind(await client.sendBill(f.fileName, f.zip), 'failure')).toMatchObject({ code: '1032', action: 'final' });
  });

  it('an altered signed document is refused with 2335 (stop: signature)', async () => {
    const f = signedFixture({ number: nextNumber() });
    const altered = f.xml.replace('<cbc:Description>PRODUCTO 1</cbc:Description>', '<cbc:Description>PRODUCTO X</cbc:Description>');
    const out = expectKind(await client.sendBill(f.fileName, zipNamed(f.baseName, altered)), 'failure');
    expect(out).toMatchObject({ classification: 'sunat_fault', code: '2335', action: 'stop_signature' });
  });

  it('SUNAT’s own altered sample is refused with 2335 and its valid twin passes the signature check', async () => {
    const dir = join(__dirname, '../../../shared/sunat/samples/signed');
    const users = { '12345678912MODDATOS': 'moddatos' };
    const s2 = await startSimulator({ port: 0, users });
    const c2 = createSunatClient({ endpoints: endpointsFor('custom', s2.url), ruc: '12345678912', solUser: 'MODDATOS', solPassword: 'moddatos' });
    try {
      const alt = readFileSync(join(dir, '12345678912-01-F001-1.altered.xml'));
      const bad = await c2.sendBill('12345678912-01-F001-1.zip', zipNamed('12345678912-01-F001-1', new Uint8Array(alt)));
      expect(bad).toMatchObject({ kind: 'failure', code: '2335' });
      const good = readFileSync(join(dir, '12345678912-01-F001-1.xml'));
      const out = await c2.sendBill('12345678912-01-F001-1.zip', zipNamed('12345678912-01-F001-1', new Uint8Array(good)));
      // Signature passes; whatever the sample's amounts say, the answer is a CDR, not 2335.
      expect(['accepted', 'observed', 'rejected']).toContain(out.kind);
    } finally {
      c2.close();
      await s2.close();
    }
  });

  it.each([
    ['a zip name that is not SUNAT’s', 'factura.zip', undefined, '0151'],
    ['a summary through sendBill', `${TEST_RUC}-RC-20250115-1.zip`, undefined, '0152'],
    ['another RUC than the user’s', '20999999999-01-F001-1.zip', undefined, '0154'],
    ['an empty zip', `${TEST_RUC}-01-F001-900.zip`, new Uint8Array(0), '0155'],
    ['a corrupt zip', `${TEST_RUC}-01-F001-901.zip`, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]), '0156'],
  ])('%s → %s', async (_what, fileName, zip, code) => {
    const f = signedFixture({ number: 1 });
    const out = expectKind(await client.sendBill(fileName, zip ?? f.zip), 'failure');
    expect(out.code).toBe(code);
  });

  it('zip contents are checked: two files 0158, wrong XML name 0159/0161, empty XML 0160, bad XML 0306', async () => {
    const n = nextNumber();
    const base = `${TEST_RUC}-01-F001-${n}`;
    const { zipSync, strToU8 } = await import('fflate');
    const two = zipSync({ [`${base}.xml`]: strToU8('<a/>'), 'otro.xml': strToU8('<a/>') });
    expect((await client.sendBill(`${base}.zip`, two)) as object).toMatchObject({ code: '0158' });
    expect((await client.sendBill(`${base}.zip`, zipNamed(base, '<a/>', 'factura.xml'))) as object).toMatchObject({ code: '0159' });
    expect((await client.sendBill(`${base}.zip`, zipNamed(base, '<a/>', `${TEST_RUC}-01-F001-${n + 1}.xml`))) as object).toMatchObject({ code: '0161' });
    expect((await client.sendBill(`${base}.zip`, zipNamed(base, ''))) as object).toMatchObject({ code: '0160' });
    expect((await client.sendBill(`${base}.zip`, zipNamed(base, '<Invoice><unclosed></Invoice>'))) as object).toMatchObject({
      code: '0306',
      action: 'final_defect',
    });
  });

  it('ids inside the XML must match the file name: 1034 RUC, 1035 series, 1036 number, 1003 type', async () => {
    const n = nextNumber();
    const base = `${TEST_RUC}-01-F001-${n}`;
    const send = (xml: string): Promise<SunatOutcome> => client.sendBill(`${base}.zip`, zipNamed(base, signUbl(xml)));
    expect(await send(buildInvoiceXml({ number: n, supplierRucOverride: '20111111111' }))).toMatchObject({ code: '1034' });
    expect(await send(buildInvoiceXml({ number: n, idOverride: `F002-${n}` }))).toMatchObject({ code: '1035' });
    expect(await send(buildInvoiceXml({ number: n, idOverride: `F001-${n + 1}` }))).toMatchObject({ code: '1036' });
    const boletaXml = buildInvoiceXml({ type: '03', series: 'F001', number: n });
    expect(await send(boletaXml)).toMatchObject({ code: '1003' });
  });

  it('a wrong SOL password is 0102 (stop: credentials) and the password appears nowhere in the outcome', async () => {
    const bad = makeClient(sim, { solPassword: 'clave-secreta-XYZ' });
    const f = signedFixture({ number: nextNumber() });
    const out = expectKind(await bad.sendBill(f.fileName, f.zip), 'failure');
    expect(out).toMatchObject({ classification: 'sunat_fault', code: '0102', action: 'stop_credentials' });
    expect(JSON.stringify(out)).not.toContain('clave-secreta-XYZ');
    bad.close();
  });
});

describe('injected faults give the right typed outcome', () => {
  it('down → network_before_send (nothing sent); back up → accepted', async () => {
    await sim.setFaults({ down: true });
    const f = signedFixture({ number: nextNumber() });
    const out = expectKind(await client.sendBill(f.fileName, f.zip), 'failure');
    expect(out).toMatchObject({ classification: 'network_before_send', action: 'retry', mayHaveLanded: false });
    await sim.setFaults({});
    expectKind(await client.sendBill(f.fileName, f.zip), 'accepted');
  });

  it('503 → http_error', async () => {
    await sim.setFaults({ status503: true });
    const f = signedFixture({ number: nextNumber() });
    expect(await client.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'http_error', httpStatus: 503, action: 'retry' });
  });

  it('latency is how long SUNAT takes to answer: a client that gives up within it finds the document already recorded', async () => {
    await sim.setFaults({ latencyMs: 2000 });
    const n = nextNumber();
    const f = signedFixture({ number: n });
    const quick = makeClient(sim, { responseTimeoutMs: 400 });
    expect(await quick.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'ambiguous', mayHaveLanded: true });
    quick.close();
    // SUNAT received and recorded it before the client gave up: the "may have landed" the runner reconciles.
    expect(sim.ledger().find((e) => e.id === `${TEST_RUC}-01-F001-${n}`)).toMatchObject({ accepted: 1 });
  });

  it('latency beyond the response timeout → ambiguous (may have landed)', async () => {
    await sim.setFaults({ latencyMs: 800 });
    const quick = makeClient(sim, { responseTimeoutMs: 300 });
    const f = signedFixture({ number: nextNumber() });
    expect(await quick.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'ambiguous', mayHaveLanded: true });
    quick.close();
  });

  it.each(['0109', '0130', '0200'])('fault %s → sunat_fault, retry', async (code) => {
    await sim.setFaults({ faultCode: code, rate: 1 });
    const f = signedFixture({ number: nextNumber() });
    expect(await client.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'sunat_fault', code, action: 'retry' });
  });

  it('reset after processing → ambiguous, and the ledger shows SUNAT recorded it; reconcile finds the CDR', async () => {
    await sim.setFaults({ resetAfterProcessing: true });
    const n = nextNumber();
    const f = signedFixture({ number: n });
    expect(await client.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'ambiguous' });
    await sim.setFaults({});
    expect(sim.ledger().find((e) => e.id === `${TEST_RUC}-01-F001-${n}`)).toMatchObject({ accepted: 1, status: 'accepted' });
    const status = expectKind(await client.getStatusCdr(TEST_RUC, '01', 'F001', n), 'accepted');
    expect(checkCdrRefersTo(status.cdr, f.baseName)).toBe(true);
  });

  it('empty 200 → empty_body', async () => {
    await sim.setFaults({ empty200: true });
    const f = signedFixture({ number: nextNumber() });
    expect(await client.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'empty_body', mayHaveLanded: true });
  });

  it('HTML 502 → html_page', async () => {
    await sim.setFaults({ html502: true });
    const f = signedFixture({ number: nextNumber() });
    expect(await client.sendBill(f.fileName, f.zip)).toMatchObject({ kind: 'failure', classification: 'html_page', httpStatus: 502 });
  });

  it('faults can be set over HTTP through POST /__sim/faults and the ledger read through GET /__sim/ledger', async () => {
    const res = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ status503: true }) });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    const f = signedFixture({ number: nextNumber() });
    expect(await client.sendBill(f.fileName, f.zip)).toMatchObject({ classification: 'http_error' });
    await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: '{}' });
    await new Promise((r) => setTimeout(r, 20));
    const ledger = (await (await fetch(`${sim.url}/__sim/ledger`)).json()) as Array<{ id: string }>;
    expect(ledger.length).toBeGreaterThan(0);
  });

  it('a refused connection on a port nobody listens on is network_before_send', async () => {
    const dead = createSunatClient({ endpoints: endpointsFor('custom', 'http://127.0.0.1:1'), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: SECRET });
    const f = signedFixture({ number: 1 });
    expect(await dead.sendBill(f.fileName, f.zip)).toMatchObject({ classification: 'network_before_send', mayHaveLanded: false });
    dead.close();
  });
});

describe('summaries, tickets, status and memory', () => {
  it('sendSummary gives a ticket; getStatus says 98 until ready, then 0 with the CDR', async () => {
    const today = new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 10);
    const n = nextNumber();
    const s = signedReal(summaryModel({ issueDate: today, correlative: n, lines: [summaryLine({ number: n })] }));
    const t = expectKind(await client.sendSummary(s.fileName, s.zip), 'ticket');
    expect(expectKind(await client.getStatus(t.ticket), 'pending').ticket).toBe(t.ticket);
    await new Promise((r) => setTimeout(r, 350));
    const done = expectKind(await client.getStatus(t.ticket), 'accepted');
    expect(done.cdr.referenceId).toBe(`RC-${today.replaceAll('-', '')}-${n}`);
    // The same summary id again: 2223, already presented.
    expect(await client.sendSummary(s.fileName, s.zip)).toMatchObject({ code: '2223', action: 'already_registered' });
  });

  it('an unknown ticket is 0127', async () => {
    expect(await client.getStatus('123')).toMatchObject({ kind: 'failure', code: '0127' });
  });

  it('getStatusCdr returns the stored CDR, or not_found', async () => {
    const n = nextNumber();
    const f = signedFixture({ number: n });
    const sent = expectKind(await client.sendBill(f.fileName, f.zip), 'accepted');
    const again = expectKind(await client.getStatusCdr(TEST_RUC, '01', 'F001', n), 'accepted');
    expect(Buffer.from(again.cdrZip).equals(Buffer.from(sent.cdrZip))).toBe(true);
    expect(await client.getStatusCdr(TEST_RUC, '01', 'F001', 99999)).toMatchObject({ kind: 'not_found', code: '0011' });
  });

  it('a restarted simulator with --state remembers what it accepted', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'sim-state-')), 'state.json');
    const a = await startSimulator({ port: 0, stateFile });
    const ca = makeClient(a);
    const f = signedFixture({ number: 7 });
    expectKind(await ca.sendBill(f.fileName, f.zip), 'accepted');
    ca.close();
    await a.close();
    expect(existsSync(stateFile)).toBe(true);
    const b = await startSimulator({ port: 0, stateFile });
    const cb = makeClient(b);
    try {
      expect(await cb.sendBill(f.fileName, f.zip)).toMatchObject({ code: '1033' });
      expectKind(await cb.getStatusCdr(TEST_RUC, '01', 'F001', 7), 'accepted');
      expect(b.ledger()).toEqual([expect.objectContaining({ id: `${TEST_RUC}-01-F001-7`, submissions: 2, accepted: 1 })]);
    } finally {
      cb.close();
      await b.close();
    }
  });

  it('the simulator answers on SUNAT’s beta paths too', async () => {
    const beta = createSunatClient({
      endpoints: { billService: `${sim.url}/ol-ti-itcpfegem-beta/billService`, consultService: `${sim.url}/ol-it-wsconscpegem-beta/billConsultService` },
      ruc: TEST_RUC,
      solUser: 'MODDATOS',
      solPassword: SECRET,
    });
    const f = signedFixture({ number: nextNumber() });
    expectKind(await beta.sendBill(f.fileName, f.zip), 'accepted');
    beta.close();
  });
});

describe('endpointsFor', () => {
  it('keeps SUNAT’s paths and changes only the host', () => {
    expect(endpointsFor('production')).toEqual({
      billService: 'https://e-factura.sunat.gob.pe/ol-ti-itcpfegem/billService',
      consultService: 'https://e-factura.sunat.gob.pe/ol-it-wsconscpegem/billConsultService',
    });
    expect(endpointsFor('beta').billService).toBe('https://e-beta.sunat.gob.pe/ol-ti-itcpfegem-beta/billService');
    expect(endpointsFor('custom', 'http://127.0.0.1:8090/')).toEqual({
      billService: 'http://127.0.0.1:8090/ol-ti-itcpfegem/billService',
      consultService: 'http://127.0.0.1:8090/ol-it-wsconscpegem/billConsultService',
    });
    expect(endpointsFor('simulator').billService).toBe('http://127.0.0.1:8090/ol-ti-itcpfegem/billService');
  });
});
