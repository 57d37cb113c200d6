// The app's job runner, assembled: the loop (runner.ts) with the app's handlers (handlers/index.ts), the SUNAT
// clients, the heartbeat and the WAL checkpointer beside it; and startJobs, which adds the scheduler and the wake-ups.
import type { Db } from '../db/connection';
import { addHook, type EventBus } from '../events';
import { startCheckpointer, type Checkpointer } from '../db/checkpointer';
import type { NetworkMonitor } from './network';
import { createRunnerLoop, runnerOptions, type HandlerSpec, type Runner, type RunnerCompanion, type RunnerOptions, type RunnerServices } from './runner';
import { HandlerRegistry } from './registry';
import { registerDefaultHandlers } from './handlers/index';
import { createSunatClients, type SunatClientsDeps, type SunatConfig } from './sunat-clients';
import { heartbeat } from './heartbeat';
import { createScheduler, type Scheduler } from './schedule';
import { hubWake } from '../replication/link';

/**
 * What the app's runner uses of the app, passed by the composition root (the App satisfies it): the loop's and the
 * handlers' services, the secrets for the SOL credentials, and the wake-ups (sales, the bus's queue.updated).
 */
export interface RunnerDeps extends RunnerServices, SunatClientsDeps {
  events: Pick<EventBus, 'emit' | 'on'>;
  /** startJobs adds a hook that kicks the runner after each sale, and takes it out when it stops. */
  afterSale: ((saleId: number, documentId: number) => void)[];
  /** And one that queues a push to the hub after each call a person makes through the Api. */
  afterCall: (() => void)[];
}

export interface CreateRunnerOptions {
  app: RunnerDeps;
  sunat?: SunatConfig;
  /**
   * The connectivity monitor. Omitted: the runner builds one probing the billService host. When you pass your own,
   * call `runner.setOnline(online)` from its onChange.
   */
  monitor?: NetworkMonitor;
  /** Extra or replacement handlers by kind. */
  handlers?: Record<string, HandlerSpec>;
  options?: RunnerOptions;
}

/** WAL checkpoints in a worker thread while the runner runs (db/checkpointer.ts), not inside sales' commits. */
function checkpoints(db: Db): RunnerCompanion {
  let checkpointer: Checkpointer | null = null;
  return {
    start() {
      checkpointer = startCheckpointer(db);
    },
    async close() {
      await checkpointer?.stop();
      checkpointer = null;
    },
  };
}

export function createRunner(opts: CreateRunnerOptions): Runner {
  const { app } = opts;
  const o = runnerOptions(opts.options);
  const handlers = registerDefaultHandlers(new HandlerRegistry(), { sendConcurrency: o.sendConcurrency, secrets: app.secrets });
  for (const [kind, spec] of Object.entries(opts.handlers ?? {})) handlers.override(kind, spec);
  const sunat = createSunatClients(app, opts.sunat);
  // Started in this order, closed in the reverse one.
  const companions = [heartbeat(app.dataDir, o.heartbeatMs), sunat, ...(o.checkpoints ? [checkpoints(app.db)] : [])];
  return createRunnerLoop({ deps: app, handlers, sunat, monitor: opts.monitor, companions, options: opts.options });
}

export interface Jobs {
  runner: Runner;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/**
 * The runner and the scheduler of a data directory, wired to the app: a committed sale kicks the runner, a cron
 * firing enqueues and kicks. Throws LockHeldError (Spanish message) when another process already runs them.
 */
export function startJobs(opts: CreateRunnerOptions): Jobs {
  const runner = createRunner(opts);
  runner.start();
  const scheduler = createScheduler({ db: opts.app.db, clock: opts.app.clock, onEnqueued: () => runner.kick() });
  scheduler.start();
  // After a sale: the runner looks at once (its sunat.send), and a push to the hub is queued a moment later.
  const hub = hubWake(opts.app.db, () => opts.app.clock.now(), () => runner.kick());
  const hook = () => {
    runner.kick();
    hub.hook();
  };
  const offSale = addHook(opts.app.afterSale, hook);
  // What other processes recorded while no runner ran here (the command line, a crash): pushed now, not at the minute.
  hub.hook();
  // a retry or resume through the Api writes on our own connection: data_version does not move
  const offQueue = opts.app.events.on('queue.updated', hook);
  // SUNAT's answer to a document (its status and CDR, a new version for the hub) goes up as soon as it is stored, not
  // with the next sale or the scheduler's minute; the push's timer folds a drain's answers into one push.
  const offAnswered = opts.app.events.on('sale.updated', () => hub.hook());
  // A drawer closed (its Z), a paid-in, a collection, an admin's change: up without waiting for a sale or the minute.
  const offCall = addHook(opts.app.afterCall, hub.hook);
  return {
    runner,
    scheduler,
    async stop() {
      offSale();
      offQueue();
      offAnswered();
      offCall();
      hub.stop();
      scheduler.stop();
      await runner.stop();
    },
  };
}
