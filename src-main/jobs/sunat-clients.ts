// Where the runner's SUNAT work goes and the client that talks to it: the target of the moment (the runtime's, which
// follows the saved mode, or a fixed URL), and one client per target and credentials, kept until the runner stops.
import type { Db } from '../db/connection';
import type { SecretStore } from '../secrets';
import { createSunatClient, endpointsFor, BETA_CREDENTIALS, type Endpoints, type SunatClient } from '../sunat/client';
import { readSunatCredentials } from '../db/settings-credentials';
import type { SunatTarget } from '../sunat/target';
import type { Clock } from '../adapters';
import { recordHttpDate } from '../db/settings-clock';
import { TRUSTED_TIME_TARGETS } from '../sunat/clock-watch';

export interface SunatConfig {
  /**
   * Where SUNAT work goes, asked each time the runner claims it (the runtime's: follows the saved mode). Without it:
   * `url` (simulator, OSE) or `endpoints`, fixed; default the local simulator.
   */
  target?: () => SunatTarget;
  url?: string;
  endpoints?: Endpoints;
  /** Replace the client (tests); otherwise built from settings 'sunatCredentials' or the beta demo credentials. */
  client?: () => SunatClient;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
}

export interface SunatClients {
  /** The target of this moment (may throw while the saved mode cannot be read). */
  current(): SunatTarget;
  /** The fixed target: where work not claimed for a ready target is said to go. */
  readonly fixed: SunatTarget;
  /** The client for work claimed for `target`. */
  clientFor(target: SunatTarget): SunatClient;
  /** Closes every client (the runner has stopped). */
  close(): void;
}

/** What the clients read of the app (the App satisfies it): the store's RUC and SOL credentials, decrypted. */
export interface SunatClientsDeps {
  db: Db;
  secrets: SecretStore;
  clock: Clock;
}

/** Keeps what an answer's `Date` says of the PC's clock (db/settings-clock.ts); never fails a send. */
export function clockObserver(app: SunatClientsDeps, target: SunatTarget): ((httpDate: string | undefined) => void) | undefined {
  if (!TRUSTED_TIME_TARGETS.includes(target.kind)) return undefined;
  return (httpDate) => {
    try {
      recordHttpDate(app.db, httpDate, app.clock.now(), target.label);
    } catch {
      // A busy database must not turn an answer into a failure; the next answer measures again.
    }
  };
}

/** SOL credentials from settings (the password stored encrypted), else SUNAT beta's public ones (demo). Never logged. */
export function sunatCredentials(app: SunatClientsDeps): { solUser: string; solPassword: string } {
  return readSunatCredentials(app.db, app.secrets) ?? { ...BETA_CREDENTIALS };
}

export function createSunatClients(app: SunatClientsDeps, config: SunatConfig = {}): SunatClients {
  const db = app.db;
  const fixedEndpoints = config.endpoints ?? endpointsFor('simulator', config.url);
  const fixed: SunatTarget = { key: `fixed:${fixedEndpoints.billService}`, kind: 'url', endpoints: fixedEndpoints, label: fixedEndpoints.billService, betaCredentials: false };
  // One client per target and credentials; a client of an earlier target stays for the jobs claimed for it.
  const clients = new Map<string, SunatClient>();
  return {
    fixed,
    current: () => (config.target ? config.target() : fixed),
    clientFor(target) {
      if (config.client) return config.client();
      const cred = target.betaCredentials ? { ...BETA_CREDENTIALS } : sunatCredentials(app);
      const store = db.first(db.q.selectFrom('settings').select('value').where('key', '=', 'store'));
      const ruc = (JSON.parse(store?.value ?? '{}') as { ruc?: string }).ruc ?? '';
      const key = JSON.stringify([target.key, ruc, cred.solUser, cred.solPassword]);
      let client = clients.get(key);
      if (!client) {
        if (!target.endpoints) throw new Error('El destino SUNAT aún no está listo.');
        client = createSunatClient({
          endpoints: target.endpoints, ruc, solUser: cred.solUser, solPassword: cred.solPassword,
          connectTimeoutMs: config.connectTimeoutMs ?? 5_000, responseTimeoutMs: config.responseTimeoutMs ?? 30_000,
          onDate: clockObserver(app, target),
        });
        clients.set(key, client);
      }
      return client;
    },
    close() {
      for (const c of clients.values()) c.close();
      clients.clear();
    },
  };
}
