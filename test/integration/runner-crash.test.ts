import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { prng } from '../../src-main/pos/demo';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { demoApp } from '../helpers/app';
import { bundleChild } from '../helpers/child';

const N = 100;
const KILLS = 30;
let child = '';
let dir = '';
let sim: Simulator;

beforeAll(async () => {
  child = await bundleChild('test/integration/runner-crash-child.ts', 'runner-child.mjs');
  // N signed sales on a real data directory, then the app closes: the children only send.
  const t = demoApp();
  dir = t.dir;
  const products = t.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 20`).all() as { id: number }[];
  for (let i = 0; i < N; i++) {
    const factura = i % 4 === 0;
    t.app.sell(t.cashier, t.terminalId, {
      documentType: factura ? '01' : '03', customer: factura ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' } : null,
      lines: [{ productId: products[i % products.length].id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }],
    });
  }
  await t.app.close();
  // Latency keeps sends in flight long enough for kills to land between sending and recording.
  sim = await startSimulator({ port: 0 });
  await sim.setFaults({ latencyMs: 40 });
}, 120_000);

afterAll(async () => {
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function spawnChild(): { p: ChildProcess; started: Promise<void>; exited: Promise<NodeJS.Signals | number | null> } {
  const p = spawn(process.execPath, [child, dir, sim.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const started = new Promise<void>((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
    p.once('exit', () => reject(new Error(`child exited before starting: ${err}`)));
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => p.once('exit', (code, signal) => resolve(signal ?? code)));
  return { p, started, exited };
}

function snapshot() {
  const db = openDatabase(databaseFile(dir));
  try {
    return {
      docs: db.raw.prepare('SELECT status, count(*) n FROM documents GROUP BY status').all() as { status: string; n: number }[],
      jobs: db.raw.prepare('SELECT state, count(*) n FROM jobs GROUP BY state').all() as { state: string; n: number }[],
      openRuns: (db.raw.prepare('SELECT count(*) n FROM job_runs WHERE finished_at IS NULL').get() as { n: number }).n,
      interrupted: (db.raw.prepare(`SELECT count(*) n FROM job_runs WHERE outcome = 'interrupted'`).get() as { n: number }).n,
      integrity: db.raw.pragma('integrity_check', { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe('the runner killed with SIGKILL at random moments', () => {
  it(`${KILLS} kills while sending ${N} documents: every document accepted exactly once, no job lost or left running`, async () => {
    const rnd = prng(7);
    for (let k = 0; k < KILLS; k++) {
      const c = spawnChild();
      await c.started;
      await new Promise((r) => setTimeout(r, 20 + Math.floor(rnd() * 150)));
      c.p.kill('SIGKILL');
      expect(await c.exited).toBe('SIGKILL');
    }
    // A last run left alone finishes the work, then stops on SIGTERM.
    const c = spawnChild();
    await c.started;
    const end = Date.now() + 60_000;
    for (;;) {
      const s = snapshot();
      if ((s.docs.find((d) => d.status === 'accepted')?.n ?? 0) === N) break;
      if (Date.now() > end) throw new Error(`not all accepted: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    c.p.kill('SIGTERM');
    expect(await c.exited).toBe(0);

    const s = snapshot();
    expect(s.integrity).toBe('ok');
    expect(s.docs).toEqual([{ status: 'accepted', n: N }]);
    expect(s.jobs).toEqual([{ state: 'succeeded', n: N }]);
    expect(s.openRuns).toBe(0);
    const ledger = sim.ledger();
    expect(ledger).toHaveLength(N);
    const dup = ledger.filter((e) => e.accepted !== 1);
    expect(dup).toEqual([]);
    // Reconciliation asked SUNAT instead of resending: one submission per document.
    expect(ledger.filter((e) => e.submissions !== 1)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'runner.lock'))).toBe(false);
    console.log(`crash test: ${s.interrupted} attempts interrupted by SIGKILL and reconciled`);
  }, 240_000);
});
