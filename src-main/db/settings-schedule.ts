// The schedule table (DESIGN §4: schedules are settings, not code) and the cron expressions it holds, read in Lima
// time: the admin's change validates them here and the scheduler (jobs/schedule.ts) fires on them.
import cron from 'node-cron';
import type { Db } from './connection';

export const TIMEZONE = 'America/Lima';
/** Peru has kept UTC−5 without daylight saving since 1994. */
const LIMA_OFFSET_MS = -5 * 60 * 60_000;

export interface ScheduleEntry {
  /** Job kind enqueued when it fires. */
  kind: string;
  cron: string;
  enabled?: boolean;
  /** Only on a till enrolled in a hub (migration 016 `hub_link`): elsewhere it is not listed and never fires. */
  enrolledOnly?: boolean;
}

export const DEFAULT_SCHEDULE: Record<string, ScheduleEntry> = {
  retry_failed: { kind: 'sunat.retry_failed', cron: '*/30 * * * *' },
  'report.daily': { kind: 'report.daily', cron: '0 23 * * *' },
  'files.archive': { kind: 'files.archive', cron: '0 2 * * 0' },
  // After the day's report; a backup missed while the PC was off runs at the next start.
  'db.backup': { kind: 'db.backup', cron: '30 23 * * *' },
  // The hub (issue 16): one push and one pull waiting at most (replication/link.ts queueHubJob); a sale queues one too.
  'hub.push': { kind: 'hub.push', cron: '* * * * *', enrolledOnly: true },
  'hub.pull': { kind: 'hub.pull', cron: '* * * * *', enrolledOnly: true },
};

/** Whether this till joined a hub: the hub's schedule entries exist only then. */
export function enrolledInHub(db: Db): boolean {
  return !!db.prepare('SELECT 1 FROM hub_link WHERE id = 1').get();
}

const SCHEDULE_KEY = 'schedule';
/** Each schedule's last run is its own settings row (the scheduler writes it, the admin view reads it). */
export const LAST_RUN_PREFIX = 'schedule.lastRun.';

function readSetting<T>(db: Db, key: string): T | undefined {
  const row = db.first(db.q.selectFrom('settings').select('value').where('key', '=', key));
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** The schedule table: settings key 'schedule' (merged over the defaults; `enabled: false` turns one off). */
export function readSchedule(db: Db): Record<string, ScheduleEntry> {
  const stored = readSetting<Record<string, Partial<ScheduleEntry>>>(db, SCHEDULE_KEY) ?? {};
  const out: Record<string, ScheduleEntry> = {};
  const enrolled = enrolledInHub(db);
  for (const name of new Set([...Object.keys(DEFAULT_SCHEDULE), ...Object.keys(stored)])) {
    const e = { ...DEFAULT_SCHEDULE[name], ...stored[name] } as ScheduleEntry;
    if (e.enrolledOnly && !enrolled) continue;
    if (e.kind && e.cron && e.enabled !== false) out[name] = e;
  }
  return out;
}

export function lastRun(db: Db, name: string): Date | null {
  const v = readSetting<string>(db, LAST_RUN_PREFIX + name);
  return v ? new Date(v) : null;
}

// ---- cron expressions (5 fields: minute hour day-of-month month day-of-week) ----

interface CronSpec {
  minute: Set<number>; hour: Set<number>; dom: Set<number>; month: Set<number>; dow: Set<number>;
  domStar: boolean; dowStar: boolean;
}

const NAMES: Record<string, number> = {
  sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6,
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function parseField(text: string, min: number, max: number): Set<number> {
  const out = new Set<number>();
  const num = (s: string) => {
    const n = NAMES[s.toLowerCase()] ?? Number(s);
    if (!Number.isInteger(n)) throw new Error(`expresión cron no válida: ${text}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`expresión cron no válida: ${text}`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map(num) as [number, number];
    else {
      lo = num(range);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`expresión cron fuera de rango: ${text}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): CronSpec {
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) throw new Error(`expresión cron no válida (se esperan 5 campos): ${expr}`);
  const dow = parseField(f[4], 0, 7);
  if (dow.has(7)) dow.add(0);
  return {
    minute: parseField(f[0], 0, 59), hour: parseField(f[1], 0, 23), dom: parseField(f[2], 1, 31),
    month: parseField(f[3], 1, 12), dow, domStar: f[2] === '*', dowStar: f[4] === '*',
  };
}

/** Why `expr` cannot be a schedule, in Spanish, or null when both our parser and node-cron (which fires it) accept it. */
export function cronError(expr: string): string | null {
  try {
    parseCron(expr);
  } catch (e) {
    return (e as Error).message;
  }
  return cron.validate(expr.trim()) ? null : `expresión cron no válida: ${expr}`;
}

function matches(spec: CronSpec, limaMs: number): boolean {
  const d = new Date(limaMs); // read with UTC getters: the fields are Lima's wall clock
  if (!spec.minute.has(d.getUTCMinutes()) || !spec.hour.has(d.getUTCHours()) || !spec.month.has(d.getUTCMonth() + 1)) return false;
  const dom = spec.dom.has(d.getUTCDate());
  const dow = spec.dow.has(d.getUTCDay());
  // Classic cron: when both day fields are restricted, either one matching is enough.
  if (!spec.domStar && !spec.dowStar) return dom || dow;
  return dom && dow;
}

/** The latest time ≤ `now` (to the minute) at which `expr` fires in Lima, looking back at most `horizonDays`. */
export function lastScheduledBefore(expr: string, now: Date, horizonDays = 400): Date | null {
  const spec = parseCron(expr);
  let t = Math.floor((now.getTime() + LIMA_OFFSET_MS) / 60_000) * 60_000;
  const stop = t - horizonDays * 86_400_000;
  for (; t >= stop; t -= 60_000) if (matches(spec, t)) return new Date(t - LIMA_OFFSET_MS);
  return null;
}

/** The next time > `after` at which `expr` fires in Lima. */
export function nextScheduledAfter(expr: string, after: Date, horizonDays = 400): Date | null {
  const spec = parseCron(expr);
  let t = Math.floor((after.getTime() + LIMA_OFFSET_MS) / 60_000) * 60_000 + 60_000;
  const stop = t + horizonDays * 86_400_000;
  for (; t <= stop; t += 60_000) if (matches(spec, t)) return new Date(t - LIMA_OFFSET_MS);
  return null;
}
