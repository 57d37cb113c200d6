// Restore from the screens (db.backups, db.restore) through serve's HTTP and the app holder that swaps the app.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { AppHost } from '../../src-main/runtime';
import { startServer, type Server } from '../../src-main/serve';
import { backupDir } from '../../src-main/db/backup';
import { SCHEMA_VERSION } from '../../src-main/db/migrations';
import { tempDir } from '../helpers/app';

let dir = '';
let host: AppHost;
let server: Server;

beforeEach(async () => {
  dir = tempDir('izisales-restore-');
  // Offline (a closed local port): nothing is sent, the runner and scheduler still run and hold the lock.
  host = await AppHost.start({ dataDir: dir, seedIfEmpty: true, sunatUrl: 'http://127.0.0.1:9', probeIntervals: { minDelayMs: 60_000 } });
  server = await startServer(host, { port: 0 });
});
afterEach(async () => {
  await server.close();
  await host.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call(name: string, body: unknown, token?: string) {
  const res = await fetch(`${server.url}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-izisales-token': token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const login = async (username: string, pin: string) => {
  const r = await call('auth.login', { username, pin });
  expect(r.status).toBe(200);
  return r.body.token as string;
};

async function sell(token: string): Promise<string> {
  const product = (await call('catalog.byBarcode', { barcode: '7750000000014' }, token)).body;
  const sale = await call('sales.checkout', { documentType: '03', lines: [{ productId: product.id, quantity: '1' }], payments: [{ method: 'cash', amount: '100' }] }, token);
  expect(sale.status).toBe(200);
  return sale.body.number as string;
}

const numbers = (rows: { number: string }[]) => rows.map((r) => r.number).sort();
const replacedFiles = () => fs.readdirSync(dir).filter((f) => f.startsWith('izisales.db.replaced-'));

function salesIn(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT number FROM sales ORDER BY number').all() as { number: string }[]).map((r) => r.number);
  } finally {
    db.close();
  }
}

describe('restoring a backup from the screens', () => {
  it('lists the copies of <data>/backups with date, size and a quick check', async () => {
    const admin = await login('admin', '1111');
    expect((await call('db.backups', {}, admin)).body).toEqual([]);
    const made = await call('db.backupNow', {}, admin);
    expect(made.status).toBe(200);
    const list = (await call('db.backups', {}, admin)).body;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: path.basename(made.body.file), kind: 'manual', quick: { ok: true, schemaVersion: SCHEMA_VERSION } });
    expect(list[0].size).toBeGreaterThan(4096);
    expect(Math.abs(Date.parse(list[0].takenAt) - Date.now())).toBeLessThan(60_000);
  });

  it('a good backup brings back the old data, ends every session and keeps the replaced file with the newer sales', async () => {
    const admin = await login('admin', '1111');
    const cashier = await login('cashier', '3333');
    await call('cash.open', { openingFloat: '50.00' }, cashier);
    const before = await sell(cashier);
    const backup = path.basename((await call('db.backupNow', {}, admin)).body.file);
    const after = await sell(cashier);
    expect(numbers((await call('sales.list', {}, admin)).body)).toEqual([before, after]);
    const oldApp = host.app;

    const r = await call('db.restore', { file: backup }, admin);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ restoredFrom: backup, replacedFile: expect.stringMatching(/^izisales\.db\.replaced-\d{8}T\d{6}Z$/) });
    expect(host.app).not.toBe(oldApp);

    // Every session ended; a new login sees the data of the copy.
    expect((await call('app.status', {}, admin)).status).toBe(401);
    expect((await call('app.status', {}, cashier)).status).toBe(401);
    const again = await login('admin', '1111');
    expect(numbers((await call('sales.list', {}, again)).body)).toEqual([before]);

    // The replaced database is kept beside it, complete on its own, with the sale rung up after the copy.
    expect(replacedFiles()).toEqual([r.body.replacedFile]);
    expect(salesIn(path.join(dir, r.body.replacedFile))).toEqual([before, after].sort());

    // Audited in the restored database: who, which copy, where the replaced file went.
    const row = host.app.db.raw.prepare(`SELECT user_id, details FROM audit_log WHERE action = 'db.restore'`).get() as { user_id: number; details: string };
    expect(JSON.parse(row.details)).toMatchObject({ file: backup, replacedFile: r.body.replacedFile, by: 'admin', via: 'ui' });
    expect(row.user_id).toBe((host.app.db.raw.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id);

    // The services run again on the restored database: a new sale takes the next number after the copy's.
    const cashier2 = await login('cashier', '3333');
    expect((await call('cash.current', {}, cashier2)).body).not.toBeNull();
    expect(await sell(cashier2)).toBe(after);
    expect(host.services.jobs).toBeDefined();
  });

  it('a damaged or newer copy is refused and nothing changes', async () => {
    const admin = await login('admin', '1111');
    const cashier = await login('cashier', '3333');
    await call('cash.open', { openingFloat: '50.00' }, cashier);
    const sale = await sell(cashier);
    const good = (await call('db.backupNow', {}, admin)).body.file as string;

    // Damaged: a real copy with pages overwritten in the middle.
    const damaged = path.join(backupDir(dir), 'izisales-2026-01-01.db');
    const bytes = fs.readFileSync(good);
    bytes.fill(0x5a, 4096 * 2, 4096 * 6);
    fs.writeFileSync(damaged, bytes);
    // Newer: a good copy from a future version of iziSales.
    const newer = path.join(backupDir(dir), 'izisales-2026-01-02.db');
    fs.copyFileSync(good, newer);
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();

    const list = (await call('db.backups', {}, admin)).body as { name: string; quick: { ok: boolean } }[];
    expect(list.find((b) => b.name === 'izisales-2026-01-02.db')!.quick.ok).toBe(false);

    const appBefore = host.app;
    const r1 = await call('db.restore', { file: 'izisales-2026-01-01.db' }, admin);
    expect(r1.status).toBe(422);
    expect(r1.body.error.message).toMatch(/^No se restauró la copia: .*(dañad|legible).*No se cambió nada\.$/);
    const r2 = await call('db.restore', { file: 'izisales-2026-01-02.db' }, admin);
    expect(r2.status).toBe(422);
    expect(r2.body.error.message).toMatch(/versión más nueva de iziSales.*No se cambió nada\./);

    // Same app, same sessions, same data, no replaced file; the refusals are audited.
    expect(host.app).toBe(appBefore);
    expect(numbers((await call('sales.list', {}, admin)).body)).toEqual([sale]);
    expect(replacedFiles()).toEqual([]);
    const refused = host.app.db.raw.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'db.restore.refused'`).get() as { n: number };
    expect(refused.n).toBe(2);
  });

  it('only a file name of <data>/backups is accepted, never a path', async () => {
    const admin = await login('admin', '1111');
    const made = (await call('db.backupNow', {}, admin)).body.file as string;
    // A good copy outside the folder, and a link to it inside: neither may be restored.
    const outside = path.join(dir, 'elsewhere.db');
    fs.copyFileSync(made, outside);
    fs.symlinkSync(outside, path.join(backupDir(dir), 'link.db'));
    for (const file of ['../izisales.db', outside, '../elsewhere.db', 'sub/../../izisales.db', 'link.db', '..', 'izisales.db.replaced-x', '']) {
      const r = await call('db.restore', { file }, admin);
      expect([400, 422]).toContain(r.status);
    }
    expect((await call('app.status', {}, admin)).status).toBe(200);
    expect(replacedFiles()).toEqual([]);
    // The symlink is not even listed.
    expect(((await call('db.backups', {}, admin)).body as { name: string }[]).map((b) => b.name)).not.toContain('link.db');
  });

  it('a cashier (or a supervisor) can neither list nor restore', async () => {
    const admin = await login('admin', '1111');
    const name = path.basename((await call('db.backupNow', {}, admin)).body.file);
    for (const [user, pin] of [['cashier', '3333'], ['supervisor', '2222']]) {
      const token = await login(user, pin);
      expect((await call('db.backups', {}, token)).status).toBe(403);
      expect((await call('db.restore', { file: name }, token)).status).toBe(403);
    }
    expect(replacedFiles()).toEqual([]);
  });
});
