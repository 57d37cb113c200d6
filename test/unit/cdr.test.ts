import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCdrRefersTo, decodeXmlBytes, readCdr } from '../../src-main/sunat/cdr';

const DIR = join(__dirname, '../../../shared/sunat/samples/cdr');

// What each real CDR must read as.
const EXPECTED: Record<string, { code: string; ref: string; notes: number; recipient?: string; description?: RegExp }> = {
  'cdrBaja.zip': { code: '0', ref: 'RA-20171001-1', notes: 0, description: /Comunicación de baja/ },
  'cdr-rechazo.zip': { code: '0109', ref: 'F001-2', notes: 0 },
  'cdrGRE.zip': { code: '0', ref: 'T001-1', notes: 1, recipient: '6-20000000002' },
  'R-12345678901-01-F001-00000587.xml': { code: '0', ref: 'F001-00000587', notes: 0, recipient: '6-10414774453' },
  'R-20000000001-09-T001-1.xml': { code: '0', ref: 'T001-1', notes: 1 },
  'R-20600995805-01-F001-3.xml': { code: '0', ref: 'F001-1', notes: 2, recipient: '6-20587896411' },
  'R-20600995805-01-F001-1.xml': { code: '0', ref: 'F001-1', notes: 0 },
  'R-20220557805-01-F001-22Openubl.XML': { code: '0', ref: 'F001-22', notes: 8 },
  'efact_cdr1.xml': { code: '0', ref: 'F001-1', notes: 0, recipient: '20000000001' },
};

describe('CDR reader on SUNAT’s real CDRs', () => {
  const files = readdirSync(DIR);
  it('knows every sample', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', (file) => {
    const cdr = readCdr(new Uint8Array(readFileSync(join(DIR, file))));
    const want = EXPECTED[file];
    expect(cdr.responseCode).toBe(want.code);
    expect(cdr.referenceId).toBe(want.ref);
    expect(cdr.notes).toHaveLength(want.notes);
    if (want.recipient) expect(cdr.recipientId).toBe(want.recipient);
    if (want.description) expect(cdr.description).toMatch(want.description);
    expect(cdr.xml).toContain('ApplicationResponse');
  });

  it('skips the empty `dummy` entry SUNAT puts before the XML', () => {
    const cdr = readCdr(new Uint8Array(readFileSync(join(DIR, 'cdr-rechazo.zip'))));
    expect(cdr.fileName).toBe('R-20600995805-01-F001-2.xml');
  });

  it('decodes ISO-8859-1 as declared (accents survive)', () => {
    const cdr = readCdr(new Uint8Array(readFileSync(join(DIR, 'cdrBaja.zip'))));
    expect(cdr.description).toBe('La Comunicación de baja RA-20171001-1, ha sido aceptada');
    const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>año</a>', 'latin1');
    expect(decodeXmlBytes(new Uint8Array(latin))).toContain('año');
  });

  it('splits observations into code and text', () => {
    const cdr = readCdr(new Uint8Array(readFileSync(join(DIR, 'R-20600995805-01-F001-3.xml'))));
    expect(cdr.notes).toEqual([
      { code: '4031', text: 'Debe indicar el nombre comercial' },
      { code: '4001', text: 'El numero de RUC del receptor no existe.' },
    ]);
    expect(cdr.issueDate).toBe('2016-05-25');
  });

  it('checkCdrRefersTo matches padded numbers and the issuer RUC, and nothing else', () => {
    const cdr = readCdr(new Uint8Array(readFileSync(join(DIR, 'R-12345678901-01-F001-00000587.xml'))));
    expect(checkCdrRefersTo(cdr, 'F001-587')).toBe(true);
    expect(checkCdrRefersTo(cdr, '12345678901-01-F001-587')).toBe(true);
    expect(checkCdrRefersTo(cdr, '20000000001-01-F001-587')).toBe(false);
    expect(checkCdrRefersTo(cdr, 'F001-588')).toBe(false);
    expect(checkCdrRefersTo(cdr, 'F002-587')).toBe(false);
  });

  it('refuses what is not a CDR', () => {
    expect(() => readCdr(new TextEncoder().encode('<Invoice/>'))).toThrow(/no es un CDR/);
    expect(() => readCdr(new TextEncoder().encode('<a>'))).toThrow();
    expect(() => readCdr(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toThrow();
  });
});
