// Where files live in the data directory (DESIGN §2: documents/, reports/, archive/, logs/). The settings these
// files follow (paper width, archive months, log retention) are db/settings.ts `localSetting`.
import fs from 'node:fs';
import path from 'node:path';

export const dirs = {
  documents: (dataDir: string) => path.join(dataDir, 'documents'),
  reports: (dataDir: string) => path.join(dataDir, 'reports'),
  archive: (dataDir: string) => path.join(dataDir, 'archive'),
  logs: (dataDir: string) => path.join(dataDir, 'logs'),
};

/** <data>/documents/YYYY/MM for a document issued on `issueDate` (YYYY-MM-DD). */
export function documentDir(dataDir: string, issueDate: string): string {
  return path.join(dirs.documents(dataDir), issueDate.slice(0, 4), issueDate.slice(5, 7));
}

/** <data>/archive/YYYY-MM.zip: the month's archive (files/archive-write.ts writes it, archive-read.ts reads it). */
export function archiveFile(dataDir: string, month: string): string {
  return path.join(dirs.archive(dataDir), `${month}.zip`);
}

/** The names SUNAT uses: RUC-TT-SERIE-NUMERO.xml, R-RUC-TT-SERIE-NUMERO.zip (CDR); ours for the PDF. */
export const fileNames = {
  xml: (fileName: string) => `${fileName}.xml`,
  cdr: (fileName: string) => `R-${fileName}.zip`,
  pdf: (fileName: string) => `${fileName}.pdf`,
};

/** Writes a file so a crash leaves either the old content or the new one, never half of it. */
export function writeFileAtomic(file: string, data: Uint8Array | string, mode?: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** Makes a rename durable (POSIX); Windows has no directory handles to sync, and NTFS journals renames. */
export function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // best effort: some filesystems refuse fsync on directories
  }
}

/** Total bytes of the files under `dir` (0 when it does not exist). */
export function dirSize(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) {
      try {
        total += fs.statSync(p).size;
      } catch {
        // removed meanwhile
      }
    }
  }
  return total;
}
