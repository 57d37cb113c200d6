// Settings are rows of JSON values; defaults live here so a new database works at once.
import type { Db } from '../db/connection';

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
  /** Discounts above this percent need a supervisor (DESIGN §6). */
  cashierDiscountLimitPercent: '10',
  /** An opening float above this (soles) must be confirmed by the cashier: a mistyped amount is caught at once. */
  openingFloatConfirmAbove: '5000.00',
  demoMode: true,
  /** demo: the built-in SUNAT simulator in-process; beta / production: SUNAT; custom: an OSE's URL. */
  sunatMode: 'demo' as 'demo' | 'beta' | 'production' | 'custom',
  sunatCustomUrl: '',
  /** Daily database copies in <data>/backups are kept this many days. */
  backupRetentionDays: 14,
  /** The ticket printer's system name; '' means the system's default printer. */
  printerName: '',
  /** Rate changes announced ahead (e.g. a new IGV from a date); `igvRate`/`icbperRate` apply before the first. */
  taxRateChanges: [] as { tax: 'igv' | 'icbper'; rate: string; from: string }[],
};
export type SettingsShape = typeof DEFAULT_SETTINGS;
export type SettingKey = keyof SettingsShape;

export function getSetting<K extends SettingKey>(db: Db, key: K): SettingsShape[K] {
  const row = db.first(db.q.selectFrom('settings').select('value').where('key', '=', key));
  return row ? (JSON.parse(row.value) as SettingsShape[K]) : DEFAULT_SETTINGS[key];
}

export function setSetting<K extends SettingKey>(db: Db, key: K, value: SettingsShape[K]): void {
  db.run(
    db.q.insertInto('settings').values({ key, value: JSON.stringify(value) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) })),
  );
}
