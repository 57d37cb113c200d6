// One runner and scheduler per data directory (DESIGN §4). The exclusion itself is a lock the operating system
// holds for the process: an EXCLUSIVE transaction kept open on a small SQLite file (runner.lock.db), which the kernel
// releases the moment the process ends, however it ends (a crash, SIGKILL, a power cut). Nothing is "taken over", so
// two starters can never both decide a lock is stale. runner.lock beside it only says who holds it (its pid), for
// messages and `jobs inspect stats`; it is written after the lock is held and removed on release.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'runner.lock';
/** The file the lock is held on; empty, never written. */
export const LOCK_DB = 'runner.lock.db';
export class LockHeldError extends Error {
  constructor(readonly pid: number, readonly file: string) {
    super(
      `Ya hay otro iziSales (proceso ${pid > 0 ? pid : 'desconocido'}) enviando comprobantes desde esta carpeta de datos (${path.dirname(file)}). ` +
        'Cierre la otra ventana o detenga el otro "worker" antes de iniciar este; no se inició un segundo envío a SUNAT.',
    );
  }
}

export interface RunnerLock {
  file: string;
  release(): void;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the lock, if a live process does. */
export function lockHolder(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim());
    return alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function pidInFile(file: string): number {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

export function acquireLock(dataDir: string): RunnerLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const guard = new Database(path.join(dataDir, LOCK_DB));
  try {
    guard.pragma('busy_timeout = 0');
    guard.pragma('locking_mode = EXCLUSIVE');
    guard.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    guard.close();
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      // The holder writes its pid right after taking the lock: a starter that lost a race by a hair waits for it.
      let pid = pidInFile(file);
      for (let i = 0; i < 10 && !(pid > 0 && alive(pid)); i++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        pid = pidInFile(file);
      }
      throw new LockHeldError(pid > 0 && alive(pid) ? pid : 0, file);
    }
    throw e;
  }
  // Ours: say so (a leftover file of a killed holder is simply replaced).
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${process.pid}\n`);
  fs.renameSync(tmp, file);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      try {
        if (pidInFile(file) === process.pid) fs.unlinkSync(file);
      } catch {
        // already gone
      }
      try {
        guard.exec('ROLLBACK');
      } finally {
        guard.close();
      }
    },
  };
}
