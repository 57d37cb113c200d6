// First run: a new data directory becomes either the demo store or the owner's own store. The own store is
// validated as a whole first (nothing written on any error), then settings, series, the first administrator and
// demoMode=false commit in one transaction.
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import type { SecretStore } from '../secrets';
import { audit } from '../db/audit';
import { newUserIssues } from './admin';
import { ruleError } from '../errors';
import { isEmpty, seedDemo } from './seed';
import { setSetting, type StoreSettings } from '../db/settings';
import { applySettingsPlan, invalidSettings, planSettings, type SunatMode } from '../db/settings-change';
import { createUser } from './users';

/** The store's own facts (as settings keep them), its terminal, series, first admin and SUNAT mode. */
export interface OwnStoreInput extends StoreSettings {
  terminalId: string;
  boletaSeries: string;
  facturaSeries: string;
  admin: { username: string; name: string; pin: string };
  sunatMode: SunatMode;
  /** Needed for sunatMode 'custom' (an OSE). */
  sunatCustomUrl?: string;
  solUser?: string;
  solPassword?: string;
}

/** What the first run uses of the app (the App satisfies it); `statusChanged` tells the screens the store is ready. */
export interface SetupDeps {
  db: Db;
  clock: Clock;
  secrets: SecretStore;
  statusChanged(): void;
}

/** Nothing set up yet: no users and no products (the screens then offer the demo or the own store). */
export function isFirstRun(db: Db): boolean {
  return isEmpty(db);
}

function alreadySetUp() {
  return ruleError('Esta tienda ya está configurada. Para empezar de cero use una carpeta de datos nueva.');
}

/** The demo store: the sample catalog, customers and the three demo users (README lists their PINs). */
export function setupDemoStore(app: Pick<SetupDeps, 'db' | 'clock' | 'statusChanged'>): void {
  if (!seedDemo(app.db, app.clock.now())) throw alreadySetUp();
  app.statusChanged();
}

/** The owner's store, ready to sell once the catalog is imported. Returns the first administrator's id. */
export function setupOwnStore(app: SetupDeps, input: OwnStoreInput): number {
  const { db } = app;
  const at = app.clock.now();
  const adminId = db.tx(() => {
    if (!isFirstRun(db)) throw alreadySetUp();
    // SOL credentials are required only for production or an OSE; beta without them uses SUNAT's public test user.
    const plan = planSettings(db, app.secrets, at, {
      store: { ruc: input.ruc, legalName: input.legalName, tradeName: input.tradeName, address: input.address, ubigeo: input.ubigeo, establishmentCode: input.establishmentCode },
      terminalId: input.terminalId,
      series: { boleta: input.boletaSeries, factura: input.facturaSeries },
      sunat: { mode: input.sunatMode, customUrl: input.sunatCustomUrl, solUser: input.solUser, solPassword: input.solPassword },
    });
    const issues = [...plan.issues, ...newUserIssues(input.admin, 'admin.')];
    if (issues.length > 0) throw invalidSettings(issues);
    const id = createUser(db, at, { username: input.admin.username.trim().toLowerCase(), name: input.admin.name.trim(), role: 'admin', pin: input.admin.pin });
    applySettingsPlan(db, at, id, plan);
    setSetting(db, 'demoMode', false);
    audit(db, at, id, 'store.setup', 'store', input.ruc, { ruc: input.ruc, terminalId: input.terminalId, sunatMode: input.sunatMode });
    return id;
  });
  app.statusChanged();
  return adminId;
}
