// files.archive (Sundays 02:00; replaces Celery's cleanup_old_files). Storage design:
// - The database stays the source of truth. The signed XML never leaves it (immutable by trigger, and the hash on
//   every printed ticket depends on it); the CDR blob — SUNAT's answer, kept for years, never read day to day — moves.
// - Each month older than 'archiveMonths' (default 6) becomes <data>/archive/YYYY-MM.zip holding, per document,
//   RUC-TT-SERIE-NUMERO.xml (a copy of the signed XML) and R-RUC-TT-SERIE-NUMERO.zip (the CDR): a self-contained
//   bundle of what SUNAT requires to be kept, usable even without the database. XML/CDR files exported under
//   <data>/documents/YYYY/MM/ go into the same archive.
// - Bounded memory (a month can hold tens of thousands of files): the originals are read one at a time, twice —
//   once to hash them, once more when written (and checked against that hash) — and the zip is written and read
//   back one entry at a time (zipfile.ts). What stays is name, size and hash per entry: ~1 KB of RSS each, measured.
// - A month already archived (a second run, a CDR that arrived late) is rewritten, never appended in place: the
//   new archive gets every entry of the old one, copied as stored (no inflate/deflate), then the new entries. An old
//   entry whose name the database now fills with other bytes is kept as superseded/NAME, so nothing archived is
//   ever dropped; one file per month stays the only place a reader looks.
// - Crash safety: the new archive is written beside the old one, fsynced, read back entry by entry (inflated, CRC-32
//   and SHA-256 compared with the originals, copied entries with the old archive's), then renamed over it; only
//   then is an original removed (the CDR column set NULL, an exported file deleted), provided the path still names
//   the file that was checked (another run may have replaced it: then that one is read back). A crash at any point
//   leaves every byte in the database, the old archive or the new one; the next run completes the removal.
// - PDFs of cancelled sales older than 3 months are deleted (they can be regenerated). Nothing SUNAT requires is.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import type { Clock } from '../adapters';
import { limaDate } from '../../src-shared/time';
import { archiveFile, dirs, documentDir, fileNames, syncDir } from './store';
import { localSetting } from '../db/settings';
import { ZipReader, ZipWriter, type ZipEntry } from './zipfile';

/** What the archive run uses of the app (the App satisfies it): the database, the clock, the data directory. */
export interface ArchiveDeps {
  db: Db;
  clock: Clock;
  dataDir: string;
}

export interface ArchiveMonthResult {
  month: string;
  archive: string;
  /** Entries written into the archive this run. */
  added: number;
  /** Entries of the month's previous archive copied into the new one (0 when nothing was rewritten). */
  carried: number;
  /** Previous entries the database replaced with other bytes, kept as superseded/NAME. */
  superseded: number;
  /** CDRs moved out of the database (column set to NULL after verification). */
  cdrsMoved: number;
  /** Exported XML/CDR files moved out of documents/. */
  filesMoved: number;
  bytesFreed: number;
  archiveBytes: number;
}

export interface ArchiveResult {
  dryRun: boolean;
  cutoffMonth: string | null;
  months: ArchiveMonthResult[];
  pdfsRemoved: number;
  pdfBytesFreed: number;
  bytesFreed: number;
}

export interface ArchiveOptions {
  dryRun?: boolean;
  /** Test seams: called at the crash points a test wants to simulate. */
  hooks?: { afterTempWritten?: (month: string) => void; beforeRemove?: (month: string) => void };
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** YYYY-MM minus n months. */
function minusMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) - n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
function nextMonth(month: string): string {
  return minusMonths(month, -1);
}
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * The newest month whose every day is older than `months` months before `today`: today 2026-11-28 with 6 months
 * gives 2026-04 (May is not over 6 months old until May 31 is).
 */
export function archiveCutoffMonth(today: string, months: number): string {
  const cutoffDay = `${minusMonths(today.slice(0, 7), months)}-${today.slice(8, 10)}`;
  const m = cutoffDay.slice(0, 7);
  return lastDay(m) < cutoffDay ? m : minusMonths(m, 1);
}

/** An original that may be removed once the archive holds the same bytes. Only its hash is kept in memory. */
interface Original {
  entry: string;
  size: number;
  sha256: string;
  source: { documentId: number; column: 'xml' | 'cdr_zip' } | { file: string };
  /** A CDR in the database (the column is cleared after verification). */
  cdrDocumentId?: number;
  /** An exported file (deleted after verification), with its stamp when hashed, to notice a rewrite. */
  file?: string;
  stamp?: string;
}

/** Every signed XML and stored CDR of the month, hashed one row at a time (a cursor, not an array of blobs). */
function databaseOriginals(db: Db, month: string): Original[] {
  const out: Original[] = [];
  // issue_date then id is the index's own order (rowid ends every index entry): no sort holding the blobs. db.prepare,
  // not Kysely: the wrapper's Kysely calls return whole arrays, this must stream.
  const rows = db
    .prepare(`SELECT id, file_name, xml, cdr_zip FROM documents WHERE issue_date BETWEEN ? AND ? AND xml IS NOT NULL ORDER BY issue_date, id`)
    .iterate(`${month}-01`, lastDay(month)) as IterableIterator<{ id: number; file_name: string; xml: string; cdr_zip: Buffer | null }>;
  for (const r of rows) {
    // The XML is copied, never removed: it stays in the database for good.
    const xml = utf8(r.xml);
    out.push({ entry: fileNames.xml(r.file_name), size: xml.length, sha256: sha256(xml), source: { documentId: r.id, column: 'xml' } });
    if (r.cdr_zip) {
      out.push({
        entry: fileNames.cdr(r.file_name), size: r.cdr_zip.length, sha256: sha256(r.cdr_zip), source: { documentId: r.id, column: 'cdr_zip' },
        cdrDocumentId: r.id,
      });
    }
  }
  return out;
}

interface ExportedFile {
  name: string;
  file: string;
  size: number;
  sha256: string;
  stamp: string;
}

const stampOf = (st: fs.Stats) => `${st.ino}:${st.size}:${st.mtimeMs}`;

/** The XML and CDR files exported under documents/YYYY/MM/, hashed one at a time. */
function exportedFiles(dataDir: string, month: string): ExportedFile[] {
  const dir = documentDir(dataDir, `${month}-01`);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return []; // no exported files this month
  }
  const out: ExportedFile[] = [];
  for (const name of names.sort()) {
    if (!/\.xml$|^R-.*\.zip$/.test(name)) continue;
    const file = path.join(dir, name);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      continue; // removed meanwhile (another run archived it)
    }
    try {
      // The stamp of the very file read: a rewrite (same name, other bytes) is noticed before it is deleted.
      const stamp = stampOf(fs.fstatSync(fd));
      const bytes = fs.readFileSync(fd);
      out.push({ name, file, size: bytes.length, sha256: sha256(bytes), stamp });
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

/** One archive entry as read back: `sha256` null when it does not inflate to its CRC-32 and size (damaged). */
interface Archived {
  entry: ZipEntry;
  sha256: string | null;
}

interface Scan {
  list: Archived[];
  byName: Map<string, Archived>;
  /** The file that was read (device, inode, size, mtime), to tell later whether the path still names it. */
  identity: string;
}

function fileIdentity(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

function sameFile(file: string, identity: string): boolean {
  try {
    return fileIdentity(fs.statSync(file, { bigint: true })) === identity;
  } catch {
    return false;
  }
}

/** Reads an archive back entry by entry (each inflated as a stream and hashed). */
function scanArchive(file: string): Scan {
  const z = ZipReader.open(file);
  try {
    const list: Archived[] = [];
    const byName = new Map<string, Archived>();
    for (const entry of z.entries()) {
      const c = z.check(entry);
      const a: Archived = { entry, sha256: c.ok ? c.sha256 : null };
      list.push(a);
      // Like readDocumentFiles, the first entry of a name is the one that counts.
      if (!byName.has(entry.name)) byName.set(entry.name, a);
    }
    return { list, byName, identity: fileIdentity(z.stat()) };
  } finally {
    z.close();
  }
}

/**
 * Names the exported files: a file holding what the database holds under its name is that same entry; a file with
 * other bytes goes under files/ — it never replaces a database original nor a sound archived entry (a damaged one,
 * yes: the file is then the good copy).
 */
function nameExportedFiles(dbOriginals: Original[], files: ExportedFile[], archived: Scan | null): Original[] {
  const claimed = new Map<string, string>();
  for (const o of dbOriginals) claimed.set(o.entry, o.sha256);
  const out: Original[] = [];
  for (const f of files) {
    const fits = (name: string) => {
      const c = claimed.get(name);
      if (c !== undefined) return c === f.sha256;
      const a = archived?.byName.get(name);
      return !a || a.sha256 === null || a.sha256 === f.sha256;
    };
    let entry = f.name;
    for (let k = 1; !fits(entry); k++) entry = k === 1 ? `files/${f.name}` : `files/${f.name}~${k}`;
    claimed.set(entry, f.sha256);
    out.push({ entry, size: f.size, sha256: f.sha256, source: { file: f.file }, file: f.file, stamp: f.stamp });
  }
  return out;
}

/** Reads an original again to write it, refusing bytes other than those hashed (another run may have moved them). */
function originalReader(db: Db): (o: Original) => Uint8Array {
  const xml = db.prepare('SELECT xml FROM documents WHERE id = ?');
  const cdr = db.prepare('SELECT cdr_zip FROM documents WHERE id = ?');
  return (o) => {
    let bytes: Uint8Array | null = null;
    if ('file' in o.source) {
      try {
        bytes = fs.readFileSync(o.source.file);
      } catch {
        bytes = null;
      }
    } else if (o.source.column === 'xml') {
      const r = xml.get(o.source.documentId) as { xml: string | null } | undefined;
      bytes = r?.xml ? utf8(r.xml) : null;
    } else {
      const r = cdr.get(o.source.documentId) as { cdr_zip: Buffer | null } | undefined;
      bytes = r?.cdr_zip ?? null;
    }
    if (!bytes || bytes.length !== o.size || sha256(bytes) !== o.sha256) {
      throw new Error(`${o.entry} cambió mientras se archivaba (¿otra ejecución a la vez?); no se eliminó nada, se reintentará`);
    }
    return bytes;
  };
}

/** What the new archive must hold under a name: an original's bytes, or an old entry copied as stored. */
type Expected =
  | { kind: 'content'; sha256: string; size: number }
  | { kind: 'raw'; rawSha256: string; crc: number; size: number };

/**
 * Writes the month's new archive into `tmp`: the old archive's entries copied as stored (a name the new entries
 * take moves to superseded/), then the new entries, one source read at a time. Returns what each name must hold.
 */
function writeArchive(
  app: ArchiveDeps, tmp: string, file: string, archived: Scan | null, toAdd: Original[],
): { expected: Map<string, Expected>; carried: number; superseded: number } {
  const expected = new Map<string, Expected>();
  const taken = new Set(toAdd.map((o) => o.entry));
  const oldNames = new Set(archived?.list.map((a) => a.entry.name));
  let superseded = 0;
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  const w = new ZipWriter(tmp);
  try {
    if (archived) {
      const z = ZipReader.open(file);
      try {
        // The archive scanned is the one copied: if another run replaced it meanwhile, give up until the next run.
        if (fileIdentity(z.stat()) !== archived.identity) throw new Error(`${path.basename(file)} cambió durante el archivado; se reintentará`);
        for (const a of archived.list) {
          let name = a.entry.name;
          if (taken.has(name)) {
            superseded++;
            const base = `superseded/${name}`;
            name = base;
            for (let k = 2; taken.has(name) || oldNames.has(name); k++) name = `${base}~${k}`;
          }
          taken.add(name);
          const raw = createHash('sha256');
          try {
            w.copy(z, a.entry, name, (c) => raw.update(c));
          } catch (e) {
            throw new Error(`no se pudo copiar ${a.entry.name} de ${path.basename(file)} (${(e as Error).message}); no se tocó nada`);
          }
          expected.set(name, a.sha256 !== null
            ? { kind: 'content', sha256: a.sha256, size: a.entry.size }
            // A damaged entry is kept as it is (a repair tool may still get something out of it).
            : { kind: 'raw', rawSha256: raw.digest('hex'), crc: a.entry.crc, size: a.entry.size });
        }
      } finally {
        z.close();
      }
    }
    const read = originalReader(app.db);
    const mtime = app.clock.now();
    for (const o of toAdd) {
      // CDRs are zips already: stored, not deflated again.
      w.add(o.entry, read(o), { level: o.entry.endsWith('.zip') ? 0 : 6, mtime });
      expected.set(o.entry, { kind: 'content', sha256: o.sha256, size: o.size });
    }
    w.finish();
  } catch (e) {
    w.abort();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { expected, carried: archived?.list.length ?? 0, superseded };
}

/** Reads the written archive back, entry by entry, against what each name must hold; returns the file's identity. */
function verifyArchive(file: string, expected: Map<string, Expected>): string {
  const fail = (why: string) => new Error(`verificación fallida de ${path.basename(file)}: ${why}`);
  let z: ZipReader;
  try {
    z = ZipReader.open(file);
  } catch (e) {
    throw fail((e as Error).message);
  }
  try {
    const seen = new Set<string>();
    try {
      for (const e of z.entries()) {
        const want = expected.get(e.name);
        if (!want) throw fail(`entrada inesperada ${e.name}`);
        if (seen.has(e.name)) throw fail(`entrada repetida ${e.name}`);
        seen.add(e.name);
        const c = z.check(e);
        const good = want.kind === 'content'
          ? c.ok && c.sha256 === want.sha256 && e.size === want.size
          : c.rawSha256 !== '' && c.rawSha256 === want.rawSha256 && e.crc === want.crc && e.size === want.size;
        if (!good) throw fail(`${e.name}${c.error ? ` (${c.error})` : ''}`);
      }
    } catch (e) {
      throw (e as Error).message.startsWith('verificación fallida') ? e : fail((e as Error).message);
    }
    if (seen.size !== expected.size) throw fail(`faltan ${expected.size - seen.size} entradas`);
    return fileIdentity(z.stat());
  } finally {
    z.close();
  }
}

/** Archives one month; see the module comment for the order of the steps. */
function archiveMonth(app: ArchiveDeps, month: string, opts: ArchiveOptions): ArchiveMonthResult | null {
  const file = archiveFile(app.dataDir, month);
  // Per process: `izisales files archive` may run while the app's weekly job does.
  const tmp = `${file}.${process.pid}.tmp`;
  if (!opts.dryRun) removeDeadTemps(file);
  if (alreadyDone(app, month, file)) return null;
  // The originals are read BEFORE the archive: whatever another run removed meanwhile is then in the archive read.
  const dbOriginals = databaseOriginals(app.db, month);
  const files = exportedFiles(app.dataDir, month);
  let archived: Scan | null = null;
  if (fs.existsSync(file)) {
    try {
      archived = scanArchive(file);
    } catch (e) {
      // Its entries may be recoverable with a repair tool: it is never overwritten, and nothing of the month is removed.
      throw new Error(`el archivo ${path.basename(file)} no se puede leer (${(e as Error).message}); no se tocó nada de ${month}: restáurelo desde una copia o muévalo a otra carpeta`);
    }
  }
  const originals = [...dbOriginals, ...nameExportedFiles(dbOriginals, files, archived)];
  const removable = originals.filter((o) => o.cdrDocumentId !== undefined || o.file);
  // An exported copy of a database original is the same entry: written once.
  const toAdd: Original[] = [];
  const planned = new Set<string>();
  for (const o of originals) {
    if (planned.has(o.entry) || archived?.byName.get(o.entry)?.sha256 === o.sha256) continue;
    planned.add(o.entry);
    toAdd.push(o);
  }
  if (toAdd.length === 0 && removable.length === 0) return null;
  const result: ArchiveMonthResult = {
    month, archive: file, added: toAdd.length, carried: toAdd.length > 0 ? (archived?.list.length ?? 0) : 0,
    superseded: toAdd.filter((o) => archived?.byName.has(o.entry)).length,
    cdrsMoved: removable.filter((o) => o.cdrDocumentId !== undefined).length,
    filesMoved: removable.filter((o) => o.file).length, bytesFreed: removable.reduce((a, o) => a + o.size, 0),
    archiveBytes: 0,
  };
  if (opts.dryRun) return result;

  // What the file at `file` holds, by name, and which file that is.
  let holds = (name: string): string | null | undefined => archived?.byName.get(name)?.sha256;
  let identity = archived?.identity ?? '';
  if (toAdd.length > 0) {
    const written = writeArchive(app, tmp, file, archived, toAdd);
    result.carried = written.carried;
    result.superseded = written.superseded;
    opts.hooks?.afterTempWritten?.(month);
    try {
      identity = verifyArchive(tmp, written.expected);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
    fs.renameSync(tmp, file);
    syncDir(path.dirname(file));
    archived = null;
    holds = (name) => {
      const want = written.expected.get(name);
      return want?.kind === 'content' ? want.sha256 : undefined;
    };
  }

  // An original goes only if its exact bytes are in the file now at `file`: the one just checked, unless another
  // run replaced it meanwhile — then that one is read back.
  if (removable.length > 0 && !sameFile(file, identity)) {
    const now = scanArchive(file);
    holds = (name) => now.byName.get(name)?.sha256;
  }
  for (const o of removable) {
    if (holds(o.entry) !== o.sha256) throw new Error(`el archivo ${path.basename(file)} no contiene ${o.entry} íntegro; no se eliminó nada`);
  }
  opts.hooks?.beforeRemove?.(month);
  const removed = removeOriginals(app.db, removable);
  result.cdrsMoved = removed.cdrs;
  result.filesMoved = removed.files;
  result.bytesFreed = removed.bytes;
  result.archiveBytes = fs.statSync(file).size;
  return result;
}

/**
 * Clears archived CDRs (in batches, so a sale committing meanwhile waits milliseconds, not the whole month) and
 * deletes archived exported files; each only if it still holds the bytes the archive was checked against.
 */
function removeOriginals(db: Db, removable: Original[]): { cdrs: number; files: number; bytes: number } {
  const out = { cdrs: 0, files: 0, bytes: 0 };
  const get = db.prepare('SELECT cdr_zip FROM documents WHERE id = ?');
  const clear = db.prepare('UPDATE documents SET cdr_zip = NULL WHERE id = ?');
  const cdrs = removable.filter((o) => o.cdrDocumentId !== undefined);
  for (let i = 0; i < cdrs.length; i += 500) {
    db.tx(() => {
      for (const o of cdrs.slice(i, i + 500)) {
        const r = get.get(o.cdrDocumentId) as { cdr_zip: Buffer | null } | undefined;
        if (!r?.cdr_zip || r.cdr_zip.length !== o.size || sha256(r.cdr_zip) !== o.sha256) continue;
        clear.run(o.cdrDocumentId);
        out.cdrs++;
        out.bytes += o.size;
      }
    });
  }
  for (const o of removable) {
    if (!o.file) continue;
    let st: fs.Stats;
    try {
      st = fs.statSync(o.file);
    } catch {
      continue; // already gone
    }
    if (st.size !== o.size || (stampOf(st) !== o.stamp && sha256(fs.readFileSync(o.file)) !== o.sha256)) continue;
    fs.rmSync(o.file, { force: true });
    out.files++;
    out.bytes += o.size;
  }
  return out;
}

/** Temp files are what a crash during writing leaves (the originals are all still in place): drop those of dead processes. */
function removeDeadTemps(file: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return;
  }
  const prefix = `${path.basename(file)}.`;
  for (const n of names) {
    const m = n.startsWith(prefix) ? /\.(\d+)\.tmp$/.exec(n) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid !== process.pid;
    if (alive) {
      try {
        process.kill(pid, 0);
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!alive) fs.rmSync(path.join(path.dirname(file), n), { force: true });
  }
}

/** A month whose archive exists, with no CDR left in the database and no exported file: nothing to read again. */
function alreadyDone(app: ArchiveDeps, month: string, file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const r = app.db.first(
    app.db.q.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.between('issue_date', `${month}-01`, lastDay(month))).where('cdr_zip', 'is not', null),
  )!;
  if (r.n > 0) return false;
  try {
    return !fs.readdirSync(documentDir(app.dataDir, `${month}-01`)).some((n) => /\.xml$|^R-.*\.zip$/.test(n));
  } catch {
    return true;
  }
}

/** Deletes saved PDFs of cancelled sales issued before `beforeDate` (a PDF can always be rendered again). */
function removeCancelledPdfs(app: ArchiveDeps, beforeDate: string, dryRun: boolean): { count: number; bytes: number } {
  const root = dirs.documents(app.dataDir);
  const out = { count: 0, bytes: 0 };
  const isCancelled = app.db.prepare(
    `SELECT 1 FROM documents d JOIN sales s ON s.id = d.sale_id WHERE d.file_name = ? AND s.status = 'cancelled' AND d.issue_date < ?`,
  );
  let years: string[] = [];
  try {
    years = fs.readdirSync(root).filter((y) => /^\d{4}$/.test(y));
  } catch {
    return out;
  }
  for (const y of years) {
    for (const m of fs.readdirSync(path.join(root, y)).filter((mm) => /^\d{2}$/.test(mm))) {
      if (`${y}-${m}` > beforeDate.slice(0, 7)) continue;
      const dir = path.join(root, y, m);
      for (const n of fs.readdirSync(dir)) {
        if (!n.endsWith('.pdf') || !isCancelled.get(n.slice(0, -4), beforeDate)) continue;
        const f = path.join(dir, n);
        out.count++;
        out.bytes += fs.statSync(f).size;
        if (!dryRun) fs.rmSync(f, { force: true });
      }
    }
  }
  return out;
}

/** The archive run: every month old enough, then the cancelled sales' PDFs. */
export function archiveFiles(app: ArchiveDeps, opts: ArchiveOptions = {}): ArchiveResult {
  const today = limaDate(app.clock.now());
  const cutoff = archiveCutoffMonth(today, localSetting(app.db, 'archiveMonths'));
  const oldest = app.db.first(app.db.q.selectFrom('documents').select((eb) => eb.fn.min('issue_date').as('d')))?.d ?? null;
  const months: ArchiveMonthResult[] = [];
  if (oldest) {
    for (let m = oldest.slice(0, 7); m <= cutoff; m = nextMonth(m)) {
      const r = archiveMonth(app, m, opts);
      if (r) months.push(r);
    }
  }
  const pdfCutoff = `${minusMonths(today.slice(0, 7), localSetting(app.db, 'cancelledPdfMonths'))}-${today.slice(8, 10)}`;
  const pdfs = removeCancelledPdfs(app, pdfCutoff, opts.dryRun ?? false);
  return {
    dryRun: opts.dryRun ?? false, cutoffMonth: oldest ? cutoff : null, months, pdfsRemoved: pdfs.count, pdfBytesFreed: pdfs.bytes,
    bytesFreed: months.reduce((a, r) => a + r.bytesFreed, 0) + pdfs.bytes,
  };
}
