import { describe, expect, it } from 'vitest';
import { classifyCode, FAULT_TABLE, normaliseFaultCode, TRANSPORT_TABLE, type FaultAction } from '../../src-main/sunat/faults';
import { sunatMessage } from '../../src-main/sunat/error-texts';

// DESIGN §5, one row per line of the fault policy, with its edges.
const POLICY: Array<[string, Array<string | number>, FaultAction]> = [
  ['SUNAT cannot answer now (0100–0199)', ['0100', '0109', '0110', '0130', '0140', '0199'], 'retry'],
  ['SUNAT cannot answer now (0200–0204)', ['0200', '0204'], 'retry'],
  ['SUNAT cannot answer now (0250–0253)', ['0250', '0253'], 'retry'],
  ['constancy not recovered (0307)', ['0307'], 'retry'],
  ['credentials (0101–0106)', ['0101', '0102', '0104', '0106'], 'stop_credentials'],
  ['credentials (0111–0113)', ['0111', '0113'], 'stop_credentials'],
  ['RUC not the user’s (0154)', ['0154'], 'stop_credentials'],
  ['issuer not authorized (1078)', ['1078'], 'stop_credentials'],
  ['bad zip / file (0151–0161 but 0154)', ['0151', '0153', '0155', '0158', '0161'], 'final_defect'],
  ['bad XML (0300–0306)', ['0300', '0306'], 'final_defect'],
  ['ids vs file name (1034–1036)', ['1034', '1035', '1036'], 'final_defect'],
  ['1049', ['1049'], 'final_defect'],
  ['already registered (1033, 2223, 4000; 2324 for an RA)', ['1033', '2223', '2324', '4000'], 'already_registered'],
  ['already voided / rejected (1032)', ['1032'], 'final'],
  ['rejected in a CDR (2000–3999)', ['2000', '2017', '2800', '3103', '3999'], 'rejected'],
  ['certificate / signature (2325–2328, 2335)', ['2325', '2326', '2328', '2335'], 'stop_signature'],
  ['accepted (0)', ['0', 0, '0000'], 'accepted'],
  ['accepted with observations (≥ 4000)', ['4001', '4312', '9999'], 'accepted'],
  ['late boleta goes to the summary (1079)', ['1079'], 'send_in_summary'],
];

describe('fault policy table', () => {
  it.each(POLICY)('%s', (_name, codes, action) => {
    for (const code of codes) expect(classifyCode(code).action, `code ${code}`).toBe(action);
  });

  it('ticket 98 means poll later, never resend', () => {
    expect(classifyCode('98', 'ticket').action).toBe('poll_later');
    expect(classifyCode('0', 'ticket').action).toBe('accepted');
    expect(classifyCode('99', 'ticket').action).toBe('rejected');
  });

  it('specific rows override the ranges they sit in', () => {
    expect(classifyCode('0154').action).toBe('stop_credentials'); // inside 0151–0161
    expect(classifyCode('0102').action).toBe('stop_credentials'); // inside 0100–0199
    expect(classifyCode('2335').action).toBe('stop_signature'); // inside 2000–3999
    expect(classifyCode('2223').action).toBe('already_registered'); // inside 2000–3999
  });

  it('every code from 0 to 9999 has exactly one action', () => {
    for (let n = 0; n <= 9999; n++) expect(classifyCode(n).meaning).not.toBe('code outside the table');
    expect(FAULT_TABLE.length).toBeGreaterThan(10);
  });

  it('transport failures retry, and say whether the document may have landed', () => {
    expect(TRANSPORT_TABLE.network_before_send).toMatchObject({ action: 'retry', mayHaveLanded: false });
    for (const k of ['ambiguous', 'http_error', 'empty_body', 'html_page', 'codeless_fault'] as const) {
      expect(TRANSPORT_TABLE[k]).toMatchObject({ action: 'retry', mayHaveLanded: true });
    }
  });
});

describe('normaliseFaultCode', () => {
  it.each([
    ['soap-env:Client.0111', '', '0111'],
    ['soap-env:Server.200', '', '0200'],
    ['Server.109', '', '0109'],
    ['env:Client.1033', 'El comprobante fue registrado previamente', '1033'],
    ['soap:Client', '0306', '0306'],
    ['soap:Server', '2335 - El documento electrónico ingresado ha sido alterado', '2335'],
    ['0102', '', '0102'],
    ['soap:Server', 'Internal error', null],
    ['', '', null],
  ])('%s / %s → %s', (code, text, expected) => {
    expect(normaliseFaultCode(code, text)).toBe(expected);
  });
});

describe('sunatMessage', () => {
  it('gives SUNAT’s Spanish text for any code form', () => {
    expect(sunatMessage('0111')).toBe('No tiene el perfil para enviar comprobantes electronicos');
    expect(sunatMessage('Client.0102')).toBe('Usuario o contrasena incorrectos');
    expect(sunatMessage(2335)).toMatch(/alterado/);
    expect(sunatMessage('12345')).toMatch(/sin código/);
    expect(sunatMessage('0098')).toMatch(/procesando/);
  });
});
