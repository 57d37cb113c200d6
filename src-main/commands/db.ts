// `izisales db backup|check|restore`: the database copy tools, usable while the app runs (backup, check) or with it
// closed (restore). None of them creates a database where there is none.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/connection';
import { BackupError, backupDatabase, checkDatabaseFile, restoreDatabase, type DatabaseCheck } from '../db/backup';
import { databaseFile, resolveDataDir } from '../paths';
import { command, noPositionals, parseArgs, UsageError, type Command, type CommandIo } from './kit';

function liveDatabase(dataFlag: string | undefined): string {
  const file = databaseFile(resolveDataDir(dataFlag));
  if (!fs.existsSync(file)) throw new BackupError(`No hay base de datos de iziSales en ${path.dirname(file)}.`);
  return file;
}

function printCheck(io: CommandIo, c: DatabaseCheck): void {
  io.stdout(`Archivo: ${c.file}\nIntegridad: ${c.integrity || '-'}\nVersión del esquema: ${c.schemaVersion}\n`);
  for (const [table, n] of Object.entries(c.counts)) io.stdout(`${table}: ${n}\n`);
}

const dbBackup: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { out: 'value' });
  noPositionals(rest);
  if (!opts.out) throw new UsageError('--out ARCHIVO es obligatorio');
  const db = openDatabase(liveDatabase(opts.data));
  try {
    const c = await backupDatabase(db, opts.out);
    io.stdout(`Copia verificada en ${c.file} (${c.counts.sales ?? 0} ventas, ${c.counts.documents ?? 0} comprobantes).\n`);
    return 0;
  } finally {
    db.close();
  }
});

const dbCheck: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, { json: 'flag' });
  noPositionals(rest);
  const c = checkDatabaseFile(liveDatabase(opts.data));
  if (opts.json) io.stdout(JSON.stringify(c) + '\n');
  else printCheck(io, c);
  if (!c.ok) {
    io.stderr(`izisales: ${c.problem}\n`);
    return 1;
  }
  if (!opts.json) io.stdout('La base de datos está en buen estado.\n');
  return 0;
});

const dbRestore: Command = command(async (argv, io) => {
  const { opts, rest } = parseArgs(argv, {});
  if (rest.length !== 1) throw new UsageError('indique el archivo de la copia: izisales db restore ARCHIVO [--data DIR]');
  const r = restoreDatabase(resolveDataDir(opts.data), rest[0]);
  io.stdout(`Copia restaurada (${r.check.counts.sales ?? 0} ventas).${r.replacedFile ? ` La base anterior se guardó en ${r.replacedFile}.` : ''}\n`);
  return 0;
});

export const commands: Record<string, Command> = { 'db backup': dbBackup, 'db check': dbCheck, 'db restore': dbRestore };
