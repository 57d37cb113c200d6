// Issue 16's fault journeys: the hub killed with SIGKILL inside the transaction of a batch (20 times on a PostgreSQL
// server, 3 times on the embedded engine), a till's worker killed while its push is in flight (20 times), a network
// that drops and delays connections, a till restored from yesterday's backup (it gets back what it lacks), a price
// changed on the hub. After each: every record on the hub exactly once, appliedSeq equal to the till's own, the hub's
// totals per till equal the till's own report, and `hub check` clean. One throwaway PostgreSQL cluster for the file;
// the tills are copies of one seeded database; the hub and the workers run as the bundled `izisales` (same command
// line, faster start). A hub kill lands inside the transaction by construction: on the line the hub prints there
// through a test-only pause (IZISALES_TEST_HUB_APPLY_PAUSE_MS); a till kill, in the beforeCommit of an in-process
// hub or as its request passes a proxy.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { getSetting } from '../../src-main/db/settings';
import { backupDatabase } from '../../src-main/db/backup';
import { cashMove, closeSession, currentSession, openSession } from '../../src-main/pos/cash';
import { ringUpDemoSales } from '../../src-main/pos/demo';
import { dailyReport } from '../../src-main/reports/daily';
import { joinHub } from '../../src-main/replication/enrol';
import { hubCall, HubFailure } from '../../src-main/replication/http';
import { backlog, openToken, readLink } from '../../src-main/replication/link';
import { pushOutbox, type HubDeps } from '../../src-main/replication/push';
import { pullAll } from '../../src-main/replication/pull';
import { outboxTop } from '../../src-main/replication/recover';
import { openHubDb, type HubDb, type OpenHubDb } from '../../src-main/hub/db';
import { addStore, addTerminal } from '../../src-main/hub/admin';
import { hubCheck, hubDailyReport, type HubDailyReport } from '../../src-main/hub/reports';
import { startHubServer, type HubServer } from '../../src-main/hub/server';
import { askRunningHub, runningHub } from '../../src-main/hub/admin-door';
import { limaDate } from '../../src-shared/time';
import { HUB_PATHS, ownResponse, type HubRecordKind } from '../../src-shared/hub-protocol';
import { bundleChild } from '../helpers/child';
import { startCluster, type TestCluster } from '../helpers/postgres';
import { freePort, startIzisales, type Running } from '../helpers/processes';
import { startTcpProxy } from '../helpers/tcp-proxy';
import { freshHubDataDir } from '../helpers/hub-template';

const started = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-hub-faults-'));
const template = path.join(tmp, 'template');
/** The hub's pause inside each push's transaction (the kills land in it; a batch that goes through waits it). */
const PAUSE_MS = 400;
let cluster: TestCluster;
let cli = '';
let store = '';
const closers: Array<() => Promise<unknown> | unknown> = [];

beforeAll(async () => {
  [cluster, cli] = await Promise.all([
    startCluster(),
    bundleChild('test/fixtures/izisales-child.ts', 'izisales-child.mjs'),
  ]);
  execFileSync(process.execPath, [cli, 'seed', '--data', template], { stdio: 'ignore' });
  const db = new Database(path.join(template, 'izisales.db'), { readonly: true });
  const s = JSON.parse((db.prepare("SELECT value FROM settings WHERE key = 'store'").get() as { value: string }).value) as { ruc: string; establishmentCode: string };
  db.close();
  store = `${s.ruc}-${s.establishmentCode}`;
}, 60_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  cluster?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`hub-faults: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const execFileAsync = promisify(execFile);
type Row = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const random = (max: number) => Math.floor(Math.random() * max);

interface Till { name: string; dir: string; app: App; deps: HubDeps; terminalId: string }

/** A till: a copy of the seeded database, enrolled with a code the hub gave (`code`), open in this process. */
async function till(name: string, url: string, code: string): Promise<Till> {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(template, 'izisales.db'), path.join(dir, 'izisales.db')); // each till makes its own key
  const app = createApp({ dataDir: dir });
  const deps: HubDeps = { db: app.db, secrets: app.secrets, now: () => app.clock.now() };
  const r = await joinHub({ ...deps, secrets: app.secrets }, { url, code, appVersion: 'test', userId: null, via: 'cli' });
  return { name, dir, app, deps, terminalId: r.terminalId };
}

/** Pushes until the outbox is empty (a network failure is retried: the faults may still be on). */
async function drain(t: Till): Promise<void> {
  for (let i = 0; i < 200 && backlog(t.app.db) > 0; i++) {
    await pushOutbox(t.deps).catch((e: unknown) => {
      if (!(e instanceof HubFailure && e.kind === 'network')) throw e;
    });
  }
  expect(backlog(t.app.db)).toBe(0);
}

const KINDS = { sales: 'sales', notes: 'notes', documents: 'documents', cash_sessions: 'cash_sessions', cash_moves: 'cash_moves', collections: 'collections', customers: 'customers_in', audit_log: 'audit' } as const;

/** What the hub holds of a till: the uids of each kind (by the till's table), its appliedSeq, its line of the daily report. */
interface Held { uids: Record<string, string[]>; appliedSeq: number; report: HubDailyReport }

/** Read from the hub's database. */
async function heldIn(hub: HubDb, t: Till, date: string): Promise<Held> {
  const uids: Record<string, string[]> = {};
  for (const [local, remote] of Object.entries(KINDS)) {
    uids[local] = (await sql<{ uid: string }>`select uid from ${sql.table(remote)} where terminal_id = ${t.terminalId}`.execute(hub)).rows.map((r) => r.uid);
  }
  const applied = await hub.selectFrom('terminals').select('applied_seq').where('id', '=', t.terminalId).executeTakeFirstOrThrow();
  return { uids, appliedSeq: applied.applied_seq, report: await hubDailyReport(hub, date) };
}

/** Asked of the running hub, as the till and the manager see it: `own` with the till's token, the report at the door. */
async function heldBy(t: Till, report: Promise<unknown>): Promise<Held> {
  const link = readLink(t.app.db)!;
  const token = openToken(t.app.secrets, link);
  const uids: Record<string, string[]> = Object.fromEntries(Object.keys(KINDS).map((k) => [k, []]));
  let appliedSeq = 0;
  for (let after = 0; ;) {
    const page = await hubCall({ baseUrl: link.url, path: `${HUB_PATHS.own}?after=${after}&limit=500`, method: 'GET', token, answer: ownResponse });
    for (const r of page.records) uids[LOCAL_TABLE[r.kind]].push(r.uid);
    appliedSeq = page.appliedSeq;
    if (!page.more) break;
    after = page.lastSeq;
  }
  return { uids, appliedSeq, report: (await report) as HubDailyReport };
}
const LOCAL_TABLE: Record<HubRecordKind, keyof typeof KINDS> = {
  sale: 'sales', note: 'notes', document: 'documents', cash_session: 'cash_sessions', cash_move: 'cash_moves', collection: 'collections', customer: 'customers', audit: 'audit_log',
};

/** Everything the till holds is on the hub once (by uid, per kind), appliedSeq is the till's, and the totals agree. */
async function expectWhole(hub: HubDb | ((date: string) => Promise<Held>), t: Till): Promise<void> {
  const date = limaDate(new Date());
  const held = typeof hub === 'function' ? await hub(date) : await heldIn(hub, t, date);
  for (const local of Object.keys(KINDS)) {
    const mine = (t.app.db.raw.prepare(`SELECT uid FROM ${local} ORDER BY uid`).all() as { uid: string }[]).map((r) => r.uid);
    expect([...held.uids[local]].sort(), `${t.name} ${local}`).toEqual(mine);
  }
  expect(held.appliedSeq, `${t.name} appliedSeq`).toBe(outboxTop(t.app.db));
  const own = dailyReport(t.app.db, date);
  const row = held.report.stores.flatMap((s) => s.terminals).find((x) => x.name === t.name)!;
  expect([row.issued, row.totalBilled], `${t.name} totals`).toEqual([own.issued, own.totalBilled]);
}

const hubPort = (r: Running) => Number(/hub listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(r.output())![1]);

/** Resolves with the first match of `re` in what `r` prints after `from` characters (at once if already there). */
function printed(r: Running, re: RegExp, from = 0): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = re.exec(r.output().slice(from));
      if (m) {
        r.child.stdout!.off('data', look);
        r.child.stderr!.off('data', look);
        r.child.off('exit', gone);
        resolve(m);
      }
      return m;
    };
    const gone = () => {
      if (!look()) reject(new Error(`exited before printing ${re}:\n${r.output().slice(from)}`));
    };
    if (look()) return;
    r.child.stdout!.on('data', look);
    r.child.stderr!.on('data', look);
    r.child.once('exit', gone);
  });
}

const IN_TX = /lote (\d+)-(\d+) escrito, sin confirmar/;

/** What the hub holds of a terminal: its appliedSeq and how many records of each kind. */
async function held(hub: HubDb, terminalId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of Object.values(KINDS)) {
    out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)} where terminal_id = ${terminalId}`.execute(hub)).rows[0].n;
  }
  const t = await hub.selectFrom('terminals').select('applied_seq').where('id', '=', terminalId).executeTakeFirstOrThrow();
  out.appliedSeq = t.applied_seq;
  return out;
}

describe('the hub killed with SIGKILL while it applies a batch', () => {
  it('on a PostgreSQL server, 20 times inside the transaction: each batch rolled back, resent, every record once, no gap', async () => {
    const url = await cluster.createDatabase('hub_kill');
    const admin = await openHubDb({ databaseUrl: url, dataDir: tmp });
    closers.push(() => admin.close());
    await addStore(admin.db, { ruc: store.slice(0, 11), establishment: store.slice(12), name: 'Bodega' });
    // The tills know one address (a proxy); behind it, each restarted hub: the next one is started while the
    // current one works (a PostgreSQL server takes several hubs), so a restart costs no wait.
    const startHub = () => startIzisales(['hub', '--port', '0', '--database-url', url, '--data', path.join(tmp, 'hub-kill')], /hub listening on/,
      { cli, env: { IZISALES_TEST_HUB_APPLY_PAUSE_MS: String(PAUSE_MS) } });
    let hub = await startHub();
    const proxy = await startTcpProxy(hubPort(hub));
    closers.push(() => proxy.close());
    const spares = [startHub(), startHub()];
    const stopHubs = async () => {
      await hub.stop();
      for (const h of spares.splice(0)) await (await h).stop();
    };
    closers.push(stopHubs);
    const tills = [
      await till('CAJA-K1', proxy.url, (await addTerminal(admin.db, { store, name: 'CAJA-K1' })).code),
      await till('CAJA-K2', proxy.url, (await addTerminal(admin.db, { store, name: 'CAJA-K2' })).code),
    ];
    closers.push(() => Promise.all(tills.map((t) => t.app.close())));
    ringUpDemoSales(tills[0].app, 60, 1);
    ringUpDemoSales(tills[1].app, 60, 2);
    const BATCH = 25;

    // The terminal's own push code, over HTTP, against the hub being killed: the kill lands on the hub's line
    // "sin confirmar" (its rows written, the commit not sent), so it is inside the transaction by construction.
    for (let i = 0; i < 20; i++) {
      const t = tills[i % 2];
      const before = await held(admin.db, t.terminalId);
      const queued = backlog(t.app.db);
      const mark = hub.output().length;
      const push = pushOutbox(t.deps, { maxBatches: 1, batchMax: BATCH }).then(
        () => 'answered',
        (e: unknown) => {
          if (e instanceof HubFailure && e.kind === 'network') return 'cut';
          throw e;
        },
      );
      await Promise.race([printed(hub, IN_TX, mark), push.then((o) => Promise.reject(new Error(`push ${o} before the hub paused`)))]);
      await hub.kill();
      expect(await push, `kill ${i + 1}`).toBe('cut');
      // PostgreSQL saw the connection go and rolled the batch back: no session is left inside a transaction,
      // and the hub holds what it held before, appliedSeq included; the till deleted nothing.
      await expect.poll(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'`.execute(admin.db)).rows[0].n).toBe(0);
      expect(await held(admin.db, t.terminalId), `kill ${i + 1}`).toEqual(before);
      expect(backlog(t.app.db)).toBe(queued);
      hub = await spares.shift()!;
      proxy.target = hubPort(hub);
      spares.push(startHub());
      // Now and then the batch goes through on the restarted hub, so the kills fall on every part of the backlog.
      if (i % 4 === 3) await pushOutbox(tills[Math.floor(i / 4) % 2].deps, { maxBatches: 1, batchMax: BATCH });
    }
    for (const t of tills) await drain(t);
    await stopHubs();
    for (const t of tills) await expectWhole(admin.db, t);
    expect(await hubCheck(admin.db)).toEqual({ gaps: [], duplicates: 0 });
  }, 60_000);

  it('on the embedded engine (PGlite), 3 times inside the transaction: its directory opens again, the batch rolled back, nothing committed lost', async () => {
    const data = await freshHubDataDir('izisales-hub-faults-embedded-');
    closers.push(() => fs.rmSync(data, { recursive: true, force: true }));
    const port = await freePort();
    const startHub = () => startIzisales(['hub', '--port', String(port), '--data', data], /hub listening on/,
      { cli, timeoutMs: 30_000, env: { IZISALES_TEST_HUB_APPLY_PAUSE_MS: String(PAUSE_MS) } });
    let hub = await startHub();
    closers.push(() => hub.stop());
    const door = () => runningHub(data)!;
    await askRunningHub(door(), 'store.add', { ruc: store.slice(0, 11), establishment: store.slice(12), name: 'Bodega' });
    const { code } = (await askRunningHub(door(), 'terminal.add', { store, name: 'CAJA-E1' })) as { code: string };
    const t = await till('CAJA-E1', `http://127.0.0.1:${port}`, code);
    closers.push(() => t.app.close());
    ringUpDemoSales(t.app, 40, 3);
    const appliedSeq = async () => (await heldBy(t, Promise.resolve(null))).appliedSeq;
    for (let i = 0; i < 3; i++) {
      // A batch goes through (committed, answered: the till deletes it), then the next one is killed in its transaction.
      await pushOutbox(t.deps, { maxBatches: 1, batchMax: 20 });
      const before = await appliedSeq();
      const mark = hub.output().length;
      const push = pushOutbox(t.deps, { maxBatches: 1, batchMax: 20 }).catch((e: unknown) => e);
      await printed(hub, IN_TX, mark);
      await hub.kill();
      expect(await push).toBeInstanceOf(HubFailure);
      // The directory opens again (startHub throws, with PGlite's own words, if it does not), without the batch.
      hub = await startHub();
      expect(await appliedSeq(), `kill ${i + 1}`).toBe(before);
    }
    await drain(t);
    await expectWhole((date) => heldBy(t, askRunningHub(door(), 'report.daily', { date })), t);
    expect(await askRunningHub(door(), 'check', {})).toEqual({ gaps: [], duplicates: 0 });
  }, 60_000);
});

describe('a till, a network and a hub that misbehave', () => {
  let hubDb: OpenHubDb;
  let server: HubServer;
  let url = '';

  beforeAll(async () => {
    url = await cluster.createDatabase('hub_faults');
    hubDb = await openHubDb({ databaseUrl: url, dataDir: tmp });
    server = await startHubServer(hubDb.db, { port: 0 });
    closers.push(() => hubDb.close(), () => server.close());
    await addStore(hubDb.db, { ruc: store.slice(0, 11), establishment: store.slice(12), name: 'Bodega' });
  });

  const code = async (name: string) => (await addTerminal(hubDb.db, { store, name })).code;

  it("a till's worker killed with SIGKILL while its push is in flight, 20 times: the resend changes nothing, nothing lost, the outbox drains after restart", async () => {
    // Two tills side by side, ten kills each, every other one of two kinds: the worker killed as its push leaves
    // (the hub never sees it), or killed while the hub holds its batch inside the transaction (the hub then commits
    // and the answer finds no one). Each till has its own hub server on the same database, whose beforeCommit does
    // the second kind, and a proxy in front of it that does the first.
    const one = async (name: string, seed: number) => {
      let running: Running | null = null;
      let mode: 'request' | 'in-transaction' | 'off' = 'off';
      let killed: (batch: { fromSeq: number; toSeq: number } | null) => void = () => {};
      const killWorker = async () => {
        mode = 'off';
        await running!.kill();
      };
      const hub = await startHubServer(hubDb.db, {
        port: 0,
        beforeCommit: async (batch) => {
          if (mode !== 'in-transaction') return;
          await killWorker();
          killed(batch);
        },
      });
      closers.push(() => hub.close());
      const proxy = await startTcpProxy(hub.port, {
        request: async (chunk, conn) => {
          if (mode !== 'request' || !chunk.toString('latin1').startsWith('POST /hub/v1/push')) return;
          await killWorker(); // dead before its request goes on: no error reaches its job, which stays `running`
          conn.drop();
          killed(null);
          return false;
        },
      });
      closers.push(() => proxy.close());
      const t = await till(name, proxy.url, await code(name));
      // SUNAT out of reach (a closed port): the till's documents wait, its pushes to the hub on the LAN go on.
      const worker = async (ready: RegExp | null) => startIzisales(['worker', '--data', t.dir, '--sunat-url', `http://127.0.0.1:${noSunat}/`], ready, { cli });
      ringUpDemoSales(t.app, 30, seed);
      const first = (t.app.db.raw.prepare('SELECT min(seq) AS s FROM outbox').get() as { s: number }).s;
      await t.app.close();
      const held = () => Promise.all(Object.values(KINDS).map((table) => sql<{ uid: string; version: number; hub_seq: number }>`select uid, version, hub_seq
        from ${sql.table(table)} where terminal_id = ${t.terminalId}`.execute(hubDb.db).then((r) => r.rows.map((x) => ({ table, ...x }))))).then((x) => x.flat());
      const committedUnheard: Awaited<ReturnType<typeof held>>[] = [];
      for (let i = 0; i < 10; i++) {
        const landed = new Promise<{ fromSeq: number; toSeq: number } | null>((resolve) => (killed = resolve));
        mode = i % 2 === 0 ? 'in-transaction' : 'request';
        const w = (running = await worker(null));
        const batch = await Promise.race([landed, new Promise<never>((_, reject) => w.child.once('exit', () => {
          if (mode !== 'off') reject(new Error(`the worker exited by itself:\n${w.output()}`));
        }))]);
        if (batch) {
          // The till never heard: it deleted nothing, so it sends from its first row again each time.
          expect(batch.fromSeq).toBe(first);
          await expect.poll(async () => (await hubDb.db.selectFrom('terminals').select('applied_seq').where('id', '=', t.terminalId).executeTakeFirstOrThrow()).applied_seq).toBeGreaterThanOrEqual(batch.toSeq);
          committedUnheard.push(await held());
        }
      }
      // Restarted for good: the runner takes the push its killed predecessor left running, and the outbox drains.
      const last = (running = await worker(/Proceso de envío iniciado/));
      closers.push(() => last.stop());
      const view = new Database(path.join(t.dir, 'izisales.db'), { readonly: true });
      await expect.poll(() => (view.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n, { timeout: 30_000, interval: 50 }).toBe(0);
      view.close();
      await last.stop();
      const reopened = createApp({ dataDir: t.dir });
      closers.push(() => reopened.close());
      const r = { ...t, app: reopened, deps: { ...t.deps, db: reopened.db } };
      await drain(r); // nothing, normally: the worker pushed everything before it stopped
      // Each resend of a batch the hub had already committed changed nothing: every record it held then is held
      // now with the same version and the same hub_seq (an upsert that took it again would have given a new one).
      const now = new Map((await held()).map((x) => [`${x.table}:${x.uid}`, x]));
      for (const snapshot of committedUnheard) {
        for (const x of snapshot) expect(now.get(`${x.table}:${x.uid}`), `${x.table} ${x.uid}`).toEqual(x);
      }
      expect(committedUnheard).toHaveLength(5);
      return r;
    };
    const noSunat = await freePort();
    const tills = await Promise.all([one('CAJA-W1', 4), one('CAJA-W2', 5)]);
    for (const t of tills) await expectWhole(hubDb.db, t);
    expect(await hubCheck(hubDb.db)).toEqual({ gaps: [], duplicates: 0 });
  }, 60_000);

  it('a proxy that drops connections mid-request and mid-answer and delays others: everything arrives once and in order', async () => {
    let requests = 0;
    let answers = 0;
    let dropped = 0;
    const proxy = await startTcpProxy(server.port, {
      request: async (chunk, conn) => {
        if (!chunk.toString('latin1').startsWith('POST /hub/v1/push')) return;
        requests++;
        if (requests % 3 === 1) {
          // Half the request reaches the hub, then the line goes dead.
          conn.drop();
          dropped++;
          return false;
        }
        if (requests % 3 === 2) await sleep(20 + random(150));
      },
      response: async (_chunk, conn) => {
        answers++;
        if (answers % 4 === 0) {
          conn.drop(); // the hub applied it; the answer is lost on the way
          dropped++;
          return false;
        }
        if (answers % 4 === 1) await sleep(20 + random(100));
      },
    });
    closers.push(() => proxy.close());
    const t = await till('CAJA-P1', proxy.url, await code('CAJA-P1'));
    closers.push(() => t.app.close());
    ringUpDemoSales(t.app, 120, 6);
    const answered: number[] = [];
    for (let i = 0; i < 300 && backlog(t.app.db) > 0; i++) {
      try {
        await pushOutbox(t.deps, { maxBatches: 1, batchMax: 40 });
        answered.push(outboxTop(t.app.db) - backlog(t.app.db));
      } catch (e) {
        if (!(e instanceof HubFailure && e.kind === 'network')) throw e;
      }
    }
    expect(dropped).toBeGreaterThan(5);
    await expectWhole(hubDb.db, t);
    // In order: the hub took each sale when it first arrived, in the order they were rung up.
    const order = await hubDb.db.selectFrom('sales').select(['series', 'correlative']).where('terminal_id', '=', t.terminalId).orderBy('hub_seq').execute();
    for (const series of new Set(order.map((o) => o.series))) {
      const seq = order.filter((o) => o.series === series).map((o) => o.correlative);
      expect(seq).toEqual([...seq].sort((a, b) => a - b));
    }
    expect(await hubCheck(hubDb.db)).toEqual({ gaps: [], duplicates: 0 });
  }, 60_000);

  it("a till restored from yesterday's backup gets back what it lacks, re-sends what the hub has (no duplicate) and numbers after the hub's highest", async () => {
    const t = await till('CAJA-R1', server.url, await code('CAJA-R1'));
    ringUpDemoSales(t.app, 5, 7);
    const backup = path.join(tmp, 'CAJA-R1-yesterday.db');
    await backupDatabase(t.app.db, backup); // the copy holds 5 sales, still in its outbox
    await drain(t);
    // After the copy: four more sales, ten soles paid in, and the drawer closed with its Z.
    ringUpDemoSales(t.app, 4, 8);
    const terminal = getSetting(t.app.db, 'terminalId');
    const drawer = t.app.db.raw.prepare('SELECT user_id AS userId, uid FROM cash_sessions WHERE closed_at IS NULL').get() as { userId: number; uid: string };
    cashMove(t.app.db, t.app.clock.now(), terminal, drawer.userId, 'in', '10', 'Sencillo');
    const lastSale = t.app.db.raw.prepare('SELECT id, uid FROM sales ORDER BY id DESC LIMIT 1').get() as { id: number; uid: string };
    const cashierRole = t.app.db.raw.prepare('SELECT id, role FROM users WHERE id = ?').get(drawer.userId) as { id: number; role: 'cashier' };
    const note = t.app.returnSale(cashierRole, terminal, { saleId: lastSale.id, lines: [{ lineNo: 1, quantity: '1' }], reasonCode: '07', refund: 'cash' });
    const noteUid = (t.app.db.raw.prepare('SELECT uid FROM notes WHERE id = ?').get(note.noteId) as { uid: string }).uid;
    const z = closeSession(t.app.db, t.app.clock.now(), terminal, drawer.userId, '500');
    await drain(t);
    const hubSales = () => hubDb.db.selectFrom('sales').select(['number', 'uid']).where('terminal_id', '=', t.terminalId).orderBy('number').execute();
    const before = await hubSales();
    expect(before).toHaveLength(9);
    const appliedBefore = outboxTop(t.app.db);
    const stock = (db: App['db']) => db.raw.prepare('SELECT sku, stock FROM products ORDER BY sku').all();
    const stockBefore = stock(t.app.db);
    await t.app.close();

    // The PC's disk died; yesterday's copy goes back with the till's own command, which then asks the hub.
    // (Not execFileSync: the hub answering it runs in this process.)
    const restored = await execFileAsync(process.execPath, [cli, 'db', 'restore', backup, '--data', t.dir], { encoding: 'utf8' });
    const out = restored.stdout;
    expect(out).toMatch(/Copia restaurada \(5 ventas\)/);
    expect(out, restored.stderr).toMatch(/continúa en el número/);
    expect(out).toMatch(/; \d+ no estaban en esta copia y se recuperaron de ella; 1 se pusieron al día/);
    const app = createApp({ dataDir: t.dir });
    closers.push(() => app.close());
    const r = { ...t, app, deps: { ...t.deps, db: app.db } };
    // What it lacked is back in its own tables, as the hub holds it: the sales with their lines and payments, the
    // documents with their signed XML; its own daily report is the hub's again.
    for (const s of await hubSales()) {
      const local = app.db.raw.prepare('SELECT id, number FROM sales WHERE uid = ?').get(s.uid) as { id: number; number: string };
      expect(local.number).toBe(s.number);
      const held = (await hubDb.db.selectFrom('sales').select('data').where('uid', '=', s.uid).executeTakeFirstOrThrow()).data as { lines: Row[]; payments: Row[] };
      const lines = app.db.raw.prepare('SELECT description, quantity, unit_price, total_cents FROM sale_lines WHERE sale_id = ? ORDER BY line_no').all(local.id);
      expect(lines).toEqual(held.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit_price: l.unit_price, total_cents: l.total_cents })));
      expect(app.db.raw.prepare('SELECT count(*) AS n FROM payments WHERE sale_id = ?').get(local.id)).toEqual({ n: held.payments.length });
      const doc = app.db.raw.prepare('SELECT xml FROM documents WHERE sale_id = ?').get(local.id) as { xml: string | null };
      expect(doc.xml ?? '').toMatch(new RegExp(`<cbc:ID>${s.number}</cbc:ID>`));
    }
    // The credit note on a lost sale is back, its line on that sale's line, its document with it.
    const back = app.db.raw.prepare(`SELECT n.number, s.uid AS sale, sl.line_no, d.xml IS NOT NULL AS signed FROM notes n JOIN sales s ON s.id = n.sale_id
      JOIN note_lines nl ON nl.note_id = n.id JOIN sale_lines sl ON sl.id = nl.sale_line_id JOIN documents d ON d.note_id = n.id WHERE n.uid = ?`).get(noteUid);
    expect(back).toEqual({ number: note.number, sale: lastSale.uid, line_no: 1, signed: 1 });
    // The drawer is closed here too, with the same Z; the money paid in is back in it.
    const session = app.db.raw.prepare('SELECT id, z_number, closed_at FROM cash_sessions WHERE uid = ?').get(drawer.uid) as { id: number; z_number: number; closed_at: string };
    expect(session.closed_at).not.toBeNull();
    expect(session.z_number).toBe(z.zNumber);
    expect(app.db.raw.prepare('SELECT amount_cents, reason FROM cash_moves WHERE session_id = ?').all(session.id)).toEqual([{ amount_cents: 1000, reason: 'Sencillo' }]);
    // The stock is what it was before the disk died: the lost sales' moves and the return's replayed on the copy's.
    expect(stock(app.db)).toEqual(stockBefore);
    // It sends again the 5 sales the copy still had queued: the hub changes nothing.
    expect(backlog(app.db)).toBeGreaterThan(0);
    await drain(r);
    expect(await hubSales()).toEqual(before);
    await expectWhole(hubDb.db, r); // every record once both ways, the same totals
    // Its next sale takes the number after the hub's highest, never one the hub already has.
    const terminalId = getSetting(app.db, 'terminalId');
    const cashier = app.db.raw.prepare(`SELECT id, role FROM users WHERE username = 'cashier'`).get() as { id: number; role: 'cashier' };
    if (!currentSession(app.db, terminalId, cashier.id)) openSession(app.db, app.clock.now(), terminalId, cashier.id, '100.00');
    const product = app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 LIMIT 1`).get() as { id: number };
    const sale = app.sell(cashier, terminalId, { documentType: '03', customer: null, lines: [{ productId: product.id, quantity: '1' }], payments: [{ method: 'cash', amount: '9999.00' }] });
    const boletas = before.map((s) => s.number).filter((n) => n.startsWith('B'));
    expect(sale.number > boletas[boletas.length - 1]).toBe(true);
    expect(boletas).not.toContain(sale.number);
    await drain(r);
    expect(outboxTop(app.db)).toBeGreaterThan(appliedBefore);
    expect(await hubSales()).toHaveLength(10);
    expect(await hubCheck(hubDb.db)).toEqual({ gaps: [], duplicates: 0 });
  }, 60_000);

  it('a price changed on the hub reaches every till; a sale rung up offline at the old price keeps it', async () => {
    const [a, b] = [await till('CAJA-C1', server.url, await code('CAJA-C1')), await till('CAJA-C2', server.url, await code('CAJA-C2'))];
    closers.push(() => a.app.close(), () => b.app.close());
    const p = a.app.db.raw.prepare(`SELECT id, sku, price FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 AND price <> '3.50' LIMIT 1`).get() as { id: number; sku: string; price: string };
    // Till A is offline (nothing pushed or pulled) and sells one at the old price.
    const sellOne = (t: Till) => {
      const terminalId = getSetting(t.app.db, 'terminalId');
      const cashier = t.app.db.raw.prepare(`SELECT id, role FROM users WHERE username = 'cashier'`).get() as { id: number; role: 'cashier' };
      if (!currentSession(t.app.db, terminalId, cashier.id)) openSession(t.app.db, t.app.clock.now(), terminalId, cashier.id, '100.00');
      const productId = (t.app.db.raw.prepare('SELECT id FROM products WHERE sku = ?').get(p.sku) as { id: number }).id;
      return t.app.sell(cashier, terminalId, { documentType: '03', customer: null, lines: [{ productId, quantity: '1' }], payments: [{ method: 'cash', amount: '9999.00' }] });
    };
    const offline = sellOne(a);

    // The manager changes the price on the hub, as typed ("3,50").
    const out = execFileSync(process.execPath, [cli, 'hub', 'product', 'set', '--code', p.sku, '--price', '3,50', '--name', 'Producto rebajado', '--database-url', url, '--data', tmp], { encoding: 'utf8' });
    expect(out).toMatch(/actualizado|creado/);
    for (const t of [a, b]) {
      await pullAll(t.deps);
      expect(t.app.db.raw.prepare('SELECT price, name FROM products WHERE sku = ?').get(p.sku)).toEqual({ price: '3.50', name: 'Producto rebajado' });
    }
    const after = sellOne(b);
    await drain(a);
    await drain(b);
    const lineOf = async (uid: string) => {
      const s = await hubDb.db.selectFrom('sales').select(['data', 'total_cents']).where('uid', '=', uid).executeTakeFirstOrThrow();
      return (s.data as { lines: { unit_price: string }[] }).lines[0].unit_price;
    };
    const uidOf = (t: Till, id: number) => (t.app.db.raw.prepare('SELECT uid FROM sales WHERE id = ?').get(id) as { uid: string }).uid;
    expect(Number(await lineOf(uidOf(a, offline.saleId)))).toBe(Number(p.price));
    expect(Number(await lineOf(uidOf(b, after.saleId)))).toBe(3.5);
    // The till's own document keeps the old price too (its signed XML).
    const xml = (a.app.db.raw.prepare('SELECT xml FROM documents WHERE sale_id = ?').get(offline.saleId) as { xml: string }).xml;
    const prices = [...xml.matchAll(/<cbc:PriceAmount[^>]*>([\d.]+)</g)].map((m) => Number(m[1]));
    expect(prices).toContain(Number(p.price));
    expect(prices).not.toContain(3.5);
    for (const t of [a, b]) await expectWhole(hubDb.db, t);
    // A bad price is refused, with the reason, and changes nothing.
    expect(() => execFileSync(process.execPath, [cli, 'hub', 'product', 'set', '--code', p.sku, '--price', '0', '--database-url', url, '--data', tmp], { encoding: 'utf8', stdio: 'pipe' }))
      .toThrow(/Precio no válido/);
    expect(readLink(a.app.db)).not.toBeNull();
  }, 60_000);
});
