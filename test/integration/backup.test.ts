import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, checkDatabaseFile, dailyBackup, pruneBackups, restoreDatabase } from '../../src-main/db/backup';
import { createApp } from '../../src-main/app';
import { databaseFile } from '../../src-main/paths';
import { acquireLock } from '../../src-main/db/lock';
import { main } from '../../src-main/cli';
import { dbBackupHandler } from '../../src-main/jobs/handlers/db-backup';
import type { JobContext } from '../../src-main/jobs/runner';
import { SCHEMA_VERSION } from '../../src-main/db/migrations';
import { count, demoApp, tempDir, type TestApp } from '../helpers/app';
import { bundleChild } from '../helpers/child';

let t: TestApp | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = null;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = tempDir('izisales-backup-');
  dirs.push(d);
  return d;
};

let child = '';
beforeAll(async () => {
  child = await bundleChild('test/fixtures/checkout-loop.ts', 'checkout-loop.mjs');
});

function sellOne(x: TestApp, i: number): void {
  const p = x.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 1 OFFSET ?`).get(i % 20) as { id: number };
  x.app.sell(x.cashier, x.terminalId, { documentType: '03', lines: [{ productId: p.id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }] });
}

/** Every sale in the file has its lines, payments, document and sunat.send job — nothing half-copied. */
function orphans(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const r = db.prepare(`
      SELECT count(*) AS n FROM sales s
      WHERE NOT EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id)
         OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id)
         OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.sale_id = s.id)
         OR NOT EXISTS (SELECT 1 FROM documents d JOIN jobs j ON j.idempotency_key = d.file_name WHERE d.sale_id = s.id)`).get() as { n: number };
    return r.n;
  } finally {
    db.close();
  }
}

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s) } };
}

describe('database backup and restore', () => {
  it('a backup taken while two writers ring up sales is consistent, and restoring it gives a working database', async () => {
    // Both writers on today's clock: the other process sells at the real time, and a receipt may never be dated before
    // the previous one of its series (pos/clock-guard.ts).
    t = demoApp({ at: new Date().toISOString() });
    const x = t;
    // Another process selling on the same data directory (its own connection), and this process selling too.
    const p: ChildProcess = spawn(process.execPath, [child, x.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let childSales = 0;
    await new Promise<void>((resolve, reject) => {
      p.stdout!.on('data', (d: Buffer) => {
        childSales += d.toString().split('\n').filter(Boolean).length;
        if (childSales >= 20) resolve();
      });
      p.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    let i = 0;
    const timer = setInterval(() => sellOne(x, i++), 2);
    const out = scratch();
    const files: string[] = [];
    try {
      for (let k = 0; k < 3; k++) {
        const c = await backupDatabase(x.app.db, path.join(out, `copy-${k}.db`));
        expect(c.ok).toBe(true);
        files.push(c.file);
        await new Promise((r) => setTimeout(r, 30));
      }
    } finally {
      clearInterval(timer);
      // The other writer is dead only when it has exited: a kill is delivered asynchronously, and a sale it commits after
      // the count below would make the replaced file hold one more sale than was counted.
      const exited = p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await exited;
    }
    expect(i).toBeGreaterThan(0);
    for (const f of files) {
      const c = checkDatabaseFile(f);
      expect(c.integrity).toBe('ok');
      expect(c.schemaVersion).toBe(SCHEMA_VERSION);
      // The other process had committed 20 sales before the first copy began (it prints each after its commit); a copy
      // taken at once may hold exactly those, the later ones more.
      expect(c.counts.sales).toBeGreaterThanOrEqual(20);
      expect(orphans(f)).toBe(0);
      expect(fs.existsSync(`${f}-wal`)).toBe(false); // one self-contained file
    }

    const last = files[files.length - 1];
    const salesInCopy = checkDatabaseFile(last).counts.sales!;
    const before = count(x.app, 'sales');
    expect(before).toBeGreaterThanOrEqual(salesInCopy);
    await x.app.close();
    const r = restoreDatabase(x.dir, last, new Date('2026-11-27T16:00:00Z'));
    expect(r.replacedFile).toBe(`${databaseFile(x.dir)}.replaced-20261127T160000Z`);
    expect(checkDatabaseFile(r.replacedFile!).counts.sales).toBe(before); // the replaced file is complete, WAL folded in
    const again = createApp({ dataDir: x.dir });
    try {
      expect(count(again, 'sales')).toBe(salesInCopy);
      const session = again.db.raw.prepare('SELECT id FROM cash_sessions WHERE closed_at IS NULL LIMIT 1').get();
      expect(session).toBeTruthy();
      const prod = again.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' LIMIT 1`).get() as { id: number };
      const sale = again.sell(x.cashier, x.terminalId, { documentType: '03', lines: [{ productId: prod.id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }] });
      expect(sale.saleId).toBeGreaterThan(0);
      expect(count(again, 'sales')).toBe(salesInCopy + 1);
    } finally {
      await again.close();
    }
    t = { ...x, close: async () => fs.rmSync(x.dir, { recursive: true, force: true }) };
  });

  it('refuses a damaged, foreign or newer file and changes nothing', async () => {
    t = demoApp();
    sellOne(t, 0);
    const out = scratch();
    const good = (await backupDatabase(t.app.db, path.join(out, 'good.db'))).file;
    await t.app.close();
    const live = databaseFile(t.dir);
    const liveBytes = fs.readFileSync(live);

    const newer = path.join(out, 'newer.db');
    fs.copyFileSync(good, newer);
    const n = new Database(newer);
    n.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    n.close();
    expect(() => restoreDatabase(t!.dir, newer)).toThrow(/versión más nueva.*No se cambió nada/s);

    const damaged = path.join(out, 'damaged.db');
    const bytes = fs.readFileSync(good);
    const page = 4096;
    bytes.fill(0xa5, page * 3, page * 8); // scribble over b-tree pages
    fs.writeFileSync(damaged, bytes);
    expect(checkDatabaseFile(damaged).ok).toBe(false);
    expect(() => restoreDatabase(t!.dir, damaged)).toThrow(/No se restauró/);

    const text = path.join(out, 'notes.txt');
    fs.writeFileSync(text, 'sku,name\n1,a\n');
    expect(() => restoreDatabase(t!.dir, text)).toThrow(/no es una base de datos de iziSales/);

    expect(fs.readFileSync(live).equals(liveBytes)).toBe(true);
    expect(fs.readdirSync(t.dir).filter((f) => f.includes('replaced') || f.includes('restoring'))).toEqual([]);
  });

  it('refuses to restore while a runner holds the data directory', async () => {
    t = demoApp();
    const out = scratch();
    const good = (await backupDatabase(t.app.db, path.join(out, 'good.db'))).file;
    const lock = acquireLock(t.dir);
    try {
      expect(() => restoreDatabase(t!.dir, good)).toThrow(/Ciérrelo antes de restaurar/);
      const c = io();
      expect(await main(['db', 'restore', good, '--data', t.dir], c.io)).toBe(1);
      expect(c.out.stderr).toMatch(/Ciérrelo/);
    } finally {
      lock.release();
    }
  });

  it('daily copies are named by the Lima date and kept for the retention days', async () => {
    t = demoApp();
    const b = path.join(t.dir, 'backups');
    fs.mkdirSync(b, { recursive: true });
    for (const d of ['2026-11-10', '2026-11-13', '2026-11-14', '2026-11-26']) fs.writeFileSync(path.join(b, `izisales-${d}.db`), '');
    fs.writeFileSync(path.join(b, 'mine.db'), '');
    // 2026-11-28 01:00 UTC is still the 27th in Lima.
    const r = await dailyBackup(t.app.db, t.dir, new Date('2026-11-28T01:00:00Z'), 14);
    expect(path.basename(r.file)).toBe('izisales-2026-11-27.db');
    expect(r.removed).toEqual(['izisales-2026-11-10.db', 'izisales-2026-11-13.db']);
    expect(fs.readdirSync(b).sort()).toEqual(['izisales-2026-11-14.db', 'izisales-2026-11-26.db', 'izisales-2026-11-27.db', 'mine.db']);
    expect(pruneBackups(t.dir, '2026-11-27', 1)).toEqual(['izisales-2026-11-14.db', 'izisales-2026-11-26.db']);
  });

  it('the db.backup job handler writes the day\'s verified copy with the retention setting', async () => {
    t = demoApp();
    const ctx = { db: t.app.db, clock: t.app.clock, dataDir: t.app.dataDir, isLastAttempt: false, payload: {} } as unknown as JobContext;
    const r = await dbBackupHandler(ctx);
    expect(r.type).toBe('succeeded');
    expect(fs.existsSync(path.join(t.dir, 'backups', 'izisales-2026-11-27.db'))).toBe(true);
  });

  it('izisales db backup / check: a verified copy, and check exits 1 on a damaged database', async () => {
    t = demoApp();
    sellOne(t, 1);
    const out = scratch();
    const c1 = io();
    expect(await main(['db', 'backup', '--out', path.join(out, 'x.db'), '--data', t.dir], c1.io)).toBe(0);
    expect(c1.out.stdout).toMatch(/Copia verificada .*\(1 ventas/);
    const c2 = io();
    expect(await main(['db', 'check', '--data', t.dir], c2.io)).toBe(0);
    expect(c2.out.stdout).toMatch(/Integridad: ok/);
    expect(c2.out.stdout).toMatch(/sales: 1/);
    const c3 = io();
    expect(await main(['db', 'backup', '--data', t.dir], c3.io)).toBe(2);
    await expect(backupDatabase(t.app.db, databaseFile(t.dir))).rejects.toThrow(/sobre la base de datos en uso/);

    const broken = scratch();
    const bytes = fs.readFileSync(path.join(out, 'x.db'));
    bytes.fill(0xa5, 4096 * 3, 4096 * 8);
    fs.writeFileSync(databaseFile(broken), bytes);
    const c4 = io();
    expect(await main(['db', 'check', '--data', broken], c4.io)).toBe(1);
    expect(c4.out.stderr).toMatch(/dañad|no es una base/);
    const c5 = io();
    expect(await main(['db', 'check', '--data', scratch()], c5.io)).toBe(1);
    expect(c5.out.stderr).toMatch(/No hay base de datos/);
  });
});
