// One runner and scheduler per data directory (DESIGN §4): a lock file created with O_EXCL holding the owner's pid.
// A lock whose process is gone (a crash, a power cut) is taken over at once.
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'runner.lock';

export class LockHeldError extends Error {
  constructor(readonly pid: number, readonly file: string) {
    super(
      `Ya hay otro iziSales (proceso ${pid}) enviando comprobantes desde esta carpeta de datos (${path.dirname(file)}). ` +
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

export function acquireLock(dataDir: string): RunnerLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let tries = 0; tries < 5; tries++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          try {
            if (Number(fs.readFileSync(file, 'utf8').trim()) === process.pid) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue; // released meanwhile: try again
    }
    const pid = Number(text);
    if (pid === process.pid) throw new LockHeldError(pid, file);
    if (text !== '' && alive(pid)) throw new LockHeldError(pid, file);
    // An empty file may be a lock being written right now: give its writer a moment before calling it stale.
    if (text === '' && tries === 0) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      continue;
    }
    // Stale: move it aside atomically so two starters cannot both delete a fresh lock.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
      fs.rmSync(aside, { force: true });
    } catch {
      // someone else took it over first; loop and look again
    }
  }
  throw new Error(`No se pudo tomar el bloqueo ${file}`);
}
