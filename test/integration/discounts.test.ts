// Discounts and price overrides at the counter (issue 15 item 5), through the contract as the screen calls it: the
// seller's limit per role, a supervisor's approval with their PIN (recorded with who, for whom, how much and why),
// a global discount spread over the lines, and the signed document checked by SUNAT's own rules (check-cpe).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { setSetting } from '../../src-main/db/settings';
import { demoApp, type TestApp } from '../helpers/app';
import { apiClient, type ApiClient } from '../helpers/api';
import { checkStoredDocuments, requireCheckCpe } from '../helpers/tools';

let t: TestApp;
let api: Api;
let c: ApiClient;
let cashier: string;
let p: { id: number; price: string }[];
let bag: { id: number };

beforeEach(async () => {
  t = demoApp();
  api = new Api(t.app);
  c = apiClient(() => api);
  cashier = await c.login('cashier', '3333');
  p = t.app.db.raw.prepare(`SELECT id, price FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 AND CAST(price AS REAL) >= 2 ORDER BY id LIMIT 2`).all() as { id: number; price: string }[];
  bag = t.app.db.raw.prepare('SELECT id FROM products WHERE is_bag = 1 AND active = 1 LIMIT 1').get() as { id: number };
});
afterEach(() => t.close());

const n = (table: string) => (t.app.db.raw.prepare(`SELECT count(*) n FROM ${table}`).get() as { n: number }).n;
const cash = [{ method: 'cash', amount: '500' }];
const sale = (lines: unknown[], extra: Record<string, unknown> = {}) => ({ documentType: '03', lines, payments: cash, ...extra });

describe('the seller’s limit', () => {
  it('a cashier sells within 10% alone; above it the sale is refused, says why, and nothing is written', async () => {
    const ok = await c.call('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '10' } }]), cashier);
    expect(ok.number).toMatch(/^B001-/);
    const before = { sales: n('sales'), audit: n('audit_log'), approvals: n('sale_approvals') };
    const r = await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '15' } }]), cashier);
    const pct15 = Math.round(Number(p[0].price) * 15) / 100;
    expect(r.code).toBe('rule');
    expect(r.message).toBe(`Línea 1: S/ ${pct15.toFixed(2)} bajo el precio de lista (${(Math.round((pct15 / Number(p[0].price)) * 10000) / 100).toString().replace('.', ',')}%) supera su límite (10%, S/ ${(Math.round(Number(p[0].price) * 10) / 100).toFixed(2)}). Pida la autorización de un supervisor.`);
    // Split in two (a line discount and a global one) it is the same discount.
    const split = await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '8' } }], { globalDiscount: { kind: 'percent', value: '8' } }), cashier);
    expect(split.message).toMatch(/^Línea 1: S\/ [\d.]+ bajo el precio de lista \(15,\d+%\) supera su límite \(10%/);
    // A price lowered by hand counts the same way.
    const low = Math.floor(Number(p[0].price) * 50) / 100;
    const lowered = await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', unitPrice: low.toFixed(2) }]), cashier);
    expect(lowered.message).toMatch(/^Línea 1: S\/ [\d.]+ bajo el precio de lista \(5\d(,\d+)?%\) supera su límite \(10%/);
    expect({ sales: n('sales'), audit: n('audit_log'), approvals: n('sale_approvals') }).toEqual(before);
    expect(await c.call('sales.discountPolicy', {}, cashier)).toEqual({ limitPercent: '10' });
  });

  it('the limits are settings per role: a supervisor 30%, an admin none', async () => {
    const sup = await c.login('supervisor', '2222');
    expect(await c.call('sales.discountPolicy', {}, sup)).toEqual({ limitPercent: '30' });
    expect((await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '30' } }]), sup)).code).toBe('accepted');
    expect((await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '31' } }]), sup)).message).toMatch(/supera su límite \(30%/);
    setSetting(t.app.db, 'cashierDiscountLimitPercent', '20');
    expect((await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '20' } }]), cashier)).code).toBe('accepted');
    const admin = await c.login('admin', '1111');
    expect(await c.call('sales.discountPolicy', {}, admin)).toEqual({ limitPercent: '100' });
  });
});

describe('a supervisor approves at the counter', () => {
  it('with their PIN, once, up to their own limit; the sale keeps who approved, for whom, how much and why', async () => {
    const lines = [{ productId: p[0].id, quantity: '2', discount: { kind: 'percent', value: '15' } }, { productId: p[1].id, quantity: '1' }];
    const ask = { username: 'supervisor', pin: '2222', reason: 'Cliente frecuente', percent: '15' };
    expect(await c.refusal('sales.approve', { ...ask, pin: '0000' }, cashier)).toEqual({ code: 'forbidden', message: 'Usuario o PIN del supervisor incorrecto.' });
    expect((await c.refusal('sales.approve', { ...ask, username: 'cashier', pin: '3333' }, cashier)).message).toMatch(/es cajero: autoriza un supervisor o un administrador/);
    expect((await c.refusal('sales.approve', { ...ask, percent: '31' }, cashier)).message).toMatch(/puede autorizar hasta 30% .* Pida la autorización de un administrador/);
    expect((await c.refusal('sales.approve', { ...ask, reason: ' ' }, cashier)).message).toMatch(/motivo/);

    const a = await c.call('sales.approve', ask, cashier);
    expect(a).toMatchObject({ approverName: 'Supervisora Demo', percent: '15' });
    // Another cashier cannot use it.
    const other = await c.login('supervisor', '2222');
    expect((await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '31' } }], { approval: a.token }), other)).message).toMatch(/supera su límite \(30%/);
    // More than approved is refused.
    const more = await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '16' } }], { approval: a.token }), cashier);
    expect(more.message).toMatch(/^Línea 1: S\/ [\d.]+ bajo el precio de lista \(1[56](,\d+)?%\) supera lo autorizado por Supervisora Demo \(15%, S\/ [\d.]+\)\. Pida una nueva autorización\.$/);

    const s = await c.call('sales.checkout', sale(lines, { approval: a.token }), cashier);
    const row = t.app.db.raw.prepare('SELECT a.percent, a.reason, u.username approver, k.username cashier FROM sale_approvals a JOIN users u ON u.id = a.approver_id JOIN users k ON k.id = a.cashier_id WHERE sale_id = ?').get(s.saleId);
    expect(row).toEqual({ percent: '15.00', reason: 'Cliente frecuente', approver: 'supervisor', cashier: 'cashier' });
    const audits = t.app.db.raw.prepare(`SELECT action, details FROM audit_log WHERE action LIKE '%discount%' ORDER BY id`).all() as { action: string; details: string }[];
    expect(audits.map((x) => x.action)).toEqual(['discount.approval_refused', 'discount.approved', 'sale.discount_approved']);
    expect(JSON.parse(audits[2].details)).toMatchObject({ number: s.number, percentBelowList: '15.00', approvedBy: { name: 'Supervisora Demo', reason: 'Cliente frecuente' } });
    // Once: the same approval does not serve the next sale.
    expect((await c.refusal('sales.checkout', sale(lines, { approval: a.token }), cashier)).message).toMatch(/supera su límite \(10%/);
  });

  it('an approval lapses after 30 minutes', async () => {
    const a = await c.call('sales.approve', { username: 'admin', pin: '1111', reason: 'Liquidación', percent: '40' }, cashier);
    t.clock.advance(31 * 60_000);
    cashier = await c.login('cashier', '3333');
    expect((await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', discount: { kind: 'percent', value: '40' } }], { approval: a.token }), cashier)).message).toMatch(/supera su límite \(10%/);
  });
});

describe('prices changed at the counter and a global discount', () => {
  it('a raised price needs no approval and is kept with the catalog price; bags keep theirs', async () => {
    const up = (Number(p[0].price) + 1).toFixed(2);
    const s = await c.call('sales.checkout', sale([{ productId: p[0].id, quantity: '1', unitPrice: up }]), cashier);
    const row = t.app.db.raw.prepare('SELECT unit_price, list_price FROM sale_lines WHERE sale_id = ?').get(s.saleId) as { unit_price: string; list_price: string };
    expect([Number(row.unit_price), row.list_price]).toEqual([Number(up), p[0].price]);
    expect(JSON.parse((t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'sale.price_override'`).get() as { details: string }).details).overrides).toEqual([{ line: 1, listPrice: p[0].price, price: up }]);
    expect((await c.refusal('sales.checkout', sale([{ productId: bag.id, quantity: '1', unitPrice: '0.05' }]), cashier)).message).toMatch(/el precio de la bolsa no se cambia/);
    expect((await c.refusal('sales.checkout', sale([{ productId: p[0].id, quantity: '1', unitPrice: '0' }]), cashier)).message).toMatch(/el precio debe ser mayor que cero/);
  });

  it('a global discount is spread over the lines (never the bag); a return of one line credits what that line was paid', async () => {
    const s = await c.call('sales.checkout', sale([{ productId: p[0].id, quantity: '1' }, { productId: p[1].id, quantity: '2' }, { productId: bag.id, quantity: '1' }], { globalDiscount: { kind: 'amount', value: '1.00' } }), cashier);
    const lines = t.app.db.raw.prepare('SELECT discount_cents, total_cents FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(s.saleId) as { discount_cents: number; total_cents: number }[];
    expect(lines[0].discount_cents + lines[1].discount_cents).toBe(100);
    expect(lines[2].discount_cents).toBe(0);
    const gross = Number(p[0].price) + 2 * Number(p[1].price);
    expect(s.total).toBe((gross - 1 + 0.1 + 0.5).toFixed(2).replace(/\.(\d)$/, '.$10'));
    const note = await c.call('sales.return', { saleId: s.saleId, lines: [{ lineNo: 2, quantity: '2' }], reasonCode: '07', refund: 'cash' }, cashier);
    expect(Math.round(Number(note.total) * 100)).toBe(lines[1].total_cents);
  });

  it('the signed documents pass SUNAT-independent checks: UBL schema, SUNAT rules, the signature', async () => {
    requireCheckCpe();
    const a = await c.call('sales.approve', { username: 'supervisor', pin: '2222', reason: 'Precio de competencia', percent: '25' }, cashier);
    const low = (Math.round(Number(p[0].price) * 80) / 100).toFixed(2);
    const s1 = await c.call('sales.checkout', sale([
      { productId: p[0].id, quantity: '3', unitPrice: low },
      { productId: p[1].id, quantity: '1', discount: { kind: 'amount', value: '0.10' } },
      { productId: bag.id, quantity: '2' },
    ], { globalDiscount: { kind: 'percent', value: '3' }, approval: a.token }), cashier);
    const s2 = await c.call('sales.checkout', {
      documentType: '01', customer: { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' }, payments: cash,
      lines: [{ productId: p[0].id, quantity: '2', discount: { kind: 'percent', value: '5' } }, { productId: p[1].id, quantity: '1' }], globalDiscount: { kind: 'amount', value: '0.37' },
    }, cashier);
    const ids = [s1, s2].map((s) => (t.app.db.raw.prepare('SELECT id FROM documents WHERE sale_id = ?').get(s.saleId) as { id: number }).id);
    const r = checkStoredDocuments(t.app.db, t.dir, ids);
    for (const x of r.xml) expect(x).toMatch(/<cbc:AllowanceChargeReasonCode[^>]*>00</);
    expect(r.output).toMatch(/2 passed, 0 failed/);
    expect(r.status).toBe(0);
  }, 120_000);
});
