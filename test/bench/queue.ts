// Durable queue throughput: no-op jobs through the runner (claim UPDATE…RETURNING + job_runs + completion,
// synchronous=FULL) against raw better-sqlite3 loops doing the same writes: the headline ratio is against the loop
// that commits the way the runner does (complete this job and claim the next in one commit); the loop with two
// commits per job is printed for reference. Then the backlog drain, on a store holding 1,000,000 sales (built fresh
// in a temp directory; seeding timed apart): N signed documents pending after an outage, sent to the SUNAT simulator
// (50 ms latency, the runner's send concurrency 4) by the app as `serve` and the shell run it, while a cashier calls
// `sales.checkout` through the Api at ~20/s; drain time against the ideal (N × latency ÷ concurrency), the sale call
// and its checkout during the drain, and where the time went.
// `npm run bench -- queue [--json] [--count N] [--sales N] [--sim-in-process]` (or `npx tsx test/bench/queue.ts …`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { createApp, STATUS_EVERY_MS } from '../../src-main/app';
import { createRunner } from '../../src-main/jobs/start';
import { NetworkMonitor } from '../../src-main/jobs/network';
import { databaseFile } from '../../src-main/paths';
import { currentSession, openSession } from '../../src-main/pos/cash';
import { getSetting } from '../../src-main/db/settings';
import { JOB_SQL } from '../../src-main/jobs/store';
import { argValue, round, summarize } from './stats';
import { seedStore, tempDir } from './store';
import { startSim } from './sim';
import { openTill, screenInput } from './till';

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
 * The raw limit: hand-written better-sqlite3, same schema, pragmas and the runner's own statements (JOB_SQL: the same
 * claim, run row and completion writes), with none of the runner's machinery around them.
 * `fused: false` is the definition, claim and complete as two durable commits per job; `fused: true` also
 * groups "complete this job, claim the next" into one commit, as the runner does — the headline comparison.
 */
function rawJobsPerSecond(dir: string, fused: boolean): number {
  createApp({ dataDir: dir }).db.close();
  const db = new Database(databaseFile(dir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  fill(db, 'raw.noop', JOBS);
  const claim = db.prepare(JOB_SQL.claimOne);
  const run = db.prepare(JOB_SQL.insertRun);
  const done = db.prepare(JOB_SQL.succeeded);
  const finish = db.prepare(JOB_SQL.finishRun);
  const claimOne = (now: string) => {
    const lease = new Date(Date.parse(now) + 60_000).toISOString();
    const j = claim.get(lease, now, 'raw.noop', now) as { id: number } | undefined;
    return j ? { id: j.id, runId: Number(run.run(j.id, j.id, now).lastInsertRowid) } : undefined;
  };
  const complete = (id: number, runId: number, now: string) => {
    done.run('null', now, now, id);
    finish.run(now, 'succeeded', null, runId);
  };
  const t0 = performance.now();
  let got = db.transaction(() => claimOne(new Date().toISOString())).immediate();
  while (got) {
    const now = new Date().toISOString();
    const current = got;
    if (fused) {
      got = db.transaction(() => {
        complete(current.id, current.runId, now);
        return claimOne(now);
      }).immediate();
    } else {
      db.transaction(() => complete(current.id, current.runId, now)).immediate();
      got = db.transaction(() => claimOne(new Date().toISOString())).immediate();
    }
  }
  const ms = performance.now() - t0;
  db.close();
  return (JOBS / ms) * 1000;
}

// ---- Backlog drain ----

const LATENCY_MS = 50;
const CONCURRENCY = 4; // the runner's default send concurrency (jobs/runner.ts)
const SALES_PER_S = 20;
const IDLE_CALLS = 200;
/** A drain that has not finished after this many times the backlog's ideal time is stopped and reported as such. */
const DRAIN_LIMIT = 3;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

export interface DrainResult {
  storeSales: number; seedS: number; backlogS: number;
  backlog: number; salesDuringDrain: number; salesPerS: number; sent: number; simulator: 'child process' | 'in process';
  latencyMs: number; concurrency: number; drainS: number; idealS: number; sendsPerS: number;
  /** False when the backlog was still there after DRAIN_LIMIT × its ideal time: drainRatio is then null. */
  drained: boolean; drainRatio: number | null; drainRatioAtLeast: number; backlogLeft: number;
  /** app.status() for the listeners during the drain: how many, how long each, and their share of the drain. */
  statusDuring: ReturnType<typeof summarize> & { totalS: number };
  /** The checkout transaction inside the call (pos/checkout.ts, its durable commit included). */
  checkoutDuring: ReturnType<typeof summarize>; checkoutIdle: ReturnType<typeof summarize> | null;
  /** app.sell inside the call: the checkout transaction, the signature, the after-sale hooks and the status for listeners. */
  appSellDuring: ReturnType<typeof summarize>; appSellIdle: ReturnType<typeof summarize> | null;
  /** The whole `sales.checkout` call through the Api, answered with the stored hash. */
  saleCallDuring: ReturnType<typeof summarize>; saleCallIdle: ReturnType<typeof summarize> | null;
  loopDelayP99Ms: number; appLoopUtilization: number; appCpuShare: number; simulatorRequests: number;
  perDoc: { simulatorMs: number; simulatorWallMs: number; runMs: number; appCpuMs: number; simulatorCpuMs: number | null };
  bottleneck: string;
}

/** `count` sales rung up and signed while "offline" (no services: signed inline), left pending for the drain. */
export async function prepareBacklog(dir: string, count: number): Promise<number> {
  const t0 = performance.now();
  const app = createApp({ dataDir: dir });
  const terminalId = getSetting(app.db, 'terminalId');
  const user = app.db.first(app.db.q.selectFrom('users').selectAll().where('username', '=', 'cashier'))!;
  if (!currentSession(app.db, terminalId, user.id)) openSession(app.db, new Date(), terminalId, user.id, '100.00');
  const products = (app.db.raw.prepare(`SELECT id FROM products WHERE tax_affectation = '10' AND is_bag = 0 AND active = 1 ORDER BY id LIMIT 40`).all() as { id: number }[]).map((p) => p.id);
  log(`ringing up ${count.toLocaleString()} sales offline (signed, pending)…`);
  for (let i = 0; i < count; i++) {
    app.sell(user, terminalId, screenInput(i, products));
    if ((i + 1) % 2000 === 0) log(`  ${i + 1}/${count} (${round((performance.now() - t0) / 1000, 0)} s)`);
  }
  const unsigned = (app.db.raw.prepare(`SELECT count(*) n FROM documents WHERE status = 'pending' AND xml IS NULL`).get() as { n: number }).n;
  await app.close();
  if (unsigned > 0) throw new Error(`${unsigned} documents left unsigned`);
  return (performance.now() - t0) / 1000;
}

export async function drainBench(opts: { count: number; sales: number; simInProcess: boolean }): Promise<DrainResult> {
  const tmp = tempDir('izisales-bench-drain-');
  try {
    const dir = path.join(tmp.dir, 'store');
    const seedS = await seedStore(dir, opts.sales);
    const backlogS = await prepareBacklog(dir, opts.count);
    return await drain(dir, { ...opts, seedS, backlogS });
  } finally {
    tmp.remove();
  }
}

async function drain(dir: string, opts: { count: number; sales: number; simInProcess: boolean; seedS: number; backlogS: number }): Promise<DrainResult> {
  const sim = await startSim({ inProcess: opts.simInProcess, latencyMs: LATENCY_MS });
  const before = await sim.stats();
  const simCpu0 = sim.cpuMs();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // The drain starts with the app, as when the shell opens after an outage: services, runner.
  const t0 = performance.now();
  const till = await openTill(dir, sim.url);
  const db = till.host.app.db.raw;
  const pendingSql = db.prepare(`SELECT count(*) n FROM documents WHERE status = 'pending' AND id <= ?`);
  const backlogMax = (db.prepare(`SELECT max(id) m FROM documents WHERE status = 'pending'`).get() as { m: number }).m;
  const backlogLeft = () => (pendingSql.get(backlogMax) as { n: number }).n;
  const backlog = opts.count;

  // Sales at a steady 20/s: each is due at start + k·50 ms (a late one goes at once), one cashier, one call at a time.
  const callDuring: number[] = [];
  const sellDuring: number[] = [];
  const txDuring: number[] = [];
  let i = 0;
  let selling = true;
  const sellStart = performance.now();
  const seller = (async () => {
    while (selling) {
      const due = sellStart + callDuring.length * (1000 / SALES_PER_S);
      if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
      if (!selling) break;
      const r = await till.sell(i++);
      callDuring.push(r.callMs);
      sellDuring.push(r.sellMs);
      txDuring.push(r.txMs);
    }
  })();
  let lastLog = t0;
  const limitMs = (DRAIN_LIMIT * backlog * LATENCY_MS) / CONCURRENCY;
  till.takeStatusTimes();
  while (backlogLeft() > 0 && performance.now() - t0 < limitMs) {
    await new Promise((r) => setTimeout(r, 250));
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      const done = backlog - backlogLeft();
      const rate = done / ((lastLog - t0) / 1000);
      log(`  drain: ${done}/${backlog} (${round(rate, 1)} docs/s, ~${Math.round((backlog - done) / Math.max(rate, 0.1))} s left)`);
    }
  }
  const left = backlogLeft();
  const drained = left === 0;
  if (!drained) log(`  drain stopped after ${round((performance.now() - t0) / 1000, 0)} s (${DRAIN_LIMIT}× the backlog's ideal): ${left} of ${backlog} still pending`);
  selling = false;
  await seller;
  const sellingS = (performance.now() - sellStart) / 1000;
  if (drained) await till.host.services.jobs.runner.idle(600_000);
  const drainMs = performance.now() - t0;
  const statusTimes = till.takeStatusTimes();
  loop.disable();
  const elu = performance.eventLoopUtilization(elu0);
  const cpu = process.cpuUsage(cpu0);
  const simCpu1 = sim.cpuMs();
  const after = await sim.stats();

  const firstDoc = backlogMax - backlog + 1;
  const statuses = db.prepare(`SELECT status, count(*) n FROM documents WHERE id >= ? GROUP BY status`).all(firstDoc) as { status: string; n: number }[];
  const sent = statuses.filter((s) => s.status !== 'pending').reduce((a, s) => a + s.n, 0);
  const notAccepted = statuses.filter((s) => !['pending', 'accepted', 'observed'].includes(s.status));
  if (notAccepted.length > 0) log(`  warning: documents not accepted: ${JSON.stringify(notAccepted)}`);
  // What one send costs as the runner sees it: its job run, from the claim to the outcome stored.
  const runMs = (db.prepare(`SELECT avg((julianday(r.finished_at) - julianday(r.started_at)) * 86400000) ms FROM job_runs r JOIN jobs j ON j.id = r.job_id JOIN documents d ON d.file_name = j.idempotency_key WHERE d.id >= ? AND r.finished_at IS NOT NULL`).get(firstDoc) as { ms: number | null }).ms ?? NaN;

  // Idle afterwards, for comparison: the same app, each sale sent before the next (the checkout bench's idle).
  const callIdle: number[] = [];
  const sellIdle: number[] = [];
  const txIdle: number[] = [];
  for (let k = 0; drained && k < IDLE_CALLS; k++) {
    const r = await till.sell(i++);
    callIdle.push(r.callMs);
    sellIdle.push(r.sellMs);
    txIdle.push(r.txMs);
    await till.host.services.jobs.runner.idle(30_000);
  }
  await till.stop();
  await sim.close();

  const requests = after.requests - before.requests;
  const simulatorMs = (after.processingMs - before.processingMs) / Math.max(1, requests);
  const simulatorWallMs = (after.wallMs - before.wallMs) / Math.max(1, requests);
  const idealS = ((backlog + callDuring.length) * LATENCY_MS) / CONCURRENCY / 1000;
  const drainS = drainMs / 1000;
  const perDocWallMs = drainMs / Math.max(1, sent);
  const statusS = statusTimes.reduce((a, b) => a + b, 0) / 1000;
  const simCpuMs = simCpu0 !== null && simCpu1 !== null ? (simCpu1 - simCpu0) / Math.max(1, sent) : null;
  const appCpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, sent);
  const callsMs = callDuring.reduce((a, b) => a + b, 0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / drainMs;
  // Which side was saturated: the app's event loop (runner + sales, one thread) or the simulator (one thread too).
  const bottleneck =
    elu.utilization >= 0.6
      ? `bottleneck: the app process's event loop, busy ${Math.round(elu.utilization * 100)} % (CPU ${Math.round(cpuShare * 100)} % of one core, the rest waiting on fsync of synchronous=FULL commits) — ${round(callsMs / 1000, 1)} s of ${round(drainS, 1)} s in the ${callDuring.length} sale calls, ${round(statusS, 1)} s of it and of the runner's outcomes computing app.status() ${statusTimes.length} times for the status listeners, the runner's sends in the rest; a send's job run takes ${round(runMs, 0)} ms instead of ~${LATENCY_MS + Math.round(simulatorMs)} ms`
      : simulatorMs >= perDocWallMs * 0.8
        ? `bottleneck: the simulator's own validation (${round(simulatorMs, 1)} ms CPU per document, single-threaded) ≈ the ${round(perDocWallMs, 1)} ms per document observed`
        : `no CPU bound: ${round(perDocWallMs, 1)} ms per document of wall time vs ${round(LATENCY_MS / CONCURRENCY, 1)} ms ideal; a send's job run takes ${round(runMs, 0)} ms`;
  return {
    storeSales: opts.sales, seedS: round(opts.seedS, 1), backlogS: round(opts.backlogS, 1),
    backlog, salesDuringDrain: callDuring.length, salesPerS: round(callDuring.length / sellingS, 1), sent, simulator: opts.simInProcess ? 'in process' : 'child process',
    latencyMs: LATENCY_MS, concurrency: CONCURRENCY, drainS: round(drainS, 2), idealS: round(idealS, 2), sendsPerS: round(sent / drainS, 1),
    drained, drainRatio: drained ? round(drainS / idealS, 2) : null, drainRatioAtLeast: round(drainS / idealS, 2), backlogLeft: left,
    statusDuring: { ...roundAll(summarize(statusTimes)), totalS: round(statusS, 1) },
    checkoutDuring: roundAll(summarize(txDuring)), checkoutIdle: drained ? roundAll(summarize(txIdle)) : null,
    appSellDuring: roundAll(summarize(sellDuring)), appSellIdle: drained ? roundAll(summarize(sellIdle)) : null,
    saleCallDuring: roundAll(summarize(callDuring)), saleCallIdle: drained ? roundAll(summarize(callIdle)) : null,
    loopDelayP99Ms: round(loop.percentile(99) / 1e6, 1), appLoopUtilization: round(elu.utilization, 3), appCpuShare: round(cpuShare, 3),
    simulatorRequests: requests,
    perDoc: { simulatorMs: round(simulatorMs, 2), simulatorWallMs: round(simulatorWallMs, 1), runMs: round(runMs, 1), appCpuMs: round(appCpuMs, 2), simulatorCpuMs: simCpuMs === null ? null : round(simCpuMs, 2) },
    bottleneck,
  };
}

function roundAll(s: ReturnType<typeof summarize>): ReturnType<typeof summarize> {
  return { p50: round(s.p50, 2), p99: round(s.p99, 2), mean: round(s.mean, 2), n: s.n };
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

const ROUNDS = 9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const TARGETS = { ratio: 0.8, drain_ratio: 1.2, checkout_p99_during_drain_ms: 6, sale_call_p99_during_drain_ms: 12 };

export async function benchQueue({ json }: { json: boolean }): Promise<void> {
  const count = Number(argValue('--count') ?? 10_000);
  const sales = Number(argValue('--sales') ?? 1_000_000);
  if (!Number.isInteger(count) || count < 0) throw new Error('--count debe ser un entero ≥ 0');
  if (!Number.isInteger(sales) || sales < 0) throw new Error('--sales debe ser un entero ≥ 0');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'izisales-bench-queue-'));
  try {
    const raw = rawJobsPerSecond(path.join(base, 'raw'), false);
    // The headline pair alternates, so the disk's good and bad moments (other work on the machine) fall on both.
    const fusedRounds: number[] = [];
    const runnerRounds: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      fusedRounds.push(rawJobsPerSecond(path.join(base, `raw-fused-${k}`), true));
      runnerRounds.push(await runnerJobsPerSecond(path.join(base, `runner1-${k}`), 1));
    }
    const rawFused = median(fusedRounds);
    const runner1 = median(runnerRounds);
    const runner4 = await runnerJobsPerSecond(path.join(base, 'runner4'), 4);
    const drain: DrainResult | null = count > 0 ? await drainBench({ count, sales, simInProcess: process.argv.includes('--sim-in-process') }) : null;
    const celery = celeryAnchor();
    const result = {
      jobs: JOBS, synchronous: 'FULL',
      jobs_per_s: round(runner1, 0), fused_raw_jobs_per_s: round(rawFused, 0), ratio: round(runner1 / rawFused, 2),
      rounds: { jobs_per_s: runnerRounds.map((x) => round(x, 0)), fused_raw_jobs_per_s: fusedRounds.map((x) => round(x, 0)) },
      jobs_per_s_concurrency4: round(runner4, 0), ratio_concurrency4: round(runner4 / rawFused, 2),
      two_commit_raw_jobs_per_s: round(raw, 0), two_commit_ratio: round(runner1 / raw, 2),
      ...(typeof celery === 'string' ? {} : { celery_jobs_per_s: celery.concurrency1, celery_jobs_per_s_concurrency4: celery.concurrency4 }),
      drain_ratio: drain?.drainRatio ?? null, drained: drain?.drained ?? null, drain_ratio_at_least: drain?.drainRatioAtLeast ?? null, checkout_p99_during_drain_ms: drain?.checkoutDuring.p99 ?? null,
      app_sell_p99_during_drain_ms: drain?.appSellDuring.p99 ?? null,
      sale_call_p50_during_drain_ms: drain?.saleCallDuring.p50 ?? null, sale_call_p99_during_drain_ms: drain?.saleCallDuring.p99 ?? null,
      targets: TARGETS,
      drain, celery,
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log(`queue: ${JOBS} no-op jobs, synchronous=FULL`);
      console.log(`  runner, concurrency 1:                        ${result.jobs_per_s} jobs/s (median of ${ROUNDS} rounds: ${result.rounds.jobs_per_s.join(', ')})`);
      console.log(`  raw loop, complete + next claim in one commit: ${result.fused_raw_jobs_per_s} jobs/s (commits as the runner does; rounds alternated with the runner's: ${result.rounds.fused_raw_jobs_per_s.join(', ')})`);
      console.log(`  ratio runner / raw: ${result.ratio} (target ≥ ${TARGETS.ratio})`);
      console.log(`  runner, concurrency 4:                        ${result.jobs_per_s_concurrency4} jobs/s (up to 4 outcomes per commit; ratio to the raw loop ${result.ratio_concurrency4})`);
      console.log(`  raw loop, claim and complete as two commits:  ${result.two_commit_raw_jobs_per_s} jobs/s (for reference; runner ratio to it ${result.two_commit_ratio})`);
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
  console.log(`backlog drain, store of ${d.storeSales.toLocaleString()} sales (seeded in ${d.seedS} s, backlog rung up and signed offline in ${d.backlogS} s; neither timed below):`);
  console.log(`  ${d.backlog} signed documents + ${d.salesDuringDrain} sold during it (${d.salesPerS}/s achieved, ${SALES_PER_S}/s asked), simulator ${d.simulator} (latency ${d.latencyMs} ms), send concurrency ${d.concurrency}`);
  if (d.drained) console.log(`  drained ${d.sent} in ${round(d.drainS, 1)} s = ${round(d.sendsPerS, 1)} docs/s; ideal ${round(d.idealS, 1)} s → drain_ratio ${d.drainRatio} (target ≤ ${TARGETS.drain_ratio}; 1.0 = only the latency)`);
  else console.log(`  NOT drained: stopped after ${round(d.drainS, 1)} s (${DRAIN_LIMIT}× the backlog's ideal) with ${d.backlogLeft} of ${d.backlog} still pending; ${d.sent} sent = ${round(d.sendsPerS, 1)} docs/s; drain_ratio > ${d.drainRatioAtLeast} (target ≤ ${TARGETS.drain_ratio})`);
  const idle = (s: ReturnType<typeof summarize> | null) => (s ? `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}` : 'not measured (the backlog was still there)');
  console.log(`  sales.checkout through the Api during the drain: p50 ${ms(d.saleCallDuring.p50)}, p99 ${ms(d.saleCallDuring.p99)} (target ≤ ${TARGETS.sale_call_p99_during_drain_ms} ms, n=${d.saleCallDuring.n}); idle afterwards: ${idle(d.saleCallIdle)}`);
  console.log(`  its checkout transaction (pos/checkout.ts, durable commit) during the drain: p50 ${ms(d.checkoutDuring.p50)}, p99 ${ms(d.checkoutDuring.p99)} (target ≤ ${TARGETS.checkout_p99_during_drain_ms} ms); idle: ${idle(d.checkoutIdle)}`);
  console.log(`  app.sell (that transaction, the signature, the after-sale hooks) during the drain: p50 ${ms(d.appSellDuring.p50)}, p99 ${ms(d.appSellDuring.p99)}; idle: ${idle(d.appSellIdle)}`);
  console.log(`  app.status() for the status listeners (folded to at most one per ${STATUS_EVERY_MS} ms): ${d.statusDuring.n} times, p50 ${ms(d.statusDuring.p50)}, p99 ${ms(d.statusDuring.p99)}, ${d.statusDuring.totalS} s in all`);
  console.log(`  event-loop delay during the drain: p99 ${ms(d.loopDelayP99Ms)} (a cashier's request can wait this long before its checkout starts)`);
  console.log('  where the time goes, per document:');
  console.log(`    simulator processing (server side, CPU): ${ms(d.perDoc.simulatorMs)}`);
  console.log(`    a request inside the simulator, arrival to answer written (latency + processing + its own loop): ${ms(d.perDoc.simulatorWallMs)}`);
  console.log(`    a send's job run as the runner records it (claim to outcome stored: latency + simulator + HTTP + waiting for the loop): ${ms(d.perDoc.runMs)}`);
  console.log(`    app process CPU, all of it (runner + the sales rung up and signed): ${ms(d.perDoc.appCpuMs)}; event loop busy ${Math.round(d.appLoopUtilization * 100)} %, process CPU ${Math.round(d.appCpuShare * 100)} % of one core`);
  console.log(`    simulator process CPU: ${d.perDoc.simulatorCpuMs === null ? 'n/a (in process)' : ms(d.perDoc.simulatorCpuMs)}`);
  console.log(`  ${d.bottleneck}`);
  console.log(`  SUNAT requests ${d.simulatorRequests} for ${d.sent} documents (${d.simulatorRequests === d.sent ? 'none resent' : 'some resent or reconciled'})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await benchQueue({ json: process.argv.includes('--json') });
}
