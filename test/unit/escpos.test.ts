// The ESC/POS ticket's bytes (src-main/documents/escpos.ts), read back by the test's own decoder
// (test/helpers/escpos-decoder.ts): code pages byte by byte against the published tables, columns, QR, cut, drawer.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { EscposWriter, encodeText, escposTicket, drawerPulseBytes, type CodePage, type Columns } from '../../src-main/documents/escpos';
import { loadQrEncoder } from '../../src-main/documents/qr';
import type { PrintableDocument } from '../../src-main/documents/printable';
import { decodeEscpos, printedWidth, rasterToPgm, readRasterQr } from '../helpers/escpos-decoder';
import { requireTools } from '../helpers/tools';

beforeAll(() => loadQrEncoder());

const QR = '20601234565|03|B001|00000042|18.92|124.00|2026-11-27|1|12345678|d2FzIGhlcmUgYSBoYXNoIG9mIHRoZSBYTUw=|';

function model(over: Partial<PrintableDocument> = {}): PrintableDocument {
  return {
    documentId: 1, documentType: '03', title: 'BOLETA DE VENTA ELECTRÓNICA', number: 'B001-00000042', fileName: 'x',
    date: '27/11/2026', time: '10:42', issuedAt: '2026-11-27T15:42:00Z',
    store: { ruc: '20601234565', legalName: 'PANADERÍA SEÑOR DE LOS MILAGROS S.A.C.', tradeName: 'Panadería Ñaña', address: 'Av. José Gálvez 123, Miraflores, Lima' },
    customer: { docType: '1', docLabel: 'DNI', docNumber: '12345678', name: 'MARÍA ÚRSULA NÚÑEZ DEL ÁGUILA', address: null },
    lines: [
      { quantity: '2', unitCode: 'NIU', description: 'Pan francés', unitPrice: '0.50', amountCents: 100 },
      { quantity: '1.250', unitCode: 'KGM', description: 'Queso fresco de Cajamarca artesanal, pedido especial para cumpleaños con pingüino', unitPrice: '24.9000000000', amountCents: 3113 },
      { quantity: '1000', unitCode: 'NIU', description: 'Caja', unitPrice: '1234.5678901234', amountCents: 123456789 },
    ],
    totals: { gravadoCents: 10508, exoneradoCents: 0, inafectoCents: 0, gratuitoCents: 0, discountCents: 0, igvCents: 1892, icbperCents: 0, totalCents: 12400 },
    igvRate: '0.18', currency: 'PEN', amountInWords: 'CIENTO VEINTICUATRO CON 00/100 SOLES',
    payments: [{ method: 'Efectivo', amountCents: 12400, tenderedCents: 20000 }], changeCents: 7600,
    cashier: 'Cajero Demo', qr: QR, hash: 'd2FzIGhlcmUgYSBoYXNoIG9mIHRoZSBYTUw=',
    ...over,
  };
}

// IBM's code page 850 and Windows-1252 (Latin-1 for these), as published.
const ACCENTS: [string, number, number][] = [
  ['á', 0xa0, 0xe1], ['é', 0x82, 0xe9], ['í', 0xa1, 0xed], ['ó', 0xa2, 0xf3], ['ú', 0xa3, 0xfa],
  ['Á', 0xb5, 0xc1], ['É', 0x90, 0xc9], ['Í', 0xd6, 0xcd], ['Ó', 0xe0, 0xd3], ['Ú', 0xe9, 0xda],
  ['ñ', 0xa4, 0xf1], ['Ñ', 0xa5, 0xd1], ['ü', 0x81, 0xfc], ['Ü', 0x9a, 0xdc],
  ['¿', 0xa8, 0xbf], ['¡', 0xad, 0xa1], ['°', 0xf8, 0xb0],
];

describe('code pages', () => {
  it.each(ACCENTS)('%s: its byte in PC850 and in WPC1252', (ch, pc850, wpc1252) => {
    expect([...encodeText(ch, 'pc850')]).toEqual([pc850]);
    expect([...encodeText(ch, 'wpc1252')]).toEqual([wpc1252]);
  });

  it('prints anything else unknown as "?", dashes and quotes as their plain twins, ASCII as is', () => {
    for (const cp of ['pc850', 'wpc1252'] as CodePage[]) {
      expect(Buffer.from(encodeText('€ ç 😀 ok', cp)).toString('latin1')).toBe('? ? ? ok');
      expect(Buffer.from(encodeText('B001 — “devolución”', cp)).subarray(0, 8).toString('latin1')).toBe('B001 - "');
      expect([...encodeText('x\u0007y', cp)]).toEqual([0x78, 0x3f, 0x79]); // no control byte ever reaches the printer
    }
  });

  it.each(['pc850', 'wpc1252'] as CodePage[])('a ticket in %s selects its code page and reads back with every accent right', (cp) => {
    const t = decodeEscpos(escposTicket(model(), { codePage: cp }));
    expect(t.unknown).toEqual([]);
    expect(t.codePage).toBe(cp === 'pc850' ? 'PC850' : 'WPC1252');
    for (const needle of ['Panadería Ñaña', 'PANADERÍA SEÑOR DE LOS MILAGROS', 'BOLETA DE VENTA ELECTRÓNICA', 'MARÍA ÚRSULA NÚÑEZ DEL ÁGUILA',
      'Av. José Gálvez', 'Pan francés', 'pingüino', '¡Gracias por su compra!', 'Representación impresa de la BOLETA DE VENTA ELECTRÓNICA']) {
      expect(t.text.replace(/\n/g, ' ')).toContain(needle);
    }
  });
});

describe('layout', () => {
  it.each([48, 32] as Columns[])('no line runs past %i columns, long descriptions wrap and the amounts stay whole and right-aligned', (cols) => {
    const t = decodeEscpos(escposTicket(model({ customer: { ...model().customer, name: 'X'.repeat(70) } }), { columns: cols, copy: true }));
    expect(t.unknown).toEqual([]);
    for (const l of t.lines) expect(printedWidth(l), l.text).toBeLessThanOrEqual(cols);
    const total = t.lines.find((l) => l.text.startsWith('TOTAL'))!;
    expect(total.text).toMatch(/^TOTAL +S\/ 124\.00$/);
    expect(total.text.length).toBe(cols);
    expect(total.bold).toBe(true);
    expect(t.lines.some((l) => l.text.endsWith('1,234,567.89'))).toBe(true);
    expect(t.lines.some((l) => l.text.endsWith('31.13'))).toBe(true);
    expect(t.text).toContain('1234.5678901234');
    expect(t.lines.find((l) => l.text.startsWith('IGV (18%)'))!.text).toMatch(/ S\/ 18\.92$/);
    expect(t.lines.filter((l) => l.text.includes('pingüino') || l.text.includes('Queso fresco')).length).toBe(2); // wrapped: first and last of several lines
    const copy = t.lines.find((l) => l.text === 'COPIA')!;
    expect(copy).toMatchObject({ bold: true, height: 2, width: 2, align: 'center' });
  });

  it('the store name and the number are bold and double height, centred', () => {
    const t = decodeEscpos(escposTicket(model()));
    expect(t.lines.find((l) => l.text === 'Panadería Ñaña')).toMatchObject({ bold: true, height: 2, width: 1, align: 'center' });
    expect(t.lines.find((l) => l.text === 'B001-00000042')).toMatchObject({ bold: true, height: 2, align: 'center' });
    expect(t.lines.find((l) => l.text.startsWith('OP. GRAVADA'))).toMatchObject({ bold: false, height: 1, align: 'left' });
    expect(t.inits).toBe(1);
  });
});

describe('QR, cut and drawer', () => {
  it('the native QR stores the SUNAT text with model 2 and level M, prints it once; one partial cut; no pulse unless asked', () => {
    const t = decodeEscpos(escposTicket(model()));
    expect(t.qr).toEqual([{ payload: QR, model: 2, moduleSize: 6, errorLevel: 'M', printed: true }]);
    expect(t.images).toEqual([]);
    expect(t.cuts).toEqual(['partial']);
    expect(t.pulses).toEqual([]);
    expect(t.text).toContain(`Hash: ${model().hash}`);
    const asked = decodeEscpos(escposTicket(model(), { drawer: true, cut: 'full', columns: 32 }));
    expect(asked.cuts).toEqual(['full']);
    expect(asked.pulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    expect(asked.qr[0].moduleSize).toBe(5);
    expect(decodeEscpos(drawerPulseBytes())).toMatchObject({ pulses: [{ pin: 2 }], cuts: [], lines: [] });
  });

  it('an unsigned document prints no QR and no hash', () => {
    const t = decodeEscpos(escposTicket(model({ qr: null, hash: null }), { qr: 'raster' }));
    expect(t.qr).toEqual([]);
    expect(t.images).toEqual([]);
    expect(t.text).not.toContain('Hash');
  });

  it('the raster QR holds the same matrix as the SUNAT text encoded at level M, and a barcode reader reads it back', () => {
    for (const cols of [48, 32] as Columns[]) {
      const bytes = escposTicket(model(), { qr: 'raster', columns: cols, qrModule: 16 }); // too big: held to the roll
      const t = decodeEscpos(bytes);
      expect(t.unknown).toEqual([]);
      expect(t.qr).toEqual([]);
      expect(t.images).toHaveLength(1);
      const img = t.images[0];
      expect(img.widthDots).toBeLessThanOrEqual(cols === 48 ? 576 : 384);
      // One byte-mode segment, as the PDF's QR (the hash's base64 is byte mode anyway).
      const expected = QRCode.create([{ data: Buffer.from(QR), mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules;
      const read = readRasterQr(img);
      expect(read.length).toBe(expected.size);
      const mismatches = read.flatMap((row, y) => row.filter((dark, x) => dark !== !!expected.get(y, x)));
      expect(mismatches).toEqual([]);
      // No real-time command (DLE EOT / ENQ / DC4 — DC4 opens the drawer) hides in the image data.
      const data = Buffer.from(img.data);
      for (const second of [0x04, 0x05, 0x14]) expect(data.includes(Buffer.of(0x10, second))).toBe(false);
    }
    requireTools('zbarimg');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-escpos-'));
    try {
      const file = path.join(dir, 'qr.pgm');
      fs.writeFileSync(file, rasterToPgm(decodeEscpos(escposTicket(model(), { qr: 'raster' })).images[0]));
      expect(execFileSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()).toBe(QR);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('images', () => {
  it('an image whose dots would spell a real-time command (DLE DC4 1: pulse the drawer) loses that one dot and nothing else', () => {
    // One row of 24 dots: bytes 0x10 0x14 0x01 as drawn — a lone dot at x 3, dots at 11 and 13, one at 23.
    const dots = new Set([3, 11, 13, 23]);
    const w = new EscposWriter(48, 'pc850').image({ width: 24, height: 1, dark: (x) => dots.has(x) });
    const t = decodeEscpos(w.bytes());
    expect(t.unknown).toEqual([]);
    expect(t.pulses).toEqual([]);
    expect(t.images).toHaveLength(1);
    expect([...t.images[0].data]).toEqual([0x00, 0x14, 0x01]);
  });
});
