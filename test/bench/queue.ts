// Durable queue throughput: no-op jobs through the runner (claim UPDATE…RETURNING + job_runs + completion, each a
// synchronous=FULL commit) against a raw better-sqlite3 claim+complete loop doing the same writes one job at a time.
// Then the backlog drain: N signed documents pending after an outage, sent to the SUNAT simulator (50 ms latency,
// send concurrency 4) while sales keep being rung up at ~20/s in the same process; drain time against the ideal
// (N × latency ÷ concurrency), checkout p99 during the drain, and where the time went.
// `npm run bench -- queue [--json] [--count N] [--sim-in-process]` (or `npx tsx test/bench/queue.ts …`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createApp } from '../../src-main/app';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { databaseFile } from '../../src-main/paths';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { App } from '../../src-main/app';
import { currentSession, openSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';
import { createSunatClient, endpointsFor, BETA_CREDENTIALS, type SunatClient } from '../../src-main/sunat/client';
import { round, summarize } from './stats';

const JOBS = 3000;

function fill(db: Database.Database, kind: string, n: number): void {
  const now = new Date().toISOString();
  const ins = db.prepare(`INSERT INTO jobs (kind, payload, run_at, created_at, updated_at) VALUES (?, '{}', ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) ins.run(kind, now, now, now);
  })();
}

async function runnerJobsPerSecond(dir: string, concurrency: number): Promise<number> {
  const app = createApp({ dataDir: dir });
  fill(app.db.raw, 'bench.noop', JOBS);
  const runner = createRunner({
    app, monitor: new NetworkMonitor({ probe: async () => false, onChange: () => {} }),
    handlers: { 'bench.noop': { concurrency, run: async () => ({ type: 'succeeded' }) } },
    options: { pollMs: 250, heartbeatMs: 0, lock: false },
  });
  const t0 = performance.now();
  runner.start();
  await runner.idle(120_000);
  const ms = performance.now() - t0;
  await runner.stop();
  const done = (app.db.raw.prepare(`SELECT count(*) n FROM jobs WHERE state = 'succeeded'`).get() as { n: number }).n;
  await app.close();
  if (done !== JOBS) throw new Error(`runner finished ${done} of ${JOBS}`);
  return (JOBS / ms) * 1000;
}

/**
 * The raw limit: hand-written better-sqlite3, same schema, pragmas and claim query (so the same jobs_claim index).
 * `fused: false` is the definition, claim and complete as two durable commits per job; `fused: true` also
 * groups "complete this job, claim the next" into one commit, as the runner does — printed so the comparison is fair.
 */
function rawJobsPerSecond(dir: string, fused: boolean): number {
  createApp({ dataDir: dir }).db.close();
  const db = new Database(databaseFile(dir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  fill(db, 'raw.noop', JOBS);
  const claim = db.prepare(
    `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ?
     WHERE id = (SELECT id FROM jobs WHERE kind = 'raw.noop' AND state IN ('queued', 'retrying', 'waiting_network') AND run_at <= ?
                 ORDER BY priority DESC, run_at, id LIMIT 1)
     RETURNING id, attempts`,
  );
  const run = db.prepare('INSERT INTO job_runs (job_id, attempt, started_at) VALUES (?, ?, ?)');
  const done = db.prepare(`UPDATE jobs SET state = 'succeeded', finished_at = ?, updated_at = ? WHERE id = ?`);
  const finish = db.prepare(`UPDATE job_runs SET finished_at = ?, outcome = 'succeeded' WHERE id = ?`);
  const claimOne = (now: string) => {
    const j = claim.get(now, now, now) as { id: number; attempts: number } | undefined;
    return j ? { ...j, runId: Number(run.run(j.id, j.attempts, now).lastInsertRowid) } : undefined;
  };
  const t0 = performance.now();
  let got = db.transaction(() => claimOne(new Date().toISOString())).immediate();
  while (got) {
    const now = new Date().toISOString();
    const current = got;
    const complete = () => {
      done.run(now, now, current.id);
      finish.run(now, current.runId);
    };
    if (fused) {
      got = db.transaction(() => {
        complete();
        return claimOne(now);
      }).immediate();
    } else {
      db.transaction(complete).immediate();
      got = db.transaction(() => claimOne(new Date().toISOString())).immediate();
    }
  }
  const ms = performance.now() - t0;
  db.close();
  return (JOBS / ms) * 1000;
}

// ---- Backlog drain ----

const CACHE = path.resolve('node_modules/.cache/izisales-bench');
const LATENCY_MS = 50;
const CONCURRENCY = 4;
const SALES_PER_S = 20;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

export interface DrainResult {
  backlog: number; salesDuringDrain: number; salesPerS: number; sent: number; simulator: 'child process' | 'in process';
  latencyMs: number; concurrency: number; drainS: number; idealS: number; drainRatio: number; sendsPerS: number;
  checkoutDuring: ReturnType<typeof summarize>; checkoutIdle: ReturnType<typeof summarize>; loopDelayP99Ms: number;
  /** From the start of the sale to its signed XML stored (the ticket's hash and QR ready). */
  signedDuring: ReturnType<typeof summarize>; signedIdle: ReturnType<typeof summarize>; signingThread: boolean;
  appLoopUtilization: number; appCpuShare: number; simulatorRequests: number;
  perDoc: { simulatorMs: number; sendMs: number; appCpuMs: number; simulatorCpuMs: number | null };
  bottleneck: string;
}

function sellOne(app: App, i: number, products: number[]) {
  const factura = i % 10 === 0;
  const terminalId = getSetting(app.db, 'terminalId');
  const user = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  return app.sell(user, terminalId, {
    documentType: factura ? '01' : '03',
    customer: factura ? { docType: '6', docNumber: '20123456786', name: 'CLIENTE DE PRUEBA S.A.C.' } : null,
    lines: [{ productId: products[i % products.length], quantity: '1' }, { productId: products[(i + 7) % products.length], quantity: '2' }],
    payments: [{ method: 'cash', amount: '500.00' }],
  });
}

function productIds(app: App): number[] {
  return (app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
}

/** N sales rung up and signed while "offline" (no runner): built once per N and cached, since signing costs ~25 ms each. */
function prepareBacklog(count: number): string {
  const dir = path.join(CACHE, `drain-${count}`);
  if (fs.existsSync(path.join(dir, 'ready'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  log(`preparing ${count} signed pending documents (once, cached in ${dir})…`);
  const app = createApp({ dataDir: dir, seedIfEmpty: true });
  const terminalId = getSetting(app.db, 'terminalId');
  const user = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  openSession(app.db, new Date(), terminalId, user.id, '100.00');
  const products = productIds(app);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    sellOne(app, i, products);
    if ((i + 1) % 1000 === 0) log(`  ${i + 1}/${count} (${round((performance.now() - t0) / 1000, 0)} s)`);
  }
  const unsigned = (app.db.raw.prepare(`SELECT count(*) n FROM documents WHERE xml IS NULL`).get() as { n: number }).n;
  if (unsigned > 0) throw new Error(`${unsigned} documents left unsigned`);
  void app.close();
  fs.writeFileSync(path.join(dir, 'ready'), '');
  return dir;
}

interface SimHandle {
  url: string;
  stats(): Promise<{ requests: number; processingMs: number }>;
  cpuMs(): number | null;
  close(): Promise<void>;
}

/** Like SUNAT, the simulator runs outside the POS process by default; `--sim-in-process` shares its event loop. */
async function startSim(inProcess: boolean): Promise<SimHandle> {
  if (inProcess) {
    const { startSimulator } = await import('../../src-main/sunat/simulator');
    const sim = await startSimulator({ port: 0 });
    await sim.setFaults({ latencyMs: LATENCY_MS });
    return { url: sim.url, stats: async () => sim.stats(), cpuMs: () => null, close: () => sim.close() };
  }
  const child: ChildProcess = spawn(process.execPath, [path.resolve('bin/izisales.mjs'), 'sunat-sim', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator printed no URL:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}):\n${out}`)));
  });
  await fetch(`${url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: LATENCY_MS }) });
  const USER_HZ = 100; // clock ticks per second in /proc/<pid>/stat on Linux
  return {
    url,
    stats: async () => (await (await fetch(`${url}/__sim/stats`)).json()) as { requests: number; processingMs: number },
    cpuMs: () => {
      try {
        const f = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return ((Number(f[11]) + Number(f[12])) / USER_HZ) * 1000; // utime + stime
      } catch {
        return null;
      }
    },
    async close() {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function drainBench(opts: { count: number; simInProcess: boolean }): Promise<DrainResult> {
  const cached = prepareBacklog(opts.count);
  const work = path.join(CACHE, `drain-${opts.count}-run`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(cached, work, { recursive: true });
  const app = createApp({ dataDir: work });
  // As the services run the product: sales are signed on the signing thread (inline if it cannot start).
  const signingThread = app.signer.startWorker();
  const sim = await startSim(opts.simInProcess);
  const terminalId = getSetting(app.db, 'terminalId');
  const cashier = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  if (!currentSession(app.db, terminalId)) openSession(app.db, new Date(), terminalId, cashier.id, '100.00');
  const products = productIds(app);
  const pendingSql = app.db.raw.prepare(`SELECT count(*) n FROM documents WHERE status = 'pending' AND id <= ?`);
  const backlogMax = (app.db.raw.prepare('SELECT max(id) m FROM documents').get() as { m: number }).m;
  const backlogLeft = () => (pendingSql.get(backlogMax) as { n: number }).n;
  const backlog = backlogLeft();

  // One client for all sends, timed: what sendBill costs as the runner sees it.
  const ruc = getSetting(app.db, 'store').ruc;
  const client = createSunatClient({ endpoints: endpointsFor('custom', sim.url), ruc, ...BETA_CREDENTIALS });
  let sendMsTotal = 0;
  let sends = 0;
  const timed: SunatClient = {
    ...client,
    async sendBill(name, zip) {
      const t = performance.now();
      try {
        return await client.sendBill(name, zip);
      } finally {
        sendMsTotal += performance.now() - t;
        sends++;
      }
    },
  };
  const runner = createRunner({
    app, sunat: { client: () => timed },
    monitor: new NetworkMonitor({ probe: async () => true, onChange: () => {} }),
    options: { sendConcurrency: CONCURRENCY, pollMs: 250, heartbeatMs: 0, lock: false },
  });

  const during: number[] = [];
  const signedDuring: number[] = [];
  let salesDuring = 0;
  let i = 0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const before = await sim.stats();
  const simCpu0 = sim.cpuMs();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  loop.enable();
  const t0 = performance.now();
  runner.start();
  // Sales at a steady 20/s: each is due at t0 + k·50 ms (a late timer catches up), so a busy loop cannot lower the load.
  let sellerTimer: NodeJS.Timeout | null = null;
  let selling = true;
  const sellDue = () => {
    while (selling && performance.now() >= t0 + salesDuring * (1000 / SALES_PER_S)) {
      const s = performance.now();
      const sale = sellOne(app, i++, products);
      during.push(performance.now() - s);
      void app.signer.whenSigned(sale.documentId).then(() => signedDuring.push(performance.now() - s));
      salesDuring++;
      runner.kick();
    }
    if (selling) sellerTimer = setTimeout(sellDue, Math.max(0, t0 + salesDuring * (1000 / SALES_PER_S) - performance.now()));
  };
  sellDue();
  let lastLog = t0;
  while (backlogLeft() > 0) {
    await new Promise((r) => setTimeout(r, 250));
    if (performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      const done = backlog - backlogLeft();
      const rate = done / ((lastLog - t0) / 1000);
      log(`  drain: ${done}/${backlog} (${round(rate, 1)} docs/s, ~${Math.round((backlog - done) / Math.max(rate, 0.1))} s left)`);
    }
  }
  selling = false;
  const sellingS = (performance.now() - t0) / 1000;
  if (sellerTimer) clearTimeout(sellerTimer);
  await runner.idle(600_000);
  const drainMs = performance.now() - t0;
  loop.disable();
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const simCpu1 = sim.cpuMs();
  const after = await sim.stats();
  await runner.stop();
  client.close();

  const statuses = app.db.raw.prepare(`SELECT status, count(*) n FROM documents GROUP BY status`).all() as { status: string; n: number }[];
  const sent = statuses.filter((s) => s.status !== 'pending').reduce((a, s) => a + s.n, 0);
  const notAccepted = statuses.filter((s) => !['pending', 'accepted', 'observed'].includes(s.status));
  if (notAccepted.length > 0) log(`  warning: documents not accepted: ${JSON.stringify(notAccepted)}`);

  // Idle checkout for comparison: same process, no runner, no simulator traffic.
  const idle: number[] = [];
  const signedIdle: number[] = [];
  for (let k = 0; k < 200; k++) {
    const s = performance.now();
    const sale = sellOne(app, i++, products);
    idle.push(performance.now() - s);
    await app.signer.whenSigned(sale.documentId);
    signedIdle.push(performance.now() - s);
  }
  await sim.close();
  await app.close();
  fs.rmSync(work, { recursive: true, force: true });

  const requests = after.requests - before.requests;
  const simulatorMs = (after.processingMs - before.processingMs) / Math.max(1, requests);
  const idealS = (sent * LATENCY_MS) / CONCURRENCY / 1000;
  const drainS = drainMs / 1000;
  const perDocWallMs = drainMs / sent;
  const simCpuMs = simCpu0 !== null && simCpu1 !== null ? (simCpu1 - simCpu0) / sent : null;
  const appCpuMs = (cpu.user + cpu.system) / 1000 / sent;
  const salesMs = during.reduce((a, b) => a + b, 0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / drainMs;
  // Which side was saturated: the app's event loop (runner + sales, one thread) or the simulator (one thread too).
  const bottleneck =
    elu.utilization >= 0.6
      ? `bottleneck: the app process's event loop, busy ${Math.round(elu.utilization * 100)} % (CPU ${Math.round(cpuShare * 100)} %, the rest waiting on fsync of synchronous=FULL commits) — ${round(salesMs / 1000, 1)} s of ${round(drainS, 1)} s ringing up and signing the ${salesDuring} sales, the runner's sends in the rest; replies wait for the loop, so sendBill takes ${round(sendMsTotal / Math.max(1, sends), 0)} ms instead of ~${LATENCY_MS + Math.round(simulatorMs)} ms`
      : simulatorMs >= perDocWallMs * 0.8
        ? `bottleneck: the simulator's own validation (${round(simulatorMs, 1)} ms CPU per document, single-threaded) ≈ the ${round(perDocWallMs, 1)} ms per document observed`
        : `no CPU bound: ${round(perDocWallMs, 1)} ms per document of wall time vs ${round(LATENCY_MS / CONCURRENCY, 1)} ms ideal`;
  return {
    backlog, salesDuringDrain: salesDuring, salesPerS: round(salesDuring / sellingS, 1), sent, simulator: opts.simInProcess ? 'in process' : 'child process',
    latencyMs: LATENCY_MS, concurrency: CONCURRENCY, drainS: round(drainS, 2), idealS: round(idealS, 2),
    drainRatio: round(drainS / idealS, 2), sendsPerS: round(sent / drainS, 1),
    checkoutDuring: roundAll(summarize(during)), checkoutIdle: roundAll(summarize(idle)),
    signedDuring: roundAll(summarize(signedDuring)), signedIdle: roundAll(summarize(signedIdle)), signingThread,
    loopDelayP99Ms: round(loop.percentile(99) / 1e6, 1), appLoopUtilization: round(elu.utilization, 3), appCpuShare: round(cpuShare, 3),
    simulatorRequests: requests,
    perDoc: { simulatorMs: round(simulatorMs, 2), sendMs: round(sendMsTotal / Math.max(1, sends), 2), appCpuMs: round(appCpuMs, 2), simulatorCpuMs: simCpuMs === null ? null : round(simCpuMs, 2) },
    bottleneck,
  };
}

function roundAll(s: ReturnType<typeof summarize>): ReturnType<typeof summarize> {
  return { p50: round(s.p50, 2), p99: round(s.p99, 2), mean: round(s.mean, 2), n: s.n };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * The same no-op jobs through Celery + Redis (the design this replaces), when Debian's python3-celery, python3-redis
 * and redis-server are installed: `apt-get install python3-celery python3-redis redis-server`. Uses the system Python.
 */
function celeryAnchor(): string | { version: string; concurrency1: number; concurrency4: number } {
  const py = '/usr/bin/python3';
  const probe = spawnSync(py, ['-c', 'import celery, redis; print(celery.__version__)'], { encoding: 'utf8' });
  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0 || redis.status !== 0) return 'skipped: python3-celery, python3-redis or redis-server not installed';
  const run = (concurrency: number): number => {
    const r = spawnSync(py, [path.resolve('test/bench/celery_anchor.py'), String(JOBS), String(concurrency)], { encoding: 'utf8', timeout: 900_000 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`celery anchor failed: ${r.stderr.slice(-2000)}`);
    return (JSON.parse(line) as { jobs_per_s: number }).jobs_per_s;
  };
  return { version: probe.stdout.trim(), concurrency1: run(1), concurrency4: run(4) };
}

export async function benchQueue({ json }: { json: boolean }): Promise<void> {
  const count = Number(argValue('--count') ?? 10_000);
  if (!Number.isInteger(count) || count < 0) throw new Error('--count debe ser un entero ≥ 0');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-bench-queue-'));
  try {
    const raw = rawJobsPerSecond(path.join(base, 'raw'), false);
    const rawFused = rawJobsPerSecond(path.join(base, 'raw-fused'), true);
    const runner1 = await runnerJobsPerSecond(path.join(base, 'runner1'), 1);
    const runner4 = await runnerJobsPerSecond(path.join(base, 'runner4'), 4);
    const drain: DrainResult | null = count > 0 ? await drainBench({ count, simInProcess: process.argv.includes('--sim-in-process') }) : null;
    const result = {
      jobs: JOBS, synchronous: 'FULL',
      rawJobsPerS: round(raw, 0), rawFusedJobsPerS: round(rawFused, 0), runnerJobsPerS: round(runner1, 0), runner4JobsPerS: round(runner4, 0),
      ratio: round(runner1 / raw, 2), ratio4: round(runner4 / raw, 2), ratioFused: round(runner1 / rawFused, 2),
    };
    const celery = celeryAnchor();
    if (json) {
      console.log(JSON.stringify({
        jobs_per_s: result.runnerJobsPerS, raw_jobs_per_s: result.rawJobsPerS, raw_fused_jobs_per_s: result.rawFusedJobsPerS, jobs_per_s_concurrency4: result.runner4JobsPerS,
        ...(typeof celery === 'string' ? {} : { celery_jobs_per_s: celery.concurrency1, celery_jobs_per_s_concurrency4: celery.concurrency4 }),
        drain_ratio: drain?.drainRatio ?? null, checkout_p99_during_drain_ms: drain?.checkoutDuring.p99 ?? null,
        signed_p99_during_drain_ms: drain?.signedDuring.p99 ?? null,
        ...result, drain, celery,
      }));
    } else {
      console.log(`queue: ${JOBS} no-op jobs, synchronous=FULL`);
      console.log(`  raw better-sqlite3 claim+complete loop: ${result.rawJobsPerS} jobs/s (two commits per job, the target's reference)`);
      console.log(`  raw loop, complete+next claim in one commit: ${result.rawFusedJobsPerS} jobs/s (what the runner does; runner ratio to it ${result.ratioFused})`);
      console.log(`  runner, concurrency 1:                  ${result.runnerJobsPerS} jobs/s (ratio ${result.ratio})`);
      console.log(`  runner, concurrency 4:                  ${result.runner4JobsPerS} jobs/s (ratio ${result.ratio4})`);
      if (drain) printDrain(drain);
      console.log(typeof celery === 'string'
        ? `celery anchor: ${celery}`
        : `celery anchor (Celery ${celery.version} + Redis, appendfsync always, acks_late), same ${JOBS} no-op jobs: concurrency 1 ${celery.concurrency1} jobs/s, concurrency 4 ${celery.concurrency4} jobs/s`);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

function printDrain(d: DrainResult): void {
  const ms = (x: number) => `${round(x, 1)} ms`;
  console.log(`backlog drain: ${d.backlog} signed documents + ${d.salesDuringDrain} sold during it (${d.salesPerS}/s achieved, ${SALES_PER_S}/s asked), simulator ${d.simulator} (latency ${d.latencyMs} ms), send concurrency ${d.concurrency}`);
  console.log(`  drained ${d.sent} in ${round(d.drainS, 1)} s = ${round(d.sendsPerS, 1)} docs/s; ideal ${round(d.idealS, 1)} s → ratio ${d.drainRatio} (1.0 = only the latency)`);
  const how = d.signingThread ? 'the sale committed; signing follows on the signing thread' : 'checkout + signing inline (no signing thread)';
  console.log(`  checkout (app.sell: ${how}) during the drain: p50 ${ms(d.checkoutDuring.p50)}, p99 ${ms(d.checkoutDuring.p99)} (n=${d.checkoutDuring.n}); idle afterwards: p50 ${ms(d.checkoutIdle.p50)}, p99 ${ms(d.checkoutIdle.p99)}`);
  console.log(`  sale to signed XML stored (ticket hash and QR ready) during the drain: p50 ${ms(d.signedDuring.p50)}, p99 ${ms(d.signedDuring.p99)}; idle: p50 ${ms(d.signedIdle.p50)}, p99 ${ms(d.signedIdle.p99)}`);
  console.log(`  event-loop delay during the drain: p99 ${ms(d.loopDelayP99Ms)} (a cashier's request can wait this long before its checkout starts)`);
  console.log('  where the time goes, per document:');
  console.log(`    simulator processing (server side, CPU): ${ms(d.perDoc.simulatorMs)}`);
  console.log(`    sendBill as the client sees it (latency + simulator + HTTP): ${ms(d.perDoc.sendMs)}`);
  console.log(`    app process CPU, all of it (runner + the sales rung up): ${ms(d.perDoc.appCpuMs)}; event loop busy ${Math.round(d.appLoopUtilization * 100)} %, of which CPU ${Math.round(d.appCpuShare * 100)} % (the rest blocks on synchronous=FULL commits)`);
  console.log(`    simulator process CPU: ${d.perDoc.simulatorCpuMs === null ? 'n/a (in process)' : ms(d.perDoc.simulatorCpuMs)}`);
  console.log(`  ${d.bottleneck}`);
  console.log(`  SUNAT requests ${d.simulatorRequests} for ${d.sent} documents (${d.simulatorRequests === d.sent ? 'none resent' : 'some resent or reconciled'})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await benchQueue({ json: process.argv.includes('--json') });
}
