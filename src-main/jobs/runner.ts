// The job runner (DESIGN §4): claims due jobs from SQLite, runs their handlers concurrently per kind, records every
// attempt and applies the fault policy the handler chose. It never blocks the checkout: database work is tiny
// synchronous transactions and everything slow (SUNAT) is awaited outside them. Commit, then notify.
import type { Job } from '../db/schema';
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import type { EventBus } from '../events';
import type { Signer } from '../sunat/signing';
import type { SunatClient } from '../sunat/client';
import { NetworkMonitor, tcpProbe } from './network';
import { acquireLock, type RunnerLock } from '../db/lock';
import {
  claimDue, claimWithin, markDeferred, markFailed, markRetrying, markSucceeded, markWaitingNetwork, nextDueAt, recoverOrphans,
  releaseNetworkWaits, renewLeases, sunatPause, type ClaimedJob,
} from './store';
import type { HandlerRegistry } from './registry';
import type { SunatClients } from './sunat-clients';
import type { SunatTarget } from '../sunat/target';

/**
 * What a handler decided; `apply` runs inside the transaction that records the outcome, `after` once committed.
 * `wakes`: `apply` made other jobs due (a note waiting for the document it corrects): the runner looks at the queue
 * once this outcome is committed instead of at its next poll.
 */
interface Effects {
  apply?: () => void;
  after?: () => void;
  wakes?: boolean;
}
export type JobOutcome = Effects &
  (
    | { type: 'succeeded'; result?: unknown; outcome?: string }
    | { type: 'failed'; error: string; result?: unknown }
    /** Spends the attempt; `reconcile` makes the next one ask SUNAT first. */
    | { type: 'retry'; error: string; reconcile?: boolean; delayMs?: number }
    /** Nothing reached the other side: wait for the network, attempt given back. */
    | {
      type: 'waiting_network'; error: string;
      /**
       * A host that is not SUNAT could not be reached (the hub): SUNAT's connectivity monitor is not told (the status
       * bar stays as it is) and the job looks again after `delayMs` (or when that monitor comes back online).
       */
      elsewhere?: { delayMs: number };
    }
    /** Not now (queue paused, no certificate yet): attempt given back. */
    | { type: 'defer'; error: string; delayMs: number; outcome?: string }
  );

/**
 * What a handler may touch besides its job, each passed from the composition root (the App satisfies it): the
 * database, the clock, the data directory (backups, reports, archives), the events, and the signer.
 */
export interface JobServices {
  db: Db;
  clock: Clock;
  dataDir: string;
  events: Pick<EventBus, 'emit'>;
  /** To sign a document the checkout could not (no certificate then). */
  signer: Pick<Signer, 'signDocument' | 'certificate'>;
  /** Tells the screens the counts changed; handlers call it after their commit. */
  statusChanged(): void;
}

export interface JobContext extends JobServices {
  job: ClaimedJob;
  payload: Record<string, unknown>;
  options: Required<RunnerOptions>;
  /**
   * SUNAT work (the pausable kinds): the target this job was claimed for; it finishes against it even if the mode
   * changes meanwhile. Other kinds do not talk to SUNAT and get the fixed target (the settings are not read for them).
   */
  target: SunatTarget;
  sunat(): SunatClient;
  /** This attempt is the job's last: a transient fault now ends it as failed. */
  isLastAttempt: boolean;
}

export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

export interface HandlerSpec {
  run: JobHandler;
  /** How many of this kind may run at once (default 1). */
  concurrency?: number;
  /** Skipped while SUNAT sending is paused. */
  pausable?: boolean;
  /**
   * A run that finds its last outcome lost finds out by itself what happened (sunat.send asks SUNAT before sending
   * again, and a resend answered "already registered" is reconciled). Outcomes of such kinds commit without an fsync
   * (db.tx relaxed): a power cut can take back the last fraction of a second of them, never a sale.
   */
  reconciles?: boolean;
}

export interface RunnerOptions {
  /** How often to look for work written by other processes (PRAGMA data_version) and for due retries. */
  pollMs?: number;
  /** Lease of a claimed job, renewed every third of it while the job runs. */
  leaseMs?: number;
  /** Delay before the next attempt after a SUNAT-side transient fault (DESIGN §3.6: 5 minutes). */
  retryDelayMs?: number;
  /** Growth of that delay per attempt (1 = evenly spaced, as SUNAT's policy asks; 2 = doubling). */
  backoffFactor?: number;
  maxBackoffMs?: number;
  /** Random spread added to each delay, as a fraction of it. */
  jitter?: number;
  /** While offline, a waiting job is tried again after this long even if the monitor never reports online. */
  networkWaitMs?: number;
  /** How long stop() lets in-flight jobs finish. */
  stopTimeoutMs?: number;
  /** Concurrency of sunat.send. */
  sendConcurrency?: number;
  /** Take the data directory's runner lock (default true). */
  lock?: boolean;
  /** Write a heartbeat file (pid, uptime, memory) for `jobs inspect stats`. */
  heartbeatMs?: number;
  /** Run WAL checkpoints in a worker thread while the runner runs (db/checkpointer.ts), not inside sales' commits. */
  checkpoints?: boolean;
}

const DEFAULTS: Required<RunnerOptions> = {
  pollMs: 250, leaseMs: 60_000, retryDelayMs: 5 * 60_000, backoffFactor: 1, maxBackoffMs: 60 * 60_000, jitter: 0.1,
  networkWaitMs: 30_000, stopTimeoutMs: 5_000, sendConcurrency: 4, lock: true, heartbeatMs: 5_000, checkpoints: true,
};

/** The options with their defaults filled in. */
export function runnerOptions(options?: RunnerOptions): Required<RunnerOptions> {
  return { ...DEFAULTS, ...options };
}

/** What the runner says of itself to a companion (the heartbeat), without touching the database. */
export interface RunnerPulse {
  startedAt: Date;
  inFlight: number;
  processed: number;
  online: boolean;
  byOutcome: Record<string, number>;
}

/** Lives while the runner runs (the heartbeat, the SUNAT clients, the WAL checkpointer), wired by the caller. */
export interface RunnerCompanion {
  /** Once the runner holds its lock and runs. */
  start?(pulse: () => RunnerPulse): void;
  /** As stopping begins, before in-flight jobs are awaited. */
  stop?(): void;
  /** Once in-flight jobs settled (or the stop timeout passed), the last started first, before the lock is released. */
  close?(): void | Promise<void>;
}

/** What the loop uses: the handlers' services, and `online`, which it keeps current for the status bar. */
export interface RunnerServices extends JobServices {
  online: boolean;
}

export interface RunnerParts {
  deps: RunnerServices;
  /** The kinds this runner claims and their handlers, read once here. */
  handlers: HandlerRegistry;
  /** Where SUNAT work goes and the client for it. */
  sunat: SunatClients;
  /**
   * The connectivity monitor. Omitted: the runner builds one probing the billService host. When you pass your own,
   * call `runner.setOnline(online)` from its onChange.
   */
  monitor?: NetworkMonitor;
  companions?: RunnerCompanion[];
  options?: RunnerOptions;
}

export interface RunnerStats {
  startedAt: string | null;
  inFlight: number;
  processed: number;
  byOutcome: Record<string, number>;
  paused: string | null;
  online: boolean;
}

export interface Runner {
  start(): void;
  stop(): Promise<void>;
  /** Look for work now (the app calls it after a sale commits). */
  kick(): void;
  /** Called by the network monitor: online makes every job waiting for the network due at once. */
  setOnline(online: boolean): void;
  stats(): RunnerStats;
  /** Resolves when no job is due or running (tests, the bench). */
  idle(timeoutMs?: number): Promise<boolean>;
  readonly monitor: NetworkMonitor;
}

/** Delay before attempt n+1 after attempt n failed: base·factorⁿ⁻¹, capped, plus jitter. */
export function backoffDelay(attempt: number, o: Pick<Required<RunnerOptions>, 'retryDelayMs' | 'backoffFactor' | 'maxBackoffMs' | 'jitter'>, rnd = Math.random): number {
  const base = Math.min(o.maxBackoffMs, o.retryDelayMs * Math.pow(o.backoffFactor, Math.max(0, attempt - 1)));
  return Math.round(base * (1 + o.jitter * rnd()));
}

/**
 * The loop of a runner. Which kinds it runs, where SUNAT work goes and what lives beside it (heartbeat, checkpointer)
 * come from the caller: jobs/start.ts assembles the app's runner.
 */
export function createRunnerLoop(opts: RunnerParts): Runner {
  const { deps, sunat } = opts;
  const db = deps.db;
  // The handlers' services, the same for every job; each context adds its job.
  const services: JobServices = {
    db, clock: deps.clock, dataDir: deps.dataDir, events: deps.events, signer: deps.signer, statusChanged: () => deps.statusChanged(),
  };
  const o = runnerOptions(opts.options);
  const fixed = sunat.fixed;
  const currentTarget = (): SunatTarget => sunat.current();
  const kinds = opts.handlers.kinds();
  const handlers: Record<string, HandlerSpec> = Object.fromEntries(kinds.map((k) => [k, opts.handlers.get(k)!]));
  const companions = opts.companions ?? [];

  const monitor = opts.monitor ?? new NetworkMonitor({
    probe: () => {
      const e = currentTarget().endpoints;
      return e ? tcpProbe(e.billService, 3_000)() : Promise.resolve(false);
    },
    onChange: (online) => runner.setOnline(online),
    minDelayMs: 500, maxDelayMs: 30_000,
  });

  const inFlight = new Map<number, { kind: string; promise: Promise<void> }>();
  const perKind = new Map<string, number>();
  const byOutcome: Record<string, number> = {};
  let processed = 0;
  let startedAt: Date | null = null;
  let running = false;
  let lock: RunnerLock | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let leaseTimer: NodeJS.Timeout | null = null;
  let dataVersion = -1;
  let lastOnline = false;
  let dirty = true;
  let nextDue: number | null = null;
  let idleWaiters: (() => void)[] = [];

  const now = () => deps.clock.now();

  /** SUNAT work (the pausable kinds) is claimed for the target of this moment; none while it is not ready. */
  function targetForClaim(): SunatTarget | null {
    try {
      const target = currentTarget();
      return target.endpoints ? target : null;
    } catch {
      return null;
    }
  }

  /**
   * The newest job id seen so far. A flush that finds a newer one (a handler enqueued work, on this connection, which
   * data_version does not report) or that could not claim asks for a full look once its jobs have ended (lookAgain).
   */
  let seenTopJob = -1;
  let lookAgain = true;
  const topJobSql = db.prepare('SELECT max(id) AS m FROM jobs');
  const topJob = () => (topJobSql.get() as { m: number | null }).m ?? 0;

  /**
   * Claims due work for every kind with free slots. A busy kind refills its slots in the commit that records each
   * outcome (flush), so this runs on start, kick(), the poll (another process, a retry coming due), when the last job
   * ends, and after a flush that asked for it. Settings (pause, target) are read only when a SUNAT kind has room.
   */
  function tick(): void {
    if (!running) return;
    dirty = false;
    try {
      seenTopJob = topJob();
    } catch {
      // busy database: a later flush or the poll looks again
    }
    const t = now();
    let paused: boolean | undefined;
    let target: SunatTarget | null | undefined;
    const targetNow = () => (target === undefined ? (target = targetForClaim()) : target);
    for (const kind of kinds) {
      const free = (handlers[kind].concurrency ?? 1) - (perKind.get(kind) ?? 0);
      if (free <= 0) continue;
      if (handlers[kind].pausable) {
        paused ??= sunatPause(db) !== null;
        if (paused) continue;
        if (!targetNow()) continue; // the runtime kicks when the target is ready
      }
      let claimed: ClaimedJob[];
      try {
        claimed = claimDue(db, t, { kind, limit: free, leaseMs: o.leaseMs });
      } catch {
        dirty = true; // busy database: try again on the next poll
        continue;
      }
      for (const job of claimed) launch(kind, job, handlers[kind].pausable ? targetNow() ?? fixed : fixed);
    }
    // While jobs run, their completion ticks again; the earliest future run_at matters only when all is quiet.
    if (inFlight.size > 0) return;
    paused ??= sunatPause(db) !== null;
    nextDue = nextDueAt(db, paused ? kinds.filter((k) => !handlers[k].pausable) : kinds);
    if (nextDue === null || nextDue > now().getTime()) {
      const w = idleWaiters;
      idleWaiters = [];
      for (const fn of w) fn();
    }
  }

  function launch(kind: string, job: ClaimedJob, target: SunatTarget): void {
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    const promise: Promise<void> = execute(kind, job, target).finally(() => {
      // A job retried at once is claimed again by the commit that recorded this run, under the same id: only this
      // run's entry goes.
      if (inFlight.get(job.id)?.promise === promise) inFlight.delete(job.id);
      dirty = true; // the poll takes a full look soon: a retry of another kind may have come due meanwhile
      if (running && (lookAgain || inFlight.size === 0)) {
        lookAgain = false;
        setImmediate(tick);
      }
    });
    inFlight.set(job.id, { kind, promise });
  }

  async function execute(kind: string, job: ClaimedJob, target: SunatTarget): Promise<void> {
    let payload: Record<string, unknown> = {};
    try {
      payload = JSON.parse(job.payload) as Record<string, unknown>;
    } catch {
      // a broken payload is the handler's to report
    }
    let outcome: JobOutcome;
    try {
      outcome = await handlers[kind].run({ ...services, job, payload, options: o, target, sunat: () => sunat.clientFor(target), isLastAttempt: job.attempts >= job.max_attempts });
    } catch (e) {
      outcome = { type: 'retry', error: (e as Error).message || String(e) };
    }
    await record(kind, job, outcome);
  }

  interface Pending { kind: string; job: ClaimedJob; outcome: JobOutcome; done: () => void }
  let pending: Pending[] = [];

  /**
   * Queues the outcome for the next group commit and resolves once it is committed (or could not be). Outcomes that
   * arrive in the same turn of the event loop — several SUNAT answers read in one poll phase — share one durable
   * commit; setImmediate runs right after that phase, so nothing waits for a timer.
   */
  function record(kind: string, job: ClaimedJob, outcome: JobOutcome): Promise<void> {
    return new Promise<void>((done) => {
      pending.push({ kind, job, outcome, done });
      if (pending.length === 1) setImmediate(flush);
    });
  }

  function flush(): void {
    const batch = pending;
    pending = [];
    // A slot stays taken until its outcome is being recorded, so a tick in between does not claim for it in a commit
    // of its own: the commit that records the outcome refills the slot (one durable commit per job, not two).
    for (const p of batch) perKind.set(p.kind, (perKind.get(p.kind) ?? 1) - 1);
    const t = now();
    const recorded: { job: ClaimedJob; final: JobOutcome }[] = [];
    const next: { kind: string; jobs: ClaimedJob[]; target: SunatTarget }[] = [];
    try {
      const relaxed = batch.every((p) => handlers[p.kind].reconciles);
      db.tx(() => {
        for (const { job, outcome } of batch) {
          let final = outcome;
          if (final.type === 'retry' && job.attempts >= job.max_attempts) {
            final = { type: 'failed', error: final.error, apply: final.apply, after: final.after };
          }
          try {
            // Each outcome in its own savepoint: one that cannot be written leaves the others recorded.
            db.savepoint(() => writeOutcome(job, final, t));
            recorded.push({ job, final });
          } catch {
            // not recorded: its lease expires and it is reconciled with SUNAT on the next start
          }
        }
        const batchKinds = new Set(batch.map((p) => p.kind));
        const target = [...batchKinds].some((k) => handlers[k].pausable) ? targetForClaim() : null;
        for (const kind of batchKinds) {
          next.push({ kind, jobs: claimNext(kind, t, target), target: handlers[kind].pausable ? target ?? fixed : fixed });
        }
        const top = topJob();
        if (top !== seenTopJob) {
          seenTopJob = top;
          lookAgain = true;
        }
      }, { relaxed });
    } catch {
      // Could not commit (disk full, locked for too long): the leases expire and the jobs are reconciled on restart.
      lookAgain = true;
      for (const p of batch) p.done();
      return;
    }
    for (const { final } of recorded) {
      if (final.wakes) lookAgain = true;
      processed++;
      byOutcome[final.type] = (byOutcome[final.type] ?? 0) + 1;
      try {
        final.after?.();
      } catch {
        // notifying must never undo what was committed
      }
      if (final.type === 'waiting_network' && !final.elsewhere) monitor.reportFailure();
    }
    for (const { kind, jobs, target } of next) for (const j of jobs) launch(kind, j, target);
    for (const p of batch) p.done();
  }

  function writeOutcome(job: ClaimedJob, final: JobOutcome, t: Date): void {
    final.apply?.();
    switch (final.type) {
      case 'succeeded':
        markSucceeded(db, t, job, final.result, final.outcome);
        break;
      case 'failed':
        markFailed(db, t, job, final.error, final.result);
        break;
      case 'retry':
        markRetrying(db, t, job, final.error, new Date(t.getTime() + (final.delayMs ?? backoffDelay(job.attempts, o))), final.reconcile ?? false);
        break;
      case 'waiting_network':
        markWaitingNetwork(db, t, job, final.error, new Date(t.getTime() + (final.elsewhere?.delayMs ?? o.networkWaitMs)));
        break;
      case 'defer':
        markDeferred(db, t, job, final.error, new Date(t.getTime() + final.delayMs), final.outcome);
        break;
    }
  }

  /**
   * Group commit: the slots the batch frees are refilled in the transaction that records its outcomes, so a busy
   * kind costs at most one commit per job rather than two. Launched only after that commit; tick() fills any other.
   */
  function claimNext(kind: string, t: Date, target: SunatTarget | null): ClaimedJob[] {
    if (!running || (handlers[kind].pausable && (!target || sunatPause(db)))) return [];
    const free = (handlers[kind].concurrency ?? 1) - (perKind.get(kind) ?? 0);
    try {
      return claimWithin(db, t, { kind, limit: free, leaseMs: o.leaseMs });
    } catch {
      lookAgain = true;
      return []; // a failed claim must not undo the outcome; the next tick claims instead
    }
  }

  function poll(): void {
    if (!running) return;
    // A monitor owned by someone else (the runtime) may not call setOnline: notice its changes here too.
    if (monitor.online !== lastOnline) {
      lastOnline = monitor.online;
      if (lastOnline) releaseWaits();
    }
    let v = dataVersion;
    try {
      v = db.raw.pragma('data_version', { simple: true }) as number;
    } catch {
      return;
    }
    if (v !== dataVersion) {
      dataVersion = v;
      dirty = true;
    }
    if (dirty || (nextDue !== null && nextDue <= now().getTime())) tick();
  }

  function releaseWaits(): void {
    try {
      releaseNetworkWaits(db, now());
    } catch {
      // the next poll finds them when their wait ends
    }
    runner.kick();
  }

  const pulse = (): RunnerPulse => ({ startedAt: startedAt!, inFlight: inFlight.size, processed, online: monitor.online, byOutcome });

  const runner: Runner = {
    monitor,
    start() {
      if (running) return;
      if (o.lock) lock = acquireLock(deps.dataDir);
      running = true;
      startedAt = new Date();
      // Holding the lock, every `running` job belongs to a process that died; without it, only expired leases.
      recoverOrphans(db, now(), { onlyExpired: !o.lock });
      pollTimer = setInterval(poll, o.pollMs);
      leaseTimer = setInterval(() => {
        try {
          renewLeases(db, now(), [...inFlight.keys()], o.leaseMs);
        } catch {
          // retried at the next interval, well before the lease ends
        }
      }, Math.max(50, Math.floor(o.leaseMs / 3)));
      for (const c of companions) c.start?.(pulse);
      if (!opts.monitor) monitor.start();
      tick();
    },
    async stop() {
      if (!running) return;
      running = false;
      if (pollTimer) clearInterval(pollTimer);
      for (const c of companions) c.stop?.();
      if (!opts.monitor) monitor.stop();
      const pending = [...inFlight.values()].map((f) => f.promise);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending),
        new Promise((r) => (timer = setTimeout(r, o.stopTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (leaseTimer) clearInterval(leaseTimer);
      for (const c of [...companions].reverse()) await c.close?.();
      lock?.release();
      lock = null;
      for (const fn of idleWaiters) fn();
      idleWaiters = [];
    },
    kick() {
      dirty = true;
      if (running) setImmediate(tick);
    },
    setOnline(online) {
      deps.online = online;
      lastOnline = online;
      if (online) releaseWaits();
      deps.statusChanged();
    },
    stats() {
      return {
        startedAt: startedAt?.toISOString() ?? null, inFlight: inFlight.size, processed, byOutcome: { ...byOutcome },
        paused: sunatPause(db)?.reason ?? null, online: monitor.online,
      };
    },
    idle(timeoutMs = 30_000) {
      return new Promise<boolean>((resolve) => {
        const t = setTimeout(() => {
          idleWaiters = idleWaiters.filter((f) => f !== done);
          resolve(false);
        }, timeoutMs);
        const done = () => {
          clearTimeout(t);
          resolve(true);
        };
        idleWaiters.push(done);
        runner.kick();
      });
    },
  };
  return runner;
}

export type { Job };
