import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { Api } from '../../src-main/api';
import { startServer, CSP, type Server } from '../../src-main/serve';
import { demoApp, type TestApp } from '../helpers/app';

let t: TestApp;
let server: Server;
beforeAll(async () => {
  t = demoApp({ openSession: false });
  server = await startServer(new Api(t.app), { port: 0 });
});
afterAll(async () => {
  await server.close();
  await t.close();
});

async function call(name: string, body: unknown, token?: string) {
  const res = await fetch(`${server.url}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-izisales-token': token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const login = async (username: string, pin: string) => (await call('auth.login', { username, pin })).body.token as string;

describe('the headless server speaks the contract over HTTP on 127.0.0.1', () => {
  it('binds the loopback address only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('requires a session token obtained at login', async () => {
    expect((await call('app.status', {})).status).toBe(401);
    expect((await call('auth.login', { username: 'cashier', pin: '9999' })).body.error.message).toBe('Usuario o PIN incorrecto.');
    const token = await login('cashier', '3333');
    const st = await call('app.status', {}, token);
    expect(st.status).toBe(200);
    expect(st.body).toMatchObject({ pending: 0, demoMode: true });
    await call('auth.logout', {}, token);
    expect((await call('app.status', {}, token)).status).toBe(401);
  });

  it('validates every input in the main process and names the field', async () => {
    const token = await login('cashier', '3333');
    const r = await call('cash.open', { openingFloat: 'abc' }, token);
    expect(r.status).toBe(400);
    expect(r.body.error.issues[0].path).toBe('openingFloat');
    expect((await call('no.such.call', {}, token)).status).toBe(404);
  });

  it('a cashier sees only their own sales; a supervisor sees all', async () => {
    const cashier = await login('cashier', '3333');
    const supervisor = await login('supervisor', '2222');
    await call('cash.open', { openingFloat: '50.00' }, cashier);
    const product = (await call('catalog.byBarcode', { barcode: '7750000000014' }, cashier)).body;
    const sale = await call('sales.checkout', { documentType: '03', lines: [{ productId: product.id, quantity: '2' }], payments: [{ method: 'cash', amount: '100' }] }, supervisor);
    expect(sale.status).toBe(200);
    expect(sale.body.number).toBe('B001-00000001');
    expect((await call('sales.list', {}, cashier)).body).toHaveLength(0);
    expect((await call('sales.list', {}, supervisor)).body).toHaveLength(1);
    expect((await call('app.status', {}, cashier)).body.pending).toBe(1);
  });

  it('refuses other hosts (DNS rebinding) and other origins', async () => {
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(403);
    const res = await fetch(`${server.url}/api/auth.login`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('serves pages with the strict CSP', async () => {
    const res = await fetch(`${server.url}/`);
    if (res.status === 200) expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe');
  });
});
