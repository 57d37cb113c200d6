// The cash drawer and the reports on the thermal printer (issue 17, items 3 and 4) through the contract, against a
// fake network printer on 127.0.0.1 read back by the test's decoder: a paid-out opens the drawer through a runner job
// (one pulse, nothing printed); "Abrir cajón" is refused to a cashier and, for a supervisor, pulses, is audited and
// counted on the X and the Z (stored and printed); the Z printed on the roll says what the stored Z says, accents
// right in PC850 and WPC1252, on 48 and 32 columns; a printer that refuses leaves the move and the Z recorded and
// says why.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import type { Runner } from '../../src-main/jobs/runner';
import { apiClient } from '../helpers/api';
import { count, demoApp, type TestApp } from '../helpers/app';
import { startFakePrinter, type FakePrinter } from '../helpers/fake-printer';
import { decodeEscpos, printedWidth } from '../helpers/escpos-decoder';
import { requireTools } from '../helpers/tools';
import { formatSoles } from '../../src-shared/decimal';
import type { CashReport } from '../../src-shared/contract';

let t: TestApp;
let api: Api;
let runner: Runner;
const { login, call, refusal } = apiClient(() => api);
let admin: string, cashier: string, supervisor: string;
let printer: FakePrinter;
const printers: FakePrinter[] = [];

async function fakePrinter(mode?: Parameters<typeof startFakePrinter>[0]): Promise<FakePrinter> {
  const p = await startFakePrinter(mode);
  printers.push(p);
  return p;
}
const usePrinter = (uri: string, codePage: 'pc850' | 'wpc1252' = 'pc850', paperWidth: 80 | 58 = 80) =>
  call('settings.update', { printer: { paperWidth, escpos: { uri, codePage, qr: 'native', cut: 'partial' } } }, admin);
const jobs = (kind: string) => t.app.db.raw.prepare('SELECT id, state, attempts, last_error FROM jobs WHERE kind = ? ORDER BY id').all(kind) as { id: number; state: string; attempts: number; last_error: string | null }[];

beforeAll(async () => {
  t = demoApp({ at: '2026-11-27T15:00:00Z' });
  api = new Api(t.app);
  [admin, cashier, supervisor] = [await login('admin', '1111'), await login('cashier', '3333'), await login('supervisor', '2222')];
  printer = await fakePrinter();
  await usePrinter(printer.uri);
  const monitor = new NetworkMonitor({ probe: async () => true, onChange: () => {} });
  monitor.online = true;
  runner = createRunner({ app: t.app, monitor, options: { pollMs: 20, heartbeatMs: 0, lock: false, checkpoints: false } });
  runner.start();
});
afterAll(async () => {
  await runner?.stop();
  for (const p of printers) await p.close();
  await t?.close();
});

describe('the cash drawer', () => {
  it('a paid-out opens the drawer through a print.drawer job: one pulse and nothing printed', async () => {
    await call('cash.move', { kind: 'out', amount: '20.00', reason: 'Pago a proveedor' }, cashier);
    expect(await runner.idle(10_000)).toBe(true);
    await printer.ended(1);
    expect(printer.connections).toHaveLength(1);
    const paper = decodeEscpos(printer.connections[0]);
    expect(paper.unknown).toEqual([]);
    expect(paper.pulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    expect(paper.lines.map((l) => l.text).join('')).toBe('');
    expect(paper.cuts).toEqual([]);
    expect(jobs('print.drawer')).toMatchObject([{ state: 'succeeded', attempts: 1 }]);
  });

  it('"Abrir cajón": a cashier is refused; a supervisor with a reason opens it — pulse, audit, and the X counts it', async () => {
    const before = printer.connections.length;
    expect(await refusal('cash.openDrawer', { reason: 'Cambio de billetes' }, cashier)).toMatchObject({ code: 'forbidden' });
    expect(await refusal('cash.openDrawer', { reason: ' ' }, supervisor)).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('Indique el motivo') });
    expect(count(t.app, 'drawer_openings')).toBe(1); // the paid-out's only

    expect(await call('cash.openDrawer', { reason: 'Cambio de billetes' }, supervisor)).toEqual({ printer: `127.0.0.1:${printer.port}` });
    await printer.ended(before + 1);
    const paper = decodeEscpos(printer.connections[before]);
    expect(paper.pulses).toHaveLength(1);
    expect(paper.cuts).toEqual([]);
    await call('cash.openDrawer', { reason: 'Otro: cambio para un cliente' }, supervisor);
    await printer.ended(before + 2);

    const session = (t.app.db.raw.prepare('SELECT id FROM cash_sessions WHERE closed_at IS NULL').get() as { id: number }).id;
    const entry = t.app.db.raw.prepare(`SELECT user_id, entity, entity_id, details FROM audit_log WHERE action = 'cash.drawerOpen'`).all() as { user_id: number; entity: string; entity_id: string; details: string }[];
    expect(entry).toHaveLength(2);
    expect(entry[0]).toMatchObject({ user_id: t.supervisor.id, entity: 'cash_session', entity_id: String(session) });
    expect(JSON.parse(entry[0].details)).toMatchObject({ reason: 'Cambio de billetes' });
    expect((await call('cash.xReport', {}, cashier)).drawerOpenings).toEqual({ noSale: 2, moves: 1 });
  });

  it('a printer that refuses: the paid-in is recorded, the job retries then ends failed saying why; "Abrir cajón" says why and is not counted', async () => {
    const dead = await fakePrinter({ kind: 'refuses' });
    await usePrinter(dead.uri);
    const moves = count(t.app, 'cash_moves');
    await call('cash.move', { kind: 'in', amount: '50.00', reason: 'Sencillo del banco' }, cashier);
    expect(count(t.app, 'cash_moves')).toBe(moves + 1);
    for (let i = 0; i < 3; i++) {
      expect(await runner.idle(10_000)).toBe(true);
      t.clock.advance(3_000); // the next try comes due
    }
    const job = jobs('print.drawer').at(-1)!;
    expect(job).toMatchObject({ state: 'failed', attempts: 3 });
    expect(job.last_error).toBe(`La impresora rechazó la conexión (127.0.0.1:${dead.port}). Revise la dirección y el puerto (casi siempre 9100) y que no esté ocupada por otro equipo.`);

    const r = await refusal('cash.openDrawer', { reason: 'Error de cobro' }, supervisor);
    expect(r).toEqual({ code: 'rule', message: `El cajón no se abrió: ${job.last_error}` });
    // Both attempts are on record with why they failed, and neither is counted as an opening.
    expect(t.app.db.raw.prepare('SELECT kind, error FROM drawer_openings WHERE error IS NOT NULL ORDER BY id').all()).toEqual([
      { kind: 'move', error: job.last_error }, { kind: 'no_sale', error: job.last_error },
    ]);
    expect((await call('cash.xReport', {}, cashier)).drawerOpenings).toEqual({ noSale: 2, moves: 1 });
    await usePrinter(printer.uri);
  });
});

describe('the Z on the thermal printer', () => {
  let z: CashReport;

  it('closing: the stored Z and its PDF count the openings without a sale', async () => {
    z = await call('cash.close', { counted: '130.00' }, cashier);
    expect(z.drawerOpenings).toEqual({ noSale: 2, moves: 1 });
    const kept = JSON.parse((t.app.db.raw.prepare('SELECT z_report FROM cash_sessions WHERE id = ?').get(z.sessionId) as { z_report: string }).z_report) as CashReport;
    expect(kept.drawerOpenings).toEqual({ noSale: 2, moves: 1 });
    const pdf = await call('cash.zReportPdf', { sessionId: z.sessionId }, cashier);
    requireTools('pdftotext');
    const file = path.join(t.dir, 'z.pdf');
    fs.writeFileSync(file, Buffer.from(pdf.pdfBase64, 'base64'));
    expect(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).toMatch(/Aperturas de cajón sin venta +2/);
  });

  it.each([
    ['pc850', 80, 'PC850', 48],
    ['wpc1252', 58, 'WPC1252', 32],
  ] as const)('printed in %s on %i mm: the same totals as the stored Z, accents right, one cut, no pulse', async (codePage, width, pageName, cols) => {
    await usePrinter(printer.uri, codePage, width);
    const before = printer.connections.length;
    expect(await call('cash.zReportPrint', { sessionId: z.sessionId, copy: true }, cashier)).toEqual({ kind: 'thermal', printer: `127.0.0.1:${printer.port}` });
    await printer.ended(before + 1);
    const paper = decodeEscpos(printer.connections[before]);
    expect(paper.unknown).toEqual([]);
    expect(paper.codePage).toBe(pageName);
    expect(paper.statusRequests).toEqual([1, 2, 4]);
    for (const l of paper.lines) expect(printedWidth(l)).toBeLessThanOrEqual(cols);
    const text = paper.text;
    const valueOf = (label: string) => {
      const line = paper.lines.find((l) => l.text.startsWith(label));
      expect(line, label).toBeDefined();
      return line!.text.slice(label.length).trim();
    };
    expect(paper.lines.find((l) => l.text === `INFORME Z N° ${z.zNumber}`)).toMatchObject({ bold: true, height: 2 });
    expect(text).toContain('COPIA');
    expect(valueOf('Fondo inicial')).toBe(formatSoles(z.openingFloat));
    expect(valueOf('Ingresos de efectivo')).toBe(formatSoles(z.cashIn));
    expect(valueOf('Salidas de efectivo')).toBe(formatSoles(z.cashOut));
    expect(valueOf('Efectivo esperado')).toBe(formatSoles(z.expectedCash));
    expect(valueOf('Efectivo contado')).toBe(formatSoles('130.00'));
    expect(valueOf('Diferencia')).toBe(`${formatSoles('0')} (cuadra)`);
    expect(valueOf('Aperturas de cajón sin venta')).toBe('2');
    expect(valueOf('Aperturas por ingresos/salidas')).toBe('1');
    expect(text).toContain('En efectivo (salió de la caja)');
    expect(text).toContain('Salida: Pago a proveedor');
    expect(paper.cuts).toEqual(['partial']);
    expect(paper.pulses).toEqual([]);
  });

  it('a printer that refuses the Z: the refusal says why and the Z stays as it was closed', async () => {
    const dead = await fakePrinter({ kind: 'refuses' });
    await usePrinter(dead.uri);
    const kept = (t.app.db.raw.prepare('SELECT z_report FROM cash_sessions WHERE id = ?').get(z.sessionId) as { z_report: string }).z_report;
    const r = await refusal('cash.zReportPrint', { sessionId: z.sessionId, auto: true }, cashier);
    expect(r.code).toBe('rule');
    expect(r.message).toBe(`No se imprimió el informe Z N° ${z.zNumber}: La impresora rechazó la conexión (127.0.0.1:${dead.port}). Revise la dirección y el puerto (casi siempre 9100) y que no esté ocupada por otro equipo.`);
    expect((t.app.db.raw.prepare('SELECT z_report FROM cash_sessions WHERE id = ?').get(z.sessionId) as { z_report: string }).z_report).toBe(kept);
  });

  it('without a thermal printer: the automatic print does nothing, "Imprimir" gives the PDF; an old Z without the count stays readable', async () => {
    await call('settings.update', { printer: { escpos: null } }, admin);
    expect(await call('cash.zReportPrint', { sessionId: z.sessionId, auto: true }, cashier)).toEqual({ kind: 'none' });
    const pdf = await call('cash.zReportPrint', { sessionId: z.sessionId }, cashier);
    expect(pdf).toMatchObject({ kind: 'pdf', fileName: `informe-z-${z.zNumber}.pdf` });
    // A Z kept before migration 018: no drawerOpenings in its JSON; it is listed, shown and printed as it was.
    const old = JSON.parse((t.app.db.raw.prepare('SELECT z_report FROM cash_sessions WHERE id = ?').get(z.sessionId) as { z_report: string }).z_report) as CashReport;
    delete old.drawerOpenings;
    t.app.db.raw.exec('DROP TRIGGER cash_sessions_z_kept');
    t.app.db.raw.prepare('UPDATE cash_sessions SET z_report = ? WHERE id = ?').run(JSON.stringify(old), z.sessionId);
    const again = await call('cash.zReportPrint', { sessionId: z.sessionId }, cashier);
    expect(again.kind).toBe('pdf');
    const zs = await call('cash.zReports', {}, cashier);
    expect(zs[0].zNumber).toBe(z.zNumber);
  });
});

describe('the daily summary on the thermal printer', () => {
  it('prints the same summary rows as its PDF, then cuts', async () => {
    await usePrinter(printer.uri, 'pc850', 80);
    const before = printer.connections.length;
    const date = '2026-11-27';
    expect(await call('reports.dailyPrint', { date }, supervisor)).toMatchObject({ kind: 'thermal' });
    expect((await refusal('reports.dailyPrint', { date }, cashier)).code).toBe('forbidden');
    await printer.ended(before + 1);
    const paper = decodeEscpos(printer.connections[before]);
    const r = await call('reports.daily', { date }, supervisor);
    expect(paper.unknown).toEqual([]);
    expect(paper.text).toContain('REPORTE DIARIO');
    expect(paper.text).toContain('27/11/2026');
    expect(paper.lines.find((l) => l.text.startsWith('Comprobantes emitidos'))!.text).toMatch(new RegExp(` ${r.issued}$`));
    expect(paper.lines.find((l) => l.text.startsWith('Total facturado'))!.text.endsWith(formatSoles(r.totalBilled))).toBe(true);
    expect(paper.text).toContain('Sesiones de caja');
    expect(paper.text).toContain(`Z N° 1`);
    expect(paper.cuts).toEqual(['partial']);
    expect(paper.pulses).toEqual([]);
  });
});
