// Test helpers: a real app on a real SQLite file in a fresh temp directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../src-main/app';
import { ManualClock } from '../../src-main/adapters';
import { openSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';
import type { User } from '../../src-main/db/schema';

export function tempDir(prefix = 'izisales-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestApp {
  app: App;
  clock: ManualClock;
  dir: string;
  terminalId: string;
  cashier: User;
  supervisor: User;
  close(): Promise<void>;
}

/** A demo store with an open cash session, on a fresh data directory. */
export function demoApp(opts: { openSession?: boolean; at?: string } = {}): TestApp {
  const dir = tempDir();
  const clock = new ManualClock(new Date(opts.at ?? '2026-11-27T15:00:00Z'));
  const app = createApp({ dataDir: dir, clock, seedIfEmpty: true });
  const terminalId = getSetting(app.db, 'terminalId');
  const user = (name: string) => app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', name))!;
  const cashier = user('cashier');
  if (opts.openSession !== false) openSession(app.db, clock.now(), terminalId, cashier.id, '100.00');
  return {
    app, clock, dir, terminalId, cashier, supervisor: user('supervisor'),
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function productByBarcode(app: App, barcode: string) {
  return app.db.first(app.db.q.selectFrom('products').selectAll().where('barcode', '=', barcode))!;
}

export function count(app: App, table: string): number {
  return (app.db.raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
