// WAL checkpoints off the main thread. SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL
// pages: that commit — often a cashier's sale — then copies megabytes into the database file and fsyncs it
// (synchronous=FULL), a stall of tens of milliseconds on the thread that also serves the POS. While the runner runs,
// the main connection's automatic checkpoint is switched off and a worker thread with its own connection runs PASSIVE
// checkpoints instead: they never block readers or writers, and the WAL restarts from its beginning once a pass has
// copied everything. If the worker stops or fails, the main connection's automatic checkpoint is switched back on.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection';

/** SQLite's default wal_autocheckpoint, restored when the worker is not running. */
const DEFAULT_AUTOCHECKPOINT = 1000;

export interface Checkpointer {
  /** Stops the worker after a last passive checkpoint; the main connection checkpoints by itself again. */
  stop(): Promise<void>;
  /** Passive checkpoints done so far (frames copied to the database file), for tests and the bench. */
  stats(): { runs: number; framesCheckpointed: number };
}

export interface CheckpointerOptions {
  /** How often the worker checkpoints; a pass with nothing to copy costs a few microseconds. */
  intervalMs?: number;
}

// Plain CommonJS run with eval: the worker needs no TypeScript loader, in tests, `serve` and the packaged shell alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
let runs = 0, frames = 0, stopping = false;
function pass() {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    runs++;
    if (r && r.checkpointed > 0) frames += r.checkpointed;
  } catch (e) {
    // SQLITE_BUSY and friends: the next pass tries again
  }
  parentPort.postMessage({ type: 'stats', runs, frames });
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
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.file, intervalMs: opts.intervalMs ?? 250 } });
  worker.unref();
  db.raw.pragma('wal_autocheckpoint = 0');
  worker.on('message', (m: { type: string; runs?: number; frames?: number }) => {
    if (m.type === 'stats') {
      runs = m.runs ?? runs;
      frames = m.frames ?? frames;
    }
  });
  // A worker that cannot start or dies must not leave the WAL growing without bound.
  worker.on('error', restore);
  worker.on('exit', restore);
  return {
    stats: () => ({ runs, framesCheckpointed: frames }),
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
