// The opening float through the contract: the main process never misreads a comma, and an implausible float is
// refused unless the call says the cashier confirmed it (the screen asks with the message it gets back).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../src-main/api';
import { setSetting } from '../../src-main/db/settings';
import { ApiError, type CashSessionView } from '../../src-shared/contract';
import { count, demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
let api: Api;
let token: string;

beforeEach(async () => {
  t = demoApp({ openSession: false });
  api = new Api(t.app);
  token = ((await api.invoke('auth.login', { username: 'cashier', pin: '3333' }, undefined)) as { token: string }).token;
});
afterEach(() => t.close());

const open = (input: unknown) => api.invoke('cash.open', input, token);
async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('cash.open', () => {
  it('refuses a float with a comma instead of reading it as another amount, and opens nothing', async () => {
    for (const raw of ['200,50', '1.234,50', '1,234.50']) {
      expect((await refusal(open({ openingFloat: raw }))).code).toBe('invalid_input');
    }
    expect(count(t.app, 'cash_sessions')).toBe(0);
  });

  it('a float above openingFloatConfirmAbove (S/ 5,000 by default) needs confirmed: true', async () => {
    const e = await refusal(open({ openingFloat: '20050.00' }));
    expect(e.code).toBe('rule');
    expect(e.message).toBe('El fondo inicial de S/ 20,050.00 es mayor que S/ 5,000.00. Revise el monto; si es correcto, confírmelo.');
    expect(e.issues).toEqual([{ path: 'confirmed', message: e.message }]);
    expect(count(t.app, 'cash_sessions')).toBe(0);

    const s = (await open({ openingFloat: '20050.00', confirmed: true })) as CashSessionView;
    expect(s.openingFloat).toBe('20050.00');
    const audit = t.app.db.raw.prepare(`SELECT details FROM audit_log WHERE action = 'cash.open'`).get() as { details: string };
    expect(JSON.parse(audit.details)).toEqual({ openingFloat: '20050.00', confirmed: true });
  });

  it('up to the limit opens at once; the limit is a setting', async () => {
    setSetting(t.app.db, 'openingFloatConfirmAbove', '200.00');
    expect((await refusal(open({ openingFloat: '200.50' }))).issues?.[0].path).toBe('confirmed');
    expect(((await open({ openingFloat: '200.00' })) as CashSessionView).openingFloat).toBe('200.00');
  });
});
