// Reading a document's files wherever they are (the database, the month's archive written by archive-write.ts, or
// the exported copy) and exporting them; nothing here removes or rewrites an original.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection';
import { archiveFile, documentDir, fileNames, writeFileAtomic } from './store';
import { ZipReader } from './zipfile';

/** What reading a document's files uses of the app (the App satisfies it). */
export interface ArchiveReadDeps {
  db: Db;
  dataDir: string;
}

export interface DocumentFiles {
  fileName: string;
  xml: string | null;
  cdrZip: Uint8Array | null;
  cdrSource: 'database' | 'archive' | 'file' | null;
}

/**
 * One entry of a month's archive (null when there is no archive or no such entry): the central directory is read
 * until the name is found, then only that entry is inflated and its CRC-32 checked.
 */
export function readArchivedEntry(archive: string, name: string): Uint8Array | null {
  let z: ZipReader;
  try {
    z = ZipReader.open(archive);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const e = z.find(name);
    return e ? z.read(e) : null;
  } finally {
    z.close();
  }
}

/** The signed XML (always in the database) and the CDR: in the database, else in the month's archive, else exported. */
export function readDocumentFiles(app: ArchiveReadDeps, documentId: number): DocumentFiles {
  const d = app.db.first(app.db.q.selectFrom('documents').select(['file_name', 'issue_date', 'xml', 'cdr_zip']).where('id', '=', documentId));
  if (!d) throw new Error(`El comprobante ${documentId} no existe.`);
  const base = { fileName: d.file_name, xml: d.xml };
  if (d.cdr_zip) return { ...base, cdrZip: new Uint8Array(d.cdr_zip), cdrSource: 'database' };
  const name = fileNames.cdr(d.file_name);
  let damaged: Error | null = null;
  try {
    const got = readArchivedEntry(archiveFile(app.dataDir, d.issue_date.slice(0, 7)), name);
    if (got) return { ...base, cdrZip: got, cdrSource: 'archive' };
  } catch (e) {
    damaged = e as Error;
  }
  const exported = path.join(documentDir(app.dataDir, d.issue_date), name);
  if (fs.existsSync(exported)) return { ...base, cdrZip: new Uint8Array(fs.readFileSync(exported)), cdrSource: 'file' };
  if (damaged) throw new Error(`No se pudo leer el CDR ${name} del archivo mensual: ${damaged.message}`);
  return { ...base, cdrZip: null, cdrSource: null };
}

/** Writes a document's XML, CDR and (when given) PDF into `dir` (default: <data>/documents/YYYY/MM/). */
export function exportDocumentFiles(app: ArchiveReadDeps, documentId: number, opts: { dir?: string; pdf?: Uint8Array } = {}): string[] {
  const f = readDocumentFiles(app, documentId);
  const issue = app.db.first(app.db.q.selectFrom('documents').select('issue_date').where('id', '=', documentId))!.issue_date;
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
