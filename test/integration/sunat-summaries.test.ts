// Daily summaries (RC) and voiding communications (RA) against the simulator, with documents from the real
// builders: SUNAT's codes from the validation tables, answered through the ticket (getStatus 99 + CDR), and the
// ledger remembering what was voided.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../src-shared/decimal';
import { createSunatClient, endpointsFor, type CdrOutcome, type SunatClient, type SunatOutcome } from '../../src-main/sunat/client';
import { buildEnvelope, parseSoapResponse } from '../../src-main/sunat/client/soap';
import type { SummaryLine } from '../../src-main/sunat/model';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import {
  saleModel, signedReal, summaryLine, summaryModel, TEST_RUC, voidedModel, zipNamed, type Signed,
} from '../helpers/sign-fixture';

// The simulator's clock: reception date 2026-11-28 (Lima), whatever day the tests run.
const NOW = new Date('2026-11-28T15:00:00Z');
const TODAY = '2026-11-28';
let sim: Simulator;
let client: SunatClient;
let correlative = 0;
let number = 100;
const nextNumber = (): number => ++number;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, summaryDelayMs: 0, now: () => NOW });
  client = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: 'moddatos' });
});
afterAll(async () => {
  client.close();
  await sim.close();
});

const ledger = (id: string) => sim.ledger().find((e) => e.id === id);

async function sendBill(doc: Signed): Promise<SunatOutcome> {
  return client.sendBill(doc.fileName, doc.zip);
}

/** An accepted factura issued on `issueDate`. */
async function acceptedFactura(issueDate: string): Promise<number> {
  const n = nextNumber();
  const out = await sendBill(signedReal(saleModel({ number: n, issueDate })));
  expect(out.kind).toBe('accepted');
  return n;
}

/** sendSummary, then getStatus: the CDR outcome of the ticket. */
async function process(doc: Signed): Promise<CdrOutcome> {
  const sent = await client.sendSummary(doc.fileName, doc.zip);
  if (sent.kind !== 'ticket') throw new Error(`sin ticket: ${JSON.stringify(sent)}`);
  const st = await client.getStatus(sent.ticket);
  if (st.kind !== 'accepted' && st.kind !== 'observed' && st.kind !== 'rejected') throw new Error(`estado inesperado: ${JSON.stringify(st)}`);
  return st;
}

function ra(lines: Parameters<typeof voidedModel>[0]['lines'], o: { issueDate?: string; referenceDate: string }): Signed {
  return signedReal(voidedModel({ issueDate: o.issueDate ?? TODAY, referenceDate: o.referenceDate, correlative: ++correlative, lines }));
}
function rc(lines: SummaryLine[], o: { issueDate?: string; referenceDate?: string } = {}): Signed {
  return signedReal(summaryModel({ issueDate: o.issueDate ?? TODAY, referenceDate: o.referenceDate ?? TODAY, correlative: ++correlative, lines }));
}

describe('voiding communication (RA)', () => {
  it('voids a factura the simulator accepted: ticket 0, the ledger marks it voided, a resend is 1032', async () => {
    const n = await acceptedFactura('2026-11-27');
    const doc = ra([{ number: n }], { referenceDate: '2026-11-27' });
    const out = await process(doc);
    expect(out).toMatchObject({ kind: 'accepted', responseCode: '0000' });
    expect(out.cdr.referenceId).toBe(doc.baseName.slice(12));
    expect(out.description).toMatch(/Comunicacion de baja/);
    const id = `${TEST_RUC}-01-F001-${n}`;
    expect(ledger(id)).toMatchObject({ status: 'voided', voidedBy: doc.baseName, issueDate: '2026-11-27' });
    expect(ledger(doc.baseName)).toMatchObject({ status: 'accepted', submissions: 1 });
    // The constancy still exists; the document is "de baja".
    expect((await client.getStatusCdr(TEST_RUC, '01', 'F001', n)).kind).toBe('accepted');
    const again = await sendBill(signedReal(saleModel({ number: n, issueDate: '2026-11-27' })));
    expect(again).toMatchObject({ kind: 'failure', code: '1032', action: 'final' });
    // A second void of the same factura: 2323.
    expect(await process(ra([{ number: n }], { referenceDate: '2026-11-27' }))).toMatchObject({ kind: 'rejected', responseCode: '2323' });
  });

  it('the consult service says the voided factura is "de baja" (0003)', async () => {
    const n = await acceptedFactura('2026-11-28');
    await process(ra([{ number: n }], { referenceDate: '2026-11-28' }));
    const envelope = buildEnvelope(
      'getStatusCdr',
      { rucComprobante: TEST_RUC, tipoComprobante: '01', serieComprobante: 'F001', numeroComprobante: String(n) },
      { username: `${TEST_RUC}MODDATOS`, password: 'moddatos' },
    ).replace(/getStatusCdr/g, 'getStatus');
    const res = await fetch(`${sim.url}/ol-it-wsconscpegem/billConsultService`, { method: 'POST', body: envelope, headers: { 'Content-Type': 'text/xml' } });
    const answer = parseSoapResponse(await res.text());
    expect(answer).toMatchObject({ type: 'result', fields: { statusCode: '0003' } });
  });

  it('a void of a document SUNAT never received is 2105, answered as ticket status 99 with the CDR', async () => {
    const doc = ra([{ number: 99_999 }], { referenceDate: TODAY });
    const sent = await client.sendSummary(doc.fileName, doc.zip);
    expect(sent.kind).toBe('ticket');
    // Raw getStatus: statusCode 99 and a CDR in content, as SUNAT answers a processed ticket with errors.
    const envelope = buildEnvelope('getStatus', { ticket: (sent as { ticket: string }).ticket }, { username: `${TEST_RUC}MODDATOS`, password: 'moddatos' });
    const raw = parseSoapResponse(await (await fetch(`${sim.url}/ol-ti-itcpfegem/billService`, { method: 'POST', body: envelope })).text());
    expect(raw).toMatchObject({ type: 'result', fields: { statusCode: '99' } });
    expect((raw as { fields: Record<string, string> }).fields.content.length).toBeGreaterThan(100);
    const out = await client.getStatus((sent as { ticket: string }).ticket);
    expect(out).toMatchObject({ kind: 'rejected', responseCode: '2105', action: 'rejected' });
    expect((out as CdrOutcome).description).toMatch(/no se encuentra registrado/);
    expect(ledger(doc.baseName)).toMatchObject({ status: 'rejected', responseCode: '2105' });
  });

  it.each([
    ['more than 7 days after the factura was issued', '2026-11-20', '2026-11-20', TODAY, '2957'],
    ['ReferenceDate is not the factura’s issue date', '2026-11-27', '2026-11-26', TODAY, '2375'],
    ['ReferenceDate after IssueDate', '2026-11-27', '2026-11-28', '2026-11-27', '2671'],
  ])('%s → %s', async (_what, issued, referenceDate, issueDate, code) => {
    const n = await acceptedFactura(issued);
    expect(await process(ra([{ number: n }], { referenceDate, issueDate }))).toMatchObject({ kind: 'rejected', responseCode: code });
    expect(ledger(`${TEST_RUC}-01-F001-${n}`)).toMatchObject({ status: 'accepted' });
  });

  it('an IssueDate after the reception date is 2301', async () => {
    const n = await acceptedFactura('2026-11-28');
    expect(await process(ra([{ number: n }], { referenceDate: '2026-11-28', issueDate: '2026-11-29' }))).toMatchObject({ responseCode: '2301' });
  });

  it('lines: boleta type 2308, boleta series 2310, repeated document 2348', async () => {
    const n = await acceptedFactura('2026-11-28');
    const bad = (lines: Parameters<typeof ra>[0]) => process(ra(lines, { referenceDate: '2026-11-28' }));
    expect(await bad([{ number: n, documentType: '03' as '01' }])).toMatchObject({ responseCode: '2308' });
    expect(await bad([{ number: n, series: 'B001' }])).toMatchObject({ responseCode: '2310' });
    expect(await bad([{ number: n }, { number: n }])).toMatchObject({ responseCode: '2348' });
    // Nothing was voided by the refused communications.
    expect(ledger(`${TEST_RUC}-01-F001-${n}`)).toMatchObject({ status: 'accepted' });
  });

  it('a rejected factura cannot be voided: 2398', async () => {
    const n = nextNumber();
    const model = saleModel({ number: n, issueDate: '2026-11-28', customer: { docType: '1', docNumber: '12345678', name: 'JUAN' } });
    expect(await sendBill(signedReal(model))).toMatchObject({ kind: 'rejected', responseCode: '2800' });
    expect(await process(ra([{ number: n }], { referenceDate: '2026-11-28' }))).toMatchObject({ responseCode: '2398' });
  });

  it('the same communication again is 2324 (already presented), which the runner treats as already registered', async () => {
    const n = await acceptedFactura('2026-11-28');
    const doc = ra([{ number: n }], { referenceDate: '2026-11-28' });
    await process(doc);
    expect(await client.sendSummary(doc.fileName, doc.zip)).toMatchObject({ kind: 'failure', code: '2324', action: 'already_registered' });
  });

  it('an altered communication is refused at once with 2335; one whose ID is not its name with 2220', async () => {
    const n = await acceptedFactura('2026-11-28');
    const doc = ra([{ number: n }], { referenceDate: '2026-11-28' });
    const altered = doc.xml.replace(`<sac:DocumentNumberID>${n}</sac:DocumentNumberID>`, `<sac:DocumentNumberID>${n + 1}</sac:DocumentNumberID>`);
    expect(altered).not.toBe(doc.xml);
    expect(await client.sendSummary(doc.fileName, zipNamed(doc.baseName, altered))).toMatchObject({ code: '2335', action: 'stop_signature' });
    const other = `${TEST_RUC}-RA-20261128-${++correlative}`;
    expect(await client.sendSummary(`${other}.zip`, zipNamed(other, doc.xml))).toMatchObject({ code: '2220' });
    expect(ledger(`${TEST_RUC}-01-F001-${n}`)).toMatchObject({ status: 'accepted' });
  });
});

describe('daily summary (RC)', () => {
  it('condition 1 reports a boleta (accepted, no CDR of its own); condition 3 later voids it', async () => {
    const n = nextNumber();
    const add = rc([summaryLine({ number: n })]);
    expect(await process(add)).toMatchObject({ kind: 'accepted', responseCode: '0000' });
    const id = `${TEST_RUC}-03-B001-${n}`;
    expect(ledger(id)).toMatchObject({ status: 'accepted', reportedBy: add.baseName, hasCdr: false, issueDate: TODAY });
    const voiding = rc([summaryLine({ number: n, condition: '3' })]);
    expect(await process(voiding)).toMatchObject({ kind: 'accepted' });
    expect(ledger(id)).toMatchObject({ status: 'voided', voidedBy: voiding.baseName });
    // Voided: neither reported again (2987) nor sent again (1032).
    expect(await process(rc([summaryLine({ number: n, condition: '3' })]))).toMatchObject({ responseCode: '2987' });
    const boleta = signedReal(saleModel({ type: '03', number: n, issueDate: TODAY }));
    expect(await sendBill(boleta)).toMatchObject({ code: '1032' });
  });

  it('voids a boleta sent with sendBill; a boleta already registered cannot be added again (2282)', async () => {
    const n = nextNumber();
    expect((await sendBill(signedReal(saleModel({ type: '03', number: n, issueDate: '2026-11-27' })))).kind).toBe('accepted');
    expect(await process(rc([summaryLine({ number: n })], { referenceDate: '2026-11-27' }))).toMatchObject({ responseCode: '2282' });
    expect(await process(rc([summaryLine({ number: n, condition: '3' })], { referenceDate: '2026-11-27' }))).toMatchObject({ kind: 'accepted' });
    expect(ledger(`${TEST_RUC}-03-B001-${n}`)).toMatchObject({ status: 'voided' });
  });

  it.each([
    ['a void of an unknown boleta', () => [summaryLine({ number: 88_888, condition: '3' })], '2663'],
    ['a modification of an unknown boleta', () => [summaryLine({ number: 88_889, condition: '2' })], '2663'],
    ['a factura in a summary', () => [summaryLine({ number: nextNumber(), documentType: '01' as '03' })], '2241'],
    ['a boleta on a factura series', () => [summaryLine({ number: nextNumber(), series: 'F001' })], '2513'],
    ['a condition outside catalog 19', () => [summaryLine({ number: nextNumber(), condition: '4' as '1' })], '2896'],
    ['the same boleta and condition twice', () => { const n = nextNumber(); return [summaryLine({ number: n }), summaryLine({ number: n })]; }, '3094'],
    ['a boleta added and modified in one summary', () => { const n = nextNumber(); return [summaryLine({ number: n }), summaryLine({ number: n, condition: '2' })]; }, '3095'],
    ['a note on a boleta SUNAT does not have', () => [summaryLine({ number: nextNumber(), documentType: '07', reference: { documentType: '03', series: 'B001', number: 77_777 } })], '2989'],
  ])('%s → %s', async (_what, lines, code) => {
    expect(await process(rc(lines()))).toMatchObject({ kind: 'rejected', responseCode: code });
  });

  it('a void more than 7 days after the boletas’ date is 2957; a late report is only observed (4443)', async () => {
    const n = nextNumber();
    expect(await process(rc([summaryLine({ number: n })], { referenceDate: '2026-11-19' }))).toMatchObject({ kind: 'observed', notes: [expect.objectContaining({ code: '4443' })] });
    expect(await process(rc([summaryLine({ number: n, condition: '3' })], { referenceDate: '2026-11-19' }))).toMatchObject({ responseCode: '2957' });
    expect(ledger(`${TEST_RUC}-03-B001-${n}`)).toMatchObject({ status: 'accepted' });
  });

  it('a TotalAmount that is not values + taxes (±5) is observed 4027; within ±5 it passes', async () => {
    const good = summaryLine({ number: nextNumber(), prices: ['118.00'] });
    const off = { ...good, number: nextNumber(), totals: { ...good.totals, payable: good.totals.payable.plus(Dec.of('6.00')) } };
    const near = { ...good, number: nextNumber(), totals: { ...good.totals, payable: good.totals.payable.plus(Dec.of('4.99')) } };
    const out = await process(rc([off]));
    expect(out).toMatchObject({ kind: 'observed', notes: [expect.objectContaining({ code: '4027' })] });
    expect(await process(rc([near]))).toMatchObject({ kind: 'accepted', notes: [] });
  });

  it('an IGV that is not 18 % of the base is observed 4019', async () => {
    const good = summaryLine({ number: nextNumber(), prices: ['1180.00'] });
    const bad = { ...good, totals: { ...good.totals, igv: Dec.of('150.00'), payable: good.totals.payable.minus(Dec.of('30.00')) } };
    expect(await process(rc([bad]))).toMatchObject({ kind: 'observed', notes: [expect.objectContaining({ code: '4019' })] });
  });

  it('a summary dated after the reception date is 2236; changing its date after signing is 2335', async () => {
    expect(await process(rc([summaryLine({ number: nextNumber() })], { issueDate: '2026-11-29', referenceDate: '2026-11-28' }))).toMatchObject({ responseCode: '2236' });
    const doc = rc([summaryLine({ number: nextNumber() })]);
    const renamed = doc.xml.replace('<cbc:IssueDate>2026-11-28</cbc:IssueDate>', '<cbc:IssueDate>2026-11-27</cbc:IssueDate>');
    // Altering the date breaks the signature first: SUNAT checks the signature before the content.
    expect(await client.sendSummary(doc.fileName, zipNamed(doc.baseName, renamed))).toMatchObject({ code: '2335' });
  });

  it('a rejected summary changes nothing in the ledger', async () => {
    const n = nextNumber();
    const out = await process(rc([summaryLine({ number: n }), summaryLine({ number: 66_666, condition: '3' })]));
    expect(out).toMatchObject({ responseCode: '2663' });
    expect(ledger(`${TEST_RUC}-03-B001-${n}`)).toBeUndefined();
  });
});
