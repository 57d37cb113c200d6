// The scheduler (DESIGN §4): node-cron in America/Lima time. Schedules are settings, not code. node-cron keeps no
// state, so each periodic job's last scheduled run is stored: a run missed while the PC was off runs once at start.
// A firing only enqueues a job (idempotency key `name@minute`), so a double firing cannot run it twice.
import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import { enqueue, PRIORITY } from './queue';
import { isHubJobKind, queueHubJob } from '../replication/link';
import { LAST_RUN_PREFIX, lastRun, lastScheduledBefore, readSchedule, TIMEZONE, type ScheduleEntry } from '../db/settings-schedule';

function writeSetting(db: Db, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  db.run(db.q.insertInto('settings').values({ key, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })));
}

export interface DueRun {
  name: string;
  kind: string;
  scheduledFor: Date;
  jobId: number;
}

/**
 * Enqueues every periodic job whose latest scheduled time is after its recorded last run — the catch-up at start
 * and the work of each cron firing are this same function. A first start records "now" without running (the hub's
 * jobs run from it).
 * The enqueue and the record commit together.
 */
export function runDue(db: Db, now: Date): DueRun[] {
  const out: DueRun[] = [];
  db.tx(() => {
    for (const [name, e] of Object.entries(readSchedule(db))) {
      const prev = lastScheduledBefore(e.cron, now);
      const last = lastRun(db, name);
      // The hub's sync is not a task to catch up but "look every minute": it runs from the first firing after an
      // enrolment (a first firing that only recorded made a price changed on the hub wait up to two minutes).
      const hub = isHubJobKind(e.kind);
      const due = prev ?? now;
      if (last ? !prev || prev.getTime() <= last.getTime() : !hub) {
        if (!last) writeSetting(db, LAST_RUN_PREFIX + name, due.toISOString());
        continue;
      }
      // Several missed firings collapse into one run; the hub's jobs wait one at a time (one already waiting is it).
      const jobId = isHubJobKind(e.kind)
        ? queueHubJob(db, now, e.kind)
        : enqueue(db, now, { kind: e.kind, idempotencyKey: `${name}@${due.toISOString()}`, priority: PRIORITY.normal, payload: { scheduledFor: due.toISOString(), schedule: name } });
      writeSetting(db, LAST_RUN_PREFIX + name, due.toISOString());
      if (jobId !== null) out.push({ name, kind: e.kind, scheduledFor: due, jobId });
    }
  });
  return out;
}

export interface Scheduler {
  start(): DueRun[];
  stop(): void;
  /** Runs what is due now (a cron firing; tests with a fake clock call it directly). */
  check(): DueRun[];
  /**
   * Re-reads the schedule and, when it changed (an admin edited a cron or turned a job off), replaces the cron
   * tasks. The scheduler calls it by itself every `watchMs`, so a change made by any process is picked up.
   */
  refresh(): boolean;
  /** The cron expressions the running scheduler fires on. */
  expressions(): string[];
}

export function createScheduler(opts: { db: Db; clock: Clock; onEnqueued?: (runs: DueRun[]) => void; watchMs?: number }): Scheduler {
  let tasks: ScheduledTask[] = [];
  let exprs: string[] = [];
  let loaded: string | null = null;
  let watch: NodeJS.Timeout | null = null;
  const check = (): DueRun[] => {
    let runs: DueRun[] = [];
    try {
      runs = runDue(opts.db, opts.clock.now());
    } catch {
      return []; // a locked database: the next firing or start catches up
    }
    if (runs.length > 0) opts.onEnqueued?.(runs);
    return runs;
  };
  const unschedule = () => {
    for (const t of tasks) void t.stop();
    tasks = [];
    exprs = [];
  };
  const schedule = (table: Record<string, ScheduleEntry>) => {
    unschedule();
    loaded = JSON.stringify(table);
    // A firing runs everything due (runDue reads the table again), so one task per distinct expression is enough.
    exprs = [...new Set(Object.values(table).map((e) => e.cron.trim()))].filter((expr) => cron.validate(expr));
    for (const expr of exprs) tasks.push(cron.schedule(expr, () => void check(), { timezone: TIMEZONE }));
  };
  const refresh = (): boolean => {
    if (loaded === null) return false; // not started
    let table: Record<string, ScheduleEntry>;
    try {
      table = readSchedule(opts.db);
    } catch {
      return false; // busy or closed database: the next look
    }
    if (JSON.stringify(table) === loaded) return false;
    schedule(table);
    return true;
  };
  return {
    check,
    refresh,
    expressions: () => [...exprs],
    start() {
      const runs = check(); // catch-up of runs missed while the PC was off
      schedule(readSchedule(opts.db));
      watch = setInterval(refresh, opts.watchMs ?? 2_000);
      watch.unref?.();
      return runs;
    },
    stop() {
      if (watch) clearInterval(watch);
      watch = null;
      unschedule();
      loaded = null;
    },
  };
}
