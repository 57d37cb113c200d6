// Where documents go right now (issue 13): the saved SUNAT mode decides it, re-read cheaply whenever the runner
// claims SUNAT work and a few times a second for the status bar, so a mode saved by an admin (or by another process,
// the CLI) applies at once. `--sunat-url` / IZISALES_SUNAT_URL still override everything.
import path from 'node:path';
import type { Db } from '../db/connection';
import { BETA_PATHS, endpointsFor, type Endpoints } from './client/endpoints';
import { startSimulator, type Simulator } from './simulator';

export type SunatModeSetting = 'demo' | 'beta' | 'production' | 'custom';
/** `simulator`: demo mode's in-process simulator; `url`: the --sunat-url override. */
export type TargetKind = 'simulator' | 'beta' | 'production' | 'custom' | 'url';

export interface SunatTarget {
  /** Changes whenever what decides the target changes (mode, custom URL). */
  key: string;
  kind: TargetKind;
  /** Null while demo mode's simulator is starting: SUNAT work waits for it. */
  endpoints: Endpoints | null;
  /** For the status bar, the settings screen and the logs. */
  label: string;
  /** Demo mode talks to its simulator with SUNAT beta's public user, whatever SOL user is stored for later. */
  betaCredentials: boolean;
}

/**
 * Test-only: points the "SUNAT beta" mode at a stand-in on this machine (e.g. `http://127.0.0.1:8090`). Read only when
 * resolving beta; only loopback addresses are taken, so it can never send a store's receipts anywhere else. The
 * product never sets it; production cannot be redirected this way (only --sunat-url, which overrides every mode).
 */
export const BETA_STAND_IN_ENV = 'IZISALES_TEST_BETA_URL';

export function betaEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const standIn = env[BETA_STAND_IN_ENV];
  if (!standIn) return endpointsFor('beta');
  const u = new URL(standIn);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    throw new Error(`${BETA_STAND_IN_ENV} solo admite una dirección local (127.0.0.1), no ${u.hostname}`);
  }
  return { billService: u.origin + BETA_PATHS.billService, consultService: u.origin + BETA_PATHS.consultService };
}

/** The two settings rows that decide the target, as stored: one indexed read, compared as text. */
export function targetSettingsKey(db: Db): string {
  const rows = db.all(db.q.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['sunatMode', 'sunatCustomUrl']).orderBy('key'));
  return rows.map((r) => `${r.key}=${r.value}`).join('&');
}

function readMode(db: Db): { mode: SunatModeSetting; customUrl: string } {
  const get = (k: string) => db.first(db.q.selectFrom('settings').select('value').where('key', '=', k))?.value;
  const mode = get('sunatMode');
  const url = get('sunatCustomUrl');
  return { mode: mode ? (JSON.parse(mode) as SunatModeSetting) : 'demo', customUrl: url ? (JSON.parse(url) as string) : '' };
}

export interface SunatTargetsOptions {
  db: Db;
  dataDir: string;
  /** --sunat-url / IZISALES_SUNAT_URL. */
  override?: string;
  /** Told after the target changed or the simulator became ready (status bar, runner kick, probe). */
  onChange?: (t: SunatTarget) => void;
  /** Start demo mode's simulator (tests may pass their own). */
  startSimulator?: () => Promise<Simulator>;
}

/**
 * The current target, re-resolved when its settings change. Demo mode's simulator is started on first need (in
 * process, a free local port) and then kept until stop(): jobs claimed for it finish against it even after a switch.
 */
export class SunatTargets {
  private cached: { settingsKey: string; target: SunatTarget } | null = null;
  private simulator: Simulator | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;
  private simulatorError: string | null = null;

  constructor(private readonly opts: SunatTargetsOptions) {}

  /** The target for work claimed now. Cheap when nothing changed: one read of two settings rows. */
  current(): SunatTarget {
    if (this.opts.override) {
      if (!this.cached) {
        const url = this.opts.override;
        this.cached = { settingsKey: '', target: { key: `url:${url}`, kind: 'url', endpoints: endpointsFor('custom', url), label: `URL indicada (${new URL(url).origin})`, betaCredentials: false } };
      }
      return this.cached.target;
    }
    const settingsKey = targetSettingsKey(this.opts.db);
    if (this.cached && this.cached.settingsKey === settingsKey) return this.cached.target;
    const target = this.resolve();
    const changed = this.cached?.target.key !== target.key;
    this.cached = { settingsKey, target };
    if (changed) this.opts.onChange?.(target);
    return target;
  }

  /** The in-process simulator when demo mode started it (tests read its ledger). */
  get simulatorInstance(): Simulator | null {
    return this.simulator;
  }

  /** Waits for demo mode's simulator if it is starting (startup, tests). */
  async ready(): Promise<SunatTarget> {
    this.current();
    await this.starting;
    return this.current();
  }

  private resolve(): SunatTarget {
    const { mode, customUrl } = readMode(this.opts.db);
    if (mode === 'demo') {
      // After a failed start it is tried again only when the mode changes (no restart loop).
      if (!this.simulator && !this.simulatorError) this.startSimulatorSoon();
      return {
        key: `simulator:${this.simulator ? this.simulator.url : 'starting'}`, kind: 'simulator',
        endpoints: this.simulator ? endpointsFor('custom', this.simulator.url) : null,
        label: this.simulatorError ? `simulador SUNAT (modo demo): ${this.simulatorError}` : 'simulador SUNAT (modo demo)',
        betaCredentials: true,
      };
    }
    this.simulatorError = null;
    if (mode === 'custom') {
      let endpoints: Endpoints | null = null;
      try {
        endpoints = endpointsFor('custom', customUrl);
      } catch {
        // no URL saved yet: nothing can be sent until there is one
      }
      return { key: `custom:${customUrl}`, kind: 'custom', endpoints, label: 'OSE / URL personalizada', betaCredentials: false };
    }
    if (mode === 'beta') {
      const endpoints = betaEndpoints();
      return { key: `beta:${endpoints.billService}`, kind: 'beta', endpoints, label: 'SUNAT beta (pruebas)', betaCredentials: false };
    }
    return { key: 'production', kind: 'production', endpoints: endpointsFor('production'), label: 'SUNAT producción', betaCredentials: false };
  }

  private startSimulatorSoon(): void {
    if (this.starting || this.stopped) return;
    const start = this.opts.startSimulator ?? (() => startSimulator({ port: 0, stateFile: path.join(this.opts.dataDir, 'sunat-simulator.json') }));
    this.starting = start().then(
      async (sim) => {
        if (this.stopped) return void (await sim.close());
        this.simulator = sim;
        this.simulatorError = null;
      },
      (e: unknown) => {
        this.simulatorError = `no se pudo iniciar (${(e as Error).message})`;
      },
    ).finally(() => {
      this.starting = null;
      // Re-resolve: the simulator's endpoints are known now (or its failure is shown).
      this.cached = null;
      if (!this.stopped) this.current();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.simulator?.close();
    this.simulator = null;
  }
}

/**
 * Whether a document may go to this target, by the mode it was issued in (documents.issued_mode). A demo receipt is
 * never sent to SUNAT or an OSE (it has no validity; its number belongs to a demo series); a receipt issued for SUNAT
 * is never "accepted" by the simulator (it would never reach SUNAT). The --sunat-url override takes everything.
 */
export function targetMismatch(issuedMode: string | null, target: SunatTarget): 'demo_to_sunat' | 'sunat_to_simulator' | null {
  if (target.kind === 'url' || issuedMode === null) return null;
  if (issuedMode === 'demo' && target.kind !== 'simulator') return 'demo_to_sunat';
  if (issuedMode !== 'demo' && target.kind === 'simulator') return 'sunat_to_simulator';
  return null;
}

export const DEMO_NOT_SENT = 'Emitido en modo demo (sin validez): no se envía a SUNAT. Emita la venta de nuevo con una serie nueva.';
export const WAITS_FOR_SUNAT = 'Emitido para SUNAT: no se envía al simulador del modo demo; se enviará cuando el modo SUNAT vuelva a beta, producción u OSE.';
/** How long a receipt issued for SUNAT waits, under demo mode, before looking at the mode again. */
export const MODE_WAIT_MS = 5 * 60_000;
