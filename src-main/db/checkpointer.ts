// WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL
// pages: that commit — often a cashier's sale — then copies megabytes into the database file and fsyncs it
// (synchronous=FULL), a stall of tens of milliseconds on the thread that also serves the POS. While the runner runs,
// the main connection's automatic checkpoint is switched off and a worker thread with its own connection runs PASSIVE
// checkpoints instead: they never block readers or writers.
// SQLite starts the WAL over from its beginning only when a write begins with every frame already copied, and a pass
// from another connection never ends that way while the runner keeps writing (what was written during the pass is
// left). Alone, the worker would let the WAL grow through a whole drain (300 MB for 10,000 no-op jobs) and every
// commit would append to a growing file, a dearer fsync than rewriting the same blocks. So after each pass that copied
// something, the main connection copies what is left itself, between two events of the loop (never inside a sale's
// commit): only the pages written during the pass, and the next write starts the WAL over.
// If the worker stops or fails, the main connection's automatic checkpoint is switched back on.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection';

/** SQLite's default wal_autocheckpoint, restored when the worker is not running. */
const DEFAULT_AUTOCHECKPOINT = 1000;

export interface Checkpointer {
  /** Stops the worker after a last passive checkpoint; the main connection checkpoints by itself again. */
  stop(): Promise<void>;
  /**
   * Passive checkpoints done so far by the worker (frames copied to the database file) and the tails the main
   * connection finished after them: for tests and the bench.
   */
  stats(): { runs: number; framesCheckpointed: number; tails: number };
}

export interface CheckpointerOptions {
  /**
   * How often the worker checkpoints (default 100 ms; docs/ARCHITECTURE.md says why): a pass with nothing to copy costs
   * a few microseconds, and a large one makes the commits beside it wait on their fsyncs.
   */
  intervalMs?: number;
}

// Plain CommonJS run with eval: the worker needs no TypeScript loader, in tests, `serve` and the packaged shell alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
let runs = 0, frames = 0, stopping = false, last = '';
function pass() {
  let copied = 0;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    runs++;
    // log and checkpointed count from the WAL's start: the same pair again means nothing was written since
    const seen = r ? r.log + ':' + r.checkpointed : '';
    if (r && r.checkpointed > 0 && seen !== last) { copied = r.checkpointed; frames += copied; }
    last = seen;
  } catch (e) {
    // SQLITE_BUSY and friends: the next pass tries again
  }
  parentPort.postMessage({ type: 'stats', runs, frames, copied });
}
const timer = setInterval(pass, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop' && !stopping) {
    stopping = true;
    clearInterval(timer);
    pass();
    db.close();
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  }
});
parentPort.postMessage({ type: 'ready' });
`;

export function startCheckpointer(db: Db, opts: CheckpointerOptions = {}): Checkpointer | null {
  if (db.file === ':memory:' || db.raw.readonly) return null;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let runs = 0;
  let frames = 0;
  let tails = 0;
  let alive = true;
  const restore = () => {
    if (!alive) return;
    alive = false;
    try {
      if (db.raw.open) db.raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // the connection is closing: nothing left to protect
    }
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.file, intervalMs: opts.intervalMs ?? 100 } });
  worker.unref();
  db.raw.pragma('wal_autocheckpoint = 0');
  // The tail left by a pass, copied on the writer's connection so the WAL starts over (see the top of the file).
  const finishTail = () => {
    if (!alive || !db.raw.open) return;
    try {
      db.raw.pragma('wal_checkpoint(PASSIVE)');
      tails++;
    } catch {
      // busy: the next pass leaves another tail
    }
  };
  worker.on('message', (m: { type: string; runs?: number; frames?: number; copied?: number }) => {
    if (m.type === 'stats') {
      runs = m.runs ?? runs;
      frames = m.frames ?? frames;
      if ((m.copied ?? 0) > 0) setImmediate(finishTail);
    }
  });
  // A worker that cannot start or dies must not leave the WAL growing without bound.
  worker.on('error', restore);
  worker.on('exit', restore);
  return {
    stats: () => ({ runs, framesCheckpointed: frames, tails }),
    async stop() {
      if (!alive) return;
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
      restore();
    },
  };
}
