// Keeps the clock check fresh (issue 17 item 5) between SUNAT's answers, which measure it too (jobs/sunat-clients.ts):
// - now and every 15 minutes, one GET of the current target's WSDL reads the HTTP `Date` (only a trusted target:
//   SUNAT or an OSE, never the simulator or a URL given by hand);
// - every 30 s it compares how far the PC's clock moved with a monotonic clock: a clock set by hand (the admin fixing
//   it, or a jump to 2019) moves the kept offset by the same amount at once, even offline, and asks for a measurement.
import http from 'node:http';
import https from 'node:https';
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import { getSetting } from '../db/settings';
import { clockStatus, recordClockObservation, recordHttpDate } from '../db/settings-clock';
import type { ClockVerdict } from '../../src-shared/clock-trust';
import type { SunatTarget } from './target';

/** Targets whose answers carry a time worth trusting: SUNAT and an OSE, never the simulator nor a URL given by hand. */
export const TRUSTED_TIME_TARGETS: readonly SunatTarget['kind'][] = ['beta', 'production', 'custom'];
export const MEASURE_EVERY_MS = 15 * 60_000;
export const JUMP_CHECK_MS = 30_000;
/** A wall-clock move this far from the monotonic one is a clock set by hand, not drift. */
export const JUMP_MS = 30_000;

/** The `Date` header of one GET (null: no answer, no header). TLS verification is never turned off. */
export function fetchHttpDate(url: string, timeoutMs = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { timeout: timeoutMs, rejectUnauthorized: true }, (res) => {
      res.resume();
      resolve(typeof res.headers.date === 'string' ? res.headers.date : null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

export interface ClockWatchDeps {
  db: Db;
  clock: Clock;
  /** The target of this moment (the runtime's). */
  target(): SunatTarget;
  /** Told when the verdict may have changed (the status bar). */
  changed(): void;
}

export interface ClockWatch {
  /** Measures against the current target now; the verdict after it (unchanged when nothing trusted answered). */
  measure(): Promise<ClockVerdict>;
  stop(): void;
}

export function startClockWatch(deps: ClockWatchDeps, opts: { measureEveryMs?: number; jumpCheckMs?: number } = {}): ClockWatch {
  let stopped = false;
  const measure = async (): Promise<ClockVerdict> => {
    let target: SunatTarget;
    try {
      target = deps.target();
    } catch {
      return clockStatus(deps.db, deps.clock.now());
    }
    if (TRUSTED_TIME_TARGETS.includes(target.kind) && target.endpoints) {
      const date = await fetchHttpDate(`${target.endpoints.billService}?wsdl`);
      if (!stopped && deps.db.raw.open && recordHttpDate(deps.db, date ?? undefined, deps.clock.now(), target.label)) deps.changed();
    }
    return clockStatus(deps.db, deps.clock.now());
  };

  let wall = deps.clock.now().getTime();
  let mono = performance.now();
  const jumpCheck = () => {
    const w = deps.clock.now().getTime();
    const m = performance.now();
    const jump = (w - wall) - (m - mono);
    wall = w;
    mono = m;
    if (Math.abs(jump) < JUMP_MS || !deps.db.raw.open) return;
    // The PC's clock moved by `jump`: what it lacked against the trusted time changes by as much.
    const last = getSetting(deps.db, 'clockCheck');
    if (last) recordClockObservation(deps.db, { offsetMs: last.offsetMs - jump, observedAt: new Date(w).toISOString(), source: last.source });
    deps.changed();
    void measure().catch(() => undefined);
  };

  const tick = (fn: () => unknown, ms: number) => {
    const t = setInterval(() => {
      try {
        void Promise.resolve(fn()).catch(() => undefined);
      } catch {
        // a closed database while stopping: the next start measures again
      }
    }, ms);
    t.unref();
    return t;
  };
  const timers = [tick(measure, opts.measureEveryMs ?? MEASURE_EVERY_MS), tick(jumpCheck, opts.jumpCheckMs ?? JUMP_CHECK_MS)];
  void measure().catch(() => undefined);
  return {
    measure,
    stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
    },
  };
}
