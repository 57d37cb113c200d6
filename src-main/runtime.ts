// What runs beside the services while the app is open: the SUNAT endpoint (the in-process simulator in demo mode),
// the connectivity monitor and, through `extras`, the job runner. Used by `serve`, `worker` and the Electron main.
import path from 'node:path';
import type { App } from './app';
import { getSetting } from './pos/settings';
import { endpointsFor, type Endpoints } from './sunat/client/endpoints';
import { startSimulator, type Simulator } from './sunat/simulator';
import { NetworkMonitor, tcpProbe } from './jobs/network';
import { startJobs, type Jobs } from './jobs/runner';
import { createAppLogger, logAppEvents } from './logs/app-logger';
import type { Logger } from './logs/logger';

export interface Runtime {
  endpoints: Endpoints;
  /** Human description of where documents go, for the settings screen and the logs. */
  target: string;
  simulator: Simulator | null;
  monitor: NetworkMonitor;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** --sunat-url / IZISALES_SUNAT_URL: SUNAT's paths on this host, overriding the settings. */
  sunatUrl?: string;
  probeIntervals?: { minDelayMs?: number; maxDelayMs?: number; onlineIntervalMs?: number };
}

export async function startRuntime(app: App, opts: RuntimeOptions = {}): Promise<Runtime> {
  const override = opts.sunatUrl ?? process.env.IZISALES_SUNAT_URL;
  let simulator: Simulator | null = null;
  let endpoints: Endpoints;
  let target: string;
  const mode = getSetting(app.db, 'sunatMode');
  if (override) {
    endpoints = endpointsFor('custom', override);
    target = `URL indicada (${new URL(override).origin})`;
  } else if (mode === 'demo') {
    // A new user sees documents accepted at once: the simulator runs in-process on a free local port.
    simulator = await startSimulator({ port: 0, stateFile: path.join(app.dataDir, 'sunat-simulator.json') });
    endpoints = endpointsFor('custom', simulator.url);
    target = 'simulador SUNAT (modo demo)';
  } else if (mode === 'custom') {
    endpoints = endpointsFor('custom', getSetting(app.db, 'sunatCustomUrl'));
    target = 'OSE / URL personalizada';
  } else {
    endpoints = endpointsFor(mode);
    target = mode === 'beta' ? 'SUNAT beta (pruebas)' : 'SUNAT producción';
  }
  app.sunatTarget = target;
  const monitor = new NetworkMonitor({
    probe: tcpProbe(endpoints.billService),
    onChange: (online) => {
      app.online = online;
      app.statusChanged();
    },
    ...opts.probeIntervals,
  });
  monitor.start();
  return {
    endpoints, target, simulator, monitor,
    async stop() {
      monitor.stop();
      await simulator?.close();
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
    jobs = startJobs({ app, sunat: { endpoints: runtime.endpoints }, monitor: runtime.monitor });
  } catch (e) {
    await runtime.stop();
    stopLogging();
    logger.close();
    throw e;
  }
  logger.info('App', `servicios iniciados; comprobantes a: ${runtime.target}`);
  return {
    runtime, jobs, logger,
    async stop() {
      // In-flight sends get a few seconds to finish (the runner's stop timeout).
      await jobs.stop();
      await runtime.stop();
      stopLogging();
      logger.info('App', 'servicios detenidos');
      logger.close();
    },
  };
}
