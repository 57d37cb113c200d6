// What runs beside the services while the app is open: the SUNAT endpoint (the in-process simulator in demo mode),
// the connectivity monitor and the job runner. Used by `serve`, `worker` and the Electron main; `AppHost` holds the
// app of a long-running process and swaps it whole when a backup is restored.
import path from 'node:path';
import type { Endpoints } from './sunat/client/endpoints';
import type { Simulator } from './sunat/simulator';
import { SunatTargets, type SunatTarget } from './sunat/target';
import { NetworkMonitor, tcpProbe } from './jobs/network';
import { startJobs, type Jobs } from './jobs/start';
import { createAppLogger, logAppEvents } from './logs/app-logger';
import type { Logger } from './logs/logger';
import { createApp, type App } from './app';
import { Api } from './api';
import type { Clock } from './adapters';
import type { SecretStore } from './secrets';
import type { RestoreView } from '../src-shared/contract';
import { backupEntry, backupFileByName, BackupError, checkDatabaseFile, restoreDatabase, type RestoreResult } from './db/backup';
import { audit } from './db/audit';
import { getUser } from './pos/users';
import { withTimeout } from './electron/shell';
import { preloadPrinting } from './documents/pdf';
import { startClockWatch } from './sunat/clock-watch';

export interface Runtime {
  /** Where documents go now; follows the saved SUNAT mode (sunat/target.ts). */
  targets: SunatTargets;
  /** The current target's endpoints (null while demo mode's simulator starts). */
  readonly endpoints: Endpoints | null;
  /** Human description of where documents go now, for the settings screen and the logs. */
  readonly target: string;
  /** Demo mode's in-process simulator, once started. */
  readonly simulator: Simulator | null;
  monitor: NetworkMonitor;
  /** Told when the target changes (a mode saved by an admin or the CLI) or demo mode's simulator becomes ready. */
  onTargetChange(fn: (t: SunatTarget) => void): () => void;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** --sunat-url / IZISALES_SUNAT_URL: SUNAT's paths on this host, overriding the settings. */
  sunatUrl?: string;
  probeIntervals?: { minDelayMs?: number; maxDelayMs?: number; onlineIntervalMs?: number };
  /** How often the saved mode is looked at for the status bar when no work is claimed (default 250 ms). */
  targetPollMs?: number;
}

export async function startRuntime(app: App, opts: RuntimeOptions = {}): Promise<Runtime> {
  const override = opts.sunatUrl ?? process.env.IZISALES_SUNAT_URL;
  const listeners = new Set<(t: SunatTarget) => void>();
  let monitor: NetworkMonitor | null = null;
  const targets = new SunatTargets({
    db: app.db, dataDir: app.dataDir, override: override || undefined,
    onChange: (t) => {
      // A new target: the status bar says so at once and connectivity is probed against it.
      app.statusChanged();
      monitor?.nudge();
      for (const fn of listeners) fn(t);
    },
  });
  // The status reads the label through the targets, so a mode just saved shows on the very next status.
  Object.defineProperty(app, 'sunatTarget', { configurable: true, enumerable: true, get: () => targets.current().label });
  await targets.ready(); // demo: the simulator listens before the first sale is sent
  monitor = new NetworkMonitor({
    // Probes whatever the target is at the time of the probe (nothing to reach while the simulator starts).
    probe: () => {
      const e = targets.current().endpoints;
      return e ? tcpProbe(e.billService)() : Promise.resolve(false);
    },
    onChange: (online) => {
      app.online = online;
      app.statusChanged();
    },
    ...opts.probeIntervals,
  });
  monitor.start();
  // Another process (the CLI) may change the mode: look a few times a second (one read of two settings rows).
  const poll = setInterval(() => {
    try {
      targets.current();
    } catch {
      // a busy database: the next tick looks again
    }
  }, opts.targetPollMs ?? 250);
  poll.unref?.();
  const m = monitor;
  return {
    targets, monitor: m,
    get endpoints() {
      return targets.current().endpoints;
    },
    get target() {
      return targets.current().label;
    },
    get simulator() {
      return targets.simulatorInstance;
    },
    onTargetChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      clearInterval(poll);
      m.stop();
      const last = targets.current().label;
      Object.defineProperty(app, 'sunatTarget', { configurable: true, enumerable: true, writable: true, value: last });
      await targets.stop();
    },
  };
}

export interface Services {
  runtime: Runtime;
  jobs: Jobs;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Everything that runs beside the screens, the same for `serve`, `worker` and the Electron shell: logs, the SUNAT
 * endpoint and connectivity, the job runner and its scheduler (one per data directory: a second one throws).
 */
export async function startServices(app: App, opts: RuntimeOptions = {}): Promise<Services> {
  const logger = createAppLogger(app);
  const stopLogging = logAppEvents(app, logger);
  const runtime = await startRuntime(app, opts);
  let jobs: Jobs;
  try {
    jobs = startJobs({ app, sunat: { target: () => runtime.targets.current() }, monitor: runtime.monitor });
  } catch (e) {
    await runtime.stop();
    stopLogging();
    logger.close();
    throw e;
  }
  const stopWatching = runtime.onTargetChange((t) => {
    logger.info('App', `comprobantes a: ${t.label}`);
    jobs.runner.kick(); // the new target (or the simulator now listening) may take the work that waited
  });
  // The first ticket should not wait for the PDF libraries to load (documents/pdf.ts loads them on first use).
  preloadPrinting().catch((e: unknown) => logger.warn('App', `no se pudo cargar la impresión: ${e instanceof Error ? e.message : String(e)}`));
  const clockWatch = startClockWatch({ db: app.db, clock: app.clock, target: () => runtime.targets.current(), changed: () => app.statusChanged() });
  app.checkClock = () => clockWatch.measure();
  logger.info('App', `servicios iniciados; comprobantes a: ${runtime.target}`);
  return {
    runtime, jobs, logger,
    async stop() {
      stopWatching();
      clockWatch.stop();
      app.checkClock = undefined;
      // In-flight sends get a few seconds to finish (the runner's stop timeout).
      await jobs.stop();
      await runtime.stop();
      stopLogging();
      logger.info('App', 'servicios detenidos');
      logger.close();
    },
  };
}

export interface AppHostOptions extends RuntimeOptions {
  dataDir: string;
  seedIfEmpty?: boolean;
  clock?: Clock;
  /** A secret store for each opening of the app (the shell's is sealed by safeStorage); default: the key file. */
  secrets?: () => SecretStore;
  /** How long stopping (a quit, a restore) waits for the services beyond the runner's own 5 s for in-flight sends. */
  stopGraceMs?: number;
}

/** Who asked for a restore, for the audit in the restored database and the log. */
export interface RestoreActor {
  userId: number;
  username: string;
}

/**
 * The app holder of a long-running process (`serve`, the Electron shell): one App, its services and its Api, swapped
 * as a whole when a backup is restored. Transports read `host.api` (or call `host.invoke`) on every request, so after
 * a restore they meet the new app — and a new Api, which means every old session has ended.
 */
export class AppHost {
  private current: { app: App; services: Services; api: Api };
  private swapping: Promise<void> | null = null;
  private inflight = 0;
  private readonly swapListeners = new Set<() => void>();

  private constructor(private readonly opts: AppHostOptions) {
    this.current = null as never; // set by start() before anyone can see the host
  }

  static async start(opts: AppHostOptions): Promise<AppHost> {
    const host = new AppHost(opts);
    host.current = await host.open();
    return host;
  }

  get app(): App {
    return this.current.app;
  }
  get services(): Services {
    return this.current.services;
  }
  get api(): Api {
    return this.current.api;
  }

  /** Runs a call on the current Api; a call arriving during a restore waits for it and then meets the new app. */
  async invoke(name: string, input: unknown, token: string | undefined): Promise<unknown> {
    while (this.swapping) await this.swapping;
    this.inflight++;
    try {
      return await this.current.api.invoke(name, input, token);
    } finally {
      this.inflight--;
    }
  }

  /** Lets calls already running on the old app finish (a backup, a PDF) before its database closes; bounded. */
  private async drain(others: number, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (this.inflight > others && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  }

  hasSession(token: string | undefined): boolean {
    return !this.swapping && this.current.api.hasSession(token);
  }

  /** Told after the app was replaced (transports re-attach their event listeners). */
  onSwap(fn: () => void): () => void {
    this.swapListeners.add(fn);
    return () => this.swapListeners.delete(fn);
  }

  private async open(): Promise<{ app: App; services: Services; api: Api }> {
    const { dataDir, seedIfEmpty, clock, secrets, sunatUrl, probeIntervals } = this.opts;
    const app = createApp({ dataDir, seedIfEmpty: seedIfEmpty ?? false, clock, secrets: secrets?.() });
    let services: Services;
    try {
      services = await startServices(app, { sunatUrl, probeIntervals });
    } catch (e) {
      // e.g. another iziSales or `worker` already sends from this folder (the lock's message says so)
      await app.close();
      throw e;
    }
    app.restoreBackup = (name, by) => this.restore(name, by);
    return { app, services, api: new Api(app, services.logger) };
  }

  private async close(): Promise<void> {
    const { app, services } = this.current;
    // The runner gives in-flight sends up to 5 s (its stopTimeoutMs); never hang beyond that plus a margin.
    await withTimeout(services.stop(), 5_000 + (this.opts.stopGraceMs ?? 2_000));
    await app.close();
  }

  /**
   * Restores the copy `name` of <data>/backups: checks it first (a damaged, foreign or newer copy is refused and
   * nothing changes), stops the runner and scheduler, closes the database, swaps the file (the replaced one is kept
   * beside it), reopens the app and its services and audits the restore in the restored database. If the swap
   * itself fails, the original database is reopened and the error is thrown.
   */
  async restore(name: string, by: RestoreActor): Promise<RestoreView> {
    if (this.swapping) throw new BackupError('Ya se está restaurando una copia; espere a que termine.');
    const { app, services } = this.current;
    const now = app.clock.now();
    const entry = backupEntry(app.dataDir, name);
    const file = backupFileByName(app.dataDir, name);
    const check = checkDatabaseFile(file);
    if (!check.ok) {
      const problem = check.problem?.replace(file, name) ?? 'la copia no pasó la verificación.';
      audit(app.db, now, by.userId, 'db.restore.refused', 'database', undefined, { file: name, problem, via: 'ui' });
      services.logger.warn('App', `restauración rechazada (${name}): ${problem}`);
      throw new BackupError(`No se restauró la copia: ${problem} No se cambió nada.`);
    }
    let done!: () => void;
    this.swapping = new Promise<void>((resolve) => (done = resolve));
    let swapped = false;
    try {
      services.logger.info('App', `restaurando la copia ${name} (pedido por ${by.username}): se detienen los servicios`);
      // New calls already wait; the restore call itself is one of those in flight when it came through invoke().
      await this.drain(1, 10_000);
      await this.close();
      let result: RestoreResult | null = null;
      let failure: unknown = null;
      try {
        result = restoreDatabase(app.dataDir, file, now);
      } catch (e) {
        failure = e;
      }
      // Restored or not, the app opens again: on failure it is the original database, untouched.
      this.current = await this.open();
      swapped = true;
      const next = this.current;
      if (failure || !result) {
        next.services.logger.error('App', `no se restauró la copia ${name}: ${(failure as Error)?.message ?? 'error desconocido'}`);
        throw failure;
      }
      const replaced = result.replacedFile ? path.basename(result.replacedFile) : null;
      // The actor's id may not exist (or be someone else) in the restored database: then only the name is kept.
      const same = getUser(next.app.db, by.userId);
      audit(next.app.db, next.app.clock.now(), same && same.username === by.username ? by.userId : null, 'db.restore', 'database', undefined, {
        file: name, takenAt: entry.takenAt, replacedFile: replaced, by: by.username, via: 'ui',
      });
      next.services.logger.info('App', `copia ${name} restaurada por ${by.username}; la base anterior quedó en ${replaced ?? '(no había)'}`);
      next.app.statusChanged();
      return { restoredFrom: name, takenAt: entry.takenAt, replacedFile: replaced };
    } finally {
      this.swapping = null;
      done();
      if (swapped) for (const fn of this.swapListeners) fn();
    }
  }

  /** Stops the services and closes the database (waiting for a restore in progress first). */
  async stop(): Promise<void> {
    while (this.swapping) await this.swapping;
    await this.close();
  }
}
