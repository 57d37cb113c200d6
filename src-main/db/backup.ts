// Database copies: SQLite's online backup (a consistent snapshot while sales keep committing — a file copy of a WAL
// database is not), each copy verified before it counts; daily copies kept N days; restore with the app closed.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './connection';
import { SCHEMA_VERSION } from './migrations';
import { databaseFile } from '../paths';
import { lockHolder } from './lock';
import { limaDate, limaTime } from '../../src-shared/time';
import type { BackupView } from '../../src-shared/contract';

export const BACKUP_DIR = 'backups';
const DAILY_RE = /^izisales-(\d{4}-\d{2}-\d{2})\.db$/;
/** Tables whose rows `db check` counts; also the proof that a file is an iziSales database. */
const COUNTED = ['sales', 'sale_lines', 'payments', 'documents', 'jobs', 'products', 'customers', 'users'] as const;

export class BackupError extends Error {}

export interface DatabaseCheck {
  ok: boolean;
  file: string;
  /** 'ok' or SQLite's first complaints. */
  integrity: string;
  schemaVersion: number;
  counts: Partial<Record<(typeof COUNTED)[number], number>>;
  /** Why the file cannot be used, in Spanish; absent when ok. */
  problem?: string;
}

/** Integrity, foreign keys, schema version and row counts of a database file; never changes its data. */
export function checkDatabaseFile(file: string): DatabaseCheck {
  const out: DatabaseCheck = { ok: false, file, integrity: '', schemaVersion: 0, counts: {} };
  if (!fs.existsSync(file)) return { ...out, problem: `No existe el archivo ${file}.` };
  // The file's own short-lived connection, not the app's Db: opened as it is (no pragmas, no migrations) and closed.
  let checked: Database.Database | null = null;
  try {
    checked = new Database(file, { fileMustExist: true });
    checked.pragma('busy_timeout = 5000');
    out.schemaVersion = checked.pragma('user_version', { simple: true }) as number;
    const issues = (checked.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    out.integrity = issues.join('; ');
    if (out.integrity !== 'ok') return { ...out, problem: `El archivo ${file} está dañado (${out.integrity}).` };
    const fk = checked.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) return { ...out, problem: `El archivo ${file} tiene ${fk.length} registros sin su venta o producto relacionado.` };
    const tables = new Set((checked.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (out.schemaVersion < 1 || COUNTED.some((t) => !tables.has(t))) return { ...out, problem: `El archivo ${file} no es una base de datos de iziSales.` };
    if (out.schemaVersion > SCHEMA_VERSION) {
      return { ...out, problem: `El archivo ${file} es de una versión más nueva de iziSales (esquema ${out.schemaVersion}; esta versión conoce hasta ${SCHEMA_VERSION}). Actualice iziSales primero.` };
    }
    const counts = checked.prepare(`SELECT ${COUNTED.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`).get() as Record<string, number>;
    for (const t of COUNTED) out.counts[t] = counts[t];
    return { ...out, ok: true };
  } catch (e) {
    return { ...out, problem: `El archivo ${file} no es una base de datos de iziSales legible (${(e as Error).message}).` };
  } finally {
    checked?.close();
  }
}

/**
 * Copies the live database to `outFile` with SQLite's online backup, turns the copy into a single self-contained
 * file (rollback journal, no -wal) and verifies it; only a verified copy replaces `outFile`.
 */
export async function backupDatabase(db: Db, outFile: string): Promise<DatabaseCheck> {
  const target = path.resolve(outFile);
  if (db.file !== ':memory:' && [db.file, `${db.file}-wal`, `${db.file}-shm`].map((f) => path.resolve(f)).includes(target)) {
    throw new BackupError('La copia no puede escribirse sobre la base de datos en uso; elija otro archivo.');
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  try {
    // All remaining pages in each step: the fewer steps, the less a writer in another process restarts the copy.
    await db.raw.backup(tmp, { progress: () => 0x7fffffff });
    const copy = new Database(tmp);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const check = checkDatabaseFile(tmp);
    if (!check.ok) throw new BackupError(`La copia de seguridad no pasó la verificación: ${check.problem}`);
    fsyncFile(tmp);
    fs.renameSync(tmp, target);
    return { ...check, file: target };
  } finally {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
}

export function backupDir(dataDir: string): string {
  return path.join(dataDir, BACKUP_DIR);
}

/** Today's copy in <data>/backups/izisales-YYYY-MM-DD.db (Lima date), then copies older than `retentionDays` go. */
export async function dailyBackup(db: Db, dataDir: string, now: Date, retentionDays: number): Promise<{ file: string; removed: string[]; check: DatabaseCheck }> {
  const today = limaDate(now);
  const file = path.join(backupDir(dataDir), `izisales-${today}.db`);
  const check = await backupDatabase(db, file);
  return { file, removed: pruneBackups(dataDir, today, retentionDays), check };
}

/** Deletes daily copies dated `retentionDays` or more days before `today`; other files are left alone. */
export function pruneBackups(dataDir: string, today: string, retentionDays: number): string[] {
  const days = Math.max(1, Math.floor(retentionDays));
  const oldestKept = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(backupDir(dataDir));
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = DAILY_RE.exec(name);
    if (!m || m[1] >= oldestKept) continue;
    fs.rmSync(path.join(backupDir(dataDir), name), { force: true });
    removed.push(name);
  }
  return removed.sort();
}

/** One file of <data>/backups as the Restore screen lists it (the contract's view). */
export type BackupEntry = BackupView;

const MANUAL_RE = /^izisales-manual-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.db$/;

/**
 * A copy taken now (Administración → "Copia ahora"): izisales-manual-YYYYMMDD-HHMMSS.db in Lima time, the date the
 * store lives in (20:30 on 5 Dec is 5 Dec, not UTC's 6 Dec). listBackups reads the name back as Lima time.
 */
export function manualBackupName(now: Date): string {
  return `izisales-manual-${limaDate(now).replaceAll('-', '')}-${limaTime(now).replaceAll(':', '')}.db`;
}
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The copies in <data>/backups, newest first; temporary and side files (-journal, .tmp-…) are not listed. */
export function listBackups(dataDir: string): BackupEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(backupDir(dataDir));
  } catch {
    return [];
  }
  const out: BackupEntry[] = [];
  for (const name of names) {
    if (!name.endsWith('.db')) continue;
    const file = path.join(backupDir(dataDir), name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(file);
    } catch {
      continue;
    }
    if (st.isFile()) out.push(describeBackup(file, st));
  }
  return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt) || b.name.localeCompare(a.name));
}

function describeBackup(file: string, st: fs.Stats): BackupEntry {
  const name = path.basename(file);
  const m = MANUAL_RE.exec(name);
  const takenAt = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000-05:00`).toISOString() : st.mtime.toISOString();
  return { name, kind: m ? 'manual' : DAILY_RE.test(name) ? 'daily' : 'other', takenAt, size: st.size, quick: quickCheckBackup(file) };
}

/** One copy of <data>/backups by name (see backupFileByName), as listBackups describes it. */
export function backupEntry(dataDir: string, name: string): BackupEntry {
  const file = backupFileByName(dataDir, name);
  return describeBackup(file, fs.statSync(file));
}

/** Header, schema version, the tables of an iziSales database and its last sale — read only, milliseconds per file. */
export function quickCheckBackup(file: string): BackupEntry['quick'] {
  const out = { ok: false, schemaVersion: 0, lastSaleAt: null as string | null };
  try {
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    try {
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!head.equals(SQLITE_MAGIC)) return { ...out, problem: 'No es una base de datos SQLite.' };
    // The copy's own read-only connection, not the app's Db (see checkDatabaseFile).
    const copy = new Database(file, { readonly: true, fileMustExist: true });
    try {
      out.schemaVersion = copy.pragma('user_version', { simple: true }) as number;
      const tables = new Set((copy.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
      if (out.schemaVersion < 1 || COUNTED.some((t) => !tables.has(t))) return { ...out, problem: 'No es una base de datos de iziSales.' };
      if (out.schemaVersion > SCHEMA_VERSION) return { ...out, problem: 'Es de una versión más nueva de iziSales.' };
      const last = copy.prepare('SELECT issued_at FROM sales ORDER BY id DESC LIMIT 1').get() as { issued_at: string } | undefined;
      return { ...out, ok: true, lastSaleAt: last?.issued_at ?? null };
    } finally {
      copy.close();
    }
  } catch {
    return { ...out, problem: 'No se puede leer: el archivo está dañado o incompleto.' };
  }
}

/**
 * The path of a copy named by the screens. Only a plain file name of <data>/backups is accepted — never a path, a
 * link or a side file — so the renderer cannot point a restore at an arbitrary file.
 */
export function backupFileByName(dataDir: string, name: string): string {
  const dir = path.resolve(backupDir(dataDir));
  const file = path.resolve(dir, name);
  if (name !== path.basename(name) || name.includes('/') || name.includes('\\') || !/^[\w.-]+\.db$/.test(name) || path.dirname(file) !== dir) {
    throw new BackupError('Elija una de las copias de la carpeta de copias de seguridad; no se cambió nada.');
  }
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    throw new BackupError(`No existe la copia ${name}; actualice la lista. No se cambió nada.`);
  }
  if (!st.isFile()) throw new BackupError(`${name} no es una copia de seguridad; no se cambió nada.`);
  return file;
}

export interface RestoreResult {
  /** Where the database that was replaced now lives (izisales.db.replaced-<timestamp>), or null if there was none. */
  replacedFile: string | null;
  check: DatabaseCheck;
}

/**
 * Replaces <data>/izisales.db with a verified copy of `backupFile`. Run it with the app CLOSED (no open connection,
 * no runner: the caller closes the app first and restarts it after). A damaged, foreign or newer file is refused
 * with a Spanish message and nothing changes; the replaced database is kept beside it, never deleted.
 */
export function restoreDatabase(dataDir: string, backupFile: string, now = new Date()): RestoreResult {
  const holder = lockHolder(dataDir);
  if (holder !== null) {
    throw new BackupError(`iziSales está abierto (proceso ${holder}) usando ${dataDir}. Ciérrelo antes de restaurar una copia; no se cambió nada.`);
  }
  const live = databaseFile(dataDir);
  if (path.resolve(backupFile) === path.resolve(live)) throw new BackupError('Elija una copia de seguridad, no la base de datos en uso.');
  if (!fs.existsSync(backupFile)) throw new BackupError(`No existe el archivo ${backupFile}; no se cambió nada.`);
  fs.mkdirSync(dataDir, { recursive: true });
  // Checked on a staged copy: the user's backup file is never opened for writing, and the swap is a rename.
  const staged = `${live}.restoring-${process.pid}`;
  const cleanup = () => {
    for (const f of [staged, `${staged}-journal`, `${staged}-wal`, `${staged}-shm`]) fs.rmSync(f, { force: true });
  };
  try {
    fs.copyFileSync(backupFile, staged);
    const check = checkDatabaseFile(staged);
    if (!check.ok) throw new BackupError(`No se restauró la copia: ${check.problem?.replace(staged, backupFile)} No se cambió nada.`);
    fsyncFile(staged);
    let replacedFile: string | null = null;
    if (fs.existsSync(live)) {
      replacedFile = `${live}.replaced-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
      // Fold any WAL left by a crash into the main file, so the kept file is complete on its own.
      let folded = false;
      try {
        const cur = new Database(live);
        try {
          cur.pragma('wal_checkpoint(TRUNCATE)');
          cur.pragma('journal_mode = DELETE');
          folded = true;
        } finally {
          cur.close();
        }
      } catch {
        // a damaged database may refuse even this: its side files are kept next to it instead
      }
      fs.renameSync(live, replacedFile);
      for (const ext of ['-wal', '-shm', '-journal']) {
        if (!fs.existsSync(live + ext)) continue;
        if (folded) fs.rmSync(live + ext, { force: true });
        else fs.renameSync(live + ext, replacedFile + ext);
      }
    }
    fs.renameSync(staged, live);
    return { replacedFile, check: { ...check, file: backupFile } };
  } finally {
    cleanup();
  }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
