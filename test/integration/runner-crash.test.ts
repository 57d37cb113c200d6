import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { prng } from '../../src-main/pos/demo';
import { startSimulator, type Simulator } from '../../src-main/sunat/simulator';
import { demoApp, type TestApp } from '../helpers/app';
import { bundleChild } from '../helpers/child';

const N = 300;
const KILLS = 200;
/** Sales rung up before the first start; the rest are rung up by the POS (this process) between kills. */
const FIRST = 60;
let child = '';
let dir = '';
let sim: Simulator;
let pos: TestApp;
let products: { id: number }[] = [];
let sold = 0;

function sellOne(): void {
  const factura = sold % 4 === 0;
  pos.app.sell(pos.cashier, pos.terminalId, {
    documentType: factura ? '01' : '03', customer: factura ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE SAC' } : null,
    lines: [{ productId: products[sold % products.length].id, quantity: '1' }], payments: [{ method: 'cash', amount: '500.00' }],
  });
  sold++;
}

beforeAll(async () => {
  child = await bundleChild('test/integration/runner-crash-child.ts', 'runner-child.mjs');
  // A real data directory shared by two processes, as in a store: the POS rings up and signs sales on its own
  // connection, the runner child sends them, killed again and again.
  pos = demoApp();
  dir = pos.dir;
  products = pos.app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 20`).all() as { id: number }[];
  for (let i = 0; i < FIRST; i++) sellOne();
  // Latency keeps sends in flight long enough for kills to land between sending and recording.
  sim = await startSimulator({ port: 0 });
  await sim.setFaults({ latencyMs: 40 });
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await pos?.close();
});

function spawnChild(): { p: ChildProcess; started: Promise<boolean>; exited: Promise<NodeJS.Signals | number | null>; stderr: () => string } {
  const p = spawn(process.execPath, [child, dir, sim.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => p.once('exit', (code, signal) => resolve(signal ?? code)));
  // true once the runner has started; false if the process ended first (killed during start-up, or failed: see err).
  const started = new Promise<boolean>((resolve) => {
    p.stdout!.on('data', (d: Buffer) => d.toString().includes('started') && resolve(true));
    void exited.then(() => resolve(false));
  });
  return { p, started, exited, stderr: () => err };
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
  it(`${KILLS} kills while sending ${N} documents rung up meanwhile: every document accepted exactly once, no job lost or left running`, async () => {
    const rnd = prng(7);
    let killedDuringStart = 0;
    for (let k = 0; k < KILLS; k++) {
      // The POS keeps selling while the runner crashes: 240 more sales spread over the first 160 kills.
      if (sold < N) sellOne();
      if (sold < N && k % 2 === 0) sellOne();
      const c = spawnChild();
      if (rnd() < 0.15) {
        // Killed while starting: opening the database, taking the lock, recovering the previous run's jobs.
        await new Promise((r) => setTimeout(r, Math.floor(rnd() * 400)));
      } else {
        if (!(await c.started)) throw new Error(`the runner child ended by itself: ${c.stderr()}`);
        await new Promise((r) => setTimeout(r, 20 + Math.floor(rnd() * 180)));
      }
      c.p.kill('SIGKILL');
      expect(await c.exited).toBe('SIGKILL');
      if (!(await c.started)) killedDuringStart++;
    }
    expect(sold).toBe(N);
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
    expect(s.interrupted).toBeGreaterThan(KILLS / 4);
    console.log(`crash test: ${KILLS} kills (${killedDuringStart} during start-up), ${s.interrupted} attempts interrupted and reconciled`);
  }, 900_000);
});
