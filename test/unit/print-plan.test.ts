// Silent printing's decisions (src-main/documents/print-plan.ts), and `lp` run for real against a stand-in `lp` on PATH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cupsMedia, DEFAULT_PRINTER_LABEL, electronPrintErrorMessage, findPrinter, layoutOf, missingPrinterMessage, lpCommand, pageMicrons, pdfPageSize, planPrint, PrintError,
  spool, spoolerErrorMessage,
} from '../../src-main/documents/print-plan';
import { printableDocument } from '../../src-main/documents/printable';
import { ticketPdf } from '../../src-main/documents/ticket';
import { a4Pdf } from '../../src-main/documents/a4';
import { demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
const pdfs: { t80: Buffer; t58: Buffer; a4: Buffer } = {} as never;
beforeAll(async () => {
  t = demoApp();
  const p = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1`).get() as { id: number };
  const sale = t.app.sell(t.cashier, t.terminalId, { documentType: '03', lines: [{ productId: p.id, quantity: '2' }], payments: [{ method: 'cash', amount: '100.00' }] });
  const doc = printableDocument(t.app.db, sale.documentId);
  pdfs.t80 = await ticketPdf(doc, { width: 80 });
  pdfs.t58 = await ticketPdf(doc, { width: 58 });
  pdfs.a4 = await a4Pdf(doc);
});
afterAll(async () => {
  await t.close();
});

const plan = (over: Partial<Parameters<typeof planPrint>[0]> = {}) =>
  planPrint({ platform: 'linux', printerName: 'TM-T20', paperWidth: 80, pdf: pdfs.t80, title: 'B001-00000001', file: '/tmp/x.pdf', ...over });

describe('the page comes from the paper width and the PDF itself', () => {
  it('reads the cropped ticket page from its MediaBox', () => {
    const s80 = pdfPageSize(pdfs.t80)!;
    expect(s80.widthPt).toBeCloseTo((80 / 25.4) * 72, 1);
    // Cropped to its content: far shorter than the 700 pt it was drawn on, longer than a few lines.
    expect(s80.heightPt).toBeGreaterThan(200);
    expect(s80.heightPt).toBeLessThan(700);
    expect(pdfPageSize(pdfs.t58)!.widthPt).toBeCloseTo((58 / 25.4) * 72, 1);
    expect(pdfPageSize(Buffer.from('not a pdf'))).toBeNull();
  });

  it('a ticket is the roll width by the PDF height, in microns; A4 is A4', () => {
    const s = pdfPageSize(pdfs.t80)!;
    expect(layoutOf(s)).toBe('ticket');
    const m = pageMicrons('ticket', 80, s);
    expect(m.width).toBe(80_000);
    expect(m.height).toBe(Math.ceil((s.heightPt * 25_400) / 72));
    expect(pageMicrons('ticket', 58, pdfPageSize(pdfs.t58)!).width).toBe(58_000);
    expect(layoutOf(pdfPageSize(pdfs.a4)!)).toBe('a4');
    expect(pageMicrons('a4', 80, pdfPageSize(pdfs.a4)!)).toEqual({ width: 210_000, height: 297_000 });
    // Never under Electron's 353-micron minimum.
    expect(pageMicrons('ticket', 80, { widthPt: 226.77, heightPt: 0.1 }).height).toBe(353);
  });

  it('names the page for CUPS', () => {
    expect(cupsMedia('ticket', { width: 80_000, height: 143_456 })).toBe('Custom.80x143.5mm');
    expect(cupsMedia('ticket', { width: 58_000, height: 100_000 })).toBe('Custom.58x100mm');
    expect(cupsMedia('a4', { width: 210_000, height: 297_000 })).toBe('A4');
  });
});

describe('which printer and how', () => {
  it('a ticket goes to the configured printer with lp on Linux and macOS', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const p = plan({ platform });
      expect(p.method).toBe('lp');
      expect(p.printer).toBe('TM-T20');
      expect(p.printerLabel).toBe('TM-T20');
      expect(p.command!.file).toBe('lp');
      expect(p.command!.args).toEqual(['-d', 'TM-T20', '-t', 'B001-00000001', '-n', '1', '-o', `media=${cupsMedia('ticket', p.pageMicrons)}`, '-o', 'print-scaling=none', '--', '/tmp/x.pdf']);
    }
  });

  it('no printer name means the system default printer (no -d)', () => {
    const p = plan({ printerName: '  ' });
    expect(p.printer).toBeNull();
    expect(p.printerLabel).toBe(DEFAULT_PRINTER_LABEL);
    expect(p.command!.args).not.toContain('-d');
  });

  it('an A4 document goes to the default printer on A4, never to the receipt roll', () => {
    const p = plan({ pdf: pdfs.a4 });
    expect(p.layout).toBe('a4');
    expect(p.printer).toBeNull();
    expect(p.command!.args).toContain('media=A4');
  });

  it('on Windows the shell prints with Electron: device name, page in microns, no margins, silent', () => {
    const p = plan({ platform: 'win32', paperWidth: 58, pdf: pdfs.t58, printerName: 'POS-58' });
    expect(p.method).toBe('electron');
    expect(p.command).toBeUndefined();
    expect(p.electron).toEqual({
      silent: true, printBackground: true, deviceName: 'POS-58', pageSize: { width: 58_000, height: p.pageMicrons.height },
      margins: { marginType: 'none' }, copies: 1,
    });
    expect(plan({ platform: 'win32', printerName: '' }).electron!.deviceName).toBeUndefined();
  });

  it('arguments stay arguments: spaces in a printer name, a file that looks like an option', () => {
    const c = lpCommand({ printer: 'Caja 1; rm -rf /', media: 'A4', title: '-o evil', file: '-d other.pdf' });
    expect(c.args.slice(0, 2)).toEqual(['-d', 'Caja 1; rm -rf /']);
    expect(c.args.at(-2)).toBe('--');
    expect(c.args.at(-1)).toBe('-d other.pdf');
  });

  it('refuses something that is not a PDF, in Spanish', () => {
    expect(() => plan({ pdf: Buffer.from('<html>') })).toThrow(PrintError);
    expect(() => plan({ pdf: Buffer.from('<html>') })).toThrow(/no es un PDF válido/);
  });
});

describe('errors the cashier can act on', () => {
  it('explains a missing printer, no default, a stopped spooler, no CUPS at all and a timeout', () => {
    expect(spoolerErrorMessage({ code: 1, stderr: 'lp: The printer or class does not exist.' }, 'TM-T20')).toMatch(/^La impresora «TM-T20» no existe en este equipo\. Revise el nombre/);
    expect(spoolerErrorMessage({ code: 1, stderr: 'lp: Error - no default destination available.' }, null)).toMatch(/no tiene una impresora predeterminada/);
    expect(spoolerErrorMessage({ code: 1, stderr: 'lp: Destination "X" is not accepting jobs.' }, 'X')).toMatch(/no está aceptando trabajos/);
    expect(spoolerErrorMessage({ code: 1, stderr: 'lp: scheduler is not running' }, 'X')).toMatch(/servicio de impresión \(CUPS\) no está funcionando/);
    expect(spoolerErrorMessage({ code: 'ENOENT' }, 'X')).toMatch(/No se encontró el sistema de impresión/);
    expect(spoolerErrorMessage({ timedOut: true }, 'X')).toMatch(/no respondió a tiempo/);
    expect(spoolerErrorMessage({ code: 1, stderr: 'something else' }, 'X')).toMatch(/No se pudo imprimir en «X»/);
    for (const m of [spoolerErrorMessage({ code: 'ENOENT' }, 'X'), electronPrintErrorMessage('Print job failed', null)]) expect(m).toMatch(/Abrir PDF/);
  });

  it('finds the configured printer by system or friendly name (Windows checks before printing)', () => {
    const installed = [{ name: 'EPSON_TM_T20II', displayName: 'EPSON TM-T20II Receipt' }, { name: 'Microsoft Print to PDF', displayName: 'Microsoft Print to PDF' }];
    expect(findPrinter(installed, 'epson_tm_t20ii')).toBe('EPSON_TM_T20II');
    expect(findPrinter(installed, 'EPSON TM-T20II Receipt')).toBe('EPSON_TM_T20II');
    expect(findPrinter(installed, 'POS-80')).toBeNull();
    expect(missingPrinterMessage('POS-80')).toMatch(/^La impresora «POS-80» no existe en este equipo\..*Abrir PDF/);
  });

  it("translates Electron's print failures", () => {
    expect(electronPrintErrorMessage('Invalid printer settings', 'POS-80')).toMatch(/«POS-80» no existe en este equipo/);
    expect(electronPrintErrorMessage('Print job canceled', 'POS-80')).toMatch(/Se canceló la impresión/);
    expect(electronPrintErrorMessage('Print job failed', null)).toMatch(/^No se pudo imprimir en la impresora predeterminada/);
  });
});

describe.skipIf(process.platform === 'win32')('lp for real: a stand-in lp on PATH records what it was given', () => {
  let bin = '';
  let record = '';
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-fake-lp-'));
    record = path.join(bin, 'calls.jsonl');
    // Behaves like CUPS' lp: refuses an unknown destination on stderr with exit 1, else prints a request id.
    fs.writeFileSync(path.join(bin, 'lp'), `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const file = args[args.length - 1];
fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ args, head: fs.readFileSync(file).subarray(0, 5).toString('latin1') }) + '\\n');
const d = args.indexOf('-d');
if (d >= 0 && args[d + 1] === 'NoExiste') { process.stderr.write('lp: The printer or class does not exist.\\n'); process.exit(1); }
process.stdout.write('request id is ' + (d >= 0 ? args[d + 1] : 'default') + '-1 (1 file(s))\\n');
`, { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));
  const env = () => ({ ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` });
  const calls = () => fs.readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; head: string });

  it('hands the ticket PDF to lp with the printer and the page, and says where it printed', async () => {
    const file = path.join(bin, 'ticket B001-00000001.pdf');
    fs.writeFileSync(file, pdfs.t80);
    const p = plan({ printerName: 'Caja 1 TM-T20', file });
    expect(await spool(p, { env: env() })).toEqual({ ok: true, printer: 'Caja 1 TM-T20' });
    const last = calls().at(-1)!;
    expect(last.args).toEqual(p.command!.args);
    expect(last.args).toContain(`media=${cupsMedia('ticket', p.pageMicrons)}`);
    expect(last.head).toBe('%PDF-');
  });

  it('a printer that does not exist comes back as a Spanish message, not an exception', async () => {
    const file = path.join(bin, 'x.pdf');
    fs.writeFileSync(file, pdfs.t80);
    const r = await spool(plan({ printerName: 'NoExiste', file }), { env: env() });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^La impresora «NoExiste» no existe en este equipo/) });
  });

  it('no lp at all (CUPS not installed) is a message too', async () => {
    const r = await spool(plan({ file: '/tmp/none.pdf' }), { env: { ...process.env, PATH: bin + '-missing' } });
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/No se encontró el sistema de impresión/) });
  });
});
