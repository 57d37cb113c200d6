// files.archive (Sundays 02:00; replaces Celery's cleanup_old_files). Storage design:
// - The database stays the source of truth. The signed XML never leaves it (immutable by trigger, and the hash on
//   every printed ticket depends on it); the CDR blob — SUNAT's answer, kept for years, never read day to day — moves.
// - Each month older than 'archiveMonths' (default 6) becomes <data>/archive/YYYY-MM.zip holding, per document,
//   RUC-TT-SERIE-NUMERO.xml (a copy of the signed XML) and R-RUC-TT-SERIE-NUMERO.zip (the CDR): a self-contained
//   bundle of what SUNAT requires to be kept, usable even without the database. XML/CDR files exported under
//   <data>/documents/YYYY/MM/ go into the same archive.
// - Crash safety: the new archive is written beside the old one, fsynced, read back and every entry hash-compared,
//   then renamed over it; only then, after reading the final archive back again, is an original removed (the CDR
//   column set NULL, an exported file deleted). A crash at any point leaves every byte in the database, the old
//   archive or the new one; the next run completes the removal.
// - PDFs of cancelled sales older than 3 months are deleted (they can be regenerated). Nothing SUNAT requires is.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { App } from '../app';
import type { Db } from '../db/connection';
import { limaDate } from '../../src-shared/time';
import { dirs, documentDir, fileNames, localSetting, syncDir, writeFileAtomic } from './store';

export interface ArchiveMonthResult {
  month: string;
  archive: string;
  /** Entries written into the archive this run. */
  added: number;
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

export function archiveFile(dataDir: string, month: string): string {
  return path.join(dirs.archive(dataDir), `${month}.zip`);
}

function readZip(file: string): Record<string, Uint8Array> {
  if (!fs.existsSync(file)) return {};
  return unzipSync(new Uint8Array(fs.readFileSync(file)));
}

/** An original that may be removed once the archive holds the same bytes. */
interface Original {
  entry: string;
  bytes: Uint8Array;
  /** A CDR in the database (removed in one transaction per month). */
  cdrDocumentId?: number;
  file?: string;
}

function monthOriginals(db: Db, dataDir: string, month: string): Original[] {
  const out: Original[] = [];
  const rows = db.raw
    .prepare(`SELECT id, file_name, xml, cdr_zip FROM documents WHERE issue_date BETWEEN ? AND ? AND xml IS NOT NULL ORDER BY id`)
    .all(`${month}-01`, lastDay(month)) as { id: number; file_name: string; xml: string; cdr_zip: Buffer | null }[];
  for (const r of rows) {
    // The XML is copied, never removed: it stays in the database for good.
    out.push({ entry: fileNames.xml(r.file_name), bytes: utf8(r.xml) });
    if (r.cdr_zip) out.push({ entry: fileNames.cdr(r.file_name), bytes: new Uint8Array(r.cdr_zip), cdrDocumentId: r.id });
  }
  const dir = documentDir(dataDir, `${month}-01`);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // no exported files this month
  }
  for (const n of names.sort()) {
    if (!/\.xml$|^R-.*\.zip$/.test(n)) continue;
    const file = path.join(dir, n);
    const bytes = new Uint8Array(fs.readFileSync(file));
    // An exported copy of what the database holds is the same entry; a differing file keeps its own name.
    const same = out.find((o) => o.entry === n);
    out.push({ entry: !same || sha256(same.bytes) === sha256(bytes) ? n : `files/${n}`, bytes, file });
  }
  return out;
}

/** Archives one month; see the module comment for the order of the steps. */
function archiveMonth(app: App, month: string, opts: ArchiveOptions): ArchiveMonthResult | null {
  const file = archiveFile(app.dataDir, month);
  // Per process: `izisales files archive` may run while the app's weekly job does.
  const tmp = `${file}.${process.pid}.tmp`;
  if (!opts.dryRun) removeDeadTemps(file);
  if (alreadyDone(app, month, file)) return null;
  // The originals are read BEFORE the archive: whatever another run removed meanwhile is then in the archive read.
  const originals = monthOriginals(app.db, app.dataDir, month);
  const removable = originals.filter((o) => o.cdrDocumentId !== undefined || o.file);
  const existing = readZip(file);
  const wanted: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(existing)) wanted[name] = sha256(bytes);
  const toAdd = originals.filter((o) => wanted[o.entry] !== sha256(o.bytes));
  if (toAdd.length === 0 && removable.length === 0) return null;
  const result: ArchiveMonthResult = {
    month, archive: file, added: toAdd.length, cdrsMoved: removable.filter((o) => o.cdrDocumentId !== undefined).length,
    filesMoved: removable.filter((o) => o.file).length, bytesFreed: removable.reduce((a, o) => a + o.bytes.length, 0),
    archiveBytes: 0,
  };
  if (opts.dryRun) return result;

  if (toAdd.length > 0) {
    const entries: Zippable = {};
    for (const [name, bytes] of Object.entries(existing)) entries[name] = [bytes, { level: name.endsWith('.zip') ? 0 : 6 }];
    for (const o of toAdd) {
      entries[o.entry] = [o.bytes, { level: o.entry.endsWith('.zip') ? 0 : 6 }];
      wanted[o.entry] = sha256(o.bytes);
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, zipSync(entries));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    opts.hooks?.afterTempWritten?.(month);
    verify(readZip(tmp), wanted, tmp);
    fs.renameSync(tmp, file);
    syncDir(path.dirname(file));
  }

  // Read the archive as it now is on disk; an original goes only if its exact bytes are there.
  const onDisk = readZip(file);
  for (const o of removable) {
    const got = onDisk[o.entry];
    if (!got || sha256(got) !== sha256(o.bytes)) throw new Error(`el archivo ${path.basename(file)} no contiene ${o.entry} íntegro; no se eliminó nada`);
  }
  opts.hooks?.beforeRemove?.(month);
  const cdrIds = removable.flatMap((o) => (o.cdrDocumentId === undefined ? [] : [o.cdrDocumentId]));
  if (cdrIds.length > 0) {
    const clear = app.db.raw.prepare('UPDATE documents SET cdr_zip = NULL WHERE id = ? AND cdr_zip IS NOT NULL');
    app.db.tx(() => {
      for (const id of cdrIds) clear.run(id);
    });
  }
  for (const o of removable) if (o.file) fs.rmSync(o.file, { force: true });
  result.archiveBytes = fs.statSync(file).size;
  return result;
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
function alreadyDone(app: App, month: string, file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const r = app.db.raw
    .prepare('SELECT count(*) AS n FROM documents WHERE issue_date BETWEEN ? AND ? AND cdr_zip IS NOT NULL')
    .get(`${month}-01`, lastDay(month)) as { n: number };
  if (r.n > 0) return false;
  try {
    return !fs.readdirSync(documentDir(app.dataDir, `${month}-01`)).some((n) => /\.xml$|^R-.*\.zip$/.test(n));
  } catch {
    return true;
  }
}

function verify(got: Record<string, Uint8Array>, wanted: Record<string, string>, file: string): void {
  for (const [name, hash] of Object.entries(wanted)) {
    const bytes = got[name];
    if (!bytes || sha256(bytes) !== hash) throw new Error(`verificación fallida de ${path.basename(file)}: ${name}`);
  }
}

/** Deletes saved PDFs of cancelled sales issued before `beforeDate` (a PDF can always be rendered again). */
function removeCancelledPdfs(app: App, beforeDate: string, dryRun: boolean): { count: number; bytes: number } {
  const root = dirs.documents(app.dataDir);
  const out = { count: 0, bytes: 0 };
  const isCancelled = app.db.raw.prepare(
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
export function archiveFiles(app: App, opts: ArchiveOptions = {}): ArchiveResult {
  const today = limaDate(app.clock.now());
  const cutoff = archiveCutoffMonth(today, localSetting(app.db, 'archiveMonths'));
  const oldest = (app.db.raw.prepare('SELECT min(issue_date) AS d FROM documents').get() as { d: string | null }).d;
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

// ---- reading a document's files wherever they are ----

export interface DocumentFiles {
  fileName: string;
  xml: string | null;
  cdrZip: Uint8Array | null;
  cdrSource: 'database' | 'archive' | 'file' | null;
}

/** The signed XML (always in the database) and the CDR: in the database, else in the month's archive, else exported. */
export function readDocumentFiles(app: App, documentId: number): DocumentFiles {
  const d = app.db.raw.prepare('SELECT file_name, issue_date, xml, cdr_zip FROM documents WHERE id = ?').get(documentId) as
    | { file_name: string; issue_date: string; xml: string | null; cdr_zip: Buffer | null }
    | undefined;
  if (!d) throw new Error(`El comprobante ${documentId} no existe.`);
  const base = { fileName: d.file_name, xml: d.xml };
  if (d.cdr_zip) return { ...base, cdrZip: new Uint8Array(d.cdr_zip), cdrSource: 'database' };
  const archive = archiveFile(app.dataDir, d.issue_date.slice(0, 7));
  const name = fileNames.cdr(d.file_name);
  if (fs.existsSync(archive)) {
    const got = unzipSync(new Uint8Array(fs.readFileSync(archive)), { filter: (f) => f.name === name })[name];
    if (got) return { ...base, cdrZip: got, cdrSource: 'archive' };
  }
  const exported = path.join(documentDir(app.dataDir, d.issue_date), name);
  if (fs.existsSync(exported)) return { ...base, cdrZip: new Uint8Array(fs.readFileSync(exported)), cdrSource: 'file' };
  return { ...base, cdrZip: null, cdrSource: null };
}

/** Writes a document's XML, CDR and (when given) PDF into `dir` (default: <data>/documents/YYYY/MM/). */
export function exportDocumentFiles(app: App, documentId: number, opts: { dir?: string; pdf?: Uint8Array } = {}): string[] {
  const f = readDocumentFiles(app, documentId);
  const issue = (app.db.raw.prepare('SELECT issue_date FROM documents WHERE id = ?').get(documentId) as { issue_date: string }).issue_date;
  const dir = opts.dir ?? documentDir(app.dataDir, issue);
  const written: string[] = [];
  const put = (name: string, bytes: Uint8Array | string) => {
    const p = path.join(dir, name);
    writeFileAtomic(p, bytes);
    written.push(p);
  };
  if (f.xml) put(fileNames.xml(f.fileName), f.xml);
  if (f.cdrZip) put(fileNames.cdr(f.fileName), f.cdrZip);
  if (opts.pdf) put(fileNames.pdf(f.fileName), opts.pdf);
  return written;
}
