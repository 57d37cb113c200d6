// The settings an administrator changes: every key validated before anything is written, all written in one
// transaction, each change audited with its old and new value — except secrets (the SOL password), which are stored
// encrypted and audited as "changed" only, and never returned by a read. Who may change them is the POS's rule
// (pos/admin.ts updateSettings).
import { sql } from 'kysely';
import type { Db } from './connection';
import type { SecretStore } from '../secrets';
import { ApiError } from '../../src-shared/contract';
import { Dec } from '../../src-shared/decimal';
import { rucError } from '../../src-shared/identity';
import { formatDatePe, isIsoDate, limaDate } from '../../src-shared/time';
import { cronError, DEFAULT_SCHEDULE, enrolledInHub, lastRun, nextScheduledAfter } from './settings-schedule';
import { audit } from './audit';
import { getSetting, LOCAL_DEFAULTS, localSetting, setSetting, taxRatesOn, type SettingKey, type SettingsShape, type StoreSettings } from './settings';
import { storedCredentials, type StoredCredentials } from './settings-credentials';
import { BAD_PRINTER_URI, CODE_PAGES, printerTargetOf, type EscposPrinterSetting } from '../../src-shared/printer';
import { hubOwnerUrl } from './hub-owned';
import { hubOwnedMessage, type HubOwned } from '../../src-shared/hub-owned';

export type SunatMode = SettingsShape['sunatMode'];
const SUNAT_MODES: SunatMode[] = ['demo', 'beta', 'production', 'custom'];

export interface SettingsPatch {
  store?: Partial<StoreSettings>;
  terminalId?: string;
  /** This terminal's series (one per terminal so offline terminals never collide). */
  series?: { boleta?: string; factura?: string };
  sunat?: { mode?: SunatMode; customUrl?: string; solUser?: string; solPassword?: string };
  /** `escpos`: the thermal printer (null: none, the system printer prints the PDF). */
  printer?: { name?: string; paperWidth?: 80 | 58; escpos?: EscposPrinterSetting | null };
  /** A new rate from a date (today or absent: at once; an earlier date is refused: past sales keep their rate). */
  igvRate?: { rate: string; from?: string };
  icbperRate?: { rate: string; from?: string };
  /** Withdraws a change announced for a later date (one already in force is history and stays). */
  cancelTaxRateChange?: { tax: 'igv' | 'icbper'; from: string };
  /** By schedule name (see jobs/schedule.ts): a new cron expression or on/off. */
  schedule?: Record<string, { cron?: string; enabled?: boolean }>;
  logRetentionDays?: number;
  archiveMonths?: number;
  backupRetentionDays?: number;
  cashierDiscountLimitPercent?: string;
  supervisorDiscountLimitPercent?: string;
  /** Soles, as the contract writes money ("5000.00"): a larger opening float asks the cashier to confirm. */
  openingFloatConfirmAbove?: string;
  /** Minutes without use before the POS locks (0 = never). */
  autoLockMinutes?: number;
  /** A shared drawer per terminal or one per cashier; drawers already open stay in use until they are closed. */
  cashDrawerMode?: SettingsShape['cashDrawerMode'];
  /** Reprints of one document a cashier may make (0–20); beyond them a supervisor or an admin reprints. */
  maxReprints?: number;
}

export interface Issue {
  path: string;
  message: string;
}

/** What an admin screen shows; the SOL password is never read back, only whether there is one. */
export interface SettingsView {
  store: StoreSettings;
  terminalId: string;
  series: { boleta: string | null; factura: string | null };
  sunat: { mode: SunatMode; customUrl: string; solUser: string; hasPassword: boolean };
  printer: { name: string; paperWidth: 80 | 58; escpos: EscposPrinterSetting | null };
  /** The base rates: in force before the first dated change. */
  igvRate: string;
  icbperRate: string;
  taxRateChanges: SettingsShape['taxRateChanges'];
  /** Lima's date when the view was read, and the rates in force on it (what a sale rung up now uses). */
  today: string;
  ratesToday: { igv: string; icbper: string };
  /** By schedule name; `nextRun` is null when the job is off. */
  schedule: Record<string, { kind: string; cron: string; enabled: boolean; nextRun: string | null; lastRun: string | null }>;
  logRetentionDays: number;
  archiveMonths: number;
  backupRetentionDays: number;
  cashierDiscountLimitPercent: string;
  supervisorDiscountLimitPercent: string;
  openingFloatConfirmAbove: string;
  autoLockMinutes: number;
  cashDrawerMode: SettingsShape['cashDrawerMode'];
  maxReprints: number;
  demoMode: boolean;
}

const SERIES_RE = { '03': /^B[A-Z0-9]{3}$/, '01': /^F[A-Z0-9]{3}$/ } as const;
const DOC_NAME = { '03': 'boleta', '01': 'factura' } as const;

function seriesOf(db: Db, terminalId: string, docType: '01' | '03'): string | null {
  return db.first(db.q.selectFrom('series').select('series').where('terminal_id', '=', terminalId).where('document_type', '=', docType))?.series ?? null;
}

/** A series has issued numbers once its counter moved or any sale or document carries it. */
function seriesUsed(db: Db, series: string): boolean {
  const one = sql.lit(1).as('one');
  return !!db.first(
    db.q.selectFrom('series').select(one).where('series', '=', series).where('next_number', '>', 1)
      .unionAll(db.q.selectFrom('sales').select(one).where('series', '=', series))
      .unionAll(db.q.selectFrom('documents').select(one).where('series', '=', series))
      .limit(1),
  );
}

export function readSettings(db: Db, now: Date = new Date()): SettingsView {
  const terminalId = getSetting(db, 'terminalId');
  const cred = storedCredentials(db);
  const schedule: SettingsView['schedule'] = {};
  const stored = storedSchedule(db);
  const enrolled = enrolledInHub(db);
  for (const name of new Set([...Object.keys(DEFAULT_SCHEDULE), ...Object.keys(stored)])) {
    const e = { ...DEFAULT_SCHEDULE[name], ...stored[name] };
    if (!e.kind || !e.cron || (DEFAULT_SCHEDULE[name]?.enrolledOnly && !enrolled)) continue;
    const enabled = e.enabled !== false;
    const next = enabled && !cronError(e.cron) ? nextScheduledAfter(e.cron, now) : null;
    schedule[name] = { kind: e.kind, cron: e.cron, enabled, nextRun: next?.toISOString() ?? null, lastRun: lastRun(db, name)?.toISOString() ?? null };
  }
  const today = limaDate(now);
  return {
    store: getSetting(db, 'store'),
    terminalId,
    series: { boleta: seriesOf(db, terminalId, '03'), factura: seriesOf(db, terminalId, '01') },
    sunat: { mode: getSetting(db, 'sunatMode'), customUrl: getSetting(db, 'sunatCustomUrl'), solUser: cred.solUser ?? '', hasPassword: !!(cred.solPasswordSealed || cred.solPassword) },
    printer: { name: getSetting(db, 'printerName'), paperWidth: localSetting(db, 'paperWidth'), escpos: getSetting(db, 'escposPrinter') },
    igvRate: getSetting(db, 'igvRate'),
    icbperRate: getSetting(db, 'icbperRate'),
    taxRateChanges: getSetting(db, 'taxRateChanges'),
    today,
    ratesToday: taxRatesOn(db, today),
    schedule,
    logRetentionDays: localSetting(db, 'logRetentionDays'),
    archiveMonths: localSetting(db, 'archiveMonths'),
    backupRetentionDays: getSetting(db, 'backupRetentionDays'),
    cashierDiscountLimitPercent: getSetting(db, 'cashierDiscountLimitPercent'),
    supervisorDiscountLimitPercent: getSetting(db, 'supervisorDiscountLimitPercent'),
    openingFloatConfirmAbove: getSetting(db, 'openingFloatConfirmAbove'),
    autoLockMinutes: getSetting(db, 'autoLockMinutes'),
    cashDrawerMode: getSetting(db, 'cashDrawerMode'),
    maxReprints: getSetting(db, 'maxReprints'),
    demoMode: getSetting(db, 'demoMode'),
  };
}

/** One validated write: `apply` runs inside the transaction; `audit` is what the audit log keeps. */
interface Write {
  key: string;
  apply: () => void;
  old: unknown;
  new: unknown;
  secret?: boolean;
}

export interface SettingsPlan {
  issues: Issue[];
  writes: Write[];
}

/**
 * The settings the hub owns once this till is enrolled (issue 16 item 4), by the patch key that changes them: the
 * store's data, its tax rates and its rules. The hub sends only these (replication/pull.ts takes no other); here they
 * are refused to a local change. Everything else is this PC's own: its terminal id, SUNAT mode and credentials,
 * printer, schedule, retention. The series are the till's, but the hub allocates them: refused locally too.
 */
export const HUB_SETTINGS: ReadonlySet<string> = new Set([
  'store', 'igvRate', 'icbperRate', 'cancelTaxRateChange', 'cashierDiscountLimitPercent', 'supervisorDiscountLimitPercent',
  'openingFloatConfirmAbove', 'autoLockMinutes', 'cashDrawerMode', 'maxReprints',
]);

/** What a write of the plan changes that the hub owns (by the write's key), or null. */
function hubOwnedWrite(key: string): HubOwned | null {
  if (key === 'store') return 'store';
  if (key === 'taxRateChanges') return 'taxes';
  if (key.startsWith('series.')) return 'series';
  return HUB_SETTINGS.has(key) ? 'rules' : null;
}

/**
 * Validates a patch against the database as it is now; writes nothing. `source` 'hub': a change the hub sent (pull);
 * otherwise a local one, which may not change what the hub owns while this till is enrolled (an unchanged value
 * sent along, as the settings screen does, is no change and passes).
 */
export function planSettings(db: Db, secrets: SecretStore | null, now: Date, patch: SettingsPatch, source: 'local' | 'hub' = 'local'): SettingsPlan {
  const issues: Issue[] = [];
  const writes: Write[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  const set = <K extends SettingKey>(key: K, value: SettingsShape[K]) => {
    const old = getSetting(db, key);
    if (JSON.stringify(old) !== JSON.stringify(value)) writes.push({ key, old, new: value, apply: () => setSetting(db, key, value) });
  };
  const setLocal = (key: keyof typeof LOCAL_DEFAULTS, value: number) => {
    const old = localSetting(db, key);
    if (old !== value) writes.push({ key, old, new: value, apply: () => writeRaw(db, key, value) });
  };
  const today = limaDate(now);

  if (patch.store) {
    const cur = getSetting(db, 'store');
    const s: StoreSettings = { ...cur, ...trimAll(patch.store) };
    s.legalName = s.legalName.toUpperCase();
    const rucProblem = rucError(s.ruc);
    if (rucProblem) bad('store.ruc', rucProblem);
    else if (s.ruc !== cur.ruc && hasDocuments(db)) bad('store.ruc', 'El RUC no se puede cambiar después de emitir comprobantes; para otra empresa use una carpeta de datos nueva.');
    if (s.legalName.length < 3 || s.legalName.length > 200) bad('store.legalName', 'La razón social es obligatoria (3 a 200 caracteres), tal como figura en SUNAT.');
    if (s.tradeName.length < 1 || s.tradeName.length > 100) bad('store.tradeName', 'El nombre comercial es obligatorio (hasta 100 caracteres).');
    if (s.address.length < 5 || s.address.length > 200) bad('store.address', 'La dirección fiscal es obligatoria (5 a 200 caracteres).');
    if (!/^\d{6}$/.test(s.ubigeo)) bad('store.ubigeo', 'El ubigeo debe tener 6 dígitos (p. ej. 150122 para Miraflores, Lima).');
    if (!/^\d{4}$/.test(s.establishmentCode)) bad('store.establishmentCode', 'El código de establecimiento debe tener 4 dígitos (0000 para el domicilio fiscal).');
    set('store', s);
  }

  const oldTerminal = getSetting(db, 'terminalId');
  let terminalId = oldTerminal;
  if (patch.terminalId !== undefined) {
    const t = patch.terminalId.trim().toUpperCase();
    if (!/^[A-Z0-9-]{1,20}$/.test(t)) bad('terminalId', 'El identificador de la caja debe tener hasta 20 letras, números o guiones (p. ej. CAJA-01).');
    else if (t !== oldTerminal) {
      if (db.first(db.q.selectFrom('cash_sessions').select('id').where('terminal_id', '=', oldTerminal).where('closed_at', 'is', null))) bad('terminalId', 'Cierre la caja antes de cambiar el identificador de la terminal.');
      else if (db.first(db.q.selectFrom('series').select('id').where('terminal_id', '=', t))) bad('terminalId', `Ya hay series registradas para la terminal ${t}.`);
      else {
        terminalId = t;
        // The series move with the terminal: its numbering continues, it never restarts.
        writes.push({ key: 'terminalId', old: oldTerminal, new: t, apply: () => {
          db.run(db.q.updateTable('series').set({ terminal_id: t }).where('terminal_id', '=', oldTerminal));
          setSetting(db, 'terminalId', t);
        } });
      }
    }
  }

  if (patch.series) {
    const requested: [('01' | '03'), string | undefined][] = [['03', patch.series.boleta], ['01', patch.series.factura]];
    const chosen = new Set<string>();
    for (const [docType, value] of requested) {
      if (value === undefined) continue;
      const path = `series.${DOC_NAME[docType]}`;
      const s = value.trim().toUpperCase();
      const current = seriesOf(db, oldTerminal, docType);
      if (!SERIES_RE[docType].test(s)) {
        bad(path, `La serie de ${DOC_NAME[docType]} debe ser ${docType === '03' ? 'B' : 'F'} seguida de 3 letras o números (p. ej. ${docType === '03' ? 'B001' : 'F001'}).`);
        continue;
      }
      if (s === current) continue;
      if (current && seriesUsed(db, current)) bad(path, `La serie ${current} ya emitió comprobantes y no se puede cambiar.`);
      else if (chosen.has(s) || db.first(db.q.selectFrom('series').select('id').where('series', '=', s)) || seriesUsed(db, s)) bad(path, `La serie ${s} ya está asignada a otra caja o ya se usó.`);
      else {
        chosen.add(s);
        writes.push({ key: `series.${docType}`, old: current, new: s, apply: () => upsertSeries(db, terminalId, docType, s) });
      }
    }
  }

  if (patch.sunat) {
    const mode = patch.sunat.mode ?? getSetting(db, 'sunatMode');
    if (!SUNAT_MODES.includes(mode)) bad('sunat.mode', 'Modo SUNAT no válido (demo, beta, production o custom).');
    else set('sunatMode', mode);
    const url = (patch.sunat.customUrl ?? getSetting(db, 'sunatCustomUrl')).trim();
    if (mode === 'custom' && !serviceUrlOk(url)) bad('sunat.customUrl', 'Indique la dirección https del servicio de su OSE (p. ej. https://ose.ejemplo.pe/ol-ti-itcpe/billService).');
    else if (patch.sunat.customUrl !== undefined) set('sunatCustomUrl', url);
    const cred = storedCredentials(db);
    const solUser = patch.sunat.solUser?.trim().toUpperCase();
    if (solUser !== undefined && !/^[A-Z0-9]{3,8}$/.test(solUser)) bad('sunat.solUser', 'El usuario SOL tiene de 3 a 8 letras o números (p. ej. MODDATOS).');
    const pw = patch.sunat.solPassword;
    if (pw !== undefined && (pw.length < 1 || pw.length > 50)) bad('sunat.solPassword', 'La clave SOL no puede estar vacía (hasta 50 caracteres).');
    if (pw !== undefined && !secrets) bad('sunat.solPassword', 'No hay dónde guardar la clave SOL cifrada en este equipo.');
    if ((mode === 'production' || mode === 'custom') && !(solUser ?? cred.solUser)) bad('sunat.solUser', 'Indique el usuario SOL para enviar a SUNAT.');
    if ((mode === 'production' || mode === 'custom') && pw === undefined && !cred.solPasswordSealed && !cred.solPassword) bad('sunat.solPassword', 'Indique la clave SOL para enviar a SUNAT.');
    if ((solUser !== undefined && solUser !== cred.solUser) || pw !== undefined) {
      const nextUser = solUser ?? cred.solUser ?? '';
      writes.push({
        key: 'sunatCredentials', old: cred.solUser ?? null, new: nextUser, secret: pw !== undefined,
        apply: () => {
          const sealed = pw !== undefined ? Buffer.from(secrets!.encrypt(Buffer.from(pw, 'utf8'))).toString('base64') : cred.solPasswordSealed;
          const value: StoredCredentials = { solUser: nextUser, ...(sealed ? { solPasswordSealed: sealed } : {}) };
          writeRaw(db, 'sunatCredentials', value);
        },
      });
    }
  }

  if (patch.printer) {
    if (patch.printer.name !== undefined) {
      const name = patch.printer.name.trim();
      if (name.length > 200) bad('printer.name', 'El nombre de la impresora es demasiado largo.');
      else set('printerName', name);
    }
    if (patch.printer.paperWidth !== undefined) {
      if (patch.printer.paperWidth !== 80 && patch.printer.paperWidth !== 58) bad('printer.paperWidth', 'El ancho del papel debe ser 80 o 58 mm.');
      else setLocal('paperWidth', patch.printer.paperWidth);
    }
    const e = patch.printer.escpos;
    if (e === null) set('escposPrinter', null);
    else if (e !== undefined) {
      const uri = e.uri.trim();
      if (!printerTargetOf(uri)) bad('printer.escpos.uri', BAD_PRINTER_URI(uri));
      else if (!CODE_PAGES.includes(e.codePage)) bad('printer.escpos.codePage', 'La página de códigos debe ser PC850 o WPC1252.');
      else if (e.qr !== 'native' && e.qr !== 'raster') bad('printer.escpos.qr', 'El QR se imprime con el comando de la impresora o como imagen.');
      else if (e.cut !== 'full' && e.cut !== 'partial') bad('printer.escpos.cut', 'El corte es total o parcial.');
      else set('escposPrinter', { uri, codePage: e.codePage, qr: e.qr, cut: e.cut });
    }
  }

  const changes = [...getSetting(db, 'taxRateChanges')];
  let changesTouched = false;
  for (const [tax, key, p] of [['igv', 'igvRate', patch.igvRate], ['icbper', 'icbperRate', patch.icbperRate]] as const) {
    if (!p) continue;
    const rate = p.rate.trim();
    const from = p.from ?? today;
    const ok = tax === 'igv'
      ? /^0\.\d{1,4}$/.test(rate) && Dec.of(rate).gt(0)
      : /^\d{1,2}(\.\d{1,2})?$/.test(rate);
    if (!ok) bad(`${key}.rate`, tax === 'igv' ? 'La tasa del IGV se escribe como fracción, p. ej. 0.18.' : 'El ICBPER se escribe en soles por bolsa, p. ej. 0.50.');
    else if (!isIsoDate(from)) bad(`${key}.from`, 'La fecha de inicio debe ser AAAA-MM-DD.');
    else if (from < today) bad(`${key}.from`, `La fecha de inicio no puede ser anterior a hoy (${formatDatePe(today)}): las ventas ya registradas conservan su tasa.`);
    else if (from === today) {
      // "At once" is a change from today, never a new base rate: the base applies to every earlier day, and a sale
      // of an earlier day that is still unsigned (no certificate yet) must be signed with the rates it was sold at.
      const i = changes.findIndex((c) => c.tax === tax && c.from === today);
      if (i >= 0) changes.splice(i, 1);
      changes.push({ tax, rate, from: today });
      changesTouched = true;
    } else {
      // Announced ahead: applies from its date (taxRatesOn), replacing any change already set for that day.
      const i = changes.findIndex((c) => c.tax === tax && c.from === from);
      if (i >= 0) changes.splice(i, 1);
      changes.push({ tax, rate, from });
      changesTouched = true;
    }
  }
  if (patch.cancelTaxRateChange) {
    const { tax, from } = patch.cancelTaxRateChange;
    const i = changes.findIndex((c) => c.tax === tax && c.from === from);
    if (i < 0) bad('cancelTaxRateChange', `No hay un cambio de ${tax === 'igv' ? 'IGV' : 'ICBPER'} programado para el ${isIsoDate(from) ? formatDatePe(from) : from}.`);
    else if (from <= today) bad('cancelTaxRateChange', 'Ese cambio ya está en vigor y queda como historial; para otra tasa registre un cambio nuevo.');
    else {
      changes.splice(i, 1);
      changesTouched = true;
    }
  }
  if (changesTouched) set('taxRateChanges', changes.sort((a, b) => a.from.localeCompare(b.from)));

  if (patch.schedule) {
    const stored = storedSchedule(db);
    const next = structuredClone(stored);
    for (const [name, e] of Object.entries(patch.schedule)) {
      if (!DEFAULT_SCHEDULE[name] && !stored[name]?.kind) {
        bad(`schedule.${name}`, `No existe la tarea programada "${name}".`);
        continue;
      }
      if (e.cron !== undefined) {
        if (!cronError(e.cron)) next[name] = { ...next[name], cron: e.cron.trim() };
        else bad(`schedule.${name}`, `Horario no válido: "${e.cron}". Use una expresión cron de 5 campos (minuto hora día mes día-de-la-semana), p. ej. "0 23 * * *" (todos los días a las 23:00).`);
      }
      if (e.enabled !== undefined) next[name] = { ...next[name], enabled: e.enabled };
    }
    if (JSON.stringify(next) !== JSON.stringify(stored)) writes.push({ key: 'schedule', old: stored, new: next, apply: () => writeRaw(db, 'schedule', next) });
  }

  const days = (path: string, v: number | undefined, max: number, what: string, apply: (n: number) => void) => {
    if (v === undefined) return;
    if (!Number.isInteger(v) || v < 1 || v > max) bad(path, `${what} debe ser un número entero entre 1 y ${max}.`);
    else apply(v);
  };
  days('logRetentionDays', patch.logRetentionDays, 3650, 'Los días que se guardan los registros', (n) => setLocal('logRetentionDays', n));
  days('archiveMonths', patch.archiveMonths, 120, 'Los meses antes de archivar', (n) => setLocal('archiveMonths', n));
  days('backupRetentionDays', patch.backupRetentionDays, 365, 'Los días que se guardan las copias de seguridad', (n) => set('backupRetentionDays', n));
  for (const key of ['cashierDiscountLimitPercent', 'supervisorDiscountLimitPercent'] as const) {
    if (patch[key] === undefined) continue;
    const v = patch[key].trim().replace(',', '.').replace(/\s*%$/, '');
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(v) || Dec.of(v).gt(100)) bad(key, 'El límite de descuento es un porcentaje entre 0 y 100.');
    else set(key, Dec.of(v).toString());
  }
  if (patch.openingFloatConfirmAbove !== undefined) {
    const v = patch.openingFloatConfirmAbove.trim();
    if (!/^\d{1,9}(\.\d{1,2})?$/.test(v) || !Dec.of(v).gt(0)) bad('openingFloatConfirmAbove', 'El fondo inicial que pide confirmación es un monto en soles mayor que cero, p. ej. 5000.');
    else set('openingFloatConfirmAbove', Dec.of(v).toFixed(2));
  }
  if (patch.autoLockMinutes !== undefined) {
    const v = patch.autoLockMinutes;
    if (!Number.isInteger(v) || v < 0 || v > MAX_AUTO_LOCK_MINUTES) bad('autoLockMinutes', `El bloqueo automático es un número entero de minutos entre 1 y ${MAX_AUTO_LOCK_MINUTES} (0 para no bloquear nunca).`);
    else set('autoLockMinutes', v);
  }
  if (patch.cashDrawerMode !== undefined) {
    if (patch.cashDrawerMode !== 'shared' && patch.cashDrawerMode !== 'perCashier') bad('cashDrawerMode', 'El modo de caja es "Cajón compartido" o "Un cajón por cajero".');
    else set('cashDrawerMode', patch.cashDrawerMode);
  }
  if (patch.maxReprints !== undefined) {
    const v = patch.maxReprints;
    if (!Number.isInteger(v) || v < 0 || v > 20) bad('maxReprints', 'Las reimpresiones que puede hacer un cajero son un número entero entre 0 y 20 (0: solo un supervisor reimprime).');
    else set('maxReprints', v);
  }
  const hubUrl = source === 'local' ? hubOwnerUrl(db) : null;
  if (hubUrl !== null) {
    const told = new Set<HubOwned>();
    for (const w of writes) {
      const owned = hubOwnedWrite(w.key);
      if (!owned || told.has(owned)) continue;
      told.add(owned);
      const path = owned === 'series' ? `series.${DOC_NAME[w.key.slice(7) as '01' | '03']}`
        : owned === 'taxes' ? (['igvRate', 'icbperRate', 'cancelTaxRateChange'] as const).find((k) => patch[k] !== undefined)!
          : w.key;
      bad(path, hubOwnedMessage(hubUrl, owned));
    }
  }
  return { issues, writes };
}

/** The longest idle time before the POS locks that the store may choose (8 hours). */
export const MAX_AUTO_LOCK_MINUTES = 480;

/** Writes a plan's changes and their audit entries; call inside a transaction. */
export function applySettingsPlan(db: Db, at: Date, userId: number, plan: SettingsPlan): void {
  for (const w of plan.writes) {
    w.apply();
    audit(db, at, userId, 'settings.update', 'setting', w.key, w.secret ? { old: w.old, new: w.new, solPassword: 'changed' } : { old: w.old, new: w.new });
  }
}

export function invalidSettings(issues: Issue[]): ApiError {
  return new ApiError('invalid_input', issues.map((i) => i.message).join(' '), issues);
}

function storedSchedule(db: Db): Record<string, { kind?: string; cron?: string; enabled?: boolean }> {
  const row = db.first(db.q.selectFrom('settings').select('value').where('key', '=', 'schedule'));
  return row ? (JSON.parse(row.value) as Record<string, { kind?: string; cron?: string; enabled?: boolean }>) : {};
}

function hasDocuments(db: Db): boolean {
  return !!db.first(db.q.selectFrom('documents').select('id').limit(1));
}

function upsertSeries(db: Db, terminalId: string, docType: '01' | '03', series: string): void {
  const changed = db.run(db.q.updateTable('series').set({ series }).where('terminal_id', '=', terminalId).where('document_type', '=', docType)).changes;
  if (changed === 0) db.run(db.q.insertInto('series').values({ terminal_id: terminalId, document_type: docType, series, next_number: 1 }));
}

function writeRaw(db: Db, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  db.run(db.q.insertInto('settings').values({ key, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })));
}

function serviceUrlOk(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost'));
}

function trimAll<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])) as T;
}

