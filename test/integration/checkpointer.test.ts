import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src-main/db/connection';
import { startCheckpointer } from '../../src-main/db/checkpointer';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.raw.open) d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function freshDb(): Db {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-ckpt-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'izisales.db'));
  dbs.push(db);
  db.raw.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  return db;
}

const walBytes = (db: Db) => fs.statSync(`${db.file}-wal`).size;
const autocheckpoint = (db: Db) => db.raw.pragma('wal_autocheckpoint', { simple: true });

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WAL checkpoints in a worker thread', () => {
  it('the main connection stops checkpointing inside commits; the worker keeps the WAL bounded and the data whole', async () => {
    const db = freshDb();
    const c = startCheckpointer(db, { intervalMs: 20 })!;
    expect(autocheckpoint(db)).toBe(0);
    const ins = db.raw.prepare('INSERT INTO blobs (body) VALUES (?)');
    const body = Buffer.alloc(8192, 7);
    // 40 MB written in small commits, pausing now and then as a store does: without checkpoints the WAL would hold it all.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) db.tx(() => ins.run(body));
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => c.stats().framesCheckpointed > 0, 5_000);
    expect(walBytes(db)).toBeLessThan(20 * 1024 * 1024);
    await c.stop();
    expect(autocheckpoint(db)).toBe(1000);
    expect(db.raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.raw.prepare('SELECT count(*) n FROM blobs').get()).toEqual({ n: 5000 });
  });

  it('keeps the WAL bounded while a writer commits without pause, as the runner does through a long drain', async () => {
    const db = freshDb();
    const c = startCheckpointer(db, { intervalMs: 20 })!;
    const ins = db.raw.prepare('INSERT INTO blobs (body) VALUES (?)');
    const body = Buffer.alloc(8192, 7);
    // 80 MB in 10,000 commits, yielding to the loop between commits only (no quiet moment for the worker to catch up):
    // a pass from the worker's connection alone never leaves the WAL fully copied, so it would never start over.
    let largest = 0;
    for (let i = 0; i < 10_000; i++) {
      db.tx(() => ins.run(body));
      await new Promise((r) => setImmediate(r));
      if (i % 500 === 0) largest = Math.max(largest, walBytes(db));
    }
    expect(c.stats().tails).toBeGreaterThan(0);
    expect(Math.max(largest, walBytes(db))).toBeLessThan(30 * 1024 * 1024);
    await c.stop();
    expect(db.raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.raw.prepare('SELECT count(*) n FROM blobs').get()).toEqual({ n: 10_000 });
  });

  it('a worker that cannot open the database gives the main connection its automatic checkpoint back', async () => {
    const db = freshDb();
    // The data directory disappears (a removed drive): the open connection keeps working, a new one cannot open.
    fs.rmSync(path.dirname(db.file), { recursive: true, force: true });
    const c = startCheckpointer(db, { intervalMs: 20 })!;
    await until(() => autocheckpoint(db) === 1000, 5_000);
    expect(c.stats().runs).toBe(0);
    await c.stop(); // stopping a dead checkpointer is harmless
    expect(startCheckpointer(openDatabase(':memory:'))).toBeNull();
  });
});
