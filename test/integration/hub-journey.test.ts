// Issue 16's journey as a store lives it: a hub on its back-office PC (the embedded PostgreSQL), three tills of one
// store (three data directories, each its own processes) enrolled with one-time codes; then the hub goes down, the
// tills sell through it (each till's worker keeps sending to SUNAT and cannot reach the hub), the hub comes back on
// the same address, and everything arrives once: the hub's daily report per till equals each till's own report, the
// store's line is their sum, and `izisales hub check` finds no gap and no duplicate in any series.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, izisales, izisalesAsync, startIzisales, type Running } from '../helpers/processes';
import { openDatabase } from '../../src-main/db/connection';
import { databaseFile } from '../../src-main/paths';
import { dailyReport } from '../../src-main/reports/daily';
import { askRunningHub, runningHub } from '../../src-main/hub/admin-door';
import { limaDate } from '../../src-shared/time';
import { freshHubDataDir } from '../helpers/hub-template';

const TILLS = ['CAJA-01', 'CAJA-02', 'CAJA-03'];
const SALES_PER_TILL = [12, 7, 9];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-hub-journey-'));
// The embedded hub from a copy of an empty PGlite cluster (initdb once per machine: seconds of WebAssembly), the same
// as the cluster a new store's first start makes.
let hubDir = '';
beforeAll(async () => {
  hubDir = await freshHubDataDir('izisales-hub-journey-hub-');
});
const tillDir = (i: number) => path.join(tmp, `till-${i + 1}`);
const running: Running[] = [];

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
  if (hubDir) fs.rmSync(hubDir, { recursive: true, force: true });
});

function ok(args: string[]): string {
  const r = izisales(args);
  if (r.code !== 0) throw new Error(`izisales ${args.join(' ')} → ${r.code}\n${r.out}\n${r.err}`);
  return r.out;
}

async function okAsync(args: string[]): Promise<string> {
  const r = await izisalesAsync(args);
  if (r.code !== 0) throw new Error(`izisales ${args.join(' ')} → ${r.code}\n${r.out}\n${r.err}`);
  return r.out;
}

function storeOf(dir: string): { ruc: string; establishmentCode: string } {
  const db = new Database(path.join(dir, 'izisales.db'), { readonly: true });
  try {
    return JSON.parse((db.prepare("SELECT value FROM settings WHERE key = 'store'").get() as { value: string }).value);
  } finally {
    db.close();
  }
}

function seriesOf(dir: string): string[] {
  const db = new Database(path.join(dir, 'izisales.db'), { readonly: true });
  try {
    return (db.prepare("SELECT series FROM series WHERE document_type IN ('01', '03') ORDER BY document_type").all() as { series: string }[]).map((r) => r.series);
  } finally {
    db.close();
  }
}

interface HubDaily {
  issued: number; totalBilled: string;
  stores: { ruc: string; establishment: string; issued: number; totalBilled: string; terminals: { name: string; issued: number; totalBilled: string; lastContact: string | null }[] }[];
}

describe('three tills and a hub: enrol, sell with the hub down, everything arrives once', () => {
  let url = '';
  let port = 0;
  const startHub = async () => {
    const hub = await startIzisales(['hub', '--port', String(port), '--data', hubDir], /hub listening on http:\/\/127\.0\.0\.1:\d+/, { timeoutMs: 90_000 });
    running.push(hub);
    return hub;
  };

  it('enrols three tills of one store with one-time codes; each gets series no other till of the RUC has', async () => {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The back-office PC starts the hub (embedded PostgreSQL) and, while it runs, the admin sets up the store and
    // its tills from the same PC's command line (through the running hub: its database is that process's).
    const [hub] = await Promise.all([startHub(), ...TILLS.map((_, i) => okAsync(['seed', '--data', tillDir(i)]))]);
    const store = storeOf(tillDir(0));
    ok(['hub', 'store', 'add', '--ruc', store.ruc, '--establishment', store.establishmentCode, '--name', 'Bodega Demo', '--data', hubDir]);
    const codes = (await Promise.all(TILLS.map((name) => okAsync(['hub', 'terminal', 'add', '--store', `${store.ruc}-${store.establishmentCode}`, '--name', name, '--json', '--data', hubDir]))))
      .map((out) => JSON.parse(out).code as string);
    expect(new Set(codes).size).toBe(3);

    await Promise.all(TILLS.map((_, i) => okAsync(['hub', 'join', url, codes[i], '--data', tillDir(i)])));
    // A code works once.
    const again = izisales(['hub', 'join', url, codes[0], '--data', tillDir(1)]);
    expect(again.code).not.toBe(0);

    const series = TILLS.map((_, i) => seriesOf(tillDir(i)));
    expect(new Set(series.flat()).size).toBe(6); // a factura and a boleta series each, none shared
    await hub.stop();
  }, 120_000);

  it('sells on every till while the hub is down, then the hub comes back and gets every sale once', async () => {
    // The hub is down: each till sells (recorded, signed, queued for SUNAT and for the hub).
    await Promise.all(TILLS.map((_, i) => okAsync(['demo', 'sales', '--count', String(SALES_PER_TILL[i]), '--seed', String(i + 1), '--data', tillDir(i)])));
    // The hub comes back; each till's worker (separate processes) sends to SUNAT (the demo simulator) and to the hub.
    await startHub();
    running.push(...await Promise.all(TILLS.map((_, i) => startIzisales(['worker', '--data', tillDir(i)], /Proceso de envío iniciado/))));
    // Each till's own daily report (read in this process: what the till's manager would print).
    const date = limaDate(new Date());
    const own = TILLS.map((_, i) => {
      const db = openDatabase(databaseFile(tillDir(i)), { readonly: true });
      try {
        return dailyReport(db, date);
      } finally {
        db.close();
      }
    });
    own.forEach((r, i) => expect(r.salesCount).toBe(SALES_PER_TILL[i]));

    // The hub's, asked while it drains (through the running hub's door, as the command does) …
    const door = runningHub(hubDir)!;
    await expect.poll(async () => {
      const r = (await askRunningHub(door, 'report.daily', { date })) as HubDaily;
      return r.stores[0]?.terminals.map((t) => [t.name, t.issued, t.totalBilled]);
    }, { timeout: 150_000, interval: 500 }).toEqual(TILLS.map((name, i) => [name, own[i].issued, own[i].totalBilled]));
    // … and then as the manager types it.
    const hub = JSON.parse(ok(['hub', 'report', 'daily', '--date', date, '--json', '--data', hubDir])) as HubDaily;

    const store = hub.stores[0];
    expect(store.terminals.every((t) => t.lastContact !== null)).toBe(true);
    const sum = (xs: string[]) => (xs.reduce((a, x) => a + Math.round(Number(x) * 100), 0) / 100).toFixed(2);
    expect(store.issued).toBe(own.reduce((a, r) => a + r.issued, 0));
    expect(store.totalBilled).toBe(sum(own.map((r) => r.totalBilled)));
    expect(hub.totalBilled).toBe(store.totalBilled);

    const check = JSON.parse(ok(['hub', 'check', '--json', '--data', hubDir])) as { gaps: unknown[]; duplicates: number };
    expect(check).toEqual({ gaps: [], duplicates: 0 });
  }, 240_000);
});
