// Settings are rows of JSON values; defaults live here so a new database works at once.
// The read side every layer uses (hot paths too): changing settings is settings-change.ts, never imported here.
import type { Db } from './connection';
import type { ClockConfirmation, ClockObservation } from '../../src-shared/clock-trust';
import type { EscposPrinterSetting, TicketLogo } from '../../src-shared/printer';

export interface StoreSettings {
  ruc: string;
  legalName: string;
  tradeName: string;
  address: string;
  ubigeo: string;
  establishmentCode: string;
}

export const DEFAULT_SETTINGS = {
  store: { ruc: '20601234565', legalName: 'BODEGA DEMO IZISALES S.A.C.', tradeName: 'Bodega Demo', address: 'AV. JOSE LARCO 123, MIRAFLORES, LIMA', ubigeo: '150122', establishmentCode: '0000' } as StoreSettings,
  terminalId: 'CAJA-01',
  igvRate: '0.18',
  icbperRate: '0.50',
  /** How far below the catalog (discounts, lowered prices; percent) a cashier sells without approval (DESIGN §6). */
  cashierDiscountLimitPercent: '10',
  /** The same for a supervisor; an admin has no limit. Above it, an admin approves. */
  supervisorDiscountLimitPercent: '30',
  /** An opening float above this (soles) must be confirmed by the cashier: a mistyped amount is caught at once. */
  openingFloatConfirmAbove: '5000.00',
  /** The POS locks after this many minutes without a key or a click (0 = never); the Api refuses the token soon after. */
  autoLockMinutes: 5,
  /**
   * shared: one drawer per terminal, whoever sells (one session per terminal); perCashier: each cashier opens and
   * closes their own drawer on the terminal, and their sales, refunds and cash moves go to it (pos/cash.ts).
   */
  cashDrawerMode: 'shared' as 'shared' | 'perCashier',
  /**
   * Reprints of one document (prints after its first) a cashier may make; beyond it only a supervisor or an admin
   * (pos/prints.ts). Every print is audited whatever this says.
   */
  maxReprints: 3,
  /** The last measured offset of the PC's clock against a trusted time (db/settings-clock.ts); null: never measured. */
  clockCheck: null as ClockObservation | null,
  /** An admin's confirmation that the PC's clock is right in spite of the offset (audited); null: none. */
  clockConfirmed: null as ClockConfirmation | null,
  demoMode: true,
  /** demo: the built-in SUNAT simulator in-process; beta / production: SUNAT; custom: an OSE's URL. */
  sunatMode: 'demo' as 'demo' | 'beta' | 'production' | 'custom',
  sunatCustomUrl: '',
  /** Daily database copies in <data>/backups are kept this many days. */
  backupRetentionDays: 14,
  /** The ticket printer's system name; '' means the system's default printer. */
  printerName: '',
  /**
   * The terminal's ESC/POS thermal printer (issue 17): tickets go to it as ESC/POS bytes, and it opens the drawer.
   * null: no thermal printer; the ticket's PDF goes to the system printer (`printerName`) as before.
   */
  escposPrinter: null as EscposPrinterSetting | null,
  /** The store's logo on top of every ticket, ESC/POS and PDF (documents/logo.ts: one bit per dot); null: none. */
  ticketLogo: null as TicketLogo | null,
  /** Rate changes announced ahead (e.g. a new IGV from a date); `igvRate`/`icbperRate` apply before the first. */
  taxRateChanges: [] as { tax: 'igv' | 'icbper'; rate: string; from: string }[],
};
export type SettingsShape = typeof DEFAULT_SETTINGS;
export type SettingKey = keyof SettingsShape;

export function getSetting<K extends SettingKey>(db: Db, key: K): SettingsShape[K] {
  // Read on every Api call (session expiry) and every sale (discount limits, store): one cached statement, no query
  // building per read.
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as SettingsShape[K]) : DEFAULT_SETTINGS[key];
}

export function setSetting<K extends SettingKey>(db: Db, key: K, value: SettingsShape[K]): void {
  db.run(
    db.q.insertInto('settings').values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) })),
  );
}

/** The IGV and ICBPER rates in force on a Lima date: the latest announced change on or before it, else the base. */
export function taxRatesOn(db: Db, date: string): { igv: string; icbper: string } {
  const changes = getSetting(db, 'taxRateChanges').filter((c) => c.from <= date).sort((a, b) => a.from.localeCompare(b.from));
  const latest = (tax: 'igv' | 'icbper') => changes.filter((c) => c.tax === tax).pop()?.rate;
  return { igv: latest('igv') ?? getSetting(db, 'igvRate'), icbper: latest('icbper') ?? getSetting(db, 'icbperRate') };
}

/** Settings read with a local default: paperWidth (80 | 58), archiveMonths (6), logRetentionDays (30). */
export const LOCAL_DEFAULTS = { paperWidth: 80 as 80 | 58, archiveMonths: 6, cancelledPdfMonths: 3, logRetentionDays: 30 };
export type LocalSettingKey = keyof typeof LOCAL_DEFAULTS;

export function localSetting<K extends LocalSettingKey>(db: Db, key: K): (typeof LOCAL_DEFAULTS)[K] {
  const row = db.first(db.q.selectFrom('settings').select('value').where('key', '=', key));
  if (!row) return LOCAL_DEFAULTS[key];
  try {
    const v: unknown = JSON.parse(row.value);
    const n = typeof v === 'string' ? Number(v) : v;
    // A hand-edited or corrupt value must not stop printing or the archive: fall back to the default.
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return LOCAL_DEFAULTS[key];
    if (key === 'paperWidth') return (n === 58 ? 58 : 80) as (typeof LOCAL_DEFAULTS)[K];
    return Math.floor(n) as (typeof LOCAL_DEFAULTS)[K];
  } catch {
    return LOCAL_DEFAULTS[key];
  }
}
