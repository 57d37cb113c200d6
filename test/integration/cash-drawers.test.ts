// Cash per cashier (issue 15, item 6) through the contract: with "Un cajón por cajero" two cashiers on one terminal
// each sell, refund and move cash in their own drawer and see only theirs on the X and Z; a supervisor closes a
// cashier's drawer left open (the same Z, "en lugar de" the cashier, audited; a cashier is refused); the shared drawer
// works as before; the Z is kept as it was closed, listed in the history and reprinted (audited); refusals say what to do.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { apiClient, refused } from '../helpers/api';
import { closeDrawerOf, openDrawers } from '../../src-main/pos/cash';
import { count, demoApp, productByBarcode, type TestApp } from '../helpers/app';
import { requireTools } from '../helpers/tools';
import type { CashReport } from '../../src-shared/contract';

const SODA = '7750000000014'; // S/ 2.50

let t: TestApp;
let api: Api;
const { login, call, refusal } = apiClient(() => api);
let admin: string;

beforeEach(async () => {
  t = demoApp({ openSession: false });
  api = new Api(t.app);
  admin = await login('admin', '1111');
  await call('users.create', { username: 'cajera2', name: 'Cajera Dos', role: 'cashier', pin: '4444' }, admin);
});
afterEach(() => t.close());

const perCashier = () => call('settings.update', { cashDrawerMode: 'perCashier' }, admin);
const soda = () => productByBarcode(t.app, SODA).id;
const sellSodas = (token: string, quantity: string, payments: { method: string; amount: string; reference?: string }[]) =>
  call('sales.checkout', { documentType: '03', lines: [{ productId: soda(), quantity }], payments }, token);
const sessionOfSale = (saleId: number) => (t.app.db.raw.prepare('SELECT session_id FROM sales WHERE id = ?').get(saleId) as { session_id: number }).session_id;

function pdfText(base64: string): string {
  const buf = Buffer.from(base64, 'base64');
  expect(buf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  const file = path.join(t.dir, `z-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(file, buf);
  requireTools('pdftotext');
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('one drawer per cashier', () => {
  it('two cashiers on one terminal: each sale, cash refund and cash move goes to its own drawer; the X and Z show only theirs', async () => {
    await perCashier();
    const a = await login('cashier', '3333');
    const b = await login('cajera2', '4444');

    // Nobody has a drawer yet: selling says to open one's own.
    expect(await refusal('sales.checkout', { documentType: '03', lines: [{ productId: soda(), quantity: '1' }], payments: [{ method: 'cash', amount: '5' }] }, a)).toEqual({
      code: 'rule', message: 'No tiene una caja abierta en esta terminal: abra su propia caja (con su fondo inicial) antes de vender.',
    });
    const drawerA = await call('cash.open', { openingFloat: '100.00' }, a);
    expect(drawerA.own).toBe(true);
    expect(await call('cash.current', {}, b)).toBeNull();
    // A's drawer is not B's: B still has to open hers, and may.
    expect((await refusal('cash.move', { kind: 'in', amount: '10.00', reason: 'sencillo' }, b)).message).toMatch(/^No tiene una caja abierta en esta terminal/);
    const drawerB = await call('cash.open', { openingFloat: '50.00' }, b);
    expect(drawerB.id).not.toBe(drawerA.id);
    expect(await refusal('cash.open', { openingFloat: '10.00' }, a)).toEqual({ code: 'rule', message: 'Ya tiene su caja abierta en esta terminal.' });

    const saleA = await sellSodas(a, '2', [{ method: 'cash', amount: '10.00' }]); // 5.00, change 5.00
    const saleB = await sellSodas(b, '4', [{ method: 'card', amount: '4.00' }, { method: 'cash', amount: '6.00' }]); // 10.00
    expect(sessionOfSale(saleA.saleId)).toBe(drawerA.id);
    expect(sessionOfSale(saleB.saleId)).toBe(drawerB.id);
    await call('cash.move', { kind: 'out', amount: '3.00', reason: 'Pago de movilidad' }, a);
    await call('cash.move', { kind: 'in', amount: '20.00', reason: 'Sencillo del banco' }, b);
    // B refunds one soda of her own sale in cash: it leaves B's drawer.
    await call('sales.return', { saleId: saleB.saleId, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' }, b);

    const xA = await call('cash.xReport', {}, a);
    expect(xA).toMatchObject({
      sessionId: drawerA.id, cashier: 'Cajero Demo', salesCount: 1, salesTotal: '5.00', cashOut: '3.00', cashIn: '0.00',
      refundsCount: 0, expectedCash: '102.00', moves: [{ kind: 'out', amount: '3.00', reason: 'Pago de movilidad', userName: 'Cajero Demo' }],
    });
    const xB = await call('cash.xReport', {}, b);
    expect(xB).toMatchObject({
      sessionId: drawerB.id, cashier: 'Cajera Dos', salesCount: 1, salesTotal: '10.00', cashIn: '20.00', refundsCount: 1,
      refundsCash: '2.50', byMethod: [{ method: 'card', total: '4.00' }, { method: 'cash', total: '6.00' }],
      // 50 + 6 + 20 − 2.50
      expectedCash: '73.50',
    });

    // A closes; B's drawer stays open and she keeps selling; A cannot sell until A opens again.
    const zA = await call('cash.close', { counted: '102.50' }, a);
    expect(zA).toMatchObject({ kind: 'Z', zNumber: 1, closedBy: 'Cajero Demo', expectedCash: '102.00', counted: '102.50', difference: '0.50' });
    expect((await refusal('sales.checkout', { documentType: '03', lines: [{ productId: soda(), quantity: '1' }], payments: [{ method: 'cash', amount: '5' }] }, a)).message)
      .toMatch(/^No tiene una caja abierta en esta terminal/);
    expect((await call('cash.current', {}, b))?.id).toBe(drawerB.id);
    const later = await sellSodas(b, '1', [{ method: 'cash', amount: '2.50' }]);
    expect(sessionOfSale(later.saleId)).toBe(drawerB.id);
    // Nobody closes another cashier's drawer: A closing again finds none of A's own.
    expect(await refusal('cash.close', { counted: '0.00' }, a)).toEqual({
      code: 'rule', message: 'No tiene una caja abierta en esta terminal: cada cajero cierra solo su propia caja.',
    });
    expect((await call('cash.close', { counted: '76.00' }, b))).toMatchObject({ zNumber: 2, expectedCash: '76.00', difference: '0.00' });
    const opens = t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'cash.open' ORDER BY id`).all() as { details: string }[];
    expect(opens.map((o) => JSON.parse(o.details))).toEqual([{ openingFloat: '100.00', ownDrawer: true }, { openingFloat: '50.00', ownDrawer: true }]);
  });
});

describe('a manager closes a drawer left open', () => {
  it("a cashier went home without closing: a supervisor lists the terminal's drawers and closes it with the count; the Z says so; a cashier is refused", async () => {
    await perCashier();
    const a = await login('cashier', '3333');
    const b = await login('cajera2', '4444');
    const drawerA = await call('cash.open', { openingFloat: '100.00' }, a);
    await sellSodas(a, '2', [{ method: 'cash', amount: '5.00' }]);
    await call('cash.move', { kind: 'out', amount: '1.50', reason: 'Pago de movilidad' }, a);
    const drawerB = await call('cash.open', { openingFloat: '20.00' }, b);

    // Cajera Dos may not list the drawers nor close Cajero Demo's: refused, and nothing changes.
    const audits = count(t.app, 'audit_log');
    const managersOnly = { code: 'forbidden', message: expect.stringMatching(/supervisor/) };
    expect(await refusal('cash.openDrawers', {}, b)).toEqual(managersOnly);
    expect(await refusal('cash.closeDrawer', { sessionId: drawerA.id, counted: '103.50' }, b)).toEqual(managersOnly);
    // The service refuses by itself too, whoever calls it, saying what to do.
    const cashierB = { id: 0, role: 'cashier' as const };
    refused(() => closeDrawerOf(t.app.db, new Date(), t.terminalId, cashierB, drawerA.id, '103.50'), /^Solo un supervisor o un administrador puede cerrar la caja de otra persona/);
    refused(() => openDrawers(t.app.db, t.terminalId, cashierB), /^Solo un supervisor o un administrador/);
    // Cajero Demo's drawer is still open, untouched.
    expect((await call('cash.current', {}, a))?.id).toBe(drawerA.id);
    expect(count(t.app, 'audit_log')).toBe(audits);

    // The supervisor has no drawer of her own here and needs none to see and close theirs.
    const sup = await login('supervisor', '2222');
    const drawers = await call('cash.openDrawers', {}, sup);
    expect(drawers).toEqual([
      { sessionId: drawerA.id, cashier: 'Cajero Demo', openedBy: 'Cajero Demo', openedAt: drawerA.openedAt, openingFloat: '100.00', mine: false },
      { sessionId: drawerB.id, cashier: 'Cajera Dos', openedBy: 'Cajera Dos', openedAt: drawerB.openedAt, openingFloat: '20.00', mine: false },
    ]);
    // Typed money is the contract's normalised string ("103,50" is the screen's to read).
    expect((await refusal('cash.closeDrawer', { sessionId: drawerA.id, counted: '103,50' }, sup)).code).toBe('invalid_input');
    expect((await refusal('cash.closeDrawer', { sessionId: 999, counted: '1.00' }, sup)).code).toBe('not_found');

    // Expected 100 + 5 − 1.50 = 103.50; she counts 103.00.
    const z = await call('cash.closeDrawer', { sessionId: drawerA.id, counted: '103.00' }, sup);
    expect(z).toMatchObject({
      kind: 'Z', zNumber: 1, sessionId: drawerA.id, cashier: 'Cajero Demo', openedBy: 'Cajero Demo', closedBy: 'Supervisora Demo',
      onBehalfOf: 'Cajero Demo', salesCount: 1, expectedCash: '103.50', counted: '103.00', difference: '-0.50',
    });
    const stored = t.app.db.raw.prepare('SELECT z_report, closed_by FROM cash_sessions WHERE id = ?').get(drawerA.id) as { z_report: string; closed_by: number };
    expect(stored.closed_by).toBe(t.supervisor.id);
    expect(JSON.parse(stored.z_report)).toEqual(z);
    const closeAudit = t.app.db.raw.prepare(`SELECT user_id, entity_id, details FROM audit_log WHERE action = 'cash.close'`).all() as { user_id: number; entity_id: string; details: string }[];
    expect(closeAudit.map((r) => ({ ...r, details: JSON.parse(r.details) }))).toEqual([
      { user_id: t.supervisor.id, entity_id: String(drawerA.id), details: { counted: '103.00', expected: '103.50', z: 1, onBehalfOf: t.cashier.id } },
    ]);
    // Closed once: a second close (another supervisor, a double Enter) is refused with where to find it.
    expect(await refusal('cash.closeDrawer', { sessionId: drawerA.id, counted: '103.00' }, sup)).toEqual({
      code: 'rule', message: 'Esa caja ya se cerró (informe Z N° 1). Búsquela en el historial de cierres.',
    });
    expect((await call('cash.openDrawers', {}, sup)).map((d) => d.sessionId)).toEqual([drawerB.id]);

    // The cashier comes back: no drawer, so selling asks to open one (not an error of the closed one), and opening works.
    expect(await call('cash.current', {}, a)).toBeNull();
    expect((await refusal('sales.checkout', { documentType: '03', lines: [{ productId: soda(), quantity: '1' }], payments: [{ method: 'cash', amount: '5' }] }, a)).message)
      .toBe('No tiene una caja abierta en esta terminal: abra su propia caja (con su fondo inicial) antes de vender.');
    expect((await call('cash.open', { openingFloat: '50.00' }, a)).own).toBe(true);

    // The kept Z: in the history of the cashier and the managers, saying who closed it instead of whom; printed so.
    const row = { sessionId: drawerA.id, zNumber: 1, cashier: 'Cajero Demo', closedBy: 'Supervisora Demo', onBehalfOf: 'Cajero Demo', difference: '-0.50' };
    expect(await call('cash.zReports', {}, a)).toEqual([expect.objectContaining(row)]);
    expect(await call('cash.zReports', {}, sup)).toEqual([expect.objectContaining(row)]);
    const text = pdfText((await call('cash.zReportPdf', { sessionId: drawerA.id, copy: true }, a)).pdfBase64);
    expect(text).toContain('INFORME Z N° 1');
    expect(text).toContain('Cerrada por Supervisora Demo en lugar de Cajero Demo');
    expect(text).toMatch(/Diferencia\s+Faltante S\/ 0\.50/);

    // A drawer of another terminal is closed there, where its cash is.
    const other = Number(t.app.db.raw.prepare(`INSERT INTO cash_sessions (terminal_id, user_id, opened_at, opening_float_cents, cashier_id) VALUES ('T9', ?, ?, 0, ?)`)
      .run(t.cashier.id, new Date().toISOString(), t.cashier.id).lastInsertRowid);
    expect(await refusal('cash.closeDrawer', { sessionId: other, counted: '0.00' }, sup)).toEqual({
      code: 'rule', message: 'Esa caja es de la terminal T9: ciérrela desde esa terminal, donde está el efectivo.',
    });
  });

  it('the shared drawer: listed as shared (the one the supervisor uses), closed from the list like her own close, with no "en lugar de"', async () => {
    const cashier = await login('cashier', '3333');
    const sup = await login('supervisor', '2222');
    const s = await call('cash.open', { openingFloat: '10.00' }, cashier);
    expect(await call('cash.openDrawers', {}, sup)).toEqual([
      { sessionId: s.id, cashier: null, openedBy: 'Cajero Demo', openedAt: s.openedAt, openingFloat: '10.00', mine: true },
    ]);
    const z = await call('cash.closeDrawer', { sessionId: s.id, counted: '10.00' }, sup);
    expect(z).toMatchObject({ cashier: null, openedBy: 'Cajero Demo', closedBy: 'Supervisora Demo', onBehalfOf: null, difference: '0.00' });
    const details = JSON.parse((t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'cash.close'`).get() as { details: string }).details);
    expect(details).toEqual({ counted: '10.00', expected: '10.00', z: 1 });
    expect((await call('cash.zReports', {}, sup))[0]).toMatchObject({ closedBy: 'Supervisora Demo', onBehalfOf: null });
    expect(await call('cash.current', {}, cashier)).toBeNull();
  });
});

describe('the shared drawer (default)', () => {
  it('is as before: one per terminal, whoever sells or closes it', async () => {
    const cashier = await login('cashier', '3333');
    const sup = await login('supervisor', '2222');
    expect((await refusal('sales.checkout', { documentType: '03', lines: [{ productId: soda(), quantity: '1' }], payments: [{ method: 'cash', amount: '5' }] }, cashier)).message)
      .toBe('No hay caja abierta. Abra la caja antes de vender.');
    const s = await call('cash.open', { openingFloat: '100.00' }, cashier);
    expect(s.own).toBe(false);
    expect(await refusal('cash.open', { openingFloat: '100.00' }, sup)).toEqual({ code: 'rule', message: 'La caja ya está abierta.' });
    expect((await call('cash.current', {}, sup))?.id).toBe(s.id);
    const one = await sellSodas(cashier, '1', [{ method: 'cash', amount: '2.50' }]);
    const two = await sellSodas(sup, '2', [{ method: 'cash', amount: '5.00' }]);
    expect([sessionOfSale(one.saleId), sessionOfSale(two.saleId)]).toEqual([s.id, s.id]);
    const z = await call('cash.close', { counted: '107.50' }, sup);
    expect(z).toMatchObject({ sessionId: s.id, cashier: null, openedBy: 'Cajero Demo', closedBy: 'Supervisora Demo', salesCount: 2, difference: '0.00' });
    expect(await call('cash.current', {}, cashier)).toBeNull();
  });

  it('switching the mode never strands a drawer: the open shared drawer stays in use until closed, then each opens their own', async () => {
    const a = await login('cashier', '3333');
    const b = await login('cajera2', '4444');
    const shared = await call('cash.open', { openingFloat: '100.00' }, a);
    await perCashier();
    expect((await call('cash.current', {}, b))?.id).toBe(shared.id);
    const sale = await sellSodas(b, '1', [{ method: 'cash', amount: '2.50' }]);
    expect(sessionOfSale(sale.saleId)).toBe(shared.id);
    await call('cash.close', { counted: '102.50' }, a);
    expect((await call('cash.open', { openingFloat: '10.00' }, b)).own).toBe(true);
    expect(await call('cash.current', {}, a)).toBeNull();
    const audits = t.app.db.raw.prepare(`SELECT user_id, entity_id, details FROM audit_log WHERE action = 'settings.update'`).all() as { entity_id: string; details: string }[];
    expect(audits.map((r) => [r.entity_id, JSON.parse(r.details)])).toEqual([['cashDrawerMode', { old: 'shared', new: 'perCashier' }]]);
    // A mode that does not exist is refused and changes nothing.
    expect((await refusal('settings.update', { cashDrawerMode: 'porTurno' }, admin)).code).toBe('invalid_input');
    expect((await call('settings.get', {}, admin)).cashDrawerMode).toBe('perCashier');
  });
});

describe('the kept Z and its history', () => {
  it('is stored as closed, listed for its cashier and managers, reprinted with COPIA and audited; the X prints on the roll too', async () => {
    await perCashier();
    const a = await login('cashier', '3333');
    const b = await login('cajera2', '4444');
    const sup = await login('supervisor', '2222');
    await call('cash.open', { openingFloat: '100.00' }, a);
    await call('cash.open', { openingFloat: '0.00' }, b);
    const sale = await sellSodas(a, '2', [{ method: 'cash', amount: '5.00' }]);
    await call('cash.move', { kind: 'in', amount: '20.00', reason: 'Sencillo del banco' }, a);
    await call('cash.move', { kind: 'out', amount: '7.50', reason: 'Compra de bolsas' }, a);

    const x = pdfText((await call('cash.xReportPdf', {}, a)).pdfBase64);
    expect(x).toContain('INFORME X (PARCIAL)');
    expect(x).toMatch(/Ingreso: Sencillo del banco\s+S\/ 20\.00/);
    expect(x).toMatch(/Salida: Compra de bolsas\s+-S\/ 7\.50/);
    expect(x).toMatch(/Efectivo esperado\s+S\/ 117\.50/);

    const z = await call('cash.close', { counted: '150.50' }, a);
    expect(z).toMatchObject({ zNumber: 1, expectedCash: '117.50', counted: '150.50', difference: '33.00' });
    const stored = t.app.db.raw.prepare('SELECT z_report, closed_by, expected_cents, counted_cents, difference_cents FROM cash_sessions WHERE id = ?').get(z.sessionId) as {
      z_report: string; closed_by: number; expected_cents: number; counted_cents: number; difference_cents: number;
    };
    expect(JSON.parse(stored.z_report)).toEqual(z);
    expect(stored).toMatchObject({ closed_by: t.cashier.id, expected_cents: 11750, counted_cents: 15050, difference_cents: 3300 });

    // A sale cancelled later (a void) does not rewrite the closed day; the kept Z cannot be changed at all.
    t.app.db.raw.prepare(`UPDATE sales SET status = 'cancelled' WHERE id = ?`).run(sale.saleId);
    expect(() => t.app.db.raw.prepare('UPDATE cash_sessions SET counted_cents = 0 WHERE id = ?').run(z.sessionId)).toThrow(/kept as they are/);

    const rowA = { sessionId: z.sessionId, zNumber: 1, cashier: 'Cajero Demo', closedBy: 'Cajero Demo', expected: '117.50', counted: '150.50', difference: '33.00' };
    expect(await call('cash.zReports', {}, a)).toEqual([expect.objectContaining(rowA)]);
    expect(await call('cash.zReports', {}, b)).toEqual([]);
    expect(await call('cash.zReports', {}, sup)).toEqual([expect.objectContaining(rowA)]);

    // The reprint is the Z as it was closed (the cancelled sale still in it), marked COPIA and audited.
    const copy = await call('cash.zReportPdf', { sessionId: z.sessionId, copy: true }, a);
    expect(copy.fileName).toBe('informe-z-1-COPIA.pdf');
    const text = pdfText(copy.pdfBase64);
    expect(text).toContain('INFORME Z N° 1');
    expect(text).toContain('COPIA');
    expect(text).toMatch(/Ventas \(1\)\s+S\/ 5\.00/);
    expect(text).toMatch(/Salida: Compra de bolsas/);
    expect(text).toMatch(/Diferencia\s+Sobrante S\/ 33\.00/);
    expect((await refusal('cash.zReportPdf', { sessionId: z.sessionId }, b))).toEqual({
      code: 'forbidden', message: 'Solo puede imprimir los informes Z de sus propias cajas. Pida ayuda a un supervisor.',
    });
    expect((await refusal('cash.zReportPdf', { sessionId: 999 }, sup)).code).toBe('not_found');
    const bOpen = (await call('cash.current', {}, b))!;
    expect((await refusal('cash.zReportPdf', { sessionId: bOpen.id }, sup)).message).toMatch(/sigue abierta/);
    await call('cash.zReportPdf', { sessionId: z.sessionId }, sup);
    const prints = t.app.db.raw.prepare(`SELECT action, user_id, entity_id FROM audit_log WHERE action LIKE 'cash.zRe%' OR action = 'cash.zPrint' ORDER BY id`).all();
    expect(prints).toEqual([
      { action: 'cash.zReprint', user_id: t.cashier.id, entity_id: String(z.sessionId) },
      { action: 'cash.zPrint', user_id: t.supervisor.id, entity_id: String(z.sessionId) },
    ]);
    // B's X on the roll is B's drawer alone.
    const xb = pdfText((await call('cash.xReportPdf', {}, b)).pdfBase64);
    expect(xb).toMatch(/Ventas \(0\)/);
    expect(count(t.app, 'cash_sessions')).toBe(2);
    const xReport: CashReport = await call('cash.xReport', {}, b);
    expect(xReport.moves).toEqual([]);
  });
});
