// The simulator's rules for credit and debit notes, as SUNAT applies them (spec/validaciones, NotaCredito2_0): a note
// modifies a document SUNAT holds (2119 / 2209 otherwise, 2121 / 2208 when it was rejected), and a credit note takes
// no more than is left of it (3286 on a factura; on a boleta an observation, 4028).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSunatClient, endpointsFor, type SunatClient } from '../../src-main/sunat/client';
import type { NoteDocument, SaleDocument } from '../../src-main/sunat/model';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { computeSale } from '../../src-shared/tax';
import { saleModel, signedReal, TEST_RUC } from '../helpers/sign-fixture';

let sim: Simulator;
let client: SunatClient;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  client = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc: TEST_RUC, solUser: 'MODDATOS', solPassword: 'moddatos' });
});
afterAll(async () => {
  client?.close();
  await sim?.close();
});

const today = new Date().toISOString().slice(0, 10);
let next = 1;

function note(ref: SaleDocument, prices: string[], type: '07' | '08' = '07'): NoteDocument {
  const base = saleModel({ type: ref.documentType as '01' | '03', number: next++, issueDate: today, prices, customer: ref.customer });
  const lines = computeSale(prices.map((p) => ({ quantity: '1', unitPrice: p, taxAffectation: '10' as const })));
  return {
    ...base, documentType: type, series: `${ref.series[0]}${type === '07' ? 'C' : 'D'}01`, totals: lines.totals,
    reference: { documentType: ref.documentType as '01' | '03', series: ref.series, number: ref.number, reasonCode: type === '07' ? '07' : '02', reason: 'DEVOLUCION' },
  };
}
const send = (doc: SaleDocument) => {
  const s = signedReal(doc);
  return client.sendBill(s.fileName, s.zip);
};

describe('notes at the simulator', () => {
  it('a credit note on an accepted factura is accepted; one for more than is left of it is rejected with 3286', async () => {
    const factura = saleModel({ type: '01', number: next++, issueDate: today, prices: ['118.00'] });
    expect(await send(factura)).toMatchObject({ kind: 'accepted' });
    expect(await send(note(factura, ['59.00']))).toMatchObject({ kind: 'accepted' });
    expect(await send(note(factura, ['59.00']))).toMatchObject({ kind: 'accepted' });
    expect(await send(note(factura, ['0.10']))).toMatchObject({ kind: 'rejected', responseCode: '3286' });
  });

  it('a note on a number SUNAT does not hold: 2119 for a credit note, 2209 for a debit note', async () => {
    const never = saleModel({ type: '01', number: 99_999, issueDate: today, prices: ['118.00'] });
    expect(await send(note(never, ['10.00']))).toMatchObject({ kind: 'rejected', responseCode: '2119' });
    expect(await send(note(never, ['10.00'], '08'))).toMatchObject({ kind: 'rejected', responseCode: '2209' });
  });

  it('on a boleta, more than is left is an observation (4028), not a rejection', async () => {
    const boleta = saleModel({ type: '03', number: next++, issueDate: today, prices: ['59.00'] });
    expect(await send(boleta)).toMatchObject({ kind: 'accepted' });
    const o = await send(note(boleta, ['60.00']));
    expect(o).toMatchObject({ kind: 'observed' });
    expect(JSON.stringify(o)).toContain('4028');
  });
});
