// A stored sale of the demo store printed as ESC/POS to a fake network printer on 127.0.0.1 (a real TCP server), read
// back by the test's decoder; the printers that fail (never reads, refuses, drops the connection, out of paper) each
// end in their Spanish message and leave the sale as it was; a device file and a CUPS raw queue (a stand-in lp).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { demoApp, tempDir, type TestApp } from '../helpers/app';
import { escposBuildTimes, startFakePrinter, type FakePrinter } from '../helpers/fake-printer';
import { decodeEscpos } from '../helpers/escpos-decoder';
import { escposTicket, type EscposOptions } from '../../src-main/documents/escpos';
import { printableDocument } from '../../src-main/documents/printable';
import { escposPrinter } from '../../src-main/documents/escpos-printer';
import { applySettingsPlan, planSettings } from '../../src-main/db/settings-change';
import { parsePrinterUri, printerStatus, sendToPrinter, type PrinterTarget } from '../../src-main/documents/printer-transport';

let t: TestApp;
let cash: { saleId: number; documentId: number };
let card: { saleId: number; documentId: number };
const printers: FakePrinter[] = [];
let dir: string;

beforeAll(() => {
  t = demoApp({ at: '2026-11-27T15:42:00Z' });
  dir = tempDir('izisales-escpos-');
  const products = t.app.db.raw.prepare(`SELECT id, price FROM products WHERE is_bag = 0 AND tax_affectation = '10' ORDER BY id LIMIT 3`).all() as { id: number; price: string }[];
  cash = t.app.sell(t.cashier, t.terminalId, {
    documentType: '03', lines: products.map((p, i) => ({ productId: p.id, quantity: String(i + 1) })),
    payments: [{ method: 'cash', amount: '200.00' }],
  });
  card = t.app.sell(t.cashier, t.terminalId, {
    documentType: '03', lines: [{ productId: products[0].id, quantity: '1' }], payments: [{ method: 'card', amount: products[0].price }],
  });
});
afterAll(async () => {
  for (const p of printers) await p.close();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function printer(mode?: Parameters<typeof startFakePrinter>[0]): Promise<FakePrinter> {
  const p = await startFakePrinter(mode);
  printers.push(p);
  return p;
}

const stored = (documentId: number) =>
  t.app.db.raw.prepare('SELECT d.qr, d.digest_value, s.total_cents, s.igv_cents FROM documents d JOIN sales s ON s.id = d.sale_id WHERE d.id = ?').get(documentId) as { qr: string; digest_value: string; total_cents: number; igv_cents: number };
const soles = (c: number) => `S/ ${(c / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const ticket = (documentId: number, o: EscposOptions = {}) => escposTicket(printableDocument(t.app.db, documentId), o);
/** Everything the sale wrote: a print must change none of it. */
const saleState = (saleId: number) => JSON.stringify([
  t.app.db.raw.prepare('SELECT * FROM sales WHERE id = ?').get(saleId),
  t.app.db.raw.prepare('SELECT * FROM documents WHERE sale_id = ?').all(saleId),
  t.app.db.raw.prepare('SELECT id, state, attempts FROM jobs ORDER BY id').all(),
]);
const FAST = { connectTimeoutMs: 2000, writeTimeoutMs: 1500, statusTimeoutMs: 500 };

describe('a stored sale printed on a network printer', () => {
  it('a cash sale: the paper shows the number, total, IGV, hash and legends with accents right; the QR is the stored text; one cut and one pulse', async () => {
    const p = await printer();
    const bytes = ticket(cash.documentId, { drawer: true, codePage: 'pc850' });
    const sent = await sendToPrinter(parsePrinterUri(p.uri), bytes, { ...FAST, checkStatus: true });
    expect(sent.status).toMatchObject({ answered: true, label: 'lista' });
    await p.ended(1);
    expect(p.connections).toHaveLength(1);
    // What the printer received: the three status requests, then the ticket, byte for byte.
    expect(p.connections[0].subarray(9).equals(Buffer.from(bytes))).toBe(true);
    const paper = decodeEscpos(p.connections[0]);
    expect(paper.unknown).toEqual([]);
    expect(paper.statusRequests).toEqual([1, 2, 4]);
    const s = stored(cash.documentId);
    const text = paper.text;
    for (const needle of ['Bodega Demo', 'RUC 20601234565', 'BOLETA DE VENTA ELECTRÓNICA', 'B001-00000001', '27/11/2026', '10:42',
      `Hash: ${s.digest_value}`, 'Representación impresa de la BOLETA DE VENTA', 'ELECTRÓNICA', 'Consulte en www.sunat.gob.pe',
      '¡Gracias por su compra!', 'Descripción', 'Efectivo', 'Vuelto']) expect(text).toContain(needle);
    expect(paper.lines.find((l) => l.text.startsWith('TOTAL'))!.text).toMatch(new RegExp(`^TOTAL +${soles(s.total_cents).replace('/', '\\/')}$`));
    expect(paper.lines.find((l) => l.text.startsWith('IGV (18%)'))!.text.endsWith(soles(s.igv_cents))).toBe(true);
    expect(paper.lines.find((l) => l.text === 'B001-00000001')).toMatchObject({ bold: true, height: 2 });
    expect(paper.qr.map((q) => q.payload)).toEqual([s.qr]);
    expect(paper.cuts).toEqual(['partial']);
    expect(paper.pulses).toHaveLength(1);
  });

  it('a card sale in WPC1252 on a 58 mm roll: accents right in that code page, no pulse, a full cut when set', async () => {
    const p = await printer();
    await sendToPrinter(parsePrinterUri(p.uri), ticket(card.documentId, { codePage: 'wpc1252', columns: 32, cut: 'full' }), FAST);
    await p.ended(1);
    const paper = decodeEscpos(p.connections[0]);
    expect(paper.codePage).toBe('WPC1252');
    expect(paper.text).toContain('BOLETA DE VENTA ELECTRÓNICA');
    expect(paper.text).toContain('¡Gracias por su compra!');
    expect(paper.text).toContain('Tarjeta');
    for (const l of paper.lines) expect(l.text.length * l.width).toBeLessThanOrEqual(32);
    expect(paper.qr.map((q) => q.payload)).toEqual([stored(card.documentId).qr]);
    expect(paper.cuts).toEqual(['full']);
    expect(paper.pulses).toEqual([]);
  });

  it('builds a ticket in a few milliseconds (the bench helper times it)', () => {
    const times = escposBuildTimes(20, printableDocument(t.app.db, cash.documentId));
    expect(times).toHaveLength(20);
    expect(times.every((ms) => ms >= 0)).toBe(true);
  });

  it('the printer out of paper says so when asked; the ticket is not sent into it', async () => {
    const p = await printer({ kind: 'paper-out' });
    const target = parsePrinterUri(p.uri);
    expect(await printerStatus(target, FAST)).toMatchObject({ answered: true, paperOut: true, label: 'sin papel' });
    const before = saleState(cash.saleId);
    await expect(sendToPrinter(target, ticket(cash.documentId, { drawer: true }), { ...FAST, checkStatus: true }))
      .rejects.toThrow(`Impresora sin papel (127.0.0.1:${p.port})`);
    await p.ended(2);
    expect(p.connections[1].length).toBe(9); // the status requests only
    expect(decodeEscpos(p.connections[1]).pulses).toEqual([]);
    expect(saleState(cash.saleId)).toBe(before);
  });

  it('a printer that does not answer the status is "sin estado", and prints all the same', async () => {
    const p = await printer({ kind: 'normal', status: false });
    const target = parsePrinterUri(p.uri);
    expect(await printerStatus(target, FAST)).toEqual({ answered: false, label: 'sin estado' });
    const sent = await sendToPrinter(target, ticket(card.documentId), { ...FAST, checkStatus: true });
    expect(sent.status).toEqual({ answered: false, label: 'sin estado' });
    await p.ended(2);
    expect(decodeEscpos(p.connections[1]).qr.map((q) => q.payload)).toEqual([stored(card.documentId).qr]);
  });
});

describe('printers that fail: each its message, the sale untouched', () => {
  const cases: [string, Parameters<typeof startFakePrinter>[0], (port: number) => string][] = [
    ['accepts and never reads', { kind: 'never-reads' }, (port) => `La impresora no responde (127.0.0.1:${port})`],
    ['refuses the connection', { kind: 'refuses' }, (port) => `La impresora rechazó la conexión (127.0.0.1:${port})`],
    ['closes in the middle of the ticket', { kind: 'closes-mid-ticket', afterBytes: 300 }, (port) => `La conexión con la impresora se cortó a mitad del ticket (127.0.0.1:${port})`],
  ];
  it.each(cases)('a printer that %s', async (_name, mode, message) => {
    const p = await printer(mode);
    const before = saleState(cash.saleId);
    await expect(sendToPrinter(parsePrinterUri(p.uri), ticket(cash.documentId, { drawer: true }), { ...FAST, checkStatus: true }))
      .rejects.toThrow(message(p.port));
    expect(saleState(cash.saleId)).toBe(before);
    if (mode?.kind === 'closes-mid-ticket') expect(p.connections[0].length).toBe(300);
  });
});

describe('a device file and a CUPS raw queue', () => {
  it('writes the ticket to a device path; a missing one or a folder gets its message', async () => {
    const file = path.join(dir, 'lp0');
    fs.writeFileSync(file, '');
    const bytes = ticket(cash.documentId, { drawer: true });
    await sendToPrinter(parsePrinterUri(file), bytes, FAST);
    expect(fs.readFileSync(file).equals(Buffer.from(bytes))).toBe(true);
    const missing = path.join(dir, 'usb', 'lp9');
    await expect(sendToPrinter({ kind: 'device', path: missing }, bytes, FAST)).rejects.toThrow(`No se encontró la impresora en ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
    await expect(sendToPrinter({ kind: 'device', path: dir }, bytes, FAST)).rejects.toThrow('es una carpeta, no una impresora');
  });

  it('hands the bytes to lp -d QUEUE -o raw; an unknown queue and a missing lp (cups-client) are messages', async () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const record = path.join(dir, 'lp-record');
    // Behaves like CUPS' lp: an unknown destination is refused on stderr with exit 1.
    fs.writeFileSync(path.join(bin, 'lp'), `#!/usr/bin/env node
const args = process.argv.slice(2);
if (args[args.indexOf('-d') + 1] === 'NoExiste') { process.stderr.write('lp: The printer or class does not exist.\\n'); process.exit(1); }
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', () => {
  require('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, bytes: Buffer.concat(chunks).toString('base64') }));
  process.stdout.write('request id is TM-T20-1 (1 file(s))\\n');
});
`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const bytes = ticket(cash.documentId);
    await sendToPrinter(parsePrinterUri('lp://TM-T20'), bytes, { ...FAST, env });
    const got = JSON.parse(fs.readFileSync(record, 'utf8')) as { args: string[]; bytes: string };
    expect(got.args.slice(0, 4)).toEqual(['-d', 'TM-T20', '-o', 'raw']);
    expect(Buffer.from(got.bytes, 'base64').equals(Buffer.from(bytes))).toBe(true);
    await expect(sendToPrinter({ kind: 'lp', queue: 'NoExiste' }, bytes, { ...FAST, env })).rejects.toThrow('La cola de impresión «NoExiste» no existe');
    await expect(sendToPrinter({ kind: 'lp', queue: 'TM-T20' }, bytes, { ...FAST, env: { ...process.env, PATH: `${bin}-missing` } }))
      .rejects.toThrow(/cups-client/);
  });

  it('reads the printer addresses a store types, and refuses the rest with how to write them', () => {
    const cases: [string, PrinterTarget][] = [
      ['tcp://192.168.1.50:9100', { kind: 'tcp', host: '192.168.1.50', port: 9100 }],
      ['tcp://caja1.local', { kind: 'tcp', host: 'caja1.local', port: 9100 }],
      [' tcp://[fe80::1]:9101 ', { kind: 'tcp', host: 'fe80::1', port: 9101 }],
      ['/dev/usb/lp0', { kind: 'device', path: '/dev/usb/lp0' }],
      ['COM3', { kind: 'device', path: 'COM3' }],
      ['lp://TM-T20', { kind: 'lp', queue: 'TM-T20' }],
    ];
    for (const [uri, target] of cases) expect(parsePrinterUri(uri)).toEqual(target);
    for (const bad of ['192.168.1.50', 'tcp://host:99999', 'http://printer', 'lp://', '']) {
      expect(() => parsePrinterUri(bad)).toThrow(/Escriba tcp:\/\/IP:9100/);
    }
  });

  it('keeps the terminal\'s thermal printer as a setting: a bad address is refused and changes nothing', () => {
    const db = t.app.db;
    const now = new Date('2026-11-27T15:50:00Z');
    expect(escposPrinter(db)).toBeNull();
    const refused = planSettings(db, null, now, { printer: { escpos: { uri: '192.168.1.50', codePage: 'pc850', qr: 'native', cut: 'partial' } } });
    expect(refused.issues).toEqual([{ path: 'printer.escpos.uri', message: expect.stringMatching(/Escriba tcp:\/\/IP:9100/) }]);
    expect(escposPrinter(db)).toBeNull();
    const plan = planSettings(db, null, now, { printer: { paperWidth: 58, escpos: { uri: ' tcp://192.168.1.50 ', codePage: 'wpc1252', qr: 'raster', cut: 'full' } } });
    expect(plan.issues).toEqual([]);
    applySettingsPlan(db, now, t.supervisor.id, plan);
    expect(escposPrinter(db)).toMatchObject({
      label: '192.168.1.50:9100', target: { kind: 'tcp', host: '192.168.1.50', port: 9100 },
      layout: { columns: 32, codePage: 'wpc1252', qr: 'raster', cut: 'full' },
    });
    // The CLI's --printer replaces only the address.
    expect(escposPrinter(db, '/dev/usb/lp0')).toMatchObject({ label: '/dev/usb/lp0', layout: { codePage: 'wpc1252' } });
    applySettingsPlan(db, now, t.supervisor.id, planSettings(db, null, now, { printer: { paperWidth: 80, escpos: null } }));
    expect(escposPrinter(db)).toBeNull();
  });
});
