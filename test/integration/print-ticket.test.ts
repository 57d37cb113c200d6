// The `print.ticket` job (issue 17): with a thermal printer set, every sale, refund and debit note queues its ticket in
// its own transaction and the runner prints it on a fake network printer (a real TCP server on 127.0.0.1), read back
// by the test's decoder: the drawer opens exactly with cash; printers that fail are retried, then the job fails with
// the printer's sentence and the sale is untouched; the screen hears each outcome (`print.updated`). Also the logo
// (a PNG decoded to a 1-bit bitmap printed at the top) and "Reimprimir" (COPIA rules, never the drawer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { demoApp, type TestApp } from '../helpers/app';
import { startFakePrinter, type FakePrinter } from '../helpers/fake-printer';
import { decodeEscpos } from '../helpers/escpos-decoder';
import { applySettingsPlan, planSettings } from '../../src-main/db/settings-change';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { pauseSunat } from '../../src-main/jobs/store';
import { PRINT_TICKET, printTicketSpec } from '../../src-main/jobs/print-ticket';
import { printReprint, reprintTicket, setTicketLogo, ticketPrintStatus } from '../../src-main/pos/thermal-prints';
import { decodePng, toLogo } from '../../src-main/documents/logo';
import type { Runner } from '../../src-main/jobs/runner';
import type { TicketPrintView } from '../../src-shared/printer';
import { main } from '../../src-main/cli';

let t: TestApp;
let runner: Runner;
const printers: FakePrinter[] = [];
const events: TicketPrintView[] = [];
let products: { id: number; price: string }[];

beforeAll(() => {
  t = demoApp({ at: '2026-11-27T15:42:00Z' });
  // SUNAT sending held: this file is about the printer (pausable kinds are skipped; print.ticket is not one).
  pauseSunat(t.app.db, t.clock.now(), 'pruebas de impresión', null);
  products = t.app.db.raw.prepare(`SELECT id, price FROM products WHERE is_bag = 0 AND tax_affectation = '10' ORDER BY id LIMIT 3`).all() as { id: number; price: string }[];
  t.app.events.on('print.updated', (e) => events.push(e));
  runner = createRunner({
    app: t.app, monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
    // Short timeouts and no wait between tries, so the failing printers end in a second or two.
    handlers: { [PRINT_TICKET]: printTicketSpec({ timeouts: { connectTimeoutMs: 500, writeTimeoutMs: 700, statusTimeoutMs: 200 }, retryDelayMs: 0 }) },
    options: { pollMs: 20, heartbeatMs: 0, checkpoints: false },
  });
  runner.start();
});
afterAll(async () => {
  await runner.stop();
  for (const p of printers) await p.close();
  await t.close();
});

async function usePrinter(mode?: Parameters<typeof startFakePrinter>[0]): Promise<FakePrinter> {
  const p = await startFakePrinter(mode);
  printers.push(p);
  const now = t.clock.now();
  applySettingsPlan(t.app.db, now, t.supervisor.id, planSettings(t.app.db, null, now, { printer: { escpos: { uri: p.uri, codePage: 'pc850', qr: 'native', cut: 'partial' } } }));
  return p;
}

const sell = (payments: { method: 'cash' | 'card'; amount: string }[]) => t.app.sell(t.cashier, t.terminalId, {
  documentType: '03', lines: [{ productId: products[0].id, quantity: '2' }, { productId: products[1].id, quantity: '1' }], payments,
});
const total = () => (Number(products[0].price) * 2 + Number(products[1].price)).toFixed(2);
const printJob = (documentId: number) => t.app.db.raw.prepare(`SELECT * FROM jobs WHERE idempotency_key = ?`).get(`print.ticket:${documentId}`) as
  { id: number; state: string; attempts: number; last_error: string | null; payload: string } | undefined;
const runsOf = (jobId: number) => (t.app.db.raw.prepare('SELECT count(*) AS n FROM job_runs WHERE job_id = ?').get(jobId) as { n: number }).n;
const stored = (documentId: number) =>
  t.app.db.raw.prepare('SELECT d.qr, d.digest_value, s.total_cents, s.igv_cents FROM documents d JOIN sales s ON s.id = d.sale_id WHERE d.id = ?').get(documentId) as { qr: string; digest_value: string; total_cents: number; igv_cents: number };
const soles = (c: number) => `S/ ${(c / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
const saleState = (saleId: number) => JSON.stringify([
  t.app.db.raw.prepare('SELECT * FROM sales WHERE id = ?').get(saleId),
  t.app.db.raw.prepare('SELECT * FROM documents WHERE sale_id = ?').all(saleId),
  t.app.db.raw.prepare('SELECT * FROM payments WHERE sale_id = ?').all(saleId),
]);
const prints = (documentId: number) => (t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'document.print' AND entity_id = ? ORDER BY id`).all(String(documentId)) as { details: string }[])
  .map((r) => JSON.parse(r.details) as Record<string, unknown>);

describe('each sale prints on the thermal printer by itself', () => {
  it('no thermal printer: no print job; the screen prints the PDF as before', () => {
    const s = sell([{ method: 'cash', amount: '200.00' }]);
    expect(s.ticketPrinter).toBeNull();
    expect(printJob(s.documentId)).toBeUndefined();
  });

  it('a cash sale: one ticket with number, total, IGV, hash and legends, the stored QR, one cut and one pulse; audited as the original', async () => {
    const p = await usePrinter();
    const s = sell([{ method: 'cash', amount: '200.00' }]);
    expect(s.ticketPrinter).toBe(`127.0.0.1:${p.port}`);
    expect(printJob(s.documentId)).toMatchObject({ state: 'queued' }); // committed with the sale
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(1);
    expect(p.connections).toHaveLength(1);
    const paper = decodeEscpos(p.connections[0]);
    expect(paper.unknown).toEqual([]);
    expect(paper.statusRequests).toEqual([1, 2, 4]); // asked before printing: an empty printer would refuse
    const d = stored(s.documentId);
    for (const needle of [s.number, `Hash: ${d.digest_value}`, 'Representación impresa de la BOLETA DE VENTA', 'Consulte en www.sunat.gob.pe', '¡Gracias por su compra!', 'Vuelto']) {
      expect(paper.text).toContain(needle);
    }
    expect(paper.lines.find((l) => l.text.startsWith('TOTAL'))!.text.endsWith(soles(d.total_cents))).toBe(true);
    expect(paper.lines.find((l) => l.text.startsWith('IGV (18%)'))!.text.endsWith(soles(d.igv_cents))).toBe(true);
    expect(paper.text).not.toContain('COPIA');
    expect(paper.qr.map((q) => q.payload)).toEqual([d.qr]);
    expect(paper.cuts).toEqual(['partial']);
    expect(paper.pulses).toHaveLength(1);
    expect(printJob(s.documentId)).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect(prints(s.documentId)).toEqual([expect.objectContaining({ saleId: s.saleId, copy: false, format: 'escpos', print: 1, drawer: true, via: 'print.ticket' })]);
    expect(events.filter((e) => e.saleId === s.saleId)).toEqual([expect.objectContaining({ state: 'printed', number: s.number, message: null })]);
    expect(ticketPrintStatus(t.app.db, t.cashier, { saleId: s.saleId })).toMatchObject({ state: 'printed' });
  });

  it('card only: no pulse; cash and card together: the pulse', async () => {
    const p = await usePrinter();
    const card = sell([{ method: 'card', amount: total() }]);
    const mixed = sell([{ method: 'card', amount: '1.00' }, { method: 'cash', amount: '100.00' }]);
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(2);
    const [a, b] = p.connections.map((c) => decodeEscpos(c));
    expect(a.text).toContain(card.number);
    expect(a.pulses).toEqual([]);
    expect(a.cuts).toHaveLength(1);
    expect(b.text).toContain(mixed.number);
    expect(b.pulses).toHaveLength(1);
  });

  it('a refund in cash opens the drawer with the credit note; a refund to the card does not', async () => {
    const p = await usePrinter();
    const s = sell([{ method: 'cash', amount: '200.00' }]);
    const c = sell([{ method: 'card', amount: total() }]);
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(2);
    const cash = t.app.returnSale(t.cashier, t.terminalId, { saleId: s.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const card = t.app.returnSale(t.cashier, t.terminalId, { saleId: c.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'original' });
    // The return's answer names the printer, so its dialog follows the note's ticket (and reprints there, not a PDF).
    expect(cash.ticketPrinter).toBe(`127.0.0.1:${p.port}`);
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(4);
    const [refundCash, refundCard] = p.connections.slice(2).map((x) => decodeEscpos(x));
    expect(refundCash.text).toContain(cash.number);
    expect(refundCash.text).toContain('NOTA DE CRÉDITO');
    expect(refundCash.pulses).toHaveLength(1);
    expect(refundCard.text).toContain(card.number);
    expect(refundCard.pulses).toEqual([]);
  });
});

describe('printers that fail: retried, then failed with the printer\'s sentence; the sale untouched', () => {
  const cases: [string, Parameters<typeof startFakePrinter>[0], (port: number) => string][] = [
    ['accepts and never reads', { kind: 'never-reads' }, (port) => `La impresora no responde (127.0.0.1:${port})`],
    ['refuses the connection', { kind: 'refuses' }, (port) => `La impresora rechazó la conexión (127.0.0.1:${port})`],
    ['closes in the middle of the ticket', { kind: 'closes-mid-ticket', afterBytes: 300 }, (port) => `La conexión con la impresora se cortó a mitad del ticket (127.0.0.1:${port})`],
  ];
  it.each(cases)('a printer that %s', async (_name, mode, message) => {
    const p = await usePrinter(mode);
    events.length = 0;
    const s = sell([{ method: 'cash', amount: '200.00' }]);
    const before = saleState(s.saleId);
    expect(await runner.idle(15_000)).toBe(true);
    const job = printJob(s.documentId)!;
    expect(job).toMatchObject({ state: 'failed', attempts: 3 });
    expect(job.last_error).toContain(message(p.port));
    expect(runsOf(job.id)).toBe(3);
    expect(saleState(s.saleId)).toBe(before);
    expect(prints(s.documentId)).toEqual([]); // nothing printed, nothing audited
    // The screen heard each try: two "retrying" with the sentence, then "failed".
    expect(events.map((e) => e.state)).toEqual(['retrying', 'retrying', 'failed']);
    expect(events[2].message).toContain(message(p.port));
    expect(ticketPrintStatus(t.app.db, t.cashier, { saleId: s.saleId })).toMatchObject({ state: 'failed', message: expect.stringContaining(message(p.port)) });
    if (mode?.kind === 'closes-mid-ticket') expect(p.connections.every((c) => c.length === 300)).toBe(true);
  });
});

describe('Reimprimir and the logo', () => {
  it('a ticket that did not print is printed again as the original (drawer included); a printed one as a reprint without the drawer', async () => {
    const down = await usePrinter({ kind: 'refuses' });
    const s = sell([{ method: 'cash', amount: '200.00' }]);
    expect(await runner.idle(10_000)).toBe(true);
    expect(printJob(s.documentId)).toMatchObject({ state: 'failed' });
    const p = await usePrinter(); // the cashier plugged it back (a new address here)
    const r = await reprintTicket(t.app, t.cashier, { saleId: s.saleId }, t.clock.now());
    expect(r).toMatchObject({ requeued: true, view: { state: 'printing' } });
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(1);
    expect(decodeEscpos(p.connections[0]).pulses).toHaveLength(1);
    expect(printJob(s.documentId)).toMatchObject({ state: 'succeeded' });
    // Printed now: Reimprimir is a reprint — the cashier's own within 15 minutes is not a COPIA, and never the drawer.
    const again = await reprintTicket(t.app, t.cashier, { saleId: s.saleId }, t.clock.now());
    expect(again).toMatchObject({ requeued: false, view: { state: 'printed' } });
    await p.ended(2);
    expect(decodeEscpos(p.connections[1]).pulses).toEqual([]);
    // A supervisor's reprint is a COPIA, audited as the third print.
    await printReprint(t.app, t.supervisor, { saleId: s.saleId }, t.clock.now());
    await p.ended(3);
    const copy = decodeEscpos(p.connections[2]);
    expect(copy.text).toContain('COPIA');
    expect(copy.pulses).toEqual([]);
    expect(prints(s.documentId).map((x) => [x.copy, x.drawer, x.print, x.via])).toEqual([[false, true, 1, 'print.ticket'], [false, false, 2, 'reprint'], [true, false, 3, 'reprint']]);
    expect(down.connections).toEqual([]);
  });

  it('a PNG logo is kept as a 1-bit bitmap within the roll and printed at the top of the ticket; a JPEG is refused saying how', async () => {
    const p = await usePrinter();
    // A 600 × 100 RGBA PNG: a black bar on a transparent background (transparency prints white).
    const png = rgbaPng(600, 100, (x, y) => (y >= 30 && y < 70 && x >= 100 && x < 500 ? [0, 0, 0, 255] : [255, 0, 0, 0]));
    const grey = decodePng(png);
    expect([grey.width, grey.height, grey.grey[0], grey.grey[50 * 600 + 300]]).toEqual([600, 100, 255, 0]);
    expect(toLogo(grey)).toMatchObject({ width: 512, height: 85 });
    const view = setTicketLogo(t.app.db, t.clock.now(), t.supervisor.id, png);
    expect(view.logo).toEqual({ width: 512, height: 85 });
    const s = sell([{ method: 'card', amount: total() }]);
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(1);
    const paper = decodeEscpos(p.connections[0]);
    expect(paper.unknown).toEqual([]);
    expect(paper.images).toHaveLength(1);
    const img = paper.images[0];
    expect([img.widthDots, img.heightDots]).toEqual([512, 85]);
    expect([img.dark(256, 42), img.dark(10, 42), img.dark(256, 5)]).toEqual([true, false, false]);
    expect(paper.lines.find((l) => l.text)!.text).toBe('Bodega Demo'); // the logo comes before the first line
    expect(() => setTicketLogo(t.app.db, t.clock.now(), t.supervisor.id, Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0))).toThrow(/guárdelo como PNG/);
    setTicketLogo(t.app.db, t.clock.now(), t.supervisor.id, null);
    expect(s.number).toMatch(/^B001-/);
  });
});

describe('izisales print', () => {
  const run = async (...argv: string[]) => {
    let out = '', err = '';
    const code = await main([...argv, '--data', t.dir], { stdout: (x) => void (out += x), stderr: (x) => void (err += x) });
    return { code, out, err };
  };
  it('print ticket reprints a COPIA without the drawer (support\'s tool); print test; a failing printer exits 3 with its sentence', async () => {
    const p = await usePrinter();
    const s = sell([{ method: 'cash', amount: '200.00' }]);
    expect(await runner.idle(10_000)).toBe(true);
    await p.ended(1);
    const short = s.number.replace(/-0+/, '-');
    const r = await run('print', 'ticket', short);
    expect(r).toMatchObject({ code: 0, out: `${s.number} (COPIA) impreso en 127.0.0.1:${p.port}.\n` });
    await p.ended(2);
    const copy = decodeEscpos(p.connections[1]);
    expect(copy.text).toContain('COPIA');
    expect(copy.pulses).toEqual([]);
    expect(prints(s.documentId).at(-1)).toMatchObject({ copy: true, drawer: false, via: 'cli' });
    expect(await run('print', 'test')).toMatchObject({ code: 0, out: `Impresión de prueba enviada a 127.0.0.1:${p.port} (estado: lista).\n` });
    const down = await startFakePrinter({ kind: 'refuses' });
    printers.push(down);
    expect(await run('print', 'test', '--printer', down.uri)).toMatchObject({ code: 3, err: expect.stringContaining(`La impresora rechazó la conexión (127.0.0.1:${down.port})`) });
    expect(await run('print', 'ticket', s.number, '--printer', down.uri)).toMatchObject({ code: 3, err: expect.stringContaining('rechazó la conexión') });
    expect(await run('print', 'ticket', 'B001-99999')).toMatchObject({ code: 1, err: expect.stringContaining('no existe el comprobante B001-99999') });
    expect(await run('print', 'test', '--printer', '192.168.1.50')).toMatchObject({ code: 2, err: expect.stringContaining('Escriba tcp://IP:9100') });
  });
});

/** A PNG written the plain way (RGBA, filter "none" on each row), independent of the decoder under test. */
function rgbaPng(width: number, height: number, px: (x: number, y: number) => number[]): Uint8Array {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(px(x, y), y * (width * 4 + 1) + 1 + x * 4);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
