// The runner's heartbeat: <data>/runner-status.json (pid, uptime, memory, the runner's counters), rewritten every few
// seconds while it runs and removed when it stops, so `jobs inspect stats` in another process sees a live worker.
import fs from 'node:fs';
import path from 'node:path';
import type { RunnerCompanion, RunnerPulse } from './runner';

export const HEARTBEAT_FILE = 'runner-status.json';

/** Writes every `everyMs` (none when 0); the file is removed at stop either way. */
export function heartbeat(dataDir: string, everyMs: number): RunnerCompanion {
  const file = path.join(dataDir, HEARTBEAT_FILE);
  let timer: NodeJS.Timeout | null = null;
  let pulse: (() => RunnerPulse) | null = null;

  function write(): void {
    if (!pulse) return;
    const { startedAt, inFlight, processed, online, byOutcome } = pulse();
    const m = process.memoryUsage();
    const body = {
      pid: process.pid, startedAt: startedAt.toISOString(), at: new Date().toISOString(),
      uptimeS: Math.round((Date.now() - startedAt.getTime()) / 1000), rssBytes: m.rss, heapUsedBytes: m.heapUsed,
      inFlight, processed, online, byOutcome,
    };
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(body));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // the heartbeat is informational
    }
  }

  return {
    start(p) {
      pulse = p;
      if (everyMs <= 0) return;
      write();
      timer = setInterval(write, everyMs);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    close() {
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // ignore
      }
    },
  };
}
