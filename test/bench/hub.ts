// The hub (issue 16) under a chain's load, on a real PostgreSQL: a throwaway cluster (test/helpers/postgres.ts:
// initdb and pg_ctl as the `postgres` user in a temp directory, on a free port, stopped and removed at the end) and a
// real `izisales hub --database-url …` process, built fresh each run. Three parts:
//  1. Ingest. 50 terminals enrolled for real (a seeded SQLite file each, a one-time code, `joinHub`). One more real
//     terminal (PLANTILLA) sells a store day while the hub is unreachable (2,000 sales through app.sell with the
//     services running: signed, each answered by the SUNAT simulator with its CDR before the next); its outbox, read
//     as hub.push reads it (replication/records.ts readBatch: batches of HUB_BATCH_MAX records), is every terminal's
//     day: each sends the same batches with fresh uids, its own id and series, over HTTP with its token, its batches
//     in order, 8 terminals at a time. Then the raw limit on the same PostgreSQL: the very rows the hub stored, read
//     back, inserted into a copy of each table (schema `raw`: same columns, keys, indexes and foreign key) with one
//     multi-row INSERT per table per batch, one transaction per batch, the same batches and concurrency (a record
//     sent twice is inserted once). Sales per second both ways; target ingest ≥ 0.5 × raw.
//  2. Lag. 50 more terminals (part 1's are taken by the template's day), spread over a few processes (hub-tills.ts),
//     each warmed by one sale, then selling 1 sale/s and pushing with the real trigger and push code; a poller reads
//     the hub's database every 50 ms. Lag = first poll that sees the sale − the sale's issue time (taken before its
//     commit): both ends counted against us. Target p99 ≤ 2 s over 60 s.
//  3. Checkout while the outbox drains: the PLANTILLA terminal, its day unsent plus more sales up to 20,000 outbox
//     rows, pushes to the hub (pushOutbox, as hub.push runs in a till's process) while a cashier rings up a sale
//     every 50 ms with the checkout bench's transaction (pos/checkout.ts), the runner's WAL checkpointer beside them
//     as in a till's process. The same cashier first without the drain.
//     Target checkout p99 ≤ 5 ms.
// `npm run bench -- hub [--json] [--quick] [--terminals N] [--sales N] [--backlog ROWS] [--only ingest,lag,checkout]
// [--hub-nice N | --hub-idle] [--hub-cpu N] [--hub-elsewhere MS]`
// (IZISALES_BENCH_QUICK=1 as --quick): --quick runs everything small (a check that it runs); --terminals and --sales
// change part 1's sizes (and part 2's terminals); --backlog the outbox rows part 3 drains (more rows, a longer drain and
// more sales timed during it: a steadier p99); --only runs those parts (the others' figures are null); --hub-nice N
// runs the hub's and PostgreSQL's processes at nice N (they stand in for a server on another machine); --hub-idle runs
// them under SCHED_IDLE instead (only on CPU time the tills leave); --hub-cpu N keeps them on CPU N (a cpuset cgroup),
// the tills free on every core; --hub-elsewhere MS drains part 3 to hub-elsewhere.cjs instead, a process that answers
// each batch MS ms after it arrives and does nothing else (a hub on another machine, at about a real hub's pace).
// IZISALES_BENCH_HUB_PROFILE=DIR: the hub process writes a CPU profile (node --cpu-prof) there when it stops.
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApp, type App } from '../../src-main/app';
import { AppHost } from '../../src-main/runtime';
import { getSetting } from '../../src-main/db/settings';
import { openDatabase } from '../../src-main/db/connection';
import { startCheckpointer } from '../../src-main/db/checkpointer';
import { databaseFile } from '../../src-main/paths';
import { currentSession, openSession } from '../../src-main/pos/cash';
import { checkout } from '../../src-main/pos/checkout';
import { joinHub } from '../../src-main/replication/enrol';
import { readBatch } from '../../src-main/replication/records';
import { pushOutbox } from '../../src-main/replication/push';
import { openHubDb, type OpenHubDb } from '../../src-main/hub/db';
import { addStore, addTerminal } from '../../src-main/hub/admin';
import { HUB_BATCH_MAX, HUB_PATHS, pushRequest, pushResponse, type HubRecordKind } from '../../src-shared/hub-protocol';
import { startCluster, type TestCluster } from '../helpers/postgres';
import { freePort, startIzisales, type Running } from '../helpers/processes';
import { argValue, round, summarize } from './stats';
import { tempDir } from './store';
import { startSim } from './sim';
import { screenInput } from './till';

const TARGETS = { ingest_ratio: 0.5, lag_p99_ms: 2000, checkout_p99_ms: 5 };
const SIZES = {
  full: { terminals: 50, sales: 2000, concurrency: 8, lagProcesses: 5, lagSeconds: 60, backlogRows: 20_000, cashierSales: 400 },
  quick: { terminals: 4, sales: 150, concurrency: 4, lagProcesses: 2, lagSeconds: 10, backlogRows: 2_000, cashierSales: 60 },
};
type Sizes = (typeof SIZES)['full'];
const CASHIER_EVERY_MS = 50;
const POLL_MS = 50;
/** The hub's tables of replicated records, by the protocol's kind. */
const TABLES: Record<HubRecordKind, string> = {
  sale: 'sales', note: 'notes', document: 'documents', cash_session: 'cash_sessions', cash_move: 'cash_moves',
  collection: 'collections', customer: 'customers_in', audit: 'audit',
};

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

interface Till {
  name: string;
  dir: string;
  id: string;
  /** The bearer token (kept in memory only, never printed). */
  token: string;
  series: Map<string, string>;
}

/** Runs `fn` over `items`, at most `n` at a time, each item's work whole. */
async function inPool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** A fresh demo terminal enrolled in the hub for real: a one-time code, then joinHub as `hub join` runs it. */
async function enrolTill(admin: OpenHubDb, hubUrl: string, storeKey: string, dir: string, name: string): Promise<Till> {
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  try {
    const { code } = await addTerminal(admin.db, { store: storeKey, name });
    let token = '';
    const r = await joinHub({ db: app.db, secrets: app.secrets, now: () => new Date() }, {
      url: hubUrl, code, appVersion: 'bench', userId: null, via: 'cli', addSecret: (t) => (token = t),
    });
    return { name, dir, id: r.terminalId, token, series: new Map(r.series.map((s) => [s.documentType, s.series])) };
  } finally {
    await app.close();
  }
}

function cashierOf(app: App) {
  const terminalId = getSetting(app.db, 'terminalId');
  const cashier = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  if (!currentSession(app.db, terminalId, cashier.id)) openSession(app.db, new Date(), terminalId, cashier.id, '100.00');
  const products = (app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
  return { terminalId, cashier, products };
}

/**
 * The template's day: `sales` sales rung up through app.sell with the services running (the SUNAT simulator answers
 * each document, its CDR stored, before the next customer), while the hub is unreachable (the link points at a
 * closed port: hub.push waits for the network and the outbox keeps everything) — a day online with SUNAT but not
 * with the head office.
 */
async function sellTemplateDay(dir: string, sales: number): Promise<void> {
  const db = openDatabase(databaseFile(dir));
  db.prepare('UPDATE hub_link SET url = ? WHERE id = 1').run(`http://127.0.0.1:${await freePort()}`);
  db.close();
  const sim = await startSim({ inProcess: true, latencyMs: 0 });
  const host = await AppHost.start({ dataDir: dir, sunatUrl: sim.url });
  try {
    const app = host.app;
    const { terminalId, cashier, products } = cashierOf(app);
    const status = app.db.prepare('SELECT status FROM documents WHERE id = ?');
    for (let i = 0; i < sales; i++) {
      const r = app.sell(cashier, terminalId, screenInput(i, products));
      const end = Date.now() + 60_000;
      while (!['accepted', 'observed', 'rejected'].includes((status.get(r.documentId) as { status: string }).status)) {
        if (Date.now() > end) throw new Error(`the simulator did not answer ${r.number} of the template in time`);
        await sleep(2);
      }
    }
  } finally {
    await host.stop();
    await sim.close();
  }
}

interface TemplateBatch {
  text: string;
  toSeq: number;
  keys: { kind: HubRecordKind; uid: string }[];
  sales: number;
}

/** The template's outbox as hub.push would send it, batch after batch; the outbox itself is left as it was. */
function templateBatches(dir: string, terminalId: string): { batches: TemplateBatch[]; outboxRows: number } {
  const db = openDatabase(databaseFile(dir));
  try {
    const outboxRows = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    const batches: TemplateBatch[] = [];
    const drop = db.prepare('DELETE FROM outbox WHERE seq <= ?');
    db.raw.exec('BEGIN');
    try {
      for (let b = readBatch(db); b; b = readBatch(db)) {
        const body = pushRequest.parse({ terminalId, ...b });
        batches.push({
          text: JSON.stringify(body), toSeq: b.toSeq, keys: b.records.map((r) => ({ kind: r.kind, uid: r.uid })),
          sales: b.records.filter((r) => r.kind === 'sale').length,
        });
        drop.run(b.toSeq);
      }
    } finally {
      db.raw.exec('ROLLBACK');
    }
    return { batches, outboxRows };
  } finally {
    db.close();
  }
}

interface TillDay {
  till: Till;
  bodies: Buffer[];
  keys: { kind: HubRecordKind; uid: string }[][];
  toSeqs: number[];
}

/** The template's batches as `till` sends them: fresh uids (references follow), its terminal id, its series. */
function dayOf(template: { id: string; series: Map<string, string>; batches: TemplateBatch[] }, till: Till): TillDay {
  const uids = new Map<string, string>();
  for (const b of template.batches) for (const k of b.keys) if (!uids.has(k.uid)) uids.set(k.uid, randomBytes(16).toString('hex'));
  const swap = new Map<string, string>([[template.id, till.id]]);
  for (const [type, s] of template.series) if (till.series.get(type) && till.series.get(type) !== s) swap.set(s, till.series.get(type)!);
  const re = new RegExp(`${[...swap.keys()].map((s) => s.replace(/[^0-9A-Za-z]/g, '\\$&')).join('|')}|[0-9a-f]{32}`, 'g');
  return {
    till,
    bodies: template.batches.map((b) => Buffer.from(b.text.replace(re, (m) => swap.get(m) ?? uids.get(m) ?? m), 'utf8')),
    keys: template.batches.map((b) => b.keys.map((k) => ({ kind: k.kind, uid: uids.get(k.uid)! }))),
    toSeqs: template.batches.map((b) => b.toSeq),
  };
}

async function postPush(hubUrl: string, token: string, body: Buffer): Promise<number> {
  const res = await fetch(hubUrl + HUB_PATHS.push, {
    // Buffers (outside V8's heap: a full run holds ~2 GB of days); fetch sends them as they are.
    method: 'POST', body: body as Uint8Array<ArrayBuffer>,
    headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`the hub refused a push (HTTP ${res.status}): ${text.slice(0, 300)}`);
  return pushResponse.parse(JSON.parse(text)).appliedSeq;
}

/** Part 1: the days sent to the hub, then the same rows inserted raw. */
async function ingestVsRaw(databaseUrl: string, hubUrl: string, days: TillDay[], salesPerDay: number, concurrency: number, warmUp: TillDay) {
  // A terminal of its own first warms the hub (its code compiled, its pool's connections open): not timed nor counted.
  for (let i = 0; i < Math.min(2, warmUp.bodies.length); i++) await postPush(hubUrl, warmUp.till.token, warmUp.bodies[i]);
  const requests = days.reduce((a, d) => a + d.bodies.length, 0);
  const bytes = days.reduce((a, d) => a + d.bodies.reduce((x, b) => x + b.length, 0), 0);
  log(`ingest: ${days.length} terminals × ${salesPerDay} sales, ${requests} pushes of up to ${HUB_BATCH_MAX} records, ${Math.round(bytes / 1024 / 1024)} MB of JSON, ${concurrency} terminals at a time…`);
  const pushMs: number[] = [];
  const t0 = performance.now();
  await inPool(days, concurrency, async (d) => {
    for (let i = 0; i < d.bodies.length; i++) {
      const t = performance.now();
      const applied = await postPush(hubUrl, d.till.token, d.bodies[i]);
      pushMs.push(performance.now() - t);
      if (applied < d.toSeqs[i]) throw new Error(`${d.till.name}: the hub applied up to ${applied}, not ${d.toSeqs[i]}`);
    }
  });
  const ingestS = (performance.now() - t0) / 1000;
  for (const d of days) d.bodies = [];

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = days.map((d) => d.till.id);
    const { rows: [held] } = await client.query('SELECT count(*)::int AS n FROM sales WHERE terminal_id = ANY($1::uuid[])', [ids]);
    if (held.n !== days.length * salesPerDay) throw new Error(`the hub holds ${held.n} sales of the ${days.length * salesPerDay} sent`);
    const { rows: [records] } = await client.query(`SELECT (${Object.values(TABLES).map((t) => `(SELECT count(*) FROM ${t} WHERE terminal_id = ANY($1::uuid[]))`).join(' + ')})::int AS n`, [ids]);

    // The raw side: the same tables (columns, keys, indexes, the foreign key), in schema raw.
    await client.query('CREATE SCHEMA raw');
    const columns: Record<string, string[]> = {};
    for (const t of Object.values(TABLES)) {
      await client.query(`CREATE TABLE raw.${t} (LIKE public.${t} INCLUDING ALL)`);
      await client.query(`ALTER TABLE raw.${t} ADD FOREIGN KEY (terminal_id) REFERENCES public.terminals(id)`);
      const { rows } = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [t]);
      // hub_seq and received_at are the tables' defaults, as in the hub's own INSERT.
      columns[t] = rows.map((r: { column_name: string }) => r.column_name).filter((c: string) => c !== 'hub_seq' && c !== 'received_at');
    }
    // Each batch's rows as the hub stored them (as text: the client sends parameters as text), read before the clock.
    log(`raw: reading back the ${records.n.toLocaleString()} rows the hub stored…`);
    // A record sent again in a later batch (a newer version: the hub updates it) is inserted once, where it first came.
    const batches: { table: string; text: string; params: unknown[] }[][][] = [];
    let resent = 0;
    for (const d of days) {
      const per: { table: string; text: string; params: unknown[] }[][] = [];
      const placed = new Set<string>();
      for (const keys of d.keys) {
        const byTable = new Map<string, string[]>();
        for (const k of keys) {
          if (placed.has(k.uid)) {
            resent++;
            continue;
          }
          placed.add(k.uid);
          byTable.set(TABLES[k.kind], [...(byTable.get(TABLES[k.kind]) ?? []), k.uid]);
        }
        const statements = [];
        for (const [t, uids] of byTable) {
          const cols = columns[t];
          const { rows } = await client.query({
            text: `SELECT ${cols.map((c) => `${c}::text`).join(', ')} FROM public.${t} WHERE terminal_id = $1 AND uid = ANY($2::text[])`,
            values: [d.till.id, uids], rowMode: 'array',
          });
          const params: unknown[] = [];
          const tuples = rows.map((r: unknown[]) => `(${r.map((v) => `$${params.push(v)}`).join(', ')})`);
          statements.push({ table: t, text: `INSERT INTO raw.${t} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, params });
        }
        per.push(statements);
      }
      batches.push(per);
    }
    log('raw: inserting…');
    const clients = await Promise.all(Array.from({ length: concurrency }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }));
    const free = [...clients];
    const t1 = performance.now();
    await inPool(batches, concurrency, async (per) => {
      const c = free.pop()!;
      try {
        for (const statements of per) {
          await c.query('BEGIN');
          for (const s of statements) await c.query(s.text, s.params);
          await c.query('COMMIT');
        }
      } finally {
        free.push(c);
      }
    });
    const rawS = (performance.now() - t1) / 1000;
    await Promise.all(clients.map((c) => c.end()));
    const { rows: [rawHeld] } = await client.query('SELECT count(*)::int AS n FROM raw.sales');
    if (rawHeld.n !== held.n) throw new Error(`raw.sales holds ${rawHeld.n} rows, not ${held.n}`);
    return { requests, mb: bytes / 1024 / 1024, records: records.n, resent, ingestS, rawS, push: summarize(pushMs) };
  } finally {
    await client.end();
  }
}

/** Part 2: the terminals sell 1 sale/s each in a few processes; the hub's database polled for each sale. */
async function lag(databaseUrl: string, tills: Till[], processes: number, seconds: number, children: ChildProcess[]) {
  const groups: string[][] = Array.from({ length: processes }, () => []);
  tills.forEach((t, i) => groups[i % processes].push(t.dir));
  const committed = new Map<string, number>();
  const pushed = new Map<string, number>();
  const problems: string[] = [];
  let loopDelayP99Ms = 0;
  let ready = 0;
  let pushes = 0;
  let failures = 0;
  log(`lag: ${tills.length} terminals in ${processes} processes, a sale a second each for ${seconds} s…`);
  const done = groups.map((dirs) => new Promise<void>((resolve, reject) => {
    // IZISALES_BENCH_TILLS_PROFILE=DIR: each terminals' process writes a CPU profile there (node --cpu-prof).
    const prof = process.env.IZISALES_BENCH_TILLS_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.IZISALES_BENCH_TILLS_PROFILE)}`] : [];
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.resolve('test/bench/hub-tills.ts'), JSON.stringify({ dirs, seconds, everyMs: 1000 })], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let buf = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = JSON.parse(line) as {
          uid?: string; issuedAt?: number; pushedAt?: number; error?: string; ready?: boolean; done?: boolean; pushes?: number; failures?: number; loopDelayP99Ms?: number;
        };
        if (m.uid && m.pushedAt !== undefined) pushed.set(m.uid, m.pushedAt);
        else if (m.uid) committed.set(m.uid, m.issuedAt!);
        else if (m.error) problems.push(m.error);
        else if (m.ready && ++ready === processes) {
          // All terminals open and their history pushed: they start together, a second from now.
          const startAt = Date.now() + 1000;
          for (const c of children) c.stdin!.end(`${startAt}\n`);
        }
        else if (m.done) {
          pushes += m.pushes!;
          failures += m.failures!;
          loopDelayP99Ms = Math.max(loopDelayP99Ms, m.loopDelayP99Ms!);
        }
      }
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a terminals' process exited with ${code}:\n${err.slice(-2000)}`))));
  }));

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const seen = new Map<string, number>();
  const ids = tills.map((t) => t.id);
  let stop = false;
  let polls = 0;
  // Rows are numbered (hub_seq) before they commit, so a late commit may carry a lower number than one already
  // seen: each poll looks back a margin of numbers (more than the pushes in flight can hold) and keeps what it has
  // seen.
  const { rows: [top] } = await client.query('SELECT coalesce(max(hub_seq), 0)::bigint AS s FROM sales');
  let last = Number(top.s);
  const poller = (async () => {
    while (!stop) {
      const at = Date.now();
      const { rows } = await client.query('SELECT uid, hub_seq::bigint AS s FROM sales WHERE terminal_id = ANY($1::uuid[]) AND hub_seq > $2', [ids, last - 5_000]);
      polls++;
      for (const r of rows as { uid: string; s: string }[]) {
        if (!seen.has(r.uid)) seen.set(r.uid, at);
        last = Math.max(last, Number(r.s));
      }
      await sleep(POLL_MS - (Date.now() - at));
    }
  })();
  try {
    await Promise.all(done);
    // Every sale must arrive; give the last ones a moment.
    const end = Date.now() + 30_000;
    while ([...committed.keys()].some((u) => !seen.has(u)) && Date.now() < end) await sleep(100);
  } finally {
    stop = true;
    await poller;
    await client.end();
  }
  if (ready !== processes) throw new Error('a terminals\' process did not start');
  const missing = [...committed.keys()].filter((u) => !seen.has(u)).length;
  if (missing > 0) throw new Error(`${missing} of ${committed.size} sales never reached the hub; problems: ${problems.slice(0, 3).join(' | ')}`);
  const lags = [...committed].map(([u, t]) => seen.get(u)! - t);
  // The till's share: from the sale to the push that took it up being answered (the after-sale timer included).
  const atTill = [...committed].filter(([u]) => pushed.has(u)).map(([u, t]) => pushed.get(u)! - t);
  // The first few different failures, to say why pushes failed.
  const distinct = [...new Set(problems.map((p) => p.slice(0, 160)))].slice(0, 3);
  return { lags: summarize(lags), max: Math.max(...lags), atTill: summarize(atTill), loopDelayP99Ms, sales: committed.size, pushes, failures, polls, problems: distinct };
}

/**
 * Part 3: the checkout transaction (the checkout bench's: pos/checkout.ts, a 5-line boleta paid cash) every 50 ms,
 * first on its own, then while pushOutbox drains a backlog of `backlogRows` outbox rows to the hub in this process.
 * `wait` is from when the sale was due to its commit: what the cashier waits when the loop is busy pushing.
 */
async function checkoutWhileDraining(dir: string, hubUrl: string, backlogRows: number, sales: number) {
  const app = createApp({ dataDir: dir });
  try {
    app.db.prepare('UPDATE hub_link SET url = ? WHERE id = 1').run(hubUrl);
    const { terminalId, cashier, products } = cashierOf(app);
    const backlog = app.db.prepare('SELECT count(*) AS n FROM outbox');
    const rows = () => (backlog.get() as { n: number }).n;
    // More of the day, up to the backlog asked for (seeding: not timed, no fsync).
    app.db.raw.pragma('synchronous = OFF');
    for (let i = 0; rows() < backlogRows; i++) app.sell(cashier, terminalId, screenInput(i, products));
    app.db.raw.pragma('synchronous = FULL');
    const outboxRows = rows();

    let k = 0;
    const sell = () => checkout({ db: app.db, now: new Date(), terminalId, user: cashier }, {
      documentType: '03',
      lines: [0, 1, 2, 3, 4].map((j) => ({ productId: products[(k + j) % products.length], quantity: '1' })),
      payments: [{ method: 'cash', amount: '500.00' }],
    });
    const cashier20 = async (until: () => boolean, min: number) => {
      const tx: number[] = [];
      const wait: number[] = [];
      const start = performance.now();
      for (let i = 0; i < min || !until(); i++) {
        const due = start + i * CASHIER_EVERY_MS;
        await sleep(due - performance.now());
        const t = performance.now();
        sell();
        k++;
        const end = performance.now();
        tx.push(end - t);
        wait.push(end - Math.max(due, start));
      }
      return { tx, wait };
    };
    // As in a till's process (worker, serve): the runner's WAL checkpointer runs beside the loop, so no sale's commit
    // does SQLite's automatic checkpoint (jobs/start.ts, db/checkpointer.ts).
    const checkpointer = startCheckpointer(app.db);
    for (let i = 0; i < 50; i++, k++) sell(); // warm-up
    const idle = await cashier20(() => true, sales);

    let drained = false;
    let batches = 0;
    const t0 = performance.now();
    const drain = (async () => {
      // As the runner runs hub.push: one run after another while rows are left.
      for (;;) {
        const r = await pushOutbox({ db: app.db, secrets: app.secrets, now: () => new Date() });
        batches += r.batches;
        if (!r.more) break;
      }
      drained = true;
    })();
    const busy = await cashier20(() => drained, Math.min(sales, 20));
    await drain;
    await checkpointer?.stop();
    const drainS = (performance.now() - t0) / 1000;
    return { outboxRows, batches, drainS, idle: { tx: summarize(idle.tx), wait: summarize(idle.wait) }, busy: { tx: summarize(busy.tx), wait: summarize(busy.wait) } };
  } finally {
    await app.close();
  }
}

/**
 * --hub-cpu N: the hub's processes and PostgreSQL's (new backends fork from the postmaster and stay in its group) kept
 * on CPU N by a cpuset cgroup (v1, /sys/fs/cgroup/cpuset), the till left free on every core: the nearest this one
 * 2-core machine gets to a hub on a machine of its own. Returns the group's directory (removed at the end).
 */
function confineHub(cpu: string, pids: number[]): string {
  const root = '/sys/fs/cgroup/cpuset';
  if (!/^\d+$/.test(cpu) || Number(cpu) >= os.cpus().length) throw new Error(`--hub-cpu debe ser un número de CPU de 0 a ${os.cpus().length - 1}`);
  if (!fs.existsSync(path.join(root, 'cgroup.procs'))) throw new Error('--hub-cpu necesita el cpuset de cgroup v1 en /sys/fs/cgroup/cpuset');
  const dir = path.join(root, `izisales-bench-hub-${process.pid}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'cpuset.cpus'), cpu);
  fs.writeFileSync(path.join(dir, 'cpuset.mems'), fs.readFileSync(path.join(root, 'cpuset.mems'), 'utf8').trim());
  for (const pid of pids) fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  log(`the hub and PostgreSQL kept on CPU ${cpu} (cpuset ${dir})`);
  return dir;
}

export async function benchHub({ json }: { json: boolean }): Promise<void> {
  const quick = process.argv.includes('--quick') || process.env.IZISALES_BENCH_QUICK === '1';
  const size: Sizes = { ...(quick ? SIZES.quick : SIZES.full) };
  for (const [flag, key] of [['--terminals', 'terminals'], ['--sales', 'sales'], ['--backlog', 'backlogRows']] as const) {
    const v = argValue(flag);
    if (v === undefined) continue;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${flag} debe ser un entero ≥ 1`);
    size[key] = Number(v);
  }
  const PARTS = ['ingest', 'lag', 'checkout'] as const;
  const only = argValue('--only')?.split(',');
  const bad = only?.find((p) => !(PARTS as readonly string[]).includes(p));
  if (bad !== undefined) throw new Error(`--only: parte desconocida "${bad}" (use ${PARTS.join(', ')}, separadas por comas)`);
  const runs = (part: (typeof PARTS)[number]) => !only || only.includes(part);
  const tmp = tempDir('izisales-bench-hub-');
  let cluster: TestCluster | undefined;
  let hub: Running | undefined;
  let admin: OpenHubDb | undefined;
  let hubCpuset: string | undefined;
  const children: ChildProcess[] = [];
  // However the run ends (an error, Ctrl-C), nothing is left running: the hub, the terminals' processes, the cluster.
  const cleanUp = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (hub && hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
    try {
      cluster?.stop();
    } catch {
      // already stopped
    }
    releaseHub();
  };
  const releaseHub = () => {
    if (!hubCpuset) return;
    try {
      // What is still exiting goes back to the root set first: a set that holds a process cannot be removed.
      for (const pid of fs.readFileSync(path.join(hubCpuset, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        fs.writeFileSync(path.join(path.dirname(hubCpuset), 'cgroup.procs'), pid);
      }
      fs.rmdirSync(hubCpuset);
      hubCpuset = undefined;
    } catch {
      // gone meanwhile
    }
  };
  process.once('exit', cleanUp);
  process.once('SIGINT', cleanUp);
  process.once('SIGTERM', cleanUp);
  try {
    log('a throwaway PostgreSQL cluster and `izisales hub` on it…');
    cluster = await startCluster();
    const databaseUrl = await cluster.createDatabase('hub');
    const hubData = path.join(tmp.dir, 'hub');
    const port = await freePort();
    // IZISALES_BENCH_HUB_PROFILE=DIR: the hub process writes a CPU profile there when it stops (node --cpu-prof).
    const profile = process.env.IZISALES_BENCH_HUB_PROFILE;
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [];
    hub = await startIzisales(['hub', '--port', String(port), '--database-url', databaseUrl, '--data', hubData], /hub listening on http/, { timeoutMs: 120_000, nodeArgs });
    // --hub-nice N: the hub's process and PostgreSQL's (they stand in for the head office's server, on its own
    // machine in a store) at a lower CPU priority than the tills; the figures say so.
    // The hub's process, PostgreSQL's postmaster and its backends (new ones fork from it and inherit its priority and
    // policy); only this run's cluster runs.
    const hubProcesses = () => [hub!.child.pid!, ...execFileSync('pgrep', ['-u', 'postgres'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number)];
    const hubNice = argValue('--hub-nice');
    if (hubNice !== undefined) {
      if (!/^\d{1,2}$/.test(hubNice) || Number(hubNice) > 19) throw new Error('--hub-nice debe ser un entero de 0 a 19');
      for (const pid of hubProcesses()) os.setPriority(pid, Number(hubNice));
      log(`the hub and PostgreSQL at nice ${hubNice}`);
    }
    // --hub-idle: the same processes, every thread of them, under SCHED_IDLE (chrt --idle): they run only on CPU time
    // the tills leave, and a till's thread that wakes takes its core back at once — the nearest this one machine gets
    // to a hub on a machine of its own.
    if (process.argv.includes('--hub-idle')) {
      for (const pid of hubProcesses()) execFileSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(pid)]);
      log('the hub and PostgreSQL under SCHED_IDLE');
    }
    const hubCpu = argValue('--hub-cpu');
    if (hubCpu !== undefined) hubCpuset = confineHub(hubCpu, hubProcesses());
    const hubUrl = `http://127.0.0.1:${port}`;
    admin = await openHubDb({ databaseUrl, dataDir: hubData });

    // The store (the demo's RUC), the template terminal and the 50.
    const t0 = performance.now();
    const first = createApp({ dataDir: path.join(tmp.dir, 'template'), seedIfEmpty: true });
    const store = getSetting(first.db, 'store');
    await first.close();
    const storeKey = (await addStore(admin.db, { ruc: store.ruc, establishment: store.establishmentCode, name: 'Bodega Demo' })).key;
    const template = await enrolTill(admin, hubUrl, storeKey, path.join(tmp.dir, 'template'), 'PLANTILLA');
    log(`the template terminal sells ${size.sales} sales with the hub unreachable, then SUNAT (the simulator) accepts them…`);
    await sellTemplateDay(template.dir, size.sales);
    const { batches, outboxRows } = templateBatches(template.dir, template.id);
    const daySales = batches.reduce((a, b) => a + b.sales, 0);
    if (daySales !== size.sales) throw new Error(`the template's outbox holds ${daySales} sales, not ${size.sales}`);
    log(`enrolling ${size.terminals} terminals…`);
    const tills: Till[] = [];
    for (let i = 0; i < size.terminals; i++) {
      tills.push(await enrolTill(admin, hubUrl, storeKey, path.join(tmp.dir, `caja-${i + 1}`), `CAJA-${String(i + 1).padStart(2, '0')}`));
    }
    const days = tills.map((t) => dayOf({ id: template.id, series: template.series, batches }, t));
    const warmUp = dayOf({ id: template.id, series: template.series, batches }, await enrolTill(admin, hubUrl, storeKey, path.join(tmp.dir, 'warm-up'), 'CALENTAMIENTO'));
    const setupS = (performance.now() - t0) / 1000;

    const ing = runs('ingest') ? await ingestVsRaw(databaseUrl, hubUrl, days, size.sales, size.concurrency, warmUp) : null;
    const totalSales = size.terminals * size.sales;
    if (ing) log(`ingest: ${Math.round(totalSales / ing.ingestS)} sales/s, raw ${Math.round(totalSales / ing.rawS)} sales/s, ratio ${round(ing.rawS / ing.ingestS, 2)}`);
    let l: Awaited<ReturnType<typeof lag>> | null = null;
    if (runs('lag')) {
      // Terminals of their own: part 1's sent the template's day under their ids, so the hub has applied more of them
      // than their own outboxes ever numbered, which a real till takes for a restore from an older copy (recover.ts).
      log(`enrolling ${size.terminals} more terminals for the lag…`);
      const sellers: Till[] = [];
      for (let i = 0; i < size.terminals; i++) {
        sellers.push(await enrolTill(admin, hubUrl, storeKey, path.join(tmp.dir, `venta-${i + 1}`), `VENTA-${String(i + 1).padStart(2, '0')}`));
      }
      l = await lag(databaseUrl, sellers, size.lagProcesses, size.lagSeconds, children);
      log(`lag: p50 ${Math.round(l.lags.p50)} ms, p99 ${Math.round(l.lags.p99)} ms (at the till p99 ${Math.round(l.atTill.p99)} ms, loop late p99 ${l.loopDelayP99Ms} ms), ${l.failures} failed pushes`);
    }
    if (runs('checkout')) log(`checkout while the outbox drains: up to ${size.backlogRows.toLocaleString()} outbox rows…`);
    // --hub-elsewhere MS: part 3 drains to a stand-in for a hub on another machine instead (hub-elsewhere.cjs).
    const elsewhere = argValue('--hub-elsewhere');
    let drainUrl = hubUrl;
    if (elsewhere !== undefined && runs('checkout')) {
      if (!/^\d{1,4}$/.test(elsewhere)) throw new Error('--hub-elsewhere debe ser un entero de milisegundos (p. ej. 10)');
      const stand = spawn(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'hub-elsewhere.cjs'), elsewhere], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(stand);
      drainUrl = await new Promise<string>((resolve, reject) => {
        stand.stdout!.on('data', (d: Buffer) => {
          const m = /on (http:\S+)/.exec(d.toString());
          if (m) resolve(m[1]);
        });
        stand.once('exit', (code) => reject(new Error(`hub-elsewhere.cjs salió con ${code}`)));
      });
      log(`part 3 drains to a hub elsewhere (${drainUrl}, answers ${elsewhere} ms after each batch arrives)`);
    }
    const c = runs('checkout') ? await checkoutWhileDraining(template.dir, drainUrl, size.backlogRows, size.cashierSales) : null;

    const ingestPerS = ing ? totalSales / ing.ingestS : 0;
    const rawPerS = ing ? totalSales / ing.rawS : 0;
    const result = {
      quick, hub_nice: Number(argValue('--hub-nice') ?? 0), hub_idle: process.argv.includes('--hub-idle'), hub_cpu: argValue('--hub-cpu') ?? null, hub_elsewhere_ms: argValue('--hub-elsewhere') === undefined ? null : Number(argValue('--hub-elsewhere')), terminals: size.terminals, sales_per_terminal: size.sales, setup_s: round(setupS, 1), template_outbox_rows: outboxRows, concurrency: size.concurrency,
      ...(ing ? {
        pushes: ing.requests, resent_records: ing.resent, push_mb: Math.round(ing.mb), records: ing.records,
        ingest_sales_per_s: Math.round(ingestPerS), ingest_records_per_s: Math.round(ing.records / ing.ingestS), ingest_s: round(ing.ingestS, 1),
        push_p50_ms: round(ing.push.p50, 1), push_p99_ms: round(ing.push.p99, 1),
        raw_rows_per_s: Math.round(rawPerS), raw_records_per_s: Math.round(ing.records / ing.rawS), raw_s: round(ing.rawS, 1),
        ingest_ratio: round(ingestPerS / rawPerS, 2),
      } : { ingest_sales_per_s: null, raw_rows_per_s: null, ingest_ratio: null }),
      ...(l ? {
        lag_p50_ms: Math.round(l.lags.p50), lag_p99_ms: Math.round(l.lags.p99), lag_max_ms: Math.round(l.max), lag_sales: l.sales,
        lag_seconds: size.lagSeconds, lag_processes: size.lagProcesses, lag_pushes: l.pushes, lag_push_failures: l.failures,
        lag_till_p50_ms: Math.round(l.atTill.p50), lag_till_p99_ms: Math.round(l.atTill.p99), lag_loop_delay_p99_ms: l.loopDelayP99Ms,
      } : { lag_p99_ms: null }),
      ...(c ? {
        drain_outbox_rows: c.outboxRows, drain_batches: c.batches, drain_s: round(c.drainS, 1),
        checkout_p50_ms: round(c.busy.tx.p50), checkout_p99_ms: round(c.busy.tx.p99), checkout_sales: c.busy.tx.n,
        checkout_wait_p50_ms: round(c.busy.wait.p50), checkout_wait_p99_ms: round(c.busy.wait.p99),
        checkout_idle_p50_ms: round(c.idle.tx.p50), checkout_idle_p99_ms: round(c.idle.tx.p99), checkout_idle_wait_p99_ms: round(c.idle.wait.p99),
      } : { checkout_p99_ms: null }),
      targets: TARGETS,
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log(`hub on PostgreSQL 15 (throwaway cluster, fsync off) behind \`izisales hub\`; set up in ${result.setup_s} s (not timed)${quick ? '  [--quick: small sizes]' : ''}${only ? `  [--only ${only.join(',')}]` : ''}${argValue('--hub-nice') ? `  [the hub and PostgreSQL at nice ${argValue('--hub-nice')}]` : ''}${process.argv.includes('--hub-idle') ? '  [the hub and PostgreSQL under SCHED_IDLE]' : ''}${argValue('--hub-cpu') ? `  [the hub and PostgreSQL on CPU ${argValue('--hub-cpu')}]` : ''}`);
      if (ing) {
        const r = result as unknown as Record<string, number>;
        console.log(`ingest: ${size.terminals} terminals × ${size.sales} sales (the template's day: ${outboxRows.toLocaleString()} outbox rows → ${batches.length} pushes a terminal), ${ing.requests} pushes, ${r.push_mb} MB, ${ing.records.toLocaleString()} records, ${size.concurrency} terminals at a time:`);
        console.log(`  hub  ${r.ingest_sales_per_s.toLocaleString()} sales/s (${r.ingest_records_per_s.toLocaleString()} records/s) in ${r.ingest_s} s; a push p50 ${r.push_p50_ms} ms  p99 ${r.push_p99_ms} ms`);
        console.log(`  raw  ${r.raw_rows_per_s.toLocaleString()} sales/s (${r.raw_records_per_s.toLocaleString()} rows/s) in ${r.raw_s} s: the same rows, multi-row INSERTs, the same batches and concurrency${ing.resent ? ` (${ing.resent.toLocaleString()} records the hub got twice, a newer version, inserted once)` : ''}`);
        console.log(`  ratio hub/raw ${r.ingest_ratio}  (target >= ${TARGETS.ingest_ratio})`);
      }
      if (l) {
        const r = result as unknown as Record<string, number>;
        console.log(`lag: ${size.terminals} terminals × 1 sale/s for ${size.lagSeconds} s in ${size.lagProcesses} processes, ${l.sales} sales, ${l.pushes} pushes (${l.failures} failed${l.problems.length ? `: ${l.problems.join(' | ')}` : ''}); sale issued → seen on the hub (polled every ${POLL_MS} ms):`);
        console.log(`  p50 ${r.lag_p50_ms} ms  p99 ${r.lag_p99_ms} ms  max ${r.lag_max_ms} ms  (target p99 <= ${TARGETS.lag_p99_ms} ms)`);
        console.log(`  of it at the till (sale → its push answered): p50 ${r.lag_till_p50_ms} ms  p99 ${r.lag_till_p99_ms} ms; the tills' event loops late by p99 ${r.lag_loop_delay_p99_ms} ms (the worst process)`);
      }
      if (c) {
        const r = result as unknown as Record<string, number>;
        console.log(`checkout while ${c.outboxRows.toLocaleString()} outbox rows drain${argValue('--hub-elsewhere') === undefined ? '' : ` to a hub elsewhere (answers after ${argValue('--hub-elsewhere')} ms)`} (${c.batches} batches in ${r.drain_s} s), a sale every ${CASHIER_EVERY_MS} ms, ${c.busy.tx.n} sales:`);
        console.log(`  transaction p50 ${r.checkout_p50_ms} ms  p99 ${r.checkout_p99_ms} ms  (target p99 <= ${TARGETS.checkout_p99_ms} ms); without the drain p50 ${r.checkout_idle_p50_ms} ms  p99 ${r.checkout_idle_p99_ms} ms`);
        console.log(`  due → committed (the loop busy pushing) p50 ${r.checkout_wait_p50_ms} ms  p99 ${r.checkout_wait_p99_ms} ms; without the drain p99 ${r.checkout_idle_wait_p99_ms} ms`);
      }
    }
  } finally {
    process.off('exit', cleanUp);
    process.off('SIGINT', cleanUp);
    process.off('SIGTERM', cleanUp);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await admin?.close();
    await hub?.stop();
    cluster?.stop();
    releaseHub();
    tmp.remove();
  }
}
